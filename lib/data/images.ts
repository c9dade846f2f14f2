/**
 * A batch of grayscale images as one plain typed array: the project's common
 * currency between data loading, noise, classical filters, metrics and figures.
 * Tensors are made from it only at the model's edge.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { permutation } from "./random.ts";

/** `count` images of `height × width` pixels, row-major, one channel, values in [0, 1]. */
export interface Images {
  /** Pixels, length `count · height · width`, image after image. */
  data: Float32Array;
  /** Number of images. */
  count: number;
  /** Rows per image. */
  height: number;
  /** Columns per image. */
  width: number;
}

/** {@linkcode Images} with a class label per image (0–9 for MNIST and Fashion-MNIST). */
export interface LabeledImages extends Images {
  /** Class of each image, length `count`. */
  labels: Uint8Array;
}

/**
 * Copies images into a new `[count, height, width, 1]` float32 tensor. The caller disposes it.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { toTensor } from "./images.ts";
 * const t = toTensor({ data: new Float32Array(4), count: 1, height: 2, width: 2 });
 * assert(t.shape.join() === "1,2,2,1");
 * t.dispose();
 * ```
 */
export function toTensor(images: Images): tf.Tensor4D {
  return tf.tensor4d(images.data, [images.count, images.height, images.width, 1], "float32");
}

/**
 * The images at `indices`, in that order, as a new copy (labels too, when present).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { take } from "./images.ts";
 * const two = { data: new Float32Array([0, 1]), count: 2, height: 1, width: 1 };
 * assert(take(two, [1]).data[0] === 1);
 * ```
 */
export function take<T extends Images>(images: T, indices: ArrayLike<number>): T {
  const size = images.height * images.width;
  const data = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    data.set(images.data.subarray(j * size, (j + 1) * size), i * size);
  }
  const out: Images = { data, count: indices.length, height: images.height, width: images.width };
  const labels = (images as Partial<LabeledImages>).labels;
  if (labels) {
    (out as LabeledImages).labels = Uint8Array.from(indices, (j) => labels[j]);
  }
  return out as T;
}

/**
 * `n` distinct indices in `[0, count)`, chosen by a seeded shuffle and returned
 * sorted ascending: the same arguments always pick the same samples.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { pickSamples } from "./images.ts";
 * assert(pickSamples(10_000, 8, 1).join() === pickSamples(10_000, 8, 1).join());
 * ```
 *
 * @throws {RangeError} when `n` is not an integer in `[0, count]`.
 */
export function pickSamples(count: number, n: number, seed: number): number[] {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(n) || n < 0 || n > count) {
    throw new RangeError(`Cannot pick ${n} distinct samples out of ${count}`);
  }
  return Array.from(permutation(count, seed).subarray(0, n)).sort((a, b) => a - b);
}

/**
 * SHA-256 (hex) of the images' float32 pixels and their shape, so that equal digests mean
 * bit-identical images.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { imagesDigest } from "./images.ts";
 * const a = { data: new Float32Array([0, 0.5]), count: 1, height: 1, width: 2 };
 * assert((await imagesDigest(a)).length === 64);
 * ```
 */
export async function imagesDigest(images: Images): Promise<string> {
  const { data, count, height, width } = images;
  const shape = new TextEncoder().encode(`${count}x${height}x${width}:`);
  const bytes = new Uint8Array(shape.length + data.byteLength);
  bytes.set(shape);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), shape.length);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}
