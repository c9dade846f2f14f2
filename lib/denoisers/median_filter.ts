/**
 * Median filter: each pixel becomes the median of the `size × size` window around it.
 * Pixels outside the image take the value of the nearest border pixel (clamping,
 * "replicate" padding), so a constant image stays constant. The classical answer to
 * salt-and-pepper noise: an isolated outlier never reaches the median of its window.
 *
 * Pure JavaScript over `Float32Array`.
 *
 * @module
 */
import type { Images } from "../data/images.ts";

/** Options of {@linkcode medianFilter}. */
export interface MedianFilterOptions {
  /** Side of the square window; an odd integer ≥ 1 (1 is the identity). @default {3} */
  size?: number;
}

/**
 * Median-filters every image (replicate border). Returns new images; the input is untouched.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { medianFilter } from "./median_filter.ts";
 * const impulse = { data: new Float32Array(25), count: 1, height: 5, width: 5 };
 * impulse.data[12] = 1;
 * assert(medianFilter(impulse).data.every((v) => v === 0));
 * ```
 */
export function medianFilter(images: Images, options: MedianFilterOptions = {}): Images {
  const { size = 3 } = options;
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`size must be an odd integer ≥ 1, got ${size}`);
  }
  const { count, height: h, width: w } = images;
  const src = images.data;
  const out = new Float32Array(src.length);
  const r = (size - 1) / 2;
  const window = new Float32Array(size * size);
  const mid = (size * size - 1) / 2;
  const plane = h * w;
  for (let n = 0; n < count; n++) {
    const base = n * plane;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Insertion sort of the window: for 9 values it beats any general-purpose sort.
        let k = 0;
        for (let dy = -r; dy <= r; dy++) {
          const yy = y + dy;
          const row = base + (yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w;
          for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx;
            const v = src[row + (xx < 0 ? 0 : xx >= w ? w - 1 : xx)];
            let j = k++;
            while (j > 0 && window[j - 1] > v) {
              window[j] = window[j - 1];
              j--;
            }
            window[j] = v;
          }
        }
        out[base + y * w + x] = window[mid];
      }
    }
  }
  return { data: out, count, height: h, width: w };
}
