import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "../_assert.ts";
import { getLearningRate, ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";

/** The step an optimizer takes on f(w) = g·w from w = 0, i.e. what it actually applies. */
function appliedStep(optimizer: tf.Optimizer, w: tf.Variable, g: number): number {
  const before = w.dataSync()[0];
  optimizer.minimize(() => tf.mul(w, g).sum() as tf.Scalar);
  return w.dataSync()[0] - before;
}

Deno.test("ReduceLROnPlateau drops the rate the optimizer applies at the right epoch", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.scalar(0));
  const optimizer = tf.train.sgd(1e-3);
  const schedule = new ReduceLROnPlateau(); // patience 3, factor 0.2, min_lr 1e-4
  // Improves for two epochs, then plateaus: epochs 3, 4, 5 without improvement.
  const valLoss = [1.0, 0.9, 0.9, 0.95, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
  const applied: number[] = [];
  const drops: number[] = [];
  for (const [epoch, v] of valLoss.entries()) {
    applied.push(-appliedStep(optimizer, w, 1));
    if (schedule.onEpochEnd(v, optimizer) !== undefined) drops.push(epoch + 1);
  }
  // Third epoch without improvement is epoch 5; after 0.8 (epoch 6) plateaus again at 9,
  // where 2e-4 · 0.2 = 4e-5 is floored to 1e-4; then the floor holds.
  assertEquals(drops, [5, 9]);
  for (let e = 0; e < 5; e++) assertAlmostEquals(applied[e], 1e-3, 1e-9);
  for (let e = 5; e < 9; e++) assertAlmostEquals(applied[e], 2e-4, 1e-9);
  for (let e = 9; e < valLoss.length; e++) assertAlmostEquals(applied[e], 1e-4, 1e-9);
  w.dispose();
});

Deno.test("ReduceLROnPlateau changes the step Adam takes", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.scalar(0));
  const optimizer = tf.train.adam(1e-3);
  const schedule = new ReduceLROnPlateau();
  // Adam's step on a constant gradient is ≈ lr, so the applied step shows the rate.
  assertAlmostEquals(-appliedStep(optimizer, w, 5), 1e-3, 1e-6);
  // A best, then `patience` (3) epochs without improvement.
  for (let e = 0; e < 4; e++) schedule.onEpochEnd(1, optimizer);
  assertAlmostEquals(-appliedStep(optimizer, w, 5), 2e-4, 1e-6);
  w.dispose();
});

Deno.test("ReduceLROnPlateau state round-trips so a resumed schedule decides the same", () => {
  const a = new ReduceLROnPlateau();
  const optA = tf.train.sgd(1e-3);
  for (const v of [1, 0.5, 0.5, 0.5]) a.onEpochEnd(v, optA);
  const b = new ReduceLROnPlateau();
  b.state = { ...a.state };
  const optB = tf.train.sgd(1e-3);
  assertEquals(a.onEpochEnd(0.5, optA), b.onEpochEnd(0.5, optB));
  assertAlmostEquals(getLearningRate(optA), 2e-4, 1e-12);
});
