import * as tf from "@tensorflow/tfjs";
import { predictImages } from "../data/images.ts";
import { assert, assertAlmostEquals, assertEquals, assertRejects } from "../_testing_assert.ts";
import { selectBackend } from "./backend.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { loadDataset } from "../data/datasets.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { addNoise } from "../data/noise.ts";
import { DivergedError, type TrainData, trainDenoiser } from "./train.ts";
import { setProgressFile } from "./log.ts";
import { join } from "node:path";

async function tinyData(n = 256): Promise<TrainData> {
  const d = await loadDataset("mnist", { train: n, test: 64, seed: 3 });
  return {
    input: addNoise(d.train, 0.5, { seed: 1 }),
    target: d.train,
    valInput: addNoise(d.test, 0.5, { seed: 2 }),
    valTarget: d.test,
  };
}

Deno.test("trainDenoiser() lowers the loss and leaks no tensors", async () => {
  await selectBackend("auto", { log: () => {} });
  const data = await tinyData();
  const { autoencoder } = buildAutoencoder({ seed: 1 });
  const before = tf.memory().numTensors;
  const r = await trainDenoiser(autoencoder, data, { epochs: 3, batchSize: 32, seed: 1 });
  assertEquals(tf.memory().numTensors, before);
  assertEquals(r.history.map((h) => h.epoch), [1, 2, 3]);
  assert(r.history[2].loss < r.history[0].loss, JSON.stringify(r.history));
  assert(r.history[2].val_loss < r.history[0].val_loss, JSON.stringify(r.history));
  autoencoder.dispose();
});

Deno.test("trainDenoiser() resumed from a checkpoint ends as an uninterrupted run", async () => {
  await selectBackend("auto", { log: () => {} });
  const data = await tinyData(128);
  const options = { epochs: 3, batchSize: 32, seed: 2 };

  const a = buildAutoencoder({ seed: 2 }).autoencoder;
  const full = await trainDenoiser(a, data, options);
  const outA = await predictImages(a, data.valInput);

  const dir = await Deno.makeTempDir();
  const b = buildAutoencoder({ seed: 2 }).autoencoder;
  // Stop after the first epoch through the abort signal, as SIGINT would.
  const controller = new AbortController();
  const partial = await trainDenoiser(b, data, {
    ...options,
    checkpointDir: dir,
    signal: controller.signal,
    callbacks: [{ onEpochEnd: (log) => log.epoch === 1 && controller.abort() }],
  });
  assertEquals([partial.status, partial.history.length], ["interrupted", 1]);
  b.dispose();
  // A fresh process rebuilds the model from its config (same seed: dropout masks are part of
  // it) and loads the checkpoint; without the checkpoint, epoch 2 would start from scratch.
  const c = buildAutoencoder({ seed: 2 }).autoencoder;
  const resumed = await trainDenoiser(c, data, { ...options, checkpointDir: dir });
  const outC = await predictImages(c, data.valInput);
  assertEquals(resumed.history.length, 3);
  for (let e = 0; e < 3; e++) {
    assertAlmostEquals(resumed.history[e].loss, full.history[e].loss, 1e-6);
    assertAlmostEquals(resumed.history[e].val_loss, full.history[e].val_loss, 1e-6);
  }
  let maxDiff = 0;
  for (let i = 0; i < outA.data.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(outA.data[i] - outC.data[i]));
  }
  assert(maxDiff < 1e-5, `predictions differ by ${maxDiff}`);
  a.dispose();
  c.dispose();
});

Deno.test("trainDenoiser() stops on a NaN loss and keeps the last good checkpoint", async () => {
  await selectBackend("auto", { log: () => {} });
  const data = await tinyData(64);
  const { autoencoder } = buildAutoencoder({ seed: 4 });
  const dir = await Deno.makeTempDir();
  // Poison one training pixel after epoch 1: epoch 2's loss becomes NaN.
  const poison = { onEpochEnd: () => void (data.input.data[5] = NaN) };
  await assertRejects(
    () =>
      trainDenoiser(autoencoder, data, {
        epochs: 3,
        batchSize: 32,
        checkpointDir: dir,
        callbacks: [poison],
      }),
    DivergedError,
    "epoch 2",
  );
  const saved = JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`));
  assertEquals(saved.state.epoch, 1);
  assert(Number.isFinite(saved.state.history[0].loss));
  autoencoder.dispose();
});

Deno.test("trainDenoiser() defaults to the config's epochs and batch size", async () => {
  await selectBackend("auto", { log: () => {} });
  const data = await tinyData(16);
  const { autoencoder } = buildAutoencoder({ seed: 0 });
  const controller = new AbortController();
  let seen: { epochs: number; batches: number } | undefined;
  await trainDenoiser(autoencoder, data, {
    signal: controller.signal,
    callbacks: [{
      onTrainBegin(info) {
        seen = info;
        controller.abort(); // stop after the first batch: only the defaults matter here
      },
    }],
  });
  autoencoder.dispose();
  assertEquals(seen?.epochs, DEFAULT_CONFIG.epochs);
  assertEquals(seen?.batches, Math.ceil(16 / DEFAULT_CONFIG.batch));
});

Deno.test("trainDenoiser() feeds the report's progress: the start, then each epoch", async () => {
  await selectBackend("auto", { log: () => {} });
  const data = await tinyData(16);
  const { autoencoder } = buildAutoencoder({ seed: 0 });
  const dir = await Deno.makeTempDir();
  const feed = join(dir, "feed.jsonl");
  setProgressFile(feed);
  const etas: number[] = [];
  try {
    await trainDenoiser(autoencoder, data, {
      epochs: 2,
      batchSize: 8,
      callbacks: [{ onEpochEnd: (_log, _history, _epochs, eta) => etas.push(eta) }],
    });
  } finally {
    setProgressFile(undefined);
    autoencoder.dispose();
  }
  const records = (await Deno.readTextFile(feed)).trim().split("\n").map((l) => JSON.parse(l));
  await Deno.remove(dir, { recursive: true });
  assertEquals(records.map((r) => r.kind), ["begin", "epoch", "epoch"]);
  assertEquals(records.slice(1).map((r) => r.epoch), [1, 2]);
  assertEquals(records[0].batches, 2);
  assertEquals(records.slice(1).map((r) => r.eta), etas);
  assert(etas[0] > 0 && etas[1] === 0, `${etas}`);
});
