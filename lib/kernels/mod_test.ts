import * as tf from "@tensorflow/tfjs";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { mseLoss, trainBatch } from "../train/train_step.ts";
import { assertSmall, relativeError, seededValues, setUpBackends } from "./_testing.ts";
import { WASM_TRAINING_KERNELS } from "./mod.ts";

await setUpBackends();

/** A small residual DnCNN-style denoiser: stride-1 3×3 convolutions, 1→32→32→32→1. */
function buildDnCnn(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1] });
  let h = input;
  let seed = 0;
  for (const filters of [32, 32, 32, 1]) {
    h = tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: "same",
      activation: filters > 1 ? "relu" : "linear",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
    }).apply(h) as tf.SymbolicTensor;
  }
  // input − predicted noise; the last layer learns the sign, so an Add layer suffices.
  const output = tf.layers.add().apply([input, h]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/**
 * On `backend`, the loss of one training step of the model `build` makes (starting from
 * `weights`, in `getWeights()` order, if given) on a seeded batch of `batch` images, then
 * its inference loss after the update, which depends on the gradients.
 */
async function lossesOn(
  backend: "cpu" | "wasm",
  build: () => tf.LayersModel,
  weights: Float32Array[] | undefined,
  batch: number,
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = build();
  const [, h, w, c] = model.inputs[0].shape as number[];
  const size = batch * h * w * c;
  if (weights !== undefined) {
    model.setWeights(weights.map((v, i) => tf.tensor(v, model.getWeights()[i].shape)));
  }
  const initial = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
  const input = tf.tensor4d(seededValues(size, 1, 0, 1), [batch, h, w, c]);
  const target = tf.tensor4d(seededValues(size, 2, 0, 1), [batch, h, w, c]);
  const optimizer = tf.train.adam(1e-3);
  const losses = [trainBatch(model, optimizer, input, target)];
  losses.push(tf.tidy(() => mseLoss(target, model.predict(input) as tf.Tensor).dataSync()[0]));
  tf.dispose([input, target]);
  optimizer.dispose();
  model.dispose();
  await tf.setBackend("wasm");
  return { losses, weights: initial };
}

/** Trains `build`'s model on cpu, then from the same weights on wasm; compares losses. */
async function assertSameTraining(what: string, build: () => tf.LayersModel): Promise<void> {
  const cpu = await lossesOn("cpu", build, undefined, 2);
  const wasm = await lossesOn("wasm", build, cpu.weights, 2);
  assertSmall(
    relativeError(wasm.losses, cpu.losses),
    `${what} losses ${wasm.losses} vs ${cpu.losses}`,
  );
}

Deno.test("a training step of the report's autoencoder on wasm gives the cpu backend's losses", async () => {
  await assertSameTraining("autoencoder", () => buildAutoencoder().autoencoder);
});

Deno.test("the autoencoder without dropout and with an 8-number code trains on wasm like on cpu", async () => {
  await assertSameTraining(
    "autoencoder latent 8, dropout 0",
    () => buildAutoencoder({ latentDim: 8, dropout: 0, seed: 3 }).autoencoder,
  );
});

Deno.test("a residual DnCNN-style denoiser trains on wasm like on cpu", async () => {
  await assertSameTraining("DnCNN", () => buildDnCnn(12));
});

Deno.test("a training step on wasm leaves no tensor and no wasm buffer behind", () => {
  const { autoencoder } = buildAutoencoder();
  const optimizer = tf.train.adam(1e-3);
  const input = tf.tensor4d(seededValues(4 * 784, 1, 0, 1), [4, 28, 28, 1]);
  trainBatch(autoencoder, optimizer, input, input); // creates Adam's moment variables
  const tensors = tf.memory().numTensors;
  const buffers = tf.engine().backend.numDataIds();
  for (let s = 0; s < 3; s++) trainBatch(autoencoder, optimizer, input, input);
  const after = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
  input.dispose();
  optimizer.dispose();
  autoencoder.dispose();
  if (after[0] !== tensors || after[1] !== buffers) {
    throw new Error(`tensors ${tensors} → ${after[0]}, wasm buffers ${buffers} → ${after[1]}`);
  }
});

Deno.test("every kernel the project registers is active on the wasm backend", () => {
  for (const name of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(name, "wasm") === undefined) throw new Error(`${name} is not registered`);
  }
});
