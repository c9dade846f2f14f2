import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../_chromium.ts";
import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { InputError } from "../errors.ts";
import { buildAutoencoder } from "./autoencoder.ts";
import { loadModel, saveModel } from "./model_io.ts";
import { SeededDropout } from "./seeded_dropout.ts";

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

Deno.test("loadModel() checks model.json too, and refuses a model without a digest", async (t) => {
  await tf.setBackend("cpu");
  const { autoencoder } = buildAutoencoder();
  const dir = await Deno.makeTempDir();
  await saveModel(autoencoder, dir);
  autoencoder.dispose();
  const original = await Deno.readTextFile(join(dir, "model.json"));
  const digest = await Deno.readTextFile(join(dir, "sha256.json"));
  await t.step("the output activation changed from sigmoid to linear", async () => {
    assert(original.includes('"activation":"sigmoid"'));
    const edited = original.replaceAll('"activation":"sigmoid"', '"activation":"linear"');
    await Deno.writeTextFile(join(dir, "model.json"), edited);
    await assertRejects(() => loadModel(dir), InputError, "model topology in");
  });
  await t.step("seededDropout removed from model.json", async () => {
    const json = JSON.parse(original);
    delete json.seededDropout;
    await Deno.writeTextFile(join(dir, "model.json"), JSON.stringify(json));
    await assertRejects(() => loadModel(dir), InputError, "corrupt");
  });
  await t.step("sha256.json missing, or without both digests", async () => {
    await Deno.writeTextFile(join(dir, "model.json"), original);
    (await loadModel(dir)).dispose();
    await Deno.remove(join(dir, "sha256.json"));
    await assertRejects(() => loadModel(dir), InputError, "has no valid digest");
    const partial = JSON.parse(digest);
    delete partial["weights.bin"];
    await Deno.writeTextFile(join(dir, "sha256.json"), JSON.stringify(partial));
    await assertRejects(() => loadModel(dir), InputError, "has no valid digest");
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("saveModel() writes only stock layers; loadModel() brings the seeded dropout back", async () => {
  await tf.setBackend("cpu");
  const { autoencoder } = buildAutoencoder({ seed: 3, dropout: 0.25 });
  const dir = await Deno.makeTempDir();
  await saveModel(autoencoder, dir);
  autoencoder.dispose();
  const text = await Deno.readTextFile(join(dir, "model.json"));
  assert(!text.includes(SeededDropout.className), "model.json names SeededDropout");
  const json = JSON.parse(text);
  assertEquals(json.seededDropout, { dec_dropout: { rate: 0.25, seed: 3 } });
  const loaded = await loadModel(dir);
  const decoder = loaded.layers[1] as tf.LayersModel;
  const dropout = decoder.layers.find((l) => l.name === "dec_dropout");
  assert(dropout instanceof SeededDropout, "the loaded layer is seeded again");
  assertEquals([dropout.rate, dropout.seed], [0.25, 3]);
  loaded.dispose();
  await Deno.remove(dir, { recursive: true });
});

/** The tfjs UMD bundle, exactly as npm ships it. */
const TFJS_BUNDLE = fileURLToPath(import.meta.resolve("@tensorflow/tfjs/dist/tf.min.js"));

Deno.test({
  name: "a saved model loads with a plain tf.loadLayersModel in headless Chromium, same output",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await tf.setBackend("cpu");
    const { autoencoder } = buildAutoencoder({ seed: 7 });
    const root = await Deno.makeTempDir();
    await saveModel(autoencoder, join(root, "model"));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 11);
    const expected = Array.from(await (autoencoder.predict(x) as tf.Tensor).data());
    const input = Array.from(await x.data());
    tf.dispose(x);
    autoencoder.dispose();
    await Deno.writeTextFile(
      join(root, "index.html"),
      '<!doctype html><link rel="icon" href="data:,"><script src="tf.min.js"></script>',
    );
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      const path = new URL(req.url).pathname;
      const file = path === "/tf.min.js" ? TFJS_BUNDLE : join(root, path);
      try {
        return new Response(await Deno.readFile(file));
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const browser = await launchChromium();
    try {
      await browser.goto(`http://127.0.0.1:${server.addr.port}/index.html`);
      const got = await browser.evaluate<number[]>(`(async () => {
        await tf.setBackend("cpu");
        const model = await tf.loadLayersModel("/model/model.json");
        const y = model.predict(tf.tensor(${JSON.stringify(input)}, [2, 28, 28, 1]));
        return Array.from(await y.data());
      })()`);
      assertEquals(got.length, expected.length);
      const worst = Math.max(...got.map((v, i) => Math.abs(v - expected[i])));
      assert(worst <= 1e-5, `largest difference ${worst}`);
      assertEquals(browser.errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(root, { recursive: true });
    }
  },
});
