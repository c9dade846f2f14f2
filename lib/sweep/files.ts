/**
 * A sweep folder's files: its rows as JSON and CSV with their summary, validated on read.
 *
 * @module
 */
import { join } from "node:path";
import { pathExists, readJsonFile, writeFileAtomic, writeJsonAtomic } from "../runs/atomic.ts";
import { sha256Hex } from "../model/model_io.ts";
import {
  compareRows,
  type PerImageScores,
  sweepDir,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { csv, summarizeRows, summaryCsv } from "./summary.ts";
import { KEY_COLUMNS } from "./cells.ts";

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
  let scores: PerImageScores;
  try {
    scores = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return `${file} is not JSON`;
  }
  for (const k of ["mse", "psnr", "ssim", "labels"] as const) {
    if (!Array.isArray(scores?.[k]) || scores[k].length !== r.test_images) {
      return `its per-image ${k} does not list ${r.test_images} test images`;
    }
  }
  if (scores.test_inputs_sha256 !== r.test_inputs_sha256) return `${file} scored other test images`;
}

/** Splits rows into the good ones and the damaged rest. */
export async function checkRows(
  dir: string,
  rows: readonly SweepRow[],
): Promise<{ rows: SweepRow[]; damaged: { row: SweepRow; why: string }[] }> {
  const good: SweepRow[] = [];
  const damaged: { row: SweepRow; why: string }[] = [];
  for (const row of rows) {
    const why = await checkRow(dir, row);
    if (why) damaged.push({ row, why });
    else good.push(row);
  }
  return { rows: good, damaged };
}

/** A sweep folder's stored identity (`sweep.json`: settings and plan), or undefined. */
export async function readSweepSettings(dir: string): Promise<SweepSettings | undefined> {
  return await readJsonFile<SweepSettings>(join(dir, "sweep.json"));
}

/**
 * A sweep folder's rows (`results.json`) as stored, in canonical order; [] when none. What is
 * not a list of objects counts as no rows, and `onDamaged` is told.
 */
export async function readSweepRows(
  dir: string,
  onDamaged: (why: string) => void = () => {},
): Promise<SweepRow[]> {
  const path = join(dir, "results.json");
  const read = await readJsonFile<unknown>(path).catch(() => ({}));
  if (read !== undefined && !Array.isArray(read)) {
    onDamaged(`${path} is not a list of rows; its cells are computed again`);
  }
  return (Array.isArray(read) ? read : []).filter((r): r is SweepRow => {
    const ok = r !== null && typeof r === "object" && !Array.isArray(r);
    if (!ok) onDamaged(`${path} holds an entry that is not a row; left out`);
    return ok;
  }).sort(compareRows);
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
  let listed = true;
  const checked = await checkRows(dir, await readSweepRows(dir, () => listed = false));
  // A damaged row makes the sweep incomplete: running it again recomputes that cell.
  const complete = listed && checked.damaged.length === 0 &&
    await pathExists(join(dir, COMPLETE_FILE));
  return { name, dir, settings, rows: checked.rows, complete };
}
