/**
 * One optimisation step of a denoiser: the single place where gradients are taken.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { applyGradients } from "../kernels/adam.ts";

/**
 * Mean squared error between a target and a prediction, averaged over every pixel
 * (Keras's `mse`). Shapes must match; the caller disposes the returned scalar.
 */
export function mseLoss(target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(target, prediction));
}

/**
 * Runs one training step: forward in training mode (dropout on), MSE against the
 * clean `target`, backward, and one `optimizer` update (Adam on wasm: one fused kernel
 * with tfjs's bits, `lib/kernels/adam.ts`).
 *
 * @param input noisy images `[b, h, w, 1]` in [0, 1]; the caller keeps ownership.
 * @param target clean images `[b, h, w, 1]` in [0, 1]; the caller keeps ownership.
 * @returns the batch loss before the update (a plain number; no tensor escapes).
 */
export function trainBatch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  input: tf.Tensor,
  target: tf.Tensor,
): number {
  const { value, grads } = optimizer.computeGradients(() =>
    mseLoss(target, model.apply(input, { training: true }) as tf.Tensor)
  );
  try {
    applyGradients(optimizer, grads);
  } finally {
    tf.dispose(grads);
  }
  const loss = value.dataSync()[0];
  value.dispose();
  return loss;
}
