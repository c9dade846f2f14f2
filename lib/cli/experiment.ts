/**
 * `deno task experiment`: train, evaluate and write one run folder. See `--help`.
 *
 * @module
 */
import { experimentHelp, parseExperimentArgs } from "../config.ts";
import { runExperiment } from "../experiment.ts";
import { consoleProgress } from "../progress.ts";
import { interruptSignal, runMain } from "./_main.ts";

async function main(): Promise<number> {
  const cmd = parseExperimentArgs(Deno.args);
  if (cmd.help) {
    console.log(experimentHelp());
    return 0;
  }
  const signal = interruptSignal((sig) =>
    console.error(`\n${sig}: stopping after this batch (the last epoch's checkpoint is kept)`)
  );
  const outcome = await runExperiment(cmd.config, {
    name: cmd.name,
    out: cmd.out,
    force: cmd.force,
    resume: cmd.resume,
    given: cmd.given,
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

if (import.meta.main) await runMain(main);
