/**
 * The one place where numbers become a verdict: {@linkcode verdict}.
 *
 * @module
 */
import { type Interval, tInterval, tTestP } from "./stats.ts";

export type Verdict = "supported" | "contradicted" | "not resolved" | "one seed" | "not tested";

/** Significance level of every test: 5% two-sided, 5% per side in TOST. */
const ALPHA = 0.05;

/** Claim 3's equivalence margin, as a share of the fixed-rate arm's MSE. */
export const EQUIVALENCE_MARGIN = 0.01;

/** The evidence on one comparison `A − B` (test MSE), one value per paired training seed. */
export interface ClaimEvidence {
  /** What the claim says of A − B: below zero, above zero, or within ±`margin`. */
  test: "less" | "greater" | "equivalent";
  /** A − B for each paired seed (a classical arm pairs with every seed of the other). */
  differences: readonly number[];
  /** Half-width of the equivalence region, in the differences' unit (`"equivalent"`: required). */
  margin?: number;
  /** Holm-adjusted p of a secondary comparison: it decides instead of the interval. */
  adjustedP?: number;
  /** Why the comparison could not be made. */
  untested?: string;
  /** What the differences pair, plural, as the reason counts them. @default "paired seeds" */
  pairs?: string;
}

export interface VerdictResult {
  verdict: Verdict;
  /** One line saying why. */
  reason: string;
  /** 95% t-interval of the mean difference over paired seeds; null with under two seeds. */
  interval: Interval | null;
  /** Two-sided p of the paired t-test (mean difference zero); null with under two seeds. */
  p: number | null;
}

const p3 = (x: number) => x.toPrecision(3);
const range = (i: Interval) => `${p3(i.estimate)} [${p3(i.low)}, ${p3(i.high)}]`;

/**
 * The verdict on paired seed differences `A − B`: "less"/"greater" are **supported** when the
 * 95% t-interval lies strictly on the claimed side of zero, **contradicted** when on the other
 * (or by `adjustedP` < 5%); "equivalent" (TOST) is **supported** when the 90% interval lies
 * inside ±`margin`, **contradicted** when the 95% one lies beyond it.
 */
export function verdict(evidence: ClaimEvidence): VerdictResult {
  const { test, differences: d, margin = NaN, adjustedP, untested, pairs = "paired seeds" } =
    evidence;
  const none = { interval: null, p: null };
  if (untested !== undefined || d.length === 0) {
    return { verdict: "not tested", reason: untested ?? "no paired seeds", ...none };
  }
  if (d.length === 1) {
    const reason = `one seed a side (difference ${p3(d[0])}): no spread to test against`;
    return { verdict: "one seed", reason, ...none };
  }
  const interval = tInterval(d, 1 - ALPHA)!;
  const p = tTestP(d)!;
  const seeds = `${d.length} ${pairs}`;
  if (test === "equivalent") {
    const tost = tInterval(d, 1 - 2 * ALPHA)!;
    const v = tost.low > -margin && tost.high < margin
      ? "supported"
      : interval.high < -margin || interval.low > margin
      ? "contradicted"
      : "not resolved";
    const m = `the margin ±${p3(margin)}`;
    const way = interval.high < -margin ? "a gain" : "a loss";
    const where = v === "supported" ? "inside" : "not inside";
    const reason = v === "contradicted"
      ? `95% t-interval ${range(interval)} beyond ${m}: ${way} (${seeds})`
      : `90% t-interval ${range(tost)} ${where} ${m} (TOST, ${seeds})`;
    return { verdict: v, reason, interval, p };
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
  const holm = adjustedP === undefined ? "" : `, Holm-adjusted ${p3(adjustedP)}`;
  const why = `95% t-interval ${range(interval)}, p = ${p3(p)}${holm} (${seeds})`;
  return { verdict: v, reason: side ? `${side} zero: ${why}` : why, interval, p };
}
