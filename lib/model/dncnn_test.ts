import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertNotEquals } from "../_testing_assert.ts";
import { buildDnCNN } from "./dncnn.ts";

import { trainBatch } from "../train/train_step.ts";

Deno.test("buildDnCNN() has the documented layers and parameter count", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN();
  // 3·3·1·32 + 32 + 2·(3·3·32·32 + 32) + 3·3·32 + 1
  assertEquals(model.countParams(), 320 + 2 * 9248 + 289);
  assertEquals(model.name, "dncnn");
  assertEquals(
    model.layers.map((l) => l.name),
    ["input", "conv1", "conv2", "conv3", "residual", "output"],
  );
  model.dispose();
});

Deno.test("buildDnCNN() keeps the input shape", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12 });
  const x = tf.randomUniform([3, 12, 12, 1], 0, 1, "float32", 1);
  const y = model.predict(x) as tf.Tensor;
  assertEquals(y.shape, [3, 12, 12, 1]);
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("buildDnCNN() with a zeroed residual layer returns its input exactly", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12 });
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
    const m = buildDnCNN({ imageSize: 12, seed });
    const values = await Promise.all(m.getWeights().map((w) => w.data()));
    m.dispose();
    return values.map((v) => Array.from(v));
  };
  assertEquals(await weights(3), await weights(3));
  assertNotEquals(await weights(3), await weights(4));
});

Deno.test("buildDnCNN() learns: a few trainBatch() steps lower the MSE on a tiny batch", async () => {
  await tf.setBackend("cpu");
  const model = buildDnCNN({ imageSize: 12, seed: 1 });
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
