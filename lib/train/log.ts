/**
 * Log lines (backend, data, which run is reused) and the report's progress feed. On a terminal a
 * line goes to stderr; in a notebook it becomes a collapsed `<details>`, not a stderr box. Under
 * `deno task report`, every line and epoch is also appended as one JSON object per line to the
 * file set by {@linkcode setProgressFile} (the notebooks' `progress` parameter), which the
 * report follows.
 *
 * @module
 */
import { escapeHtml } from "../text.ts";
import type { EpochLog } from "./train.ts";

/** Tag of every log output in a notebook, so pages without code can leave logs out. */
export const LOG_OUTPUT_TAG = "log";

/** One record of the progress feed. */
export type ProgressRecord =
  | { kind: "log"; text: string }
  /** The run whose training comes next, whatever its `log` option (a sweep's may be silent). */
  | { kind: "run"; name: string }
  | { kind: "begin"; epochs: number; startEpoch: number; batches: number }
  /** An epoch of {@linkcode EpochLog}, of `epochs` in all, and the seconds left. */
  | { kind: "epoch"; epochs: number; eta: number } & EpochLog;

let feed: string | undefined;

/** Sets (or, with `undefined`, unsets) this process's progress feed. */
export function setProgressFile(path: string | undefined): void {
  feed = path;
}

/** This process's progress feed, if set. */
export function progressFile(): string | undefined {
  return feed;
}

/** Appends `record` (and the writer's PID) to the progress feed when one is set. Never throws. */
export function appendProgress(record: ProgressRecord): void {
  if (!feed) return;
  // The PID tells whose training an epoch is when several processes feed one file.
  const line = JSON.stringify({ ...record, pid: Deno.pid }) + "\n";
  try {
    Deno.writeTextFileSync(feed, line, { append: true });
  } catch {
    // No feed, same training.
  }
}

/** `Deno.jupyter` inside the Jupyter kernel, else `undefined` (outside, the getter throws). */
export function jupyter():
  | { broadcast(type: string, content: Record<string, unknown>): Promise<void> }
  | undefined {
  try {
    return (Deno as unknown as { jupyter?: ReturnType<typeof jupyter> }).jupyter;
  } catch {
    return undefined;
  }
}

/** A log line as a notebook shows it: a collapsed `<details>` whose summary is its start. */
export function logHtml(line: string): string {
  const short = line.length > 72 ? `${line.slice(0, 71)}…` : line;
  return `<details class="log" style="color:#777;font-size:85%"><summary>log: ${
    escapeHtml(short)
  }</summary><pre>${escapeHtml(line)}</pre></details>`;
}

/** Logs one line (see the module doc). */
export function logLine(line: string): void {
  appendProgress({ kind: "log", text: line });
  const display = jupyter();
  if (!display) return console.error(line);
  void display.broadcast("display_data", {
    data: { "text/html": logHtml(line), "text/plain": line },
    metadata: { tags: [LOG_OUTPUT_TAG] },
    transient: {},
  });
}
