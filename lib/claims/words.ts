/**
 * The sentences that change with the numbers, each value escaped by {@linkcode markdown}: a
 * claim's parts and the profile of their rows, then notebooks 1 to 4's, with notebook 4's
 * metrics against the report's. (`verdict()`'s reasons, claim 3's and part 1c's are theirs.)
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { mse } from "../eval/metrics.ts";
import type { ExperimentConfig } from "../runs/config.ts";
import type { RunMetrics } from "../runs/run_folder.ts";
import type { SweepRow } from "../sweep/plan.ts";
import { formatLearningRate } from "../figures/charts.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import type { EpochLog } from "../train/train.ts";
import { markdown, plural, thousands } from "../text.ts";
import type { ClaimPart } from "./compare.ts";

/** The report's test MSE at f = 0.5, on all of MNIST's 60,000 training and 10,000 test digits. */
export const REPORT_TEST_MSE = 0.013719023205339909;

/** "1a, TITLE (LABEL; PROFILE): +1.20 dB PSNR; **supported** (REASON)." */
export function partSentence({ id, title, comparison: c }: ClaimPart): string {
  const r = c.result;
  const gap = r.verdict === "not tested"
    ? ""
    : `${c.psnrDiff >= 0 ? "+" : ""}${c.psnrDiff.toFixed(2)} dB PSNR; `;
  return markdown`${id}, ${title} (${c.label}; ${c.profile}): ${gap}**${r.verdict}** (${r.reason}).`;
}

/** A claim's verdicts in one bold line, then each part's sentence. */
export function claimText(claim: { parts: readonly ClaimPart[] }): string {
  const verdicts = claim.parts.map((p) => `${p.id}: ${p.comparison.result.verdict}`).join("; ");
  return `**Verdict ${verdicts}.** ${claim.parts.map(partSentence).join(" ")}`;
}

/**
 * The profile rows come from: sizes ("2,700 training images (+300 validation)", a `heldOut`
 * share validating), epochs, seeds; classical rows name only the test images.
 */
export function rowsProfile(rows: readonly SweepRow[], heldOut: number): string {
  if (rows.length === 0) return "";
  const learned = rows.filter((r) => r.seed !== null);
  const test = `${thousands(rows[0].test_images)} test images`;
  if (learned.length === 0) return test;
  const all = learned[0].train_images;
  const train = Math.floor(all * (1 - heldOut));
  const epochs = [...new Set(learned.map((r) => r.epochs))].join("/");
  const seeds = [...new Set(learned.map((r) => r.seed!))].sort((a, b) => a - b);
  const validation = train < all ? ` (+${thousands(all - train)} validation)` : "";
  return `${thousands(train)} training images${validation}, ${epochs} ` +
    `${epochs === "1" ? "epoch" : "epochs"}, ${seeds.length === 1 ? "seed" : "seeds"} ` +
    `${seeds.join(", ")}, ${test}`;
}

/** The clean and noisy shares of pixels at exactly 0 and 1, and the noise's real RMS. */
export function clippingSentence(clean: Images, noisy: Images, f: number): string {
  const share = (v: Float32Array, x: number) =>
    `${(100 * v.filter((p) => p === x).length / v.length).toFixed(1)}%`;
  return `Clean images: ${share(clean.data, 0)} of the pixels are exactly 0 (background) and ` +
    `${share(clean.data, 1)} exactly 1; noisy images: ${share(noisy.data, 0)} and ` +
    `${share(noisy.data, 1)}. Root mean square of noisy − clean: ` +
    `${Math.sqrt(mse(clean, noisy)).toFixed(3)}, against f = ${f}.`;
}

/** What the learning-rate schedule did in a run, and the lowest validation loss. */
export function scheduleVerdict(history: readonly EpochLog[], lrSchedule: boolean): string {
  const h = history;
  const drops = h.filter((e, i) => i > 0 && e.lr < h[i - 1].lr).map((e) => e.epoch);
  const best = h.reduce((a, b) => (b.val_loss < a.val_loss ? b : a));
  const p = new ReduceLROnPlateau().patience;
  const schedule = !lrSchedule
    ? "The learning-rate schedule was switched off for this run."
    : drops.length > 0
    ? `ReduceLROnPlateau lowered the learning rate ${plural(drops.length, "time")}, at epoch ` +
      `${drops.join(", ")}, ending at ${formatLearningRate(h[h.length - 1].lr)}.`
    : h.length <= p
    ? `In ${plural(h.length, "epoch")}, ReduceLROnPlateau (patience ${p}) had no chance to fire.`
    : `ReduceLROnPlateau never fired in ${plural(h.length, "epoch")}: the validation loss never ` +
      `went ${p} epochs without improving, so the learning rate stayed at ` +
      `${formatLearningRate(h[0].lr)}, as the report found.`;
  return `${schedule} The lowest validation loss, ${best.val_loss.toFixed(5)}, came in epoch ` +
    `${best.epoch} of ${h.length}.`;
}

/** The run's test metrics beside the noisy input's and the report's: rows, and MSE bars. */
export function reportMetrics(
  m: Pick<RunMetrics, `${"test" | "noisy"}_${"mse" | "psnr" | "ssim"}`>,
) {
  return {
    table: [
      {
        metric: "MSE",
        "noisy input": m.noisy_mse,
        autoencoder: m.test_mse,
        report: REPORT_TEST_MSE,
      },
      { metric: "PSNR (dB)", "noisy input": m.noisy_psnr, autoencoder: m.test_psnr, report: "—" },
      { metric: "SSIM", "noisy input": m.noisy_ssim, autoencoder: m.test_ssim, report: "—" },
    ],
    bars: [
      { label: "noisy input", value: m.noisy_mse },
      { label: "autoencoder (here)", value: m.test_mse },
      { label: "autoencoder (report)", value: REPORT_TEST_MSE },
    ],
  };
}

/** The run's test MSE against the report's and the noisy input's, and what the run trained on. */
export function reportComparison(
  m: Pick<RunMetrics, "test_mse" | "noisy_mse" | "epochs">,
  config: ExperimentConfig,
): string {
  const ratio = m.test_mse / REPORT_TEST_MSE;
  const versus = Math.abs(ratio - 1) < 0.1
    ? "within 10% of"
    : ratio > 1
    ? `${ratio.toFixed(2)} times`
    : `${(1 / ratio).toFixed(2)} times lower than`;
  const gain = m.test_mse < m.noisy_mse
    ? `${(m.noisy_mse / m.test_mse).toFixed(1)} times lower than`
    : "no lower than";
  return `The test MSE, ${m.test_mse.toFixed(5)}, is ${versus} the report's 0.01372, and ${gain} ` +
    `the noisy input's ${m.noisy_mse.toFixed(5)}. ` +
    markdown`This model trained on ${thousands(config.train)} ${config.dataset} images for ` +
    markdown`${plural(m.epochs, "epoch")} at f = ${config.noise} (${config.noiseType} noise) ` +
    markdown`and is tested on ${thousands(config.test)}.`;
}
