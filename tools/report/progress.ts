/**
 * What `deno task report` shows while a notebook runs: one line per epoch from the kernel's
 * progress feed (lib/train/log.ts).
 *
 * @module
 */
import type { ProgressRecord } from "../../lib/train/log.ts";
import { formatDuration } from "../../lib/train/progress.ts";

/** Options of {@linkcode followProgress}. */
export interface FollowOptions {
  /** Where text goes. @default stderr */
  write?: (text: string) => void;
  /** Milliseconds between reads of the feed. @default 250 */
  intervalMs?: number;
}

/** Follows feed `path` until `stop()`; `where()` names the run and epoch last seen. */
export function followProgress(path: string, notebook: string, options: FollowOptions = {}) {
  const encoder = new TextEncoder();
  const write = options.write ?? ((t: string) => void Deno.stderr.writeSync(encoder.encode(t)));
  let offset = 0;
  let rest = "";
  // Per writing process (a sweep's jobs share the feed): its run, and whether the training
  // about to start was announced by name.
  const runs = new Map<number | undefined, { run: string; named: boolean }>();
  let last = "";
  function handle(r: ProgressRecord & { pid?: number }) {
    if (!runs.has(r.pid)) runs.set(r.pid, { run: "-", named: false });
    const p = runs.get(r.pid)!;
    if (r.kind === "log") {
      write(`  ${notebook}: ${r.text}\n`);
    } else if (r.kind === "run") {
      [p.run, p.named] = [r.name, true];
    } else if (r.kind === "begin") {
      if (!p.named) p.run = "(unnamed)";
      p.named = false;
    } else if (r.kind === "epoch") {
      const w = String(r.epochs).length;
      const line = `${notebook}  run ${p.run}  epoch ${String(r.epoch).padStart(w)}/${r.epochs}  ` +
        `loss ${r.loss.toFixed(5)}  ${Math.round(r.images_per_second)} img/s  ` +
        `ETA ${formatDuration(r.eta)}`;
      last = `${p.run}, epoch ${r.epoch}/${r.epochs}`;
      write(`${line}\n`);
    }
  }
  function read() {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(path);
    } catch {
      return;
    }
    if (bytes.length <= offset) return;
    rest += new TextDecoder().decode(bytes.subarray(offset));
    offset = bytes.length;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const l of lines) {
      try {
        if (l.trim()) handle(JSON.parse(l));
      } catch {
        // Appends under PIPE_BUF are never torn; skip anything else.
      }
    }
  }
  const timer = setInterval(read, options.intervalMs ?? 250);
  return {
    stop() {
      clearInterval(timer);
      read();
    },
    where: () => last === "" ? notebook : `${notebook} (run ${last})`,
  };
}
