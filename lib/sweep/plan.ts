/**
 * What a noise sweep computes: its methods, settings and rows.
 *
 * @module
 */
import { join } from "node:path";
import { type ExperimentConfig, MAX_SEED, validateConfig, validateName } from "../runs/config.ts";
import {
  CLASSICAL_METHODS,
  classicalDenoiser,
  type ClassicalMethod,
} from "../denoisers/registry.ts";
import { InputError } from "../errors.ts";
import type { NoiseType } from "../data/noise.ts";

/** Methods a sweep can evaluate: the classical denoisers, then the learned models. */
export const SWEEP_METHODS: readonly SweepMethod[] = [...CLASSICAL_METHODS, "ae", "dncnn"];

/** One of {@linkcode SWEEP_METHODS}; `noisy` is the noisy input itself: the do-nothing baseline. */
export type SweepMethod = ClassicalMethod | "ae" | "dncnn";

/** Methods of a sweep when none are named (`noisy` is always added). */
export const DEFAULT_SWEEP_METHODS: readonly SweepMethod[] = [
  "ae",
  "dncnn",
  "gaussian",
  "median",
  "nlm",
  "bm3d",
];

/** Methods that train a model through `ensureRun`. */
export const LEARNED_METHODS: readonly SweepMethod[] = ["ae", "dncnn"];

/** Noise factors of a sweep when none are given. */
export const DEFAULT_SWEEP_NOISE: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.9];

/** Noise factors of notebook 6's sweep unless `sweepNoise`: the primary comparisons' only. */
export const NOTEBOOK_SWEEP_NOISE: readonly number[] = [0.5];

/** Training epochs of each learned model in a sweep: a budget, never chosen on test scores. */
export const DEFAULT_SWEEP_EPOCHS = 10;

/** Noisy training images the filters are tuned (and bias-corrected) on. */
export const DEFAULT_TUNE_IMAGES = 200;

/** The report's noise factor: cross-noise models train at it and the ablations run at it. */
export const DEFAULT_REFERENCE_NOISE = 0.5;

/** Whether a method's rows are bias-corrected: every classical filter but `noisy`. */
export function isCorrected(method: SweepMethod): boolean {
  return CLASSICAL_METHODS.includes(method as ClassicalMethod) && method !== "noisy";
}

/** Display names of the methods, for tables and chart legends. */
export const METHOD_LABELS: Readonly<Record<SweepMethod, string>> = Object.freeze({
  ...Object.fromEntries(CLASSICAL_METHODS.map((m) => [
    m,
    classicalDenoiser(m, { biasCorrection: isCorrected(m) }).label,
  ])) as Record<ClassicalMethod, string>,
  ae: "autoencoder",
  dncnn: "DnCNN (residual)",
});

/** One ablation of the report's autoencoder: its `variant` name and the config it changes. */
type Ablation = { variant: string; change: Partial<ExperimentConfig> };

/** The ablations run at the reference factor (the unablated autoencoder has variant ""). */
export const ABLATIONS: readonly Ablation[] = Object.freeze([
  { variant: "dropout 0", change: { dropout: 0 } },
  { variant: "lr schedule", change: {} },
  { variant: "no lr schedule", change: { lrSchedule: false } },
  { variant: "latent 2", change: { latent: 2 } },
  { variant: "latent 64", change: { latent: 64 } },
]);

/** Config keys that are no sweep setting: each cell sets its own, or they do not change results. */
const CELL_KEYS = ["model", "noise", "latent", "dropout", "lrSchedule", "backend"] as const;

/** The settings that fix every cell's result, stored in `sweep.json` (see `SweepOptions`). */
export type SweepSettings = Omit<ExperimentConfig, (typeof CELL_KEYS)[number]> & {
  tune: number;
  referenceNoise: number;
  scheduleEpochs: number;
  /** The classical filters are bias-corrected ({@linkcode isCorrected}). */
  biasCorrection: true;
};

/** Variants that train {@linkcode SweepSettings.scheduleEpochs} epochs. */
export const SCHEDULE_VARIANTS: readonly string[] = ["lr schedule", "no lr schedule"];

/** One finished cell: a method scored at one test noise factor. */
export interface SweepRow {
  dataset: string;
  noise_type: NoiseType;
  method: SweepMethod;
  /** "" for the method as is, else the ablation (see {@linkcode ABLATIONS}). */
  variant: string;
  /** Factor the model was trained (or the filter tuned) at; null for noisy. */
  train_noise_factor: number | null;
  /** Factor of the test images' noise. */
  noise_factor: number;
  /** MSE, mean per-image PSNR (dB) and mean SSIM against the clean test images. */
  mse: number;
  psnr: number;
  ssim: number;
  /** Seconds training (learned), tuning (tuned filters), or 0. */
  train_seconds: number;
  /** Seconds to denoise the test images, and one test image. */
  denoise_seconds: number;
  seconds_per_image: number;
  /** Epochs trained; 0 for classical methods. */
  epochs: number;
  /** Learning rate in the last epoch; null for classical methods. */
  final_lr: number | null;
  /** The chosen parameter of a tuned filter (e.g. "sigma=1.1"), or the fixed one. */
  parameter: string;
  /** Run folder name of a learned model; "" for classical methods. */
  run: string;
  train_images: number;
  test_images: number;
  /** MSE per class of the test images (index = label; null for a class with no test image). */
  class_mse: (number | null)[];
  /** Training seed of a learned model (`config.seed`); null for classical methods. */
  seed: number | null;
  /** Times ReduceLROnPlateau lowered the rate in training; null for classical methods. */
  lr_drops: number | null;
  /** SHA-256 of the noisy test images the cell denoised: equal across seeds of a sweep. */
  test_inputs_sha256: string;
  /** Path, relative to the sweep folder, of the cell's {@linkcode PerImageScores}. */
  per_image: string;
  /** SHA-256 of that file as written, checked whenever the row is read back. */
  per_image_sha256: string;
}

/** A cell's scores on each test image, in test-set order (`per_image/…json`). */
export interface PerImageScores {
  /** SHA-256 of the noisy test images (as the row's `test_inputs_sha256`). */
  test_inputs_sha256: string;
  mse: number[];
  /** dB. */
  psnr: number[];
  ssim: number[];
  labels: number[];
}

/** The trimmed items of a comma-separated list (or array); InputError `none` when one is empty. */
function listItems(list: string | readonly (number | string)[], none: string): string[] {
  const items = typeof list === "string" ? list.split(",") : [...list];
  const trimmed = items.map((v) => String(v).trim());
  if (trimmed.length === 0 || trimmed.includes("")) throw new InputError(none);
  return trimmed;
}

/** Validates a list of training seeds: distinct integers in [0, 2^32 − 1]; one-line InputError. */
export function parseSeeds(list: string | readonly (number | string)[]): number[] {
  const items = listItems(list, "seeds must be a comma-separated list of integers, e.g. 0,1,2");
  const seeds = items.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) > MAX_SEED) {
      throw new InputError(`seeds: "${v}" is not an integer in [0, 2^32-1]`);
    }
    return Number(v);
  });
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) throw new InputError(`seeds: ${dup} is listed twice`);
  return seeds;
}

/** The settings a sweep runs with: `config` over the defaults, validated (InputError). */
export function sweepSettings(
  config: Partial<ExperimentConfig> = {},
  options: { tune?: number; referenceNoise?: number; scheduleEpochs?: number } = {},
): SweepSettings {
  const c = validateConfig({ ...config, epochs: config.epochs ?? DEFAULT_SWEEP_EPOCHS });
  const { tune = DEFAULT_TUNE_IMAGES, referenceNoise = DEFAULT_REFERENCE_NOISE } = options;
  // The claims' arms train with seeds SEED, SEED+1 and SEED+2 (DEFAULT_CLAIM_SEEDS, cells.ts).
  const maxSeed = MAX_SEED - 2;
  if (c.seed > maxSeed) {
    throw new InputError(
      `seed must be at most ${maxSeed} for a sweep (its claims' arms train with seeds ` +
        `SEED, SEED+1 and SEED+2), got ${c.seed}`,
    );
  }
  const scheduleEpochs = options.scheduleEpochs ?? c.epochs;
  const settings = { ...c, tune, referenceNoise, scheduleEpochs, biasCorrection: true as const };
  for (const k of CELL_KEYS) delete (settings as Partial<ExperimentConfig>)[k];
  return settings;
}

/** Folder of sweep `name` under output root `out`. */
export function sweepDir(name: string, out = "outputs"): string {
  return join(out, "sweeps", validateName("sweep", name));
}

/** Validates a list of method names (duplicates dropped, order kept); one-line InputError. */
export function parseMethods(list: string | readonly string[]): SweepMethod[] {
  const all = SWEEP_METHODS.join(", ");
  const names = listItems(list, `methods must be a comma-separated list of ${all}`);
  const unknown = names.find((n) => !SWEEP_METHODS.includes(n as SweepMethod));
  if (unknown !== undefined) {
    throw new InputError(`unknown method "${unknown}"; choose from ${all}`);
  }
  return [...new Set(names)] as SweepMethod[];
}

/** Validates noise factors for `noiseType`, sorted, deduplicated; InputError naming `label`. */
export function parseNoiseFactors(
  list: string | readonly (number | string)[],
  noiseType: NoiseType = "gaussian",
  label = "noise",
): number[] {
  const usage = `${label} must be a comma-separated list of factors, e.g. 0.1,0.5,0.9`;
  const items = listItems(list, usage);
  const factors = items.map((v) => validateConfig({ noise: v, noiseType }, { noise: label }).noise);
  return [...new Set(factors)].sort((a, b) => a - b);
}

/** Canonical row order: method, variant, training factor, test factor. */
export function compareRows(a: SweepRow, b: SweepRow): number {
  const variants = ["", ...ABLATIONS.map((x) => x.variant)];
  return SWEEP_METHODS.indexOf(a.method) - SWEEP_METHODS.indexOf(b.method) ||
    variants.indexOf(a.variant) - variants.indexOf(b.variant) ||
    a.variant.localeCompare(b.variant) ||
    (a.train_noise_factor ?? -1) - (b.train_noise_factor ?? -1) ||
    a.noise_factor - b.noise_factor || (a.seed ?? -1) - (b.seed ?? -1);
}
