/**
 * Notebook 5's tables: the autoencoder trained and tested at each noise factor against the noisy
 * input (means over seeds), and classical filters without and with the bias correction, tuned as
 * in the sweep (never on the test set) and scored on its test images at the reference factor.
 *
 * @module
 */
import { applyAffineCorrection, biasCorrect } from "../denoisers/bias_correction.ts";
import { type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";
import { mean } from "../claims/stats.ts";
import { msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { prepareData } from "../runs/experiment_data.ts";
import { clipUnit } from "../eval/typicality_control.ts";
import { tuningImages } from "./compute.ts";
import type { SweepRow, SweepSettings } from "./plan.ts";
import { validateConfig } from "../runs/config.ts";

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

/** One row of {@linkcode biasCorrectionTable}: a filter, corrected or not, scored on the test images. */
export interface BiasTableRow {
  method: string;
  /** "yes" or "no". */
  "bias correction": string;
  /** Tuned parameter, then the correction's `a` and `b`. */
  parameter: string;
  /** Output clipped to [0, 1]. */
  "test MSE": number;
  "PSNR (dB)": number;
  SSIM: number;
}

/** Two rows per method of `methods` (default BM3D), without then with the bias correction. */
export async function biasCorrectionTable(
  settings: SweepSettings,
  { methods = ["bm3d"] }: { methods?: readonly ClassicalMethod[] } = {},
): Promise<BiasTableRow[]> {
  const data = await prepareData(validateConfig({ ...settings, noise: settings.referenceNoise }));
  const training = tuningImages(data, settings);
  const clean = data.dataset.test;
  const rows: BiasTableRow[] = [];
  for (const method of methods) {
    const plain = DENOISERS[method].fit(training);
    const corrected = biasCorrect(plain, training);
    // The filter runs once on the test images; the correction maps its output.
    const raw = plain.apply(data.noisyTest);
    const outputs = [raw, applyAffineCorrection(raw, corrected.correction)];
    for (const [i, fitted] of [plain, corrected].entries()) {
      const output = clipUnit(outputs[i]);
      rows.push({
        method: DENOISERS[method].label,
        "bias correction": i === 0 ? "no" : "yes",
        parameter: fitted.parameter,
        "test MSE": mean(msePerImage(clean, output)),
        "PSNR (dB)": mean(psnrPerImage(clean, output)),
        SSIM: mean(ssimPerImage(clean, output)),
      });
    }
  }
  return rows;
}
