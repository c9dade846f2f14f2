/**
 * Grid search of one denoiser parameter, shared by the classical filters' tuners.
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { mse } from "../eval/metrics.ts";

/** The best candidate and its MSE. */
export interface TunedValue {
  /** Chosen parameter value. */
  value: number;
  /** MSE against the clean images at that value. */
  mse: number;
}

/**
 * Returns the first candidate with the lowest MSE of `denoise(noisy, value)` against `clean`.
 * Callers pass training images, never the test set. Throws RangeError for an empty grid or
 * batches of different shapes.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import type { Images } from "../data/images.ts";
 * import { tuneParameter } from "./tune.ts";
 * const clean: Images = { data: new Float32Array([0.45]), count: 1, height: 1, width: 1 };
 * const noisy: Images = { ...clean, data: new Float32Array([0.9]) };
 * const scale = (x: Images, v: number): Images => ({ ...x, data: x.data.map((p) => p * v) });
 * assert(tuneParameter(noisy, clean, [1, 0.5, 0.6], scale).value === 0.5);
 * ```
 */
export function tuneParameter(
  noisy: Images,
  clean: Images,
  candidates: readonly number[],
  denoise: (noisy: Images, value: number) => Images,
): TunedValue {
  if (candidates.length === 0) throw new RangeError("candidates must not be empty");
  let best: TunedValue = { value: NaN, mse: Infinity };
  for (const value of candidates) {
    const error = mse(denoise(noisy, value), clean);
    if (error < best.mse) best = { value, mse: error };
  }
  return best;
}
