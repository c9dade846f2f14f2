/**
 * Sweeps that scale out: `--shard K/N` runs every N-th cell of the plan from offset K, and
 * any number of shards (or plain reruns) may write into one sweep folder at the same time.
 *
 * - A cell is claimed with an exclusive lock (lib/runs/lock.ts) on `.cell-HASH.lock` in the sweep
 *   folder before it is computed, so two processes never compute it together; a crashed
 *   holder's lock is dropped by the operating system and never blocks the next claimant.
 * - Every write of the folder's shared files (`sweep.json`, `results.json`, `results.csv`,
 *   the charts and the `complete` marker) happens under the sweep lock `.sweep.lock`: the
 *   writer re-reads the rows under the lock, merges its own by cell key and writes the
 *   whole table atomically, so no finished row of another process is ever lost.
 *
 * @module
 */
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { acquireLock, type FileLock, LockedError } from "../runs/lock.ts";
import { readSweepRows, writeSweepRows } from "./files.ts";
import { cellKey, compareRows, type SweepRow } from "./plan.ts";

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
 * Parses `K/N` (whole numbers, 0 ≤ K < N). Throws {@linkcode InputError} with one line
 * naming `label` otherwise.
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

/**
 * Whether the cell at plan position `position` belongs to `shard` (every cell belongs to
 * the whole sweep, `shard` undefined).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { inShard } from "./shard.ts";
 * assert(inShard(5, { index: 1, count: 2 }) && !inShard(4, { index: 1, count: 2 }));
 * ```
 */
export function inShard(position: number, shard?: Shard): boolean {
  return shard === undefined || position % shard.count === shard.index;
}

/** `shard` in words for log lines: "shard 1/4", or "" for the whole sweep. */
export function describeShard(shard?: Shard): string {
  return shard ? `shard ${shard.index}/${shard.count}` : "";
}

/** Options of {@linkcode waitWhileLocked}. */
export interface WaitOptions {
  /** Stops waiting (the last {@linkcode LockedError} is thrown). */
  signal?: AbortSignal;
  /** Told once, with the holder's error message, when the first attempt finds it held. */
  log?: (line: string) => void;
  /** Pause between attempts, in milliseconds. @default 25 */
  pollMs?: number;
}

/**
 * `attempt()`, tried again after a pause for as long as it throws {@linkcode LockedError}
 * (another live process holds what it locks); any other error, or an abort, ends it. Since a
 * dead holder's lock is dropped by the operating system, the wait ends when the holder does.
 */
export async function waitWhileLocked<T>(
  attempt: () => Promise<T>,
  options: WaitOptions = {},
): Promise<T> {
  const { signal, log, pollMs = 25 } = options;
  let told = false;
  while (true) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof LockedError) || signal?.aborted) throw e;
      // Without the folder and lock paths: this line reaches notebooks, and pages name no
      // folder of this machine.
      const why = e.message.replace(/; wait for it.*$/, "").replace(/ \(lock [^)]*\)/, "")
        .replace(/ in \/\S+/, "");
      if (!told && log) log(`waiting: ${why}`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Runs `write` holding the sweep lock of folder `dir` (which must exist), waiting while
 * another process holds it. Keep `write` short: other shards wait for it.
 */
export async function withSweepLock<T>(dir: string, write: () => Promise<T>): Promise<T> {
  using _lock = await acquireLock(join(dir, SWEEP_LOCK_FILE), {
    what: `sweep folder ${dir}`,
    wait: true,
  });
  return await write();
}

/**
 * Claims the cell `key` (a {@linkcode cellKey}) of the sweep in `dir` for this process:
 * the held lock, or undefined when another live process is computing it (then `log` says
 * which). Release the lock once the cell's row is merged.
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
    log(`  ${e.message.replace(/; wait for it.*$/, "")}: leaving it to that process`);
    return undefined;
  }
}

/**
 * Merges `rows` into the sweep's `results.json` and `results.csv` under the sweep lock: the
 * stored rows are re-read, a stored row with the same cell key is replaced, and the whole
 * table is written atomically. Returns every row, in canonical order.
 */
export async function mergeSweepRows(
  dir: string,
  rows: readonly SweepRow[],
): Promise<SweepRow[]> {
  return await withSweepLock(dir, async () => {
    const mine = new Set(rows.map(cellKey));
    const merged = (await readSweepRows(dir)).filter((r) => !mine.has(cellKey(r)));
    merged.push(...rows);
    merged.sort(compareRows);
    await writeSweepRows(dir, merged);
    return merged;
  });
}
