/**
 * Claim 1's condition, "given enough images": a learning curve over the number of training
 * images, each learned model trained the same steps, against the best classical filter.
 *
 * @module
 */
import { biasCorrect } from "../denoisers/bias_correction.ts";
import { type ClassicalMethod, DENOISERS, type FittedDenoiser } from "../denoisers/registry.ts";
import { type Images, imagesDigest } from "../data/images.ts";
import { mse, psnr } from "../eval/metrics.ts";
import { InputError } from "../errors.ts";
import { defaultRunName, type ExperimentConfig, validateConfig } from "../runs/config.ts";
import { ensureRun, type TrainingOptions } from "../runs/experiment.ts";
import { type ExperimentData, prepareData } from "../runs/experiment_data.ts";
import { ensureFolder } from "../runs/atomic.ts";
import { kernelOptions } from "../kernels/kernel_options.ts";
import { join } from "node:path";
import { runJobs, threadsPerJob } from "./jobs.ts";
import { claimCell } from "./files.ts";
import { predictWithRun, type Run } from "../runs/run_folder.ts";
import { LockedError } from "../runs/lock.ts";
import { selectBackend } from "../train/backend.ts";
import { logLine } from "../train/log.ts";
import { clipUnit } from "../eval/typicality_control.ts";
import { tuningImages } from "./compute.ts";
import { DEFAULT_CLAIM_SEEDS } from "./cells.ts";
import type { SweepSettings } from "./plan.ts";

/** Training sizes of the curve, ascending: each a whole number of epochs of the default steps. */
export const DEFAULT_CURVE_SIZES: readonly number[] = [250, 560, 1700, 5120];

/** Optimiser steps (batches of 32) of every learned model on the curve, whatever its size. */
export const DEFAULT_CURVE_STEPS = 144;

/** Classical filters the curve's baseline is chosen from, each with and without bias correction. */
const CURVE_CLASSICAL: readonly ClassicalMethod[] = ["median", "gaussian", "nlm", "wavelet"];

/** The default sizes a profile of `maxTrain` training images allows, ascending. */
export function curveSizes(maxTrain: number): number[] {
  return DEFAULT_CURVE_SIZES.filter((s) => s <= maxTrain);
}

/** Options of {@linkcode learningCurve}. */
export interface LearningCurveOptions extends TrainingOptions {
  /** Training sizes (images before the validation hold-out). @default DEFAULT_CURVE_SIZES */
  sizes?: readonly number[];
  /** Optimiser steps of each learned model. @default DEFAULT_CURVE_STEPS */
  steps?: number;
  /** Training seeds per model and size, from `settings.seed` on. @default 3 */
  seeds?: number;
  /** Classical candidates of the baseline. @default median, gaussian, nlm, wavelet */
  classical?: readonly ClassicalMethod[];
  /** Backend of every training (as in the sweep's config). @default "auto" */
  backend?: ExperimentConfig["backend"];
  /** Job processes training the models at once, sharing `threads`. @default 1 */
  jobs?: number;
}

/** One point of the curve: a model (one seed) or the best classical filter at a size. */
export interface CurvePoint {
  size: number;
  /** `"classical"`: the best classical filter at this size. */
  method: "ae" | "dncnn" | "classical";
  /** Null for the classical filter, as are its 0 epochs and steps. */
  seed: number | null;
  epochs: number;
  steps: number;
  /** Run name, or the classical filter's label and parameter. */
  source: string;
  /** Mean per-image test MSE, output clipped to [0, 1]. */
  mse: number;
  /** Mean per-image test PSNR (dB). */
  psnr: number;
}

/** What {@linkcode learningCurve} returns. */
export interface LearningCurve {
  noise: number;
  steps: number;
  /** Ascending. */
  sizes: number[];
  /** Test images scored. */
  test: number;
  /** By size then method then seed. */
  points: CurvePoint[];
}

/** Epochs of exactly `steps` optimiser steps on `size` training images, else an InputError. */
export function curveEpochs(
  size: number,
  settings: Pick<SweepSettings, "batch" | "validation" | "validationSplit">,
  steps: number,
): number {
  const held = settings.validation === "split" ? Math.round(size * settings.validationSplit) : 0;
  const perEpoch = Math.ceil((size - held) / settings.batch);
  if (steps % perEpoch !== 0) {
    throw new InputError(
      `${steps} steps is not a whole number of epochs at ${size} training images ` +
        `(${perEpoch} batches of ${settings.batch} an epoch); choose sizes or steps that fit`,
    );
  }
  return steps / perEpoch;
}

function score(clean: Images, output: Images): { mse: number; psnr: number } {
  const out = clipUnit(output);
  return { mse: mse(clean, out), psnr: psnr(clean, out) };
}

/** The point of the classical filter, with or without bias correction, of lowest tuning MSE. */
function classicalPoint(
  data: ExperimentData,
  settings: SweepSettings,
  candidates: readonly ClassicalMethod[],
): CurvePoint {
  const training = tuningImages(data, settings);
  let best: { fitted: FittedDenoiser; label: string; mse: number } = {
    fitted: DENOISERS.noisy.fit(training),
    label: DENOISERS.noisy.label,
    mse: Infinity,
  };
  for (const method of candidates) {
    const plain = DENOISERS[method].fit(training);
    const label = DENOISERS[method].label;
    // The correction maps the tuned filter's output: the filter is tuned once.
    const both: [FittedDenoiser, string][] = [
      [plain, label],
      [biasCorrect(plain, training), `${label} + bias correction`],
    ];
    for (const [fitted, label] of both) {
      const error = mse(clipUnit(fitted.apply(training.noisy)), training.clean);
      if (error < best.mse) best = { fitted, label, mse: error };
    }
  }
  const { fitted, label } = best;
  return {
    size: settings.train,
    method: "classical",
    seed: null,
    epochs: 0,
    steps: 0,
    source: `${label}${fitted.parameter ? ` (${fitted.parameter})` : ""}`,
    ...score(data.dataset.test, fitted.apply(data.noisyTest)),
  };
}

/** One learned model of the curve. */
type CurveModel = { size: number; method: "ae" | "dncnn"; seed: number };

/** What a job of the curve is given (lib/sweep/jobs.ts): the settings and the models. */
export interface CurveJob {
  settings: SweepSettings;
  models: CurveModel[];
  steps: number;
  backend: ExperimentConfig["backend"];
  out: string;
  threads?: number;
}

/** A curve model's run config: a fixed rate, trained `job.steps` optimiser steps. */
function curveConfig(job: CurveJob, m: CurveModel): ExperimentConfig {
  return validateConfig({
    ...job.settings,
    train: m.size,
    model: m.method === "ae" ? "autoencoder" : "dncnn",
    noise: job.settings.referenceNoise,
    epochs: curveEpochs(m.size, job.settings, job.steps),
    lrSchedule: false,
    seed: m.seed,
    backend: job.backend,
  });
}

/**
 * Trains (or reads back) one model of the curve, saying so first when `announce`; undefined
 * when `signal` interrupted it.
 */
async function curveRun(
  job: CurveJob,
  config: ExperimentConfig,
  options: TrainingOptions,
  announce: boolean,
): Promise<Run | undefined> {
  const { log = logLine, callbacks = [], signal, threads = job.threads } = options;
  if (announce) {
    const model = config.model === "autoencoder" ? "ae" : config.model;
    log(
      `learning curve: ${model} on ${config.train} images, seed ${config.seed}, ${job.steps} steps`,
    );
  }
  try {
    return await ensureRun(config, { out: job.out, log, callbacks, signal, threads });
  } catch (e) {
    if (signal?.aborted) return undefined;
    throw e;
  }
}

/**
 * One job process of the curve (sweep_job.ts): trains, in order, the models no sibling claimed
 * first. False when `signal` interrupted a training.
 */
export async function trainCurveJob(job: CurveJob, options: TrainingOptions): Promise<boolean> {
  await selectBackend(job.backend, { log: options.log, threads: job.threads });
  const dir = join(job.out, "runs");
  await ensureFolder(dir);
  using claims = new DisposableStack();
  for (const m of job.models) {
    const config = curveConfig(job, m);
    const held = await claimCell(dir, `curve ${defaultRunName(config)}`).catch((e) => {
      if (e instanceof LockedError) return undefined;
      throw e;
    });
    if (!held) continue;
    claims.use(held); // held until this process ends: no sibling takes the model after it
    if (!(await curveRun(job, config, options, true))) return false;
  }
  return true;
}

/**
 * Draws the learning curve at the reference factor (InputError when `steps` is not a whole
 * number of epochs at a size); undefined when `signal` interrupted a training. With `jobs` > 1
 * the models first train in that many job processes (lib/sweep/jobs.ts), and this one reads
 * them back; the points are those of one process.
 */
export async function learningCurve(
  settings: SweepSettings,
  options: LearningCurveOptions = {},
): Promise<LearningCurve | undefined> {
  const { steps = DEFAULT_CURVE_STEPS, seeds = DEFAULT_CLAIM_SEEDS, backend = "auto" } = options;
  const { classical = CURVE_CLASSICAL, out = "outputs", log = logLine, signal } = options;
  const sorted = [...new Set(options.sizes ?? DEFAULT_CURVE_SIZES)].sort((a, b) => a - b);
  for (const size of sorted) curveEpochs(size, settings, steps); // refuse before any training
  // At each size the DnCNN, the slower, before the autoencoder: the jobs end close together.
  const models = sorted.flatMap((size) =>
    (["dncnn", "ae"] as const).flatMap((method) =>
      Array.from({ length: seeds }, (_, i) => ({ size, method, seed: settings.seed + i }))
    )
  );
  const job: CurveJob = { settings, models, steps, backend, out, threads: options.threads };
  const count = Math.min(options.jobs ?? 1, models.length);
  if (count > 1) {
    const threads = threadsPerJob(options.threads ?? kernelOptions().threads, count);
    const { interrupted } = await runJobs({ curve: { ...job, threads } }, count, { log, signal });
    if (interrupted) return undefined;
  }
  await selectBackend(backend, { log, threads: options.threads });
  const points: CurvePoint[] = [];
  for (const size of sorted) {
    const sized = { ...settings, train: size };
    const data = await prepareData(validateConfig({ ...sized, noise: settings.referenceNoise }));
    points.push(classicalPoint(data, sized, classical));
    for (const m of models.filter((m) => m.size === size)) {
      // Trained here without jobs (announced); after them read back (or trained, if others held it).
      const run = await curveRun(job, curveConfig(job, m), options, count <= 1);
      if (!run) return undefined;
      const fresh = run.testOutput &&
        run.metrics.test_inputs_sha256 === imagesDigest(data.noisyTest);
      const output = fresh ? run.testOutput! : await predictWithRun(run, data.noisyTest);
      const epochs = curveEpochs(size, settings, steps);
      points.push({ ...m, epochs, steps, source: run.name, ...score(data.dataset.test, output) });
    }
  }
  const order = ["classical", "ae", "dncnn"];
  points.sort((a, b) =>
    a.size - b.size || order.indexOf(a.method) - order.indexOf(b.method) ||
    (a.seed ?? 0) - (b.seed ?? 0)
  );
  return { noise: settings.referenceNoise, steps, sizes: sorted, test: settings.test, points };
}
