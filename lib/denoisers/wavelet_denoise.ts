/**
 * Wavelet soft-thresholding over the starlet (isotropic undecimated "à trous") transform
 * of Starck, Fadili & Murtagh 2007, and a tuner for its threshold.
 *
 * Transform, with B the separable B3-spline kernel [1, 4, 6, 4, 1] / 16 whose taps are
 * spread 2ʲ pixels apart at scale j (replicate border):
 *
 *   c₀ = v,  c_{j+1} = B_j ∗ c_j,  w_{j+1} = c_j − c_{j+1},  v = c_J + Σ_{j=1…J} w_j
 *
 * so the image is exactly the coarse residual plus the detail planes. Denoising shrinks
 * every detail coefficient towards 0 by t·σ_j and adds the planes back:
 *
 *   out = c_J + Σ_j soft(w_j, t·σ_j),  soft(w, τ) = sign(w)·max(|w| − τ, 0)
 *
 * where σ_j is the standard deviation that unit white noise has in plane j (so t is in the
 * units of the noise's standard deviation, like the usual "threshold = k·σ"; t ≈ 2–3 × the
 * noise RMS is typical). Pure JavaScript over typed arrays.
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { tuneParameter } from "./tune.ts";

/** Options of {@linkcode waveletDenoise}. */
export interface WaveletDenoiseOptions {
  /** Threshold t ≥ 0 in pixel-value units; plane j is shrunk by t·σ_j. 0 is the identity. */
  threshold: number;
  /** Number of detail scales J; an integer ≥ 1. @default {3} */
  levels?: number;
}

/** Options of {@linkcode tuneWaveletThreshold}. */
export interface TuneWaveletThresholdOptions {
  /** Thresholds to try, in order; ties keep the earlier one. @default {[0.05, 0.1, …, 1.5]} */
  candidates?: readonly number[];
  /** Number of detail scales J. @default {3} */
  levels?: number;
}

/** Result of {@linkcode tuneWaveletThreshold}. */
export interface WaveletThresholdChoice {
  /** The candidate threshold with the lowest MSE. */
  threshold: number;
  /** Mean squared error over every pixel of the denoised noisy images against the clean ones. */
  mse: number;
}

/** Default detail scales of {@linkcode waveletDenoise}. */
export const DEFAULT_WAVELET_LEVELS = 3;
/** Default threshold grid of {@linkcode tuneWaveletThreshold}: 0.05 to 1.5 in steps of 0.05. */
export const DEFAULT_THRESHOLD_CANDIDATES: readonly number[] = Array.from(
  { length: 30 },
  (_, i) => (i + 1) / 20,
);

const B3 = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/**
 * Soft-thresholds the starlet detail planes of every image. Returns new images; the input
 * is untouched. The output is not clipped to [0, 1].
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { waveletDenoise } from "./wavelet_denoise.ts";
 * const img = { data: new Float32Array(64).map((_, i) => i % 3), count: 1, height: 8, width: 8 };
 * const same = waveletDenoise(img, { threshold: 0 });
 * assert(same.data.every((v, i) => Math.abs(v - img.data[i]) < 1e-5));
 * ```
 */
export function waveletDenoise(images: Images, options: WaveletDenoiseOptions): Images {
  const { threshold, levels = DEFAULT_WAVELET_LEVELS } = options;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) {
    throw new RangeError(`threshold must be a finite number ≥ 0, got ${threshold}`);
  }
  if (!Number.isInteger(levels) || levels < 1) {
    throw new RangeError(`levels must be an integer ≥ 1, got ${levels}`);
  }
  const { count, height: h, width: w } = images;
  const plane = h * w;
  const sigmas = planeNoiseStd(levels);
  const out = new Float32Array(images.data.length);
  let c = new Float64Array(plane);
  let next = new Float64Array(plane);
  const tmp = new Float64Array(plane);
  const sum = new Float64Array(plane);
  for (let n = 0; n < count; n++) {
    const base = n * plane;
    for (let i = 0; i < plane; i++) c[i] = images.data[base + i];
    sum.fill(0);
    for (let j = 0; j < levels; j++) {
      smooth(c, next, tmp, h, w, 1 << j);
      const tau = threshold * sigmas[j];
      for (let i = 0; i < plane; i++) {
        const d = c[i] - next[i];
        sum[i] += d > tau ? d - tau : d < -tau ? d + tau : 0;
      }
      [c, next] = [next, c];
    }
    for (let i = 0; i < plane; i++) out[base + i] = c[i] + sum[i];
  }
  return { data: out, count, height: h, width: w };
}

/**
 * Picks the threshold that minimises the MSE between `waveletDenoise(noisy, …)` and `clean`.
 * Tune on (a seeded subset of) training images, never on the test set.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { tuneWaveletThreshold } from "./wavelet_denoise.ts";
 * const clean = { data: new Float32Array(64).fill(0.5), count: 1, height: 8, width: 8 };
 * const noisy = { ...clean, data: clean.data.map((v, i) => v + (i % 2 ? 0.1 : -0.1)) };
 * assert(tuneWaveletThreshold(noisy, clean, { candidates: [0, 1] }).threshold === 1);
 * ```
 */
export function tuneWaveletThreshold(
  noisy: Images,
  clean: Images,
  options: TuneWaveletThresholdOptions = {},
): WaveletThresholdChoice {
  const { candidates = DEFAULT_THRESHOLD_CANDIDATES, levels } = options;
  const { value, mse } = tuneParameter(
    noisy,
    clean,
    candidates,
    (x, threshold) => waveletDenoise(x, { threshold, levels }),
  );
  return { threshold: value, mse };
}

/** dst = B_j ∗ src: the B3 kernel with taps `step` apart, rows then columns, clamped. */
function smooth(
  src: Float64Array,
  dst: Float64Array,
  tmp: Float64Array,
  h: number,
  w: number,
  step: number,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) {
        const xx = x + t * step;
        s += B3[t + 2] * src[y * w + (xx < 0 ? 0 : xx >= w ? w - 1 : xx)];
      }
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) {
        const yy = y + t * step;
        s += B3[t + 2] * tmp[(yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w + x];
      }
      dst[y * w + x] = s;
    }
  }
}

/**
 * σ_j for j = 1 … levels: the ℓ² norm of plane j's response to a unit impulse, i.e. the
 * standard deviation of w_j under unit white noise, away from the border.
 */
function planeNoiseStd(levels: number): Float64Array {
  // c_J's support radius is Σ_j 2·2ʲ < 2^{J+1}; a grid twice that never reaches the border.
  const size = 2 * (1 << (levels + 1)) + 1;
  const plane = size * size;
  let c = new Float64Array(plane);
  let next = new Float64Array(plane);
  const tmp = new Float64Array(plane);
  c[(plane - 1) / 2] = 1;
  const sigmas = new Float64Array(levels);
  for (let j = 0; j < levels; j++) {
    smooth(c, next, tmp, size, size, 1 << j);
    let s = 0;
    for (let i = 0; i < plane; i++) s += (c[i] - next[i]) ** 2;
    sigmas[j] = Math.sqrt(s);
    [c, next] = [next, c];
  }
  return sigmas;
}
