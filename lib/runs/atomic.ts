/**
 * Crash-safe writes: a reader sees the old file, or the new one whole, never half of one.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.ts";

let counter = 0;

/**
 * The disk filled up (ENOSPC) while writing `path`; the temp file was removed and `path` is as
 * it was before the write.
 */
export class DiskFullError extends InputError {
  /** The file or folder that could not be written. */
  readonly path: string;
  /** Creates the error for `path`, keeping the system error as `cause`. */
  constructor(path: string, cause?: unknown) {
    super(`disk full while writing ${path}`, { cause });
    this.path = path;
  }
}

/** Whether `e` is the system's "no space left on device" error. */
export function isDiskFull(e: unknown): boolean {
  return e instanceof DiskFullError || (e as { code?: unknown } | null)?.code === "ENOSPC";
}

function diskFullOr(e: unknown, path: string): unknown {
  return isDiskFull(e) && !(e instanceof DiskFullError) ? new DiskFullError(path, e) : e;
}

/** A sibling temp path of `path` that no other writer in this or another process uses. */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${Deno.pid}.${counter++}.tmp`);
}

/**
 * Writes `data` to `path` atomically: into a temp file beside it, synced to disk, then
 * renamed over `path`. The parent folder must exist. A full disk throws
 * {@linkcode DiskFullError} naming `path`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { writeFileAtomic } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.txt`, "hello");
 * assert(await Deno.readTextFile(`${dir}/a.txt`) === "hello");
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempPath(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    using file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw diskFullOr(e, path);
  }
  await Deno.rename(tmp, path);
}

/** {@linkcode writeFileAtomic} of `value` as indented JSON with a final newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Fills a new folder by calling `fill(tempDir)`, then swaps it in at `path` in one rename
 * (an existing folder at `path` is replaced). If `fill` throws, `path` is untouched; a full
 * disk throws {@linkcode DiskFullError} naming `path`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { replaceDirAtomic } from "./atomic.ts";
 * const root = await Deno.makeTempDir();
 * await replaceDirAtomic(`${root}/m`, (dir) => Deno.writeTextFile(`${dir}/x`, "1"));
 * assert(await Deno.readTextFile(`${root}/m/x`) === "1");
 * ```
 */
export async function replaceDirAtomic(
  path: string,
  fill: (tempDir: string) => Promise<void>,
): Promise<void> {
  const tmp = tempPath(path);
  try {
    await Deno.mkdir(tmp, { recursive: true });
    await fill(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw diskFullOr(e, path);
  }
  const old = `${tmp}.old`;
  let hadOld = false;
  try {
    await Deno.rename(path, old);
    hadOld = true;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.rename(tmp, path);
  if (hadOld) await Deno.remove(old, { recursive: true });
}

/**
 * Whether `path` exists. Completeness checks (a run's `metrics.json`, a sweep's `complete`
 * marker) rest on it, since those files are written last and atomically.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { pathExists } from "./atomic.ts";
 * assert(!(await pathExists("/no/such/path")));
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * Creates folder `path` (and its parents) or throws {@linkcode InputError} with one line: a
 * path that cannot hold folders (`/proc/x`), a file where a folder should be, no permission.
 */
export async function ensureFolder(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true });
  } catch (e) {
    if (isDiskFull(e)) throw new DiskFullError(path, e);
    let why = (e as Error).message.replace(/ \(os error \d+\).*$/, "");
    if (e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotADirectory) {
      why = "a file is in the way of a folder";
    }
    throw new InputError(`cannot create folder ${path}: ${why}`, { cause: e });
  }
  if (!(await Deno.stat(path)).isDirectory) {
    throw new InputError(`cannot create folder ${path}: a file is in the way of a folder`);
  }
}
