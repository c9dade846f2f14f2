/**
 * Adam's update of every variable in one SIMD pass over the wasm heap, shared by the
 * kernel pool's threads, instead of tfjs's 13 kernels per variable. The float32
 * operations and their order are tfjs's `AdamOptimizer.applyGradients`, so weights and
 * moments get its bits on any thread count; the moments stay where tfjs keeps them, so
 * `getWeights`/`setWeights` (checkpoints) are unchanged. New weights go to new memory, as
 * with tfjs's `assign`: tfjs-backend-wasm's XNNPACK kernels (the dense layers' matrix
 * products) cache packed weights by tensor, so weights changed in place would go stale.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { kernelsOf } from "./indirect_conv.ts";
import { CallRecorder, kernelThreads, runOnThreads } from "./kernel_pool.ts";
import { ADAM_CONSTANTS } from "./simd_module.ts";
import { addressOf, type WasmBackend } from "./wasm_heap.ts";

/** The `AdamOptimizer` fields tfjs keeps its state in. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

/** Floats below which the update stays on the main thread. */
const MIN_PARALLEL_FLOATS = 1 << 14;

/**
 * Applies `grads` (by variable name, as `optimizer.computeGradients` returns them): with
 * the fused update when `optimizer` is tfjs's Adam on the wasm backend, else with
 * `optimizer.applyGradients`. The caller still disposes `grads`. The moments are updated
 * in place, after copying any whose memory another tensor shares (the tensor given to
 * `setWeights`, say), so no other tensor changes.
 */
export function applyGradients(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
  if (!(optimizer instanceof tf.AdamOptimizer) || tf.getBackend() !== "wasm") {
    optimizer.applyGradients(grads as Record<string, tf.Variable>);
    return;
  }
  const backend = tf.backend() as unknown as WasmBackend;
  const adam = optimizer as unknown as AdamState;
  const moments = [adam.accumulatedFirstMoment, adam.accumulatedSecondMoment];
  // [weight, m, v, gradient] per variable; moments created as tfjs creates them.
  const updates = Object.keys(grads).flatMap((name, i) => {
    const value = tf.engine().registeredVariables[name];
    if (value === undefined) return [[]];
    for (const [j, list] of moments.entries()) {
      list[i] ??= {
        originalName: `${name}/${"mv"[j]}`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
    }
    const gradient = grads[name];
    return gradient == null ? [] : [[value, ...moments.map((l) => l[i].variable), gradient]];
  });
  if (!updates.every((ts) => ts.length === 4 && ts.every((t) => t.dtype === "float32"))) {
    optimizer.applyGradients(grads as Record<string, tf.Variable>);
    return;
  }
  // Moments are updated in place: one whose memory another tensor shares gets its own.
  for (const t of updates.flatMap((ts) => ts.slice(1, 3)) as tf.Variable[]) {
    if (backend.refCount(t.dataId) > 1) tf.tidy(() => t.assign(tf.mul(t, 1)));
  }
  const [acc1, acc2] = [adam.accBeta1, adam.accBeta2].map((t) => t.dataSync()[0]);
  const constants = [
    adam.beta1,
    1 - adam.beta1,
    adam.beta2,
    1 - adam.beta2,
    1 - acc1,
    1 - acc2,
    adam.epsilon,
    -adam.learningRate,
  ];
  const outputs = updates.map(([w]) => backend.makeOutput([...w.shape], "float32"));
  const block = backend.wasm._malloc(4 * ADAM_CONSTANTS) >>> 0;
  try {
    backend.wasm.HEAPF32.set(constants, block >>> 2);
    runUpdates(
      backend,
      updates.map((ts, i) => [...ts, outputs[i]].map((t) => addressOf(backend, t))),
      updates.map(([w]) => w.size),
      block,
    );
  } finally {
    backend.wasm._free(block);
  }
  for (const [i, [w]] of updates.entries()) {
    const t = tf.engine().makeTensorFromTensorInfo(outputs[i]);
    (w as tf.Variable).assign(t);
    t.dispose();
  }
  tf.tidy(() => {
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

/**
 * Runs the `adam` kernel over every variable (`addresses[i]`: weight, m, v, gradient,
 * new weight; `sizes[i]` floats), the floats split evenly over the threads.
 */
function runUpdates(
  backend: WasmBackend,
  addresses: number[][],
  sizes: number[],
  block: number,
): void {
  const total = sizes.reduce((a, b) => a + b, 0);
  const threads = total < MIN_PARALLEL_FLOATS ? 1 : kernelThreads(backend.wasm.asm.memory);
  // Each thread's calls: a run of whole and partial variables.
  const calls = Array.from({ length: threads }, () => [] as number[][]);
  let start = 0;
  for (const [i, size] of sizes.entries()) {
    for (let t = 0; t < threads; t++) {
      const from = Math.max(start, Math.floor(total * t / threads));
      const to = Math.min(start + size, Math.floor(total * (t + 1) / threads));
      if (to > from) {
        const [w, m, v, g, out] = addresses[i].map((a) => a + 4 * (from - start));
        calls[t].push([w, m, v, g, to - from, block, out]);
      }
    }
    start += size;
  }
  const simd = kernelsOf(backend);
  const main = () => {
    for (const args of calls[0]) {
      simd.adam(...(args as Parameters<typeof simd.adam>));
    }
  };
  if (threads === 1) return main();
  const jobs = calls.slice(1).map((list) => {
    const recorder = new CallRecorder();
    for (const args of list) recorder.call("adam", ...args);
    return recorder;
  });
  runOnThreads(jobs, main);
}
