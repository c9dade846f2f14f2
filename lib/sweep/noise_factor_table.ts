/**
 * Notebook 5's table: the autoencoder trained and tested at each noise factor, against the noisy
 * input, means over seeds.
 *
 * @module
 */
import { mean } from "../claims/stats.ts";
import type { SweepRow } from "./plan.ts";

/** The autoencoder trained and tested at each factor against the noisy input, means over seeds. */
export function noiseFactorTable(rows: readonly SweepRow[]): Record<string, number>[] {
  const ae = rows.filter((r) =>
    r.method === "ae" && r.variant === "" && r.train_noise_factor === r.noise_factor
  );
  const factors = [...new Set(ae.map((r) => r.noise_factor))].sort((a, b) => a - b);
  return factors.map((f) => {
    const at = ae.filter((r) => r.noise_factor === f);
    const noisy = rows.find((n) => n.method === "noisy" && n.noise_factor === f);
    return {
      "noise factor": f,
      seeds: at.length,
      "test MSE": mean(at.map((r) => r.mse)),
      "noisy MSE": noisy?.mse ?? NaN,
      "PSNR (dB)": mean(at.map((r) => r.psnr)),
      "noisy PSNR (dB)": noisy?.psnr ?? NaN,
      SSIM: mean(at.map((r) => r.ssim)),
      "noisy SSIM": noisy?.ssim ?? NaN,
    };
  });
}
