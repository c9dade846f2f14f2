/**
 * The runs a report uses (notebooks 3–4's run and notebook 5's noise sweep), reading them
 * back with their damage named, and the up-front time estimate from measured speed.
 *
 * @module
 */
import { join } from "node:path";
import { defaultRunName, type ExperimentConfig } from "../lib/runs/config.ts";
import { InputError } from "../lib/errors.ts";
import { selectBackend } from "../lib/train/backend.ts";
import { buildModel } from "../lib/runs/experiment_data.ts";
import {
  listRuns,
  readRun,
  type Run,
  runDir,
  type RunMetrics,
  runStatus,
} from "../lib/runs/run_folder.ts";
import { NOISE_SWEEP_FACTORS } from "../lib/notebook.ts";
import { createRng } from "../lib/data/random.ts";
import { settingsToConfig, sweepSettings } from "../lib/sweep/plan.ts";
import { cellSeeds, isClaimArm } from "../lib/sweep/cells.ts";
import { trainDenoiser } from "../lib/train/train.ts";
import { formatDuration } from "../lib/train/progress.ts";

/** A run the report needs. */
export interface ReportRun {
  /** Run name under `OUT/runs/`. */
  name: string;
  /** Its settings. */
  config: ExperimentConfig;
  /** "main" (notebooks 3 and 4) or "noise sweep" (notebook 5). */
  role: "main" | "noise sweep";
}

/**
 * The runs of one report: `config`'s own, then one per noise factor of notebook 5 on the
 * lighter `sweepConfig` (duplicates by name dropped), factors in increasing order.
 */
export function reportRuns(config: ExperimentConfig, sweepConfig: ExperimentConfig): ReportRun[] {
  const runs: ReportRun[] = [{ name: defaultRunName(config), config, role: "main" }];
  // Notebook 5's factors, plus f = 0: the clean-trained control its sweep adds (claim 2).
  const factors = [...new Set([0, ...NOISE_SWEEP_FACTORS, config.noise])].sort((a, b) => a - b);
  // Notebook 5's models, built as its sweep builds them (the report's latent size, dropout and
  // schedule, whatever `config` says), so the names match the runs it trains.
  const settings = sweepSettings(sweepConfig);
  for (const noise of factors) {
    // Claim 2's arms (trained at the notebook's factor and at 0) train with several seeds.
    const arm = isClaimArm("ae", "", noise, config.noise);
    for (const seed of cellSeeds(settings, undefined, arm)) {
      const c = settingsToConfig(settings, {
        model: "autoencoder",
        noise,
        backend: sweepConfig.backend,
        seed,
      });
      const name = defaultRunName(c);
      if (!runs.some((r) => r.name === name)) runs.push({ name, config: c, role: "noise sweep" });
    }
  }
  return runs;
}

const NUMERIC_METRICS: (keyof RunMetrics)[] = [
  "test_mse",
  "noisy_mse",
  "test_psnr",
  "test_ssim",
  "epochs",
  "train_images_per_second",
];

/** Throws {@linkcode InputError} naming the run when its metrics lack a number. */
export function checkRun(run: Run): Run {
  const m = run.metrics as unknown as Record<string, unknown> | null;
  const missing = NUMERIC_METRICS.filter((k) => typeof m?.[k] !== "number");
  if (missing.length > 0 || typeof run.config?.noise !== "number") {
    throw new InputError(
      `run "${run.name}" is damaged: ${join(run.dir, "metrics.json")} lacks ` +
        `${missing.length > 0 ? missing.join(", ") : "a config"}; delete the folder to retrain it`,
    );
  }
  return run;
}

/** Reads a run the report needs; a missing or damaged one is an error naming it. */
export async function readReportRun(name: string, out: string): Promise<Run> {
  return checkRun(await readRun(name, out));
}

/**
 * Training speed (images/s) of the complete runs in `out` trained on `backend`: the median,
 * or `undefined` when there is none. Damaged runs are skipped with one line each to `warn`.
 */
export async function measuredSpeed(
  out: string,
  warn: (line: string) => void,
): Promise<number | undefined> {
  const speeds: number[] = [];
  for (const r of await listRuns(out)) {
    if (r.status !== "complete") continue;
    try {
      const run = checkRun(await readRun(r.name, out));
      if (run.metrics.train_images_per_second > 0) {
        speeds.push(run.metrics.train_images_per_second);
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      warn(`warning: skipping run "${r.name}": ${e.message.replace(/^run "[^"]*":? ?/, "")}`);
    }
  }
  if (speeds.length === 0) return undefined;
  speeds.sort((a, b) => a - b);
  return speeds[Math.floor(speeds.length / 2)];
}

/** The estimate the report prints before it starts. */
export interface Estimate {
  /** Runs still to train. */
  toTrain: string[];
  /** Training images × epochs still to do. */
  imageEpochs: number;
  /** Seconds, at `speed`. */
  seconds: number;
  /** One line for the terminal. */
  line: string;
}

/** Estimates the training the report still has to do, at `speed` images/s. */
export async function estimate(
  runs: ReportRun[],
  out: string,
  speed: number,
): Promise<Estimate> {
  const toTrain: string[] = [];
  let imageEpochs = 0;
  for (const r of runs) {
    if (await runStatus(runDir(r.name, out)) === "complete") continue;
    toTrain.push(r.name);
    imageEpochs += r.config.train * r.config.epochs;
  }
  // Validation predicts the test set once per epoch, at several times the training speed.
  const seconds = imageEpochs / speed;
  const line = toTrain.length === 0
    ? `estimate: all ${runs.length} runs of notebooks 3–5 are trained; only notebook 6's sweep may train`
    : `estimate: ${toTrain.length} of ${runs.length} runs of notebooks 3–5 to train ` +
      `(${imageEpochs.toLocaleString("en-US")} images × epochs at ${Math.round(speed)} img/s): ` +
      `about ${formatDuration(seconds)}, plus notebook 6's sweep and about 10 s per notebook`;
  return { toTrain, imageEpochs, seconds, line };
}

/**
 * Measures training speed (images/s) with a short run of `config`'s model on 256 random
 * images: the second epoch's throughput, after warm-up, on `threads` wasm kernel threads
 * (default: `THREADS`, else every core). Used when no trained run exists.
 */
export async function calibrateSpeed(
  config: ExperimentConfig,
  threads?: number,
): Promise<number> {
  await selectBackend(config.backend, { log: () => {}, threads });
  const n = 256;
  const images = (seed: number) => {
    const rng = createRng(seed);
    const data = new Float32Array(n * 28 * 28);
    for (let i = 0; i < data.length; i++) data[i] = rng.next();
    return { data, count: n, height: 28, width: 28 };
  };
  const model = buildModel(config);
  try {
    const r = await trainDenoiser(model, {
      input: images(1),
      target: images(2),
      valInput: images(3),
      valTarget: images(4),
    }, { epochs: 2, batchSize: config.batch, seed: config.seed, schedule: null });
    return r.history[1].images_per_second;
  } finally {
    model.dispose();
  }
}
