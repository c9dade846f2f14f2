/**
 * Stopping a child and everything it started (Linux `/proc`), and finding temp folders whose
 * writer died. Jupyter starts each kernel in a session of its own, so killing nbconvert's
 * process group alone would leave the kernel training; the tree is walked by parent PID.
 *
 * As a script, the watchdog: `deno run -A tools/_process_tree.ts WATCHED_PID -- COMMAND
 * [ARGS…]` runs the command and stops it with everything it started once the watched process
 * is gone (even after a `kill -9`); it exits with the command's exit code.
 *
 * @module
 */
import { join } from "node:path";
import { isAlive, restoreSetAside, TEMP_ENTRY } from "../lib/runs/atomic.ts";

/** PIDs of every living descendant of `pid` (children, grandchildren, …). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      // The command name may hold spaces and parentheses: fields resume after the last ")".
      parents.set(Number(e.name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    frontier = [...parents.keys()].filter((child) => frontier.includes(parents.get(child)!));
    found.push(...frontier);
  }
  return found;
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to `pid` and its descendants (new ones too), SIGKILL to those alive 2 s later. */
export async function killTree(pid: number): Promise<void> {
  const all = new Set<number>();
  const deadline = performance.now() + 2000;
  do {
    for (const p of [pid, ...descendants(pid)]) {
      if (!all.has(p)) signal(p, "SIGTERM");
      all.add(p);
    }
    await new Promise((r) => setTimeout(r, 50));
  } while (performance.now() < deadline && [...all].some(isAlive));
  for (const p of all) if (isAlive(p)) signal(p, "SIGKILL");
}

/**
 * Cleans up after dead writers in folder `dir`: restores the folders they set aside
 * (`restoreSetAside`), removes their other temps; returns "restored NAME" and "removed NAME"s.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const temps = () =>
    [...Deno.readDirSync(dir)].map((e) => TEMP_ENTRY.exec(e.name)).filter((m) => m !== null);
  for (const m of temps().filter((m) => m[3])) {
    const restored = await restoreSetAside(join(dir, m[1]));
    if (restored) removed.push(`restored ${restored}`);
  }
  for (const [name, , pid] of temps()) {
    if (Number(pid) === Deno.pid || isAlive(Number(pid))) continue;
    await Deno.remove(join(dir, name), { recursive: true }).catch(() => {});
    removed.push(`removed ${name}`);
  }
  return removed;
}

/** Runs `args` (`WATCHED_PID -- COMMAND ARGS…`); resolves to the exit code. */
async function watchdog(args: string[]): Promise<number> {
  const [pidText, dashes, command, ...rest] = args;
  const watched = Number(pidText);
  if (!Number.isInteger(watched) || dashes !== "--" || !command) {
    console.error("error: usage: _process_tree.ts WATCHED_PID -- COMMAND [ARGS…]");
    return 2;
  }
  const child = new Deno.Command(command, { args: rest }).spawn();
  let done = false;
  const status = child.status.finally(() => done = true);
  while (!done) {
    await Promise.race([status, new Promise((r) => setTimeout(r, 250))]);
    if (!done && !isAlive(watched)) {
      await killTree(child.pid);
      await status;
      return 137;
    }
  }
  return (await status).code;
}

if (import.meta.main) Deno.exit(await watchdog(Deno.args));
