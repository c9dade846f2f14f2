/**
 * The one table of settings: every flag of `experiment`, `sweep`, `report` and `bench`,
 * parsed by `_flags.ts`. Notebooks take the same settings as parameters (lib/notebook.ts).
 *
 * @module
 */
import {
  BACKEND_CHOICES,
  CONFIG_RANGES,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  JOBS_RANGE,
  MODEL_CHOICES,
  type NumberRange,
  REPORT_PROFILE,
  THREADS_RANGE,
} from "../lib/runs/config.ts";
import { NOISE_TYPES } from "../lib/data/noise.ts";
import {
  DEFAULT_SWEEP_EPOCHS,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  DEFAULT_TUNE_IMAGES,
  NOTEBOOK_SWEEP_NOISE,
  SWEEP_METHODS,
} from "../lib/sweep/plan.ts";
import { NOTEBOOK_SWEEP_EPOCHS, NOTEBOOK_SWEEP_TRAIN } from "../lib/notebook.ts";

/** A command that parses flags. */
export type Command = "experiment" | "sweep" | "report" | "bench";

/**
 * One setting: `flag` (`noise` is `--noise`) fills `key`, an {@linkcode ExperimentConfig}
 * field or a command's own, as a `kind` of value (a `string` passes through; lists are split by
 * the command) within `range` (config fields: {@linkcode CONFIG_RANGES}); `deno task report`
 * reads `env` when the flag is not given. `default` is shown in `--help` and docs/commands.md,
 * `defaults` where a command's own differs; `help` is its line; `commands` take it.
 */
export interface FlagSpec {
  flag: string;
  key: string;
  kind: "number" | "string" | "boolean";
  range?: NumberRange;
  env?: string;
  default: string | number | boolean | null;
  defaults?: Partial<Record<Command, string | number>>;
  help: string;
  commands: readonly Command[];
}

const ALL: readonly Command[] = ["experiment", "sweep", "report"];
/** Commands taking one model's architecture settings (a sweep varies them in its ablations). */
const ONE_RUN: readonly Command[] = ["experiment", "report"];

/** The flag `--kebab-key` of `key`: a number if it has a range or a number default. */
function flag(
  key: string,
  commands: readonly Command[],
  value: FlagSpec["default"],
  help: string,
  more: Partial<FlagSpec> = {},
): FlagSpec {
  const kind = typeof value === "boolean"
    ? "boolean"
    : typeof value === "number" || more.range
    ? "number"
    : "string";
  const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { flag: name, key, kind, default: value, help, commands, ...more };
}

/** An experiment setting, its default from {@linkcode DEFAULT_CONFIG}. */
function config(
  key: keyof ExperimentConfig,
  env: string | undefined,
  help: string,
  more: Partial<FlagSpec> = {},
): FlagSpec {
  return flag(key, ALL, DEFAULT_CONFIG[key], help, { env, ...more });
}

/** Every flag of every command, in `--help` order. */
export const FLAGS: readonly FlagSpec[] = Object.freeze([
  config(
    "noise",
    "NOISE_FACTOR",
    "noise factor f in x̃ = clip(x + f·ε, 0, 1), in [0, 10] (sweep: a comma-separated list)",
    { kind: "string", defaults: { sweep: DEFAULT_SWEEP_NOISE.join(",") } },
  ),
  config("noiseType", "NOISE_TYPE", `noise kind: ${NOISE_TYPES.join(", ")}`),
  config("noiseMean", "NOISE_MEAN", "mean shift μ of gaussian noise, in [-10, 10]"),
  config("epochs", "EPOCHS", "training epochs (of each learned model in a sweep), 1 to 100000", {
    defaults: { sweep: DEFAULT_SWEEP_EPOCHS, report: REPORT_PROFILE.epochs },
  }),
  config("train", "TRAIN_SIZE", "training images, validation hold-out included (mnist10k: 9000)", {
    defaults: { report: REPORT_PROFILE.train },
  }),
  config("test", "TEST_SIZE", "test images, scored once after training (mnist10k: 1000)"),
  config("batch", "BATCH_SIZE", "batch size"),
  config("latent", "LATENT_DIM", "latent code size of the autoencoder", { commands: ONE_RUN }),
  config("dropout", "DROPOUT", "dropout rate in the decoder, in [0, 1)", { commands: ONE_RUN }),
  config(
    "lrSchedule",
    "LR_SCHEDULE",
    "ReduceLROnPlateau (patience 3, factor 0.2, min_lr 1e-4): true, or false to keep 1e-3",
    { commands: ONE_RUN, kind: "string" }, // a value, not a switch
  ),
  config(
    "seed",
    "SEED",
    "training seed: weights, shuffles, dropout masks and training noise; an integer in [0, 2^32-1]",
    { commands: [...ALL, "bench"] },
  ),
  config(
    "dataset",
    "DATASET",
    "mnist (full 60,000/10,000), mnist10k (embedded 10,000), fashion (Debian's " +
      "dataset-fashion-mnist), or a folder of IDX files",
  ),
  config(
    "backend",
    "BACKEND",
    `compute backend: ${BACKEND_CHOICES.join(", ")} (bench: a comma-separated list)`,
    { commands: [...ALL, "bench"], defaults: { bench: "auto,cpu" } },
  ),
  flag(
    "threads",
    [...ALL, "bench"],
    null,
    "threads of the wasm kernels (main thread + N−1 Workers, at most 4 per core); " +
      "default: every core (bench: the multi-threaded rows; each also runs at 1)",
    { range: THREADS_RANGE, env: "THREADS" },
  ),
  flag(
    "jobs",
    ["sweep", "report"],
    null,
    "sweeps: processes training and scoring cells at once, each with threads/jobs " +
      "kernel threads (at least 1); default: every core (1: one after another)",
    { range: JOBS_RANGE, env: "JOBS" },
  ),
  // Protocol (issue 9): data seed and validation set.
  config(
    "dataSeed",
    "DATA_SEED",
    "data seed: split, validation hold-out, test noise, sample picks; an integer in [0, 2^32-1]",
  ),
  config(
    "validation",
    "VALIDATION",
    "split (seeded hold-out of the training images) or test (the report's choice)",
  ),
  config(
    "validationSplit",
    "VALIDATION_SPLIT",
    "share of the training images held out to validate, in (0, 1)",
  ),
  config("model", undefined, `learned model: ${MODEL_CHOICES.join(", ")}`, {
    commands: ["experiment"],
  }),
  flag(
    "methods",
    ["sweep"],
    DEFAULT_SWEEP_METHODS.join(","),
    `comma-separated, from ${SWEEP_METHODS.join(", ")} (noisy is always added)`,
  ),
  flag(
    "tune",
    ["sweep"],
    DEFAULT_TUNE_IMAGES,
    "noisy training images the classical filters are tuned on",
    { range: CONFIG_RANGES.train },
  ),
  flag(
    "noAblations",
    ["sweep"],
    false,
    "skip the ablations of the autoencoder at 0.5 (dropout 0, no lr schedule, latent 2, latent 64)",
  ),
  flag(
    "noCross",
    ["sweep"],
    false,
    "skip the autoencoder trained at 0.5, and the one trained clean (f = 0), tested at every factor",
  ),
  flag(
    "scheduleEpochs",
    ["sweep"],
    null,
    "epochs of claim 3's arms (lr schedule, no lr schedule), long enough for " +
      "ReduceLROnPlateau to fire (default: --epochs)",
    { range: CONFIG_RANGES.epochs },
  ),
  flag(
    "seeds",
    ["sweep"],
    null,
    "comma-separated training seeds: every learned model trains once per seed (default: " +
      "the arms of the claims' primary comparisons with --seed and the next 2, the other " +
      "models with --seed only)",
  ),
  flag(
    "shard",
    ["sweep"],
    null,
    "K/N: only every N-th cell from offset K (0 ≤ K < N), into the same sweep folder; shards may run at once",
  ),
  flag(
    "sweepEpochs",
    ["report"],
    NOTEBOOK_SWEEP_EPOCHS,
    "epochs of each run in the notebooks' noise-factor sweep",
    { range: CONFIG_RANGES.epochs, env: "SWEEP_EPOCHS" },
  ),
  flag(
    "sweepTrain",
    ["report"],
    NOTEBOOK_SWEEP_TRAIN,
    "training images of each run in the notebooks' noise-factor sweep (at most --train)",
    { range: CONFIG_RANGES.train, env: "SWEEP_TRAIN_SIZE" },
  ),
  flag(
    "sweepName",
    ["report"],
    null,
    "notebook 06: the sweep to read (or run, when missing); default: named by its settings",
    { env: "SWEEP_NAME" },
  ),
  flag(
    "sweepNoise",
    ["report"],
    NOTEBOOK_SWEEP_NOISE.join(","),
    "notebook 06: comma-separated noise factors of its sweep",
    { env: "SWEEP_NOISE" },
  ),
  flag("batchSizes", ["bench"], "32,128", "comma-separated batch sizes, one row each"),
  flag("batches", ["bench"], 20, "timed training batches per row (cpu: 1)", {
    range: { min: 1, max: 100_000, integer: true },
  }),
  flag(
    "native",
    ["bench"],
    false,
    "also time the same model in PyTorch at 1 and --threads threads (the newest PyTorch " +
      "among outputs/venv/bin/python3, python3 and /usr/bin/python3); no ratio against a " +
      "reference BLAS",
  ),
  flag(
    "name",
    ALL,
    null,
    "run, sweep or report name (default: derived from the settings; report: default)",
  ),
  flag(
    "out",
    ALL,
    "outputs",
    "output root: runs in OUT/runs/, sweeps in OUT/sweeps/, reports in OUT/report/",
    { env: "OUTPUT_DIR" },
  ),
  flag("force", ["experiment"], false, "overwrite a run of the same name"),
  flag(
    "resume",
    ["experiment"],
    null,
    "NAME: continue an interrupted run from its last checkpoint",
  ),
  flag("notebooks", ["report"], "notebooks", "folder of notebooks to run"),
  flag("help", [...ALL, "bench"], false, "this text"),
]);
