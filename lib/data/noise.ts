/**
 * Seeded corruption of clean images, values clipped to [0, 1]:
 * - gaussian: x̃ = clip(x + μ + f·ε), ε ~ N(0, 1); μ = 0 is the report's "factor times a normal
 *   draw", μ = f = 0.5 the clipped N(0.5, 0.5) of Atienza's Keras example (ch. 3);
 * - salt-and-pepper: each pixel, with probability f, becomes 0 or 1 (even odds);
 * - speckle: x̃ = clip(x + f·x·ε), multiplicative.
 *
 * @module
 */
import type { Images } from "./images.ts";
import { createRng } from "./random.ts";

/** Every kind of noise {@linkcode addNoise} adds. */
export const NOISE_TYPES = ["gaussian", "salt-and-pepper", "speckle"] as const;

/** A kind of noise {@linkcode addNoise} adds. */
export type NoiseType = typeof NOISE_TYPES[number];

/**
 * A noisy copy of `images` (the input is untouched).
 *
 * @param factor f ≥ 0 (checked where settings are read): the standard deviation for gaussian
 * and speckle, the share of pixels (≤ 1) for salt-and-pepper.
 * @param options `seed` @default 0; `type` @default "gaussian"; `mean` μ of gaussian noise
 * @default 0.
 */
export function addNoise(
  images: Images,
  factor: number,
  options: { seed?: number; type?: NoiseType; mean?: number } = {},
): Images {
  const { seed = 0, type = "gaussian", mean = 0 } = options;
  const rng = createRng(seed);
  const data = images.data.map((x) => {
    let y = x;
    if (type === "gaussian") y = x + mean + factor * rng.normal();
    else if (type === "speckle") y = x + factor * x * rng.normal();
    else if (rng.next() < factor) y = rng.next() < 0.5 ? 0 : 1;
    return y < 0 ? 0 : y > 1 ? 1 : y;
  });
  return { data, count: images.count, height: images.height, width: images.width };
}
