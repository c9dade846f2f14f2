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
import { sha256Hex } from "../model/model_io.ts";
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

/** A row that failed {@linkcode checkRows}, and why. */
export interface DamagedRow {
  /** The row as read. */
  row: SweepRow;
  /** What is wrong, in words. */
  why: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);

/** What is wrong with a row's own fields, or "" when nothing. */
function rowShapeProblem(r: SweepRow): string {
  const strings = ["dataset", "noise_type", "method", "variant", "per_image"] as const;
  for (const k of strings) if (typeof r[k] !== "string") return `its ${k} is not text`;
  for (const k of ["noise_factor", "mse", "psnr", "ssim"] as const) {
    if (!isNumber(r[k]) && !(k === "psnr" && r[k] === null)) return `its ${k} is not a number`;
  }
  if (!Number.isInteger(r.test_images) || r.test_images < 1) {
    return "its test_images is not a count";
  }
  if (!r.per_image || !HEX64.test(r.per_image_sha256)) {
    return "it has no per-image file with a SHA-256 digest";
  }
  return "";
}

/** A row's per-image scores, checked against the row, or what is wrong with them. */
async function checkedPerImage(dir: string, r: SweepRow): Promise<PerImageScores | string> {
  const path = join(dir, r.per_image);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    return `its per-image file ${r.per_image} is missing`;
  }
  if (await sha256Hex(bytes) !== r.per_image_sha256) {
    return `its per-image file ${r.per_image} does not match its SHA-256`;
  }
  let scores: PerImageScores;
  try {
    scores = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return `its per-image file ${r.per_image} is not JSON`;
  }
  for (const k of ["mse", "psnr", "ssim", "labels"] as const) {
    if (!Array.isArray(scores?.[k]) || scores[k].length !== r.test_images) {
      return `its per-image ${k} does not list ${r.test_images} test images`;
    }
  }
  if (scores.test_inputs_sha256 !== r.test_inputs_sha256) {
    return `its per-image file ${r.per_image} scored other test images`;
  }
  return scores;
}

/**
 * Splits a sweep's rows into those whose fields are well formed and whose per-image file
 * exists, matches the SHA-256 written with the row and lists one score per test image, and
 * the damaged rest (their cells are computed again). Also returns the good rows' scores.
 */
export async function checkRows(
  dir: string,
  rows: readonly SweepRow[],
): Promise<{ rows: SweepRow[]; damaged: DamagedRow[]; perImage: Map<string, PerImageScores> }> {
  const good: SweepRow[] = [];
  const damaged: DamagedRow[] = [];
  const perImage = new Map<string, PerImageScores>();
  for (const row of rows) {
    const shape = rowShapeProblem(row);
    const checked = shape || await checkedPerImage(dir, row);
    if (typeof checked === "string") {
      damaged.push({ row, why: checked });
    } else {
      good.push(row);
      perImage.set(row.per_image, checked);
    }
  }
  return { rows: good, damaged, perImage };
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

/**
 * A sweep folder's finished rows (`results.json`), in canonical order, as stored (see
 * {@linkcode checkRows} for which to trust); [] when none. A `results.json` that is not a
 * list of rows (unreadable, `{}`) counts as none, and `onDamaged` is told so; entries that are
 * not objects are left out the same way.
 */
export async function readSweepRows(
  dir: string,
  onDamaged: (why: string) => void = () => {},
): Promise<SweepRow[]> {
  const path = join(dir, "results.json");
  let read: unknown;
  try {
    read = await readJsonFile<unknown>(path);
  } catch {
    read = {};
  }
  if (read !== undefined && !Array.isArray(read)) {
    onDamaged(`${path} is not a list of rows; its cells are computed again`);
  }
  const entries = Array.isArray(read) ? read : [];
  const rows = entries.filter((r): r is Partial<SweepRow> => {
    const ok = r !== null && typeof r === "object" && !Array.isArray(r);
    if (!ok) onDamaged(`${path} holds an entry that is not a row; left out`);
    return ok;
  });
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
    per_image_sha256: r.per_image_sha256 ?? "",
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
 * Reads a sweep's settings and rows; undefined when there is no such sweep. Damaged rows
 * (see {@linkcode checkRows}) are left out and make it incomplete.
 */
export async function readSweep(name: string, out = "outputs"): Promise<SweepRecord | undefined> {
  const dir = sweepDir(name, out);
  const settings = await readSweepSettings(dir);
  if (!settings) return undefined;
  const checked = await checkRows(dir, await readSweepRows(dir));
  // A damaged row makes the sweep incomplete: running it again recomputes that cell.
  const complete = checked.damaged.length === 0 && await pathExists(join(dir, COMPLETE_FILE)) &&
    await allRowsListed(dir);
  return { name, dir, settings, rows: checked.rows, complete, perImage: checked.perImage };
}

/** Whether `results.json` reads as a list of rows (and so every finished cell is in it). */
async function allRowsListed(dir: string): Promise<boolean> {
  let ok = true;
  await readSweepRows(dir, () => ok = false);
  return ok;
}
