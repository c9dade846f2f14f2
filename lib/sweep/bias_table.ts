/**
 * Notebook 5's table: classical filters without and with the bias correction, tuned as in the
 * sweep (never on the test set) and scored on its test images at the reference factor.
 *
 * @module
 */
import { applyAffineCorrection, biasCorrect } from "../denoisers/bias_correction.ts";
import { type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";
import { mean } from "../claims/stats.ts";
import { msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { prepareData } from "../runs/experiment_data.ts";
import { clip01, tuningImages } from "./compute.ts";
import { settingsToConfig, type SweepSettings } from "./plan.ts";

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
  const data = await prepareData(settingsToConfig(settings, { noise: settings.referenceNoise }));
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
      const output = clip01(outputs[i]);
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
