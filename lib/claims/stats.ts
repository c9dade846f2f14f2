/**
 * Statistics for replicated runs: mean, sample standard deviation, the Student-t interval
 * and t-test over seeds, and Holm's adjustment for a family of tests. No dependency: the t
 * quantile inverts the t distribution's CDF, written with the regularised incomplete beta
 * function.
 *
 * @module
 */
/** A two-sided confidence interval: the estimate (a mean), its ends and its level (e.g. 0.95). */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  level: number;
}

/** Arithmetic mean; `NaN` for no values. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

/** Sample standard deviation (n − 1 denominator); `NaN` for fewer than two values. */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] - m) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-14). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta function I_x(a, b), x in [0, 1]. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/**
 * CDF of Student's t distribution with `df` degrees of freedom:
 * P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0, symmetric for t < 0.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  if (t === 0) return 0.5;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t distribution: the t with P(T ≤ t) = p, found by bisection on
 * {@linkcode studentTCdf} to a relative 1e-12 (t_{0.975} is 12.706 for df 1, 4.303 for
 * df 2, 2.262 for df 9).
 *
 * @param p Probability in (0, 1).
 * @param df Degrees of freedom, > 0 (need not be whole).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { studentTQuantile } from "./stats.ts";
 * assert(Math.abs(studentTQuantile(0.975, 2) - 4.302653) < 1e-6);
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const key = `${p} ${df}`;
  const known = quantiles.get(key);
  if (known !== undefined) return known;
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  const t = (low + high) / 2;
  quantiles.set(key, t);
  return t;
}

/** Quantiles already found, by "p df": a claim table asks for the same few many times. */
const quantiles = new Map<string, number>();

/**
 * The Student-t confidence interval of the mean over replicates (e.g. one value per
 * training seed): mean ± t_{(1+level)/2, n−1} · s / √n. `null` for fewer than two values:
 * one seed gives no spread to build an interval from.
 *
 * @param values One value per replicate.
 * @param level Confidence level. @default 0.95
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { tInterval } from "./stats.ts";
 * const i = tInterval([1, 2, 3])!;
 * assert(i.estimate === 2 && Math.abs(i.high - (2 + 4.302653 / Math.sqrt(3))) < 1e-6);
 * assert(tInterval([1]) === null);
 * ```
 */
export function tInterval(values: ArrayLike<number>, level = 0.95): Interval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values);
  const half = studentTQuantile((1 + level) / 2, n - 1) * sampleSd(values) / Math.sqrt(n);
  return { estimate: m, low: m - half, high: m + half, level };
}

/**
 * Two-sided p-value of the one-sample t-test that the mean of `values` is zero (e.g. paired
 * seed differences): 2·P(T > |t|), t = mean / (s / √n), n − 1 degrees of freedom. `null` for
 * fewer than two values; 0 or 1 when the values have no spread (all equal, non-zero or zero).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { tTestP } from "./stats.ts";
 * // t = 2 / (1 / √3) = 3.464 at df 2: p = 0.0742.
 * assert(Math.abs(tTestP([1, 2, 3])! - 0.07418) < 1e-4 && tTestP([1]) === null);
 * ```
 */
export function tTestP(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values);
  const s = sampleSd(values);
  if (s === 0) return m === 0 ? 1 : 0;
  const t = Math.abs(m) / (s / Math.sqrt(n));
  return Math.min(1, 2 * (1 - studentTCdf(t, n - 1)));
}

/**
 * Holm's step-down adjustment of p-values for a family of tests: the k-th smallest p is
 * multiplied by (m − k + 1), made non-decreasing in that order, and capped at 1. Rejecting
 * where the adjusted p is below α keeps the chance of any false rejection in the family at
 * most α. Returned in the input's order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { holm } from "./stats.ts";
 * assertEquals(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
 * ```
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * pValues[i]));
    adjusted[i] = running;
  });
  return adjusted;
}
