/**
 * The one place where numbers become a verdict: {@linkcode verdict} reads the paired seed
 * differences of a comparison and returns its verdict, the interval that decided it and one
 * line saying why. No verdict is written by hand, and nothing else decides one.
 *
 * @module
 */
import { type Interval, tInterval, tTestP } from "./stats.ts";

/**
 * A comparison's verdict. "one seed": a side has a single training seed, so there is no
 * spread to test against; "not tested": the sweep lacks an arm, or (claim 3) the condition
 * the comparison needs did not occur.
 */
export type Verdict = "supported" | "contradicted" | "not resolved" | "one seed" | "not tested";

/** Significance level of every test: 5% two-sided (2.5% for each verdict), 5% per side in TOST. */
export const ALPHA = 0.05;

/**
 * The equivalence margin of claim 3, as a share of the fixed-rate arm's MSE: "no real gain"
 * holds when the schedule's effect lies within ±1% of that MSE. Stated before the data.
 */
export const EQUIVALENCE_MARGIN = 0.01;

/** The evidence on one comparison `A − B` (test MSE), one value per paired training seed. */
export interface ClaimEvidence {
  /**
   * What the claim says: `"less"` (A's MSE below B's), `"greater"` (above), or
   * `"equivalent"` (within ±`margin`; a gain is A − B < 0).
   */
  test: "less" | "greater" | "equivalent";
  /** A − B for each paired seed (a classical arm pairs with every seed of the other). */
  differences: readonly number[];
  /** Half-width of the equivalence region, in the differences' unit (`"equivalent"` only). */
  margin?: number;
  /**
   * Holm-adjusted two-sided p of a secondary comparison: it replaces the raw p in the
   * decision, so a family of secondary comparisons errs at most at {@linkcode ALPHA} in all.
   */
  adjustedP?: number;
  /** Why the comparison could not be made (a missing arm, a condition that did not occur). */
  untested?: string;
}

/** What {@linkcode verdict} returns. */
export interface VerdictResult {
  /** The verdict. */
  verdict: Verdict;
  /** One line: the interval, the p-value and which way they fall. */
  reason: string;
  /** 95% t-interval of the mean difference over paired seeds; null with under two seeds. */
  interval: Interval | null;
  /** Two-sided p of the paired t-test (mean difference zero); null with under two seeds. */
  p: number | null;
  /** The Holm-adjusted p that decided, for a secondary comparison. */
  adjustedP?: number;
}

const p3 = (x: number) => x.toPrecision(3);
const range = (i: Interval) => `${p3(i.estimate)} [${p3(i.low)}, ${p3(i.high)}]`;

/** Why a single paired difference `d` gives no verdict. */
const oneSeedReason = (d: number) =>
  `one seed a side (difference ${p3(d)}): no spread to test against`;

/**
 * Why a test gave `verdict` over `pairs` paired seeds: for an equivalence test (TOST) within
 * ±`margin`, by its 95% and 90% intervals; else by which `side` of zero (null: undecided).
 */
function testReason(
  verdict: "supported" | "contradicted" | "not resolved",
  t: { interval: Interval; tost?: Interval; margin?: number; side?: "below" | "above" | null },
  p: number,
  adjustedP: number | undefined,
  pairs: number,
): string {
  const seeds = `${pairs} paired seeds`;
  if (t.tost && t.margin !== undefined) {
    const m = `the margin ±${p3(t.margin)}`;
    if (verdict !== "contradicted") {
      const where = verdict === "supported" ? "inside" : "not inside";
      return `90% t-interval ${range(t.tost)} ${where} ${m} (TOST, ${seeds})`;
    }
    const way = t.interval.high < -t.margin ? "a gain" : "a loss";
    return `95% t-interval ${range(t.interval)} beyond ${m}: ${way} (${seeds})`;
  }
  const holm = adjustedP === undefined ? "" : `, Holm-adjusted ${p3(adjustedP)}`;
  const why = `95% t-interval ${range(t.interval)}, p = ${p3(p)}${holm} (${seeds})`;
  return t.side ? `${t.side} zero: ${why}` : why;
}

/**
 * Turns a comparison's paired seed differences `A − B` into a verdict. The test is the paired
 * Student t-test over training seeds; the test images are the same for both arms and held
 * fixed, so the verdict speaks for these images and the seed-to-seed variation of training.
 *
 * - `"less"` / `"greater"`: **supported** when the 95% t-interval of the mean difference lies
 *   strictly on the claimed side of zero, **contradicted** when it lies strictly on the other
 *   side (each at most 2.5% of the time when the true difference is zero), **not resolved**
 *   otherwise. A secondary comparison decides on its Holm-adjusted p (`adjustedP` < 5%) instead.
 * - `"equivalent"` (two one-sided tests, TOST): **supported** when the 90% t-interval lies
 *   strictly inside ±`margin`, **contradicted** when the 95% interval lies entirely beyond it
 *   on one side, **not resolved** otherwise.
 * - **one seed** with a single paired difference, **not tested** with none or with `untested`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { verdict } from "./verdict.ts";
 * assert(verdict({ test: "less", differences: [-0.003, -0.002, -0.0025] }).verdict === "supported");
 * assert(verdict({ test: "less", differences: [-0.003] }).verdict === "one seed");
 * assert(verdict({ test: "equivalent", differences: [1e-5, -1e-5, 0], margin: 1e-3 }).verdict === "supported");
 * ```
 */
export function verdict(evidence: ClaimEvidence): VerdictResult {
  const { test, differences: d, margin, adjustedP, untested } = evidence;
  if (untested !== undefined || d.length === 0) {
    return {
      verdict: "not tested",
      reason: untested ?? "no paired seeds",
      interval: null,
      p: null,
    };
  }
  if (d.length === 1) {
    return { verdict: "one seed", reason: oneSeedReason(d[0]), interval: null, p: null };
  }
  const interval = tInterval(d, 1 - ALPHA)!;
  const p = tTestP(d)!;
  if (test === "equivalent") {
    if (!(margin !== undefined && margin > 0)) {
      throw new RangeError(`an equivalence test needs a margin > 0, got ${margin}`);
    }
    const tost = tInterval(d, 1 - 2 * ALPHA)!;
    const v = tost.low > -margin && tost.high < margin
      ? "supported"
      : interval.high < -margin || interval.low > margin
      ? "contradicted"
      : "not resolved";
    return {
      verdict: v,
      reason: testReason(v, { interval, tost, margin }, p, undefined, d.length),
      interval,
      p,
    };
  }
  const sign = Math.sign(interval.estimate);
  const decisive = adjustedP === undefined
    ? interval.low > 0 || interval.high < 0
    : adjustedP < ALPHA && sign !== 0;
  const side = !decisive ? null : sign < 0 ? "below" : "above";
  const v = side === null
    ? "not resolved"
    : sign === (test === "less" ? -1 : 1)
    ? "supported"
    : "contradicted";
  return {
    verdict: v,
    reason: testReason(v, { interval, side }, p, adjustedP, d.length),
    interval,
    p,
    ...(adjustedP === undefined ? {} : { adjustedP }),
  };
}
