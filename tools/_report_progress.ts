/**
 * What `deno task report` shows while nbconvert runs a notebook: it follows the JSON-lines
 * progress feed the kernel appends to (lib/train/log.ts) and prints one line per epoch — notebook,
 * run, epoch k/N, loss, images/s, ETA — as plain lines, or as a redrawn progress bar on a
 * terminal. Also the up-front estimate and the closing table of seconds per notebook.
 *
 * @module
 */
import { basename } from "node:path";
import type { ProgressRecord } from "../lib/train/log.ts";
import { formatDuration } from "../lib/train/progress.ts";

/** One epoch as the report prints it. */
export function epochLine(
  notebook: string,
  run: string,
  r: Extract<ProgressRecord, { kind: "epoch" }>,
): string {
  const w = String(r.epochs).length;
  return `${notebook}  run ${run}  epoch ${String(r.epoch).padStart(w)}/${r.epochs}  ` +
    `loss ${r.loss.toFixed(5)}  ${Math.round(r.images_per_second)} img/s  ` +
    `ETA ${formatDuration(r.eta)}`;
}

/** A text progress bar, e.g. `[#####-----]` for 1/2. */
export function bar(done: number, total: number, width = 20): string {
  const n = Math.round((width * Math.min(done, total)) / Math.max(1, total));
  return `[${"#".repeat(n)}${"-".repeat(width - n)}]`;
}

/** Options of {@linkcode followProgress}. */
export interface FollowOptions {
  /** Where text goes. @default stderr */
  write?: (text: string) => void;
  /** Redraw one bar line in place instead of printing lines. @default stderr is a terminal */
  tty?: boolean;
  /** Milliseconds between reads of the feed. @default 250 */
  intervalMs?: number;
}

/** A running follower; `stop()` reads what is left and ends it. */
export interface Follower {
  /** Reads the rest of the feed, prints it, and stops following. */
  stop(): Promise<void>;
  /** The run and epoch last seen, for "stopped during …" messages. */
  where(): string;
}

/** Follows the feed file `path` for notebook `notebook` (see the module doc). */
export function followProgress(
  path: string,
  notebook: string,
  options: FollowOptions = {},
): Follower {
  const encoder = new TextEncoder();
  const write = options.write ?? ((t: string) => void Deno.stderr.writeSync(encoder.encode(t)));
  const tty = options.tty ?? Deno.stderr.isTerminal();
  let offset = 0;
  let rest = "";
  let run = "-";
  // Whether the training about to start was announced by a "run: NAME" line.
  let named = false;
  let last = "";
  let barShown = false;
  function handle(r: ProgressRecord) {
    if (r.kind === "log") {
      const m = /^run: (.+)$/.exec(r.text);
      if (m) {
        run = basename(m[1]);
        named = true;
      }
      if (barShown) write("\n");
      barShown = false;
      write(`  ${notebook}: ${r.text}\n`);
    } else if (r.kind === "run") {
      run = r.name;
      named = true;
    } else if (r.kind === "begin") {
      // A training nobody announced (e.g. a sweep cell logging elsewhere) has no run name.
      if (!named) run = "(unnamed)";
      named = false;
    } else if (r.kind === "epoch") {
      const line = epochLine(notebook, run, r);
      last = `${run}, epoch ${r.epoch}/${r.epochs}`;
      if (tty) {
        write(`\r\x1b[2K${bar(r.epoch, r.epochs)} ${line}`);
        barShown = r.epoch < r.epochs;
        if (!barShown) write("\n");
      } else {
        write(`${line}\n`);
      }
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
        // A torn line cannot happen with appends under PIPE_BUF; skip anything else.
      }
    }
  }
  const timer = setInterval(read, options.intervalMs ?? 250);
  return {
    stop() {
      clearInterval(timer);
      read();
      if (barShown) write("\n");
      return Promise.resolve();
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
