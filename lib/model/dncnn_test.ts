import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertNotEquals, assertThrows } from "../_assert.ts";
import { buildDnCNN } from "./dncnn.ts";

/** Parameters of a DnCNN: the first layer, depth − 2 middle ones, the residual one. */
function dncnnParamCount(depth: number, filters: number): number {
  if (depth === 1) return 3 * 3 * 1 + 1;
  return 9 * filters + filters + (depth - 2) * (9 * filters * filters + filters) + 9 * filters + 1;
}
import { trainBatch } from "../train/train_step.ts";

Deno.test("buildDnCNN() has the documented layers and parameter count", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN();
  // 3·3·1·32 + 32 + 2·(3·3·32·32 + 32) + 3·3·32 + 1
  assertEquals(model.countParams(), 320 + 2 * 9248 + 289);
  assertEquals(model.countParams(), dncnnParamCount(4, 32));
  assertEquals(model.name, "dncnn");
  assertEquals(
    model.layers.map((l) => l.name),
    ["input", "conv1", "conv2", "conv3", "residual", "output"],
  );
  model.dispose();
  for (const [depth, filters] of [[1, 8], [2, 8], [5, 3]]) {
    const m = buildDnCNN({ depth, filters, imageSize: 12 });
    assertEquals(m.countParams(), dncnnParamCount(depth, filters));
    m.dispose();
  }
  assertEquals(dncnnParamCount(1, 8), 10);
  assertEquals(dncnnParamCount(2, 8), 80 + 73);
});

Deno.test("buildDnCNN() keeps the input shape", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12, filters: 8 });
  const x = tf.randomUniform([3, 12, 12, 1], 0, 1, "float32", 1);
  const y = model.predict(x) as tf.Tensor;
  assertEquals(y.shape, [3, 12, 12, 1]);
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("buildDnCNN() with a zeroed residual layer returns its input exactly", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12, filters: 8 });
  const residual = model.getLayer("residual");
  residual.setWeights(residual.getWeights().map((w) => tf.zerosLike(w)));
  const x = tf.randomUniform([2, 12, 12, 1], 0, 1, "float32", 2);
  const y = model.predict(x) as tf.Tensor;
  assertEquals(Array.from(await y.data()), Array.from(await x.data()));
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("buildDnCNN() is seeded: same seed same weights, another seed others", async () => {
  await tf.setBackend("cpu");
  const weights = async (seed: number) => {
    const m = buildDnCNN({ imageSize: 12, filters: 4, seed });
    const values = await Promise.all(m.getWeights().map((w) => w.data()));
    m.dispose();
    return values.map((v) => Array.from(v));
  };
  assertEquals(await weights(3), await weights(3));
  assertNotEquals(await weights(3), await weights(4));
});

Deno.test("buildDnCNN() learns: a few trainBatch() steps lower the MSE on a tiny batch", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12, filters: 8, seed: 1 });
  const clean = tf.randomUniform([4, 12, 12, 1], 0, 1, "float32", 3);
  const noisy = tf.tidy(() => clean.add(tf.randomNormal([4, 12, 12, 1], 0, 0.3, "float32", 4)));
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let i = 0; i < 8; i++) losses.push(trainBatch(model, optimizer, noisy, clean));
  assert(losses.at(-1)! < 0.8 * losses[0], `losses ${losses.join(", ")}`);
  tf.dispose([clean, noisy]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("buildDnCNN() rejects a bad depth, filter count or size", () => {
  assertThrows(() => buildDnCNN({ depth: 0 }), RangeError, "depth");
  assertThrows(() => buildDnCNN({ filters: 1.5 }), RangeError, "filters");
  assertThrows(() => buildDnCNN({ imageSize: 0 }), RangeError, "imageSize");
});
