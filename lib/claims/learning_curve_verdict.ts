/**
 * Claim 1's condition, part 1c, on the learning curve: a model **overtakes** the best
 * classical filter from the smallest size where `model − classical` is "supported" there and
 * at every larger size.
 *
 * @module
 */
import { metricChart } from "../figures/charts.ts";
import type { ChartElement } from "../figures/svg.ts";
import type { CurvePoint, LearningCurve } from "../sweep/learning_curve.ts";
import type { ClaimPart } from "./compare.ts";
import { mean } from "./stats.ts";
import { verdict, type VerdictResult } from "./verdict.ts";
import { thousands } from "../text.ts";

const CURVE_MODELS = ["ae", "dncnn"] as const;

type CurveModel = (typeof CURVE_MODELS)[number];

const MODEL_NAMES = { ae: "the autoencoder", dncnn: "the DnCNN" } as const;

const at = (points: readonly CurvePoint[], size: number, method: CurvePoint["method"]) =>
  points.filter((p) => p.size === size && p.method === method);

/**
 * Decides claim 1's condition on `curve` (see the module doc). `sizes`: by size then model,
 * `model − classical` test MSE per seed (`differences`), the mean PSNR gap (dB) and the
 * verdict; `overtakes`: per model, the size from which it overtakes, or null; `table`: one
 * row per size. Every size of a curve has its classical point.
 */
export function curveVerdict(curve: LearningCurve) {
  const sizes = curve.sizes.flatMap((size) => {
    const [classical] = at(curve.points, size, "classical");
    return CURVE_MODELS.map((method) => {
      const learned = at(curve.points, size, method);
      const differences = learned.map((p) => p.mse - classical.mse);
      const result = verdict({ test: "less", differences });
      const psnrDiff = mean(learned.map((p) => p.psnr - classical.psnr));
      return { size, method, differences, psnrDiff, result };
    });
  });
  const overtakes: Record<CurveModel, number | null> = { ae: null, dncnn: null };
  for (const method of CURVE_MODELS) {
    const mine = sizes.filter((s) => s.method === method);
    for (let i = mine.length - 1; i >= 0 && mine[i].result.verdict === "supported"; i--) {
      overtakes[method] = mine[i].size;
    }
  }
  const table = curve.sizes.map((size) => {
    const psnr = (m: CurvePoint["method"]) => mean(at(curve.points, size, m).map((p) => p.psnr));
    const v = (m: CurveModel) =>
      sizes.find((s) => s.size === size && s.method === m)!.result.verdict;
    return {
      "training images": size,
      "best classical filter": at(curve.points, size, "classical")[0].source,
      "classical PSNR (dB)": psnr("classical"),
      "autoencoder PSNR (dB)": psnr("ae"),
      "DnCNN PSNR (dB)": psnr("dncnn"),
      "autoencoder − classical": v("ae"),
      "DnCNN − classical": v("dncnn"),
    };
  });
  return { sizes, overtakes, table };
}

/** Part 1c: the autoencoder's verdict at the largest size, its reason the overtaking size. */
export function conditionPart(curve: LearningCurve, noise: number): ClaimPart {
  const v = curveVerdict(curve);
  const last = v.sizes.filter((s) => s.method === "ae").at(-1)!;
  const seeds = at(curve.points, last.size, "ae").map((p) => p.seed!).sort((a, b) => a - b);
  return {
    id: "1c",
    title: "given enough images, the autoencoder overtakes the best classical filter",
    comparison: {
      label: `autoencoder − best classical filter (bias-corrected or not) by training size, ` +
        `at f = ${noise}`,
      role: "primary",
      seeds,
      psnrDiff: last.psnrDiff,
      profile: curveProfile(curve, seeds),
      evidence: { test: "less", differences: last.differences },
      result: { ...last.result, reason: conditionReason(curve, v.overtakes, last.result) },
    },
  };
}

/** The curve's profile: sizes, steps (and the epochs they make), seeds, test images. */
function curveProfile(curve: LearningCurve, seeds: readonly number[]): string {
  const epochs = (size: number) =>
    curve.points.find((p: CurvePoint) => p.size === size && p.method === "ae")?.epochs;
  const [lo, hi] = [curve.sizes[0], curve.sizes.at(-1)!];
  return `${thousands(lo)} to ${thousands(hi)} training images, ${curve.steps} optimiser ` +
    `steps per model (${epochs(lo)} to ${epochs(hi)} epochs), seeds ${seeds.join(", ")}, ` +
    `${thousands(curve.test)} test images`;
}

/** Part 1c's reason: the size each model overtakes from (null: never), the largest's verdict. */
function conditionReason(
  curve: LearningCurve,
  overtakes: Record<CurveModel, number | null>,
  largest: VerdictResult,
): string {
  const size = thousands(curve.sizes.at(-1)!);
  const each = CURVE_MODELS.map((m) =>
    overtakes[m] === null
      ? `${MODEL_NAMES[m]} never does up to the largest size tried (${size} images)`
      : `${MODEL_NAMES[m]} from ${thousands(overtakes[m]!)} training images on`
  );
  return `${each.join("; ")} (supported there and at every larger size); at ${size} images: ` +
    `${largest.verdict}, ${largest.reason}`;
}

/** Test PSNR against training images (log scale), one line per model and the filter. */
export function learningCurveChart(curve: LearningCurve): ChartElement {
  const label = { ae: "autoencoder", dncnn: "DnCNN", classical: "best classical filter" };
  const rows = curve.sizes.flatMap((size) =>
    (["classical", "ae", "dncnn"] as const).flatMap((m) => {
      const p = at(curve.points, size, m);
      return p.length === 0 ? [] : [{ x: size, y: mean(p.map((q) => q.psnr)), series: label[m] }];
    })
  );
  return metricChart(rows, {
    xLabel: "training images",
    yLabel: "test PSNR (dB)",
    logX: true,
    title: `Learning curve at f = ${curve.noise}, ${curve.steps} steps per model`,
  });
}
