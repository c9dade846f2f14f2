/**
 * Reading run folders back: a finished run, its model, and the full-protocol twin of a config.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { pathExists, readJsonFile } from "./atomic.ts";
import {
  DEFAULT_CONFIG,
  defaultRunName,
  type ExperimentConfig,
  validateConfig,
  validateName,
} from "./config.ts";
import { defaultSizes } from "../data/datasets.ts";
import { InputError } from "../errors.ts";
import { type Images, predictImages } from "../data/images.ts";
import { DATASET_SHA256_KEY, identityDifferences } from "./identity.ts";
import { loadModel } from "../model/model_io.ts";
import { type EpochLog } from "../train/train.ts";
import type { denoisingMetrics } from "./experiment_data.ts";

/** `metrics.json`: {@linkcode denoisingMetrics} of the test set, then how it trained. */
export type RunMetrics = ReturnType<typeof denoisingMetrics> & {
  epochs: number;
  /** Seconds spent in training batches. */
  train_seconds: number;
  train_images_per_second: number;
  backend: string;
  /** Threads it trained with (not part of the identity). */
  threads?: number;
  /** SHA-256 (hex) of the noisy test images: runs with the same digest may be paired. */
  test_inputs_sha256: string;
};

/** A finished run, as read back from its folder. */
export interface Run {
  name: string;
  dir: string;
  config: ExperimentConfig;
  history: EpochLog[];
  metrics: RunMetrics;
  /**
   * The model's outputs on the test inputs `metrics.test_inputs_sha256` names, when this call
   * trained it (not read back): a caller scoring those inputs needs no second prediction.
   */
  testOutput?: Images;
}

/** Folder of run `name` under output root `out`. */
export function runDir(name: string, out = "outputs"): string {
  return join(out, "runs", validateName("run", name));
}

/** "complete" (metrics.json present), "incomplete" (folder without it), or "missing". */
export async function runStatus(dir: string): Promise<"complete" | "incomplete" | "missing"> {
  if (await pathExists(join(dir, "metrics.json"))) return "complete";
  return (await pathExists(dir)) ? "incomplete" : "missing";
}

function readJson<T>(path: string, name: string): Promise<T | undefined> {
  return readJsonFile<T>(path).catch((e) => {
    throw new InputError(`run "${name}" is damaged: ${e.message}`);
  });
}

/** The one-line error of a damaged run: `why` starts with the file's name in `dir`. */
function damaged(name: string, dir: string, why: string): InputError {
  return new InputError(
    `run "${name}" is damaged: ${join(dir, why)}; delete it or train it again with --force`,
  );
}

/** A run's `config.json` validated, with its dataset fingerprint. */
export async function readSaved(dir: string, name: string): Promise<Record<string, unknown>> {
  const raw = await readJson<Record<string, unknown>>(join(dir, "config.json"), name);
  if (!raw || raw.dataSeed === undefined) {
    throw damaged(name, dir, "config.json holds no dataSeed: empty, or from an older version");
  }
  try {
    const saved: Record<string, unknown> = { ...validateConfig(raw) };
    if (raw[DATASET_SHA256_KEY] !== undefined) saved[DATASET_SHA256_KEY] = raw[DATASET_SHA256_KEY];
    return saved;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw damaged(name, dir, `config.json: ${e.message}`);
  }
}

/** Metrics every complete run records; a `metrics.json` without them is damaged. */
const REQUIRED_METRICS = [
  ...["mse", "psnr", "ssim"].flatMap((m) => [`test_${m}`, `noisy_${m}`]),
  "epochs",
];

/** Reads a complete run; an InputError names the run and file when it is missing or damaged. */
export async function readRun(name: string, out = "outputs"): Promise<Run> {
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  if (status !== "complete") {
    throw new InputError(`run "${name}" is ${status} in ${join(out, "runs")}`);
  }
  const config = validateConfig(await readSaved(dir, name));
  const history = await readJson<EpochLog[]>(join(dir, "history.json"), name);
  const metrics = await readJson<Record<string, unknown>>(join(dir, "metrics.json"), name);
  const missing = REQUIRED_METRICS.filter((k) => typeof metrics?.[k] !== "number");
  if (!Array.isArray(history)) throw damaged(name, dir, "history.json holds no epochs");
  if (missing.length > 0) throw damaged(name, dir, `metrics.json lacks ${missing.join(", ")}`);
  return { name, dir, config, history, metrics: metrics as unknown as RunMetrics };
}

/** Loads the trained model of a complete run. The caller disposes it. */
export async function loadRunModel(run: Run): Promise<tf.LayersModel> {
  return await loadModel(join(run.dir, "model"));
}

/** The run's model applied to `images`: new images, not clipped. No tensor outlives the call. */
export async function predictWithRun(run: Run, images: Images): Promise<Images> {
  const model = await loadRunModel(run);
  try {
    return await predictImages(model, images);
  } finally {
    model.dispose();
  }
}

/** The complete run of exactly `config` under `out`, or undefined; it trains nothing. */
export async function findCompleteRun(
  config: ExperimentConfig,
  out = "outputs",
): Promise<Run | undefined> {
  const name = defaultRunName(config);
  try {
    const run = await readRun(name, out);
    const diffs = identityDifferences(await readSaved(run.dir, name), { ...config });
    return diffs.length === 0 ? run : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** The complete run of `config`'s full-protocol twin: all training images, the default epochs. */
export function findFullProtocolRun(
  config: ExperimentConfig,
  out = "outputs",
): Promise<Run | undefined> {
  const train = defaultSizes(config.dataset).train;
  return findCompleteRun({ ...config, train, epochs: DEFAULT_CONFIG.epochs }, out);
}
