/**
 * Progress displays for {@linkcode trainDenoiser}: one line per epoch on a terminal, or a
 * live-updating table in a Jupyter notebook.
 *
 * @module
 */
import { appendProgress, LOG_OUTPUT_TAG } from "./log.ts";
import type { EpochLog, TrainCallbacks } from "./train.ts";

/** Formats seconds as "1h02m", "3m04s" or "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/**
 * The one-line summary of an epoch, e.g.
 * `epoch  3/20  loss 0.03121  val_loss 0.02984  lr 1.0e-3  412 img/s  ETA 1m02s`.
 */
export function formatEpoch(log: EpochLog, epochs: number, etaSeconds: number): string {
  const w = String(epochs).length;
  return `epoch ${String(log.epoch).padStart(w)}/${epochs}  loss ${log.loss.toFixed(5)}  ` +
    `val_loss ${log.val_loss.toFixed(5)}  lr ${log.lr.toExponential(1)}  ` +
    `${Math.round(log.images_per_second)} img/s  ETA ${formatDuration(etaSeconds)}`;
}

/** Seconds per epoch so far (wall clock, validation included) times the epochs left. */
function makeEta(): {
  start(epochs: number, startEpoch: number): void;
  eta(epoch: number): number;
} {
  let t0 = 0, first = 0, total = 0;
  return {
    start(epochs, startEpoch) {
      t0 = performance.now();
      first = startEpoch;
      total = epochs;
    },
    eta(epoch) {
      const perEpoch = (performance.now() - t0) / 1000 / Math.max(1, epoch - first);
      return perEpoch * (total - epoch);
    },
  };
}

/** Options of {@linkcode consoleProgress}. */
export interface ConsoleProgressOptions {
  /** Where lines go. @default writes to stderr */
  write?: (text: string) => void;
  /** Also redraw a batch counter in place (`\r`) while an epoch runs. @default stderr is a TTY */
  live?: boolean;
}

/**
 * A terminal progress display: a header, a live batch counter when on a TTY, and one line
 * per epoch with loss, val_loss, learning rate, images/s and ETA.
 */
export function consoleProgress(options: ConsoleProgressOptions = {}): TrainCallbacks {
  const encoder = new TextEncoder();
  const write = options.write ?? ((t: string) => Deno.stderr.writeSync(encoder.encode(t)));
  const live = options.live ?? Deno.stderr.isTerminal();
  const timer = makeEta();
  return {
    onTrainBegin({ epochs, startEpoch, batches }) {
      timer.start(epochs, startEpoch);
      const from = startEpoch > 0 ? `, resuming after epoch ${startEpoch}` : "";
      write(`training ${epochs} epochs of ${batches} batches${from}\n`);
    },
    onBatchEnd({ epoch, batch, batches, loss }) {
      if (live) write(`\r  epoch ${epoch} batch ${batch}/${batches}  loss ${loss.toFixed(5)}`);
    },
    onEpochEnd(log, _history, epochs) {
      write(`${live ? "\r\x1b[2K" : ""}${formatEpoch(log, epochs, timer.eta(log.epoch))}\n`);
    },
  };
}

interface JupyterLike {
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

/** The Deno kernel's `Deno.jupyter`, when running inside a notebook. */
function jupyter(): JupyterLike | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterLike }).jupyter;
  } catch {
    // Outside `deno jupyter` the getter throws.
    return undefined;
  }
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
 * Callbacks that append each training start and epoch to the report's progress feed
 * (`appendProgress` in lib/train/log.ts; nothing happens unless `deno task report` set it up).
 */
export function feedProgress(): TrainCallbacks {
  const timer = makeEta();
  return {
    onTrainBegin(info) {
      timer.start(info.epochs, info.startEpoch);
      appendProgress({ kind: "begin", ...info });
    },
    onEpochEnd(log, _history, epochs) {
      appendProgress({
        kind: "epoch",
        epoch: log.epoch,
        epochs,
        loss: log.loss,
        val_loss: log.val_loss,
        images_per_second: log.images_per_second,
        eta: timer.eta(log.epoch),
      });
    },
  };
}

/** Calls every callback of `list` in turn. */
function allOf(...list: TrainCallbacks[]): TrainCallbacks {
  return {
    onTrainBegin: (info) => list.forEach((c) => c.onTrainBegin?.(info)),
    onBatchEnd: (info) => list.forEach((c) => c.onBatchEnd?.(info)),
    onEpochEnd: (log, history, epochs) => list.forEach((c) => c.onEpochEnd?.(log, history, epochs)),
  };
}

/**
 * A live display for the Deno Jupyter kernel: one output that updates in place after every
 * epoch (and every few batches), ending as a table of the whole history. Outside a notebook
 * it falls back to {@linkcode consoleProgress}. Either way it also feeds the report's
 * progress ({@linkcode feedProgress}).
 */
export function notebookProgress(): TrainCallbacks {
  return allOf(displayProgress(), feedProgress());
}

function displayProgress(): TrainCallbacks {
  const jp = jupyter();
  if (!jp) return consoleProgress();
  const id = `train-progress-${crypto.randomUUID()}`;
  const timer = makeEta();
  let history: readonly EpochLog[] = [];
  let total = 0;
  let shown = false;
  function show(status: string, text: string) {
    const content = {
      data: { "text/html": progressHtml(history, total, status), "text/plain": text },
      metadata: { tags: [LOG_OUTPUT_TAG] },
      transient: { display_id: id },
    };
    void jp!.broadcast(shown ? "update_display_data" : "display_data", content);
    shown = true;
  }
  return {
    onTrainBegin({ epochs, startEpoch }) {
      total = epochs;
      timer.start(epochs, startEpoch);
      show(startEpoch > 0 ? `resuming after epoch ${startEpoch}` : "starting", "training");
    },
    onBatchEnd({ epoch, batch, batches, loss }) {
      if (batch % 10 === 0 || batch === batches) {
        show(`epoch ${epoch}, batch ${batch}/${batches}, loss ${loss.toFixed(5)}`, "training");
      }
    },
    onEpochEnd(log, all, epochs) {
      history = all;
      const line = formatEpoch(log, epochs, timer.eta(log.epoch));
      show(log.epoch === epochs ? "done" : line, line);
    },
  };
}
