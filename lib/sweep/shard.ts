/**
 * Sweeps that scale out: `--shard K/N` runs every N-th cell of the plan from offset K, and any
 * number of shards, jobs or reruns may write into one sweep folder at once. A cell is claimed
 * with an exclusive lock (lib/runs/lock.ts) on `.cell-HASH.lock` before it is computed; every
 * write of the folder's shared files happens under the sweep lock `.sweep.lock`, re-reading
 * and merging the rows by cell key, so no finished row of another process is ever lost.
 *
 * @module
 */
import { basename, join } from "node:path";
import { InputError } from "../errors.ts";
import { acquireLock, type FileLock, LockedError } from "../runs/lock.ts";
import { readSweepRows, writeSweepRows } from "./files.ts";
import { compareRows, type SweepRow } from "./plan.ts";
import { cellKey } from "./cells.ts";

/** One shard of a sweep: the cells at plan positions `index`, `index + count`, … */
export interface Shard {
  /** Offset K, 0 ≤ K < N. */
  index: number;
  /** Number of shards N, ≥ 1. */
  count: number;
}

/** File of the sweep lock, in the sweep folder. */
export const SWEEP_LOCK_FILE = ".sweep.lock";

/**
 * Parses `K/N` (whole numbers, 0 ≤ K < N). Throws {@linkcode InputError} with one line naming
 * `label` otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "../_assert.ts";
 * import { parseShard } from "./shard.ts";
 * assertEquals(parseShard("1/4"), { index: 1, count: 4 });
 * assertThrows(() => parseShard("4/4"));
 * ```
 */
export function parseShard(text: string, label = "shard"): Shard {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 1 || index >= count) {
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
  using _lock = await acquireLock(join(dir, SWEEP_LOCK_FILE), {
    what: `sweep "${basename(dir)}"`,
    wait: true,
  });
  return await write();
}

/**
 * Claims the cell `key` (a `cellKey`) of the sweep in `dir`: the held lock, or undefined when
 * another live process computes it (then `log` says which). Release it once the row is merged.
 */
export async function claimCell(
  dir: string,
  key: string,
  log: (line: string) => void = () => {},
): Promise<FileLock | undefined> {
  const bytes = new TextEncoder().encode(key);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hash = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    return await acquireLock(join(dir, `.cell-${hash}.lock`), { what: `cell ${key}` });
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    log(`  ${e.reason}: leaving it to that process`);
    return undefined;
  }
}

/**
 * Merges `rows` into the sweep's result files under the sweep lock: a stored row with the same
 * cell key is replaced. Returns every row, in canonical order.
 */
export async function mergeSweepRows(dir: string, rows: readonly SweepRow[]): Promise<SweepRow[]> {
  return await withSweepLock(dir, async () => {
    const mine = new Set(rows.map(cellKey));
    const merged = (await readSweepRows(dir)).filter((r) => !mine.has(cellKey(r)));
    merged.push(...rows);
    merged.sort(compareRows);
    await writeSweepRows(dir, merged);
    return merged;
  });
}
