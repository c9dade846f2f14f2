/**
 * `deno task sweep`: every denoising method at every noise factor, plus the cross-noise and
 * ablation rows, into outputs/sweeps/NAME/. Rerunning the same command resumes it. See `--help`.
 *
 * @module
 */
import { validateConfig } from "../lib/runs/config.ts";
import { consoleProgress } from "../lib/train/log.ts";
import { runSweep } from "../lib/sweep/sweep.ts";
import { defaultSweepName, sweepPlan } from "../lib/sweep/identity.ts";
import { describeShard, parseShard } from "../lib/sweep/files.ts";
import {
  DEFAULT_REFERENCE_NOISE,
  DEFAULT_SWEEP_EPOCHS,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  METHOD_LABELS,
  parseMethods,
  parseNoiseFactors,
  parseSeeds,
  sweepSettings,
} from "../lib/sweep/plan.ts";
import { interruptSignal, runMain } from "./_main.ts";
import { configPart, helpText, perCoreSetting, readSettings } from "./_flags.ts";

/** `--help` text of the sweep command (flags from tools/_flags.ts). */
export function sweepHelp(): string {
  const example = defaultSweepName(sweepSettings(), sweepPlan());
  return helpText(
    "sweep",
    "Usage: deno task sweep [flags]",
    "",
    "Scores every method at every noise factor on the same seeded test images and writes",
    "outputs/sweeps/NAME/ (results, summaries over seeds, per-image scores, charts, and",
    "`complete` last); learned models are run folders in outputs/runs/. Rerun the same",
    "command to resume. --shard K/N splits the cells among N processes sharing the folder",
    "(tools/cluster/), --jobs N among N processes here. See docs/commands.md.",
    `The default NAME comes from the settings (a digest of them last), e.g. ${example}`,
  );
}

/** {@linkcode runSweep}'s options from the sweep command's arguments; throws {@linkcode InputError}. */
export function parseSweepArgs(args: string[]) {
  const settings = readSettings("sweep", args);
  const values = settings.values as Record<string, string | undefined>;
  const partial = { epochs: DEFAULT_SWEEP_EPOCHS, ...configPart(settings) };
  delete partial.noise; // a list here, validated by parseNoiseFactors
  const config = validateConfig(partial, settings.labels);
  const base = sweepSettings(config, {
    tune: settings.values.tune as number | undefined,
    scheduleEpochs: settings.values.scheduleEpochs as number | undefined,
  });
  const plan = {
    noise: parseNoiseFactors(values.noise ?? [...DEFAULT_SWEEP_NOISE], config.noiseType),
    methods: parseMethods(values.methods ?? DEFAULT_SWEEP_METHODS),
    ablations: settings.values.noAblations !== true,
    cross: settings.values.noCross !== true,
    ...(values.seeds !== undefined && { seeds: parseSeeds(values.seeds) }),
  };
  return {
    ...plan,
    config: { ...base, backend: config.backend },
    tune: base.tune,
    scheduleEpochs: base.scheduleEpochs,
    name: values.name ?? defaultSweepName(base, sweepPlan(plan, config.noiseType)),
    out: values.out ?? "outputs",
    ...(values.shard !== undefined && { shard: parseShard(values.shard, settings.labels.shard) }),
    threads: perCoreSetting(settings, "threads"),
    jobs: perCoreSetting(settings, "jobs"),
  };
}

async function main(): Promise<number> {
  const cmd = parseSweepArgs(Deno.args);
  const signal = interruptSignal((sig) =>
    console.error(`\n${sig}: stopping after this batch; rerun the same command to resume`)
  );
  const t0 = performance.now();
  const result = await runSweep({ ...cmd, callbacks: [consoleProgress()], signal });
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

if (import.meta.main) await runMain(main, sweepHelp);
