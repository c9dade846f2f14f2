/**
 * The classical filters with and without the bias correction for clipped noise
 * (lib/denoisers/bias_correction.ts), on a sweep's test images at one noise factor: notebook
 * 5's table. Each filter is tuned once, as in the sweep, on the sweep's seeded subset of noisy
 * training images; the correction is then fitted on the same training images, never the test set.
 *
 * @module
 */
import { applyAffineCorrection, biasCorrect } from "../denoisers/bias_correction.ts";
import { type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";
import type { Images } from "../data/images.ts";
import { mean } from "../claims/stats.ts";
import { msePerImage, psnrPerImage, ssimPerImage } from "../eval/metrics.ts";
import { prepareData } from "../runs/experiment_data.ts";
import { tuningImages } from "./cell_compute.ts";
import { settingsToConfig, type SweepSettings } from "./plan.ts";

/** Options of {@linkcode biasCorrectionTable}. */
export interface BiasTableOptions {
  /** Filters to show, each with and without the correction. @default ["bm3d"] */
  methods?: readonly ClassicalMethod[];
  /** Noise factor of the training and test images. @default settings.referenceNoise */
  noise?: number;
}

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

/** Clipped to [0, 1], as the sweep scores every output. */
function clip01(images: Images): Images {
  return { ...images, data: images.data.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v)) };
}

/**
 * Two rows per method, without then with the bias correction, scored like the sweep's rows
 * on the sweep's noisy test images at `noise` (the same seeded draws).
 *
 * @example
 * ```ts ignore
 * import { biasCorrectionTable } from "./bias_table.ts";
 * const rows = await biasCorrectionTable(sweep.settings, { methods: ["bm3d"] });
 * ```
 */
export async function biasCorrectionTable(
  settings: SweepSettings,
  options: BiasTableOptions = {},
): Promise<BiasTableRow[]> {
  const { methods = ["bm3d"], noise = settings.referenceNoise } = options;
  const data = await prepareData(settingsToConfig(settings, { noise }));
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
