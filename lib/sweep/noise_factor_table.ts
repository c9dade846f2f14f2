/**
 * Notebook 5's table: the autoencoder trained and tested at each noise factor, against the noisy
 * input, means over seeds.
 *
 * @module
 */
import type { SweepRow } from "./plan.ts";

/** Rows by increasing test factor, with mean MSE, PSNR and SSIM over seeds. */
function byFactor(rows: readonly SweepRow[]) {
  const factors = [...new Set(rows.map((r) => r.noise_factor))].sort((a, b) => a - b);
  return factors.map((f) => {
    const at = rows.filter((r) => r.noise_factor === f);
    const avg = (k: "mse" | "psnr" | "ssim") => at.reduce((sum, r) => sum + r[k], 0) / at.length;
    return { f, seeds: at.length, mse: avg("mse"), psnr: avg("psnr"), ssim: avg("ssim") };
  });
}

/** The autoencoder trained and tested at each factor against the noisy input, means over seeds. */
export function noiseFactorTable(rows: readonly SweepRow[]): Record<string, number>[] {
  const ae = rows.filter((r) =>
    r.method === "ae" && r.variant === "" &&
    r.train_noise_factor === r.noise_factor
  );
  return byFactor(ae).map((r) => {
    const noisy = rows.find((n) => n.method === "noisy" && n.noise_factor === r.f);
    return {
      "noise factor": r.f,
      seeds: r.seeds,
      "test MSE": r.mse,
      "noisy MSE": noisy?.mse ?? NaN,
      "PSNR (dB)": r.psnr,
      "noisy PSNR (dB)": noisy?.psnr ?? NaN,
      SSIM: r.ssim,
      "noisy SSIM": noisy?.ssim ?? NaN,
    };
  });
}
