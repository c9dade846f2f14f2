/**
 * The noise sweep: every denoising method at every noise factor on the same seeded test
 * images, plus the rows that test the report's conclusion — the autoencoder trained at the
 * report's factor tested at every factor ("cross-noise"), and ablations of its dropout,
 * learning-rate schedule and latent size. Its folder:
 *
 * ```
 * outputs/sweeps/NAME/
 *   sweep.json     settings that fix every cell's result (written first; a restart must match)
 *   results.json   one row per finished cell, rewritten atomically after each cell
 *   results.csv    the same rows as CSV (per-class MSE as mse_class_0 … mse_class_9)
 *   psnr.svg       PSNR against noise factor, one line per method
 *   ssim.svg       SSIM against noise factor, one line per method
 *   complete       written last: the sweep counts as complete only once it exists
 * ```
 *
 * A cell is one (dataset, noise type, method, variant, training noise factor, test noise
 * factor). A restart skips every cell already in `results.json`; learned models train
 * through {@linkcode ensureRun}, so each is a cached run folder under `outputs/runs/` and a
 * killed sweep resumes an interrupted training instead of redoing it.
 *
 * Scoring: each method's output on the test images is clipped to [0, 1] (DnCNN and the
 * wavelet filter can overshoot) and compared with the clean test images by MSE, mean
 * per-image PSNR and mean SSIM (lib/metrics.ts). `train_seconds` is the run's time in
 * training batches for learned models, the tuning time for tuned filters (Gaussian σ,
 * non-local-means h and σ, or the wavelet threshold, each chosen for the lowest MSE on a
 * seeded subset of noisy training images at the cell's factor), and 0 otherwise.
 *
 * The second half of this module reads a sweep back and turns it into the tables and
 * verdicts of notebook 06, one function per claim of the report's conclusion.
 *
 * @module
 */
import { join } from "node:path";
import { pathExists as exists, writeFileAtomic, writeJsonAtomic } from "./atomic.ts";
import { selectBackend } from "./backend.ts";
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from "./config.ts";
import { classNames } from "./data.ts";
import { InputError } from "./errors.ts";
import { logLine } from "./log.ts";
import {
  ensureRun,
  type ExperimentData,
  loadRunModel,
  prepareData,
  type Run,
} from "./experiment.ts";
import {
  barChart,
  type ChartElement,
  DEFAULT_CHART_WIDTH,
  metricChart,
  pickSamples,
  svgString,
} from "./figures.ts";
import { gaussianBlur, tuneGaussianSigma } from "./gaussian_blur.ts";
import { type Images, type LabeledImages, take } from "./images.ts";
import { medianFilter } from "./median_filter.ts";
import { mse, msePerImage, psnr, ssim } from "./metrics.ts";
import type { NoiseType } from "./noise.ts";
import { nonLocalMeans, tuneNlmH } from "./non_local_means.ts";
import { predictImages } from "./predict.ts";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
import type { TrainCallbacks } from "./train.ts";
import { tuneWaveletThreshold, waveletDenoise } from "./wavelet_denoise.ts";

/** Methods a sweep can evaluate. `noisy` is the noisy input itself: the do-nothing baseline. */
export const SWEEP_METHODS = [
  "noisy",
  "median",
  "gaussian",
  "nlm",
  "wavelet",
  "ae",
  "dncnn",
] as const;

/** One of {@linkcode SWEEP_METHODS}. */
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** Methods of a sweep when none are named (`noisy` is always added). */
export const DEFAULT_SWEEP_METHODS: readonly SweepMethod[] = [
  "ae",
  "dncnn",
  "gaussian",
  "median",
  "nlm",
];

/** Methods that train a model through {@linkcode ensureRun}. */
export const LEARNED_METHODS: readonly SweepMethod[] = ["ae", "dncnn"];

/** Noise factors of a sweep when none are given. */
export const DEFAULT_SWEEP_NOISE: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.9];

/**
 * Training epochs of each learned model in a sweep. On the 9,000 embedded MNIST training
 * digits (batch 32) the report's autoencoder scores 17.99 dB at f = 0.5 after 10 epochs and
 * 18.03 dB after 30, and the default sweep's 14 trainings take about an hour on two cores.
 * ReduceLROnPlateau first lowers the rate at epoch 15 there, so testing the schedule takes
 * more epochs: `deno task sweep --noise 0.5 --methods ae --no-cross --epochs 30`.
 */
export const DEFAULT_SWEEP_EPOCHS = 10;

/**
 * Noisy training images the tuned filters choose their parameter on: 200 × 784 pixels pin
 * down one parameter well, and keep non-local means' tuning to about 3 s per factor.
 */
export const DEFAULT_TUNE_IMAGES = 200;

/** The report's noise factor: cross-noise models train at it and the ablations run at it. */
export const DEFAULT_REFERENCE_NOISE = 0.5;

/**
 * h grid of the non-local-means tuning: log-spaced from 0.01 (strong clipped noise wants
 * a small h with the measured σ) to 1, coarse enough that tuning stays a few seconds.
 */
export const NLM_H_CANDIDATES: readonly number[] = [
  0.01,
  0.02,
  0.03,
  0.05,
  0.07,
  0.1,
  0.15,
  0.2,
  0.3,
  0.5,
  0.7,
  1,
];

/** Display names of the methods, for tables and chart legends. */
export const METHOD_LABELS: Readonly<Record<SweepMethod, string>> = Object.freeze({
  noisy: "noisy input",
  median: "median 3×3",
  gaussian: "Gaussian blur",
  nlm: "non-local means",
  wavelet: "wavelet (starlet)",
  ae: "autoencoder",
  dncnn: "DnCNN (residual)",
});

/** One ablation of the report's autoencoder: its `variant` name and what it changes. */
export interface Ablation {
  /** The `variant` column of its rows. */
  variant: string;
  /** Settings changed from the report's. */
  change: Partial<Pick<ExperimentConfig, "dropout" | "lrSchedule" | "latent">>;
}

/** The ablations run at the reference factor; the unablated autoencoder has variant "". */
export const ABLATIONS: readonly Ablation[] = Object.freeze([
  { variant: "dropout 0", change: { dropout: 0 } },
  { variant: "no lr schedule", change: { lrSchedule: false } },
  { variant: "latent 2", change: { latent: 2 } },
  { variant: "latent 64", change: { latent: 64 } },
]);

/** The settings that fix every cell's result; stored in `sweep.json`. */
export interface SweepSettings {
  /** "mnist", "fashion" or a folder of IDX files. */
  dataset: string;
  /** Noise kind. */
  noiseType: NoiseType;
  /** Mean shift μ of gaussian noise. */
  noiseMean: number;
  /** Training epochs of each learned model. */
  epochs: number;
  /** Training images (learned models train on all; tuned filters tune on `tune` of them). */
  train: number;
  /** Test images every method is scored on. */
  test: number;
  /** Batch size of the learned models. */
  batch: number;
  /** Seed of split, noise, initialisation and the tuning subset. */
  seed: number;
  /** Noisy training images the tuned filters are tuned on. */
  tune: number;
  /** Noise factor of the cross-noise model and the ablations. */
  referenceNoise: number;
}

/** One finished cell: a method scored at one test noise factor. */
export interface SweepRow {
  /** Dataset (as in {@linkcode SweepSettings.dataset}). */
  dataset: string;
  /** Noise kind. */
  noise_type: NoiseType;
  /** Method. */
  method: SweepMethod;
  /** "" for the method as is, else the ablation (see {@linkcode ABLATIONS}). */
  variant: string;
  /** Factor the model was trained (or the filter tuned) at; null for median and noisy. */
  train_noise_factor: number | null;
  /** Factor of the noise on the test images. */
  noise_factor: number;
  /** MSE against the clean test images. */
  mse: number;
  /** Mean per-image PSNR in dB. */
  psnr: number;
  /** Mean SSIM. */
  ssim: number;
  /** Seconds training (learned), tuning (tuned filters), or 0. */
  train_seconds: number;
  /** Seconds to denoise the test images. */
  denoise_seconds: number;
  /** Epochs trained; 0 for classical methods. */
  epochs: number;
  /** Learning rate in the last epoch; null for classical methods. */
  final_lr: number | null;
  /** The chosen parameter of a tuned filter (e.g. "sigma=1.1"), or the fixed one. */
  parameter: string;
  /** Run folder name of a learned model; "" for classical methods. */
  run: string;
  /** Training images. */
  train_images: number;
  /** Test images. */
  test_images: number;
  /** MSE per class of the test images (index = label; null for a class with no test image). */
  class_mse: (number | null)[];
}

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  /** Test (and training) noise factors. @default [0.1, 0.3, 0.5, 0.7, 0.9] */
  noise?: readonly number[];
  /** Methods; `noisy` is always added. @default ["ae", "dncnn", "gaussian", "median", "nlm"] */
  methods?: readonly SweepMethod[];
  /**
   * Base settings: `dataset`, `noiseType`, `noiseMean`, `epochs`, `train`, `test`, `batch`,
   * `seed` and `backend` are used; the model, noise factor, latent size, dropout and schedule
   * are the sweep's to set (the report's, changed only by the ablations).
   * @default DEFAULT_CONFIG with epochs DEFAULT_SWEEP_EPOCHS
   */
  config?: Partial<ExperimentConfig>;
  /** Noisy training images to tune the classical filters on (at most `train`). @default 200 */
  tune?: number;
  /** Factor of the cross-noise model and the ablations. @default 0.5 */
  referenceNoise?: number;
  /** Add the ablation rows (when `ae` is among the methods). @default true */
  ablations?: boolean;
  /** Add the cross-noise rows (when `ae` is among the methods). @default true */
  cross?: boolean;
  /** Sweep name (folder under `out/sweeps/`). @default defaultSweepName(settings) */
  name?: string;
  /** Output root: sweeps go under `out/sweeps/`, trained models under `out/runs/`. @default "outputs" */
  out?: string;
  /** Progress displays of each training. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops after the current cell (or training batch; its checkpoint is kept). */
  signal?: AbortSignal;
  /** Status lines. @default logLine (stderr, or a collapsed note in a notebook) */
  log?: (line: string) => void;
}

/** What {@linkcode runSweep} did. */
export interface SweepResult {
  /** "complete", or "interrupted" when `signal` stopped it. */
  status: "complete" | "interrupted";
  /** Sweep name. */
  name: string;
  /** Sweep folder. */
  dir: string;
  /** Every finished row (also those of earlier invocations), in canonical order. */
  rows: SweepRow[];
  /** Cells computed by this call. */
  computed: number;
  /** Cells skipped because an earlier call had finished them. */
  skipped: number;
}

/** A cell to compute: what identifies it, and for learned methods the run's settings. */
interface Cell {
  method: SweepMethod;
  variant: string;
  trainNoise: number | null;
  noise: number;
  /** The training config, for learned methods. */
  config?: ExperimentConfig;
}

/** File of the completion marker; the sweep is complete only once it exists. */
export const COMPLETE_FILE = "complete";

/**
 * The settings a sweep runs with: `config` over the report's defaults (epochs
 * {@linkcode DEFAULT_SWEEP_EPOCHS}), validated. Throws {@linkcode InputError} on a bad value.
 *
 * @example
 * ```ts
 * import { sweepSettings } from "./sweep.ts";
 * const s = sweepSettings({ epochs: 3 });
 * console.assert(s.epochs === 3 && s.referenceNoise === 0.5 && s.train === 9000);
 * ```
 */
export function sweepSettings(
  config: Partial<ExperimentConfig> = {},
  options: { tune?: number; referenceNoise?: number } = {},
): SweepSettings {
  const c = validateConfig({ epochs: DEFAULT_SWEEP_EPOCHS, ...definedOnly(config) });
  const { tune = DEFAULT_TUNE_IMAGES, referenceNoise = DEFAULT_REFERENCE_NOISE } = options;
  if (!Number.isInteger(tune) || tune < 1) {
    throw new InputError(`tune must be a whole number ≥ 1, got ${tune}`);
  }
  validateConfig({ noise: referenceNoise, noiseType: c.noiseType });
  return {
    dataset: c.dataset,
    noiseType: c.noiseType,
    noiseMean: c.noiseMean,
    epochs: c.epochs,
    train: c.train,
    test: c.test,
    batch: c.batch,
    seed: c.seed,
    tune,
    referenceNoise,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The name a sweep gets when none is given: every setting that changes its results.
 *
 * @example
 * ```ts
 * import { defaultSweepName, sweepSettings } from "./sweep.ts";
 * console.assert(defaultSweepName(sweepSettings()) === "mnist-gaussian-e10-n9000-t1000-b32-s0");
 * ```
 */
export function defaultSweepName(s: SweepSettings): string {
  const data = /^[\w.-]+$/.test(s.dataset) ? s.dataset : "custom";
  const parts = [data, s.noiseType];
  if (s.noiseMean !== 0) parts.push(`mean${s.noiseMean}`);
  parts.push(`e${s.epochs}`, `n${s.train}`, `t${s.test}`, `b${s.batch}`);
  if (s.tune !== DEFAULT_TUNE_IMAGES) parts.push(`tune${s.tune}`);
  if (s.referenceNoise !== DEFAULT_REFERENCE_NOISE) parts.push(`ref${s.referenceNoise}`);
  parts.push(`s${s.seed}`);
  return parts.join("-");
}

/** Folder of sweep `name` under output root `out`. */
export function sweepDir(name: string, out = "outputs"): string {
  if (!/^[A-Za-z0-9][\w.-]{0,127}$/.test(name)) {
    throw new InputError(`sweep name "${name}" must be letters, digits, ".", "-" or "_"`);
  }
  return join(out, "sweeps", name);
}

/**
 * The key that identifies a row's cell: every column that tells cells apart.
 *
 * @example
 * ```ts
 * import { cellKey } from "./sweep.ts";
 * const k = cellKey({
 *   dataset: "mnist", noise_type: "gaussian", method: "ae", variant: "",
 *   train_noise_factor: 0.5, noise_factor: 0.1,
 * });
 * console.assert(k === '["mnist","gaussian","ae","",0.5,0.1]');
 * ```
 */
export function cellKey(
  row: Pick<
    SweepRow,
    "dataset" | "noise_type" | "method" | "variant" | "train_noise_factor" | "noise_factor"
  >,
): string {
  return JSON.stringify([
    row.dataset,
    row.noise_type,
    row.method,
    row.variant,
    row.train_noise_factor,
    row.noise_factor,
  ]);
}

/**
 * Validates a list of method names (duplicates dropped, order kept). Throws
 * {@linkcode InputError} on an unknown or missing name.
 *
 * @example
 * ```ts
 * import { parseMethods } from "./sweep.ts";
 * console.assert(parseMethods("median,ae,median").join() === "median,ae");
 * ```
 */
export function parseMethods(list: string | readonly string[]): SweepMethod[] {
  const names = (typeof list === "string" ? list.split(",") : [...list]).map((s) => s.trim());
  if (names.length === 0 || names.some((n) => n === "")) {
    throw new InputError(`methods must be a comma-separated list of ${SWEEP_METHODS.join(", ")}`);
  }
  for (const n of names) {
    if (!SWEEP_METHODS.includes(n as SweepMethod)) {
      throw new InputError(`unknown method "${n}"; choose from ${SWEEP_METHODS.join(", ")}`);
    }
  }
  return [...new Set(names)] as SweepMethod[];
}

/**
 * Validates noise factors (a comma-separated string or numbers) for `noiseType`, sorted
 * ascending, duplicates dropped. Throws {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { parseNoiseFactors } from "./sweep.ts";
 * console.assert(parseNoiseFactors("0.5,0.1,0.5").join() === "0.1,0.5");
 * ```
 */
export function parseNoiseFactors(
  list: string | readonly (number | string)[],
  noiseType: NoiseType = "gaussian",
): number[] {
  const items = typeof list === "string" ? list.split(",") : [...list];
  if (items.length === 0 || items.some((v) => String(v).trim() === "")) {
    throw new InputError("noise must be a comma-separated list of factors, e.g. 0.1,0.5,0.9");
  }
  const factors = items.map((v) => validateConfig({ noise: v, noiseType }).noise);
  return [...new Set(factors)].sort((a, b) => a - b);
}

/** The cells a sweep computes, in the order it computes them (cheap ones first). */
function planCells(
  settings: SweepSettings,
  noise: readonly number[],
  methods: readonly SweepMethod[],
  ablations: boolean,
  cross: boolean,
  backend: ExperimentConfig["backend"],
): Cell[] {
  const runConfig = (
    model: ExperimentConfig["model"],
    f: number,
    change: Ablation["change"] = {},
  ) =>
    validateConfig({
      model,
      noise: f,
      noiseType: settings.noiseType,
      noiseMean: settings.noiseMean,
      epochs: settings.epochs,
      train: settings.train,
      test: settings.test,
      batch: settings.batch,
      latent: DEFAULT_CONFIG.latent,
      dropout: DEFAULT_CONFIG.dropout,
      lrSchedule: DEFAULT_CONFIG.lrSchedule,
      seed: settings.seed,
      dataset: settings.dataset,
      backend,
      ...change,
    });
  const cells: Cell[] = [];
  const seen = new Set<string>();
  const add = (cell: Cell) => {
    const key = JSON.stringify([cell.method, cell.variant, cell.trainNoise, cell.noise]);
    if (seen.has(key)) return;
    seen.add(key);
    cells.push(cell);
  };
  const classical = ["noisy", ...methods.filter((m) => !LEARNED_METHODS.includes(m))];
  for (const f of noise) {
    for (const m of SWEEP_METHODS) {
      if (!classical.includes(m)) continue;
      const untrained = m === "noisy" || m === "median";
      add({ method: m, variant: "", trainNoise: untrained ? null : f, noise: f });
    }
  }
  for (const m of LEARNED_METHODS) {
    if (!methods.includes(m)) continue;
    const model = m === "ae" ? "autoencoder" : "dncnn";
    for (const f of noise) {
      add({ method: m, variant: "", trainNoise: f, noise: f, config: runConfig(model, f) });
    }
  }
  if (methods.includes("ae")) {
    const ref = settings.referenceNoise;
    const base = runConfig("autoencoder", ref);
    if (cross) {
      for (const f of noise) {
        add({ method: "ae", variant: "", trainNoise: ref, noise: f, config: base });
      }
    }
    if (ablations) {
      add({ method: "ae", variant: "", trainNoise: ref, noise: ref, config: base });
      for (const { variant, change } of ABLATIONS) {
        add({
          method: "ae",
          variant,
          trainNoise: ref,
          noise: ref,
          config: runConfig("autoencoder", ref, change),
        });
      }
    }
  }
  return cells;
}

function rowKeyOf(settings: SweepSettings, cell: Cell): string {
  return cellKey({
    dataset: settings.dataset,
    noise_type: settings.noiseType,
    method: cell.method,
    variant: cell.variant,
    train_noise_factor: cell.trainNoise,
    noise_factor: cell.noise,
  });
}

function describeCell(cell: Cell): string {
  const variant = cell.variant ? ` (${cell.variant})` : "";
  const trained = cell.trainNoise !== null && cell.trainNoise !== cell.noise
    ? `, trained at ${cell.trainNoise}`
    : "";
  return `${cell.method}${variant} at noise ${cell.noise}${trained}`;
}

/** Canonical row order: method, variant, training factor, test factor. */
function compareRows(a: SweepRow, b: SweepRow): number {
  const m = SWEEP_METHODS.indexOf(a.method) - SWEEP_METHODS.indexOf(b.method);
  if (m !== 0) return m;
  const variants = ["", ...ABLATIONS.map((x) => x.variant)];
  const v = variants.indexOf(a.variant) - variants.indexOf(b.variant) ||
    a.variant.localeCompare(b.variant);
  if (v !== 0) return v;
  const t = (a.train_noise_factor ?? -1) - (b.train_noise_factor ?? -1);
  return t !== 0 ? t : a.noise_factor - b.noise_factor;
}

/** Clips every pixel to [0, 1] in place and returns the images. */
function clip01(images: Images): Images {
  const d = images.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] < 0 ? 0 : d[i] > 1 ? 1 : d[i];
  return images;
}

/**
 * MSE per class: the mean of the per-image MSE over the images of each label (index =
 * label, up to the largest label; null for a label with no images, as JSON would store NaN).
 *
 * @example
 * ```ts
 * import { classMse } from "./sweep.ts";
 * const clean = { data: new Float32Array([0, 0]), labels: new Uint8Array([0, 1]), count: 2, height: 1, width: 1 };
 * const out = { data: new Float32Array([0, 0.5]), count: 2, height: 1, width: 1 };
 * console.assert(classMse(clean, out).join() === "0,0.25");
 * ```
 */
export function classMse(clean: LabeledImages, output: Images): (number | null)[] {
  const errors = msePerImage(clean, output);
  let classes = 0;
  for (const l of clean.labels) classes = Math.max(classes, l + 1);
  const sum = new Float64Array(classes);
  const count = new Float64Array(classes);
  for (let i = 0; i < errors.length; i++) {
    sum[clean.labels[i]] += errors[i];
    count[clean.labels[i]]++;
  }
  return Array.from(sum, (s, c) => (count[c] > 0 ? s / count[c] : null));
}

/** Root-mean-square of (noisy − clean): the effective noise level after clipping. */
function noiseRms(noisy: Images, clean: Images): number {
  let s = 0;
  for (let i = 0; i < noisy.data.length; i++) s += (noisy.data[i] - clean.data[i]) ** 2;
  return Math.sqrt(s / noisy.data.length);
}

function round(x: number, digits = 4): number {
  return Number(x.toPrecision(digits));
}

/** A denoiser and the parameter it runs with. */
interface Denoiser {
  apply: (images: Images) => Images;
  parameter: string;
}

/**
 * A classical method's denoiser. Gaussian blur, non-local means and the wavelet filter are
 * tuned for the lowest MSE on the same seeded subset of the cell's noisy training images.
 */
function classicalDenoiser(
  method: SweepMethod,
  data: ExperimentData,
  settings: SweepSettings,
): Denoiser {
  if (method === "noisy") return { apply: (x) => ({ ...x, data: x.data.slice() }), parameter: "" };
  if (method === "median") return { apply: (x) => medianFilter(x, { size: 3 }), parameter: "3×3" };
  const { dataset, noisyTrain } = data;
  const picks = pickSamples(
    dataset.train.count,
    Math.min(settings.tune, dataset.train.count),
    settings.seed + 1,
  );
  const noisy = take(noisyTrain, picks);
  const clean = take(dataset.train, picks);
  if (method === "gaussian") {
    const { sigma } = tuneGaussianSigma(noisy, clean);
    return { apply: (x) => gaussianBlur(x, sigma), parameter: `sigma=${sigma}` };
  }
  if (method === "nlm") {
    // Clipping shrinks the noise, so σ = f is wrong (see non_local_means.ts): try the
    // measured RMS and σ = 0, each over an h grid reaching down to 0.01.
    const { h, sigma } = [round(noiseRms(noisy, clean)), 0]
      .map((sigma) => ({
        sigma,
        ...tuneNlmH(noisy, clean, { sigma, candidates: NLM_H_CANDIDATES }),
      }))
      .reduce((a, b) => (b.mse < a.mse ? b : a));
    return { apply: (x) => nonLocalMeans(x, { h, sigma }), parameter: `h=${h} sigma=${sigma}` };
  }
  if (method === "wavelet") {
    const { threshold } = tuneWaveletThreshold(noisy, clean);
    return { apply: (x) => waveletDenoise(x, { threshold }), parameter: `threshold=${threshold}` };
  }
  throw new Error(`not a classical method: ${method}`);
}

async function readJsonFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** CSV columns, in order; `class_mse` expands to `mse_class_0` … */
const CSV_COLUMNS: readonly (keyof SweepRow)[] = [
  "dataset",
  "noise_type",
  "method",
  "variant",
  "train_noise_factor",
  "noise_factor",
  "mse",
  "psnr",
  "ssim",
  "train_seconds",
  "denoise_seconds",
  "epochs",
  "final_lr",
  "parameter",
  "run",
  "train_images",
  "test_images",
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV: one header line, then one line per row; null or NaN cells are empty.
 *
 * @example
 * ```ts
 * import { sweepCsv } from "./sweep.ts";
 * console.assert(sweepCsv([]).startsWith("dataset,noise_type,method,variant,"));
 * ```
 */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const classes = Math.max(0, ...rows.map((r) => r.class_mse.length));
  const header = [...CSV_COLUMNS, ...Array.from({ length: classes }, (_, c) => `mse_class_${c}`)];
  const lines = [header.join(",")];
  for (const r of rows) {
    const cells = CSV_COLUMNS.map((c) => csvCell(r[c]));
    for (let c = 0; c < classes; c++) cells.push(csvCell(r.class_mse[c]));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

/** Options of {@linkcode sweepChart}. */
export interface SweepChartOptions {
  /** Metric on the y axis. @default "psnr" */
  metric?: "psnr" | "ssim" | "mse";
  /** Chart title. @default none */
  title?: string;
}

/**
 * A metric against the test noise factor: one line per method (as is, trained or tuned at
 * the factor it is tested at), plus "autoencoder trained at F" for the cross-noise rows.
 *
 * @example
 * ```ts
 * import { sweepChart } from "./sweep.ts";
 * const row = { dataset: "mnist", noise_type: "gaussian" as const, method: "noisy" as const,
 *   variant: "", train_noise_factor: null, noise_factor: 0.5, mse: 0.1, psnr: 10, ssim: 0.2,
 *   train_seconds: 0, denoise_seconds: 0, epochs: 0, final_lr: null, parameter: "", run: "",
 *   train_images: 1, test_images: 1, class_mse: [] };
 * console.assert(sweepChart([row]).outerHTML.includes("noisy input"));
 * ```
 */
export function sweepChart(
  rows: readonly SweepRow[],
  options: SweepChartOptions = {},
): ChartElement {
  const { metric = "psnr", title } = options;
  const points: { x: number; y: number; series: string }[] = [];
  for (const r of [...rows].sort(compareRows)) {
    if (r.variant !== "") continue;
    const matched = r.train_noise_factor === null || r.train_noise_factor === r.noise_factor;
    if (matched) {
      points.push({ x: r.noise_factor, y: r[metric], series: METHOD_LABELS[r.method] });
    }
  }
  for (const r of crossRows(rows)) {
    points.push({
      x: r.noise_factor,
      y: r[metric],
      series: `${METHOD_LABELS[r.method]} trained at ${r.train_noise_factor}`,
    });
  }
  const yLabel = metric === "psnr" ? "PSNR (dB)" : metric === "ssim" ? "SSIM" : "MSE";
  const width = legendWidth([...new Set(points.map((p) => p.series))]);
  return metricChart(points, {
    xLabel: "noise factor f",
    yLabel,
    title,
    logY: metric === "mse",
    width,
  });
}

/**
 * A chart width whose one-row legend fits every series name: figures.ts starts the legend at
 * the 60-pixel left margin and gives each entry a 36-pixel swatch and gap plus about 6.5
 * pixels per character.
 */
function legendWidth(names: readonly string[]): number {
  const legend = names.reduce((w, name) => w + 36 + Math.ceil(name.length * 6.5), 60);
  return Math.max(DEFAULT_CHART_WIDTH, legend);
}

/**
 * The cross-noise rows: the autoencoder trained at one factor, tested at each factor, the
 * matching-factor row included. The training factor is the one most rows share.
 */
function crossRows(rows: readonly SweepRow[]): SweepRow[] {
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (r.method === "ae" && r.variant === "" && r.train_noise_factor !== r.noise_factor) {
      const t = r.train_noise_factor!;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  if (counts.size === 0) return [];
  const train = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  return rows.filter((r) => r.method === "ae" && r.variant === "" && r.train_noise_factor === train)
    .sort((a, b) => a.noise_factor - b.noise_factor);
}

/**
 * Runs (or resumes) a sweep and writes its folder (see the module doc). Cells finished by
 * an earlier call are skipped and logged; every finished cell is saved at once, so a
 * killed sweep loses at most the cell it was computing (and a training resumes from its
 * last epoch). Throws {@linkcode InputError} when the named sweep exists with other settings.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "./sweep.ts";
 * const r = await runSweep({ noise: [0.3, 0.5], methods: ["median"], out: "/tmp/o" });
 * console.assert(r.status === "complete" && r.rows.length === 4);
 * ```
 */
export async function runSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const log = options.log ?? logLine;
  const { out = "outputs", ablations = true, cross = true, callbacks = [], signal } = options;
  const settings = sweepSettings(options.config ?? {}, options);
  const backend = validateConfig(definedOnly(options.config ?? {})).backend;
  const noise = parseNoiseFactors(options.noise ?? DEFAULT_SWEEP_NOISE, settings.noiseType);
  const methods = parseMethods(options.methods ?? DEFAULT_SWEEP_METHODS);
  const name = options.name ?? defaultSweepName(settings);
  const dir = sweepDir(name, out);

  const stored = await readJsonFile<SweepSettings>(join(dir, "sweep.json"));
  if (stored) {
    const diff = (Object.keys(settings) as (keyof SweepSettings)[])
      .filter((k) => stored[k] !== settings[k]);
    if (diff.length > 0) {
      const k = diff[0];
      throw new InputError(
        `sweep "${name}" in ${join(out, "sweeps")} was run with ${k} ${stored[k]}, not ` +
          `${settings[k]}; pick another name or delete its folder`,
      );
    }
  }
  const rows = (await readJsonFile<SweepRow[]>(join(dir, "results.json"))) ?? [];
  const done = new Set(rows.map(cellKey));
  const cells = planCells(settings, noise, methods, ablations, cross, backend);
  const todo = cells.filter((c) => !done.has(rowKeyOf(settings, c)));
  const skipped = cells.length - todo.length;
  if (skipped > 0) {
    log(
      `sweep "${name}": ${skipped} of ${cells.length} cells already finished, skipping them ` +
        `(their rows are in ${join(dir, "results.json")})`,
    );
  }
  if (todo.length === 0 && (await exists(join(dir, COMPLETE_FILE)))) {
    log(`sweep "${name}" is complete: nothing to do`);
    return { status: "complete", name, dir, rows: rows.sort(compareRows), computed: 0, skipped };
  }

  // One factor's data at a time: consecutive cells mostly share it.
  let cached: { noise: number; data: ExperimentData } | undefined;
  async function dataAt(f: number): Promise<ExperimentData> {
    if (cached?.noise !== f) {
      cached = undefined; // let the previous factor's images go before loading the next
      const config = validateConfig({
        noise: f,
        noiseType: settings.noiseType,
        noiseMean: settings.noiseMean,
        train: settings.train,
        test: settings.test,
        seed: settings.seed,
        dataset: settings.dataset,
      });
      cached = { noise: f, data: await prepareData(config) };
    }
    return cached.data;
  }
  // Load the first cell's data before writing anything: a bad dataset or size leaves no folder.
  if (todo.length > 0) await dataAt(todo[0].noise);
  await Deno.mkdir(dir, { recursive: true });
  if (!stored) await writeJsonAtomic(join(dir, "sweep.json"), settings);
  await Deno.remove(join(dir, COMPLETE_FILE)).catch(() => {});
  if (todo.some((c) => c.config)) await selectBackend(backend, { log });
  const runs = new Map<string, Run>();

  let computed = 0;
  for (const cell of todo) {
    if (signal?.aborted) break;
    const label = describeCell(cell);
    log(`sweep "${name}": ${label} (${skipped + computed + 1}/${cells.length})`);
    let output: Images;
    let extra: Pick<
      SweepRow,
      "train_seconds" | "denoise_seconds" | "epochs" | "final_lr" | "parameter" | "run"
    >;
    if (cell.config) {
      const key = JSON.stringify(cell.config);
      let run = runs.get(key);
      if (!run) {
        try {
          run = await ensureRun(cell.config, { out, log, callbacks, signal });
        } catch (e) {
          if (signal?.aborted) break;
          throw e;
        }
        runs.set(key, run);
      }
      const data = await dataAt(cell.noise);
      const model = await loadRunModel(run);
      const t0 = performance.now();
      try {
        output = clip01(await predictImages(model, data.noisyTest));
      } finally {
        model.dispose();
      }
      extra = {
        train_seconds: run.metrics.train_seconds,
        denoise_seconds: (performance.now() - t0) / 1000,
        epochs: run.metrics.epochs,
        final_lr: run.history.at(-1)?.lr ?? null,
        parameter: "",
        run: run.name,
      };
    } else {
      const data = await dataAt(cell.noise);
      const t0 = performance.now();
      const denoiser = classicalDenoiser(cell.method, data, settings);
      const t1 = performance.now();
      output = clip01(denoiser.apply(data.noisyTest));
      extra = {
        // Untuned methods (train_noise_factor null) have no training or tuning at all.
        train_seconds: cell.trainNoise === null ? 0 : (t1 - t0) / 1000,
        denoise_seconds: (performance.now() - t1) / 1000,
        epochs: 0,
        final_lr: null,
        parameter: denoiser.parameter,
        run: "",
      };
    }
    const clean = (await dataAt(cell.noise)).dataset.test;
    rows.push({
      dataset: settings.dataset,
      noise_type: settings.noiseType,
      method: cell.method,
      variant: cell.variant,
      train_noise_factor: cell.trainNoise,
      noise_factor: cell.noise,
      mse: mse(clean, output),
      psnr: psnr(clean, output),
      ssim: ssim(clean, output),
      ...extra,
      train_images: settings.train,
      test_images: settings.test,
      class_mse: classMse(clean, output),
    });
    rows.sort(compareRows);
    await writeJsonAtomic(join(dir, "results.json"), rows);
    await writeFileAtomic(join(dir, "results.csv"), sweepCsv(rows));
    computed++;
    const row = rows.find((r) => cellKey(r) === rowKeyOf(settings, cell))!;
    log(`  psnr ${row.psnr.toFixed(2)} dB  ssim ${row.ssim.toFixed(3)}  mse ${row.mse.toFixed(5)}`);
  }
  const status = computed === todo.length ? "complete" : "interrupted";
  await writeFileAtomic(join(dir, "psnr.svg"), svgString(sweepChart(rows, { metric: "psnr" })));
  await writeFileAtomic(join(dir, "ssim.svg"), svgString(sweepChart(rows, { metric: "ssim" })));
  if (status === "complete") {
    // Last: from here on the sweep counts as complete.
    await writeJsonAtomic(join(dir, COMPLETE_FILE), {
      cells: cells.length,
      rows: rows.length,
      finished: new Date().toISOString(),
    });
  }
  return { status, name, dir, rows, computed, skipped };
}

/** A sweep read back from its folder. */
export interface SweepRecord {
  /** Sweep name. */
  name: string;
  /** Sweep folder. */
  dir: string;
  /** Its settings. */
  settings: SweepSettings;
  /** Its rows, in canonical order. */
  rows: SweepRow[];
  /** Whether the `complete` marker exists. */
  complete: boolean;
}

/**
 * Reads a sweep's settings and rows; undefined when there is no such sweep. Throws
 * {@linkcode InputError} when its files are unreadable.
 */
export async function readSweep(name: string, out = "outputs"): Promise<SweepRecord | undefined> {
  const dir = sweepDir(name, out);
  const settings = await readJsonFile<SweepSettings>(join(dir, "sweep.json"));
  if (!settings) return undefined;
  const rows = (await readJsonFile<SweepRow[]>(join(dir, "results.json"))) ?? [];
  return {
    name,
    dir,
    settings,
    rows: rows.sort(compareRows),
    complete: await exists(join(dir, COMPLETE_FILE)),
  };
}

/**
 * The complete sweep named by `options.name` (default: {@linkcode defaultSweepName}): read
 * back when it is complete, else run, or resumed with its own stored settings, through
 * {@linkcode runSweep}. Throws {@linkcode InputError} when interrupted.
 *
 * @example
 * ```ts ignore
 * import { ensureSweep } from "./sweep.ts";
 * const sweep = await ensureSweep({ noise: [0.5], methods: ["median"], out: "/tmp/o" });
 * console.assert(sweep.complete && sweep.rows.length === 2);
 * ```
 */
export async function ensureSweep(options: SweepOptions = {}): Promise<SweepRecord> {
  const log = options.log ?? logLine;
  const name = options.name ?? defaultSweepName(sweepSettings(options.config ?? {}, options));
  const existing = await readSweep(name, options.out);
  if (existing?.complete) {
    log(`using the finished sweep "${name}" (${existing.rows.length} rows)`);
    return existing;
  }
  const stored = existing?.settings;
  const result = await runSweep({
    ...options,
    name,
    log,
    ...(stored && {
      config: { ...options.config, ...stored },
      tune: stored.tune,
      referenceNoise: stored.referenceNoise,
    }),
  });
  if (result.status !== "complete") {
    throw new InputError(`sweep "${name}" was interrupted; run it again to resume`);
  }
  return (await readSweep(name, options.out))!;
}

/** Environment variable naming the sweep notebook 06 reads (or runs, when missing). */
export const SWEEP_NAME_VARIABLE = "SWEEP_NAME";
/** Environment variable with notebook 06's comma-separated noise factors. */
export const SWEEP_NOISE_VARIABLE = "SWEEP_NOISE";

// ---------------------------------------------------------------------------------------
// The report's claims, tested on a sweep's rows.

/**
 * PSNR differences below this are treated as no real difference. The sweep trains each
 * model once; the report's autoencoder trained with seeds 0, 1 and 2 at the sweep's default
 * settings (f = 0.5, 10 epochs) scored 17.99, 18.05 and 18.01 dB, a spread of 0.06 dB, so
 * smaller gaps cannot be told apart from the choice of seed.
 */
export const NEGLIGIBLE_PSNR_DB = 0.1;

/** A claim tested on the numbers: a table to show and a verdict computed from it. */
export interface ClaimResult {
  /** Rows to show as a table. */
  table: Record<string, string | number>[];
  /** One or two sentences, computed from the numbers whichever way they fall. */
  verdict: string;
  /**
   * True when the numbers support the claim; false when they contradict it or show no real
   * effect; null when they are mixed, support it only in part, or cannot test it.
   */
  holds: boolean | null;
  /** The chart that tests the claim, when a table alone does not show it. */
  chart?: ChartElement;
}

/** Epochs without improvement before the report's ReduceLROnPlateau lowers the rate. */
const SCHEDULE_PATIENCE = new ReduceLROnPlateau().patience;

function epochs(n: number): string {
  return `${n} epoch${n === 1 ? "" : "s"}`;
}

function db(x: number): string {
  return `${x.toFixed(2)} dB`;
}

function signedDb(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)} dB`;
}

function findRow(
  rows: readonly SweepRow[],
  method: SweepMethod,
  noise: number,
  variant = "",
  trainNoise: number | null | "matched" = "matched",
): SweepRow | undefined {
  return rows.find((r) =>
    r.method === method && r.variant === variant && r.noise_factor === noise &&
    (trainNoise === "matched"
      ? r.train_noise_factor === null || r.train_noise_factor === noise
      : r.train_noise_factor === trainNoise)
  );
}

function untested(what: string): ClaimResult {
  return { table: [], verdict: `Not tested: the sweep has no ${what}.`, holds: null };
}

/**
 * Claim 1, "given enough images, autoencoders beat any other denoising method": every
 * method at `noise`, best PSNR first, and whether the report's autoencoder beats the best
 * classical filter on both PSNR and SSIM.
 */
export function claimBeatsClassical(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const at = SWEEP_METHODS.map((m) => findRow(rows, m, noise)).filter((r) => r !== undefined);
  const ae = at.find((r) => r.method === "ae");
  const classical = at.filter((r) => !LEARNED_METHODS.includes(r.method) && r.method !== "noisy");
  if (!ae || classical.length === 0) {
    return untested(`autoencoder and classical rows at noise factor ${noise}`);
  }
  const table = [...at].sort((a, b) => b.psnr - a.psnr).map((r) => ({
    method: METHOD_LABELS[r.method],
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
    "train/tune s": Math.round(r.train_seconds),
    parameter: r.parameter,
  }));
  const chart = barChart(
    table.map((r) => ({ label: r.method, value: r.psnr })),
    {
      yLabel: "PSNR (dB)",
      title: `PSNR of each method at f = ${noise}`,
      format: (v) => v.toFixed(2),
    },
  );
  const best = classical.reduce((a, b) => (b.psnr > a.psnr ? b : a));
  const gain = ae.psnr - best.psnr;
  const ssimBetter = ae.ssim > best.ssim;
  const holds = gain > NEGLIGIBLE_PSNR_DB && ssimBetter
    ? true
    : gain < -NEGLIGIBLE_PSNR_DB && !ssimBetter
    ? false
    : null;
  let verdict = `At f = ${noise}, trained on ${ae.train_images.toLocaleString("en-US")} images, ` +
    `the autoencoder reaches ${db(ae.psnr)} (SSIM ${ae.ssim.toFixed(3)}) against ` +
    `${db(best.psnr)} (SSIM ${best.ssim.toFixed(3)}) for the best classical method, ` +
    `${METHOD_LABELS[best.method]}: ${signedDb(gain)}. `;
  verdict += holds === true
    ? "The claim holds against every classical filter tested."
    : holds === false
    ? "The claim does not hold: a classical filter does better."
    : "The result is mixed or too close to call, so the claim is not supported.";
  const dncnn = at.find((r) => r.method === "dncnn");
  if (dncnn) {
    const d = dncnn.psnr - ae.psnr;
    verdict += ` The residual DnCNN reaches ${db(dncnn.psnr)} (SSIM ${dncnn.ssim.toFixed(3)}), ` +
      (d > NEGLIGIBLE_PSNR_DB
        ? `${
          signedDb(d)
        } above the autoencoder: a learned model without a bottleneck does better still.`
        : d < -NEGLIGIBLE_PSNR_DB
        ? `${signedDb(d)} below the autoencoder.`
        : "level with the autoencoder.");
  }
  return { table, verdict, holds, chart };
}

/**
 * Claim 2, "training on noisy inputs makes the model robust": the autoencoder trained at
 * `trainNoise`, tested at every factor, against the noisy input and the autoencoder trained
 * at each factor. It holds when the one model improves on the noisy input (PSNR) at every
 * factor, fails when it loses somewhere a model trained for that level wins, and holds only
 * in part (null) when it loses only where the model trained for that level loses too.
 */
export function claimNoiseRobustness(rows: readonly SweepRow[], trainNoise = 0.5): ClaimResult {
  const cross = rows.filter((r) =>
    r.method === "ae" && r.variant === "" && r.train_noise_factor === trainNoise
  ).sort((a, b) => a.noise_factor - b.noise_factor);
  if (cross.length < 2) {
    return untested(`autoencoder trained at ${trainNoise} tested at other factors`);
  }
  const fixed = `trained at ${trainNoise}`;
  const lines = cross.map((r) => ({
    f: r.noise_factor,
    cross: r,
    noisy: findRow(rows, "noisy", r.noise_factor),
    matched: findRow(rows, "ae", r.noise_factor, "", r.noise_factor),
  }));
  const table = lines.map(({ f, cross, noisy, matched }) => ({
    "noise factor": f,
    "noisy input psnr": noisy?.psnr ?? NaN,
    [`${fixed} psnr`]: cross.psnr,
    "trained at f psnr": matched?.psnr ?? NaN,
    "shortfall (dB)": matched ? matched.psnr - cross.psnr : NaN,
    [`${fixed} ssim`]: cross.ssim,
  }));
  const chart = metricChart(
    lines.flatMap(({ f, cross, noisy, matched }) => [
      ...(noisy ? [{ x: f, y: noisy.psnr, series: "noisy input" }] : []),
      { x: f, y: cross.psnr, series: `autoencoder ${fixed}` },
      ...(matched ? [{ x: f, y: matched.psnr, series: "autoencoder trained at f" }] : []),
    ]),
    {
      xLabel: "noise factor of the test images",
      yLabel: "PSNR (dB)",
      title: "One model, every noise level",
    },
  );
  const known = lines.filter((l) => l.noisy !== undefined);
  if (known.length === 0) return { ...untested("noisy-input rows"), table, chart };
  const gains = known.map((l) => l.cross.psnr - l.noisy!.psnr);
  const losses = known.filter((l) => l.cross.psnr <= l.noisy!.psnr);
  const ssimWins = known.filter((l) => l.cross.ssim > l.noisy!.ssim).length;
  // Where the one model loses to the input, does a model trained for that level win? If not,
  // the architecture cannot beat the input there at all, and robustness is not what fails.
  const fixable = losses.filter((l) => l.matched !== undefined && l.matched.psnr > l.noisy!.psnr);
  const holds = losses.length === 0 ? true : fixable.length > 0 ? false : null;
  let verdict = `The autoencoder trained only at f = ${trainNoise} improves on the noisy input ` +
    `at ${known.length - losses.length} of ${known.length} test factors by PSNR (smallest gain ` +
    `${signedDb(Math.min(...gains))}) and at ${ssimWins} of ${known.length} by SSIM. `;
  const behind = lines.filter((l) => l.matched !== undefined)
    .map((l) => ({ f: l.f, s: l.matched!.psnr - l.cross.psnr }))
    .sort((a, b) => b.s - a.s)[0];
  if (behind) {
    verdict += behind.s > NEGLIGIBLE_PSNR_DB
      ? `It trails a model trained at the test factor by up to ${
        db(behind.s)
      } (at f = ${behind.f}). `
      : "It matches a model trained at each test factor. ";
  }
  const at = (ls: typeof lines) => ls.map((l) => l.f).join(", ");
  verdict += holds === true
    ? "The claim holds: one model trained on noisy inputs denoises every noise level tested."
    : holds === false
    ? `The claim does not hold at every level: at f = ${at(fixable)} it makes images worse ` +
      "than the input, where a model trained for that level improves them."
    : `The claim holds only in part: at f = ${at(losses)} it scores below the input, but so ` +
      "does a model trained for that level; there the autoencoder's bottleneck, not its " +
      "training noise, is what limits it.";
  return { table, verdict, holds, chart };
}

function ablationPair(
  rows: readonly SweepRow[],
  variant: string,
  noise: number,
): { base: SweepRow; other: SweepRow; table: ClaimResult["table"] } | undefined {
  const base = findRow(rows, "ae", noise, "", noise);
  const other = findRow(rows, "ae", noise, variant, noise);
  if (!base || !other) return undefined;
  const line = (label: string, r: SweepRow) => ({
    model: label,
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
    "final lr": r.final_lr ?? NaN,
    epochs: r.epochs,
  });
  return { base, other, table: [line("report's autoencoder", base), line(variant, other)] };
}

/**
 * Claim 3, "ReduceLROnPlateau brought no real gain": the report's autoencoder against the
 * same model at a fixed learning rate. It holds when the schedule gains at most
 * {@linkcode NEGLIGIBLE_PSNR_DB}; it is untested (null) when the schedule never lowered the
 * rate, since both runs then train identically.
 */
export function claimLrSchedule(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const pair = ablationPair(rows, "no lr schedule", noise);
  if (!pair) return untested(`"no lr schedule" ablation at noise factor ${noise}`);
  const { base, other, table } = pair;
  const gain = base.psnr - other.psnr;
  const fired = base.final_lr !== null && other.final_lr !== null && base.final_lr < other.final_lr;
  if (!fired) {
    const why = base.epochs <= SCHEDULE_PATIENCE
      ? `fewer epochs than its patience of ${SCHEDULE_PATIENCE}`
      : `val_loss never stalled for ${SCHEDULE_PATIENCE} epochs`;
    return {
      table,
      verdict: `Not tested by this sweep: the schedule never lowered the learning rate in ` +
        `${epochs(base.epochs)} (${why}), so both runs trained identically ` +
        `(${signedDb(gain)}). A sweep with more epochs tests it, e.g. \`deno task sweep ` +
        `--noise ${noise} --methods ae --no-cross --epochs 30\`.`,
      holds: null,
    };
  }
  const holds = gain <= NEGLIGIBLE_PSNR_DB;
  const verdict = `The schedule lowered the learning rate to ${base.final_lr} within ` +
    `${epochs(base.epochs)}; with it the autoencoder scores ${signedDb(gain)} PSNR and ` +
    `${(base.ssim - other.ssim >= 0 ? "+" : "−") + Math.abs(base.ssim - other.ssim).toFixed(4)} ` +
    "SSIM. " +
    (holds
      ? `The claim holds: no gain above ${NEGLIGIBLE_PSNR_DB} dB.`
      : "The claim does not hold: the schedule gives a real gain here.");
  return { table, verdict, holds };
}

/**
 * Claim 4, "the 0.2 dropout helped": the report's autoencoder against the same model
 * without dropout. It holds when dropout gains more than {@linkcode NEGLIGIBLE_PSNR_DB}.
 */
export function claimDropout(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const pair = ablationPair(rows, "dropout 0", noise);
  if (!pair) return untested(`"dropout 0" ablation at noise factor ${noise}`);
  const { base, other, table } = pair;
  const gain = base.psnr - other.psnr;
  const holds = gain > NEGLIGIBLE_PSNR_DB;
  const verdict = `With the 0.2 dropout the autoencoder reaches ${db(base.psnr)}, without it ` +
    `${db(other.psnr)} (${signedDb(gain)} for dropout; SSIM ${base.ssim.toFixed(3)} vs ` +
    `${other.ssim.toFixed(3)}). ` +
    (holds
      ? "The claim holds: dropout helped."
      : gain < -NEGLIGIBLE_PSNR_DB
      ? "The claim does not hold: the model does better without dropout."
      : `The claim is not supported: the difference is under ${NEGLIGIBLE_PSNR_DB} dB.`);
  return { table, verdict, holds };
}

/** Result of {@linkcode claimLatent}: the claim plus MSE per class and latent size. */
export interface LatentClaimResult extends ClaimResult {
  /** MSE per class: `{ class, "latent 2": …, "latent 16": …, "latent 64": … }`. */
  classTable: Record<string, string | number>[];
  /** The runs compared, smallest code first (to show their reconstructions). */
  runs: { latent: number; run: string }[];
  /** Labels to look at: the named classes found, else the two worst at latent 16. */
  focusLabels: number[];
}

/**
 * Claim 5, "the 16-number latent loses detail, e.g. in 6s and 9s": latent 2, 16 and 64
 * side by side, and MSE per class. It holds when a 64-number code beats the 16-number one
 * by more than {@linkcode NEGLIGIBLE_PSNR_DB}; the verdict also ranks the named classes by
 * error at latent 16.
 */
export function claimLatent(
  rows: readonly SweepRow[],
  noise = 0.5,
  focus: readonly string[] = ["6", "9"],
): LatentClaimResult {
  const base = findRow(rows, "ae", noise, "", noise);
  const byLatent: [number, SweepRow | undefined][] = [
    [2, findRow(rows, "ae", noise, "latent 2", noise)],
    [DEFAULT_CONFIG.latent, base],
    [64, findRow(rows, "ae", noise, "latent 64", noise)],
  ];
  const present = byLatent.filter((x): x is [number, SweepRow] => x[1] !== undefined);
  const big = byLatent[2][1];
  if (!base || !big) {
    return {
      ...untested(`"latent 64" ablation at noise factor ${noise}`),
      classTable: [],
      runs: [],
      focusLabels: [],
    };
  }
  const table = present.map(([latent, r]) => ({
    latent,
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
  }));
  const names = classNames(base.dataset);
  const classTable = base.class_mse.map((_, c) => {
    const line: Record<string, string | number> = { class: names[c] ?? String(c) };
    for (const [latent, r] of present) line[`latent ${latent}`] = r.class_mse[c] ?? NaN;
    return line;
  });
  const gain = big.psnr - base.psnr;
  const holds = gain > NEGLIGIBLE_PSNR_DB;
  let verdict = `A 64-number code scores ${signedDb(gain)} PSNR against the report's 16 ` +
    `(MSE ${base.mse.toFixed(5)} → ${big.mse.toFixed(5)}). ` +
    (holds
      ? "The claim holds: the 16-number bottleneck loses detail that a larger code keeps."
      : "The claim is not supported: a larger code recovers no real detail, so the bottleneck " +
        "is not what limits the reconstruction.");
  // Classes with test images, worst first at latent 16.
  const order = base.class_mse.flatMap((m, c) => (m === null ? [] : [{ c, m }]))
    .sort((a, b) => b.m - a.m);
  const ranked = focus.map((name) => ({ name, c: names.indexOf(name) }))
    .filter((x) => order.some((o) => o.c === x.c) && big.class_mse[x.c] != null);
  if (ranked.length > 0) {
    const ranks = ranked.map(({ name, c }) =>
      `${name} is #${order.findIndex((o) => o.c === c) + 1}`
    );
    const worst = order.slice(0, 3).map((o) => names[o.c] ?? String(o.c)).join(", ");
    const relief = ranked.map(({ name, c }) =>
      `${name} ${(100 * (big.class_mse[c]! / base.class_mse[c]! - 1)).toFixed(0)}%`
    ).join(", ");
    verdict +=
      ` Ranked by error at latent 16 (1 = worst of ${order.length}), ${ranks.join(", ")}; ` +
      `the worst are ${worst}. Latent 64 changes their MSE by ${relief}.`;
  }
  const chart = metricChart(
    present.flatMap(([latent, r]) =>
      r.class_mse.flatMap((
        m,
        c,
      ) => (m === null ? [] : [{ x: c, y: m, series: `latent ${latent}` }]))
    ),
    { xLabel: "class (label)", yLabel: "MSE", title: `Error per class at f = ${noise}` },
  );
  const runs = present.map(([latent, r]) => ({ latent, run: r.run }));
  const focusLabels = ranked.length > 0
    ? ranked.map((x) => x.c)
    : order.slice(0, 2).map((o) => o.c);
  return { table, verdict, holds, classTable, chart, runs, focusLabels };
}
