/**
 * The classical filters without and with the bias correction for clipped noise (the sweep's
 * rows have it), on a sweep's test images at one factor: notebook 5's table. Each filter is
 * tuned as in the sweep, and the correction fitted on the same training images, never the test set.
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
  /** Display name of the filter. */
  method: string;
  /** "yes" with the correction, "no" without. */
  "bias correction": string;
  /** Tuned parameter, then the correction's `a` and `b`. */
  parameter: string;
  /** Mean test MSE (output clipped to [0, 1]). */
  "test MSE": number;
  /** Mean per-image PSNR (dB). */
  "PSNR (dB)": number;
  /** Mean SSIM. */
  SSIM: number;
}

/**
 * Two rows per method of `methods` (default BM3D), without then with the bias correction,
 * scored like the sweep's rows on its noisy test images at the reference factor.
 */
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
