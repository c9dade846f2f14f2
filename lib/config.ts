/**
 * An experiment's settings: defaults, validation, and the two ways in — command-line flags
 * and the environment variables the notebooks read. Both go through {@linkcode validateConfig},
 * so a typo is the same one-line error wherever it is made.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { InputError } from "./errors.ts";
import { datasetNamePart } from "./identity.ts";
import { NOISE_TYPES, type NoiseType } from "./noise.ts";

/** Backends a run may ask for (see lib/backend.ts). */
export const BACKEND_CHOICES = ["auto", "wasm", "cpu", "webgpu"] as const;
/** Learned models the experiment can train. */
export const MODEL_CHOICES = ["autoencoder", "dncnn"] as const;

/** Everything that determines a run's result (and its default name). */
export interface ExperimentConfig {
  /** Learned model. @default "autoencoder" */
  model: (typeof MODEL_CHOICES)[number];
  /** Noise factor f. @default 0.5 */
  noise: number;
  /** Noise kind. @default "gaussian" */
  noiseType: NoiseType;
  /** Mean shift μ of gaussian noise. @default 0 */
  noiseMean: number;
  /** Training epochs (val_loss bottoms out near 15 on the default data). @default 15 */
  epochs: number;
  /** Training images. @default 9000 */
  train: number;
  /** Test images (also the validation set, as in the report). @default 1000 */
  test: number;
  /** Batch size; the report gives none, so Keras's `fit` default. @default 32 */
  batch: number;
  /** Latent size of the autoencoder. @default 16 */
  latent: number;
  /** Dropout rate after the first transposed convolution. @default 0.2 */
  dropout: number;
  /** Use ReduceLROnPlateau (patience 3, factor 0.2, min_lr 1e-4). @default true */
  lrSchedule: boolean;
  /** Seed of the split, noise, initialisation, shuffles and dropout. @default 0 */
  seed: number;
  /** "mnist" (embedded), "fashion", or a folder of IDX files. @default "mnist" */
  dataset: string;
  /** Compute backend. @default "auto" */
  backend: (typeof BACKEND_CHOICES)[number];
}

/** The defaults: the report's settings on the embedded dataset. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze({
  model: "autoencoder",
  noise: 0.5,
  noiseType: "gaussian",
  noiseMean: 0,
  epochs: 15,
  train: 9000,
  test: 1000,
  batch: 32,
  latent: 16,
  dropout: 0.2,
  lrSchedule: true,
  seed: 0,
  dataset: "mnist",
  backend: "auto",
});

function num(key: string, raw: unknown): number {
  const v = typeof raw === "number"
    ? raw
    : typeof raw === "string" && raw.trim() !== ""
    ? Number(raw)
    : NaN;
  if (!Number.isFinite(v)) throw new InputError(`${key} must be a number, got "${raw}"`);
  return v;
}

function int(key: string, raw: unknown, min: number): number {
  const v = num(key, raw);
  if (!Number.isInteger(v) || v < min) {
    throw new InputError(`${key} must be a whole number ≥ ${min}, got ${raw}`);
  }
  return v;
}

function oneOf<T extends string>(key: string, raw: unknown, choices: readonly T[]): T {
  if (!choices.includes(raw as T)) {
    throw new InputError(`${key} must be one of ${choices.join(", ")}; got "${raw}"`);
  }
  return raw as T;
}

/**
 * Checks and normalises a partial config (values may be strings, as from flags or the
 * environment) over {@linkcode DEFAULT_CONFIG}. Throws {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { validateConfig } from "./config.ts";
 * console.assert(validateConfig({ noise: "0.3" }).noise === 0.3);
 * ```
 */
export function validateConfig(
  partial: Partial<Record<keyof ExperimentConfig, unknown>>,
): ExperimentConfig {
  const c = {
    ...DEFAULT_CONFIG,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  const config: ExperimentConfig = {
    model: oneOf("model", c.model, MODEL_CHOICES),
    noise: num("noise", c.noise),
    noiseType: oneOf("noise-type", c.noiseType, NOISE_TYPES),
    noiseMean: num("noise-mean", c.noiseMean),
    epochs: int("epochs", c.epochs, 1),
    train: int("train", c.train, 1),
    test: int("test", c.test, 1),
    batch: int("batch", c.batch, 1),
    latent: int("latent", c.latent, 1),
    dropout: num("dropout", c.dropout),
    lrSchedule: typeof c.lrSchedule === "boolean"
      ? c.lrSchedule
      : bool("lr-schedule", c.lrSchedule),
    seed: int("seed", c.seed, 0),
    dataset: String(c.dataset),
    backend: oneOf("backend", c.backend, BACKEND_CHOICES),
  };
  if (config.noise < 0) throw new InputError(`noise must be ≥ 0, got ${config.noise}`);
  if (config.noiseType === "salt-and-pepper" && config.noise > 1) {
    throw new InputError(`salt-and-pepper noise is a fraction in [0, 1], got ${config.noise}`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new InputError(`dropout must be in [0, 1), got ${config.dropout}`);
  }
  if (config.dataset.trim() === "") throw new InputError("dataset must not be empty");
  return config;
}

function bool(key: string, raw: unknown): boolean {
  const s = String(raw).toLowerCase();
  if (["1", "true", "yes", "on"].includes(s)) return true;
  if (["0", "false", "no", "off"].includes(s)) return false;
  throw new InputError(`${key} must be true or false, got "${raw}"`);
}

/**
 * The run name a config gets when none is given: every setting that changes the result,
 * so notebooks find the run trained with their parameters. A folder dataset is named by its
 * folder and a short fingerprint of its files (see `datasetNamePart` in identity.ts), so two
 * folders share a name only when their files are identical. The name is a convenience:
 * a cached run is reused only when its saved config matches (see identity.ts).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, defaultRunName } from "./config.ts";
 * console.assert(defaultRunName(DEFAULT_CONFIG) === "autoencoder-mnist-gaussian0.5-e15-n9000-t1000-b32-l16-s0");
 * ```
 */
export function defaultRunName(c: ExperimentConfig): string {
  const parts = [c.model, datasetNamePart(c.dataset), `${c.noiseType}${c.noise}`];
  if (c.noiseMean !== 0) parts.push(`mean${c.noiseMean}`);
  parts.push(`e${c.epochs}`, `n${c.train}`, `t${c.test}`, `b${c.batch}`);
  if (c.model === "autoencoder") parts.push(`l${c.latent}`);
  if (c.dropout !== DEFAULT_CONFIG.dropout) parts.push(`d${c.dropout}`);
  if (!c.lrSchedule) parts.push("nolr");
  parts.push(`s${c.seed}`);
  return parts.join("-");
}

/** Checks a run name: letters, digits, dot, dash and underscore, so it is a safe folder name. */
export function validateRunName(name: string): string {
  if (!/^[A-Za-z0-9][\w.-]{0,127}$/.test(name)) {
    throw new InputError(`run name "${name}" must be letters, digits, ".", "-" or "_"`);
  }
  return name;
}

/** Environment variables the notebooks read, and the config key each one sets. */
export const ENV_VARIABLES: Readonly<Record<string, keyof ExperimentConfig>> = Object.freeze({
  NOISE_FACTOR: "noise",
  NOISE_TYPE: "noiseType",
  NOISE_MEAN: "noiseMean",
  EPOCHS: "epochs",
  TRAIN_SIZE: "train",
  TEST_SIZE: "test",
  LATENT_DIM: "latent",
  BATCH_SIZE: "batch",
  DROPOUT: "dropout",
  LR_SCHEDULE: "lrSchedule",
  SEED: "seed",
  DATASET: "dataset",
  BACKEND: "backend",
});

/**
 * A config from environment variables (see {@linkcode ENV_VARIABLES}); unset ones keep the
 * defaults, or `overrides` when given (a notebook cell edits those). Validated.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "./config.ts";
 * console.assert(configFromEnv({ NOISE_FACTOR: "0.3" }).noise === 0.3);
 * ```
 */
export function configFromEnv(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  overrides: Partial<ExperimentConfig> = {},
): ExperimentConfig {
  const partial: Partial<Record<keyof ExperimentConfig, unknown>> = { ...overrides };
  for (const [variable, key] of Object.entries(ENV_VARIABLES)) {
    const raw = env[variable];
    if (raw !== undefined && raw !== "") partial[key] = raw;
  }
  return validateConfig(partial);
}

/** What the experiment command was asked to do. */
export interface ExperimentCommand {
  /** The validated settings. */
  config: ExperimentConfig;
  /** Run name (folder under `out/runs/`). */
  name: string;
  /** Output root. */
  out: string;
  /** Overwrite an existing run. */
  force: boolean;
  /** Continue the named interrupted run. */
  resume: boolean;
  /** The settings given by flags (a resume must not change those that alter the result). */
  given: (keyof ExperimentConfig)[];
  /** Print help and exit. */
  help: boolean;
}

/** Flag table: name, config key (if any), help text. Drives parsing and `--help` alike. */
const FLAGS: [flag: string, key: keyof ExperimentConfig | null, help: string][] = [
  ["noise", "noise", "noise factor f in x̃ = clip(x + f·ε, 0, 1)"],
  ["noise-type", "noiseType", `noise kind: ${NOISE_TYPES.join(", ")}`],
  ["noise-mean", "noiseMean", "mean shift μ of gaussian noise (0.5 with --noise 0.5: N(0.5, 0.5))"],
  ["epochs", "epochs", "training epochs"],
  ["train", "train", "training images"],
  ["test", "test", "test images (the validation set too, as in the report)"],
  ["batch", "batch", "batch size"],
  ["latent", "latent", "latent code size"],
  ["dropout", "dropout", "dropout rate in the decoder"],
  ["seed", "seed", "seed of split, noise, weights, shuffles and dropout"],
  [
    "dataset",
    "dataset",
    "mnist (embedded 10,000), fashion (Debian's dataset-fashion-mnist), or a folder of IDX files",
  ],
  ["backend", "backend", `compute backend: ${BACKEND_CHOICES.join(", ")}`],
  ["model", "model", `learned model: ${MODEL_CHOICES.join(", ")}`],
];

/** `--help` text for the experiment command: every flag with its default. */
export function experimentHelp(): string {
  const lines = [
    "Usage: deno task experiment [flags]",
    "",
    "Trains the report's denoising autoencoder, evaluates it on the held-out test set and",
    "writes outputs/runs/NAME/: config.json, history.json, metrics.json, samples.png, loss.svg, model/.",
    "",
  ];
  for (const [flag, key, help] of FLAGS) {
    lines.push(`  --${flag.padEnd(15)} ${help} (default: ${DEFAULT_CONFIG[key!]})`);
  }
  lines.push(
    `  --${"no-dropout".padEnd(15)} same as --dropout 0`,
    `  --${"no-lr-schedule".padEnd(15)} keep the learning rate at 1e-3 (no ReduceLROnPlateau)`,
    `  --${"out".padEnd(15)} output root (default: outputs)`,
    `  --${"name".padEnd(15)} run name (default: derived from the settings, e.g. ${
      defaultRunName(DEFAULT_CONFIG)
    })`,
    `  --${"force".padEnd(15)} overwrite a run of the same name`,
    `  --${"resume".padEnd(15)} NAME: continue an interrupted run from its last checkpoint`,
    `  --${"help".padEnd(15)} this text`,
  );
  return lines.join("\n");
}

/** What {@linkcode parseFlags} returns: each flag's value, `undefined` when absent. */
export type FlagValues = Record<string, string | boolean | undefined>;

/**
 * Strict `node:util` flag parsing shared by every command: unknown flags and positionals
 * throw {@linkcode InputError} with node's first sentence, and "--noise -1" (which node
 * reads as two flags) is taken as "--noise=-1".
 *
 * @example
 * ```ts
 * import { parseFlags } from "./config.ts";
 * console.assert(parseFlags(["--noise", "-1"], { noise: { type: "string" } }).noise === "-1");
 * ```
 */
export function parseFlags(
  args: string[],
  options: Record<string, { type: "string" | "boolean" }>,
): FlagValues {
  const joined: string[] = [];
  for (const a of args) {
    const prev = joined.at(-1);
    if (prev?.startsWith("--") && !prev.includes("=") && /^-[\d.]/.test(a)) {
      joined[joined.length - 1] = `${prev}=${a}`;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // node:util's messages are long and multi-line; keep the first sentence.
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify.*$/, "");
    throw new InputError(`${msg} (see --help)`);
  }
}

/**
 * Parses the experiment command's arguments. Unknown flags and bad values throw
 * {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { parseExperimentArgs } from "./config.ts";
 * console.assert(parseExperimentArgs(["--epochs", "2"]).config.epochs === 2);
 * ```
 */
export function parseExperimentArgs(args: string[]): ExperimentCommand {
  const options: Record<string, { type: "string" | "boolean" }> = {
    out: { type: "string" },
    name: { type: "string" },
    resume: { type: "string" },
    force: { type: "boolean" },
    help: { type: "boolean" },
    "no-dropout": { type: "boolean" },
    "no-lr-schedule": { type: "boolean" },
  };
  for (const [flag] of FLAGS) options[flag] = { type: "string" };
  const values = parseFlags(args, options);
  const partial: Partial<Record<keyof ExperimentConfig, unknown>> = {};
  for (const [flag, key] of FLAGS) if (values[flag] !== undefined) partial[key!] = values[flag];
  if (values["no-dropout"]) partial.dropout = 0;
  if (values["no-lr-schedule"]) partial.lrSchedule = false;
  const config = validateConfig(partial);
  const resume = typeof values.resume === "string";
  const name = validateRunName(
    (values.resume as string | undefined) ?? (values.name as string | undefined) ??
      defaultRunName(config),
  );
  return {
    config,
    name,
    out: (values.out as string | undefined) ?? "outputs",
    force: values.force === true,
    resume,
    given: Object.keys(partial) as (keyof ExperimentConfig)[],
    help: values.help === true,
  };
}
