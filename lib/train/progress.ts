/**
 * Progress displays for {@linkcode trainDenoiser}: one line per epoch on a terminal, a table
 * updated in place in a notebook. (The loop itself feeds the report's progress.)
 *
 * @module
 */
import { jupyter, LOG_OUTPUT_TAG } from "./log.ts";
import type { EpochLog, TrainCallbacks } from "./train.ts";

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
