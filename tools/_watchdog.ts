/**
 * `deno run -A tools/_watchdog.ts WATCHED_PID -- COMMAND [ARGS…]`: runs the command and stops
 * it with everything it started once the watched process is gone (even after a `kill -9`).
 * Exits with the command's exit code.
 *
 * @module
 */
import { isAlive } from "../lib/runs/atomic.ts";
import { killTree } from "./_process_tree.ts";

const POLL_MS = 250;

/** Runs `args` (`WATCHED_PID -- COMMAND ARGS…`); resolves to the exit code. */
export async function watchdog(args: string[]): Promise<number> {
  const [pidText, dashes, command, ...rest] = args;
  const watched = Number(pidText);
  if (!Number.isInteger(watched) || dashes !== "--" || !command) {
    console.error("error: usage: _watchdog.ts WATCHED_PID -- COMMAND [ARGS…]");
    return 2;
  }
  const child = new Deno.Command(command, { args: rest }).spawn();
  let done = false;
  const status = child.status.finally(() => done = true);
  while (!done) {
    await Promise.race([status, new Promise((r) => setTimeout(r, POLL_MS))]);
    if (!done && !isAlive(watched)) {
      await killTree(child.pid);
      await status;
      return 137;
    }
  }
  return (await status).code;
}

if (import.meta.main) Deno.exit(await watchdog(Deno.args));
