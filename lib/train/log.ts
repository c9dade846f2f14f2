/**
 * Log lines (backend, data, which run is reused) and the report's progress feed. On a terminal a
 * line goes to stderr; in a notebook it becomes a collapsed `<details>`, not a stderr box. Under
 * `deno task report`, every line and epoch is also appended as one JSON object per line to the
 * file set by {@linkcode setProgressFile} (the notebooks' `progress` parameter), which the
 * report follows. And the progress displays of `trainDenoiser`: one line per epoch on
 * a terminal, a table updated in place in a notebook.
 *
 * @module
 */
import { escapeHtml } from "../text.ts";
import type { EpochLog, TrainCallbacks } from "./train.ts";

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

/** Seconds as "1h02m", "3m04s" or "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s >= 3600) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return s >= 60 ? `${Math.floor(s / 60)}m${two(s % 60)}s` : `${s}s`;
}

/** E.g. `epoch  3/20  loss 0.03121  val_loss 0.02984  lr 1.0e-3  412 img/s  ETA 1m02s`. */
function formatEpoch(log: EpochLog, epochs: number, etaSeconds: number): string {
  return `epoch ${String(log.epoch).padStart(String(epochs).length)}/${epochs}  ` +
    `loss ${log.loss.toFixed(5)}  val_loss ${log.val_loss.toFixed(5)}  ` +
    `lr ${log.lr.toExponential(1)}  ${Math.round(log.images_per_second)} img/s  ` +
    `ETA ${formatDuration(etaSeconds)}`;
}

/**
 * A terminal display on stderr: a header, one line per epoch, and while `live` a batch counter
 * redrawn in place. @default live: stderr is a terminal
 */
export function consoleProgress(
  { live = Deno.stderr.isTerminal() }: { live?: boolean } = {},
): TrainCallbacks {
  const write = (t: string) => Deno.stderr.writeSync(new TextEncoder().encode(t));
  return {
    onTrainBegin({ epochs, startEpoch, batches }) {
      const from = startEpoch > 0 ? `, resuming after epoch ${startEpoch}` : "";
      write(`training ${epochs} epochs of ${batches} batches${from}\n`);
    },
    onBatchEnd({ epoch, batch, batches, loss }) {
      if (live) write(`\r  epoch ${epoch} batch ${batch}/${batches}  loss ${loss.toFixed(5)}`);
    },
    onEpochEnd(log, _history, epochs, eta) {
      write(`${live ? "\r\x1b[2K" : ""}${formatEpoch(log, epochs, eta)}\n`);
    },
  };
}

function progressHtml(rows: readonly EpochLog[], epochs: number, status: string): string {
  const cells = rows.map((h) =>
    `<tr><td>${h.epoch}</td><td>${h.loss.toFixed(5)}</td><td>${h.val_loss.toFixed(5)}</td>` +
    `<td>${h.lr.toExponential(1)}</td><td>${Math.round(h.images_per_second)}</td></tr>`
  ).join("");
  const pct = Math.round((100 * rows.length) / Math.max(1, epochs));
  return `<div><progress value="${rows.length}" max="${epochs}"></progress> ${pct}% — ${status}` +
    `<table><thead><tr><th>epoch</th><th>loss</th><th>val_loss</th><th>lr</th>` +
    `<th>img/s</th></tr></thead><tbody>${cells}</tbody></table></div>`;
}

/**
 * In the Deno Jupyter kernel, one output updated in place after every epoch and every tenth
 * batch, ending as a table of the whole history; elsewhere {@linkcode consoleProgress}.
 */
export function notebookProgress(): TrainCallbacks {
  const display = jupyter();
  if (!display) return consoleProgress();
  const id = `train-progress-${crypto.randomUUID()}`;
  let history: readonly EpochLog[] = [];
  let total = 0;
  let shown = false;
  const show = (status: string, text = "training") => {
    void display.broadcast(shown ? "update_display_data" : "display_data", {
      data: { "text/html": progressHtml(history, total, status), "text/plain": text },
      metadata: { tags: [LOG_OUTPUT_TAG] },
      transient: { display_id: id },
    });
    shown = true;
  };
  return {
    onTrainBegin(info) {
      total = info.epochs;
      show(info.startEpoch > 0 ? `resuming after epoch ${info.startEpoch}` : "starting");
    },
    onBatchEnd({ epoch, batch, batches, loss }) {
      if (batch % 10 === 0 || batch === batches) {
        show(`epoch ${epoch}, batch ${batch}/${batches}, loss ${loss.toFixed(5)}`);
      }
    },
    onEpochEnd(log, all, epochs, eta) {
      history = all;
      const line = formatEpoch(log, epochs, eta);
      show(log.epoch === epochs ? "done" : line, line);
    },
  };
}
