/**
 * One writer at a time: an exclusive advisory lock (`flock`) on a lock file stamped with the
 * holder's PID. The operating system drops the lock when its holder exits, however it exits
 * (SIGKILL included), so a crashed process never leaves a folder locked; the stale file it may
 * leave behind is simply locked again by the next writer.
 *
 * Run folders lock `out/runs/.NAME.lock`; sweep cells and report names can use the same
 * {@linkcode acquireLock} on a path of their own.
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** Another live process holds the lock. */
export class LockedError extends InputError {
  /** The holder's PID, or `null` when it had not yet written it. */
  readonly pid: number | null;
  /** Creates the error for lock file `path` held by process `pid`. */
  constructor(message: string, pid: number | null) {
    super(message);
    this.pid = pid;
  }
}

/** A held lock; release it (or let `using` do so) when the protected writes are done. */
export interface FileLock extends Disposable {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file and releases the lock. Idempotent. */
  release(): void;
}

/** Options of {@linkcode acquireLock}. */
export interface AcquireLockOptions {
  /** What the lock protects, for the error message. @default the lock file's path */
  what?: string;
  /**
   * Wait for the holder to release it (or to die) instead of throwing; for locks held
   * briefly, such as a sweep's shared files. @default false
   */
  wait?: boolean;
}

const PID_WAIT_MS = 500;

/**
 * Takes the exclusive lock on file `path` (created if needed; its folder must exist) without
 * waiting, unless `options.wait`. Throws {@linkcode LockedError} naming the holder's PID when another process holds
 * it, or when this process already holds it through another {@linkcode FileLock}. The lock
 * file never follows a symbolic link (a link planted at `path` would make the PID overwrite
 * its target): a link, folder or other non-file at `path` throws {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { assert, assertRejects } from "../_assert.ts";
 * import { acquireLock, LockedError } from "./lock.ts";
 * const dir = await Deno.makeTempDir();
 * using lock = await acquireLock(`${dir}/.run.lock`, { what: "run \"a\"" });
 * const e = await assertRejects(() => acquireLock(lock.path), LockedError);
 * assert((e as LockedError).pid === Deno.pid);
 * ```
 */
export async function acquireLock(
  path: string,
  options: AcquireLockOptions = {},
): Promise<FileLock> {
  const what = options.what ?? path;
  // A releasing holder unlinks the file before unlocking it, so a lock won on an unlinked
  // file is worthless: check that `path` still names the locked file, else try again.
  for (let attempt = 0; options.wait || attempt < 10; attempt++) {
    const file = await openLockFile(path);
    let locked: boolean;
    try {
      if (options.wait) await file.lock(true);
      locked = options.wait ? true : await file.tryLock(true);
    } catch (e) {
      file.close();
      throw e;
    }
    if (!locked) {
      file.close();
      const pid = await holderPid(path);
      const holder = pid === null ? "another process" : `process ${pid}`;
      throw new LockedError(
        `${what} is in use by ${holder} (lock ${path}); wait for it to finish or stop it`,
        pid,
      );
    }
    const [mine, named] = [await file.stat(), await statOrNull(path)];
    if (named === null || named.ino !== mine.ino || named.dev !== mine.dev) {
      file.close();
      continue;
    }
    await file.truncate(0);
    await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      try {
        Deno.removeSync(path);
      } catch {
        // Already gone (someone cleaned up): the lock is still ours until closed.
      }
      file.close();
    };
    return { path, release, [Symbol.dispose]: release };
  }
  throw new LockedError(`${what}: lock ${path} keeps changing; another writer is busy`, null);
}

/**
 * Opens lock file `path` for reading and writing without following a symbolic link: created
 * with `createNew` (O_EXCL, which never follows a link) when absent; else `lstat` must show a
 * regular file, and the opened file must be that same file (a link swapped in between is
 * noticed by its inode, and the open is tried again). Throws {@linkcode InputError} otherwise.
 */
async function openLockFile(path: string): Promise<Deno.FsFile> {
  // Each retry follows another process's create or release: contention, settled quickly.
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const before = await lstatOrNull(path);
    if (before === null) {
      try {
        return await Deno.open(path, { read: true, write: true, createNew: true });
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        throw e;
      }
    }
    if (before.isSymlink) {
      throw new InputError(
        `lock ${path} is a symbolic link; refusing to follow it (remove it and try again)`,
      );
    }
    if (!before.isFile) {
      const kind = before.isDirectory ? "a folder" : "not a regular file";
      throw new InputError(`lock ${path} is ${kind}; remove it and try again`);
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true, write: true });
    } catch (e) {
      // Its holder released (unlinked) it in between: look again.
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    const opened = await file.stat();
    if (opened.ino === before.ino && opened.dev === before.dev && opened.isFile) return file;
    file.close();
  }
  throw new InputError(`lock ${path} keeps being replaced; refusing to use it`);
}

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** The PID written in lock file `path`, waiting briefly for a holder that has just locked it. */
async function holderPid(path: string): Promise<number | null> {
  const t0 = Date.now();
  while (true) {
    const text = await Deno.readTextFile(path).catch(() => "");
    if (/^\d+\n$/.test(text)) return Number(text.trim());
    if (Date.now() - t0 > PID_WAIT_MS) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
