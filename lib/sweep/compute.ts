/**
 * Computing a sweep's cells in this process (lib/sweep/sweep.ts opens the sweep and decides
 * between this and parallel jobs, lib/sweep/jobs.ts): each cell claimed, its method run
 * (a learned model through its cached run, or a classical filter tuned on training images),
 * its output scored and its row merged into the sweep folder.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../runs/atomic.ts";
import { selectBackend } from "../train/backend.ts";
import type { ExperimentConfig } from "../runs/config.ts";
import type { ExperimentData } from "../runs/experiment_data.ts";
import type { Run } from "../runs/run_folder.ts";
import { imagesDigest } from "../data/images.ts";
import { classMse, msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { sha256Hex } from "../model/model_io.ts";
import { mean } from "../claims/stats.ts";
import {
  cellKey,
  perImageFile,
  type PerImageScores,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { cellFields, describeCell, rowKeyOf, type SweepCell } from "./cells.ts";
import { claimCell, describeShard, mergeSweepRows } from "./shard.ts";
import { checkRows, readSweepRows } from "./files.ts";
import type { SweepPlan } from "./identity.ts";
import { type CellOutput, classicalCell, learnedCell } from "./cell_compute.ts";
import type { SweepOptions } from "./sweep.ts";

/** An opened sweep: its settings, folder, finished rows and the cells still to compute. */
export interface OpenSweep {
  settings: SweepSettings;
  plan: SweepPlan;
  backend: ExperimentConfig["backend"];
  name: string;
  dir: string;
  /** Whether `sweep.json` already exists. */
  stored: boolean;
  rows: SweepRow[];
  cells: SweepCell[];
  todo: SweepCell[];
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
    train_images: settings.train,
    test_images: settings.test,
    class_mse: classMse(clean, output),
    test_inputs_sha256: scores.test_inputs_sha256,
    per_image,
    per_image_sha256: await sha256Hex(text),
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
    if (
      !claim ||
      (await checkRows(dir, await readSweepRows(dir))).rows.some((r) => cellKey(r) === key)
    ) continue;
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
