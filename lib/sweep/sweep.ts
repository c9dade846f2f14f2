/**
 * The noise sweep: every method at every noise factor, plus the rows that test the report's
 * claims, in `out/sweeps/NAME/` (docs/commands.md). A restart skips every cell with a valid row.
 *
 * @module
 */
import { join } from "node:path";
import { ensureFolder, pathExists, writeFileAtomic, writeJsonAtomic } from "../runs/atomic.ts";
import { kernelOptions } from "../kernels/kernel_options.ts";
import { type ExperimentConfig, validateConfig } from "../runs/config.ts";
import { InputError } from "../errors.ts";
import { runJobs, threadsPerJob } from "./jobs.ts";
import { logLine } from "../train/log.ts";
import { svgString } from "../figures/svg.ts";
import { sweepDir, type SweepRow, sweepSettings } from "./plan.ts";
import { defaultSweepName, refuseOtherSweep, sweepPlan, type SweepPlanInput } from "./identity.ts";
import { cellKey, planCells, type SweepCell } from "./cells.ts";
import { sweepChart } from "../figures/sweep_chart.ts";
import { allClaims, writeClaims } from "../claims/claims.ts";
import {
  COMPLETE_FILE,
  inShard,
  readSweepRows,
  readSweepSettings,
  type Shard,
  type SweepRecord,
  withSweepLock,
} from "./files.ts";
import type { TrainingOptions } from "../runs/experiment.ts";
import { savedConfig } from "../runs/identity.ts";
import { computeCells, dataCache } from "./compute.ts";

/** Options of {@linkcode runSweep} and {@linkcode ensureSweep}: its plan, then these. */
export interface SweepOptions extends SweepPlanInput, TrainingOptions {
  /** Base settings; the model's are the report's. @default DEFAULT_CONFIG, epochs 10 */
  config?: Partial<ExperimentConfig>;
  /** Noisy training images the classical filters are tuned on. @default 200 */
  tune?: number;
  /** Factor of the cross-noise model and the ablations. @default 0.5 */
  referenceNoise?: number;
  /** Epochs of claim 3's arms. @default the sweep's epochs */
  scheduleEpochs?: number;
  /** Sweep name (folder under `out/sweeps/`). @default defaultSweepName(settings, plan) */
  name?: string;
  /** Compute only this shard's cells. @default every cell */
  shard?: Shard;
  /** Processes computing the cells at once, sharing the threads. @default 1 */
  jobs?: number;
  /** Internal: one job of a parallel sweep, waiting silently for the cells siblings hold. */
  job?: boolean;
}

/** What {@linkcode runSweep} did, and the sweep's rows (also those of earlier invocations). */
export interface SweepResult extends Omit<SweepRecord, "complete"> {
  /** "partial": this call's cells are done, others' still missing; "interrupted": `signal`. */
  status: "complete" | "partial" | "interrupted";
  /** Cells computed by this call, and those of this shard an earlier call had finished. */
  computed: number;
  skipped: number;
  /** Cells in the whole plan. */
  cells: number;
}

/** The cells of `cells` that no row of `rows` holds. */
function withoutRow(cells: readonly SweepCell[], rows: readonly SweepRow[]): SweepCell[] {
  const done = new Set(rows.map(cellKey));
  return cells.filter((c) => !done.has(cellKey(c)));
}

/** Checks the stored identity, reads the valid rows and lists this shard's cells to compute. */
async function openSweep(options: SweepOptions, log: (line: string) => void) {
  const settings = sweepSettings(options.config ?? {}, options);
  const backend = validateConfig(options.config ?? {}).backend;
  const plan = sweepPlan(options, settings.noiseType);
  const name = options.name ?? defaultSweepName(settings, plan);
  const dir = sweepDir(name, options.out);
  const cells = planCells(settings, { ...plan, backend });
  const rows = await readSweepRows(dir, (why) => log(`sweep "${name}": ${why}`));
  refuseOtherSweep(await readSweepSettings(dir), rows.length, { settings, plan }, name);
  const mine = cells.filter((_, i) => inShard(i, options.shard));
  const todo = withoutRow(mine, rows);
  const skipped = mine.length - todo.length;
  if (skipped > 0) {
    log(
      `sweep "${name}": ${skipped} of ${mine.length} cells already finished, skipping them ` +
        `(their rows are in ${join(dir, "results.json")})`,
    );
  }
  return { settings, plan, backend, name, dir, cells, rows, todo, skipped };
}

/** An opened sweep: its identity, folder, finished rows and the cells still to compute. */
export type OpenSweep = Awaited<ReturnType<typeof openSweep>>;

/** Under the sweep lock: all rows, the charts, and once every cell is in, claims and marker. */
async function finishSweep(sweep: OpenSweep): Promise<boolean> {
  const { dir, cells, name, settings } = sweep;
  return await withSweepLock(dir, async () => {
    const rows = sweep.rows = await readSweepRows(dir);
    await writeFileAtomic(join(dir, "psnr.svg"), svgString(sweepChart(rows, { metric: "psnr" })));
    await writeFileAtomic(join(dir, "ssim.svg"), svgString(sweepChart(rows, { metric: "ssim" })));
    const complete = withoutRow(cells, rows).length === 0;
    if (complete) {
      await writeClaims({ dir, complete }, allClaims({ name, rows, settings }));
      const marker = { cells: cells.length, rows: rows.length, finished: new Date().toISOString() };
      await writeJsonAtomic(join(dir, COMPLETE_FILE), marker);
    }
    return complete;
  });
}

/** Runs (or resumes) a sweep; InputError when the named sweep exists with other settings. */
export async function runSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const log = options.log ?? logLine;
  const sweep = await openSweep(options, log);
  const { name, dir, cells, todo, skipped, settings } = sweep;
  const result = (status: SweepResult["status"], computed: number): SweepResult => {
    const { rows } = sweep;
    return { status, name, dir, settings, rows, computed, skipped, cells: cells.length };
  };
  if (withoutRow(cells, sweep.rows).length === 0 && (await pathExists(join(dir, COMPLETE_FILE)))) {
    log(`sweep "${name}" is complete: nothing to do`);
    return result("complete", 0);
  }
  let dataAt: ReturnType<typeof dataCache> | undefined = dataCache(settings);
  // Load the first cell's data before writing anything: a bad dataset or size leaves no folder.
  if (todo.length > 0) await dataAt(todo[0].noise_factor);
  await ensureFolder(dir);
  // sweep.json is written once; a shard started with other settings is refused here.
  await withSweepLock(dir, async () => {
    const stored = await readSweepSettings(dir);
    refuseOtherSweep(stored, (await readSweepRows(dir)).length, sweep, name);
    if (!stored) {
      await writeJsonAtomic(join(dir, "sweep.json"), savedConfig({ ...settings, ...sweep.plan }));
    }
    if (todo.length > 0) await Deno.remove(join(dir, COMPLETE_FILE)).catch(() => {});
  });
  const jobs = Math.min(options.jobs ?? 1, todo.length);
  let outcome: { interrupted: boolean; computed?: number };
  if (jobs > 1) {
    const { callbacks: _c, signal, log: _l, ...rest } = options;
    const threads = threadsPerJob(options.threads ?? kernelOptions().threads, jobs);
    log(`sweep "${name}": ${todo.length} cells in ${jobs} processes, ${threads} thread(s) each`);
    dataAt = undefined; // the jobs load their own
    outcome = await runJobs({ ...rest, name, threads }, jobs, { log, signal });
  } else {
    outcome = await computeCells(sweep, dataAt, { ...options, log });
  }
  const complete = !options.job && await finishSweep(sweep);
  const status = outcome.interrupted ? "interrupted" : complete ? "complete" : "partial";
  // The jobs computed the cells of this call that have a row now.
  return result(status, outcome.computed ?? todo.length - withoutRow(todo, sweep.rows).length);
}

/** The complete sweep `options` ask for, read back or run; InputError when left incomplete. */
export async function ensureSweep(options: SweepOptions = {}): Promise<SweepRecord> {
  const result = await runSweep(options);
  if (result.status !== "complete") {
    const why = result.status === "partial" ? "left incomplete by other processes" : "interrupted";
    throw new InputError(`sweep "${result.name}" was ${why}; run it again to resume`);
  }
  return { ...result, complete: true };
}
