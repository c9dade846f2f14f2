/**
 * One writer at a time: an exclusive `flock` on a lock file stamped with the holder's PID,
 * dropped by the system however the holder exits.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { statOrNull } from "./atomic.ts";

/** Another live process holds the lock. The message names what it protects, never a path. */
export class LockedError extends InputError {
  /** `WHAT is in use by process PID`: the message without its advice. */
  readonly reason: string;
  constructor(what: string, readonly pid: number | null) {
    const reason = `${what} is in use by ${pid === null ? "another process" : `process ${pid}`}`;
    super(`${reason}; wait for it to finish or stop it`);
    this.reason = reason;
  }
}

/** A held lock; release it (or let `using` do so) when the protected writes are done. */
export interface FileLock extends Disposable {
  readonly path: string;
  /** Removes the lock file and releases the lock. Idempotent. */
  release(): void;
}

/**
 * Takes the exclusive lock on file `path` (its folder must exist); {@linkcode LockedError}, which
 * names `what`, when another holder has it (see {@linkcode waitWhileLocked}). Never follows a
 * symbolic link: a link or folder there is an InputError.
 */
export async function acquireLock(path: string, what = "lock"): Promise<FileLock> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const file = await openLockFile(path);
    if (!file) continue;
    const locked = await file.tryLock(true).catch((e) => {
      file.close();
      throw e;
    });
    if (!locked) {
      file.close();
      throw new LockedError(what, await holderPid(path));
    }
    // `path` itself must still name the locked file, else try again: a releasing holder unlinks
    // it before unlocking, and a link swapped in just before the open leads elsewhere.
    const [mine, named] = [await file.stat(), await statOrNull(path)];
    if (named?.ino !== mine.ino || named.dev !== mine.dev) {
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
        Deno.removeSync(path); // unlinked before unlocked (see above)
      } catch {
        // Already gone: the lock is still ours until closed.
      }
      file.close();
    };
    return { path, release, [Symbol.dispose]: release };
  }
  throw new LockedError(what, null);
}

/** `attempt()`, retried every 200 ms while it throws a LockedError; `log` is told once. */
export async function waitWhileLocked<T>(
  attempt: () => Promise<T>,
  { signal, log = () => {} }: { signal?: AbortSignal; log?: (line: string) => void } = {},
): Promise<T> {
  for (let told = false;; told = true) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof LockedError) || signal?.aborted) throw e;
      if (!told) log(`waiting: ${e.reason}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Opens lock file `path`: `createNew`, or after an `lstat` that refuses a link or folder (the
 * caller's inode check catches one swapped in); null if another process created or removed it.
 */
async function openLockFile(path: string): Promise<Deno.FsFile | null> {
  const before = await statOrNull(path);
  if (before && !before.isFile) {
    const kind = before.isSymlink ? "a symbolic link" : before.isDirectory ? "a folder" : "a pipe";
    throw new InputError(`lock ${path} is ${kind}; never followed: remove it and try again`);
  }
  const options = { read: true, write: true, createNew: before === null };
  return await Deno.open(path, options).catch((e) => {
    if (e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotFound) return null;
    throw e;
  });
}

/** The PID written in lock file `path`, waiting up to 0.5 s for a holder that just locked it. */
async function holderPid(path: string): Promise<number | null> {
  for (const t0 = Date.now(); Date.now() - t0 <= 500;) {
    const text = await Deno.readTextFile(path).catch(() => "");
    if (/^\d+\n$/.test(text)) return Number(text);
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}
