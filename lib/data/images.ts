/**
 * A batch of grayscale images as one typed array: the common currency between data, noise,
 * filters, metrics and figures. Tensors are made from it only at the model's edge:
 * {@linkcode toTensor} and {@linkcode predictImages}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createHash } from "node:crypto";
import { permutation } from "./random.ts";

/** `count` images of `height × width` pixels, row-major, one channel, values in [0, 1]. */
export interface Images {
  /** Pixels, length `count · height · width`, image after image. */
  data: Float32Array;
  count: number;
  height: number;
  width: number;
}

/** {@linkcode Images} with a class label per image (0–9 for MNIST). */
export interface LabeledImages extends Images {
  /** Length `count`. */
  labels: Uint8Array;
}

/** A new `[count, height, width, 1]` float32 tensor of the images. The caller disposes it. */
export function toTensor(images: Images): tf.Tensor4D {
  return tf.tensor4d(images.data, [images.count, images.height, images.width, 1], "float32");
}

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

/** A copy of the images at `indices`, in that order (labels too, when present). */
export function take<T extends Images>(images: T, indices: ArrayLike<number>): T {
  const size = images.height * images.width;
  const data = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    data.set(images.data.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  }
  const out: Images = { data, count: indices.length, height: images.height, width: images.width };
  const labels = (images as Partial<LabeledImages>).labels;
  if (labels) (out as LabeledImages).labels = Uint8Array.from(indices, (j) => labels[j]);
  return out as T;
}

/**
 * `n` distinct indices in `[0, count)` from a seeded shuffle, sorted ascending.
 *
 * @throws {RangeError} When `n` is not an integer in `[0, count]`.
 */
export function pickSamples(count: number, n: number, seed: number): number[] {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(n) || n < 0 || n > count) {
    throw new RangeError(`Cannot pick ${n} distinct samples out of ${count}`);
  }
  return Array.from(permutation(count, seed).subarray(0, n)).sort((a, b) => a - b);
}

/** SHA-256 (hex) of the images' shape and float32 pixels: equal digests, identical images. */
export function imagesDigest({ data, count, height, width }: Images): string {
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return createHash("sha256").update(`${count}x${height}x${width}:`).update(pixels).digest("hex");
}
