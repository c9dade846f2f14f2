import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertRejects } from "./_assert.ts";
import { InputError } from "./errors.ts";
import { buildAutoencoder } from "./model.ts";
import { loadModel, saveModel } from "./model_io.ts";

Deno.test("saveModel() then loadModel() gives identical predictions", async () => {
  await tf.setBackend("cpu");
  const { autoencoder } = buildAutoencoder({ seed: 5 });
  const dir = await Deno.makeTempDir();
  await saveModel(autoencoder, dir);
  const loaded = await loadModel(dir);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 1);
  const a = autoencoder.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assertEquals(Array.from(await b.data()), Array.from(await a.data()));
  assertEquals(loaded.countParams(), 178_001);
  tf.dispose([x, a, b]);
  autoencoder.dispose();
  loaded.dispose();
});

Deno.test("loadModel() reports corrupt weights instead of loading them", async () => {
  await tf.setBackend("cpu");
  const { autoencoder } = buildAutoencoder();
  const dir = await Deno.makeTempDir();
  await saveModel(autoencoder, dir);
  autoencoder.dispose();
  const bytes = await Deno.readFile(`${dir}/weights.bin`);
  bytes[100] ^= 0xff;
  await Deno.writeFile(`${dir}/weights.bin`, bytes);
  await assertRejects(() => loadModel(dir), InputError, "corrupt");
  await assertRejects(() => loadModel(`${dir}/nowhere`), InputError, "no model at");
});
