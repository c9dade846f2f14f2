/**
 * Seeded corruption of clean images.
 *
 * - gaussian: x̃ = clip(x + μ + f·ε, 0, 1), ε ~ N(0, 1) — at μ = 0, the report's "factor
 *   times a normal draw" (the report states neither a mean nor clipping). μ = 0.5 with f = 0.5
 *   gives the clipped N(0.5, 0.5) noise of the Keras example in Atienza, *Advanced Deep Learning
 *   with Keras*, ch. 3, the published design the project's network follows.
 * - salt-and-pepper: each pixel, with probability f, becomes 0 or 1 (even odds).
 * - speckle: x̃ = clip(x + f·x·ε, 0, 1), multiplicative noise.
 *
 * @module
 */
import type { Images } from "./images.ts";
import { createRng } from "./random.ts";

/** Kinds of noise {@linkcode addNoise} can add. */
export type NoiseType = "gaussian" | "salt-and-pepper" | "speckle";

/** Every {@linkcode NoiseType}, for validation and help texts. */
export const NOISE_TYPES: readonly NoiseType[] = ["gaussian", "salt-and-pepper", "speckle"];

/** Options of {@linkcode addNoise}. */
export interface NoiseOptions {
  /** Seed of the noise; the same seed gives the same noise. @default 0 */
  seed?: number;
  /** Kind of noise. @default "gaussian" */
  type?: NoiseType;
  /** Mean μ added with gaussian noise (the mean shift). @default 0 */
  mean?: number;
}

/**
 * Returns a noisy copy of `images` (the input is untouched); values stay in [0, 1].
 *
 * @param factor noise factor f ≥ 0: the standard deviation for gaussian and speckle,
 *   the fraction of corrupted pixels (≤ 1) for salt-and-pepper.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { addNoise } from "./noise.ts";
 * const clean = { data: new Float32Array(784).fill(0.5), count: 1, height: 28, width: 28 };
 * const noisy = addNoise(clean, 0.5, { seed: 1 });
 * assert(noisy.data.every((v) => v >= 0 && v <= 1));
 * ```
 */
export function addNoise(images: Images, factor: number, options: NoiseOptions = {}): Images {
  const { seed = 0, type = "gaussian", mean = 0 } = options;
  if (!(factor >= 0) || !Number.isFinite(factor)) {
    throw new RangeError(`noise factor must be a finite number ≥ 0, got ${factor}`);
  }
  if (type === "salt-and-pepper" && factor > 1) {
    throw new RangeError(`salt-and-pepper noise factor is a fraction in [0, 1], got ${factor}`);
  }
  const rng = createRng(seed);
  const src = images.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    let y: number;
    if (type === "gaussian") y = x + mean + factor * rng.normal();
    else if (type === "speckle") y = x + factor * x * rng.normal();
    else if (rng.next() < factor) y = rng.next() < 0.5 ? 0 : 1;
    else y = x;
    out[i] = y < 0 ? 0 : y > 1 ? 1 : y;
  }
  return { data: out, count: images.count, height: images.height, width: images.width };
}
