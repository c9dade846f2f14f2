import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";
import type { Images } from "../data/images.ts";
import { reportMetrics, typicality } from "./run_claims.ts";
import { REPORT_TEST_MSE } from "./words.ts";

Deno.test("reportMetrics() sets the run's metrics beside the report's MSE", () => {
  const m = {
    test_mse: 0.02,
    noisy_mse: 0.1,
    test_psnr: 1,
    noisy_psnr: 0,
    test_ssim: 1,
    noisy_ssim: 0,
  };
  const { table, bars } = reportMetrics(m);
  assertEquals(bars.map((b) => b.value), [0.1, 0.02, REPORT_TEST_MSE]);
  assertEquals(table[0].autoencoder, 0.02);
});

Deno.test("typicality() counts how many digits the reconstruction brings closer to the average", () => {
  // 10 one-pixel images: the average is 0.5; image 0 is the atypical one (farthest).
  const clean: Images = {
    data: Float32Array.from([1, ...Array(9).fill(0.6)]),
    count: 10,
    height: 1,
    width: 1,
  };
  const typical: Images = { ...clean, data: new Float32Array(10).fill(0.5) };
  const pulled = typicality(clean, {
    ...clean,
    data: Float32Array.from([0.7, ...Array(9).fill(0.6)]),
  }, typical);
  assertEquals([pulled.atypical, pulled.others, pulled.tidied], [1, 0, [0]]);
  // Image 0 went from (1 − 0.5)² = 0.25 to (0.7 − 0.5)² = 0.04 from the average.
  assertAlmostEquals(pulled.pull, 0.21, 1e-6);
  assert(pulled.verdict.startsWith("**The data agree"), pulled.verdict);
  const kept = typicality(clean, clean, typical);
  assert(kept.verdict.startsWith("**The data disagree"), kept.verdict);
});
