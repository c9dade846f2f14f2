import * as tf from "@tensorflow/tfjs";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { trainBatch } from "../train/train_step.ts";
import {
  relativeError,
  seededTensor,
  seededValues,
  setUpBackends,
  withKernels,
} from "./_testing.ts";
import { kernelThreads } from "./kernel_pool.ts";
import { relaxedSimdSupported, simdKernels } from "./simd.ts";

await setUpBackends();

const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } })
  .wasm.asm.memory;

/** The values of `f()` on wasm; tensors freed. */
function valuesOf(f: () => tf.Tensor): Float32Array {
  return tf.tidy(() => Float32Array.from(f().dataSync()));
}

/** Whether `a` and `b` hold the same bits. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer);
  const y = new Uint32Array(b.buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Loss and updated weights after one training step of a seeded autoencoder, batch 4. */
function oneStep(): Float32Array[] {
  const { autoencoder } = buildAutoencoder({ seed: 5 });
  const optimizer = tf.train.adam(1e-3);
  const input = tf.tensor4d(seededValues(4 * 784, 1, 0, 1), [4, 28, 28, 1]);
  const target = tf.tensor4d(seededValues(4 * 784, 2, 0, 1), [4, 28, 28, 1]);
  const loss = trainBatch(autoencoder, optimizer, input, target);
  const result = [
    Float32Array.of(loss),
    ...autoencoder.getWeights().map((w) => Float32Array.from(w.dataSync())),
  ];
  tf.dispose([input, target]);
  optimizer.dispose();
  autoencoder.dispose();
  return result;
}

Deno.test("a Worker really shares the kernels: 2 threads are running on the wasm heap", () => {
  if (kernelThreads(memory) !== 2) throw new Error(`${kernelThreads(memory)} threads`);
});

Deno.test("convolutions on 2 threads give the bits of 1 thread, on both arithmetic paths", async () => {
  const x = seededTensor([5, 15, 15, 8], 1) as tf.Tensor4D;
  const w = seededTensor([3, 3, 8, 16], 2) as tf.Tensor4D;
  const dy = seededTensor([5, 8, 8, 16], 3) as tf.Tensor4D;
  const ops = {
    conv2d: () => tf.conv2d(x, w, 2, "same"),
    conv2dTranspose: () => tf.conv2dTranspose(dy, w, [5, 15, 15, 8], 2, "same"),
  };
  for (const fma of [true, false]) {
    for (const [name, op] of Object.entries(ops)) {
      const one = await withKernels({ threads: 1, fma }, () => valuesOf(op));
      const two = await withKernels({ threads: 2, fma }, () => valuesOf(op));
      if (!sameBits(one, two)) throw new Error(`${name} (fma ${fma}) differs on 2 threads`);
    }
  }
  tf.dispose([x, w, dy]);
});

Deno.test("a training step on 2 threads repeats bit for bit and gives the bits of 1 thread", async () => {
  for (const fma of [true, false]) {
    const one = await withKernels({ threads: 1, fma }, oneStep);
    const two = await withKernels({ threads: 2, fma }, oneStep);
    const again = await withKernels({ threads: 2, fma }, oneStep);
    if (!two.every((v, i) => sameBits(v, again[i]))) {
      throw new Error(`fma ${fma}: two runs on 2 threads differ`);
    }
    // The filter gradients sum fixed parts of the batch whatever the thread count.
    for (const [i, v] of two.entries()) {
      if (!sameBits(v, one[i])) {
        throw new Error(
          `fma ${fma}, step output ${i}: 2 threads differ from 1 by ` +
            relativeError(v, one[i]),
        );
      }
    }
  }
});

Deno.test("KERNEL_FMA's two paths are distinct modules, selected by the fma option", async () => {
  const fused = await withKernels({ threads: 1, fma: true }, () => simdKernels(memory));
  const plain = await withKernels({ threads: 1, fma: false }, () => simdKernels(memory));
  if (plain.fma) throw new Error("fma: false still runs the fused path");
  if (fused.fma !== relaxedSimdSupported()) throw new Error("fma: true ignores relaxed SIMD");
  if (relaxedSimdSupported()) {
    // Fused and unfused rounding differ somewhere on a large enough product.
    const x = seededTensor([2, 9, 9, 16], 7) as tf.Tensor4D;
    const w = seededTensor([3, 3, 16, 16], 8) as tf.Tensor4D;
    const a = await withKernels(
      { threads: 1, fma: true },
      () => valuesOf(() => tf.conv2d(x, w, 1, "same")),
    );
    const b = await withKernels(
      { threads: 1, fma: false },
      () => valuesOf(() => tf.conv2d(x, w, 1, "same")),
    );
    tf.dispose([x, w]);
    if (sameBits(a, b)) throw new Error("the two paths gave identical bits");
  }
});
