/**
 * The noise sweep: every denoising method at every noise factor on the same seeded test
 * images, plus the rows that test the report's conclusion — the autoencoder trained at the
 * report's factor tested at every factor ("cross-noise"), and ablations of its dropout,
 * learning-rate schedule and latent size. Its folder:
 *
 * ```
 * outputs/sweeps/NAME/
 *   sweep.json     settings that fix every cell's result (written first; a restart must match)
 *   results.json   one row per finished cell, rewritten atomically after each cell
 *   results.csv    the same rows as CSV (per-class MSE as mse_class_0 … mse_class_9)
 *   psnr.svg       PSNR against noise factor, one line per method
 *   ssim.svg       SSIM against noise factor, one line per method
 *   summary.json, summary.csv   per cell over seeds: mean, SD and 95% t-interval
 *   per_image/     each cell's per-image MSE, PSNR and SSIM, with each image's class
 *   claims.md      the profile, then the claims' primary comparisons and verdicts, once complete
 *   complete       written last: the sweep counts as complete only once it exists
 *   .sweep.lock, .cell-HASH.lock   held while a process writes the files or computes a cell
 * ```
 *
 * A cell is one (dataset, noise type, method, variant, training noise factor, test noise
 * factor). A restart skips every cell already in `results.json`; learned models train
 * through {@linkcode ensureRun}, so each is a cached run folder under `outputs/runs/` and a
 * killed sweep resumes an interrupted training instead of redoing it. With `shard` (K/N) only
 * every N-th cell from offset K is computed; several processes may share one folder, each
 * claiming a cell before computing it and merging its rows under the sweep lock, and the
 * marker is written by whichever finds every planned cell done (lib/sweep/shard.ts).
 *
 * Scoring: each method's output on the test images is clipped to [0, 1] (DnCNN and the
 * wavelet filter can overshoot) and compared with the clean test images by MSE, mean
 * per-image PSNR and mean SSIM (lib/eval/metrics.ts). `train_seconds` is the run's time in
 * training batches for learned models, the tuning time for tuned filters (Gaussian σ,
 * non-local-means h and σ, or the wavelet threshold, each chosen for the lowest MSE on a
 * seeded subset of noisy training images at the cell's factor), and 0 otherwise.
 * `denoise_seconds` is the time to denoise all test images (a learned model: load and
 * predict), and `seconds_per_image` that time over the test images, so a slow method such as
 * BM3D shows its cost per image beside the others'.
 *
 * The cells are computed by lib/sweep/compute.ts (or, with `jobs`, by job processes:
 * lib/sweep/jobs.ts). The plan of cells is lib/sweep/plan.ts, the folder's files lib/sweep/files.ts, the chart
 * lib/figures/sweep_chart.ts and the claims tested on the rows lib/claims/claims.ts.
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
import type { ExperimentData } from "../runs/experiment_data.ts";
import { svgString } from "../figures/svg.ts";
import {
  cellKey,
  definedOnly,
  sweepDir,
  type SweepMethod,
  type SweepRow,
  type SweepSettings,
  sweepSettings,
} from "./plan.ts";
import { defaultSweepName, refuseOtherSweep, storedSweepIdentity, sweepPlan } from "./identity.ts";
import { planCells, rowKeyOf } from "./cells.ts";
import { sweepChart } from "../figures/sweep_chart.ts";
import { inShard, type Shard, withSweepLock } from "./shard.ts";
import { allClaims, claimsMarkdown } from "../claims/claims_summary.ts";
import {
  checkRows,
  COMPLETE_FILE,
  readSweep,
  readSweepRows,
  readSweepSettings,
  type SweepRecord,
} from "./files.ts";
import type { TrainCallbacks } from "../train/train.ts";
import { computeCells, type OpenSweep } from "./compute.ts";
import { dataCache } from "./cell_compute.ts";

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  /** Test (and training) noise factors. @default [0.1, 0.3, 0.5, 0.7, 0.9] */
  noise?: readonly number[];
  /** Methods; `noisy` is always added. @default ["ae", "dncnn", "gaussian", "median", "nlm", "bm3d"] */
  methods?: readonly SweepMethod[];
  /**
   * Base settings: `dataset`, `noiseType`, `noiseMean`, `epochs`, `train`, `test`, `batch`,
   * `seed` and `backend` are used; the model, noise factor, latent size, dropout and schedule
   * are the sweep's to set (the report's, changed only by the ablations).
   * @default DEFAULT_CONFIG with epochs DEFAULT_SWEEP_EPOCHS
   */
  config?: Partial<ExperimentConfig>;
  /** Noisy training images to tune the classical filters on (at most `train`). @default 200 */
  tune?: number;
  /** Factor of the cross-noise model and the ablations. @default 0.5 */
  referenceNoise?: number;
  /**
   * Epochs of claim 3's arms ("lr schedule", "no lr schedule"), long enough for
   * ReduceLROnPlateau to fire. @default the sweep's epochs
   */
  scheduleEpochs?: number;
  /** Add the ablation rows (when `ae` is among the methods). @default true */
  ablations?: boolean;
  /** Add the cross-noise rows (when `ae` is among the methods). @default true */
  cross?: boolean;
  /** Add claim 2's clean-trained control (with the cross-noise rows). @default true */
  control?: boolean;
  /**
   * Training seeds: every learned cell trains once per seed. Default: the claims' arms with
   * `DEFAULT_CLAIM_SEEDS` seeds from `config.seed`, the other learned cells with `config.seed`.
   */
  seeds?: readonly number[];
  /** Sweep name (folder under `out/sweeps/`). @default defaultSweepName(settings, plan) */
  name?: string;
  /** Output root: sweeps go under `out/sweeps/`, trained models under `out/runs/`. @default "outputs" */
  out?: string;
  /** Progress displays of each training. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops after the current cell (or training batch; its checkpoint is kept). */
  signal?: AbortSignal;
  /** Status lines. @default logLine (stderr, or a collapsed note in a notebook) */
  log?: (line: string) => void;
  /**
   * Threads of the wasm kernels (speed only: not part of any run's identity).
   * @default `THREADS`, else every core (see lib/kernels/kernel_options.ts)
   */
  threads?: number;
  /** Compute only this shard's cells (lib/sweep/shard.ts). @default every cell */
  shard?: Shard;
  /**
   * Processes computing the cells at once (lib/sweep/jobs.ts), each with `threads / jobs`
   * kernel threads (at least 1); 1 computes them here, one after another.
   * @default 1
   */
  jobs?: number;
  /** Internal: this process is one job of a parallel sweep (lib/sweep/sweep_job.ts). */
  job?: boolean;
}

/** What {@linkcode runSweep} did. */
export interface SweepResult {
  /**
   * "complete"; "partial" when this call did its cells but others (another shard's, or held
   * by another process) are still missing; "interrupted" when `signal` stopped it.
   */
  status: "complete" | "partial" | "interrupted";
  /** Sweep name. */
  name: string;
  /** Sweep folder. */
  dir: string;
  /** Every finished row (also those of earlier invocations), in canonical order. */
  rows: SweepRow[];
  /** Cells computed by this call. */
  computed: number;
  /** Cells skipped because an earlier call had finished them. */
  skipped: number;
  /** Cells in the whole plan (every shard). */
  cells: number;
}

/**
 * Validates the options, checks a stored sweep of that name has the same settings, reads its
 * finished rows and plans the cells still to compute. Writes nothing.
 */
async function openSweep(options: SweepOptions, log: (line: string) => void): Promise<OpenSweep> {
  const { out = "outputs" } = options;
  const settings = sweepSettings(options.config ?? {}, options);
  const backend = validateConfig(definedOnly(options.config ?? {})).backend;
  const plan = sweepPlan(options, settings.noiseType);
  const name = options.name ?? defaultSweepName(settings, plan);
  const dir = sweepDir(name, out);
  const stored = await readSweepSettings(dir);
  const all = await readSweepRows(dir, (why) => log(`sweep "${name}": ${why}`));
  refuseUnknownRows(stored, all, name, dir);
  refuseOtherSweep(stored, settings, plan, name, join(out, "sweeps"));
  const { rows, damaged } = await checkRows(dir, all);
  for (const { row, why } of damaged) {
    log(`sweep "${name}": the row of ${describeRow(row)} is damaged (${why}); computing it again`);
  }
  const done = new Set(rows.map(cellKey));
  const cells = planCells(settings, { ...plan, seeds: plan.seeds ?? undefined, backend });
  const mine = cells.filter((_, i) => inShard(i, options.shard));
  const todo = mine.filter((c) => !done.has(rowKeyOf(settings, c)));
  const skipped = mine.length - todo.length;
  if (skipped > 0) {
    log(
      `sweep "${name}": ${skipped} of ${mine.length} cells already finished, skipping them ` +
        `(their rows are in ${join(dir, "results.json")})`,
    );
  }
  return { settings, plan, backend, name, dir, stored: stored !== undefined, rows, cells, todo };
}

/** A stored row's cell in words, for log lines. */
function describeRow(r: SweepRow): string {
  const seed = typeof r.seed === "number" ? `, seed ${r.seed}` : "";
  return `${r.method}${r.variant ? ` (${r.variant})` : ""} at noise ${r.noise_factor}${seed}`;
}

/**
 * Throws {@linkcode InputError} when a sweep folder holds rows but no `sweep.json`: the
 * settings those rows were made with are unknown, so they are never counted as this sweep's.
 */
function refuseUnknownRows(
  stored: SweepSettings | undefined,
  rows: readonly SweepRow[],
  name: string,
  dir: string,
): void {
  if (!stored && rows.length > 0) {
    throw new InputError(
      `sweep "${name}" in ${dir} has ${rows.length} rows but no sweep.json, so their ` +
        `settings are unknown; delete its folder`,
    );
  }
}

/**
 * Under the sweep lock, re-reads every shard's rows into `sweep.rows`, writes the charts,
 * and the completion marker last when every planned cell has its row. Returns whether it did.
 */
async function finishSweep(sweep: OpenSweep): Promise<boolean> {
  const { dir, settings, cells, name } = sweep;
  return await withSweepLock(dir, async () => {
    const { rows } = await checkRows(dir, await readSweepRows(dir));
    sweep.rows = rows;
    await writeFileAtomic(join(dir, "psnr.svg"), svgString(sweepChart(rows, { metric: "psnr" })));
    await writeFileAtomic(join(dir, "ssim.svg"), svgString(sweepChart(rows, { metric: "ssim" })));
    const done = new Set(rows.map(cellKey));
    const complete = cells.every((c) => done.has(rowKeyOf(settings, c)));
    if (complete) {
      // The claims' verdicts, as notebook 6 shows them (lib/claims/claims.ts, lib/claims/verdict.ts).
      const claims = allClaims({ name, rows, settings });
      await writeFileAtomic(join(dir, "claims.md"), claimsMarkdown(claims));
      // Last: from here on the sweep counts as complete.
      await writeJsonAtomic(join(dir, COMPLETE_FILE), {
        cells: cells.length,
        rows: rows.length,
        finished: new Date().toISOString(),
      });
    }
    return complete;
  });
}

/**
 * Runs (or resumes) a sweep and writes its folder (see the module doc). Cells finished by
 * an earlier call are skipped and logged; every finished cell is saved at once, so a
 * killed sweep loses at most the cell it was computing (and a training resumes from its
 * last epoch). Throws {@linkcode InputError} when the named sweep exists with other settings.
 *
 * @example
 * ```ts ignore
 * import { assert } from "../_assert.ts";
 * import { runSweep } from "./sweep.ts";
 * const r = await runSweep({ noise: [0.3, 0.5], methods: ["median"], out: "/tmp/o" });
 * if (r.status !== "complete" || r.rows.length !== 4) throw new Error("unexpected");
 * ```
 */
export async function runSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const log = options.log ?? logLine;
  const sweep = await openSweep(options, log);
  const { name, dir, cells, todo, rows, settings } = sweep;
  const skipped = cells.filter((_, i) => inShard(i, options.shard)).length - todo.length;
  const done = new Set(rows.map(cellKey));
  const allDone = cells.every((c) => done.has(rowKeyOf(settings, c)));
  if (allDone && (await pathExists(join(dir, COMPLETE_FILE)))) {
    log(`sweep "${name}" is complete: nothing to do`);
    return { status: "complete", name, dir, rows, computed: 0, skipped, cells: cells.length };
  }
  let dataAt: ((f: number) => Promise<ExperimentData>) | undefined = dataCache(sweep.settings);
  // Load the first cell's data before writing anything: a bad dataset or size leaves no folder.
  if (todo.length > 0) await dataAt(todo[0].noise);
  await ensureFolder(dir);
  // sweep.json is written once; a shard started with other settings is refused here.
  await withSweepLock(dir, async () => {
    const stored = await readSweepSettings(dir);
    refuseUnknownRows(stored, await readSweepRows(dir), name, dir);
    refuseOtherSweep(stored, settings, sweep.plan, name, join(options.out ?? "outputs", "sweeps"));
    if (!stored) {
      await writeJsonAtomic(join(dir, "sweep.json"), storedSweepIdentity(settings, sweep.plan));
    }
    if (todo.length > 0) await Deno.remove(join(dir, COMPLETE_FILE)).catch(() => {});
  });
  const jobs = Math.min(options.jobs ?? 1, todo.length);
  let computed = 0;
  let interrupted = false;
  if (jobs > 1) {
    const { callbacks: _c, signal, log: _l, ...rest } = options;
    const threads = threadsPerJob(options.threads ?? kernelOptions().threads, jobs);
    log(`sweep "${name}": ${todo.length} cells in ${jobs} processes, ${threads} thread(s) each`);
    dataAt = undefined; // the jobs load their own
    ({ interrupted, computed } = await runJobs({ ...rest, name, threads }, jobs, { log, signal }));
  } else {
    ({ computed, interrupted } = await computeCells(sweep, skipped, dataAt, { ...options, log }));
  }
  const complete = options.job ? false : await finishSweep(sweep);
  const status = interrupted ? "interrupted" : complete ? "complete" : "partial";
  return { status, name, dir, rows: sweep.rows, computed, skipped, cells: cells.length };
}

/**
 * The complete sweep named by `options.name` (default: {@linkcode defaultSweepName}): read
 * back when it is complete, holds every planned row and has the requested settings, plan
 * and dataset files; else run, or resumed, through {@linkcode runSweep}. Throws
 * {@linkcode InputError} when interrupted, or naming the differences when the folder holds
 * a sweep with other settings.
 *
 * @example
 * ```ts ignore
 * import { assert } from "../_assert.ts";
 * import { ensureSweep } from "./sweep.ts";
 * const sweep = await ensureSweep({ noise: [0.5], methods: ["median"], out: "/tmp/o" });
 * assert(sweep.complete && sweep.rows.length === 2);
 * ```
 */
export async function ensureSweep(options: SweepOptions = {}): Promise<SweepRecord> {
  const log = options.log ?? logLine;
  const { out = "outputs" } = options;
  const settings = sweepSettings(options.config ?? {}, options);
  const plan = sweepPlan(options, settings.noiseType);
  const name = options.name ?? defaultSweepName(settings, plan);
  const existing = await readSweep(name, out);
  // A finished sweep is used only when it is the one asked for: same settings, plan and data.
  refuseOtherSweep(existing?.settings, settings, plan, name, join(out, "sweeps"));
  const done = new Set(existing?.rows.map(cellKey));
  const backend = validateConfig(definedOnly(options.config ?? {})).backend;
  const cells = planCells(settings, { ...plan, seeds: plan.seeds ?? undefined, backend });
  if (existing?.complete && cells.every((c) => done.has(rowKeyOf(settings, c)))) {
    log(`using the finished sweep "${name}" (${existing.rows.length} rows)`);
    return existing;
  }
  const result = await runSweep({ ...options, name, log });
  if (result.status !== "complete") {
    throw new InputError(
      `sweep "${name}" was ${
        result.status === "partial" ? "left incomplete by other processes" : "interrupted"
      }; run it again to resume`,
    );
  }
  return (await readSweep(name, out))!;
}
