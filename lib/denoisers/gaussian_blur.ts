/**
 * Gaussian blur, the simplest classical denoiser, and a tuner for its width σ.
 *
 * The blur is separable: a 1-D kernel k(t) ∝ exp(−t² / 2σ²), t = −r … r, normalised
 * to sum 1, runs along the rows and then along the columns. Pixels outside the image
 * take the value of the nearest border pixel (clamping, "replicate" padding), so a
 * constant image stays constant and no mass leaks in from an implicit black frame.
 *
 * Pure JavaScript over `Float32Array`; sums are accumulated in float64.
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { tuneParameter } from "./tune.ts";

/** Options of {@linkcode gaussianBlur}. */
export interface GaussianBlurOptions {
  /** Kernel radius r in pixels (the kernel has 2r + 1 taps). @default {Math.ceil(3 * sigma)} */
  radius?: number;
}

/** Options of {@linkcode tuneGaussianSigma}. */
export interface TuneGaussianSigmaOptions {
  /** σ values to try, in order; ties keep the earlier one. @default {[0.3, 0.4, …, 2.0]} */
  candidates?: readonly number[];
}

/** Result of a tuner: the best parameter and its MSE against the clean images. */
export interface GaussianSigmaChoice {
  /** The candidate σ with the lowest MSE. */
  sigma: number;
  /** Mean squared error over every pixel of the blurred noisy images against the clean ones. */
  mse: number;
}

/** Default σ grid of {@linkcode tuneGaussianSigma}: 0.3 to 2.0 in steps of 0.1. */
export const DEFAULT_SIGMA_CANDIDATES: readonly number[] = Array.from(
  { length: 18 },
  (_, i) => (i + 3) / 10,
);

/**
 * Blurs every image with a Gaussian of standard deviation `sigma` pixels (replicate
 * border). Returns new images; the input is untouched. `sigma = 0` returns a copy.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { gaussianBlur } from "./gaussian_blur.ts";
 * const impulse = { data: new Float32Array(25), count: 1, height: 5, width: 5 };
 * impulse.data[12] = 1;
 * const blurred = gaussianBlur(impulse, 1);
 * assert(blurred.data[12] < 1 && blurred.data[11] === blurred.data[13]);
 * ```
 */
export function gaussianBlur(
  images: Images,
  sigma: number,
  options: GaussianBlurOptions = {},
): Images {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`sigma must be a finite number ≥ 0, got ${sigma}`);
  }
  const { radius = Math.ceil(3 * sigma) } = options;
  if (!Number.isInteger(radius) || radius < 0) {
    throw new RangeError(`radius must be an integer ≥ 0, got ${radius}`);
  }
  const { count, height: h, width: w } = images;
  const src = images.data;
  const out = new Float32Array(src.length);
  if (sigma === 0 || radius === 0) {
    // A zero-width Gaussian (or a one-tap kernel, which normalises to [1]) is the identity.
    out.set(src);
    return { data: out, count, height: h, width: w };
  }
  const kernel = gaussianKernel(sigma, radius);
  const size = h * w;
  const tmp = new Float64Array(size);
  for (let n = 0; n < count; n++) {
    const base = n * size;
    // Rows: tmp[y, x] = Σ_t k[t] · src[y, clamp(x + t)].
    for (let y = 0; y < h; y++) {
      const row = base + y * w;
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++) {
          const xx = x + t;
          s += kernel[t + radius] * src[row + (xx < 0 ? 0 : xx >= w ? w - 1 : xx)];
        }
        tmp[y * w + x] = s;
      }
    }
    // Columns: out[y, x] = Σ_t k[t] · tmp[clamp(y + t), x].
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++) {
          const yy = y + t;
          s += kernel[t + radius] * tmp[(yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w + x];
        }
        out[base + y * w + x] = s;
      }
    }
  }
  return { data: out, count, height: h, width: w };
}

/**
 * Picks the σ that minimises the MSE between `gaussianBlur(noisy, σ)` and `clean`.
 * Tune on (a seeded subset of) training images, never on the test set.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { tuneGaussianSigma } from "./gaussian_blur.ts";
 * const clean = { data: new Float32Array(64).fill(0.5), count: 1, height: 8, width: 8 };
 * const noisy = { ...clean, data: clean.data.map((v, i) => v + (i % 2 ? 0.1 : -0.1)) };
 * assert(tuneGaussianSigma(noisy, clean, { candidates: [0.5, 1] }).sigma === 1);
 * ```
 */
export function tuneGaussianSigma(
  noisy: Images,
  clean: Images,
  options: TuneGaussianSigmaOptions = {},
): GaussianSigmaChoice {
  const { candidates = DEFAULT_SIGMA_CANDIDATES } = options;
  const { value, mse } = tuneParameter(noisy, clean, candidates, (x, s) => gaussianBlur(x, s));
  return { sigma: value, mse };
}

/** Normalised 1-D Gaussian taps k[t + r] ∝ exp(−t² / 2σ²), t = −r … r. */
function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) {
    const v = Math.exp(-(t * t) / (2 * sigma * sigma));
    k[t + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}
