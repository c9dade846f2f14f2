/**
 * Computing a sweep's cells in this process (lib/sweep/sweep.ts opens the sweep and decides
 * between this and parallel jobs, lib/sweep/jobs.ts): each cell claimed, its method run
 * (a learned model through its cached run, or a classical filter tuned on training images),
 * its output scored and its row merged into the sweep folder.
 *
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../runs/atomic.ts";
import { selectBackend } from "../train/backend.ts";
import type { ExperimentConfig } from "../runs/config.ts";
import { type ClassicalMethod, DENOISERS, type TuningImages } from "../denoisers/registry.ts";
import { LockedError } from "../runs/lock.ts";
import { ensureRun, type ExperimentData, imagesDigest, prepareData } from "../runs/experiment.ts";
import { predictWithRun, type Run } from "../runs/run_folder.ts";
import { type Images, pickSamples, take } from "../data/images.ts";
import { classMse, msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { countLrDrops } from "../train/reduce_lr_on_plateau.ts";
import { mean } from "../claims/stats.ts";
import {
  cellKey,
  perImageFile,
  type PerImageScores,
  settingsToConfig,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { cellFields, describeCell, rowKeyOf, type SweepCell } from "./cells.ts";
import { claimCell, describeShard, mergeSweepRows, waitWhileLocked } from "./shard.ts";
import { readSweepRows } from "./files.ts";
import type { SweepOptions } from "./sweep.ts";

/** An opened sweep: its settings, folder, finished rows and the cells still to compute. */
export interface OpenSweep {
  settings: SweepSettings;
  backend: ExperimentConfig["backend"];
  name: string;
  dir: string;
  /** Whether `sweep.json` already exists. */
  stored: boolean;
  rows: SweepRow[];
  cells: SweepCell[];
  todo: SweepCell[];
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
interface CellOutput {
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
async function learnedCell(
  cell: SweepCell,
  data: ExperimentData,
  runs: Map<string, Run>,
  options: SweepOptions & { log: (line: string) => void; wait: boolean },
): Promise<CellOutput | undefined | "locked"> {
  const { out = "outputs", log, callbacks = [], signal, threads } = options;
  const key = JSON.stringify(cell.config);
  let run = runs.get(key);
  if (!run) {
    const train = () => ensureRun(cell.config!, { out, log, callbacks, signal, threads });
    try {
      // Another process may be training the same model: come back to this cell later, or,
      // with nothing else left to do, wait for it, then reuse its run.
      run = options.wait ? await waitWhileLocked(train, { signal, log }) : await train();
    } catch (e) {
      if (signal?.aborted) return undefined;
      if (e instanceof LockedError && !options.wait) return "locked";
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
function tuningImages(data: ExperimentData, settings: SweepSettings): TuningImages {
  const { dataset, noisyTrain } = data;
  const n = Math.min(settings.tune, dataset.train.count);
  const picks = pickSamples(dataset.train.count, n, settings.seed + 1);
  return { noisy: take(noisyTrain, picks), clean: take(dataset.train, picks) };
}

/** A classical cell: the method, tuned on noisy training images when it has a parameter. */
function classicalCell(cell: SweepCell, data: ExperimentData, settings: SweepSettings): CellOutput {
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

/**
 * Scores a cell's output, writes its per-image scores, then adds its row and rewrites the
 * results files; returns the row.
 */
async function writeRow(
  sweep: OpenSweep,
  cell: SweepCell,
  data: ExperimentData,
  { output, extra }: CellOutput,
): Promise<SweepRow> {
  const { settings } = sweep;
  const clean = data.dataset.test;
  const [mses, psnrs, ssims] = [msePerImage, psnrPerImage, ssimPerImage].map((f) =>
    f(clean, output)
  );
  const round = (a: Float64Array) => Array.from(a, (x) => Number(x.toPrecision(7)));
  const scores: PerImageScores = {
    test_inputs_sha256: await imagesDigest(data.noisyTest),
    mse: round(mses),
    psnr: round(psnrs),
    ssim: round(ssims),
    labels: Array.from(clean.labels),
  };
  const fields = cellFields(settings, cell);
  const per_image = perImageFile(fields);
  // Before the row: a row never refers to a missing file.
  await Deno.mkdir(join(sweep.dir, "per_image"), { recursive: true });
  await writeJsonAtomic(join(sweep.dir, per_image), scores);
  const row: SweepRow = {
    ...fields,
    mse: mean(mses),
    psnr: mean(psnrs),
    ssim: mean(ssims),
    ...extra,
    seconds_per_image: extra.denoise_seconds / clean.count,
    train_images: settings.train,
    test_images: settings.test,
    class_mse: classMse(clean, output),
    test_inputs_sha256: scores.test_inputs_sha256,
    per_image,
  };
  // Other shards may have added rows meanwhile: merge under the sweep lock.
  sweep.rows = await mergeSweepRows(sweep.dir, [row]);
  return row;
}

/**
 * Computes the cells of `sweep.todo` in this process, one after another, skipping those
 * another process holds or has finished. A learned cell whose model another process is
 * training is put back at the end of the queue, and waited for only when nothing else is left.
 */
export async function computeCells(
  sweep: OpenSweep,
  skipped: number,
  dataAt: (f: number) => Promise<ExperimentData>,
  options: SweepOptions & { log: (line: string) => void },
): Promise<{ computed: number; interrupted: boolean }> {
  const { name, dir, todo, settings } = sweep;
  const { log } = options;
  if (todo.some((c) => c.config)) {
    await selectBackend(sweep.backend, { log, threads: options.threads });
  }
  const runs = new Map<string, Run>();
  const where = options.shard ? ` ${describeShard(options.shard)}` : "";
  const queue = [...todo];
  const deferred = new Set<SweepCell>();
  let computed = 0;
  for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
    if (options.signal?.aborted) return { computed, interrupted: true };
    const key = rowKeyOf(settings, cell);
    // A job of a parallel sweep skips the cells its siblings hold without a word.
    using claim = await claimCell(dir, key, options.job ? () => {} : log);
    // Skip a cell another process holds, or finished after this one opened the sweep.
    if (!claim || (await readSweepRows(dir)).some((r) => cellKey(r) === key)) continue;
    const data = await dataAt(cell.noise);
    const wait = queue.every((c) => deferred.has(c));
    if (!deferred.has(cell) || wait) {
      const position = `(${skipped + todo.indexOf(cell) + 1}/${skipped + todo.length})`;
      log(`sweep "${name}"${where}: ${describeCell(cell)} ${position}`);
    }
    const result = cell.config
      ? await learnedCell(cell, data, runs, { ...options, wait })
      : classicalCell(cell, data, settings);
    if (result === "locked") {
      deferred.add(cell);
      queue.push(cell);
      continue;
    }
    if (!result) return { computed, interrupted: true };
    const row = await writeRow(sweep, cell, data, result);
    computed++;
    log(`  psnr ${row.psnr.toFixed(2)} dB  ssim ${row.ssim.toFixed(3)}  mse ${row.mse.toFixed(5)}`);
  }
  return { computed, interrupted: false };
}

/** Clips every pixel to [0, 1] in place and returns the images. */
function clip01(images: Images): Images {
  const d = images.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] < 0 ? 0 : d[i] > 1 ? 1 : d[i];
  return images;
}
