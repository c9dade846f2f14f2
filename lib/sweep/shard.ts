/**
 * Shards, jobs and reruns writing one sweep folder at once: a cell is claimed with a lock on
 * `.cell-HASH.lock`; the shared files are written under `.sweep.lock`, merging rows by key.
 *
 * @module
 */
import { basename, join } from "node:path";
import { InputError } from "../errors.ts";
import { acquireLock, type FileLock, waitWhileLocked } from "../runs/lock.ts";
import { readSweepRows, writeSweepRows } from "./files.ts";
import { compareRows, type SweepRow } from "./plan.ts";
import { cellKey } from "./cells.ts";
import { sha256Hex } from "../model/model_io.ts";

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
