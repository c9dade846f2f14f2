/**
 * Batched inference from plain images to plain images.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Images, toTensor } from "../data/images.ts";

/**
 * `model`'s outputs on `images` in inference mode (dropout off), 256 images per pass, as new
 * {@linkcode Images} of the same shape. No tensor outlives the call.
 */
export async function predictImages(model: tf.LayersModel, images: Images): Promise<Images> {
  const size = images.height * images.width;
  const out = new Float32Array(images.count * size);
  for (let start = 0; start < images.count; start += 256) {
    const end = Math.min(images.count, start + 256);
    const data = images.data.subarray(start * size, end * size);
    const batch = { ...images, data, count: end - start };
    const y = tf.tidy(() => model.predict(toTensor(batch)) as tf.Tensor);
    out.set(await y.data(), start * size);
    y.dispose();
  }
  return { data: out, count: images.count, height: images.height, width: images.width };
}
