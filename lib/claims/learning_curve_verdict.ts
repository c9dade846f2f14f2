/**
 * Claim 1's condition decided on the learning curve (lib/sweep/learning_curve.ts): at each
 * training size, each learned model against the best classical filter at that size, by the one
 * verdict function (lib/claims/verdict.ts) on its paired seed differences of test MSE
 * (`model − classical`, claimed below zero; the classical filter has no seed, so it pairs with
 * every seed). A model **overtakes** the classical filter at the smallest size from which the
 * verdict is "supported" at that size and every larger size tried: an intersection of
 * one-sided tests, each at 2.5%, so the statement errs at most at 2.5% without adjustment.
 *
 * @module
 */
import { metricChart } from "../figures/charts.ts";
import type { ChartElement } from "../figures/svg.ts";
import type { CurvePoint, LearningCurve } from "../sweep/learning_curve.ts";
import { mean } from "./stats.ts";
import { verdict, type VerdictResult } from "./verdict.ts";

/** The learned models of the curve, and their names in words. */
const MODELS = { ae: "the autoencoder", dncnn: "the DnCNN" } as const;

/** One size's comparison of one model against the best classical filter there. */
export interface SizeVerdict {
  /** Training images. */
  size: number;
  /** Learned model. */
  method: keyof typeof MODELS;
  /** The best classical filter at this size, with its parameter. */
  classical: string;
  /** `model − classical` test MSE, one per seed. */
  differences: number[];
  /** What {@linkcode verdict} says on them. */
  result: VerdictResult;
}

/** What {@linkcode curveVerdict} returns. */
export interface CurveVerdict {
  /** Every size's verdict, by size then model. */
  sizes: SizeVerdict[];
  /** Per model: the size from which it overtakes the classical filter, or null if it never does. */
  overtakes: Record<keyof typeof MODELS, number | null>;
  /** One row per size: PSNRs and each model's verdict. */
  table: Record<string, string | number>[];
  /** The sentence naming where each model overtakes (or that it never does), with the budget. */
  sentence: string;
}

function at(points: readonly CurvePoint[], size: number, method: CurvePoint["method"]) {
  return points.filter((p) => p.size === size && p.method === method);
}

/**
 * Decides claim 1's condition on `curve` (see the module doc).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { curveVerdict } from "./learning_curve_verdict.ts";
 * const p = (size: number, method: "ae" | "dncnn" | "classical", mse: number, seed: number | null = null) =>
 *   ({ size, method, seed, epochs: 1, steps: 10, source: "x", mse, psnr: -10 * Math.log10(mse) });
 * const points = [100, 200].flatMap((size) => [p(size, "classical", 0.03),
 *   ...[0, 1, 2].flatMap((s) => [p(size, "ae", size === 200 ? 0.02 + s * 1e-4 : 0.04 + s * 1e-4, s), p(size, "dncnn", 0.05 + s * 1e-4, s)])]);
 * const v = curveVerdict({ noise: 0.5, steps: 10, sizes: [100, 200], test: 5, points, trainSeconds: 1 });
 * assertEquals(v.overtakes, { ae: 200, dncnn: null });
 * ```
 */
export function curveVerdict(curve: LearningCurve): CurveVerdict {
  const sizes: SizeVerdict[] = [];
  for (const size of curve.sizes) {
    const [classical] = at(curve.points, size, "classical");
    for (const method of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
      const learned = at(curve.points, size, method);
      const differences = classical ? learned.map((p) => p.mse - classical.mse) : [];
      const result = verdict({
        test: "less",
        differences,
        ...(classical ? {} : { untested: `no classical filter at ${size} images` }),
      });
      sizes.push({ size, method, classical: classical?.source ?? "", differences, result });
    }
  }
  const overtakes = { ae: null, dncnn: null } as CurveVerdict["overtakes"];
  for (const method of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
    const mine = sizes.filter((s) => s.method === method);
    let from: number | null = null;
    for (let i = mine.length - 1; i >= 0 && mine[i].result.verdict === "supported"; i--) {
      from = mine[i].size;
    }
    overtakes[method] = from;
  }
  const table = curve.sizes.map((size) => {
    const psnr = (m: CurvePoint["method"]) => mean(at(curve.points, size, m).map((p) => p.psnr));
    const v = (m: keyof typeof MODELS) =>
      sizes.find((s) => s.size === size && s.method === m)!.result.verdict;
    const steps = at(curve.points, size, "ae")[0]?.steps ?? 0;
    return {
      "training images": size,
      "steps per model": steps,
      "best classical filter": at(curve.points, size, "classical")[0]?.source ?? "",
      "classical PSNR (dB)": psnr("classical"),
      "autoencoder PSNR (dB)": psnr("ae"),
      "DnCNN PSNR (dB)": psnr("dncnn"),
      "autoencoder − classical": v("ae"),
      "DnCNN − classical": v("dncnn"),
    };
  });
  const largest = curve.sizes.at(-1)!;
  const seeds = Math.max(0, ...curve.sizes.map((s) => at(curve.points, s, "ae").length));
  const words = (Object.keys(MODELS) as (keyof typeof MODELS)[]).map((m) => {
    const s = overtakes[m];
    return s === null
      ? `${MODELS[m]} never does up to the largest size tried (${
        largest.toLocaleString("en")
      } images)`
      : `${MODELS[m]} from ${s.toLocaleString("en")} training images on`;
  });
  const sentence = `Claim 1's condition, on a learning curve at f = ${curve.noise} (each model ` +
    `${curve.steps} optimiser steps whatever its size, ${seeds} seeds, scored on ` +
    `${curve.test.toLocaleString("en")} test images against the best classical filter chosen ` +
    `and tuned on the same training images), where each learned model overtakes it (supported ` +
    `at that size and at every larger one): ${words.join("; ")}.`;
  return { sizes, overtakes, table, sentence };
}

/**
 * Test PSNR against training images (log scale): each learned model's mean over seeds and the
 * best classical filter, one line each.
 */
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
