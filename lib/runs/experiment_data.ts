/**
 * What a run trains and is scored on, from its settings: the seeded noisy images, the model,
 * and the image-size checks; and the three metrics of a denoised batch.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ExperimentConfig } from "./config.ts";
import { type Dataset, loadDataset } from "../data/datasets.ts";
import { buildDnCNN } from "../model/dncnn.ts";
import { InputError } from "../errors.ts";
import type { Images } from "../data/images.ts";
import { DEFAULT_SSIM_WINDOW, mse, psnr, ssim } from "../eval/metrics.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { addNoise } from "../data/noise.ts";

/** The noisy and clean images a config trains, validates and tests on; the noise is seeded. */
export interface ExperimentData {
  /** The loaded dataset (clean); `dataset.validation` is set when validation is "split". */
  dataset: Dataset;
  /** Noisy training images. */
  noisyTrain: Images;
  /** Clean validation images: the hold-out, or the test images when validation is "test". */
  validation: Images;
  /** Noisy validation images (the very `noisyTest` when validation is "test"). */
  noisyValidation: Images;
  /** Noisy test images. */
  noisyTest: Images;
}

/**
 * Seeds of the three noise draws: training noise follows the training seed (odd), validation
 * (negative) and test noise (even) the data seed, so no two draws share a seed and runs that
 * differ only in `seed` score bit-identical noisy images.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { noiseSeeds } from "./experiment_data.ts";
 * const s = noiseSeeds({ ...DEFAULT_CONFIG, seed: 3 });
 * assert(s.train === 7 && s.test === 2 && s.validation === -1);
 * ```
 */
export function noiseSeeds(
  config: Pick<ExperimentConfig, "seed" | "dataSeed">,
): { train: number; validation: number; test: number } {
  return {
    train: config.seed * 2 + 1,
    validation: -(config.dataSeed + 1),
    test: config.dataSeed * 2 + 2,
  };
}

/**
 * Loads the dataset (split, subsets and hold-out by `config.dataSeed`) and adds the config's
 * noise, drawn once per image from the seeds of {@linkcode noiseSeeds}.
 */
export async function prepareData(config: ExperimentConfig): Promise<ExperimentData> {
  const dataset = await loadDataset(config.dataset, {
    train: config.train,
    test: config.test,
    seed: config.dataSeed,
    validationSplit: config.validation === "split" ? config.validationSplit : 0,
  });
  checkImageSize(config, dataset.train.height, dataset.train.width);
  const noise = { type: config.noiseType, mean: config.noiseMean };
  const seeds = noiseSeeds(config);
  const noisyTest = addNoise(dataset.test, config.noise, { ...noise, seed: seeds.test });
  const validation = dataset.validation ?? dataset.test;
  return {
    dataset,
    noisyTrain: addNoise(dataset.train, config.noise, { ...noise, seed: seeds.train }),
    validation,
    noisyValidation: dataset.validation
      ? addNoise(dataset.validation, config.noise, { ...noise, seed: seeds.validation })
      : noisyTest,
    noisyTest,
  };
}

/**
 * Throws {@linkcode InputError} with one line unless `height`×`width` images fit the model: square,
 * at least the SSIM window (11), and for the autoencoder a multiple of 4 (two stride-2 layers).
 */
function checkImageSize(config: Pick<ExperimentConfig, "model">, height: number, width: number) {
  const four = config.model === "autoencoder";
  const min = four ? Math.ceil(DEFAULT_SSIM_WINDOW / 4) * 4 : DEFAULT_SSIM_WINDOW;
  if (height !== width || height < min || (four && height % 4 !== 0)) {
    const need = four
      ? `square images with a side divisible by 4 (two stride-2 layers) and at least ${min}`
      : `square images with a side of at least ${min}`;
    throw new InputError(
      `images are ${height}×${width}; the ${config.model} needs ${need} ` +
        `(the SSIM window is ${DEFAULT_SSIM_WINDOW}×${DEFAULT_SSIM_WINDOW})`,
    );
  }
}

/** Builds the config's learned model, untrained. The caller disposes it. */
export function buildModel(config: ExperimentConfig, imageSize = 28): tf.LayersModel {
  if (config.model === "dncnn") return buildDnCNN({ seed: config.seed, imageSize });
  return buildAutoencoder({
    latentDim: config.latent,
    dropout: config.dropout,
    seed: config.seed,
    imageSize,
  }).autoencoder;
}

/** MSE, PSNR and SSIM of `output` and of `noisy` against `clean`. */
export function denoisingMetrics(clean: Images, noisy: Images, output: Images) {
  return {
    test_mse: mse(clean, output),
    noisy_mse: mse(clean, noisy),
    test_psnr: psnr(clean, output),
    noisy_psnr: psnr(clean, noisy),
    test_ssim: ssim(clean, output),
    noisy_ssim: ssim(clean, noisy),
  };
}
