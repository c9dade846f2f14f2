/**
 * Test helpers for the wasm kernels: seeded inputs and comparison against tfjs's cpu
 * backend, the reference implementation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../train/backend.ts";
import { createRng } from "../data/random.ts";
import { type KernelOptions, kernelOptions, setKernelOptions } from "./kernel_options.ts";

/** Largest relative error the kernel tests accept. */
export const TOLERANCE = 1e-4;

/** `size` uniform floats in `[low, high)` from `seed`. */
export function seededValues(size: number, seed: number, low = -1, high = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => low + (high - low) * rng.next());
}

/** A seeded tensor of `shape` on the active backend; the caller disposes it. */
export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed), shape);
}

/**
 * `max |actual − expected| / max |expected|` (absolute when `expected` is all zero);
 * NaN when the lengths differ, so that a comparison fails.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return NaN;
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e) !== Number.isNaN(a)) return NaN;
    if (!Number.isNaN(e)) error = Math.max(error, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return error / (scale || 1);
}

/**
 * The kernel configurations every wasm equality test runs on: the fused multiply-add
 * and the multiply-then-add paths, each on 1 thread and on 2 (the main thread and a
 * Worker, splitting even tiny calls). Where the runtime lacks relaxed SIMD, the `fma`
 * configurations run the fallback path too.
 */
export const KERNEL_CONFIGS: readonly Pick<KernelOptions, "threads" | "fma">[] = [
  { threads: 1, fma: true },
  { threads: 2, fma: true },
  { threads: 1, fma: false },
  { threads: 2, fma: false },
];

/** Runs `f` with the kernels configured as `config` (splitting every call), then restores. */
export async function withKernels<T>(
  config: Pick<KernelOptions, "threads" | "fma">,
  f: () => T | Promise<T>,
): Promise<T> {
  const previous = kernelOptions();
  setKernelOptions({ ...config, minParallelMacs: 0 });
  try {
    return await f();
  } finally {
    setKernelOptions(previous);
  }
}

/**
 * Initialises cpu and wasm (with the project's kernels and one Worker, so that
 * {@linkcode KERNEL_CONFIGS} can use 2 threads) quietly; wasm stays active.
 */
export async function setUpBackends(): Promise<void> {
  const log = () => {};
  await selectBackend("cpu", { log });
  await selectBackend("wasm", { log, threads: 2 });
}

/** Runs `f` on `backend` and returns its result's values and shape; tensors are freed. */
export async function runOn(
  backend: "wasm" | "cpu",
  f: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const y = f();
      return { values: Float32Array.from(y.dataSync()), shape: y.shape };
    });
  } finally {
    await tf.setBackend(previous);
  }
}

/**
 * Runs `f` on cpu and on wasm in each of {@linkcode KERNEL_CONFIGS}, and returns the
 * largest relative error of the wasm results, or Infinity if a shape differs. Inputs must
 * be created inside `f`, on the active backend.
 */
export async function errorAgainstCpu(f: () => tf.Tensor): Promise<number> {
  const expected = await runOn("cpu", f);
  let worst = 0;
  for (const config of KERNEL_CONFIGS) {
    const actual = await withKernels(config, () => runOn("wasm", f));
    if (String(expected.shape) !== String(actual.shape)) return Infinity;
    worst = Math.max(worst, relativeError(actual.values, expected.values));
    if (Number.isNaN(worst)) return NaN;
  }
  return worst;
}

/** Throws, naming `what`, unless `error ≤ TOLERANCE`. */
export function assertSmall(error: number, what: string): void {
  if (!(error <= TOLERANCE)) {
    throw new Error(`${what}: relative error ${error} exceeds ${TOLERANCE}`);
  }
}

/**
 * Forward convolutions covering the kernels' code paths (see each comment); the
 * gradient tests use the same geometry.
 */
export const CONV_CASES: {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number;
  dilations?: number;
}[] = [
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same" }, // odd sizes and channels
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 2, pad: "same" },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 2, pad: "valid" },
  { x: [1, 8, 8, 1], filter: [3, 3, 1, 8], strides: 2, pad: "same" }, // batch 1, one channel in
  { x: [3, 11, 10, 8], filter: [3, 3, 8, 1], strides: 1, pad: "same" }, // one channel out
  { x: [2, 10, 9, 6], filter: [2, 4, 6, 9], strides: [2, 3], pad: "same" }, // uneven filter
  { x: [1, 7, 7, 13], filter: [5, 5, 13, 16], strides: 3, pad: "valid" },
  { x: [2, 6, 6, 4], filter: [1, 1, 4, 12], strides: 1, pad: "valid" }, // 1×1
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 2], strides: 2, pad: 1 }, // explicit padding
  { x: [2, 7, 7, 2], filter: [3, 3, 2, 3], strides: 4, pad: "same" }, // stride > filter
  { x: [1, 14, 14, 32], filter: [3, 3, 32, 64], strides: 2, pad: "same" }, // the report's
  { x: [3, 130, 130, 1], filter: [3, 3, 1, 4], strides: 1, pad: "same" }, // several chunks
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same", dilations: 2 },
];
