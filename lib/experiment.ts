/**
 * One experiment end to end — data, noise, model, training, evaluation — and its run folder:
 *
 * ```
 * outputs/runs/NAME/
 *   config.json    settings (written first)
 *   checkpoint/    while training only: weights, optimizer and schedule state
 *   history.json   [{epoch, loss, val_loss, lr, …}]
 *   samples.png    rows: original | noisy | reconstructed, samples picked by seed
 *   loss.svg       loss and val_loss per epoch, learning-rate drops marked
 *   model/         model.json + weights.bin
 *   metrics.json   written last: its presence marks the run complete
 * ```
 *
 * The command line, the notebooks and the sweep all go through {@linkcode runExperiment}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { pathExists as exists, writeFileAtomic, writeJsonAtomic } from "./atomic.ts";
import { selectBackend } from "./backend.ts";
import { defaultRunName, type ExperimentConfig, validateRunName } from "./config.ts";
import { type Dataset, loadDataset } from "./data.ts";
import { buildDnCNN } from "./dncnn.ts";
import { InputError } from "./errors.ts";
import { logLine } from "./log.ts";
import { imageGridPng, lossChart, pickSamples, svgString } from "./figures.ts";
import { type Images, take } from "./images.ts";
import { mse, psnr, ssim } from "./metrics.ts";
import { buildAutoencoder } from "./model.ts";
import { loadModel, saveModel } from "./model_io.ts";
import { addNoise } from "./noise.ts";
import { predictImages } from "./predict.ts";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
import { type EpochLog, type TrainCallbacks, trainDenoiser } from "./train.ts";

/** Contents of `metrics.json`. */
export interface RunMetrics {
  /** MSE of the reconstruction against the clean test images. */
  test_mse: number;
  /** MSE of the noisy input against the clean test images (doing nothing). */
  noisy_mse: number;
  /** Mean per-image PSNR (dB) of the reconstruction. */
  test_psnr: number;
  /** Mean per-image PSNR (dB) of the noisy input. */
  noisy_psnr: number;
  /** Mean SSIM (Gaussian 11×11, σ 1.5) of the reconstruction. */
  test_ssim: number;
  /** Mean SSIM of the noisy input. */
  noisy_ssim: number;
  /** Epochs trained. */
  epochs: number;
  /** Seconds spent in training batches. */
  train_seconds: number;
  /** Training throughput. */
  train_images_per_second: number;
  /** Backend that trained the model. */
  backend: string;
}

/** A finished run, as read back from its folder. */
export interface Run {
  /** Run name. */
  name: string;
  /** Run folder. */
  dir: string;
  /** Settings. */
  config: ExperimentConfig;
  /** Per-epoch history. */
  history: EpochLog[];
  /** Final metrics. */
  metrics: RunMetrics;
}

/** Options of {@linkcode runExperiment}. */
export interface RunOptions {
  /** Run name. @default defaultRunName(config) */
  name?: string;
  /** Output root; runs go under `out/runs/`. @default "outputs" */
  out?: string;
  /** Replace an existing run of the same name. @default false */
  force?: boolean;
  /** Continue an interrupted run of this name from its checkpoint. @default false */
  resume?: boolean;
  /** Progress displays. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops after the current batch; the checkpoint is kept. @default undefined */
  signal?: AbortSignal;
  /** Status lines (backend, data, where results go). @default logLine (stderr, or a collapsed note in a notebook) */
  log?: (line: string) => void;
}

/** Result of {@linkcode runExperiment}: a complete run, or an interrupted one to resume. */
export type RunOutcome =
  | ({ status: "completed" } & Run)
  | { status: "interrupted"; name: string; dir: string; epochsDone: number };

/** Folder of run `name` under output root `out`. */
export function runDir(name: string, out = "outputs"): string {
  return join(out, "runs", validateRunName(name));
}

/** "complete" (metrics.json present), "incomplete" (folder without it), or "missing". */
export async function runStatus(dir: string): Promise<"complete" | "incomplete" | "missing"> {
  if (await exists(join(dir, "metrics.json"))) return "complete";
  return (await exists(dir)) ? "incomplete" : "missing";
}

/** The noisy and clean images a config trains and tests on; the noise is seeded. */
export interface ExperimentData {
  /** The loaded dataset (clean). */
  dataset: Dataset;
  /** Noisy training images. */
  noisyTrain: Images;
  /** Noisy test images. */
  noisyTest: Images;
}

/**
 * Loads the dataset and adds the config's noise: training and test noise come from
 * different seeds derived from `config.seed`, and are drawn once, as in the report.
 */
export async function prepareData(config: ExperimentConfig): Promise<ExperimentData> {
  const dataset = await loadDataset(config.dataset, {
    train: config.train,
    test: config.test,
    seed: config.seed,
  });
  const { height, width } = dataset.train;
  if (height % 4 !== 0 || width % 4 !== 0 || height !== width) {
    throw new InputError(
      `images are ${height}×${width}; the autoencoder needs square images with a side divisible by 4`,
    );
  }
  const noise = { type: config.noiseType, mean: config.noiseMean };
  return {
    dataset,
    noisyTrain: addNoise(dataset.train, config.noise, { ...noise, seed: config.seed * 2 + 1 }),
    noisyTest: addNoise(dataset.test, config.noise, { ...noise, seed: config.seed * 2 + 2 }),
  };
}

/** Builds the config's learned model, untrained. The caller disposes it. */
export function buildModel(config: ExperimentConfig, imageSize = 28): tf.LayersModel {
  if (config.model === "dncnn") return buildDnCNN({ seed: config.seed, imageSize });
  return buildAutoencoder({
    latentDim: config.latent,
    dropout: config.dropout,
    seed: config.seed,
    imageSize,
  }).autoencoder;
}

/** MSE, PSNR and SSIM of `output` and of `noisy` against `clean`. */
export function denoisingMetrics(clean: Images, noisy: Images, output: Images) {
  return {
    test_mse: mse(clean, output),
    noisy_mse: mse(clean, noisy),
    test_psnr: psnr(clean, output),
    noisy_psnr: psnr(clean, noisy),
    test_ssim: ssim(clean, output),
    noisy_ssim: ssim(clean, noisy),
  };
}

/** Number of samples in `samples.png`. */
export const SAMPLE_COUNT = 10;

/**
 * Trains, evaluates and writes the run folder (see the module doc). Refuses to overwrite a
 * run unless `force`; `resume` continues an interrupted run with that run's saved settings.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const { out = "outputs", force = false, resume = false, callbacks = [], signal } = options;
  const log = options.log ?? logLine;
  const name = options.name ?? defaultRunName(config);
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  if (resume) {
    if (status === "missing") {
      throw new InputError(`no run "${name}" in ${join(out, "runs")} to resume`);
    }
    if (status === "complete") {
      throw new InputError(`run "${name}" is already complete; nothing to resume`);
    }
    config = await readJson<ExperimentConfig>(join(dir, "config.json"), name);
  } else if (status !== "missing") {
    if (!force) {
      const hint = status === "complete"
        ? "use --force to overwrite it"
        : `it is incomplete: continue it with --resume ${name}, or overwrite it with --force`;
      throw new InputError(`run "${name}" already exists in ${join(out, "runs")}; ${hint}`);
    }
    await Deno.remove(dir, { recursive: true });
  }

  const backend = await selectBackend(config.backend, { log });
  const data = await prepareData(config);
  const { dataset } = data;
  log(`data: ${dataset.source}: ${dataset.train.count} train, ${dataset.test.count} test images`);
  await Deno.mkdir(dir, { recursive: true });
  if (!resume) await writeJsonAtomic(join(dir, "config.json"), config);
  log(`run: ${dir}`);

  const model = buildModel(config, dataset.train.height);
  try {
    const result = await trainDenoiser(model, {
      input: data.noisyTrain,
      target: dataset.train,
      valInput: data.noisyTest,
      valTarget: dataset.test,
    }, {
      epochs: config.epochs,
      batchSize: config.batch,
      seed: config.seed,
      schedule: config.lrSchedule ? new ReduceLROnPlateau() : null,
      callbacks,
      checkpointDir: join(dir, "checkpoint"),
      resume,
      signal,
    });
    if (result.status === "interrupted") {
      return { status: "interrupted", name, dir, epochsDone: result.history.length };
    }
    const output = await predictImages(model, data.noisyTest);
    const metrics: RunMetrics = {
      ...denoisingMetrics(dataset.test, data.noisyTest, output),
      epochs: result.history.length,
      train_seconds: result.trainSeconds,
      train_images_per_second: result.imagesPerSecond,
      backend,
    };
    const picks = pickSamples(dataset.test.count, SAMPLE_COUNT, config.seed);
    await writeJsonAtomic(join(dir, "history.json"), result.history);
    await writeFileAtomic(
      join(dir, "samples.png"),
      imageGridPng([take(dataset.test, picks), take(data.noisyTest, picks), take(output, picks)]),
    );
    await writeFileAtomic(join(dir, "loss.svg"), svgString(lossChart(result.history)));
    await saveModel(model, join(dir, "model"));
    await Deno.remove(join(dir, "checkpoint"), { recursive: true }).catch(() => {});
    // Last: from here on the run counts as complete.
    await writeJsonAtomic(join(dir, "metrics.json"), metrics);
    return { status: "completed", name, dir, config, history: result.history, metrics };
  } finally {
    model.dispose();
  }
}

async function readJson<T>(path: string, name: string): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    throw new InputError(`run "${name}": cannot read ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads a complete run's settings, history and metrics. Throws {@linkcode InputError} for a
 * missing or incomplete run.
 */
export async function readRun(name: string, out = "outputs"): Promise<Run> {
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  if (status !== "complete") {
    throw new InputError(`run "${name}" is ${status} in ${join(out, "runs")}`);
  }
  return {
    name,
    dir,
    config: await readJson<ExperimentConfig>(join(dir, "config.json"), name),
    history: await readJson<EpochLog[]>(join(dir, "history.json"), name),
    metrics: await readJson<RunMetrics>(join(dir, "metrics.json"), name),
  };
}

/** Loads the trained model of a complete run. The caller disposes it. */
export async function loadRunModel(run: Run): Promise<tf.LayersModel> {
  return await loadModel(join(run.dir, "model"));
}

/**
 * The complete run for `config` (named by {@linkcode defaultRunName}): read back when it
 * exists, trained first when it does not. An incomplete run of that name is resumed.
 * Never retrains a complete run; `log` says which happened.
 */
export async function ensureRun(config: ExperimentConfig, options: RunOptions = {}): Promise<Run> {
  const log = options.log ?? logLine;
  const name = options.name ?? defaultRunName(config);
  const status = await runStatus(runDir(name, options.out));
  if (status === "complete") {
    log(`using the trained run "${name}" (delete its folder to retrain)`);
    return await readRun(name, options.out);
  }
  if (status === "incomplete") log(`run "${name}" is incomplete; resuming it`);
  const outcome = await runExperiment(config, {
    ...options,
    name,
    resume: status === "incomplete",
  });
  if (outcome.status !== "completed") {
    throw new InputError(`run "${name}" was interrupted after ${outcome.epochsDone} epochs`);
  }
  return outcome;
}

/** Every run under `out/runs`, with its status; incomplete runs are listed, not read. */
export async function listRuns(
  out = "outputs",
): Promise<{ name: string; status: "complete" | "incomplete" }[]> {
  const root = join(out, "runs");
  if (!(await exists(root))) return [];
  const runs: { name: string; status: "complete" | "incomplete" }[] = [];
  for await (const e of Deno.readDir(root)) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const s = await runStatus(join(root, e.name));
    if (s !== "missing") runs.push({ name: e.name, status: s });
  }
  return runs.sort((a, b) => a.name.localeCompare(b.name));
}
