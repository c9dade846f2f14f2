/**
 * Computing one sweep cell (lib/sweep/sweep.ts runs them): a learned method's cached run
 * applied to the noisy test images, or a classical filter (tuned on noisy training images
 * when it has a parameter), each output clipped to [0, 1], with its timing columns.
 *
 * @module
 */
import { type ClassicalMethod, DENOISERS, type TuningImages } from "../denoisers/registry.ts";
import { ensureRun } from "../runs/experiment.ts";
import { LockedError } from "../runs/lock.ts";
import { type ExperimentData, prepareData } from "../runs/experiment_data.ts";
import { predictWithRun, type Run } from "../runs/run_folder.ts";
import { type Images, pickSamples, take } from "../data/images.ts";
import { countLrDrops } from "../train/reduce_lr_on_plateau.ts";
import type { TrainCallbacks } from "../train/train.ts";
import { settingsToConfig, type SweepRow, type SweepSettings } from "./plan.ts";
import type { SweepCell } from "./cells.ts";
import { waitWhileLocked } from "./shard.ts";

/** What {@linkcode learnedCell} takes from the sweep's options. */
export interface LearnedCellOptions {
  /** Output root of the cached runs. @default "outputs" */
  out?: string;
  /** Status lines. */
  log: (line: string) => void;
  /** Progress displays of each training. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops the training after its current batch. */
  signal?: AbortSignal;
  /** Threads of the wasm kernels. */
  threads?: number;
  /**
   * Wait while another process trains the cell's model; otherwise return `"locked"`, so the
   * caller can compute another cell first. @default true
   */
  wait?: boolean;
}

/** One factor's data at a time: consecutive cells mostly share it. */
export function dataCache(settings: SweepSettings): (f: number) => Promise<ExperimentData> {
  let cached: { noise: number; data: ExperimentData } | undefined;
  return async (f) => {
    if (cached?.noise !== f) {
      cached = undefined; // let the previous factor's images go before loading the next
      cached = { noise: f, data: await prepareData(settingsToConfig(settings, { noise: f })) };
    }
    return cached.data;
  };
}

/** A cell's denoised test images (clipped to [0, 1]) and its timing and provenance columns. */
export interface CellOutput {
  output: Images;
  extra: Pick<
    SweepRow,
    | "train_seconds"
    | "denoise_seconds"
    | "epochs"
    | "final_lr"
    | "parameter"
    | "run"
    | "lr_drops"
  >;
}

/**
 * A learned cell: the run of its config (trained, resumed or reused through
 * {@linkcode ensureRun}, once per config) applied to the noisy test images. Undefined when
 * `signal` interrupted the training.
 */
export async function learnedCell(
  cell: SweepCell,
  data: ExperimentData,
  runs: Map<string, Run>,
  options: LearnedCellOptions,
): Promise<CellOutput | undefined | "locked"> {
  const { out = "outputs", log, callbacks = [], signal, threads, wait = true } = options;
  const key = JSON.stringify(cell.config);
  let run = runs.get(key);
  if (!run) {
    const train = () => ensureRun(cell.config!, { out, log, callbacks, signal, threads });
    try {
      // Another process may be training the same model: come back to this cell later, or,
      // with nothing else left to do, wait for it, then reuse its run.
      run = wait ? await waitWhileLocked(train, { signal, log }) : await train();
    } catch (e) {
      if (signal?.aborted) return undefined;
      if (e instanceof LockedError && !wait) return "locked";
      throw e;
    }
    runs.set(key, run);
  }
  const t0 = performance.now();
  const output = clip01(await predictWithRun(run, data.noisyTest));
  return {
    output,
    extra: {
      train_seconds: run.metrics.train_seconds,
      denoise_seconds: (performance.now() - t0) / 1000,
      epochs: run.metrics.epochs,
      final_lr: run.history.at(-1)?.lr ?? null,
      parameter: "",
      run: run.name,
      lr_drops: countLrDrops(run.history),
    },
  };
}

/**
 * The tuned filters' training images: the same seeded subset of `settings.tune` noisy
 * training images (and their clean originals) for every method at a factor.
 */
export function tuningImages(data: ExperimentData, settings: SweepSettings): TuningImages {
  const { dataset, noisyTrain } = data;
  const n = Math.min(settings.tune, dataset.train.count);
  const picks = pickSamples(dataset.train.count, n, settings.seed + 1);
  return { noisy: take(noisyTrain, picks), clean: take(dataset.train, picks) };
}

/** A classical cell: the method, tuned on noisy training images when it has a parameter. */
export function classicalCell(
  cell: SweepCell,
  data: ExperimentData,
  settings: SweepSettings,
): CellOutput {
  const t0 = performance.now();
  const method = DENOISERS[cell.method as ClassicalMethod];
  const denoiser = method.fit(
    method.tuned ? tuningImages(data, settings) : {
      noisy: data.noisyTrain,
      clean: data.dataset.train,
    },
  );
  const t1 = performance.now();
  const output = clip01(denoiser.apply(data.noisyTest));
  return {
    output,
    extra: {
      // Untuned methods (train_noise_factor null) have no training or tuning at all.
      train_seconds: cell.trainNoise === null ? 0 : (t1 - t0) / 1000,
      denoise_seconds: (performance.now() - t1) / 1000,
      epochs: 0,
      final_lr: null,
      parameter: denoiser.parameter,
      run: "",
      lr_drops: null,
    },
  };
}

/** Clips every pixel to [0, 1] in place and returns the images. */
function clip01(images: Images): Images {
  const d = images.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] < 0 ? 0 : d[i] > 1 ? 1 : d[i];
  return images;
}
