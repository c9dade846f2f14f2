/**
 * `deno task experiment`: train, evaluate and write one run folder. See `--help`.
 *
 * @module
 */
import {
  DEFAULT_CONFIG,
  defaultRunName,
  type ExperimentConfig,
  validateConfig,
  validateName,
} from "../lib/runs/config.ts";
import { runExperiment } from "../lib/runs/experiment.ts";
import { consoleProgress } from "../lib/train/log.ts";
import { interruptSignal, runMain } from "./_main.ts";
import { configPart, helpText, perCoreSetting, readSettings } from "./_flags.ts";

/** `--help` text for the experiment command: every flag with its default (tools/_flags.ts). */
export function experimentHelp(): string {
  return helpText(
    "experiment",
    "Usage: deno task experiment [flags]",
    "",
    "Trains the report's denoising autoencoder, evaluates it on the held-out test set and",
    "writes outputs/runs/NAME/: config.json, history.json, metrics.json, samples.png, loss.svg, model/.",
    `The default NAME is derived from the settings, e.g. ${defaultRunName(DEFAULT_CONFIG)}.`,
  );
}

/**
 * The experiment command's settings and {@linkcode runExperiment}'s options (`given`: the
 * settings typed as flags, which a resume keeps); bad input throws {@linkcode InputError}.
 */
export function parseExperimentArgs(args: string[]) {
  const settings = readSettings("experiment", args);
  const partial = configPart(settings);
  const config = validateConfig(partial, settings.labels);
  const { resume, name, out } = settings.values as Record<string, string | undefined>;
  return {
    config,
    name: validateName("run", resume ?? name ?? defaultRunName(config)),
    out: out ?? "outputs",
    force: settings.values.force === true,
    resume: resume !== undefined,
    given: Object.keys(partial) as (keyof ExperimentConfig)[],
    threads: perCoreSetting(settings, "threads"),
  };
}

async function main(): Promise<number> {
  const cmd = parseExperimentArgs(Deno.args);
  const signal = interruptSignal((sig) =>
    console.error(`\n${sig}: stopping after this batch (the last epoch's checkpoint is kept)`)
  );
  const { config, ...options } = cmd;
  const outcome = await runExperiment(config, {
    ...options,
    callbacks: [consoleProgress()],
    signal,
  });
  if (outcome.status === "interrupted") {
    console.error(
      `interrupted after ${outcome.epochsDone} complete epochs; ` +
        `continue with: deno task experiment --resume ${outcome.name}`,
    );
    return 130;
  }
  const m = outcome.metrics;
  console.log(
    `test_mse ${m.test_mse.toFixed(5)} (noisy ${m.noisy_mse.toFixed(5)})  ` +
      `psnr ${m.test_psnr.toFixed(2)} dB (noisy ${m.noisy_psnr.toFixed(2)})  ` +
      `ssim ${m.test_ssim.toFixed(3)} (noisy ${m.noisy_ssim.toFixed(3)})  ` +
      `${Math.round(m.train_images_per_second)} img/s on ${m.backend}`,
  );
  console.log(`wrote ${outcome.dir}`);
  return 0;
}

if (import.meta.main) await runMain(main, experimentHelp);
