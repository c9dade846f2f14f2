/**
 * Informational log lines (backend, data, which run is reused) and the report's progress
 * feed. On a terminal a line goes to stderr; in a Jupyter notebook it becomes a small
 * collapsible `<details>` element, never a stderr box that looks like an error. When
 * `deno task report` runs the notebook, every line and every epoch is also appended as one
 * JSON object per line to the file named by {@linkcode PROGRESS_FILE_VARIABLE}, which the
 * report reads to show progress.
 *
 * @module
 */
import { escapeHtml } from "../text.ts";

/** Environment variable naming the JSON-lines file the report follows. */
export const PROGRESS_FILE_VARIABLE = "REPORT_PROGRESS_FILE";

/** One record of the progress feed. */
export type ProgressRecord =
  | { kind: "log"; text: string }
  /** The run whose training comes next, whatever its `log` option (a sweep's may be silent). */
  | { kind: "run"; name: string }
  | { kind: "begin"; epochs: number; startEpoch: number; batches: number }
  | {
    kind: "epoch";
    epoch: number;
    epochs: number;
    loss: number;
    val_loss: number;
    images_per_second: number;
    eta: number;
  };

/**
 * Appends `record` to the progress feed when {@linkcode PROGRESS_FILE_VARIABLE} is set;
 * otherwise does nothing. Never throws: progress must not break a training run.
 */
export function appendProgress(record: ProgressRecord): void {
  try {
    const path = Deno.env.get(PROGRESS_FILE_VARIABLE);
    if (path) Deno.writeTextFileSync(path, JSON.stringify(record) + "\n", { append: true });
  } catch {
    // No permission or no such folder: no progress feed, same training.
  }
}

/**
 * Tag in the metadata of every log output in a notebook (log lines, training progress), so
 * pages without code can leave logs out (nbconvert's
 * `TagRemovePreprocessor.remove_single_output_tags`).
 */
export const LOG_OUTPUT_TAG = "log";

interface JupyterDisplay {
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

/**
 * The HTML a log line becomes in a notebook: a collapsed `<details>` whose summary is the
 * line's start.
 *
 * @example
 * ```ts
 * import { logHtml } from "./log.ts";
 * const html = logHtml("backend: wasm");
 * if (!html.startsWith("<details")) throw new Error(html);
 * ```
 */
export function logHtml(line: string): string {
  const short = line.length > 72 ? `${line.slice(0, 71)}…` : line;
  return `<details class="log" style="color:#777;font-size:85%"><summary>log: ${
    escapeHtml(short)
  }</summary><pre>${escapeHtml(line)}</pre></details>`;
}

/** `Deno.jupyter` inside the Jupyter kernel, else `undefined` (outside, the getter throws). */
function jupyterDisplay(): JupyterDisplay | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
  } catch {
    return undefined;
  }
}

/** Logs one informational line (see the module doc). */
export function logLine(line: string): void {
  appendProgress({ kind: "log", text: line });
  const jupyter = jupyterDisplay();
  if (jupyter) {
    void jupyter.broadcast("display_data", {
      data: { "text/html": logHtml(line), "text/plain": line },
      metadata: { tags: [LOG_OUTPUT_TAG] },
      transient: {},
    });
  } else console.error(line);
}
