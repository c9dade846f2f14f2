/**
 * One trained run set against the report (notebook 4).
 *
 * @module
 */
import type { RunMetrics } from "../runs/run_folder.ts";
import { REPORT_TEST_MSE } from "./words.ts";

/** The run's test metrics beside the noisy input's and the report's: rows, and MSE bars. */
export function reportMetrics(
  m: Pick<
    RunMetrics,
    "test_mse" | "noisy_mse" | "test_psnr" | "noisy_psnr" | "test_ssim" | "noisy_ssim"
  >,
) {
  return {
    table: [
      {
        metric: "MSE",
        "noisy input": m.noisy_mse,
        autoencoder: m.test_mse,
        report: REPORT_TEST_MSE,
      },
      { metric: "PSNR (dB)", "noisy input": m.noisy_psnr, autoencoder: m.test_psnr, report: "—" },
      { metric: "SSIM", "noisy input": m.noisy_ssim, autoencoder: m.test_ssim, report: "—" },
    ],
    bars: [
      { label: "noisy input", value: m.noisy_mse },
      { label: "autoencoder (here)", value: m.test_mse },
      { label: "autoencoder (report)", value: REPORT_TEST_MSE },
    ],
  };
}
