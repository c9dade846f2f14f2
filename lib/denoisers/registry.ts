/**
 * The classical denoisers behind one interface, and the registry the sweep reads. Each
 * denoiser maps images to images; a tuned one first chooses its parameter for the lowest
 * MSE on noisy training images (never the test set). Adding a denoiser is one entry in
 * {@linkcode DENOISERS}: a label, whether it tunes, and its `fit` (BM3D was added so).
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { bm3d, DEFAULT_BM3D_SIGMA_CANDIDATES } from "./bm3d.ts";
import { withBiasCorrection } from "./bias_correction.ts";
import { tuneParameter } from "./tune.ts";
import { gaussianBlur, tuneGaussianSigma } from "./gaussian_blur.ts";
import { medianFilter } from "./median_filter.ts";
import { nonLocalMeans, tuneNlmH } from "./non_local_means.ts";
import { tuneWaveletThreshold, waveletDenoise } from "./wavelet_denoise.ts";

/** A denoiser ready to run, and the parameter it runs with (e.g. "sigma=1.1"). */
export interface FittedDenoiser {
  /** Denoises `[n, h, w, 1]` images in [0, 1]; returns new images (may overshoot [0, 1]). */
  apply: (images: Images) => Images;
  /** The parameter it runs with, for tables; "" when it has none. */
  parameter: string;
}

/** Noisy training images and their clean originals, for tuning. */
export interface TuningImages {
  /** Noisy training images. */
  noisy: Images;
  /** The same images, clean. */
  clean: Images;
}

/** A classical denoiser: images in, images out, with optional tuning. */
export interface Denoiser {
  /** Display name, for tables and chart legends. */
  label: string;
  /** Whether {@linkcode Denoiser.fit} tunes on the training images (else it ignores them). */
  tuned: boolean;
  /** The denoiser to apply, tuned on `training` when {@linkcode Denoiser.tuned}. */
  fit: (training: TuningImages) => FittedDenoiser;
}

/**
 * h grid of the non-local-means tuning: log-spaced from 0.01 (strong clipped noise wants
 * a small h with the measured σ) to 1, coarse enough that tuning stays a few seconds.
 */
export const NLM_H_CANDIDATES: readonly number[] = [
  0.01,
  0.02,
  0.03,
  0.05,
  0.07,
  0.1,
  0.15,
  0.2,
  0.3,
  0.5,
  0.7,
  1,
];

/** Root-mean-square of (noisy − clean): the effective noise level after clipping. */
function noiseRms(noisy: Images, clean: Images): number {
  let s = 0;
  for (let i = 0; i < noisy.data.length; i++) s += (noisy.data[i] - clean.data[i]) ** 2;
  return Math.sqrt(s / noisy.data.length);
}

/**
 * Non-local means tuned on `training`. Clipping shrinks the noise, so σ = f is wrong (see
 * non_local_means.ts): it tries the measured RMS and σ = 0, each over
 * {@linkcode NLM_H_CANDIDATES}, and keeps the lowest MSE.
 */
export function fitNonLocalMeans({ noisy, clean }: TuningImages): FittedDenoiser {
  const rms = Number(noiseRms(noisy, clean).toPrecision(4));
  const { h, sigma } = [rms, 0]
    .map((sigma) => ({ sigma, ...tuneNlmH(noisy, clean, { sigma, candidates: NLM_H_CANDIDATES }) }))
    .reduce((a, b) => (b.mse < a.mse ? b : a));
  return { apply: (x) => nonLocalMeans(x, { h, sigma }), parameter: `h=${h} sigma=${sigma}` };
}

/**
 * The classical denoisers of the sweep, in its row order. `noisy` returns a copy of its
 * input: the do-nothing baseline.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_testing_assert.ts";
 * import { DENOISERS } from "./registry.ts";
 * const x = { data: new Float32Array(9).fill(0.5), count: 1, height: 3, width: 3 };
 * const median = DENOISERS.median.fit({ noisy: x, clean: x });
 * assertEquals([median.parameter, median.apply(x).data[4]], ["3×3", 0.5]);
 * ```
 */
export const DENOISERS = Object.freeze(
  {
    noisy: {
      label: "noisy input",
      tuned: false,
      fit: (_: TuningImages) => ({
        apply: (x: Images) => ({ ...x, data: x.data.slice() }),
        parameter: "",
      }),
    },
    median: {
      label: "median 3×3",
      tuned: false,
      fit: (_: TuningImages) => ({
        apply: (x: Images) => medianFilter(x, { size: 3 }),
        parameter: "3×3",
      }),
    },
    gaussian: {
      label: "Gaussian blur",
      tuned: true,
      fit: ({ noisy, clean }: TuningImages) => {
        const { sigma } = tuneGaussianSigma(noisy, clean);
        return { apply: (x: Images) => gaussianBlur(x, sigma), parameter: `sigma=${sigma}` };
      },
    },
    nlm: { label: "non-local means", tuned: true, fit: fitNonLocalMeans },
    wavelet: {
      label: "wavelet (starlet)",
      tuned: true,
      fit: ({ noisy, clean }: TuningImages) => {
        const { threshold } = tuneWaveletThreshold(noisy, clean);
        return {
          apply: (x: Images) => waveletDenoise(x, { threshold }),
          parameter: `threshold=${threshold}`,
        };
      },
    },
    bm3d: {
      label: "BM3D",
      tuned: true,
      // σ tuned on the same seeded subset of noisy training images as the other tuned filters.
      fit: ({ noisy, clean }: TuningImages) => {
        const { value: sigma } = tuneParameter(
          noisy,
          clean,
          DEFAULT_BM3D_SIGMA_CANDIDATES,
          (x, value) => bm3d(x, { sigma: value }),
        );
        return { apply: (x: Images) => bm3d(x, { sigma }), parameter: `sigma=${sigma}` };
      },
    },
  } satisfies Record<string, Denoiser>,
);

/** A method of {@linkcode DENOISERS}. */
export type ClassicalMethod = keyof typeof DENOISERS;

/** The names of {@linkcode DENOISERS}, in order. */
export const CLASSICAL_METHODS = Object.keys(DENOISERS) as ClassicalMethod[];

/** Options of {@linkcode classicalDenoiser}. */
export interface ClassicalOptions {
  /**
   * Follow the filter by the bias correction for clipped noise, an affine map of its output
   * fitted on the noisy training images (lib/denoisers/bias_correction.ts). @default false
   */
  biasCorrection?: boolean;
}

/**
 * The registered denoiser `method`, with the bias correction for clipped noise when asked.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_testing_assert.ts";
 * import { classicalDenoiser } from "./registry.ts";
 * assertEquals(classicalDenoiser("bm3d", { biasCorrection: true }).label, "BM3D + bias correction");
 * ```
 */
export function classicalDenoiser(
  method: ClassicalMethod,
  { biasCorrection = false }: ClassicalOptions = {},
): Denoiser {
  const denoiser = DENOISERS[method];
  if (!denoiser) throw new RangeError(`unknown classical method "${method}"`);
  return biasCorrection ? withBiasCorrection(denoiser) : denoiser;
}
