/**
 * Computing a sweep's cells in this process: each cell claimed, run, clipped to [0, 1], scored
 * and merged into the sweep folder.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../runs/atomic.ts";
import { selectBackend } from "../train/backend.ts";
import { type ExperimentData, prepareData } from "../runs/experiment_data.ts";
import { ensureRun } from "../runs/experiment.ts";
import { validateConfig } from "../runs/config.ts";
import { LockedError, waitWhileLocked } from "../runs/lock.ts";
import { findCompleteRun, predictWithRun, type Run } from "../runs/run_folder.ts";
import { type Images, imagesDigest, pickSamples, take } from "../data/images.ts";
import { classicalDenoiser, type ClassicalMethod } from "../denoisers/registry.ts";
import { classMse, msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { clipUnit } from "../eval/typicality_control.ts";
import { sha256Hex } from "../model/model_io.ts";
import { mean } from "../claims/stats.ts";
import { countLrDrops } from "../train/reduce_lr_on_plateau.ts";
import { isCorrected, type PerImageScores, type SweepRow, type SweepSettings } from "./plan.ts";
import { cellKey, describeCell, perImageFile, type SweepCell } from "./cells.ts";
import { claimCell, describeShard, mergeSweepRows, readSweepRows } from "./files.ts";
import type { OpenSweep, SweepOptions } from "./sweep.ts";

/** The sweep's options, with the log it writes to. */
type ComputeOptions = SweepOptions & { log: (line: string) => void };

/** One factor's data at a time: consecutive cells mostly share it. */
export function dataCache(settings: SweepSettings): (f: number) => Promise<ExperimentData> {
  let cached: { noise: number; data: ExperimentData } | undefined;
  return async (f) => {
    if (cached?.noise !== f) {
      cached = undefined; // let the previous factor's images go before loading the next
      cached = { noise: f, data: await prepareData(validateConfig({ ...settings, noise: f })) };
    }
    return cached.data;
  };
}

/** The filters' training images: the same seeded subset of `settings.tune` for every method. */
export function tuningImages(data: ExperimentData, settings: SweepSettings) {
  const { count } = data.dataset.train;
  const picks = pickSamples(count, Math.min(settings.tune, count), settings.seed + 1);
  return { noisy: take(data.noisyTrain, picks), clean: take(data.dataset.train, picks) };
}

/** A cell's denoised test images (clipped to [0, 1]) and its timing and provenance columns. */
type CellOutput =
  & { output: Images }
  & Pick<
    SweepRow,
    "train_seconds" | "denoise_seconds" | "epochs" | "final_lr" | "parameter" | "run" | "lr_drops"
  >;

/** A learned cell, trained (or read back) through `ensureRun`; undefined if `signal` aborted. */
async function learnedCell(
  cell: SweepCell,
  data: ExperimentData,
  runs: Map<string, Run>,
  options: ComputeOptions,
): Promise<CellOutput | undefined> {
  const { out, log, callbacks = [], signal, threads } = options;
  // Cells of one model at other test factors reuse it as loaded, without reading it again.
  const key = JSON.stringify(cell.config);
  let run = runs.get(key);
  if (!run && cell.config!.lrSchedule === false) {
    // A schedule that never lowered the rate trained exactly as a fixed rate does (same
    // seeds, batches and steps: identical weights), so the fixed-rate arm reuses that run.
    const twin = await findCompleteRun({ ...cell.config!, lrSchedule: true }, out);
    if (twin && countLrDrops(twin.history) === 0) {
      log(`fixed rate: the schedule of "${twin.name}" never fired, so its run is the same`);
      run = twin;
    }
  }
  try {
    // ensureRun waits while another process trains the model, then reads it back.
    run ??= await ensureRun(cell.config!, { out, log, callbacks, signal, threads });
  } catch (e) {
    if (signal?.aborted) return undefined;
    throw e;
  }
  runs.set(key, run);
  const t0 = performance.now();
  const output = clipUnit(await predictWithRun(run, data.noisyTest));
  return {
    output,
    train_seconds: run.metrics.train_seconds,
    denoise_seconds: (performance.now() - t0) / 1000,
    epochs: run.metrics.epochs,
    final_lr: run.history.at(-1)?.lr ?? null,
    parameter: "",
    run: run.name,
    lr_drops: countLrDrops(run.history),
  };
}

/** A classical cell: the filter, tuned and bias-corrected on the tuning images (not `noisy`). */
function classicalCell(cell: SweepCell, data: ExperimentData, settings: SweepSettings): CellOutput {
  const t0 = performance.now();
  const method = cell.method as ClassicalMethod;
  const fitted = classicalDenoiser(method, { biasCorrection: isCorrected(method) })
    .fit(tuningImages(data, settings));
  const t1 = performance.now();
  const output = clipUnit(fitted.apply(data.noisyTest));
  return {
    output,
    train_seconds: cell.train_noise_factor === null ? 0 : (t1 - t0) / 1000,
    denoise_seconds: (performance.now() - t1) / 1000,
    epochs: 0,
    final_lr: null,
    parameter: fitted.parameter,
    run: "",
    lr_drops: null,
  };
}

/** Scores a cell's output, writes its per-image scores, then merges its row. */
async function writeRow(
  sweep: OpenSweep,
  cell: SweepCell,
  data: ExperimentData,
  { output, ...extra }: CellOutput,
): Promise<SweepRow> {
  const clean = data.dataset.test;
  const [mses, psnrs, ssims] = [msePerImage, psnrPerImage, ssimPerImage].map((f) =>
    f(clean, output)
  );
  const round = (a: Float64Array) => Array.from(a, (x) => Number(x.toPrecision(7)));
  const scores: PerImageScores = {
    test_inputs_sha256: imagesDigest(data.noisyTest),
    mse: round(mses),
    psnr: round(psnrs),
    ssim: round(ssims),
    labels: Array.from(clean.labels),
  };
  const { config: _, ...fields } = cell;
  const per_image = perImageFile(fields);
  const text = new TextEncoder().encode(JSON.stringify(scores, null, 2) + "\n");
  // Before the row: a row never refers to a missing file; its digest goes with the row.
  await Deno.mkdir(join(sweep.dir, "per_image"), { recursive: true });
  await writeFileAtomic(join(sweep.dir, per_image), text);
  const row: SweepRow = {
    ...fields,
    mse: mean(mses),
    psnr: mean(psnrs),
    ssim: mean(ssims),
    ...extra,
    seconds_per_image: extra.denoise_seconds / clean.count,
    train_images: sweep.settings.train,
    test_images: sweep.settings.test,
    class_mse: classMse(clean, output),
    test_inputs_sha256: scores.test_inputs_sha256,
    per_image,
    per_image_sha256: await sha256Hex(text),
  };
  sweep.rows = await mergeSweepRows(sweep.dir, [row]);
  return row;
}

/**
 * Computes `sweep.todo`, skipping cells another process finished. A cell another process holds
 * goes back in the queue, and is waited for once nothing else is left: a job that outlived a
 * killed sweep frees its cell when it exits.
 */
export async function computeCells(
  sweep: OpenSweep,
  dataAt: (f: number) => Promise<ExperimentData>,
  options: ComputeOptions,
): Promise<{ computed: number; interrupted: boolean }> {
  const { name, dir, todo, settings, skipped } = sweep;
  const { log, threads, signal } = options;
  if (todo.some((c) => c.config)) await selectBackend(sweep.backend, { log, threads });
  const where = options.shard ? ` ${describeShard(options.shard)}` : "";
  const queue = [...todo];
  const held = new Set<SweepCell>();
  const runs = new Map<string, Run>();
  let computed = 0;
  for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
    if (signal?.aborted) return { computed, interrupted: true };
    const key = cellKey(cell);
    const claim = () => claimCell(dir, key);
    let lock;
    try {
      const wait = queue.every((c) => held.has(c));
      lock = wait
        ? await waitWhileLocked(claim, { signal, log: options.job ? undefined : log })
        : await claim();
    } catch (e) {
      if (!(e instanceof LockedError)) throw e;
      held.add(cell);
      queue.push(cell);
      continue;
    }
    using _claim = lock;
    if ((await readSweepRows(dir, undefined, key)).length > 0) continue; // another finished it
    const data = await dataAt(cell.noise_factor);
    const position = `(${skipped + todo.indexOf(cell) + 1}/${skipped + todo.length})`;
    log(`sweep "${name}"${where}: ${describeCell(cell)} ${position}`);
    const result = cell.config
      ? await learnedCell(cell, data, runs, options)
      : classicalCell(cell, data, settings);
    if (!result) return { computed, interrupted: true };
    const row = await writeRow(sweep, cell, data, result);
    computed++;
    log(`  psnr ${row.psnr.toFixed(2)} dB  ssim ${row.ssim.toFixed(3)}  mse ${row.mse.toFixed(5)}`);
  }
  return { computed, interrupted: false };
}
