/**
 * An experiment's settings: defaults, ranges, validation, and run and sweep folder names.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { DEFAULT_VALIDATION_SPLIT, defaultSizes } from "../data/datasets.ts";
import { InputError } from "../errors.ts";
import { datasetNamePart } from "./identity.ts";
import { NOISE_TYPES, type NoiseType } from "../data/noise.ts";
import { maxThreads } from "../kernels/kernel_options.ts";

/** Backends a run may ask for (see lib/train/backend.ts). */
export const BACKEND_CHOICES = ["auto", "wasm", "cpu", "webgpu"] as const;
/** Learned models the experiment can train. */
export const MODEL_CHOICES = ["autoencoder", "dncnn"] as const;
/** What val_loss is measured on: a seeded hold-out of the training images, or the test set. */
const VALIDATION_CHOICES = ["split", "test"] as const;

/** The report profile: what the report and notebooks train unless a size or epochs is given. */
export const REPORT_PROFILE: Readonly<{ train: number; epochs: number }> = Object.freeze({
  train: 12_000,
  epochs: 10,
});

/** `partial` with the {@linkcode REPORT_PROFILE}'s size (at most the dataset's) and epochs. */
export function withReportProfile(
  partial: Partial<Record<keyof ExperimentConfig, unknown>>,
): Partial<Record<keyof ExperimentConfig, unknown>> {
  const own = defaultSizes(String(partial.dataset ?? DEFAULT_CONFIG.dataset)).train;
  return {
    ...partial,
    train: partial.train ?? Math.min(REPORT_PROFILE.train, own),
    epochs: partial.epochs ?? REPORT_PROFILE.epochs,
  };
}

const DEFAULTS = {
  /** Learned model. */
  model: "autoencoder" as (typeof MODEL_CHOICES)[number],
  /** Noise factor f. */
  noise: 0.5,
  noiseType: "gaussian" as NoiseType,
  /** Mean shift μ of gaussian noise. */
  noiseMean: 0,
  /** Training epochs, chosen from the validation curve of the full data (docs/model.md). */
  epochs: 30,
  /** Training images, validation hold-out included (9000 for "mnist10k"). */
  train: 60_000,
  /** Test images, scored once after training (1000 for "mnist10k"). */
  test: 10_000,
  /** Batch size; the report gives none, so Keras's `fit` default. */
  batch: 32,
  /** Latent size of the autoencoder. */
  latent: 16,
  /** Dropout rate after the first transposed convolution. */
  dropout: 0.2,
  /** Use ReduceLROnPlateau (patience 3, factor 0.2, min_lr 1e-4). */
  lrSchedule: true,
  /** Training seed: initialisation, shuffles, dropout masks and training noise. */
  seed: 0,
  /** "mnist" (full MNIST), "mnist10k" (embedded), "fashion", or a folder. */
  dataset: "mnist",
  backend: "auto" as (typeof BACKEND_CHOICES)[number],
  /** Data seed: split, subsets, hold-out, validation and test noise, samples. */
  dataSeed: 0,
  /** Validation set: a hold-out of the training images, or the test set. */
  validation: "split" as (typeof VALIDATION_CHOICES)[number],
  /** Share of the training images held out when `validation` is "split". */
  validationSplit: DEFAULT_VALIDATION_SPLIT,
};

/** Everything that determines a run's result (and its default name). */
export type ExperimentConfig = typeof DEFAULTS;

/** The defaults: the report's data (full MNIST) with a validation hold-out. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze(DEFAULTS);

/** Range of a numeric setting: inclusive bounds, and whether it must be a whole number. */
export interface NumberRange {
  min: number;
  /** Exclusive when `below` is set. */
  max: number;
  integer?: boolean;
  below?: boolean;
}

/** Largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 2 ** 32 - 1;

/** Range of `threads`: at least 1, at most {@linkcode maxThreads} (each thread holds buffers). */
export const THREADS_RANGE: NumberRange = { min: 1, max: maxThreads(), integer: true };
/** Range of `jobs`: a whole number of processes, at least 1. */
export const JOBS_RANGE: NumberRange = { min: 1, max: 256, integer: true };

/** Documented range of every numeric setting; values outside are refused, never clamped. */
export const CONFIG_RANGES: Readonly<Record<string, NumberRange>> = Object.freeze({
  noise: { min: 0, max: 10 },
  noiseMean: { min: -10, max: 10 },
  epochs: { min: 1, max: 100_000, integer: true },
  train: { min: 1, max: 10_000_000, integer: true },
  test: { min: 1, max: 10_000_000, integer: true },
  batch: { min: 1, max: 100_000, integer: true },
  latent: { min: 1, max: 4096, integer: true },
  dropout: { min: 0, max: 1, below: true },
  seed: { min: 0, max: MAX_SEED, integer: true },
  dataSeed: { min: 0, max: MAX_SEED, integer: true },
});

/** A decimal number: digits with an optional sign, point and exponent; no hex, no "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a number or decimal string within `range`; a one-line InputError names `label`. */
export function parseNumber(label: string, raw: unknown, range?: NumberRange): number {
  if (typeof raw === "string" && /^\s*[+-]?0[xXoObB]/.test(raw)) {
    throw new InputError(`${label} must be a decimal number, got "${raw}"`);
  }
  const decimal = typeof raw === "string" && DECIMAL.test(raw.trim());
  const v = typeof raw === "number" || decimal ? Number(raw) : NaN;
  if (!Number.isFinite(v)) throw new InputError(`${label} must be a number, got "${raw}"`);
  if (!range) return v;
  const { min, max, integer = false, below = false } = range;
  if (integer && (!Number.isInteger(v) || v < min)) {
    throw new InputError(`${label} must be a whole number ≥ ${min}, got ${raw}`);
  }
  if (v < min) throw new InputError(`${label} must be ≥ ${min}, got ${v}`);
  if (below ? v >= max : v > max) {
    const bound = below ? `in [${min}, ${max})` : `at most ${max}`;
    throw new InputError(`${label} must be ${bound}, got ${raw}`);
  }
  return v;
}

function oneOf<T extends string>(key: string, raw: unknown, choices: readonly T[]): T {
  if (!choices.includes(raw as T)) {
    throw new InputError(`${key} must be one of ${choices.join(", ")}; got "${raw}"`);
  }
  return raw as T;
}

/** Reads a true/false setting: a boolean, or 1/0, true/false, yes/no, on/off. */
export function parseBoolean(label: string, raw: unknown): boolean {
  if (typeof raw === "boolean") return raw;
  const s = String(raw).toLowerCase();
  if (["1", "true", "yes", "on"].includes(s)) return true;
  if (["0", "false", "no", "off"].includes(s)) return false;
  throw new InputError(`${label} must be true or false, got "${raw}"`);
}

/** Checks a partial config (values may be strings) over the defaults; errors name `labels[k]`. */
export function validateConfig(
  partial: Partial<Record<keyof ExperimentConfig, unknown>>,
  labels: Partial<Record<keyof ExperimentConfig, string>> = {},
): ExperimentConfig {
  const c = {
    ...DEFAULT_CONFIG,
    ...defaultSizes(String(partial.dataset ?? DEFAULT_CONFIG.dataset)),
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  const label = (k: keyof ExperimentConfig) =>
    labels[k] ?? k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const n = (k: keyof ExperimentConfig) => parseNumber(label(k), c[k], CONFIG_RANGES[k]);
  const config: ExperimentConfig = {
    model: oneOf(label("model"), c.model, MODEL_CHOICES),
    noise: n("noise"),
    noiseType: oneOf(label("noiseType"), c.noiseType, NOISE_TYPES),
    noiseMean: n("noiseMean"),
    epochs: n("epochs"),
    train: n("train"),
    test: n("test"),
    batch: n("batch"),
    latent: n("latent"),
    dropout: n("dropout"),
    lrSchedule: parseBoolean(label("lrSchedule"), c.lrSchedule),
    seed: n("seed"),
    dataset: String(c.dataset),
    backend: oneOf(label("backend"), c.backend, BACKEND_CHOICES),
    dataSeed: n("dataSeed"),
    validation: oneOf(label("validation"), c.validation, VALIDATION_CHOICES),
    validationSplit: parseNumber(label("validationSplit"), c.validationSplit),
  };
  if (config.noiseType === "salt-and-pepper" && config.noise > 1) {
    throw new InputError(`salt-and-pepper noise is a fraction in [0, 1], got ${config.noise}`);
  }
  if (config.dataset.trim() === "") throw new InputError("dataset must not be empty");
  if (!(config.validationSplit > 0 && config.validationSplit < 1)) {
    throw new InputError(
      `validation-split must be in (0, 1), got ${config.validationSplit} ` +
        `(--validation test validates on the test set instead)`,
    );
  }
  return config;
}

/** The run name a config gets when none is given: every setting that changes the result. */
export function defaultRunName(c: ExperimentConfig): string {
  const parts = [c.model, datasetNamePart(c.dataset), `${c.noiseType}${c.noise}`];
  if (c.noiseMean !== 0) parts.push(`mean${c.noiseMean}`);
  parts.push(`e${c.epochs}`, `n${c.train}`, `t${c.test}`, `b${c.batch}`);
  if (c.model === "autoencoder") parts.push(`l${c.latent}`);
  if (c.dropout !== DEFAULT_CONFIG.dropout) parts.push(`d${c.dropout}`);
  if (!c.lrSchedule) parts.push("nolr");
  if (c.validation === "test") parts.push("valtest");
  else if (c.validationSplit !== DEFAULT_CONFIG.validationSplit) {
    parts.push(`val${c.validationSplit}`);
  }
  parts.push(`ds${c.dataSeed}`, `s${c.seed}`);
  return fitName(parts.join("-"));
}

/** A run or sweep name: letters, digits, dot, dash and underscore, so it is a safe folder name. */
const NAME_PATTERN = /^[A-Za-z0-9][\w.-]{0,127}$/;

/** A derived name cut to 128 characters, ended with `-x` and 8 hex of the whole name's SHA-256. */
export function fitName(name: string): string {
  if (name.length <= 128) return name;
  return `${name.slice(0, 117)}-x${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

/** Checks a `kind` ("run", "sweep") name against {@linkcode NAME_PATTERN}; one-line InputError. */
export function validateName(kind: string, name: string): string {
  if (name.length > 128 && NAME_PATTERN.test(name.slice(0, 128))) {
    throw new InputError(
      `${kind} name "${name.slice(0, 24)}…" is ${name.length} characters long; at most 128`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new InputError(`${kind} name "${name}" must be letters, digits, ".", "-" or "_"`);
  }
  return name;
}
