import * as tf from "@tensorflow/tfjs";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { mseLoss, trainBatch } from "../train/train_step.ts";
import { applyGradients } from "./adam.ts";
import { KERNEL_CONFIGS, seededValues, setUpBackends, withKernels } from "./_testing.ts";

await setUpBackends();

/** Variable sizes: a lone float, tails after whole vectors, and one split over threads. */
const SIZES = [1, 5, 7, 64, 20_003];

/**
 * Weights, then moments (`getWeights` order), after `steps` Adam steps on seeded
 * variables of {@linkcode SIZES}, applied by `apply`; and the kernels of the last step.
 */
async function afterSteps(
  prefix: string,
  apply: (optimizer: tf.Optimizer, grads: tf.NamedTensorMap) => void,
  steps = 3,
): Promise<{ values: Float32Array[]; kernels: number }> {
  const variables = SIZES.map((n, i) =>
    tf.tidy(() => tf.variable(tf.tensor1d(seededValues(n, i)), true, `${prefix}${i}`))
  );
  const optimizer = tf.train.adam(0.01);
  let kernels = 0;
  for (let s = 0; s < steps; s++) {
    const grads: tf.NamedTensorMap = Object.fromEntries(
      variables.map((v, i) => [v.name, tf.tensor1d(seededValues(v.size, 100 * s + i, -3, 3))]),
    );
    kernels = (await tf.profile(() => apply(optimizer, grads))).kernels.length;
    tf.dispose(grads);
  }
  const moments = (await optimizer.getWeights()).slice(1).map((w) => w.tensor);
  const values = [...variables, ...moments].map((t) => Float32Array.from(t.dataSync()));
  optimizer.dispose();
  tf.dispose(variables);
  return { values, kernels };
}

/** Index of the first value whose bits differ, or -1. */
function firstDifference(a: Float32Array[], b: Float32Array[]): number {
  const bits = (x: Float32Array[]) => x.flatMap((v) => [...new Uint32Array(v.buffer)]);
  const [x, y] = [bits(a), bits(b)];
  return x.length === y.length ? x.findIndex((v, i) => v !== y[i]) : 0;
}

Deno.test("the fused Adam update gives tfjs's bits, on 1 and 2 threads and both FMA paths", async () => {
  const stock = await afterSteps("stock", (o, g) => o.applyGradients(g));
  for (const config of KERNEL_CONFIGS) {
    const fused = await withKernels(config, () => afterSteps("fused", applyGradients));
    const at = firstDifference(fused.values, stock.values);
    if (at !== -1) throw new Error(`${JSON.stringify(config)}: float ${at} differs`);
    // tfjs runs 13 kernels a variable; the fused step only updates Adam's two scalars.
    if (fused.kernels > 2) throw new Error(`${fused.kernels} kernels in a fused step`);
  }
});

Deno.test("a weight another tensor shares keeps the sharer's values and is still updated", async () => {
  const stock = await afterSteps("plain", (o, g) => o.applyGradients(g), 1);
  let copy: tf.Tensor | undefined;
  let before: Float32Array | undefined;
  const shared = await afterSteps("shared", (optimizer, grads) => {
    const w = tf.engine().registeredVariables.shared4;
    copy = w.clone(); // shares w's memory
    before = Float32Array.from(copy.dataSync());
    applyGradients(optimizer, grads);
  }, 1);
  const after = Float32Array.from(copy!.dataSync());
  copy!.dispose();
  if (firstDifference([after], [before!]) !== -1) throw new Error("the clone changed");
  if (firstDifference(shared.values, stock.values) !== -1) {
    throw new Error("the update differs from tfjs's");
  }
});

Deno.test("three training steps of the autoencoder with the fused update give tfjs's bits", async () => {
  // Step 2 reads weights the first update wrote: stale cached copies would show there.
  const run = (fused: boolean) => {
    const { autoencoder } = buildAutoencoder({ seed: 4 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor4d(seededValues(4 * 784, 1, 0, 1), [4, 28, 28, 1]);
    const losses = Array.from({ length: 3 }, () => {
      if (fused) return trainBatch(autoencoder, optimizer, x, x);
      const f = () => mseLoss(x, autoencoder.apply(x, { training: true }) as tf.Tensor);
      const loss = optimizer.minimize(f, true)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    });
    const values = [
      Float32Array.from(losses),
      ...autoencoder.getWeights().map((w) => w.dataSync()),
    ];
    x.dispose();
    optimizer.dispose();
    autoencoder.dispose();
    return values.map((v) => Float32Array.from(v));
  };
  for (const config of KERNEL_CONFIGS) {
    const [stock, fused] = await withKernels(config, () => [run(false), run(true)]);
    const at = firstDifference(fused, stock);
    if (at !== -1) throw new Error(`${JSON.stringify(config)}: float ${at} differs`);
  }
});
