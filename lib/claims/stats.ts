/**
 * Statistics over seeds: mean, sample SD, Student-t interval and t-test, Holm's adjustment.
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

/**
 * CDF of Student's t with a whole number `df` ≥ 1 of degrees of freedom: P(T ≤ t), from the
 * finite series of Abramowitz & Stegun 26.7.3–4 in θ = atan(t/√df).
 */
export function studentTCdf(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const odd = df % 2 === 1;
  let sum = 0;
  for (let i = odd ? 3 : 2, a = odd ? Math.cos(theta) : 1; i <= df; i += 2) {
    sum += a;
    a *= Math.cos(theta) ** 2 * (i - 1) / i;
  }
  const sin = Math.sin(theta);
  return 0.5 + (odd ? (theta + sin * sum) / Math.PI : sin * sum / 2);
}

/** The t with P(T ≤ t) = `p` in (0.5, 1), whole `df` ≥ 1, by bisection to a relative 1e-12. */
export function studentTQuantile(p: number, df: number): number {
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
  return (low + high) / 2;
}

/**
 * Student-t interval of the mean, mean ± t·s/√n, at `level` in (0, 1) (@default 0.95);
 * `null` for fewer than two values.
 */
export function tInterval(values: ArrayLike<number>, level = 0.95): Interval | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values);
  const half = studentTQuantile((1 + level) / 2, n - 1) * sampleSd(values) / Math.sqrt(n);
  return { estimate: m, low: m - half, high: m + half, level };
}

/**
 * Two-sided p of the one-sample t-test that the mean is zero; `null` for fewer than two
 * values, 0 or 1 when they have no spread.
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

/** Holm's step-down adjusted p-values (family-wise error at most α), in the input's order. */
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
