/**
 * The one table of settings: every command-line flag of `experiment`, `sweep`, `report` and
 * `bench`, the environment variable `deno task report` reads for it, its default, its range
 * and its help line. Parsing, help and the variables are read in `tools/_flags.ts` only; a
 * notebook takes the same settings as parameters (lib/notebook.ts), never from the environment.
 *
 * @module
 */
import {
  BACKEND_CHOICES,
  CONFIG_RANGES,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  MODEL_CHOICES,
  type NumberRange,
  REPORT_PROFILE,
} from "./runs/config.ts";
import { NOISE_TYPES } from "./data/noise.ts";
import { maxThreads } from "./kernels/kernel_options.ts";
import {
  DEFAULT_SWEEP_EPOCHS,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  DEFAULT_TUNE_IMAGES,
  NOTEBOOK_SWEEP_NOISE,
  SWEEP_METHODS,
} from "./sweep/plan.ts";
import { NOTEBOOK_SWEEP_EPOCHS, NOTEBOOK_SWEEP_TRAIN } from "./notebook_sweep.ts";

/** A command that parses flags. */
export type Command = "experiment" | "sweep" | "report" | "bench";

/** One setting: its flag, variable, default, range and help. */
export interface FlagSpec {
  /** Flag name without dashes: `noise` is `--noise`. */
  flag: string;
  /** The setting it fills: an {@linkcode ExperimentConfig} field or a command's own. */
  key: string;
  /** Value kind: `string` is passed through (lists are split by the command). */
  kind: "number" | "string" | "boolean";
  /** Range of a number (config fields take {@linkcode CONFIG_RANGES}). */
  range?: NumberRange;
  /** Environment variable `deno task report` reads when the flag is not given. */
  env?: string;
  /** Default shown in `--help` and the README (per command where they differ). */
  default: string | number | boolean | null;
  /** A command's own default, where it differs from {@linkcode FlagSpec.default}. */
  defaults?: Partial<Record<Command, string | number>>;
  /** Help line. */
  help: string;
  /** Commands that take it. */
  commands: readonly Command[];
}

const ALL: readonly Command[] = ["experiment", "sweep", "report"];

/**
 * Range of `--threads` / `THREADS`: a whole number of threads, at least 1 and at most
 * {@linkcode maxThreads} (a few per core: each thread holds its own buffers, so thousands
 * would only exhaust memory).
 */
export const THREADS_RANGE: NumberRange = { min: 1, max: maxThreads(), integer: true };
/** Range of `--jobs` / `JOBS`: a whole number of processes, at least 1. */
export const JOBS_RANGE: NumberRange = { min: 1, max: 256, integer: true };

/**
 * The spec of the experiment setting `key`: flag `--kebab-key`, its default from
 * {@linkcode DEFAULT_CONFIG}, a number if that default is one (else passed on as a string to
 * `validateConfig`), for {@linkcode ALL} commands unless `more` says otherwise.
 */
function configFlag(
  key: keyof ExperimentConfig,
  env: string | undefined,
  help: string,
  more: Partial<FlagSpec> = {},
): FlagSpec {
  const value = DEFAULT_CONFIG[key];
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const kind = typeof value === "number" ? "number" : "string";
  return { flag, key, kind, env, default: value, help, commands: ALL, ...more };
}

/** Every flag of every command, in `--help` order. */
export const FLAGS: readonly FlagSpec[] = Object.freeze([
  configFlag(
    "noise",
    "NOISE_FACTOR",
    "noise factor f in x̃ = clip(x + f·ε, 0, 1), in [0, 10] (sweep: a comma-separated list)",
    { kind: "string", defaults: { sweep: DEFAULT_SWEEP_NOISE.join(",") } },
  ),
  configFlag("noiseType", "NOISE_TYPE", `noise kind: ${NOISE_TYPES.join(", ")}`),
  configFlag("noiseMean", "NOISE_MEAN", "mean shift μ of gaussian noise, in [-10, 10]"),
  configFlag(
    "epochs",
    "EPOCHS",
    "training epochs (of each learned model in a sweep), 1 to 100000",
    { defaults: { sweep: DEFAULT_SWEEP_EPOCHS, report: REPORT_PROFILE.epochs } },
  ),
  configFlag(
    "train",
    "TRAIN_SIZE",
    "training images, validation hold-out included (mnist10k: 9000)",
    { defaults: { report: REPORT_PROFILE.train } },
  ),
  configFlag("test", "TEST_SIZE", "test images, scored once after training (mnist10k: 1000)"),
  configFlag("batch", "BATCH_SIZE", "batch size"),
  configFlag("latent", "LATENT_DIM", "latent code size of the autoencoder", {
    commands: ["experiment", "report"],
  }),
  configFlag("dropout", "DROPOUT", "dropout rate in the decoder, in [0, 1)", {
    commands: ["experiment", "report"],
  }),
  configFlag(
    "lrSchedule",
    "LR_SCHEDULE",
    "ReduceLROnPlateau (patience 3, factor 0.2, min_lr 1e-4): true, or false to keep 1e-3",
    { commands: ["experiment", "report"] },
  ),
  configFlag(
    "seed",
    "SEED",
    "training seed: weights, shuffles, dropout masks and training noise; an integer in [0, 2^32-1]",
    { commands: [...ALL, "bench"] },
  ),
  configFlag(
    "dataset",
    "DATASET",
    "mnist (full 60,000/10,000), mnist10k (embedded 10,000), fashion (Debian's " +
      "dataset-fashion-mnist), or a folder of IDX files",
  ),
  configFlag(
    "backend",
    "BACKEND",
    `compute backend: ${BACKEND_CHOICES.join(", ")} (bench: a comma-separated list)`,
    { commands: [...ALL, "bench"], defaults: { bench: "auto,cpu" } },
  ),
  {
    flag: "threads",
    key: "threads",
    kind: "number",
    range: THREADS_RANGE,
    env: "THREADS",
    default: null,
    help: "threads of the wasm kernels (main thread + N−1 Workers, at most 4 per core); " +
      "default: every core " +
      "(bench: the multi-threaded rows; each also runs at 1)",
    commands: [...ALL, "bench"],
  },
  {
    flag: "jobs",
    key: "jobs",
    kind: "number",
    range: JOBS_RANGE,
    env: "JOBS",
    default: null,
    help: "sweeps: processes training and scoring cells at once, each with threads/jobs " +
      "kernel threads (at least 1); default: every core (1: one after another)",
    commands: ["sweep", "report"],
  },
  // Protocol (issue 9): data seed and validation set.
  configFlag(
    "dataSeed",
    "DATA_SEED",
    "data seed: split, validation hold-out, test noise, sample picks; an integer in [0, 2^32-1]",
  ),
  configFlag(
    "validation",
    "VALIDATION",
    "split (seeded hold-out of the training images) or test (the report's choice)",
  ),
  configFlag(
    "validationSplit",
    "VALIDATION_SPLIT",
    "share of the training images held out to validate, in (0, 1)",
  ),
  configFlag("model", undefined, `learned model: ${MODEL_CHOICES.join(", ")}`, {
    commands: ["experiment"],
  }),
  {
    flag: "methods",
    key: "methods",
    kind: "string",
    default: DEFAULT_SWEEP_METHODS.join(","),
    help: `comma-separated, from ${SWEEP_METHODS.join(", ")} (noisy is always added)`,
    commands: ["sweep"],
  },
  {
    flag: "tune",
    key: "tune",
    kind: "number",
    range: { min: 1, max: 10_000_000, integer: true },
    default: DEFAULT_TUNE_IMAGES,
    help: "noisy training images the classical filters are tuned on",
    commands: ["sweep"],
  },
  {
    flag: "no-ablations",
    key: "noAblations",
    kind: "boolean",
    default: false,
    help:
      "skip the ablations of the autoencoder at 0.5 (dropout 0, no lr schedule, latent 2, latent 64)",
    commands: ["sweep"],
  },
  {
    flag: "no-cross",
    key: "noCross",
    kind: "boolean",
    default: false,
    help:
      "skip the autoencoder trained at 0.5, and the one trained clean (f = 0), tested at every factor",
    commands: ["sweep"],
  },
  {
    flag: "schedule-epochs",
    key: "scheduleEpochs",
    kind: "number",
    range: CONFIG_RANGES.epochs,
    default: null,
    help: "epochs of claim 3's arms (lr schedule, no lr schedule), long enough for " +
      "ReduceLROnPlateau to fire (default: --epochs)",
    commands: ["sweep"],
  },
  {
    flag: "seeds",
    key: "seeds",
    kind: "string",
    default: null,
    help: "comma-separated training seeds: every learned model trains once per seed (default: " +
      "the arms of the claims' primary comparisons with --seed and the next 2, the other " +
      "models with --seed only)",
    commands: ["sweep"],
  },
  {
    flag: "shard",
    key: "shard",
    kind: "string",
    default: null,
    help:
      "K/N: only every N-th cell from offset K (0 ≤ K < N), into the same sweep folder; shards may run at once",
    commands: ["sweep"],
  },
  {
    flag: "sweep-epochs",
    key: "sweepEpochs",
    kind: "number",
    range: CONFIG_RANGES.epochs,
    env: "SWEEP_EPOCHS",
    default: NOTEBOOK_SWEEP_EPOCHS,
    help: "epochs of each run in the notebooks' noise-factor sweep",
    commands: ["report"],
  },
  {
    flag: "sweep-train",
    key: "sweepTrain",
    kind: "number",
    range: CONFIG_RANGES.train,
    env: "SWEEP_TRAIN_SIZE",
    default: NOTEBOOK_SWEEP_TRAIN,
    help: "training images of each run in the notebooks' noise-factor sweep (at most --train)",
    commands: ["report"],
  },
  {
    flag: "sweep-name",
    key: "sweepName",
    kind: "string",
    env: "SWEEP_NAME",
    default: null,
    help: "notebook 06: the sweep to read (or run, when missing); default: named by its settings",
    commands: ["report"],
  },
  {
    flag: "sweep-noise",
    key: "sweepNoise",
    kind: "string",
    env: "SWEEP_NOISE",
    default: NOTEBOOK_SWEEP_NOISE.join(","),
    help: "notebook 06: comma-separated noise factors of its sweep",
    commands: ["report"],
  },
  {
    flag: "batch-sizes",
    key: "batchSizes",
    kind: "string",
    default: "32,128",
    help: "comma-separated batch sizes, one row each",
    commands: ["bench"],
  },
  {
    flag: "native",
    key: "native",
    kind: "boolean",
    default: false,
    help: "also time the same model in PyTorch at 1 and --threads threads (the newest PyTorch " +
      "among outputs/venv/bin/python3, python3 and /usr/bin/python3); no ratio against a " +
      "reference BLAS",
    commands: ["bench"],
  },
  {
    flag: "python",
    key: "python",
    kind: "string",
    default: null,
    help: "the Python interpreter of --native (default: the one with the newest PyTorch)",
    commands: ["bench"],
  },
  {
    flag: "name",
    key: "name",
    kind: "string",
    default: null,
    help: "run, sweep or report name (default: derived from the settings; report: default)",
    commands: ALL,
  },
  {
    flag: "out",
    key: "out",
    kind: "string",
    env: "OUTPUT_DIR",
    default: "outputs",
    help: "output root: runs in OUT/runs/, sweeps in OUT/sweeps/, reports in OUT/report/",
    commands: ALL,
  },
  {
    flag: "force",
    key: "force",
    kind: "boolean",
    default: false,
    help: "overwrite a run of the same name",
    commands: ["experiment"],
  },
  {
    flag: "resume",
    key: "resume",
    kind: "string",
    default: null,
    help: "NAME: continue an interrupted run from its last checkpoint",
    commands: ["experiment"],
  },
  {
    flag: "notebooks",
    key: "notebooks",
    kind: "string",
    default: "notebooks",
    help: "folder of notebooks to run",
    commands: ["report"],
  },
  {
    flag: "help",
    key: "help",
    kind: "boolean",
    default: false,
    help: "this text",
    commands: [...ALL, "bench"],
  },
] as FlagSpec[]);
