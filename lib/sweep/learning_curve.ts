/**
 * Claim 1's condition, "given enough images": a learning curve over the number of training
 * images, each learned model trained the same steps, against the best classical filter.
 *
 * @module
 */
import { biasCorrect } from "../denoisers/bias_correction.ts";
import { type ClassicalMethod, DENOISERS, type FittedDenoiser } from "../denoisers/registry.ts";
import { type Images, imagesDigest } from "../data/images.ts";
import { mean } from "../claims/stats.ts";
import { mse, msePerImage, psnrPerImage } from "../eval/metrics.ts";
import { InputError } from "../errors.ts";
import { defaultRunName, type ExperimentConfig } from "../runs/config.ts";
import { ensureRun, type TrainingOptions } from "../runs/experiment.ts";
import { type ExperimentData, prepareData } from "../runs/experiment_data.ts";
import { ensureFolder } from "../runs/atomic.ts";
import { kernelOptions } from "../kernels/kernel_options.ts";
import { join } from "node:path";
import { runJobs, threadsPerJob } from "./jobs.ts";
import { claimCell } from "./shard.ts";
import { predictWithRun } from "../runs/run_folder.ts";
import { selectBackend } from "../train/backend.ts";
import { logLine } from "../train/log.ts";
import { clip01, tuningImages } from "./compute.ts";
import { DEFAULT_CLAIM_SEEDS } from "./cells.ts";
import { settingsToConfig, type SweepSettings } from "./plan.ts";

/** Training sizes of the curve: each a whole number of epochs of the default steps. */
export const DEFAULT_CURVE_SIZES: readonly number[] = [250, 560, 1700, 5120];

/** Optimiser steps (batches of 32) of every learned model on the curve, whatever its size. */
export const DEFAULT_CURVE_STEPS = 144;

/** Classical filters the curve's baseline is chosen from, each with and without bias correction. */
export const DEFAULT_CURVE_CLASSICAL: readonly ClassicalMethod[] = [
  "median",
  "gaussian",
  "nlm",
  "wavelet",
];

/** The default sizes a profile of `maxTrain` training images allows, ascending. */
export function curveSizes(maxTrain: number): number[] {
  return DEFAULT_CURVE_SIZES.filter((s) => s <= maxTrain).sort((a, b) => a - b);
}

/** Why a profile of `maxTrain` training images draws no curve, and which profile does. */
export function curveSkipped(maxTrain: number): string {
  const all = [...DEFAULT_CURVE_SIZES].sort((a, b) => a - b);
  return `Claim 1's condition: **not tested**. This profile's ${maxTrain.toLocaleString("en")} ` +
    `training images leave fewer than two of the learning curve's sizes ` +
    `(${all.map((s) => s.toLocaleString("en")).join(", ")}); a profile with at least ` +
    `${all.at(-1)!.toLocaleString("en")} training images draws it.`;
}

/** Options of {@linkcode learningCurve}. */
export interface LearningCurveOptions extends TrainingOptions {
  /** Training sizes (images before the validation hold-out). @default DEFAULT_CURVE_SIZES */
  sizes?: readonly number[];
  /** Optimiser steps of each learned model. @default DEFAULT_CURVE_STEPS */
  steps?: number;
  /** Training seeds per model and size, from `settings.seed` on. @default 3 */
  seeds?: number;
  /** Classical candidates of the baseline. @default DEFAULT_CURVE_CLASSICAL */
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
  /** Seconds spent training the learned models (from their runs). */
  trainSeconds: number;
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
  const out = clip01(output);
  return { mse: mean(msePerImage(clean, out)), psnr: mean(psnrPerImage(clean, out)) };
}

/** The classical filter, with or without bias correction, of lowest MSE on the tuning images. */
function bestClassical(
  data: ExperimentData,
  settings: SweepSettings,
  candidates: readonly ClassicalMethod[],
): { fitted: FittedDenoiser; label: string } {
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
      const error = mse(clip01(fitted.apply(training.noisy)), training.clean);
      if (error < best.mse) best = { fitted, label, mse: error };
    }
  }
  return best;
}

/** One learned model of the curve: its size, method and seed. */
interface CurveModel {
  size: number;
  method: "ae" | "dncnn";
  seed: number;
}

/** A scored model of the curve and its run's training seconds. */
type Trained = { point: CurvePoint; trainSeconds: number };

/** What a job of the curve is given (lib/sweep/jobs.ts): the settings and the plan. */
export interface CurveJob {
  settings: SweepSettings;
  models: CurveModel[];
  steps: number;
  backend: ExperimentConfig["backend"];
  out: string;
  threads?: number;
}

/**
 * Trains (or reads back) and scores the curve's `models` in this process, in order; with
 * `claim`, only those no sibling job claimed first. Undefined when `signal` interrupted a training.
 */
export async function curveModels(
  job: CurveJob,
  options: TrainingOptions & { claim?: boolean } = {},
): Promise<Trained[] | undefined> {
  const { settings, steps, backend, out } = job;
  const { log = logLine, callbacks = [], signal, threads = job.threads, claim } = options;
  const trained: Trained[] = [];
  let test: { size: number; data: ExperimentData } | undefined;
  const noise = settings.referenceNoise;
  await selectBackend(backend, { log, threads });
  await ensureFolder(join(out, "runs"));
  using claims = new DisposableStack();
  for (const m of job.models) {
    const sized = { ...settings, train: m.size };
    const config = settingsToConfig(sized, {
      model: m.method === "ae" ? "autoencoder" : "dncnn",
      noise,
      epochs: curveEpochs(m.size, settings, steps),
      lrSchedule: false,
      seed: m.seed,
      backend,
    });
    if (claim) {
      const held = await claimCell(join(out, "runs"), `curve ${defaultRunName(config)}`);
      if (!held) continue;
      claims.use(held); // held until this process ends: no sibling takes the model after it
    }
    log(`learning curve: ${m.method} on ${m.size} images, seed ${m.seed}, ${steps} steps`);
    let run;
    try {
      run = await ensureRun(config, { out, log, callbacks, signal, threads });
    } catch (e) {
      if (signal?.aborted) return undefined;
      throw e;
    }
    if (test?.size !== m.size) {
      test = undefined; // the previous size's images go first
      test = { size: m.size, data: await prepareData(settingsToConfig(sized, { noise })) };
    }
    const fresh = run.testOutput &&
      run.metrics.test_inputs_sha256 === await imagesDigest(test.data.noisyTest);
    const output = fresh ? run.testOutput! : await predictWithRun(run, test.data.noisyTest);
    trained.push({
      point: {
        ...m,
        epochs: config.epochs,
        steps,
        source: run.name,
        ...score(test.data.dataset.test, output),
      },
      trainSeconds: run.metrics.train_seconds,
    });
  }
  return trained;
}

/**
 * Draws the learning curve at the reference factor (InputError on bad options); undefined when
 * `signal` interrupted a training. With `jobs` > 1 the models train in that many job
 * processes (lib/sweep/jobs.ts) while this one tunes the classical filters; the points are
 * those of one process.
 */
export async function learningCurve(
  settings: SweepSettings,
  options: LearningCurveOptions = {},
): Promise<LearningCurve | undefined> {
  const {
    sizes = DEFAULT_CURVE_SIZES,
    steps = DEFAULT_CURVE_STEPS,
    seeds = DEFAULT_CLAIM_SEEDS,
    classical = DEFAULT_CURVE_CLASSICAL,
    backend = "auto",
    out = "outputs",
    log = logLine,
    signal,
    threads,
    jobs = 1,
  } = options;
  const whole = (x: number, min: number) => Number.isInteger(x) && x >= min;
  if (sizes.length === 0 || !sizes.every((s) => whole(s, 2))) {
    throw new InputError(`learning-curve sizes must be whole numbers ≥ 2, got ${sizes.join(",")}`);
  }
  if (!whole(steps, 1)) throw new InputError(`steps must be a whole number ≥ 1, got ${steps}`);
  if (!whole(seeds, 1)) throw new InputError(`seeds must be a whole number ≥ 1, got ${seeds}`);
  if (!whole(jobs, 1)) throw new InputError(`jobs must be a whole number ≥ 1, got ${jobs}`);
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  for (const size of sorted) curveEpochs(size, settings, steps); // refuse before any training
  const noise = settings.referenceNoise;
  // At each size the DnCNN, the slower, before the autoencoder: the jobs end close together.
  const models = sorted.flatMap((size) =>
    (["dncnn", "ae"] as const).flatMap((method) =>
      Array.from({ length: seeds }, (_, i) => ({ size, method, seed: settings.seed + i }))
    )
  );
  const job: CurveJob = { settings, models, steps, backend, out, threads };
  const stop = new AbortController();
  const abort = () => stop.abort();
  signal?.addEventListener("abort", abort, { once: true });
  const count = Math.min(jobs, models.length);
  const parallel = count > 1
    ? runJobs(
      { curve: { ...job, threads: threadsPerJob(threads ?? kernelOptions().threads, count) } },
      count,
      { log, signal: stop.signal },
    )
    : undefined;
  try {
    const points: CurvePoint[] = [];
    let digest: string | undefined;
    for (const size of sorted) {
      const sized = { ...settings, train: size };
      const data = await prepareData(settingsToConfig(sized, { noise }));
      const d = await imagesDigest(data.noisyTest);
      if (digest !== undefined && d !== digest) {
        throw new InputError(`the test images differ between training sizes (at ${size})`);
      }
      digest = d;
      const { fitted, label } = bestClassical(data, sized, classical);
      points.push({
        size,
        method: "classical",
        seed: null,
        epochs: 0,
        steps: 0,
        source: `${label}${fitted.parameter ? ` (${fitted.parameter})` : ""}`,
        ...score(data.dataset.test, fitted.apply(data.noisyTest)),
      });
    }
    // One per model: a job started after its sibling ended may score a model again.
    const key = (m: { size: number; method: string; seed: number | null }) =>
      `${m.size} ${m.method} ${m.seed}`;
    const trained = new Map<string, Trained>();
    const add = (list: Trained[]) => list.forEach((t) => trained.set(key(t.point), t));
    if (parallel) {
      const { interrupted, results } = await parallel;
      if (interrupted) return undefined;
      for (const r of results) add((r as { trained: Trained[] }).trained);
    }
    // In this process: every model without jobs, else any a process outside them held.
    const left = models.filter((m) => !trained.has(key(m)));
    if (left.length > 0) {
      const rest = await curveModels({ ...job, models: left }, options);
      if (!rest) return undefined;
      add(rest);
    }
    let trainSeconds = 0;
    for (const t of trained.values()) {
      points.push(t.point);
      trainSeconds += t.trainSeconds;
    }
    const order = ["classical", "ae", "dncnn"];
    points.sort((a, b) =>
      a.size - b.size || order.indexOf(a.method) - order.indexOf(b.method) ||
      (a.seed ?? 0) - (b.seed ?? 0)
    );
    return { noise, steps, sizes: sorted, test: settings.test, points, trainSeconds };
  } catch (e) {
    stop.abort();
    await parallel?.catch(() => {});
    throw e;
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}
