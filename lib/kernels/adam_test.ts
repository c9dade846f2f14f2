import * as tf from "@tensorflow/tfjs";
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
