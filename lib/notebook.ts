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
import { FLAGS, JOBS_RANGE, THREADS_RANGE } from "./flag_table.ts";
import { allCores } from "./kernels/kernel_options.ts";
import {
  DEFAULT_SWEEP_NOISE,
  parseNoiseFactors,
  type SweepMethod,
  sweepSettings,
} from "./sweep/plan.ts";
import { InputError } from "./errors.ts";
import { DEFAULT_CLAIM_SEEDS } from "./sweep/cells.ts";
import { defaultSweepName, sweepPlan } from "./sweep/identity.ts";
import { escapeHtml } from "./text.ts";
import { type ChartElement, svgString } from "./figures/svg.ts";

const variable = (key: string) => FLAGS.find((f) => f.key === key)!.env!;
/** Environment variable holding the output root (runs go under `OUTPUT_DIR/runs/`). */
export const OUTPUT_DIR_VARIABLE = variable("out");
/** Environment variable holding the epochs of each noise-sweep run (notebooks 5 and 6). */
export const SWEEP_EPOCHS_VARIABLE = variable("sweepEpochs");
/** Environment variable: training images of each model in the notebooks' sweeps. */
export const SWEEP_TRAIN_VARIABLE = variable("sweepTrain");
/** Environment variable naming the sweep notebook 06 reads (or runs, when missing). */
export const SWEEP_NAME_VARIABLE = variable("sweepName");
/** Environment variable with notebook 06's comma-separated noise factors. */
export const SWEEP_NOISE_VARIABLE = variable("sweepNoise");
/** Epochs of each learned model in the notebooks' noise sweeps (05, 06) unless `$SWEEP_EPOCHS`. */
export const NOTEBOOK_SWEEP_EPOCHS = FLAGS.find((f) => f.key === "sweepEpochs")!.default as number;
/**
 * Test images of the notebooks' sweeps (05, 06): a seeded subset of `config.test`. Every
 * method, BM3D included, is scored on them; 1,000 keeps the classical methods' scoring short.
 */
export const NOTEBOOK_SWEEP_TEST = 1000;
/** Training images of each model in the notebooks' sweeps unless `$SWEEP_TRAIN_SIZE`. */
export const NOTEBOOK_SWEEP_TRAIN = FLAGS.find((f) => f.key === "sweepTrain")!.default as number;

/**
 * Noise factors notebook 5 trains a model for, besides the notebook's own factor; the
 * report's time estimate (`tools/_report_runs.ts`) counts the same runs.
 */
export const NOISE_SWEEP_FACTORS: readonly number[] = Object.freeze([0.1, 0.3, 0.5, 0.7]);

/** `outputs/` at the repository root: notebooks run in `notebooks/`, so a relative path would not do. */
export function defaultOutputRoot(): string {
  return join(import.meta.dirname!, "..", "outputs");
}

/**
 * What a notebook's parameter cell may set: any experiment setting, plus the notebooks' own
 * (`sweepEpochs`, `sweepTrain`, `sweepName`, `sweepNoise`, `out`). The report injects its
 * settings into this object (a cell tagged `injected-parameters` after the one tagged
 * `parameters`).
 */
export type NotebookParams = Partial<ExperimentConfig> & {
  /** Epochs of each run of the notebooks' noise sweeps. @default 5 */
  sweepEpochs?: number;
  /** Training images of each run of the notebooks' noise sweeps. @default 3000 */
  sweepTrain?: number;
  /** Sweep notebook 06 reads (or runs). @default named by its settings */
  sweepName?: string;
  /** Noise factors of notebook 06's sweep. @default "0.1,0.3,0.5,0.7,0.9" */
  sweepNoise?: string | number[];
  /** Output root. @default outputs/ at the repository root */
  out?: string;
  /** Threads of the wasm kernels (speed only, not a run's identity). @default every core */
  threads?: number;
  /**
   * What the parameter cell held before the report injected its settings (set by the
   * injected cell): still validated, so a bad value typed there is never silently replaced.
   */
  typed?: NotebookParams;
  /** Processes training the sweeps' models at once (lib/sweep/jobs.ts). @default every core */
  jobs?: number;
};

/** What a notebook runs with. */
export interface NotebookSettings {
  /** The validated experiment settings. */
  config: ExperimentConfig;
  /** Output root, absolute. */
  out: string;
  /** Name of the run these settings train (see {@linkcode defaultRunName}). */
  name: string;
  /** Settings of every model of the notebooks' noise sweeps (see {@linkcode sweepProfile}). */
  sweep: ExperimentConfig;
  /** Sweep name notebook 06 reads, when one is given. */
  sweepName?: string;
  /** Noise factors of notebook 06's sweep, as given (validated by the sweep). */
  sweepNoise?: string | number[];
  /** Threads of the wasm kernels, for `selectBackend`: `threads`, `$THREADS`, else every core. */
  threads: number;
  /** Processes of the notebooks' sweeps: `jobs`, `$JOBS`, else every core. */
  jobs: number;
}

/**
 * Raw values of `params` over `env` (each {@linkcode FLAGS} variable), with the label of
 * each: the parameter's name or the variable's, for error messages.
 */
function layered(params: NotebookParams, env: Record<string, string | undefined>) {
  const values: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const spec of FLAGS) {
    const fromEnv = spec.env ? env[spec.env] : undefined;
    const fromParams = (params as Record<string, unknown>)[spec.key];
    if (fromParams !== undefined) [values[spec.key], labels[spec.key]] = [fromParams, spec.key];
    else if (fromEnv !== undefined && fromEnv !== "") {
      [values[spec.key], labels[spec.key]] = [fromEnv, spec.env!];
    }
  }
  return { values, labels };
}

/**
 * The settings of a notebook: what its parameter cell sets (`params`, including what
 * `deno task report` injects), then the environment variables of {@linkcode FLAGS}, then
 * the defaults. The output root is `out` or `$OUTPUT_DIR` when set, else `outputs/` at the
 * repository root. Throws `InputError` naming the parameter or variable at fault.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { notebookSettings } from "./notebook.ts";
 * const s = notebookSettings({ noise: 0.3 }, { NOISE_FACTOR: "0.7", EPOCHS: "5", OUTPUT_DIR: "/tmp/o" });
 * assertEquals([s.config.noise, s.config.epochs, s.out], [0.3, 5, "/tmp/o"]);
 * ```
 */
export function notebookSettings(
  params: NotebookParams = {},
  env: Record<string, string | undefined> = Deno.env.toObject(),
): NotebookSettings {
  if (params.typed && Object.keys(params.typed).length > 0) {
    try {
      notebookSettings(params.typed, env);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(`in the parameter cell: ${e.message}`);
    }
  }
  const { values, labels } = layered(params, env);
  const keys = Object.keys(DEFAULT_CONFIG);
  const partial = Object.fromEntries(Object.entries(values).filter(([k]) => keys.includes(k)));
  const config = validateConfig(withReportProfile(partial), labels);
  const out = values.out ? resolve(String(values.out)) : defaultOutputRoot();
  const epochs = values.sweepEpochs === undefined ? NOTEBOOK_SWEEP_EPOCHS : parseNumber(
    labels.sweepEpochs,
    values.sweepEpochs,
    CONFIG_RANGES.epochs,
  );
  const train = values.sweepTrain === undefined
    ? Math.min(config.train, NOTEBOOK_SWEEP_TRAIN)
    : parseNumber(labels.sweepTrain, values.sweepTrain, CONFIG_RANGES.train);
  if (train > config.train) {
    throw new InputError(
      `${labels.sweepTrain} ${train} exceeds the ${config.train} training images of the ` +
        `report's runs (${labels.train ?? "train"}); the sweep trains on a part of them`,
    );
  }
  const sweepNoise = values.sweepNoise === undefined ? undefined : parseNoiseFactors(
    values.sweepNoise as string | number[],
    config.noiseType,
    labels.sweepNoise,
  );
  return {
    config,
    out,
    name: defaultRunName(config),
    sweep: { ...config, epochs, train, test: Math.min(config.test, NOTEBOOK_SWEEP_TEST) },
    sweepName: values.sweepName === undefined ? undefined : String(values.sweepName),
    sweepNoise,
    threads: values.threads === undefined
      ? allCores()
      : parseNumber(labels.threads, values.threads, THREADS_RANGE),
    jobs: values.jobs === undefined
      ? allCores()
      : parseNumber(labels.jobs, values.jobs, JOBS_RANGE),
  };
}

/**
 * The settings of every model the notebooks' noise sweeps train (notebooks 5 and 6): `config`
 * with `$SWEEP_EPOCHS` epochs (default {@linkcode NOTEBOOK_SWEEP_EPOCHS}) and `$SWEEP_TRAIN_SIZE`
 * training images (default {@linkcode NOTEBOOK_SWEEP_TRAIN}, at most `config.train`), scored on
 * {@linkcode NOTEBOOK_SWEEP_TEST} test images (at most `config.test`). The
 * lighter profile keeps `deno task report` within minutes while it trains a dozen models; run
 * `deno task sweep` for the full-size sweep and point notebook 6 at it with `$SWEEP_NAME`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { DEFAULT_CONFIG } from "./runs/config.ts";
 * import { sweepProfile } from "./notebook.ts";
 * assertEquals(sweepProfile(DEFAULT_CONFIG, {}).train, 3000);
 * assertEquals(sweepProfile(DEFAULT_CONFIG, { SWEEP_EPOCHS: "2" }).epochs, 2);
 * ```
 */
export function sweepProfile(
  config: ExperimentConfig,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): ExperimentConfig {
  const epochs = sweepEpochs({ ...config, epochs: NOTEBOOK_SWEEP_EPOCHS }, env);
  const raw = env[SWEEP_TRAIN_VARIABLE];
  const train = raw === undefined || raw === ""
    ? Math.min(config.train, NOTEBOOK_SWEEP_TRAIN)
    : parseNumber(SWEEP_TRAIN_VARIABLE, raw, CONFIG_RANGES.train);
  return { ...config, epochs, train, test: Math.min(config.test, NOTEBOOK_SWEEP_TEST) };
}

/**
 * Epochs of each run in a noise-factor sweep: `$SWEEP_EPOCHS`, else `config.epochs` (pass the
 * sweep's default there, e.g. `{ ...config, epochs: DEFAULT_SWEEP_EPOCHS }`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { DEFAULT_CONFIG } from "./runs/config.ts";
 * import { sweepEpochs } from "./notebook.ts";
 * assertEquals(sweepEpochs(DEFAULT_CONFIG, { SWEEP_EPOCHS: "4" }), 4);
 * assertEquals(sweepEpochs(DEFAULT_CONFIG, {}), DEFAULT_CONFIG.epochs);
 * ```
 */
export function sweepEpochs(
  config: ExperimentConfig,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number {
  const raw = env[SWEEP_EPOCHS_VARIABLE];
  if (raw === undefined || raw === "") return config.epochs;
  return parseNumber(SWEEP_EPOCHS_VARIABLE, raw, CONFIG_RANGES.epochs);
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
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { mimeBundle } from "./notebook.ts";
 * assert(mimeBundle("**bold**")["text/markdown"] === "**bold**");
 * ```
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
 * import { assert } from "./_assert.ts";
 * import { html } from "./notebook.ts";
 * assert(html("<b>x</b>")["text/html"] === "<b>x</b>");
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
 * import { assert } from "./_assert.ts";
 * import { formatCell } from "./notebook.ts";
 * assert(formatCell(178001) === "178,001" && formatCell(0.0137190232) === "0.01372");
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
 * import { assert } from "./_assert.ts";
 * import { table } from "./notebook.ts";
 * const t = table([{ layer: "latent", params: 50192 }]);
 * assert(t["text/html"].includes("50,192") && t["text/plain"].includes("latent"));
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

/** The sweep notebook 06 reads or runs: its name, noise factors and base settings. */
export interface NotebookSweep {
  /** Sweep name: `sweepName`, else named by its settings. */
  name: string;
  /** Processes training its models at once: the notebook's `jobs` (lib/sweep/jobs.ts). */
  jobs: number;
  /** Noise factors, validated and sorted. */
  noise: number[];
  /** Base settings of every learned model (the notebooks' lighter profile). */
  config: ExperimentConfig;
  /** Methods, when not the sweep's default. */
  methods?: SweepMethod[];
  /** Add the ablations. */
  ablations?: boolean;
  /** Factor of the cross-noise model. */
  referenceNoise?: number;
}

/**
 * Notebook 05's sweep: the autoencoder trained at each of `factors` (default
 * {@linkcode NOISE_SWEEP_FACTORS}) and the configured factor, each tested at every factor,
 * without ablations. Its name starts with `factors-`,
 * so notebook 06's sweep of every method stays its own; both share the trained runs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { noiseFactorSweep, notebookSettings } from "./notebook.ts";
 * const s = noiseFactorSweep(notebookSettings({ noise: 0.2 }, {}));
 * assertEquals([s.noise, s.referenceNoise, s.name.startsWith("factors-")], [[0.1, 0.2, 0.3, 0.5, 0.7], 0.2, true]);
 * ```
 */
export function noiseFactorSweep(
  settings: NotebookSettings,
  factors: readonly number[] = NOISE_SWEEP_FACTORS,
): NotebookSweep {
  const { sweep: config } = settings;
  const referenceNoise = config.noise;
  const noise = parseNoiseFactors([...factors, referenceNoise], config.noiseType);
  const plan = { methods: ["ae"] as SweepMethod[], noise, ablations: false };
  const base = sweepSettings(config, { referenceNoise });
  const name = `factors-${defaultSweepName(base, sweepPlan(plan, config.noiseType))}`;
  const { jobs } = settings;
  return { name, jobs, ...plan, config, referenceNoise };
}

/**
 * The sweep of notebook 06 from a notebook's settings (see {@linkcode notebookSettings}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { notebookSettings, notebookSweep } from "./notebook.ts";
 * const s = notebookSweep(notebookSettings({ sweepNoise: "0.5,0.1" }, {}));
 * assertEquals([s.noise, s.config.epochs], [[0.1, 0.5], 5]);
 * ```
 */
export function notebookSweep(settings: NotebookSettings): NotebookSweep {
  const { sweep: config, sweepName, sweepNoise } = settings;
  const noise = parseNoiseFactors(sweepNoise ?? [...DEFAULT_SWEEP_NOISE], config.noiseType);
  const name = sweepName ??
    defaultSweepName(sweepSettings(config), sweepPlan({ noise }, config.noiseType));
  return { name, jobs: settings.jobs, noise, config };
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
