/**
 * Glue for the notebooks: their settings ({@linkcode notebookSettings}, validated once, from the
 * cell tagged `parameters` and the one papermill or `deno task report` injects after it; no
 * environment variable is read here), where outputs go, the sweeps of notebooks 5 and 6, the
 * setup as tables and, for the pages without code (which leave out the tables), in words under
 * the profile names of the README and the landing page ({@linkcode setupLine}), and
 * {@linkcode show}.
 *
 * The Deno kernel (2.9) can report a cell finished while outputs are still queued, and
 * `nbconvert --execute` then drops them at random; {@linkcode show} waits briefly after
 * displaying, so notebooks display everything through it.
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
  JOBS_RANGE,
  parseNumber,
  REPORT_PROFILE,
  THREADS_RANGE,
  validateConfig,
  withReportProfile,
} from "./runs/config.ts";
import { defaultSizes } from "./data/datasets.ts";
import type { ClaimResult } from "./claims/compare.ts";
import { claimText } from "./claims/words.ts";
import { cellSeeds } from "./sweep/cells.ts";
import { allCores } from "./kernels/kernel_options.ts";
import {
  NOTEBOOK_SWEEP_NOISE,
  parseNoiseFactors,
  type SweepMethod,
  sweepSettings,
} from "./sweep/plan.ts";
import { defaultSweepName, sweepPlan } from "./sweep/identity.ts";
import type { SweepOptions } from "./sweep/sweep.ts";
import { InputError } from "./errors.ts";
import { escapeHtml, plural, thousands } from "./text.ts";
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

/** What a notebook runs with: see {@linkcode notebookSettings}. */
export type NotebookSettings = ReturnType<typeof notebookSettings>;

const OWN_KEYS = [
  ...["sweepEpochs", "sweepTrain", "sweepName", "sweepNoise", "out", "threads", "jobs"],
  "progress",
];

/**
 * The settings of a notebook from its `params`, else the report profile's defaults: the
 * validated `config`, the absolute output root `out`, the run `name`, the `sweep` models'
 * config, `sweepName` and `sweepNoise` when given, `threads` and `jobs` (default every core).
 * Throws `InputError` with one line naming the parameter at fault, or an unknown one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_testing_assert.ts";
 * import { notebookSettings } from "./notebook.ts";
 * const s = notebookSettings({ noise: 0.3, epochs: 5, out: "/tmp/o" });
 * assertEquals([s.config.noise, s.config.epochs, s.out, s.sweep.epochs], [0.3, 5, "/tmp/o", 5]);
 * ```
 */
export function notebookSettings(params: NotebookParams = {}) {
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
  const known = [...keys, ...OWN_KEYS];
  const unknown = Object.keys(given).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw new InputError(`unknown parameter "${unknown}"; known: ${known.join(", ")}`);
  }
  const v = given as Record<string, unknown>;
  // Plumbing, not a setting: where this kernel's log lines and epochs go.
  setProgressFile(v.progress === undefined ? undefined : String(v.progress));
  const partial = Object.fromEntries(Object.entries(v).filter(([k]) => keys.includes(k)));
  const labels = Object.fromEntries(keys.map((k) => [k, k]));
  const config: ExperimentConfig = validateConfig(withReportProfile(partial), labels);
  const number = (key: string, range: typeof THREADS_RANGE) =>
    v[key] === undefined ? undefined : parseNumber(key, v[key], range);
  // The sweep profile: every model of the notebooks' sweeps.
  const sweep: ExperimentConfig = {
    ...config,
    epochs: number("sweepEpochs", CONFIG_RANGES.epochs) ?? NOTEBOOK_SWEEP_EPOCHS,
    train: number("sweepTrain", CONFIG_RANGES.train) ??
      Math.min(config.train, NOTEBOOK_SWEEP_TRAIN),
    test: Math.min(config.test, NOTEBOOK_SWEEP_TEST),
  };
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
    sweepNoise: v.sweepNoise === undefined
      ? undefined
      : parseNoiseFactors(v.sweepNoise as string | number[], config.noiseType, "sweepNoise"),
    threads: number("threads", THREADS_RANGE) ?? allCores(),
    jobs: number("jobs", JOBS_RANGE) ?? allCores(),
  };
}

/** Epochs of each learned model of the notebooks' sweeps, unless `sweepEpochs`. */
export const NOTEBOOK_SWEEP_EPOCHS = 5;
/** Training images of each model of the notebooks' sweeps (at most `config.train`), unless `sweepTrain`. */
export const NOTEBOOK_SWEEP_TRAIN = 3000;
/** Test images of the notebooks' sweeps: a seeded subset of `config.test`, BM3D included. */
const NOTEBOOK_SWEEP_TEST = 1000;
/** Noise factors notebook 5 trains a model for, besides the notebook's own factor. */
const NOISE_SWEEP_FACTORS = [0.1, 0.3, 0.5, 0.7];

/**
 * The sweep a notebook reads or runs: `ensureSweep`'s options with its name, `jobs`
 * (the notebook's), noise factors (validated, sorted) and base `config` (the sweep profile).
 */
export type NotebookSweep =
  & Required<Pick<SweepOptions, "name" | "jobs" | "noise">>
  & Pick<SweepOptions, "methods" | "ablations" | "referenceNoise">
  & { config: ExperimentConfig };

/**
 * Notebook 5's sweep: the autoencoder trained at each of {@linkcode NOISE_SWEEP_FACTORS} and
 * the configured factor, each tested at every factor, without ablations. Its name starts with
 * `factors-`, so notebook 6's sweep of every method stays its own; both share the trained runs.
 */
export function noiseFactorSweep(settings: NotebookSettings): NotebookSweep {
  const { sweep: config, jobs } = settings;
  const referenceNoise = config.noise;
  const noise = parseNoiseFactors([...NOISE_SWEEP_FACTORS, referenceNoise], config.noiseType);
  const plan = { methods: ["ae"] as SweepMethod[], noise, ablations: false };
  const base = sweepSettings(config, { referenceNoise });
  const name = `factors-${defaultSweepName(base, sweepPlan(plan, config.noiseType))}`;
  return { name, jobs, ...plan, config, referenceNoise };
}

/** Notebook 6's sweep of every method: `sweepName`, else named by its settings. */
export function notebookSweep(settings: NotebookSettings): NotebookSweep {
  const { sweep: config, sweepName, sweepNoise } = settings;
  const noise = parseNoiseFactors(sweepNoise ?? [...NOTEBOOK_SWEEP_NOISE], config.noiseType);
  const name = sweepName ??
    defaultSweepName(sweepSettings(config), sweepPlan({ noise }, config.noiseType));
  return { name, jobs: settings.jobs, noise, config };
}

/** A Jupyter MIME bundle: MIME type → content (base64 for binary types). */
export type MimeBundle = Record<string, string>;

/** What {@linkcode show} displays: a chart (SVG), PNG bytes, Markdown, or a ready bundle. */
export type Showable = ChartElement | Uint8Array | string | MimeBundle;

/** The MIME bundle {@linkcode show} sends for `item`. */
export function mimeBundle(item: Showable): MimeBundle {
  if (typeof item === "string") return { "text/markdown": item, "text/plain": item };
  if (item instanceof Uint8Array) {
    return { "image/png": Buffer.from(item).toString("base64"), "text/plain": "<PNG image>" };
  }
  if (!("outerHTML" in item)) return item as MimeBundle;
  // text/html first (nbconvert's HTML export strips image/svg+xml down to its text): the
  // chart as Plot made it, title and legend included.
  const chart = item as ChartElement;
  return {
    "text/html": chart.outerHTML,
    "image/svg+xml": svgString(chart),
    "text/plain": "<SVG chart>",
  };
}

/** Milliseconds {@linkcode show} waits after displaying, so its outputs leave before the cell ends. */
const SETTLE_MS = 100;

/** `Deno.jupyter` in a Jupyter kernel; undefined elsewhere, where Deno 2.9 throws on reading it. */
function jupyterDisplay() {
  try {
    return (Deno as { jupyter?: { display(b: MimeBundle, o: { raw: true }): Promise<void> } })
      .jupyter;
  } catch {
    return undefined;
  }
}

/** Displays each item as its own output of the running cell; elsewhere prints `text/plain`. */
export async function show(...items: Showable[]): Promise<void> {
  const jupyter = jupyterDisplay();
  for (const item of items) {
    const bundle = mimeBundle(item);
    if (jupyter) await jupyter.display(bundle, { raw: true });
    else console.log(bundle["text/plain"] ?? Object.keys(bundle).join(", "));
  }
  if (jupyter) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** HTML markup as a bundle for {@linkcode show} (e.g. from `imageGridHtml`). */
export function html(markup: string): MimeBundle {
  return { "text/html": markup, "text/plain": markup.replace(/<[^>]*>/g, "") };
}

/**
 * Formats a table cell: integers with thousands separators, other numbers to 4
 * significant digits, anything else as text.
 */
export function formatCell(value: unknown): string {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return thousands(value);
  return String(Number(value.toPrecision(4)));
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

/** An object's entries as a two-column table: setting, value. */
const settingRows = (o: object) =>
  table(Object.entries(o).map(([setting, value]) => ({ setting, value })));

/**
 * The settings of a notebook as a two-column table, with the run they name (no output root:
 * an exported page must not name a folder of the machine that ran it).
 */
export function settingsTable(settings: NotebookSettings): MimeBundle {
  return settingRows({ ...settings.config, "run name": settings.name });
}

/** Shows a claim: its chart, the arms' means, its comparisons, its verdicts. */
export async function showClaim(claim: ClaimResult): Promise<void> {
  const tables = [claim.means, claim.table].filter((t) => t.length > 0).map((t) => table(t));
  await show(...(claim.chart ? [claim.chart] : []), ...tables, claimText(claim));
}

/** The settings of a notebook's sweep as a two-column table: what its verdicts come from. */
export function sweepSettingsTable(sweep: NotebookSweep): MimeBundle {
  const s = sweepSettings(sweep.config, { referenceNoise: sweep.referenceNoise });
  const train = s.validation === "test" ? s.train : Math.floor(s.train * (1 - s.validationSplit));
  return settingRows({
    sweep: sweep.name,
    dataset: s.dataset,
    "training images per model": train,
    "validation images per model": s.train - train,
    "epochs per model": s.epochs,
    "epochs of claim 3's arms": s.scheduleEpochs,
    "seeds of the primary arms": cellSeeds(s.seed, null, true).join(", "),
    "seed of the other models": s.seed,
    "test images": s.test,
    "noise factors": sweep.noise.join(", "),
    "primary comparisons at f": s.referenceNoise,
    batch: s.batch,
  });
}

const noiseWord = (type: string) => type === "gaussian" ? "Gaussian" : type;

/**
 * The profile `config` trains on, as every page and the README name it (`sweep`: a noise-sweep
 * model's config): "report profile", `deno task report`'s main run ({@linkcode REPORT_PROFILE});
 * "full protocol", all training digits for {@linkcode DEFAULT_CONFIG}'s epochs; "sweep profile",
 * the notebooks' sweeps; else "custom setup".
 */
export function profileName(config: ExperimentConfig, sweep = false): string {
  const own = defaultSizes(config.dataset).train;
  const is = (p: { train: number; epochs: number }) =>
    config.train === Math.min(p.train, own) && config.epochs === p.epochs;
  const swept = is({ train: NOTEBOOK_SWEEP_TRAIN, epochs: NOTEBOOK_SWEEP_EPOCHS });
  if (sweep) return swept ? "sweep profile" : "custom setup";
  if (is(REPORT_PROFILE)) return "report profile";
  if (is({ train: own, epochs: DEFAULT_CONFIG.epochs })) return "full protocol";
  return "custom setup";
}

/**
 * "**Setup** (report profile): 12,000 training images, 10 epochs, Gaussian noise at f = 0.5,
 * 10,000 test images, seed 0, data seed 0." (Markdown, one line.)
 */
export function setupLine(settings: NotebookSettings): string {
  const c = settings.config;
  return `**Setup** (${profileName(c)}): ${thousands(c.train)} training images, ` +
    `${plural(c.epochs, "epoch")}, ${noiseWord(c.noiseType)} noise at f = ${c.noise}, ` +
    `${thousands(c.test)} test images, seed ${c.seed}, data seed ${c.dataSeed}.`;
}

/**
 * "**Noise sweep** (sweep profile): noise factors 0.1, 0.3, …; each model 3,000 training
 * images, 5 epochs; 1,000 test images; seeds 0, 1, 2 for the claims' arms." (Markdown.)
 */
export function sweepSetupLine(sweep: NotebookSweep): string {
  const c = sweep.config;
  return `**Noise sweep** (${profileName(c, true)}): noise factors ${sweep.noise.join(", ")}; ` +
    `each model ${thousands(c.train)} training images, ${plural(c.epochs, "epoch")}; ` +
    `${thousands(c.test)} test images; ` +
    (sweep.ablations === false
      ? `seed ${c.seed}.`
      : `seeds ${cellSeeds(c.seed, null, true).join(", ")} for the claims' arms.`);
}
