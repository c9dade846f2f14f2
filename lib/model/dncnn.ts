/**
 * A small DnCNN-style residual denoiser (Zhang et al. 2017, without batch normalisation):
 * input [n, s, s, 1] → 3 × Conv2D 3×3 ReLU (32 filters each) → Conv2D 3×3 linear
 * (1 filter) predicting r = −noise → output = input + r (tfjs has `add`, no `subtract`).
 * Only stride-1 "same" convolutions, ReLU and add, so it trains on the wasm kernels. The
 * output is not clipped to [0, 1].
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * A new model "dncnn" with layers "conv1" … "conv3", "residual" and "output" (19,105
 * parameters). `imageSize` (height and width) @default 28; `seed` of the weight initialisation
 * @default 0. The caller disposes it.
 */
export function buildDnCNN(options: { imageSize?: number; seed?: number } = {}): tf.LayersModel {
  const { imageSize = 28, seed = 0 } = options;
  let k = 0;
  const conv = (name: string, filters: number, activation: "relu" | "linear") =>
    tf.layers.conv2d({
      name,
      filters,
      activation,
      kernelSize: 3,
      padding: "same",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + k++ }),
    });
  const input = tf.input({ name: "input", shape: [imageSize, imageSize, 1] });
  let x = input;
  for (const name of ["conv1", "conv2", "conv3"]) {
    x = conv(name, 32, "relu").apply(x) as tf.SymbolicTensor;
  }
  const residual = conv("residual", 1, "linear").apply(x) as tf.SymbolicTensor;
  const output = tf.layers.add({ name: "output" }).apply([input, residual]) as tf.SymbolicTensor;
  return tf.model({ name: "dncnn", inputs: input, outputs: output });
}
