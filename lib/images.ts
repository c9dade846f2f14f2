/**
 * A batch of grayscale images as one plain typed array: the project's common
 * currency between data loading, noise, classical filters, metrics and figures.
 * Tensors are made from it only at the model's edge.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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
 * import { toTensor } from "./images.ts";
 * const t = toTensor({ data: new Float32Array(4), count: 1, height: 2, width: 2 });
 * console.assert(t.shape.join() === "1,2,2,1");
 * t.dispose();
 * ```
 */
export function toTensor(images: Images): tf.Tensor4D {
  return tf.tensor4d(images.data, [images.count, images.height, images.width, 1], "float32");
}

/**
 * Reads a `[n, h, w, 1]` (or `[n, h, w]`) tensor back into {@linkcode Images}.
 * The tensor is not disposed.
 */
export async function fromTensor(tensor: tf.Tensor): Promise<Images> {
  const [count, height, width] = tensor.shape;
  const data = new Float32Array(await tensor.data());
  return { data, count, height, width };
}

/**
 * The images at `indices`, in that order, as a new copy (labels too, when present).
 *
 * @example
 * ```ts
 * import { take } from "./images.ts";
 * const two = { data: new Float32Array([0, 1]), count: 2, height: 1, width: 1 };
 * console.assert(take(two, [1]).data[0] === 1);
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
