/**
 * `deno task sweep`: every denoising method at every noise factor, plus the cross-noise and
 * ablation rows, into outputs/sweeps/NAME/. Rerunning the same command resumes it. See `--help`.
 *
 * @module
 */
import {
  BACKEND_CHOICES,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  parseFlags,
  validateConfig,
} from "../config.ts";
import { InputError } from "../errors.ts";
import { NOISE_TYPES } from "../noise.ts";
import { consoleProgress } from "../progress.ts";
import {
  DEFAULT_REFERENCE_NOISE,
  DEFAULT_SWEEP_EPOCHS,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  DEFAULT_TUNE_IMAGES,
  defaultSweepName,
  METHOD_LABELS,
  parseMethods,
  parseNoiseFactors,
  runSweep,
  SWEEP_METHODS,
  type SweepMethod,
  sweepSettings,
} from "../sweep.ts";
import { interruptSignal, runMain } from "./_main.ts";

/** What the sweep command was asked to do. */
export interface SweepCommand {
  /** Noise factors, ascending. */
  noise: number[];
  /** Methods. */
  methods: SweepMethod[];
  /** Base settings (dataset, noise type, epochs, sizes, seed, backend). */
  config: Partial<ExperimentConfig>;
  /** Tuning images of the classical filters. */
  tune: number;
  /** Add ablation rows. */
  ablations: boolean;
  /** Add cross-noise rows. */
  cross: boolean;
  /** Sweep name. */
  name: string;
  /** Output root. */
  out: string;
  /** Print help and exit. */
  help: boolean;
}

/** Flags that set a base setting: flag, config key, help (the default is appended). */
const CONFIG_FLAGS: [flag: string, key: keyof ExperimentConfig, help: string][] = [
  ["noise-type", "noiseType", `noise kind: ${NOISE_TYPES.join(", ")}`],
  ["noise-mean", "noiseMean", "mean shift μ of gaussian noise"],
  [
    "dataset",
    "dataset",
    "mnist (embedded 10,000), fashion (Debian's dataset-fashion-mnist) or a folder of IDX files",
  ],
  ["epochs", "epochs", "training epochs of each learned model"],
  ["train", "train", "training images"],
  ["test", "test", "test images every method is scored on"],
  ["batch", "batch", "batch size"],
  ["seed", "seed", "seed of split, noise, weights and the tuning subset"],
  ["backend", "backend", `compute backend: ${BACKEND_CHOICES.join(", ")}`],
];

/** The sweep's defaults: the report's settings, with {@linkcode DEFAULT_SWEEP_EPOCHS}. */
const DEFAULTS: Readonly<ExperimentConfig> = { ...DEFAULT_CONFIG, epochs: DEFAULT_SWEEP_EPOCHS };

/** `--help` text of the sweep command. */
export function sweepHelp(): string {
  const lines = [
    "Usage: deno task sweep [flags]",
    "",
    "Scores every method at every noise factor on the same seeded test images and writes",
    "outputs/sweeps/NAME/: results.csv, results.json, psnr.svg, ssim.svg, and `complete` last.",
    "Learned models are cached run folders in outputs/runs/; rerun the same command to resume",
    "(finished cells are skipped, an interrupted training continues from its last epoch).",
    "",
    `  --${"noise".padEnd(15)} comma-separated noise factors (default: ${
      DEFAULT_SWEEP_NOISE.join(",")
    })`,
    `  --${"methods".padEnd(15)} comma-separated, from ${SWEEP_METHODS.join(", ")} (default: ${
      DEFAULT_SWEEP_METHODS.join(",")
    }; noisy is always added)`,
  ];
  for (const [flag, key, help] of CONFIG_FLAGS) {
    lines.push(`  --${flag.padEnd(15)} ${help} (default: ${DEFAULTS[key]})`);
  }
  lines.push(
    `  --${"tune".padEnd(15)} noisy training images the classical filters are tuned on ` +
      `(default: ${DEFAULT_TUNE_IMAGES})`,
    `  --${"no-ablations".padEnd(15)} skip the ablations of the autoencoder at ` +
      `${DEFAULT_REFERENCE_NOISE} (dropout 0, no lr schedule, latent 2, latent 64)`,
    `  --${"no-cross".padEnd(15)} skip the autoencoder trained at ${DEFAULT_REFERENCE_NOISE} ` +
      "tested at every factor",
    `  --${"name".padEnd(15)} sweep name (default: from the settings, e.g. ${
      defaultSweepName(sweepSettings())
    })`,
    `  --${"out".padEnd(15)} output root (default: outputs)`,
    `  --${"help".padEnd(15)} this text`,
  );
  return lines.join("\n");
}

/**
 * Parses the sweep command's arguments. Unknown flags and bad values throw
 * {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { parseSweepArgs } from "./sweep.ts";
 * const cmd = parseSweepArgs(["--noise", "0.5,0.1", "--methods", "median"]);
 * console.assert(cmd.noise.join() === "0.1,0.5" && cmd.methods.join() === "median");
 * ```
 */
export function parseSweepArgs(args: string[]): SweepCommand {
  const options: Record<string, { type: "string" | "boolean" }> = {
    noise: { type: "string" },
    methods: { type: "string" },
    tune: { type: "string" },
    name: { type: "string" },
    out: { type: "string" },
    "no-ablations": { type: "boolean" },
    "no-cross": { type: "boolean" },
    help: { type: "boolean" },
  };
  for (const [flag] of CONFIG_FLAGS) options[flag] = { type: "string" };
  const values = parseFlags(args, options);
  const partial: Partial<Record<keyof ExperimentConfig, unknown>> = {};
  for (const [flag, key] of CONFIG_FLAGS) {
    if (values[flag] !== undefined) partial[key] = values[flag];
  }
  // Not over DEFAULTS: train and test default to the chosen dataset's sizes.
  const config = validateConfig({ epochs: DEFAULT_SWEEP_EPOCHS, ...partial });
  const base: Partial<ExperimentConfig> = {
    dataset: config.dataset,
    noiseType: config.noiseType,
    noiseMean: config.noiseMean,
    epochs: config.epochs,
    train: config.train,
    test: config.test,
    batch: config.batch,
    seed: config.seed,
    backend: config.backend,
  };
  const tuneRaw = values.tune as string | undefined;
  const tune = tuneRaw === undefined ? DEFAULT_TUNE_IMAGES : Number(tuneRaw);
  if (!Number.isInteger(tune) || tune < 1) {
    throw new InputError(`tune must be a whole number ≥ 1, got ${tuneRaw}`);
  }
  const noise = parseNoiseFactors(
    (values.noise as string | undefined) ?? [...DEFAULT_SWEEP_NOISE],
    config.noiseType,
  );
  const methods = parseMethods((values.methods as string | undefined) ?? DEFAULT_SWEEP_METHODS);
  const settings = sweepSettings(base, { tune });
  return {
    noise,
    methods,
    config: base,
    tune,
    ablations: values["no-ablations"] !== true,
    cross: values["no-cross"] !== true,
    name: (values.name as string | undefined) ?? defaultSweepName(settings),
    out: (values.out as string | undefined) ?? "outputs",
    help: values.help === true,
  };
}

async function main(): Promise<number> {
  const cmd = parseSweepArgs(Deno.args);
  if (cmd.help) {
    console.log(sweepHelp());
    return 0;
  }
  const signal = interruptSignal((sig) =>
    console.error(`\n${sig}: stopping after this batch; rerun the same command to resume`)
  );
  const t0 = performance.now();
  const result = await runSweep({
    noise: cmd.noise,
    methods: cmd.methods,
    config: cmd.config,
    tune: cmd.tune,
    ablations: cmd.ablations,
    cross: cmd.cross,
    name: cmd.name,
    out: cmd.out,
    callbacks: [consoleProgress()],
    signal,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (result.status === "interrupted") {
    console.error(
      `interrupted after ${result.computed} new cells (${result.rows.length} rows saved); ` +
        "rerun the same command to resume",
    );
    return 130;
  }
  const ref = cmd.noise.includes(DEFAULT_REFERENCE_NOISE) ? DEFAULT_REFERENCE_NOISE : cmd.noise[0];
  console.log(`noise factor ${ref}:`);
  for (const r of result.rows) {
    const matched = r.train_noise_factor === null || r.train_noise_factor === r.noise_factor;
    if (r.noise_factor !== ref || !matched) continue;
    const name = METHOD_LABELS[r.method] + (r.variant ? ` (${r.variant})` : "");
    console.log(
      `  ${name.padEnd(32)} psnr ${r.psnr.toFixed(2).padStart(6)} dB  ssim ${r.ssim.toFixed(3)}`,
    );
  }
  console.log(
    `${result.computed} cells computed, ${result.skipped} reused, in ${seconds.toFixed(0)} s`,
  );
  console.log(`wrote ${result.dir}`);
  return 0;
}

if (import.meta.main) await runMain(main);
