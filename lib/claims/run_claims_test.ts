import { assertEquals } from "../_assert.ts";
import { reportMetrics } from "./run_claims.ts";
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
