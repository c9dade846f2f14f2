/**
 * A sweep folder's files: its rows as JSON and CSV with their summary over training seeds (mean,
 * sample SD and 95% t-interval), validated on read. Shards, jobs and reruns write one folder at
 * once: a cell is claimed with a lock on `.cell-HASH.lock`; the shared files are written under
 * `.sweep.lock`, merging rows by key.
 *
 * @module
 */
import { basename, join } from "node:path";
import { InputError } from "../errors.ts";
import { acquireLock, type FileLock, waitWhileLocked } from "../runs/lock.ts";
import { pathExists, readJsonFile, writeFileAtomic, writeJsonAtomic } from "../runs/atomic.ts";
import { sha256Hex } from "../model/model_io.ts";
import {
  compareRows,
  type PerImageScores,
  sweepDir,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { mean, sampleSd, tInterval } from "../claims/stats.ts";
import { cellKey, describeCell, KEY_COLUMNS } from "./cells.ts";

/** File of the completion marker; the sweep is complete only once it exists. */
export const COMPLETE_FILE = "complete";

/** CSV columns, in order; `class_mse` expands to `mse_class_0` … */
const CSV_COLUMNS: readonly (keyof SweepRow)[] = [
  ...KEY_COLUMNS,
  ...["mse", "psnr", "ssim", "train_seconds", "denoise_seconds", "seconds_per_image"] as const,
  ...["epochs", "final_lr", "lr_drops", "parameter", "run", "train_images", "test_images"] as const,
];

/** Rows as CSV: one header line, then one line per row. */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const classes = [...Array(Math.max(0, ...rows.map((r) => r.class_mse.length))).keys()];
  return csv(
    [...CSV_COLUMNS, ...classes.map((c) => `mse_class_${c}`)],
    rows.map((r) => [...CSV_COLUMNS.map((c) => r[c]), ...classes.map((c) => r.class_mse[c])]),
  );
}

/** Mean, SD and 95% t-interval of one metric over seeds (SD and interval NaN for one seed). */
export type MetricSummary = Record<"mean" | "sd" | "low" | "high", number>;

/** The columns that tell summarised cells apart (seeds aside). */
const CELL_COLUMNS = ["method", "variant", "train_noise_factor", "noise_factor"] as const;

/** One summarised cell: its columns, as in its rows, and its rows over seeds. */
export interface SummaryRow extends Pick<SweepRow, (typeof CELL_COLUMNS)[number]> {
  /** Rows (seeds) summarised. */
  n: number;
  /** Their training seeds (empty for classical methods). */
  seeds: number[];
  mse: MetricSummary;
  /** dB. */
  psnr: MetricSummary;
  ssim: MetricSummary;
}

function summarize(values: number[]): MetricSummary {
  const i = tInterval(values);
  return { mean: mean(values), sd: sampleSd(values), low: i?.low ?? NaN, high: i?.high ?? NaN };
}

/** Summarises each cell's rows over its seeds, in canonical row order. */
export function summarizeRows(rows: readonly SweepRow[]): SummaryRow[] {
  const key = (r: SweepRow) => JSON.stringify(CELL_COLUMNS.map((c) => r[c]));
  const groups = Map.groupBy([...rows].sort(compareRows), key);
  return [...groups.values()].map((g) => ({
    method: g[0].method,
    variant: g[0].variant,
    train_noise_factor: g[0].train_noise_factor,
    noise_factor: g[0].noise_factor,
    n: g.length,
    seeds: g.flatMap((r) => (r.seed === null ? [] : [r.seed])),
    mse: summarize(g.map((r) => r.mse)),
    psnr: summarize(g.map((r) => r.psnr)),
    ssim: summarize(g.map((r) => r.ssim)),
  }));
}

/** The summary as CSV: one line per cell; `mse_mean, mse_sd, mse_low, mse_high`, … */
export function summaryCsv(summary: readonly SummaryRow[]): string {
  const stats = (["mse", "psnr", "ssim"] as const).flatMap((m) =>
    (["mean", "sd", "low", "high"] as const).map((s) => [m, s] as const)
  );
  const line = (r: SummaryRow) => [
    ...CELL_COLUMNS.map((c) => r[c]),
    r.n,
    r.seeds.join(";"),
    ...stats.map(([m, s]) => r[m][s]),
  ];
  const header = [...CELL_COLUMNS, "n", "seeds", ...stats.map(([m, s]) => `${m}_${s}`)];
  return csv(header, summary.map(line), /[",\n ]/);
}

/** CSV text: null, undefined and NaN cells are empty; `quote` matches what makes a cell quoted. */
export function csv(header: readonly string[], rows: unknown[][], quote = /[",\n]/): string {
  const cell = (v: unknown) => {
    const empty = v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));
    const s = empty ? "" : String(v);
    return quote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n";
}

/** Writes `results.json`, `results.csv`, `summary.json` and `summary.csv` atomically. */
export async function writeSweepRows(dir: string, rows: readonly SweepRow[]): Promise<void> {
  await writeJsonAtomic(join(dir, "results.json"), rows);
  await writeFileAtomic(join(dir, "results.csv"), sweepCsv(rows));
  const summary = summarizeRows(rows);
  await writeJsonAtomic(join(dir, "summary.json"), summary);
  await writeFileAtomic(join(dir, "summary.csv"), summaryCsv(summary));
}

/** What is wrong with a row and its per-image file, or undefined. */
async function checkRow(dir: string, r: SweepRow): Promise<string | undefined> {
  for (const k of ["dataset", "noise_type", "method", "variant", "per_image"] as const) {
    if (typeof r[k] !== "string") return `its ${k} is not text`;
  }
  for (const k of ["noise_factor", "mse", "psnr", "ssim"] as const) {
    if (!Number.isFinite(r[k]) && !(k === "psnr" && r[k] === null)) {
      return `its ${k} is not a number`;
    }
  }
  const file = `its per-image file ${r.per_image}`;
  const bytes = await Deno.readFile(join(dir, r.per_image)).catch(() => null);
  if (!bytes) return `${file} is missing`;
  if (await sha256Hex(bytes) !== r.per_image_sha256) return `${file} does not match its SHA-256`;
  // Its digest matched: it is the file written with the row, JSON.
  const scores: PerImageScores = JSON.parse(new TextDecoder().decode(bytes));
  for (const k of ["mse", "psnr", "ssim", "labels"] as const) {
    if (!Array.isArray(scores?.[k]) || scores[k].length !== r.test_images) {
      return `its per-image ${k} does not list ${r.test_images} test images`;
    }
  }
  if (scores.test_inputs_sha256 !== r.test_inputs_sha256) return `${file} scored other test images`;
}

/** A sweep folder's stored identity (`sweep.json`: settings and plan), or undefined. */
export async function readSweepSettings(dir: string): Promise<SweepSettings | undefined> {
  return await readJsonFile<SweepSettings>(join(dir, "sweep.json"));
}

/**
 * A sweep folder's valid rows (`results.json`), in canonical order; [] when none. What is not a
 * list of rows counts as no rows, a damaged row as none, and `onDamaged` is told why. With
 * `key`, only the row of that cell is checked and returned.
 */
export async function readSweepRows(
  dir: string,
  onDamaged: (why: string) => void = () => {},
  key?: string,
): Promise<SweepRow[]> {
  const path = join(dir, "results.json");
  const read = await readJsonFile<unknown>(path).catch(() => ({}));
  if (read !== undefined && !Array.isArray(read)) {
    onDamaged(`${path} is not a list of rows; its cells are computed again`);
  }
  const rows: SweepRow[] = [];
  for (const r of Array.isArray(read) ? read : []) {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      onDamaged(`${path} holds an entry that is not a row; left out`);
      continue;
    }
    if (key !== undefined && cellKey(r) !== key) continue;
    const why = await checkRow(dir, r);
    if (why) onDamaged(`the row of ${describeCell(r)} is damaged (${why}); computing it again`);
    else rows.push(r);
  }
  return rows.sort(compareRows);
}

/** A sweep read back from its folder. */
export interface SweepRecord {
  name: string;
  dir: string;
  settings: SweepSettings;
  /** Its valid rows, in canonical order. */
  rows: SweepRow[];
  /** Whether the `complete` marker exists and no row is damaged. */
  complete: boolean;
}

/** Reads a sweep's settings and valid rows; undefined when there is no such sweep. */
export async function readSweep(name: string, out = "outputs"): Promise<SweepRecord | undefined> {
  const dir = sweepDir(name, out);
  const settings = await readSweepSettings(dir);
  if (!settings) return undefined;
  let intact = true;
  const rows = await readSweepRows(dir, () => intact = false);
  // A damaged row makes the sweep incomplete: running it again recomputes that cell.
  const complete = intact && await pathExists(join(dir, COMPLETE_FILE));
  return { name, dir, settings, rows, complete };
}

/** One shard of a sweep: the cells at plan positions `index`, `index + count`, … */
export interface Shard {
  /** Offset K, 0 ≤ K < N. */
  index: number;
  /** N ≥ 1. */
  count: number;
}

/** File of the sweep lock, in the sweep folder. */
export const SWEEP_LOCK_FILE = ".sweep.lock";

/** Parses `K/N` (whole numbers, 0 ≤ K < N); otherwise a one-line InputError naming `label`. */
export function parseShard(text: string, label = "shard"): Shard {
  const [, index, count] = (/^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text) ?? []).map(Number);
  if (!(index < count)) {
    throw new InputError(
      `${label} must be K/N with whole numbers 0 ≤ K < N, e.g. 0/4 (got "${text}")`,
    );
  }
  return { index, count };
}

/** Whether the cell at plan position `position` belongs to `shard` (all do without one). */
export function inShard(position: number, shard?: Shard): boolean {
  return shard === undefined || position % shard.count === shard.index;
}

/** `shard` in words for log lines: "shard 1/4", or "" for the whole sweep. */
export function describeShard(shard?: Shard): string {
  return shard ? `shard ${shard.index}/${shard.count}` : "";
}

/** Runs `write` holding the sweep lock of folder `dir` (which must exist), waiting for it. */
export async function withSweepLock<T>(dir: string, write: () => Promise<T>): Promise<T> {
  const lock = () => acquireLock(join(dir, SWEEP_LOCK_FILE), `sweep "${basename(dir)}"`);
  using _lock = await waitWhileLocked(lock);
  return await write();
}

/** Claims cell `key` of the sweep in `dir`: the held lock; a LockedError while another has it. */
export async function claimCell(dir: string, key: string): Promise<FileLock> {
  const hash = (await sha256Hex(new TextEncoder().encode(key))).slice(0, 16);
  return await acquireLock(join(dir, `.cell-${hash}.lock`), `cell ${key}`);
}

/** Merges `rows` into the result files under the sweep lock, by cell key; returns every row. */
export async function mergeSweepRows(dir: string, rows: readonly SweepRow[]): Promise<SweepRow[]> {
  return await withSweepLock(dir, async () => {
    const mine = new Set(rows.map(cellKey));
    const kept = (await readSweepRows(dir)).filter((r) => !mine.has(cellKey(r)));
    const merged = [...kept, ...rows].sort(compareRows);
    await writeSweepRows(dir, merged);
    return merged;
  });
}
