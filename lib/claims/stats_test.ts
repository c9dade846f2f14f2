import { assert, assertAlmostEquals, assertEquals } from "../_testing_assert.ts";
import { createRng } from "../data/random.ts";
import { holm, mean, sampleSd, studentTCdf, studentTQuantile, tInterval, tTestP } from "./stats.ts";

Deno.test("mean() and sampleSd() match hand-computed values", () => {
  assertEquals(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
  // Σ(x − 5)² = 32, over n − 1 = 7.
  assertAlmostEquals(sampleSd([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7), 1e-15);
  assertEquals([Number.isNaN(mean([])), Number.isNaN(sampleSd([3]))], [true, true]);
});

Deno.test("studentTCdf() matches the closed forms for 1 and 2 degrees of freedom", () => {
  for (const t of [-30, -2.5, -0.3, 0, 0.7, 1, 4, 100]) {
    // df 1 is the Cauchy distribution; df 2 has F(t) = ½ + t / (2√(2 + t²)).
    assertAlmostEquals(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13, `df 1, t ${t}`);
    assertAlmostEquals(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13, `t ${t}`);
  }
});

Deno.test("studentTQuantile() gives the tabulated two-sided 95% and one-sided 95% values", () => {
  // Student-t tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), more digits from R's qt().
  const table: [p: number, df: number, t: number][] = [
    [0.975, 1, 12.706204736],
    [0.975, 2, 4.302652730],
    [0.975, 3, 3.182446305],
    [0.975, 4, 2.776445105],
    [0.975, 9, 2.262157163],
    [0.975, 30, 2.042272456],
    [0.95, 5, 2.015048373],
    [0.995, 10, 3.169272673],
    [0.975, 1e6, 1.959966],
  ];
  for (const [p, df, t] of table) {
    assertAlmostEquals(studentTQuantile(p, df), t, 2e-6, `t_{${p}, ${df}}`);
  }
});

Deno.test("tInterval() is mean ± t·s/√n, and unavailable for one value", () => {
  const i = tInterval([0.0178, 0.0181, 0.0176])!;
  const m = (0.0178 + 0.0181 + 0.0176) / 3;
  const half = 4.302652730 * sampleSd([0.0178, 0.0181, 0.0176]) / Math.sqrt(3);
  assertAlmostEquals(i.estimate, m, 1e-15);
  assertAlmostEquals(i.low, m - half, 1e-9);
  assertAlmostEquals(i.high, m + half, 1e-9);
  assertEquals(i.level, 0.95);
  assertEquals(tInterval([0.0178]), null);
  assertEquals(tInterval([]), null);
});

Deno.test("tInterval() covers the true mean about 95% of the time with three seeds", () => {
  const rng = createRng(11);
  const trials = 4000;
  let covered = 0;
  for (let k = 0; k < trials; k++) {
    const i = tInterval([rng.normal(), rng.normal(), rng.normal()])!;
    if (i.low <= 0 && 0 <= i.high) covered++;
  }
  // Binomial SD at 95%: √(0.95·0.05/4000) ≈ 0.0034; a z (1.96) quantile would cover only ~0.82.
  assertAlmostEquals(covered / trials, 0.95, 0.012);
});

Deno.test("tTestP() matches scipy's ttest_1samp, and rejects at 5% exactly when the 95% t-interval excludes 0", () => {
  // scipy.stats.ttest_1samp([0.3, 0.5, 0.4, 0.9], 0).pvalue = 0.028147 (t = 3.992, df 3).
  assert(Math.abs(tTestP([0.3, 0.5, 0.4, 0.9])! - 0.028147) < 1e-5);
  const rng = createRng(11);
  for (let k = 0; k < 200; k++) {
    const v = Array.from({ length: 3 }, () => rng.normal() + 0.8);
    const i = tInterval(v)!;
    assertEquals(tTestP(v)! < 0.05, i.low > 0 || i.high < 0);
  }
  assertEquals([tTestP([2, 2]), tTestP([0, 0]), tTestP([])], [0, 1, null]);
});

Deno.test("holm() is Bonferroni for the smallest p, monotone in p, and capped at 1", () => {
  const p = [0.2, 0.001, 0.04, 0.03, 0.5];
  const a = holm(p);
  assertEquals(a[1], 0.005);
  const order = p.map((_, i) => i).sort((x, y) => p[x] - p[y]);
  for (let k = 1; k < order.length; k++) assert(a[order[k]] >= a[order[k - 1]]);
  for (let i = 0; i < p.length; i++) assert(a[i] >= p[i] && a[i] <= 1);
  assertEquals(holm([0.9, 0.8]), [1, 1]);
  assertEquals(holm([]), []);
});
