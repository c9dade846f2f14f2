/**
 * The one place where numbers become a verdict: {@linkcode verdict} reads the paired seed
 * differences of a comparison and returns its verdict, the interval that decided it and one
 * line saying why. Notebooks, `claims.md` and the README print what it returns; no verdict is
 * written by hand, and nothing else in lib/claims decides one.
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

function fmt(x: number): string {
  return x.toPrecision(3);
}

function range(i: Interval): string {
  return `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;
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
    return {
      verdict: "one seed",
      reason: `one seed a side (difference ${fmt(d[0])}): no spread to test against`,
      interval: null,
      p: null,
    };
  }
  const interval = tInterval(d, 1 - ALPHA)!;
  const p = tTestP(d)!;
  const n = `${d.length} paired seeds`;
  if (test === "equivalent") {
    if (!(margin !== undefined && margin > 0)) {
      throw new RangeError(`an equivalence test needs a margin > 0, got ${margin}`);
    }
    const tost = tInterval(d, 1 - 2 * ALPHA)!;
    const m = `±${fmt(margin)}`;
    const base = { interval, p };
    if (tost.low > -margin && tost.high < margin) {
      return {
        ...base,
        verdict: "supported",
        reason: `90% t-interval ${range(tost)} inside the margin ${m} (TOST, ${n})`,
      };
    }
    if (interval.high < -margin || interval.low > margin) {
      const way = interval.high < -margin ? "a gain" : "a loss";
      return {
        ...base,
        verdict: "contradicted",
        reason: `95% t-interval ${range(interval)} beyond the margin ${m}: ${way} (${n})`,
      };
    }
    return {
      ...base,
      verdict: "not resolved",
      reason: `90% t-interval ${range(tost)} not inside the margin ${m} (TOST, ${n})`,
    };
  }
  const claimed = test === "less" ? -1 : 1;
  const sign = interval.estimate < 0 ? -1 : interval.estimate > 0 ? 1 : 0;
  const decisive = adjustedP === undefined
    ? interval.low > 0 || interval.high < 0
    : adjustedP < ALPHA && sign !== 0;
  const pText = adjustedP === undefined
    ? `p = ${fmt(p)}`
    : `p = ${fmt(p)}, Holm-adjusted ${fmt(adjustedP)}`;
  const why = `95% t-interval ${range(interval)}, ${pText} (${n})`;
  const result = { interval, p, ...(adjustedP === undefined ? {} : { adjustedP }) };
  if (!decisive) return { ...result, verdict: "not resolved", reason: why };
  const side = sign < 0 ? "below" : "above";
  return {
    ...result,
    verdict: sign === claimed ? "supported" : "contradicted",
    reason: `${side} zero: ${why}`,
  };
}
