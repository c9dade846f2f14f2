/**
 * What a run trains and is scored on: the seeded noisy images, the model, the metrics.
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
  /** The clean dataset; `dataset.validation` is set when validation is "split". */
  dataset: Dataset;
  noisyTrain: Images;
  /** Clean validation images: the hold-out, or the test images when validation is "test". */
  validation: Images;
  /** The very `noisyTest` when validation is "test". */
  noisyValidation: Images;
  noisyTest: Images;
}

/** Seeds of the noise draws: training from `seed`, validation and test from `dataSeed`. */
export function noiseSeeds({ seed, dataSeed }: Pick<ExperimentConfig, "seed" | "dataSeed">) {
  return { train: seed * 2 + 1, validation: -(dataSeed + 1), test: dataSeed * 2 + 2 };
}

/** Loads the dataset (by `config.dataSeed`) and adds noise seeded by {@linkcode noiseSeeds}. */
export async function prepareData(config: ExperimentConfig): Promise<ExperimentData> {
  const dataset = await loadDataset(config.dataset, {
    train: config.train,
    test: config.test,
    seed: config.dataSeed,
    validationSplit: config.validation === "split" ? config.validationSplit : 0,
  });
  checkImageSize(config, dataset.train.height, dataset.train.width);
  const seeds = noiseSeeds(config);
  const noisy = (images: Images, seed: number) =>
    addNoise(images, config.noise, { type: config.noiseType, mean: config.noiseMean, seed });
  const noisyTest = noisy(dataset.test, seeds.test);
  return {
    dataset,
    noisyTrain: noisy(dataset.train, seeds.train),
    validation: dataset.validation ?? dataset.test,
    noisyValidation: dataset.validation ? noisy(dataset.validation, seeds.validation) : noisyTest,
    noisyTest,
  };
}

/** One-line InputError unless the images are square, at least 11, and for the autoencoder ×4. */
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
  const { seed, latent: latentDim, dropout } = config;
  if (config.model === "dncnn") return buildDnCNN({ seed, imageSize });
  return buildAutoencoder({ latentDim, dropout, seed, imageSize }).autoencoder;
}

/** MSE, mean PSNR (dB), mean SSIM against `clean` of `output` (`test_`) and `noisy` (`noisy_`). */
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
