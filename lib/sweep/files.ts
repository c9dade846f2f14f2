/**
 * A sweep folder's files (see lib/sweep/sweep.ts for the layout): its rows as JSON and CSV, the
 * completion marker, and reading a sweep back.
 *
 * @module
 */
import { join } from "node:path";
import { pathExists, writeFileAtomic, writeJsonAtomic } from "../runs/atomic.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { readJsonFile } from "../runs/run_io.ts";
import {
  compareRows,
  LEARNED_METHODS,
  type PerImageScores,
  sweepDir,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { summarizeRows, summaryCsv } from "./summary.ts";

/** File of the completion marker; the sweep is complete only once it exists. */
export const COMPLETE_FILE = "complete";

/** CSV columns, in order; `class_mse` expands to `mse_class_0` … */
const CSV_COLUMNS: readonly (keyof SweepRow)[] = [
  "dataset",
  "noise_type",
  "method",
  "variant",
  "train_noise_factor",
  "noise_factor",
  "seed",
  "mse",
  "psnr",
  "ssim",
  "train_seconds",
  "denoise_seconds",
  "seconds_per_image",
  "epochs",
  "final_lr",
  "lr_drops",
  "parameter",
  "run",
  "train_images",
  "test_images",
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV: one header line, then one line per row; null or NaN cells are empty.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { sweepCsv } from "./files.ts";
 * assert(sweepCsv([]).startsWith("dataset,noise_type,method,variant,"));
 * ```
 */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const classes = Math.max(0, ...rows.map((r) => r.class_mse.length));
  const header = [...CSV_COLUMNS, ...Array.from({ length: classes }, (_, c) => `mse_class_${c}`)];
  const lines = [header.join(",")];
  for (const r of rows) {
    const cells = CSV_COLUMNS.map((c) => csvCell(r[c]));
    for (let c = 0; c < classes; c++) cells.push(csvCell(r.class_mse[c]));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

/**
 * Writes `results.json` and `results.csv` atomically, each a complete table of `rows`, then
 * their summary over seeds, `summary.json` and `summary.csv` (see lib/sweep/summary.ts).
 */
export async function writeSweepRows(dir: string, rows: readonly SweepRow[]): Promise<void> {
  await writeJsonAtomic(join(dir, "results.json"), rows);
  await writeFileAtomic(join(dir, "results.csv"), sweepCsv(rows));
  const summary = summarizeRows(rows);
  await writeJsonAtomic(join(dir, "summary.json"), summary);
  await writeFileAtomic(join(dir, "summary.csv"), summaryCsv(summary));
}

/**
 * The per-image scores of `rows` (their `per_image` files), keyed by that path; rows without
 * one (older sweeps) are left out. Throws when a file a row names is missing.
 */
export async function readPerImage(
  dir: string,
  rows: readonly SweepRow[],
): Promise<Map<string, PerImageScores>> {
  const out = new Map<string, PerImageScores>();
  for (const r of rows) {
    if (!r.per_image || out.has(r.per_image)) continue;
    const scores = await readJsonFile<PerImageScores>(join(dir, r.per_image));
    if (!scores) throw new Error(`${join(dir, r.per_image)} is missing`);
    out.set(r.per_image, scores);
  }
  return out;
}

/**
 * A sweep folder's stored settings (`sweep.json`), or undefined when there is none. A file
 * from before the seeds were split (no `dataSeed`) is read as it was meant, as
 * `storedConfig` reads a run's: the one seed drew the data, the test set validated, and
 * `"mnist"` was the 10,000 embedded digits (now `"mnist10k"`).
 */
export async function readSweepSettings(dir: string): Promise<SweepSettings | undefined> {
  const read = await readJsonFile<SweepSettings>(join(dir, "sweep.json"));
  // Sweeps from before claim 3's arms had their own epochs trained them `epochs` epochs.
  const stored = read && { ...read, scheduleEpochs: read.scheduleEpochs ?? read.epochs };
  if (!stored || stored.dataSeed !== undefined) return stored;
  return {
    ...stored,
    dataset: legacyDataset(stored.dataset),
    dataSeed: stored.seed,
    validation: "test",
    validationSplit: DEFAULT_CONFIG.validationSplit,
  };
}

function legacyDataset(dataset: string): string {
  return dataset === "mnist" ? "mnist10k" : dataset;
}

/** A sweep folder's finished rows (`results.json`), in canonical order; [] when none. */
export async function readSweepRows(dir: string): Promise<SweepRow[]> {
  const rows = (await readJsonFile<Partial<SweepRow>[]>(join(dir, "results.json"))) ?? [];
  const stored = await readJsonFile<Partial<SweepSettings>>(join(dir, "sweep.json"));
  // Rows of a sweep from before the seed split name "mnist" for what is now "mnist10k".
  const legacy = stored !== undefined && stored.dataSeed === undefined;
  return rows.map((r): SweepRow => ({
    // Rows written before these columns existed: one seed, the sweep's; no per-image file.
    ...r as SweepRow,
    seed: r.seed !== undefined
      ? r.seed
      : LEARNED_METHODS.includes(r.method!)
      ? stored?.seed ?? 0
      : null,
    lr_drops: r.lr_drops ?? null,
    test_inputs_sha256: r.test_inputs_sha256 ?? "",
    per_image: r.per_image ?? "",
    // Rows written before the column existed: the same quotient.
    seconds_per_image: r.seconds_per_image ?? r.denoise_seconds! / r.test_images!,
    dataset: legacy ? legacyDataset(r.dataset!) : r.dataset!,
  })).sort(compareRows);
}

/** A sweep read back from its folder. */
export interface SweepRecord {
  /** Sweep name. */
  name: string;
  /** Sweep folder. */
  dir: string;
  /** Its settings. */
  settings: SweepSettings;
  /** Its rows, in canonical order. */
  rows: SweepRow[];
  /** Whether the `complete` marker exists. */
  complete: boolean;
  /** Per-image scores of the rows, keyed by their `per_image` path. */
  perImage: Map<string, PerImageScores>;
}

/**
 * Reads a sweep's settings and rows; undefined when there is no such sweep. Throws
 * {@linkcode InputError} when its files are unreadable.
 */
export async function readSweep(name: string, out = "outputs"): Promise<SweepRecord | undefined> {
  const dir = sweepDir(name, out);
  const settings = await readSweepSettings(dir);
  if (!settings) return undefined;
  const rows = await readSweepRows(dir);
  const complete = await pathExists(join(dir, COMPLETE_FILE));
  return { name, dir, settings, rows, complete, perImage: await readPerImage(dir, rows) };
}
