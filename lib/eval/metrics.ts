/**
 * Image-quality metrics on plain {@linkcode Images} batches: MSE, PSNR and SSIM,
 * per image and averaged. Pure JavaScript (no tfjs), accumulating in float64,
 * so a 10,000-image MNIST test set takes well under a second per metric.
 *
 * Conventions follow `tf.image.psnr` / `tf.image.ssim` (and Wang et al. 2004 for
 * SSIM), so numbers are comparable with the Python/Keras report.
 *
 * @module
 */
import type { Images, LabeledImages } from "../data/images.ts";

/** Default peak signal value (pixels live in [0, 1]). */
export const DEFAULT_MAX_VALUE = 1;
/**
 * Default ceiling on PSNR in dB. Identical images have MSE 0 and PSNR +∞, which
 * would make every mean +∞; capping keeps means finite. 100 dB is far above any
 * PSNR a float32 reconstruction reaches on [0, 1] data (≈ 60–70 dB at most).
 */
export const DEFAULT_PSNR_CAP_DB = 100;
/** Default SSIM Gaussian window side, as in `tf.image.ssim`. */
export const DEFAULT_SSIM_WINDOW = 11;
/** Default SSIM Gaussian standard deviation, as in `tf.image.ssim`. */
export const DEFAULT_SSIM_SIGMA = 1.5;
/** Default SSIM luminance stabiliser K1, as in Wang et al. 2004. */
export const DEFAULT_SSIM_K1 = 0.01;
/** Default SSIM contrast stabiliser K2, as in Wang et al. 2004. */
export const DEFAULT_SSIM_K2 = 0.03;

/** Options of {@linkcode psnrPerImage} and {@linkcode psnr}. */
export interface PsnrOptions {
  /** Peak signal value (the data range). @default {1} */
  maxValue?: number;
  /** Ceiling in dB applied to every per-image PSNR (MSE 0 gives this value). @default {100} */
  capDb?: number;
}

/** Options of {@linkcode ssimPerImage} and {@linkcode ssim}. */
export interface SsimOptions {
  /** Data range L in C1 = (K1·L)², C2 = (K2·L)². @default {1} */
  maxValue?: number;
  /** Side of the square Gaussian window; must not exceed the image. @default {11} */
  windowSize?: number;
  /** Standard deviation of the Gaussian window, in pixels. @default {1.5} */
  sigma?: number;
  /** K1 stabiliser. @default {0.01} */
  k1?: number;
  /** K2 stabiliser. @default {0.03} */
  k2?: number;
}

function pixelsPerImage(images: Images): number {
  return images.height * images.width;
}

function assertSameShape(a: Images, b: Images): void {
  const shape = (x: Images) => `${x.count}×${x.height}×${x.width}`;
  if (a.count !== b.count || a.height !== b.height || a.width !== b.width) {
    throw new RangeError(`Image batch shapes differ: ${shape(a)} vs ${shape(b)}`);
  }
  for (const x of [a, b]) {
    if (x.data.length !== x.count * pixelsPerImage(x)) {
      throw new RangeError(`Image data length ${x.data.length} does not match ${shape(x)}`);
    }
  }
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * Mean squared error of each image pair: `mean((a − b)²)` over its pixels.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { msePerImage } from "./metrics.ts";
 * const a = { data: new Float32Array([0, 1]), count: 2, height: 1, width: 1 };
 * const b = { data: new Float32Array([0, 0.5]), count: 2, height: 1, width: 1 };
 * assert(msePerImage(a, b)[1] === 0.25);
 * ```
 *
 * @throws {RangeError} when the batches differ in count, height or width.
 */
export function msePerImage(a: Images, b: Images): Float64Array {
  assertSameShape(a, b);
  const size = pixelsPerImage(a);
  const out = new Float64Array(a.count);
  for (let n = 0, o = 0; n < a.count; n++, o += size) {
    let sum = 0;
    for (let i = o; i < o + size; i++) {
      const d = a.data[i] - b.data[i];
      sum += d * d;
    }
    out[n] = sum / size;
  }
  return out;
}

/**
 * Mean squared error over every pixel of the batch (equal to the mean of
 * {@linkcode msePerImage}, since images have equal sizes). NaN for an empty batch.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { mse } from "./metrics.ts";
 * const a = { data: new Float32Array([0, 1]), count: 1, height: 1, width: 2 };
 * const b = { data: new Float32Array([0, 0]), count: 1, height: 1, width: 2 };
 * assert(mse(a, b) === 0.5);
 * ```
 *
 * @throws {RangeError} when the batches differ in count, height or width.
 */
export function mse(a: Images, b: Images): number {
  return mean(msePerImage(a, b));
}

/**
 * Peak signal-to-noise ratio of each image pair, `10·log10(maxValue² / MSE)` in dB,
 * capped at `capDb` (so identical images give `capDb` instead of +∞).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { psnrPerImage } from "./metrics.ts";
 * const a = { data: new Float32Array([0.1]), count: 1, height: 1, width: 1 };
 * const b = { data: new Float32Array([0.1]), count: 1, height: 1, width: 1 };
 * assert(psnrPerImage(a, b)[0] === 100);
 * ```
 *
 * @throws {RangeError} when the batches differ in count, height or width.
 */
export function psnrPerImage(a: Images, b: Images, options: PsnrOptions = {}): Float64Array {
  const { maxValue = DEFAULT_MAX_VALUE, capDb = DEFAULT_PSNR_CAP_DB } = options;
  const errors = msePerImage(a, b);
  const out = new Float64Array(errors.length);
  for (let n = 0; n < errors.length; n++) {
    out[n] = Math.min(capDb, 10 * Math.log10((maxValue * maxValue) / errors[n]));
  }
  return out;
}

/**
 * Mean of {@linkcode psnrPerImage} over the batch, in dB — the convention of
 * `tf.image.psnr` followed by a mean, not the PSNR of the pooled MSE. NaN for an
 * empty batch.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { psnr } from "./metrics.ts";
 * const a = { data: new Float32Array([0, 0]), count: 1, height: 1, width: 2 };
 * const b = { data: new Float32Array([0.1, 0.1]), count: 1, height: 1, width: 2 };
 * assert(Math.abs(psnr(a, b) - 20) < 1e-5);
 * ```
 *
 * @throws {RangeError} when the batches differ in count, height or width.
 */
export function psnr(a: Images, b: Images, options: PsnrOptions = {}): number {
  return mean(psnrPerImage(a, b, options));
}

/**
 * The normalised 1-D Gaussian of length `size`, centred; its outer product with
 * itself is the 2-D SSIM window (the window is separable).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { gaussianWindow } from "./metrics.ts";
 * const g = gaussianWindow(11, 1.5);
 * assert(Math.abs(g.reduce((s, v) => s + v, 0) - 1) < 1e-12);
 * ```
 */
export function gaussianWindow(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  const centre = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const d = i - centre;
    g[i] = Math.exp(-(d * d) / (2 * sigma * sigma));
    sum += g[i];
  }
  for (let i = 0; i < size; i++) g[i] /= sum;
  return g;
}

/**
 * Structural similarity of each image pair, following `tf.image.ssim` and Wang
 * et al. (2004): local statistics are taken under an `windowSize × windowSize`
 * Gaussian window (σ = `sigma`, normalised to sum 1) with "valid" filtering — no
 * padding, so a 28×28 image with the default 11×11 window gives an 18×18 SSIM map —
 * and the per-image SSIM is the mean of that map, where
 *
 * `SSIM = (2·μx·μy + C1)(2·σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))`,
 * `C1 = (K1·L)²`, `C2 = (K2·L)²`, `L = maxValue`.
 *
 * The window is applied as two 1-D passes (rows, then columns), which is exact
 * because the 2-D Gaussian is the outer product of two 1-D ones.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { ssimPerImage } from "./metrics.ts";
 * const a = { data: new Float32Array(144).fill(0.5), count: 1, height: 12, width: 12 };
 * assert(Math.abs(ssimPerImage(a, a)[0] - 1) < 1e-12);
 * ```
 *
 * @throws {RangeError} when the batches differ in shape, or the window exceeds the image.
 */
export function ssimPerImage(a: Images, b: Images, options: SsimOptions = {}): Float64Array {
  const {
    maxValue = DEFAULT_MAX_VALUE,
    windowSize = DEFAULT_SSIM_WINDOW,
    sigma = DEFAULT_SSIM_SIGMA,
    k1 = DEFAULT_SSIM_K1,
    k2 = DEFAULT_SSIM_K2,
  } = options;
  assertSameShape(a, b);
  const { height: h, width: w } = a;
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > h || windowSize > w) {
    throw new RangeError(`SSIM window ${windowSize} does not fit images of ${h}×${w}`);
  }
  const c1 = (k1 * maxValue) ** 2;
  const c2 = (k2 * maxValue) ** 2;
  const g = gaussianWindow(windowSize, sigma);
  const oh = h - windowSize + 1;
  const ow = w - windowSize + 1;
  const size = h * w;
  // Row-filtered moments (h × ow), reused across images to avoid allocation.
  const rx = new Float64Array(h * ow);
  const ry = new Float64Array(h * ow);
  const rxx = new Float64Array(h * ow);
  const ryy = new Float64Array(h * ow);
  const rxy = new Float64Array(h * ow);
  const out = new Float64Array(a.count);
  for (let n = 0; n < a.count; n++) {
    const base = n * size;
    for (let r = 0; r < h; r++) {
      const row = base + r * w;
      for (let c = 0; c < ow; c++) {
        let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let k = 0; k < windowSize; k++) {
          const x = a.data[row + c + k];
          const y = b.data[row + c + k];
          const gk = g[k];
          sx += gk * x;
          sy += gk * y;
          sxx += gk * x * x;
          syy += gk * y * y;
          sxy += gk * x * y;
        }
        const j = r * ow + c;
        rx[j] = sx;
        ry[j] = sy;
        rxx[j] = sxx;
        ryy[j] = syy;
        rxy[j] = sxy;
      }
    }
    let total = 0;
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        let mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
        for (let k = 0; k < windowSize; k++) {
          const j = (r + k) * ow + c;
          const gk = g[k];
          mx += gk * rx[j];
          my += gk * ry[j];
          exx += gk * rxx[j];
          eyy += gk * ryy[j];
          exy += gk * rxy[j];
        }
        const mxmy = mx * my;
        const mm = mx * mx + my * my;
        const luminance = (2 * mxmy + c1) / (mm + c1);
        const contrastStructure = (2 * (exy - mxmy) + c2) / (exx + eyy - mm + c2);
        total += luminance * contrastStructure;
      }
    }
    out[n] = total / (oh * ow);
  }
  return out;
}

/**
 * Mean of {@linkcode ssimPerImage} over the batch (NaN for an empty batch); see
 * there for the window and constants.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { ssim } from "./metrics.ts";
 * const a = { data: new Float32Array(144).fill(0.2), count: 1, height: 12, width: 12 };
 * assert(ssim(a, a) === 1);
 * ```
 *
 * @throws {RangeError} when the batches differ in shape, or the window exceeds the image.
 */
export function ssim(a: Images, b: Images, options: SsimOptions = {}): number {
  return mean(ssimPerImage(a, b, options));
}

/**
 * MSE per class: the mean of the per-image MSE over the images of each label (index =
 * label, up to the largest label; null for a label with no images, as JSON would store NaN).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { classMse } from "./metrics.ts";
 * const clean = { data: new Float32Array([0, 0]), labels: new Uint8Array([0, 1]), count: 2, height: 1, width: 1 };
 * const out = { data: new Float32Array([0, 0.5]), count: 2, height: 1, width: 1 };
 * assertEquals(classMse(clean, out), [0, 0.25]);
 * ```
 */
export function classMse(clean: LabeledImages, output: Images): (number | null)[] {
  const errors = msePerImage(clean, output);
  let classes = 0;
  for (const l of clean.labels) classes = Math.max(classes, l + 1);
  const sum = new Float64Array(classes);
  const count = new Float64Array(classes);
  for (let i = 0; i < errors.length; i++) {
    sum[clean.labels[i]] += errors[i];
    count[clean.labels[i]]++;
  }
  return Array.from(sum, (s, c) => (count[c] > 0 ? s / count[c] : null));
}
