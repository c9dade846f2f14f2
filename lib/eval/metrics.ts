/**
 * Image-quality metrics on {@linkcode Images} batches in [0, 1]: MSE, PSNR and SSIM, per image
 * and averaged, in float64. They follow `tf.image.psnr` and `tf.image.ssim` (Wang et al. 2004),
 * so the numbers compare with the Keras report's.
 *
 * @module
 */
import type { Images, LabeledImages } from "../data/images.ts";

/** Side of SSIM's Gaussian window (σ = 1.5), as in `tf.image.ssim`. */
export const DEFAULT_SSIM_WINDOW = 11;

/** PSNR of identical images (MSE 0), so means stay finite: far above any float32 result. */
const PSNR_CAP_DB = 100;

function assertSameShape(a: Images, b: Images): void {
  const shape = (x: Images) => `${x.count}×${x.height}×${x.width}`;
  if (shape(a) !== shape(b)) {
    throw new RangeError(`Image batch shapes differ: ${shape(a)} vs ${shape(b)}`);
  }
}

const mean = (values: Float64Array) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Mean squared error of each image pair.
 *
 * @throws {RangeError} When the batches differ in count, height or width.
 */
export function msePerImage(a: Images, b: Images): Float64Array {
  assertSameShape(a, b);
  const size = a.height * a.width;
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

/** MSE over every pixel of the batch (NaN when empty). @throws {RangeError} As msePerImage. */
export function mse(a: Images, b: Images): number {
  return mean(msePerImage(a, b));
}

/** PSNR of each pair, `10·log10(1 / MSE)` dB, capped at 100 dB. @throws {RangeError} */
export function psnrPerImage(a: Images, b: Images): Float64Array {
  return msePerImage(a, b).map((e) => Math.min(PSNR_CAP_DB, 10 * Math.log10(1 / e)));
}

/** Mean of {@linkcode psnrPerImage} (as `tf.image.psnr` then a mean; not the pooled MSE's). */
export function psnr(a: Images, b: Images): number {
  return mean(psnrPerImage(a, b));
}

/**
 * SSIM of each pair, as `tf.image.ssim`: local statistics under an 11×11 Gaussian window
 * (σ = 1.5, sum 1), "valid" filtering (a 28×28 image gives an 18×18 map), the map's mean;
 * `SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))`, C1 = 0.01², C2 = 0.03².
 * The window is applied as two exact 1-D passes (rows, then columns). Images must be at least
 * 11×11 (a run's images are checked where they are loaded).
 *
 * @throws {RangeError} When the batches differ in shape.
 */
export function ssimPerImage(a: Images, b: Images): Float64Array {
  assertSameShape(a, b);
  const { height: h, width: w } = a;
  const win = DEFAULT_SSIM_WINDOW;
  const [c1, c2] = [0.01 ** 2, 0.03 ** 2];
  const g = Float64Array.from({ length: win }, (_, i) => {
    const d = i - (win - 1) / 2;
    return Math.exp(-(d * d) / 4.5);
  });
  const gSum = g.reduce((s, v) => s + v, 0);
  g.forEach((v, i) => (g[i] = v / gSum));
  const [oh, ow] = [h - win + 1, w - win + 1];
  // Row-filtered moments x, y, xx, yy, xy (h × ow each), reused across images.
  const rows = Array.from({ length: 5 }, () => new Float64Array(h * ow));
  const out = new Float64Array(a.count);
  for (let n = 0; n < a.count; n++) {
    for (let r = 0; r < h; r++) {
      const row = n * h * w + r * w;
      for (let c = 0; c < ow; c++) {
        let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let k = 0; k < win; k++) {
          const [x, y, gk] = [a.data[row + c + k], b.data[row + c + k], g[k]];
          sx += gk * x;
          sy += gk * y;
          sxx += gk * x * x;
          syy += gk * y * y;
          sxy += gk * x * y;
        }
        [sx, sy, sxx, syy, sxy].forEach((v, m) => (rows[m][r * ow + c] = v));
      }
    }
    const [rx, ry, rxx, ryy, rxy] = rows;
    let total = 0;
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        let mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
        for (let k = 0; k < win; k++) {
          const [j, gk] = [(r + k) * ow + c, g[k]];
          mx += gk * rx[j];
          my += gk * ry[j];
          exx += gk * rxx[j];
          eyy += gk * ryy[j];
          exy += gk * rxy[j];
        }
        const [mxmy, mm] = [mx * my, mx * mx + my * my];
        total += ((2 * mxmy + c1) / (mm + c1)) * ((2 * (exy - mxmy) + c2) / (exx + eyy - mm + c2));
      }
    }
    out[n] = total / (oh * ow);
  }
  return out;
}

/** Mean of {@linkcode ssimPerImage} (NaN when empty). */
export function ssim(a: Images, b: Images): number {
  return mean(ssimPerImage(a, b));
}

/**
 * The mean per-image MSE of each label's images (index = label; null for a label without
 * images, as JSON would store NaN).
 */
export function classMse(clean: LabeledImages, output: Images): (number | null)[] {
  const errors = msePerImage(clean, output);
  const classes = clean.labels.reduce((most, l) => Math.max(most, l + 1), 0);
  const sum = new Float64Array(classes);
  const count = new Float64Array(classes);
  errors.forEach((e, i) => {
    sum[clean.labels[i]] += e;
    count[clean.labels[i]]++;
  });
  return Array.from(sum, (s, c) => (count[c] > 0 ? s / count[c] : null));
}
