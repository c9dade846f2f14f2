/**
 * Batched inference from plain images to plain images.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Images, sliceImages, toTensor } from "../data/images.ts";

/**
 * `model`'s outputs on `images` in inference mode (dropout off), 256 images per pass, as new
 * {@linkcode Images} of the same shape. No tensor outlives the call.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder } from "./autoencoder.ts";
 * import { predictImages } from "./predict.ts";
 * const { autoencoder } = buildAutoencoder();
 * const x = { data: new Float32Array(784), count: 1, height: 28, width: 28 };
 * const out = await predictImages(autoencoder, x);
 * assert(out.count === 1 && out.data.every((v) => v >= 0 && v <= 1));
 * autoencoder.dispose();
 * ```
 */
export async function predictImages(model: tf.LayersModel, images: Images): Promise<Images> {
  const size = images.height * images.width;
  const out = new Float32Array(images.count * size);
  for (let start = 0; start < images.count; start += 256) {
    const batch = sliceImages(images, start, Math.min(images.count, start + 256));
    const y = tf.tidy(() => model.predict(toTensor(batch)) as tf.Tensor);
    out.set(await y.data(), start * size);
    y.dispose();
  }
  return { data: out, count: images.count, height: images.height, width: images.width };
}
