/**
 * Crash-safe writes: a reader sees the old file, or the new one whole, never half of one.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.ts";

let counter = 0;

/** The disk filled up (ENOSPC) while writing `path`; `path` is as it was before the write. */
export class DiskFullError extends InputError {
  constructor(readonly path: string, cause?: unknown) {
    super(`disk full while writing ${path}`, { cause });
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
  for (;;) {
    const tmp = join(dirname(path), `.${basename(path)}.${Deno.pid}.${counter++}.tmp`);
    try {
      Deno.lstatSync(tmp); // taken: a dead process with this PID left it, or a link was planted
    } catch {
      return tmp;
    }
  }
}

/** Writes `data` to `path` atomically; a full disk throws {@linkcode DiskFullError}. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = tempPath(path);
  try {
    // createNew: never through a symbolic link planted at the temp path.
    using file = await Deno.open(tmp, { write: true, createNew: true });
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) await Deno.remove(tmp).catch(() => {});
    throw diskFullOr(e, path);
  }
  await Deno.rename(tmp, path);
}

/** {@linkcode writeFileAtomic} of `value` as indented JSON with a final newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** True while a process with this PID runs (Linux `/proc`; a zombie does not count). */
export function isAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** A temp entry of the atomic writes: `.NAME.PID.N.tmp` (or `….tmp.old`). */
export const TEMP_ENTRY: RegExp = /^\.(.+)\.(\d+)\.\d+\.tmp(\.old)?$/;

/**
 * Puts back the `….tmp.old` folder a dead {@linkcode replaceDirAtomic} left; returns its name.
 * The folder of `path` must exist.
 */
export async function restoreSetAside(path: string): Promise<string | undefined> {
  if (await statOrNull(path)) return undefined;
  for (const e of Deno.readDirSync(dirname(path))) {
    const m = TEMP_ENTRY.exec(e.name);
    if (!m || m[1] !== basename(path) || !m[3] || !e.isDirectory) continue;
    const pid = Number(m[2]);
    if (pid === Deno.pid || isAlive(pid)) continue;
    await Deno.rename(join(dirname(path), e.name), path);
    return e.name;
  }
  return undefined;
}

/**
 * Fills a new folder by `fill(tempDir)` and swaps it in at `path`, the old one aside as
 * `….tmp.old` meanwhile; a full disk throws {@linkcode DiskFullError}.
 */
export async function replaceDirAtomic(
  path: string,
  fill: (tempDir: string) => Promise<void>,
): Promise<void> {
  const tmp = tempPath(path);
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
    await restoreSetAside(path);
    // Not recursive: an existing folder or a symbolic link at the temp path is refused.
    await Deno.mkdir(tmp);
    await fill(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw diskFullOr(e, path);
  }
  const old = `${tmp}.old`;
  const hadOld = await statOrNull(path) !== null;
  if (hadOld) await Deno.rename(path, old);
  await Deno.rename(tmp, path);
  if (hadOld) await Deno.remove(old, { recursive: true });
}

/** Whether `path` exists (following links). */
export async function pathExists(path: string): Promise<boolean> {
  return await statOrNull(path, Deno.stat) !== null;
}

/** `stat(path)` (by default `Deno.lstat`, which follows no link), or null when nothing is there. */
export function statOrNull(path: string, stat = Deno.lstat): Promise<Deno.FileInfo | null> {
  return stat(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  });
}

/** An error's message on one line, without the system's ` (os error N): PATH` tail. */
function reason(e: unknown): string {
  return (e as Error).message.replace(/ \(os error \d+\).*$/s, "").replace(/\s+/g, " ");
}

/** Reads and parses a JSON file; undefined when missing; InputError `cannot read PATH: …`. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new InputError(`cannot read ${path}: ${reason(e)}`);
  }
}

/** Creates folder `path` (and its parents) or throws {@linkcode InputError} with one line. */
export async function ensureFolder(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true });
  } catch (e) {
    if (isDiskFull(e)) throw new DiskFullError(path, e);
    const inTheWay = e instanceof Deno.errors.AlreadyExists ||
      e instanceof Deno.errors.NotADirectory;
    const why = inTheWay ? "a file is in the way of a folder" : reason(e);
    throw new InputError(`cannot create folder ${path}: ${why}`);
  }
}
