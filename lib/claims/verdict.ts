/**
 * The one place where a claim's verdict is decided, from the intervals of its paired
 * difference. Notebooks and the README print what {@linkcode verdict} returns; no verdict
 * is written by hand.
 *
 * @module
 */
import type { Interval } from "./stats.ts";

/** A claim's verdict. */
export type Verdict = "supported" | "contradicted" | "not resolved";

/** The evidence on one claim: intervals of the paired difference `A − B` of its two arms. */
export interface ClaimEvidence {
  /**
   * Which sign of `A − B` the claim predicts: `"greater"` (A above B) or `"less"`
   * (A below B; e.g. A's MSE lower than B's).
   */
  direction: "greater" | "less";
  /** Student-t interval over training seeds (`tInterval`); `null` with a single seed. */
  seeds: Interval | null;
  /** Paired bootstrap interval over test images (`pairedBootstrap`); `null` if not computed. */
  images: Interval | null;
}

/** What {@linkcode verdict} returns: the verdict and one line saying why. */
export interface VerdictResult {
  /** The verdict. */
  verdict: Verdict;
  /** One line naming the intervals and which side of zero they lie on. */
  reason: string;
}

/** Which side of zero an interval lies on: strictly above, strictly below, or across. */
function side(i: Interval): "above" | "below" | "across" {
  if (i.low > 0) return "above";
  if (i.high < 0) return "below";
  return "across";
}

function format(i: Interval | null): string {
  if (i === null) return "none";
  const p = (x: number) => x.toPrecision(3);
  return `${p(i.estimate)} [${p(i.low)}, ${p(i.high)}]`;
}

/**
 * Turns the intervals of a claim's paired difference `A − B` into a verdict.
 *
 * The rule:
 * - **supported** when BOTH the t-interval over seeds and the bootstrap interval over test
 *   images lie strictly on the claimed side of zero (above zero for `"greater"`, below for
 *   `"less"`): the effect is larger than both the seed-to-seed and the image-to-image
 *   variation;
 * - **contradicted** when BOTH lie strictly on the opposite side of zero;
 * - **not resolved** otherwise: an interval touches or crosses zero, the two disagree, or
 *   one is missing. With a single seed the t-interval is unavailable (`null`), so a claim
 *   can never be supported (nor contradicted) on one seed.
 *
 * @param evidence The claim's direction and intervals.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { verdict } from "./verdict.ts";
 * const seeds = { estimate: -0.002, low: -0.003, high: -0.001, level: 0.95 };
 * const images = { estimate: -0.002, low: -0.0025, high: -0.0015, level: 0.95 };
 * assert(verdict({ direction: "less", seeds, images }).verdict === "supported");
 * assert(verdict({ direction: "less", seeds: null, images }).verdict === "not resolved");
 * ```
 */
export function verdict(evidence: ClaimEvidence): VerdictResult {
  const { direction, seeds, images } = evidence;
  const claimed = direction === "greater" ? "above" : "below";
  const opposite = direction === "greater" ? "below" : "above";
  const intervals = `seeds ${format(seeds)}, images ${format(images)}`;
  if (seeds === null || images === null) {
    const missing = seeds === null ? "no interval over seeds (one seed)" : "no image interval";
    return { verdict: "not resolved", reason: `${missing}; ${intervals}` };
  }
  const sides = [side(seeds), side(images)];
  if (sides.every((s) => s === claimed)) {
    return { verdict: "supported", reason: `both intervals ${claimed} zero: ${intervals}` };
  }
  if (sides.every((s) => s === opposite)) {
    return { verdict: "contradicted", reason: `both intervals ${opposite} zero: ${intervals}` };
  }
  return {
    verdict: "not resolved",
    reason: `seed interval ${sides[0]} zero, image interval ${sides[1]} zero: ${intervals}`,
  };
}

/**
 * The verdict of a claim made of several comparisons (every noise factor, every rival
 * method), each judged by {@linkcode verdict}: **supported** when every part is supported,
 * **contradicted** when any part is contradicted, **not resolved** otherwise (and with no
 * parts at all).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { combineVerdicts } from "./verdict.ts";
 * assert(combineVerdicts(["supported", "supported"]) === "supported");
 * assert(combineVerdicts(["supported", "not resolved"]) === "not resolved");
 * assert(combineVerdicts(["supported", "contradicted"]) === "contradicted");
 * assert(combineVerdicts([]) === "not resolved");
 * ```
 */
export function combineVerdicts(parts: readonly Verdict[]): Verdict {
  if (parts.includes("contradicted")) return "contradicted";
  if (parts.length > 0 && parts.every((v) => v === "supported")) return "supported";
  return "not resolved";
}
