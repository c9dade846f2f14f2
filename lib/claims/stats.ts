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
  const nonZero = (v: number) => (Math.abs(v) < 1e-300 ? 1e-300 : v);
  let c = 1;
  let d = 1 / nonZero(1 - ((a + b) * x) / (a + 1));
  let h = d;
  let step = 0;
  // Each m takes an even then an odd term of the fraction.
  for (let m = 1; m <= 1000 && Math.abs(step - 1) >= 1e-15; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    for (const aa of [even, (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 / nonZero(1 + aa * d);
      c = nonZero(1 + aa / c);
      step = d * c;
      h *= step;
    }
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

/** CDF of Student's t with `df` > 0 degrees of freedom: P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  if (t === 0) return 0.5;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = `p` in (0, 1), `df` > 0, by bisection to a relative 1e-12. */
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

/** Quantiles already found, by "p df". */
const quantiles = new Map<string, number>();

/**
 * Student-t interval of the mean, mean ± t·s/√n, at `level` in (0, 1) (@default 0.95);
 * `null` for fewer than two values.
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
