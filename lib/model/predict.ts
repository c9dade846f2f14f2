/**
 * Batched inference from plain images to plain images.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Images, toTensor } from "../data/images.ts";

/** Options of {@linkcode predictImages}. */
export interface PredictOptions {
  /** Images per forward pass. @default 256 */
  batchSize?: number;
}

/**
 * Runs `model` in inference mode (dropout off) over `images` in batches and returns its
 * outputs as new {@linkcode Images} of the same shape. No tensor outlives the call.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder } from "./autoencoder.ts";
 * import { predictImages } from "./predict.ts";
 * const { autoencoder } = buildAutoencoder();
 * const out = await predictImages(autoencoder, {
 *   data: new Float32Array(784), count: 1, height: 28, width: 28,
 * });
 * assert(out.count === 1 && out.data.every((v) => v >= 0 && v <= 1));
 * autoencoder.dispose();
 * ```
 */
export async function predictImages(
  model: tf.LayersModel,
  images: Images,
  options: PredictOptions = {},
): Promise<Images> {
  const { batchSize = 256 } = options;
  const size = images.height * images.width;
  const out = new Float32Array(images.count * size);
  for (let start = 0; start < images.count; start += batchSize) {
    const end = Math.min(images.count, start + batchSize);
    const batch = sliceImages(images, start, end);
    const y = tf.tidy(() => {
      const x = toTensor(batch);
      return model.predict(x) as tf.Tensor;
    });
    out.set(await y.data(), start * size);
    y.dispose();
  }
  return { data: out, count: images.count, height: images.height, width: images.width };
}

/** Images `start … end-1` as a view (no copy). */
export function sliceImages(images: Images, start: number, end: number): Images {
  const size = images.height * images.width;
  return {
    data: images.data.subarray(start * size, end * size),
    count: end - start,
    height: images.height,
    width: images.width,
  };
}
