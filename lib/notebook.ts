/**
 * Glue for the notebooks in `notebooks/`: the settings a notebook runs with, where its
 * outputs go, and {@linkcode show}, which displays figures, tables and text in the Deno
 * Jupyter kernel.
 *
 * A notebook's settings come from one place: its cell tagged `parameters` (`params`), which
 * a person edits in JupyterLab and papermill or `deno task report` extend with the cell it
 * injects after it (tagged `injected-parameters`). {@linkcode notebookSettings} validates
 * them, once. No environment variable is read here.
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
import {
  CONFIG_RANGES,
  DEFAULT_CONFIG,
  defaultRunName,
  type ExperimentConfig,
  parseNumber,
  validateConfig,
  withReportProfile,
} from "./runs/config.ts";
import type { ClaimResult } from "./claims/compare.ts";
import { claimText } from "./claims/words.ts";
import { JOBS_RANGE, THREADS_RANGE } from "./flag_table.ts";
import { allCores } from "./kernels/kernel_options.ts";
import { parseNoiseFactors, sweepSettings } from "./sweep/plan.ts";
import { InputError } from "./errors.ts";
import { DEFAULT_CLAIM_SEEDS } from "./sweep/cells.ts";
import { type NotebookSweep, sweepProfile } from "./notebook_sweep.ts";
import { escapeHtml } from "./text.ts";
import { setProgressFile } from "./train/log.ts";
import { type ChartElement, svgString } from "./figures/svg.ts";

/** `outputs/` at the repository root: notebooks run in `notebooks/`, so a relative path would not do. */
export function defaultOutputRoot(): string {
  return join(import.meta.dirname!, "..", "outputs");
}

/**
 * What a notebook's parameter cell may set: any experiment setting, plus the notebooks' own.
 * Anything else is refused by {@linkcode notebookSettings}.
 */
export type NotebookParams = Partial<ExperimentConfig> & {
  /** Epochs of each model of the notebooks' sweeps. @default 5 */
  sweepEpochs?: number;
  /** Training images of each model of the notebooks' sweeps, at most `train`. @default 3000 */
  sweepTrain?: number;
  /** Sweep notebook 06 reads (or runs). @default named by its settings */
  sweepName?: string;
  /** Noise factors of notebook 06's sweep. @default "0.5" (NOTEBOOK_SWEEP_NOISE) */
  sweepNoise?: string | number[];
  /** Output root: runs in `out/runs/`, sweeps in `out/sweeps/`. @default outputs/ at the repository root */
  out?: string;
  /** Threads of the wasm kernels (speed only, not a run's identity). @default every core */
  threads?: number;
  /** Processes training the sweeps' models at once (lib/sweep/jobs.ts). @default every core */
  jobs?: number;
  /** The progress feed `deno task report` follows (lib/train/log.ts). @default none */
  progress?: string;
  /**
   * What the parameter cell held before papermill injected its values (set by the injected
   * cell): still validated, so a bad value typed there is never silently replaced.
   */
  typed?: NotebookParams;
};

/** What a notebook runs with. */
export interface NotebookSettings {
  /** The validated experiment settings. */
  config: ExperimentConfig;
  /** Output root, absolute. */
  out: string;
  /** Name of the run these settings train (see {@linkcode defaultRunName}). */
  name: string;
  /** Settings of every model of the notebooks' sweeps (see `sweepProfile`). */
  sweep: ExperimentConfig;
  /** Sweep name notebook 06 reads, when one is given. */
  sweepName?: string;
  /** Noise factors of notebook 06's sweep, validated, when given. */
  sweepNoise?: number[];
  /** Threads of the wasm kernels, for `selectBackend`. @default every core */
  threads: number;
  /** Processes of the notebooks' sweeps. @default every core */
  jobs: number;
}

const OWN_KEYS = [
  ...["sweepEpochs", "sweepTrain", "sweepName", "sweepNoise", "out", "threads", "jobs"],
  "progress",
];

/**
 * The settings of a notebook from its `params` (the parameter cell, with what papermill or
 * the report injected), else the report profile's defaults. Throws `InputError` with one
 * line naming the parameter at fault, or an unknown one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { notebookSettings } from "./notebook.ts";
 * const s = notebookSettings({ noise: 0.3, epochs: 5, out: "/tmp/o" });
 * assertEquals([s.config.noise, s.config.epochs, s.out, s.sweep.epochs], [0.3, 5, "/tmp/o", 5]);
 * ```
 */
export function notebookSettings(params: NotebookParams = {}): NotebookSettings {
  const { typed, ...given } = params;
  if (typed && Object.keys(typed).length > 0) {
    try {
      notebookSettings(typed);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(`in the parameter cell: ${e.message}`);
    }
  }
  const keys = Object.keys(DEFAULT_CONFIG);
  const unknown = Object.keys(given).find((k) => !keys.includes(k) && !OWN_KEYS.includes(k));
  if (unknown !== undefined) {
    throw new InputError(
      `unknown parameter "${unknown}"; known: ${[...keys, ...OWN_KEYS].join(", ")}`,
    );
  }
  const v = given as Record<string, unknown>;
  // Plumbing, not a setting: where this kernel's log lines and epochs go.
  setProgressFile(v.progress === undefined ? undefined : String(v.progress));
  const partial = Object.fromEntries(Object.entries(v).filter(([k]) => keys.includes(k)));
  const labels = Object.fromEntries(keys.map((k) => [k, k]));
  const config = validateConfig(withReportProfile(partial), labels);
  const number = (key: string, range: typeof THREADS_RANGE) =>
    v[key] === undefined ? undefined : parseNumber(key, v[key], range);
  const sweep = sweepProfile(config, {
    epochs: number("sweepEpochs", CONFIG_RANGES.epochs),
    train: number("sweepTrain", CONFIG_RANGES.train),
  });
  if (sweep.train > config.train) {
    throw new InputError(
      `sweepTrain ${sweep.train} exceeds the ${config.train} training images of the ` +
        `report's runs (train); the sweep trains on a part of them`,
    );
  }
  return {
    config,
    out: v.out === undefined ? defaultOutputRoot() : resolve(String(v.out)),
    name: defaultRunName(config),
    sweep,
    sweepName: v.sweepName === undefined ? undefined : String(v.sweepName),
    sweepNoise: v.sweepNoise === undefined ? undefined : parseNoiseFactors(
      v.sweepNoise as string | number[],
      config.noiseType,
      "sweepNoise",
    ),
    threads: number("threads", THREADS_RANGE) ?? allCores(),
    jobs: number("jobs", JOBS_RANGE) ?? allCores(),
  };
}

/** A Jupyter MIME bundle: MIME type → content (base64 for binary types). */
export type MimeBundle = Record<string, string>;

/**
 * What {@linkcode show} displays: a chart from `lib/figures/charts.ts` (as inline SVG), PNG bytes (e.g.
 * from `imageGridPng`), a string (as Markdown), or a ready {@linkcode MimeBundle} (from
 * {@linkcode html} or {@linkcode table}).
 */
export type Showable = ChartElement | Uint8Array | string | MimeBundle;

/**
 * The MIME bundle {@linkcode show} sends for `item`.
 */
export function mimeBundle(item: Showable): MimeBundle {
  if (typeof item === "string") return { "text/markdown": item, "text/plain": item };
  if (item instanceof Uint8Array) {
    return { "image/png": Buffer.from(item).toString("base64"), "text/plain": "<PNG image>" };
  }
  if ("outerHTML" in item && typeof item.outerHTML === "string") {
    // text/html first (nbconvert's HTML export strips image/svg+xml down to its text): the
    // chart as Plot made it, title and legend included.
    const chart = item as ChartElement;
    return {
      "text/html": chart.outerHTML,
      "image/svg+xml": svgString(chart),
      "text/plain": "<SVG chart>",
    };
  }
  return item as MimeBundle;
}

/** Milliseconds {@linkcode show} waits after displaying, so its outputs leave before the cell ends. */
const SETTLE_MS = 100;

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
 */
export function html(markup: string): MimeBundle {
  return { "text/html": markup, "text/plain": markup.replace(/<[^>]*>/g, "") };
}

/**
 * Formats a table cell: integers with thousands separators, other numbers to 4
 * significant digits, anything else as text.
 */
export function formatCell(value: unknown): string {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/**
 * Rows of objects as a table bundle for {@linkcode show}: one column per key of the first
 * row, cells through {@linkcode formatCell}, numbers right-aligned.
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
 * The settings of a notebook as a two-column table, with the run they name, for the first
 * cell to show (pages without code show `setupLine` of notebook_setup.ts instead).
 */
export function settingsTable(settings: NotebookSettings): MimeBundle {
  const rows: { setting: string; value: unknown }[] = Object.entries(settings.config).map((
    [setting, value],
  ) => ({ setting, value }));
  // No output root: an exported page must not name a folder of the machine that ran it.
  rows.push({ setting: "run name", value: settings.name });
  return table(rows);
}

/**
 * Shows a tested claim: its chart (if any), the arms' means, the comparisons (primary first,
 * then the Holm-adjusted secondary ones), the per-class table (claim 5), and its verdicts in
 * words (lib/claims/words.ts).
 */
export async function showClaim(claim: ClaimResult & { classTable?: object[] }): Promise<void> {
  const tables = [claim.means, claim.table, ...(claim.classTable ? [claim.classTable] : [])]
    .filter((t) => t.length > 0).map((t) => table(t));
  await show(...(claim.chart ? [claim.chart] : []), ...tables, claimText(claim));
}

/**
 * The settings of a notebook's sweep as a two-column table: what its verdicts come from
 * (notebook 6 shows this, not the main run's settings).
 */
export function sweepSettingsTable(sweep: NotebookSweep): MimeBundle {
  const s = sweepSettings(sweep.config, { referenceNoise: sweep.referenceNoise });
  const train = s.validation === "test" ? s.train : Math.floor(s.train * (1 - s.validationSplit));
  const seed = s.seed;
  const rows: { setting: string; value: unknown }[] = [
    { setting: "sweep", value: sweep.name },
    { setting: "dataset", value: s.dataset },
    { setting: "training images per model", value: train },
    { setting: "validation images per model", value: s.train - train },
    { setting: "epochs per model", value: s.epochs },
    { setting: "epochs of claim 3's arms", value: s.scheduleEpochs },
    {
      setting: "seeds of the primary arms",
      value: Array.from({ length: DEFAULT_CLAIM_SEEDS }, (_, i) => seed + i).join(", "),
    },
    { setting: "seed of the other models", value: seed },
    { setting: "test images", value: s.test },
    { setting: "noise factors", value: sweep.noise.join(", ") },
    { setting: "primary comparisons at f", value: s.referenceNoise },
    { setting: "batch", value: s.batch },
  ];
  return table(rows);
}
