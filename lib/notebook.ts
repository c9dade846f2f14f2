/**
 * Glue for the notebooks in `notebooks/`: the settings a notebook runs with, where its
 * outputs go, and {@linkcode show}, which displays figures, tables and text in the Deno
 * Jupyter kernel.
 *
 * The Deno kernel (2.9) can report a cell finished while some of its outputs are still
 * queued, and `jupyter nbconvert --execute` then drops those outputs at random: a cell's
 * last-expression result, and even the last `Deno.jupyter.display` calls. So notebooks
 * display everything through {@linkcode show}, which waits briefly after displaying.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { join, resolve } from "node:path";
import { configFromEnv, defaultRunName, type ExperimentConfig } from "./config.ts";
import { InputError } from "./errors.ts";
import { escapeHtml } from "./text.ts";
import { type ChartElement, svgString } from "./figures.ts";

/** Environment variable holding the output root (runs go under `OUTPUT_DIR/runs/`). */
export const OUTPUT_DIR_VARIABLE = "OUTPUT_DIR";
/** Environment variable holding the epochs of each noise-sweep run (notebooks 5 and 6). */
export const SWEEP_EPOCHS_VARIABLE = "SWEEP_EPOCHS";
/** The report's test MSE at noise factor 0.5 (60,000 training digits, 10,000 test digits). */
export const REPORT_TEST_MSE = 0.013719023205339909;
/** Training images in the report (all of MNIST's training set). */
export const REPORT_TRAIN_IMAGES = 60_000;
/** Test images in the report (all of MNIST's test set). */
export const REPORT_TEST_IMAGES = 10_000;

/** `outputs/` at the repository root: notebooks run in `notebooks/`, so a relative path would not do. */
export function defaultOutputRoot(): string {
  return join(import.meta.dirname!, "..", "outputs");
}

/** What a notebook runs with. */
export interface NotebookSettings {
  /** The validated experiment settings. */
  config: ExperimentConfig;
  /** Output root, absolute. */
  out: string;
  /** Name of the run these settings train (see {@linkcode defaultRunName}). */
  name: string;
}

/**
 * The settings of a notebook's first cell: the report's defaults, then `overrides` (what a
 * person edits in the cell), then the environment variables of {@linkcode configFromEnv}
 * (what `deno task report` sets), which win. The output root is `$OUTPUT_DIR` when set,
 * else `outputs/` at the repository root. Throws {@linkcode InputError} on a bad value.
 *
 * @example
 * ```ts
 * import { notebookConfig } from "./notebook.ts";
 * const { config, out } = notebookConfig({ epochs: 5 }, { NOISE_FACTOR: "0.3", OUTPUT_DIR: "/tmp/o" });
 * console.assert(config.noise === 0.3 && config.epochs === 5 && out === "/tmp/o");
 * ```
 */
export function notebookConfig(
  overrides: Partial<ExperimentConfig> = {},
  env: Record<string, string | undefined> = Deno.env.toObject(),
): NotebookSettings {
  const config = configFromEnv(env, overrides);
  const dir = env[OUTPUT_DIR_VARIABLE];
  const out = dir ? resolve(dir) : defaultOutputRoot();
  return { config, out, name: defaultRunName(config) };
}

/** Epochs of each learned model in the notebooks' noise sweeps (05, 06) unless `$SWEEP_EPOCHS`. */
export const NOTEBOOK_SWEEP_EPOCHS = 5;
/** Training images of each model in the notebooks' sweeps unless `$SWEEP_TRAIN_SIZE`. */
export const NOTEBOOK_SWEEP_TRAIN = 3000;
/** Environment variable: training images of each model in the notebooks' sweeps. */
export const SWEEP_TRAIN_VARIABLE = "SWEEP_TRAIN_SIZE";

/**
 * The settings of every model the notebooks' noise sweeps train (notebooks 5 and 6): `config`
 * with `$SWEEP_EPOCHS` epochs (default {@linkcode NOTEBOOK_SWEEP_EPOCHS}) and `$SWEEP_TRAIN_SIZE`
 * training images (default {@linkcode NOTEBOOK_SWEEP_TRAIN}, at most `config.train`). The
 * lighter profile keeps `deno task report` within minutes while it trains a dozen models; run
 * `deno task sweep` for the full-size sweep and point notebook 6 at it with `$SWEEP_NAME`.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { sweepProfile } from "./notebook.ts";
 * console.assert(sweepProfile(DEFAULT_CONFIG, {}).train === 3000);
 * console.assert(sweepProfile(DEFAULT_CONFIG, { SWEEP_EPOCHS: "2" }).epochs === 2);
 * ```
 */
export function sweepProfile(
  config: ExperimentConfig,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): ExperimentConfig {
  const epochs = sweepEpochs({ ...config, epochs: NOTEBOOK_SWEEP_EPOCHS }, env);
  const raw = env[SWEEP_TRAIN_VARIABLE];
  let train = Math.min(config.train, NOTEBOOK_SWEEP_TRAIN);
  if (raw !== undefined && raw !== "") {
    train = Number(raw);
    if (!Number.isInteger(train) || train < 1) {
      throw new InputError(`${SWEEP_TRAIN_VARIABLE} must be a whole number ≥ 1, got "${raw}"`);
    }
  }
  return { ...config, epochs, train };
}

/**
 * Epochs of each run in a noise-factor sweep: `$SWEEP_EPOCHS`, else `config.epochs` (pass the
 * sweep's default there, e.g. `{ ...config, epochs: DEFAULT_SWEEP_EPOCHS }`).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { sweepEpochs } from "./notebook.ts";
 * console.assert(sweepEpochs(DEFAULT_CONFIG, { SWEEP_EPOCHS: "4" }) === 4);
 * console.assert(sweepEpochs(DEFAULT_CONFIG, {}) === DEFAULT_CONFIG.epochs);
 * ```
 */
export function sweepEpochs(
  config: ExperimentConfig,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number {
  const raw = env[SWEEP_EPOCHS_VARIABLE];
  if (raw === undefined || raw === "") return config.epochs;
  const epochs = Number(raw);
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new InputError(`${SWEEP_EPOCHS_VARIABLE} must be a whole number ≥ 1, got "${raw}"`);
  }
  return epochs;
}

/** A Jupyter MIME bundle: MIME type → content (base64 for binary types). */
export type MimeBundle = Record<string, string>;

/**
 * What {@linkcode show} displays: a chart from `lib/figures.ts` (as inline SVG), PNG bytes (e.g.
 * from `imageGridPng`), a string (as Markdown), or a ready {@linkcode MimeBundle} (from
 * {@linkcode html} or {@linkcode table}).
 */
export type Showable = ChartElement | Uint8Array | string | MimeBundle;

/**
 * The MIME bundle {@linkcode show} sends for `item`.
 *
 * @example
 * ```ts
 * import { mimeBundle } from "./notebook.ts";
 * console.assert(mimeBundle("**bold**")["text/markdown"] === "**bold**");
 * ```
 */
export function mimeBundle(item: Showable): MimeBundle {
  if (typeof item === "string") return { "text/markdown": item, "text/plain": item };
  if (item instanceof Uint8Array) {
    return { "image/png": Buffer.from(item).toString("base64"), "text/plain": "<PNG image>" };
  }
  if ("outerHTML" in item && typeof item.outerHTML === "string") {
    // text/html first: nbconvert's HTML export strips image/svg+xml down to its text.
    const svg = svgString(item as ChartElement);
    return { "text/html": svg, "image/svg+xml": svg, "text/plain": "<SVG chart>" };
  }
  return item as MimeBundle;
}

/** Milliseconds {@linkcode show} waits after displaying, so its outputs leave before the cell ends. */
export const SETTLE_MS = 100;

interface JupyterDisplay {
  display(bundle: MimeBundle, options: { raw: true }): Promise<void>;
}

/**
 * Displays each item as its own output of the running notebook cell (see the module doc
 * for why notebooks use this instead of a last expression). Outside the Deno kernel it
 * prints each item's `text/plain` form.
 */
export async function show(...items: Showable[]): Promise<void> {
  const jupyter = (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
  for (const item of items) {
    const bundle = mimeBundle(item);
    if (jupyter) await jupyter.display(bundle, { raw: true });
    else console.log(bundle["text/plain"] ?? Object.keys(bundle).join(", "));
  }
  // Let the kernel send the queued outputs before the cell can end (see the module doc).
  if (jupyter) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/**
 * HTML markup as a bundle for {@linkcode show} (e.g. from `imageGridHtml`).
 *
 * @example
 * ```ts
 * import { html } from "./notebook.ts";
 * console.assert(html("<b>x</b>")["text/html"] === "<b>x</b>");
 * ```
 */
export function html(markup: string): MimeBundle {
  return { "text/html": markup, "text/plain": markup.replace(/<[^>]*>/g, "") };
}

/**
 * Formats a table cell: integers with thousands separators, other numbers to 4
 * significant digits, anything else as text.
 *
 * @example
 * ```ts
 * import { formatCell } from "./notebook.ts";
 * console.assert(formatCell(178001) === "178,001" && formatCell(0.0137190232) === "0.01372");
 * ```
 */
export function formatCell(value: unknown): string {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/**
 * Rows of objects as a table bundle for {@linkcode show}: one column per key of the first
 * row, cells through {@linkcode formatCell}, numbers right-aligned.
 *
 * @example
 * ```ts
 * import { table } from "./notebook.ts";
 * const t = table([{ layer: "latent", params: 50192 }]);
 * console.assert(t["text/html"].includes("50,192") && t["text/plain"].includes("latent"));
 * ```
 */
export function table(rows: readonly object[]): MimeBundle {
  const cells = rows as readonly Record<string, unknown>[];
  const columns = cells.length > 0 ? Object.keys(cells[0]) : [];
  const align = (v: unknown) => typeof v === "number" ? ' style="text-align: right"' : "";
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = cells.map((r) =>
    `<tr>${
      columns.map((c) => `<td${align(r[c])}>${escapeHtml(formatCell(r[c]))}</td>`).join("")
    }</tr>`
  ).join("\n");
  const text = [columns, ...cells.map((r) => columns.map((c) => formatCell(r[c])))]
    .map((line) => line.join("\t")).join("\n");
  return {
    "text/html": `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`,
    "text/plain": text,
  };
}

/**
 * The settings of a notebook as a two-column table, with the run they name and the
 * output root, for the first cell to show.
 */
export function settingsTable(settings: NotebookSettings): MimeBundle {
  const rows: { setting: string; value: unknown }[] = Object.entries(settings.config).map((
    [setting, value],
  ) => ({ setting, value }));
  rows.push({ setting: "run name", value: settings.name }, {
    setting: "output root",
    value: settings.out,
  });
  return table(rows);
}
