import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "../_assert.ts";
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
  const schedule = new ReduceLROnPlateau({ patience: 1 });
  // Adam's step on a constant gradient is ≈ lr, so the applied step shows the rate.
  assertAlmostEquals(-appliedStep(optimizer, w, 5), 1e-3, 1e-6);
  schedule.onEpochEnd(1, optimizer);
  schedule.onEpochEnd(1, optimizer);
  assertAlmostEquals(-appliedStep(optimizer, w, 5), 2e-4, 1e-6);
  w.dispose();
});

Deno.test("ReduceLROnPlateau honours min_delta and cooldown as Keras does", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.scalar(0));
  const optimizer = tf.train.sgd(1);
  const schedule = new ReduceLROnPlateau({ patience: 1, minDelta: 0.1, cooldown: 2, minLr: 0 });
  // Keras's on_epoch_end on [1, .95, .95, .95, .95]: call 1 sets best = 1; call 2 is a
  // plateau epoch (0.95 is not better than 1 − 0.1) and drops, cooldown_counter = 2;
  // call 3 decrements it to 1, still in cooldown; call 4 decrements it to 0, and the
  // re-check of in_cooldown() lets it count: wait = 1 ≥ patience, drop again; call 5 is
  // in cooldown again.
  const returned: (number | undefined)[] = [];
  const applied: number[] = [];
  for (const v of [1, 0.95, 0.95, 0.95, 0.95]) {
    returned.push(schedule.onEpochEnd(v, optimizer));
    applied.push(-appliedStep(optimizer, w, 1));
  }
  const drops = returned.flatMap((lr, i) => lr === undefined ? [] : [i + 1]);
  assertEquals(drops, [2, 4]);
  assertAlmostEquals(returned[1] ?? NaN, 0.2, 1e-12);
  assertAlmostEquals(returned[3] ?? NaN, 0.04, 1e-12);
  // The step SGD takes after each call is the rate then in force.
  const expected = [1, 0.2, 0.2, 0.04, 0.04];
  for (const [i, step] of applied.entries()) assertAlmostEquals(step, expected[i], 1e-6);
  assertEquals(schedule.state.cooldownCounter, 1);
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

Deno.test("ReduceLROnPlateau rejects a factor outside (0, 1)", () => {
  assertThrows(() => new ReduceLROnPlateau({ factor: 1.5 }), RangeError, "factor");
});
