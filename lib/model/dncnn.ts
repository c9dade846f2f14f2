/**
 * A small DnCNN-style residual denoiser (Zhang et al. 2017, without batch normalisation):
 * fully convolutional, no bottleneck, and it learns the noise rather than the image.
 *
 * Input [n, s, s, 1] → (depth − 1) × Conv2D 3×3 "same" ReLU (`filters` each) → Conv2D 3×3
 * "same" linear (1 filter) predicting r = −noise → output = input + r. tfjs has an `add`
 * layer and no `subtract` layer, hence the sign of r. Only stride-1 "same" convolutions,
 * ReLU and add, so it trains on the project's wasm kernels.
 *
 * The output is not clipped to [0, 1]; an image metric or figure may clip it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode buildDnCNN}. */
export interface DnCNNOptions {
  /** Convolution layers in all (the last is the linear residual one); an integer ≥ 1. @default {4} */
  depth?: number;
  /** Filters of each hidden (ReLU) convolution. @default {32} */
  filters?: number;
  /** Image height and width of the input layer. @default {28} */
  imageSize?: number;
  /** Seed of weight initialisation. @default {0} */
  seed?: number;
}

/**
 * Trainable parameters of {@linkcode buildDnCNN} for the given depth and filters:
 * 3·3·1·F + F for the first layer, (depth − 2)·(3·3·F·F + F) for the middle ones and
 * 3·3·F + 1 for the residual layer (3·3·1 + 1 = 10 when depth is 1).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { dncnnParamCount } from "./dncnn.ts";
 * assert(dncnnParamCount(4, 32) === 19_105);
 * ```
 */
export function dncnnParamCount(depth: number, filters: number): number {
  if (depth === 1) return 3 * 3 * 1 + 1;
  const first = 3 * 3 * 1 * filters + filters;
  const middle = (depth - 2) * (3 * 3 * filters * filters + filters);
  const last = 3 * 3 * filters + 1;
  return first + middle + last;
}

/**
 * Builds the residual denoiser, model name "dncnn", layers "conv1" … "conv{depth−1}",
 * "residual" and "output". Pure: each call returns a new, independently initialised
 * model (19,105 parameters at the defaults). The caller disposes it.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildDnCNN } from "./dncnn.ts";
 * const model = buildDnCNN({ imageSize: 8, filters: 4, depth: 2 });
 * assert(model.countParams() === 3 * 3 * 4 + 4 + 3 * 3 * 4 + 1);
 * model.dispose();
 * ```
 */
export function buildDnCNN(options: DnCNNOptions = {}): tf.LayersModel {
  const { depth = 4, filters = 32, imageSize = 28, seed = 0 } = options;
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`depth must be an integer ≥ 1, got ${depth}`);
  }
  if (!Number.isInteger(filters) || filters < 1) {
    throw new RangeError(`filters must be an integer ≥ 1, got ${filters}`);
  }
  if (!Number.isInteger(imageSize) || imageSize < 1) {
    throw new RangeError(`imageSize must be an integer ≥ 1, got ${imageSize}`);
  }
  let k = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 101 + k++ });
  const conv = { kernelSize: 3, padding: "same" as const, strides: 1 };

  const input = tf.input({ name: "input", shape: [imageSize, imageSize, 1] });
  let x: tf.SymbolicTensor = input;
  for (let i = 1; i < depth; i++) {
    x = tf.layers.conv2d({
      ...conv,
      name: `conv${i}`,
      filters,
      activation: "relu",
      kernelInitializer: init(),
    }).apply(x) as tf.SymbolicTensor;
  }
  const residual = tf.layers.conv2d({
    ...conv,
    name: "residual",
    filters: 1,
    activation: "linear",
    kernelInitializer: init(),
  }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.add({ name: "output" }).apply([input, residual]) as tf.SymbolicTensor;
  return tf.model({ name: "dncnn", inputs: input, outputs: output });
}
