/**
 * `deno task sweep`: every denoising method at every noise factor, plus the cross-noise and
 * ablation rows, into outputs/sweeps/NAME/. Rerunning the same command resumes it. See `--help`.
 *
 * @module
 */
import { type ExperimentConfig, validateConfig } from "../lib/runs/config.ts";
import { consoleProgress } from "../lib/train/progress.ts";
import { runSweep, type SweepOptions } from "../lib/sweep/sweep.ts";
import { defaultSweepName, sweepPlan } from "../lib/sweep/identity.ts";
import { describeShard, parseShard } from "../lib/sweep/shard.ts";
import {
  DEFAULT_REFERENCE_NOISE,
  DEFAULT_SWEEP_EPOCHS,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  DEFAULT_TUNE_IMAGES,
  METHOD_LABELS,
  parseMethods,
  parseNoiseFactors,
  parseSeeds,
  type SweepMethod,
  sweepSettings,
} from "../lib/sweep/plan.ts";
import { interruptSignal, runMain } from "./_main.ts";
import {
  applyKernelFma,
  configPart,
  flagBoolean,
  helpText,
  perCoreSetting,
  readSettings,
} from "./_flags.ts";

/** What the sweep command was asked to do: {@linkcode runSweep}'s options, and `--help`. */
export type SweepCommand = SweepOptions & {
  config: Partial<ExperimentConfig>;
  noise: number[];
  methods: SweepMethod[];
  name: string;
  threads: number;
  jobs: number;
  help: boolean;
};

/** `--help` text of the sweep command (flags from tools/_flags.ts). */
export function sweepHelp(): string {
  const example = defaultSweepName(sweepSettings(), sweepPlan());
  return helpText(
    "sweep",
    [
      "Usage: deno task sweep [flags]",
      "",
      "Scores every method at every noise factor on the same seeded test images and writes",
      "outputs/sweeps/NAME/: results.csv, results.json, summary.csv and summary.json (mean, SD",
      "and 95% t-interval over seeds), per_image/ (each cell's per-image scores), psnr.svg,",
      "ssim.svg, and `complete` last.",
      "Learned models are cached run folders in outputs/runs/; rerun the same command to resume",
      "(finished cells are skipped, an interrupted training continues from its last epoch).",
      "--shard K/N splits the cells among N processes, at once or one after another, writing",
      "into one folder (e.g. a Slurm job array or a Kubernetes indexed Job on a shared volume;",
      "see tools/cluster/). --jobs N computes the cells in N processes on this machine (default:",
      "one per core, each with 1 kernel thread), through the same claims.",
      `The default NAME comes from the settings, e.g. ${example}`,
      "(the last part is a digest of every setting, the methods, factors and dataset files).",
    ].join("\n"),
  );
}

/** Parses the sweep command's arguments; bad input throws {@linkcode InputError}. */
export function parseSweepArgs(args: string[]): SweepCommand {
  const settings = readSettings("sweep", args);
  const values = settings.values as Record<string, string | undefined>;
  const { noise: rawNoise, methods: rawMethods, name, out, shard, seeds } = values;
  const partial = { epochs: DEFAULT_SWEEP_EPOCHS, ...configPart(settings) };
  delete partial.noise; // a list here, validated by parseNoiseFactors
  const config = validateConfig(partial, settings.labels);
  const tune = (settings.values.tune as number | undefined) ?? DEFAULT_TUNE_IMAGES;
  const noise = parseNoiseFactors(rawNoise ?? [...DEFAULT_SWEEP_NOISE], config.noiseType);
  const methods = parseMethods(rawMethods ?? DEFAULT_SWEEP_METHODS);
  const scheduleEpochs = settings.values.scheduleEpochs as number | undefined | null;
  const base = sweepSettings(config, { tune, scheduleEpochs: scheduleEpochs ?? undefined });
  const ablations = !flagBoolean(settings, "noAblations");
  const cross = !flagBoolean(settings, "noCross");
  const seedList = seeds !== undefined && seeds !== null ? parseSeeds(seeds) : undefined;
  const plan = sweepPlan({ noise, methods, ablations, cross, seeds: seedList }, config.noiseType);
  return {
    noise,
    methods,
    config: { ...base, backend: config.backend },
    tune,
    scheduleEpochs: base.scheduleEpochs,
    ablations,
    cross,
    ...(seedList && { seeds: seedList }),
    name: name ?? defaultSweepName(base, plan),
    out: out ?? "outputs",
    ...(shard !== undefined && { shard: parseShard(shard, settings.labels.shard) }),
    help: flagBoolean(settings, "help"),
    threads: perCoreSetting(settings, "threads"),
    jobs: perCoreSetting(settings, "jobs"),
  };
}

async function main(): Promise<number> {
  const cmd = parseSweepArgs(Deno.args);
  if (cmd.help) {
    console.log(sweepHelp());
    return 0;
  }
  applyKernelFma();
  const signal = interruptSignal((sig) =>
    console.error(`\n${sig}: stopping after this batch; rerun the same command to resume`)
  );
  const t0 = performance.now();
  const { help: _, ...options } = cmd;
  const result = await runSweep({ ...options, callbacks: [consoleProgress()], signal });
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
  if (result.status === "partial") {
    const who = cmd.shard ? describeShard(cmd.shard) : "this run";
    console.log(
      `${who} is done; the sweep has ${result.rows.length} of ${result.cells} cells and ` +
        "writes the complete marker when the other shards (or processes) finish theirs",
    );
  }
  console.log(`wrote ${result.dir}`);
  return 0;
}

if (import.meta.main) await runMain(main);
