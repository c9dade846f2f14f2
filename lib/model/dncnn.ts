/**
 * A small DnCNN-style residual denoiser (Zhang et al. 2017, without batch normalisation):
 * input [n, s, s, 1] → (depth − 1) × Conv2D 3×3 ReLU (`filters` each) → Conv2D 3×3 linear
 * (1 filter) predicting r = −noise → output = input + r (tfjs has `add`, no `subtract`).
 * Only stride-1 "same" convolutions, ReLU and add, so it trains on the wasm kernels. The
 * output is not clipped to [0, 1].
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode buildDnCNN}. */
export interface DnCNNOptions {
  /** Convolution layers in all (the last is the residual one); an integer ≥ 1. @default 4 */
  depth?: number;
  /** Filters of each hidden convolution. @default 32 */
  filters?: number;
  /** Image height and width. @default 28 */
  imageSize?: number;
  /** Seed of the weight initialisation. @default 0 */
  seed?: number;
}

/**
 * A new model "dncnn" with layers "conv1" … "conv{depth−1}", "residual" and "output" (19,105
 * parameters at the defaults). The caller disposes it.
 */
export function buildDnCNN(options: DnCNNOptions = {}): tf.LayersModel {
  const { depth = 4, filters = 32, imageSize = 28, seed = 0 } = options;
  for (const [what, v] of [["depth", depth], ["filters", filters], ["imageSize", imageSize]]) {
    if (!Number.isInteger(v) || (v as number) < 1) {
      throw new RangeError(`${what} must be an integer ≥ 1, got ${v}`);
    }
  }
  let k = 0;
  const conv = (name: string, filters: number, activation: "relu" | "linear") =>
    tf.layers.conv2d({
      name,
      filters,
      activation,
      kernelSize: 3,
      padding: "same",
      strides: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + k++ }),
    });
  const input = tf.input({ name: "input", shape: [imageSize, imageSize, 1] });
  let x = input;
  for (let i = 1; i < depth; i++) {
    x = conv(`conv${i}`, filters, "relu").apply(x) as tf.SymbolicTensor;
  }
  const residual = conv("residual", 1, "linear").apply(x) as tf.SymbolicTensor;
  const output = tf.layers.add({ name: "output" }).apply([input, residual]) as tf.SymbolicTensor;
  return tf.model({ name: "dncnn", inputs: input, outputs: output });
}
