/**
 * What a noise sweep computes: its methods, settings, rows and the plan of cells. A cell is
 * one (dataset, noise type, method, variant, training noise factor, test noise factor);
 * {@linkcode planCells} lists them as plain descriptors, in the order the runner
 * (lib/sweep/sweep.ts) computes them.
 *
 * @module
 */
import { join } from "node:path";
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from "../runs/config.ts";
import { CLASSICAL_METHODS, type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";
import { InputError } from "../errors.ts";
import type { NoiseType } from "../data/noise.ts";
import { validateName } from "../runs/run_io.ts";

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

/**
 * Training epochs of each learned model in a sweep: a training budget, not a tuned value, and
 * never chosen on test scores (that would let the test images steer training). At 10 epochs
 * on the full data the report's autoencoder is still short of its 30-epoch protocol, whose
 * length the validation curve chose (`DEFAULT_CONFIG.epochs`); every verdict names the epochs
 * it comes from. ReduceLROnPlateau first fires at epoch 15 or later on these profiles, so
 * testing the schedule takes more epochs for claim 3's arms (`--schedule-epochs`).
 */
export const DEFAULT_SWEEP_EPOCHS = 10;

/**
 * Noisy training images the tuned filters choose their parameter on: 200 × 784 pixels pin
 * down one parameter well, and keep non-local means' tuning to about 3 s per factor.
 */
export const DEFAULT_TUNE_IMAGES = 200;

/** The report's noise factor: cross-noise models train at it and the ablations run at it. */
export const DEFAULT_REFERENCE_NOISE = 0.5;

/** Display names of the methods, for tables and chart legends. */
export const METHOD_LABELS: Readonly<Record<SweepMethod, string>> = Object.freeze({
  ...Object.fromEntries(CLASSICAL_METHODS.map((m) => [m, DENOISERS[m].label])) as Record<
    ClassicalMethod,
    string
  >,
  ae: "autoencoder",
  dncnn: "DnCNN (residual)",
});

/** One ablation of the report's autoencoder: its `variant` name and what it changes. */
export interface Ablation {
  /** The `variant` column of its rows. */
  variant: string;
  /** Settings changed from the report's. */
  change: Partial<Pick<ExperimentConfig, "dropout" | "lrSchedule" | "latent" | "epochs">>;
}

/**
 * The ablations run at the reference factor; the unablated autoencoder has variant "".
 * Claim 3's two arms, "lr schedule" (the report's autoencoder) and "no lr schedule", train
 * {@linkcode SweepSettings.scheduleEpochs} epochs, so the schedule has time to fire; when that
 * equals `epochs`, "lr schedule" reuses the unablated autoencoder's run.
 */
export const ABLATIONS: readonly Ablation[] = Object.freeze([
  { variant: "dropout 0", change: { dropout: 0 } },
  { variant: "lr schedule", change: {} },
  { variant: "no lr schedule", change: { lrSchedule: false } },
  { variant: "latent 2", change: { latent: 2 } },
  { variant: "latent 64", change: { latent: 64 } },
]);

/**
 * The settings that fix every cell's result; stored in `sweep.json`. The experiment settings
 * mean what they mean in {@linkcode ExperimentConfig} (`seed` also seeds the tuning subset);
 * the rest are the sweep's own.
 */
export type SweepSettings =
  & Pick<
    ExperimentConfig,
    | "dataset"
    | "noiseType"
    | "noiseMean"
    | "epochs"
    | "train"
    | "test"
    | "batch"
    | "seed"
    | "dataSeed"
    | "validation"
    | "validationSplit"
  >
  & {
    /** Noisy training images the tuned filters are tuned on. */
    tune: number;
    /** Noise factor of the cross-noise model and the ablations. */
    referenceNoise: number;
    /** Epochs of claim 3's arms ("lr schedule", "no lr schedule"); `epochs` unless set. */
    scheduleEpochs: number;
  };

/** Variants that train {@linkcode SweepSettings.scheduleEpochs} epochs. */
export const SCHEDULE_VARIANTS: readonly string[] = ["lr schedule", "no lr schedule"];

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
  /**
   * Seconds to denoise one test image (`denoise_seconds / test_images`), so the methods'
   * costs compare beside their scores; tuning or training time is `train_seconds`.
   */
  seconds_per_image: number;
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
  /** Training seed of a learned model (`config.seed`); null for classical methods. */
  seed: number | null;
  /**
   * Times ReduceLROnPlateau lowered the rate during training (epochs whose rate is below the
   * previous epoch's, from the run's history); null for classical methods.
   */
  lr_drops: number | null;
  /** SHA-256 of the noisy test images the cell denoised: equal across seeds of a sweep. */
  test_inputs_sha256: string;
  /**
   * Path, relative to the sweep folder, of the cell's per-image scores ({@linkcode PerImageScores});
   * "" for rows written before they were stored.
   */
  per_image: string;
  /** SHA-256 of that file as written, checked whenever the row is read back. */
  per_image_sha256: string;
}

/** A cell's scores on each test image, in test-set order (`per_image/…json`). */
export interface PerImageScores {
  /** SHA-256 of the noisy test images (as the row's `test_inputs_sha256`). */
  test_inputs_sha256: string;
  /** MSE of each test image. */
  mse: number[];
  /** PSNR (dB) of each test image. */
  psnr: number[];
  /** SSIM of each test image. */
  ssim: number[];
  /** Class of each test image. */
  labels: number[];
}

/**
 * Validates a list of training seeds: distinct integers in [0, 2^32 − 1]. Throws
 * {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { parseSeeds } from "./plan.ts";
 * assertEquals(parseSeeds("0, 1,2"), [0, 1, 2]);
 * ```
 */
export function parseSeeds(list: string | readonly (number | string)[]): number[] {
  const items = (typeof list === "string" ? list.split(",") : [...list]).map((v) =>
    String(v).trim()
  );
  if (items.length === 0 || items.some((v) => v === "")) {
    throw new InputError("seeds must be a comma-separated list of integers, e.g. 0,1,2");
  }
  const seeds = items.map((v) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
      throw new InputError(`seeds: "${v}" is not an integer in [0, 2^32-1]`);
    }
    return n;
  });
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) throw new InputError(`seeds: ${dup} is listed twice`);
  return seeds;
}

/**
 * The settings a sweep runs with: `config` over the report's defaults (epochs
 * {@linkcode DEFAULT_SWEEP_EPOCHS}), validated. Throws {@linkcode InputError} on a bad value.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
 * const s = sweepSettings({ epochs: 3 });
 * assert(s.epochs === 3 && s.referenceNoise === 0.5 && s.train === 60000);
 * ```
 */
export function sweepSettings(
  config: Partial<ExperimentConfig> = {},
  options: { tune?: number; referenceNoise?: number; scheduleEpochs?: number } = {},
): SweepSettings {
  const c = validateConfig({ epochs: DEFAULT_SWEEP_EPOCHS, ...definedOnly(config) });
  const { tune = DEFAULT_TUNE_IMAGES, referenceNoise = DEFAULT_REFERENCE_NOISE } = options;
  if (!Number.isInteger(tune) || tune < 1) {
    throw new InputError(`tune must be a whole number ≥ 1, got ${tune}`);
  }
  validateConfig({ noise: referenceNoise, noiseType: c.noiseType });
  // The claims' arms train with seeds SEED, SEED+1 and SEED+2 (DEFAULT_CLAIM_SEEDS in
  // cells.ts), and SEED+1 picks the tuning images: every one must be a valid seed too.
  const maxSeed = 2 ** 32 - 1 - 2;
  if (c.seed > maxSeed) {
    throw new InputError(
      `seed must be at most ${maxSeed} for a sweep (its claims' arms train with seeds ` +
        `SEED, SEED+1 and SEED+2), got ${c.seed}`,
    );
  }
  const scheduleEpochs = options.scheduleEpochs ?? c.epochs;
  validateConfig({ epochs: scheduleEpochs }, { epochs: "schedule-epochs" });
  return {
    dataset: c.dataset,
    noiseType: c.noiseType,
    noiseMean: c.noiseMean,
    epochs: c.epochs,
    train: c.train,
    test: c.test,
    batch: c.batch,
    seed: c.seed,
    dataSeed: c.dataSeed,
    validation: c.validation,
    validationSplit: c.validationSplit,
    tune,
    referenceNoise,
    scheduleEpochs,
  };
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Folder of sweep `name` under output root `out`. */
export function sweepDir(name: string, out = "outputs"): string {
  return join(out, "sweeps", validateName("sweep", name));
}

/**
 * The key that identifies a row's cell: every column that tells cells apart.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { cellKey } from "./plan.ts";
 * const k = cellKey({
 *   dataset: "mnist", noise_type: "gaussian", method: "ae", variant: "",
 *   train_noise_factor: 0.5, noise_factor: 0.1,
 * });
 * assert(k === '["mnist","gaussian","ae","",0.5,0.1,null]');
 * ```
 */
export function cellKey(
  row:
    & Pick<
      SweepRow,
      "dataset" | "noise_type" | "method" | "variant" | "train_noise_factor" | "noise_factor"
    >
    & { seed?: number | null },
): string {
  return JSON.stringify([
    row.dataset,
    row.noise_type,
    row.method,
    row.variant,
    row.train_noise_factor,
    row.noise_factor,
    row.seed ?? null,
  ]);
}

/**
 * Where a cell's per-image scores go, relative to the sweep folder: one file per cell.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { perImageFile } from "./plan.ts";
 * const f = perImageFile({ method: "ae", variant: "dropout 0", train_noise_factor: 0.5, noise_factor: 0.1, seed: 2 });
 * assert(f === "per_image/ae-dropout_0-train0.5-test0.1-s2.json");
 * ```
 */
export function perImageFile(
  row: Pick<SweepRow, "method" | "variant" | "train_noise_factor" | "noise_factor" | "seed">,
): string {
  const variant = row.variant === "" ? "" : `-${row.variant.replace(/[^\w.]+/g, "_")}`;
  const train = row.train_noise_factor === null ? "" : `-train${row.train_noise_factor}`;
  const seed = row.seed === null ? "" : `-s${row.seed}`;
  return `per_image/${row.method}${variant}${train}-test${row.noise_factor}${seed}.json`;
}

/**
 * Validates a list of method names (duplicates dropped, order kept). Throws
 * {@linkcode InputError} on an unknown or missing name.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { parseMethods } from "./plan.ts";
 * assert(parseMethods("median,ae,median").join() === "median,ae");
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
 * ascending, duplicates dropped. Throws {@linkcode InputError} with one line naming `label`
 * (the flag, variable or parameter the list came from).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { parseNoiseFactors } from "./plan.ts";
 * assert(parseNoiseFactors("0.5,0.1,0.5").join() === "0.1,0.5");
 * ```
 */
export function parseNoiseFactors(
  list: string | readonly (number | string)[],
  noiseType: NoiseType = "gaussian",
  label = "noise",
): number[] {
  const items = typeof list === "string" ? list.split(",") : [...list];
  if (items.length === 0 || items.some((v) => String(v).trim() === "")) {
    throw new InputError(`${label} must be a comma-separated list of factors, e.g. 0.1,0.5,0.9`);
  }
  const factors = items.map((v) => validateConfig({ noise: v, noiseType }, { noise: label }).noise);
  return [...new Set(factors)].sort((a, b) => a - b);
}

/**
 * The experiment config of a sweep's settings: the report's model settings (latent,
 * dropout, schedule) with the sweep's data, noise, size and seed settings, then `change`
 * (model, noise factor, backend, an ablation's change). Validated.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { settingsToConfig, sweepSettings } from "./plan.ts";
 * const c = settingsToConfig(sweepSettings({ epochs: 3 }), { noise: 0.3, latent: 2 });
 * assertEquals([c.epochs, c.noise, c.latent, c.dropout], [3, 0.3, 2, 0.2]);
 * ```
 */
export function settingsToConfig(
  settings: SweepSettings,
  change: Partial<ExperimentConfig> = {},
): ExperimentConfig {
  return validateConfig({
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
    dataSeed: settings.dataSeed,
    validation: settings.validation,
    validationSplit: settings.validationSplit,
    dataset: settings.dataset,
    ...definedOnly(change),
  });
}

/** Canonical row order: method, variant, training factor, test factor. */
export function compareRows(a: SweepRow, b: SweepRow): number {
  const m = SWEEP_METHODS.indexOf(a.method) - SWEEP_METHODS.indexOf(b.method);
  if (m !== 0) return m;
  const variants = ["", ...ABLATIONS.map((x) => x.variant)];
  const v = variants.indexOf(a.variant) - variants.indexOf(b.variant) ||
    a.variant.localeCompare(b.variant);
  if (v !== 0) return v;
  const t = (a.train_noise_factor ?? -1) - (b.train_noise_factor ?? -1);
  if (t !== 0) return t;
  return a.noise_factor - b.noise_factor || (a.seed ?? -1) - (b.seed ?? -1);
}
