/**
 * What `deno task report` shows while a notebook runs: one line per epoch from the kernel's
 * progress feed (lib/train/log.ts), or one bar line redrawn on a terminal.
 *
 * @module
 */
import { formatDuration, type ProgressRecord } from "../../lib/train/log.ts";

/** Options of {@linkcode followProgress}. */
export interface FollowOptions {
  /** Where text goes. @default stderr */
  write?: (text: string) => void;
  /** Redraw one bar line in place instead of printing lines. @default stderr is a terminal */
  tty?: boolean;
  /** Milliseconds between reads of the feed. @default 250 */
  intervalMs?: number;
}

/** A text progress bar, e.g. `[#####-----]` for 1/2. */
export function bar(done: number, total: number, width = 20): string {
  const n = Math.round((width * Math.min(done, total)) / Math.max(1, total));
  return `[${"#".repeat(n)}${"-".repeat(width - n)}]`;
}

/** Follows feed `path` until `stop()`; `where()` names the run and epoch last seen. */
export function followProgress(path: string, notebook: string, options: FollowOptions = {}) {
  const encoder = new TextEncoder();
  const write = options.write ?? ((t: string) => void Deno.stderr.writeSync(encoder.encode(t)));
  const tty = options.tty ?? Deno.stderr.isTerminal();
  let offset = 0;
  let rest = "";
  // Per writing process (a sweep's jobs share the feed): its run, and whether the training
  // about to start was announced by name.
  const runs = new Map<number | undefined, { run: string; named: boolean }>();
  let last = "";
  let barShown = false;
  function handle(r: ProgressRecord & { pid?: number }) {
    if (!runs.has(r.pid)) runs.set(r.pid, { run: "-", named: false });
    const p = runs.get(r.pid)!;
    if (r.kind === "log") {
      write(`${barShown ? "\n" : ""}  ${notebook}: ${r.text}\n`);
      barShown = false;
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
      if (!tty) return write(`${line}\n`);
      barShown = r.epoch < r.epochs;
      write(`\r\x1b[2K${bar(r.epoch, r.epochs)} ${line}${barShown ? "" : "\n"}`);
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
      if (barShown) write("\n");
    },
    where: () => last === "" ? notebook : `${notebook} (run ${last})`,
  };
}

/** The closing table: seconds per notebook and the total. */
export function timingTable(rows: { file: string; seconds: number }[]): string {
  const w = Math.max(8, ...rows.map((r) => r.file.length));
  const total = rows.reduce((s, r) => s + r.seconds, 0);
  return [
    `${"notebook".padEnd(w)}  seconds`,
    ...rows.map((r) => `${r.file.padEnd(w)}  ${r.seconds.toFixed(1).padStart(7)}`),
    `${"total".padEnd(w)}  ${total.toFixed(1).padStart(7)}`,
  ].join("\n");
}
