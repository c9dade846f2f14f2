/**
 * Element-wise kernels on 128-bit SIMD: GreaterEqual against a scalar (dropout's mask;
 * ~7× faster than the stock kernel), Add (of a bias row, ~1.4×), Multiply, and Relu and
 * Step (ReLU's gradient is `dy · step(x)`). Large calls are split over the kernel pool's
 * threads; each element is computed alike whatever the split, so the bits do not depend
 * on the thread count.
 *
 * Binary ops take the fast path for equal shapes, a row vector broadcast over the last
 * axis (a bias) and a scalar; other broadcasts, non-float32 data and sizes that are not
 * a multiple of 4 go to the stock kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { kernelsOf } from "./indirect_conv.ts";
import { CallRecorder, kernelThreads, runOnThreads } from "./kernel_pool.ts";
import type { PoolFunction } from "./kernel_pool_protocol.ts";
import type { BinaryKernel, SimdKernels } from "./simd.ts";
import { addressOf, type KernelArgs, type WasmBackend, type WasmKernelFunc } from "./wasm_heap.ts";

/** How a binary op walks its operands: a `[rows, cols]` result, row strides in bytes. */
export interface RowPlan {
  /** Rows of the result. */
  rows: number;
  /** Columns of the result (a multiple of 4). */
  cols: number;
  /** Bytes between rows of `a` (0: one row repeated). */
  aRowBytes: number;
  /** Bytes between rows of `b`. */
  bRowBytes: number;
  /** Which operand, if any, is a scalar to be splatted into four lanes. */
  scalar?: "a" | "b";
}

/** A row plan for `a op b` broadcast to `outShape`, or null when no fast path applies. */
export function planBinary(aShape: number[], bShape: number[], outShape: number[]): RowPlan | null {
  const n = tf.util.sizeFromShape(outShape);
  if (n === 0 || n % 4 !== 0) return null;
  const aSize = tf.util.sizeFromShape(aShape);
  const bSize = tf.util.sizeFromShape(bShape);
  if (aSize === n && bSize === n) return { rows: 1, cols: n, aRowBytes: 0, bRowBytes: 0 };
  if (aSize === 1 && bSize === n) {
    return { rows: n / 4, cols: 4, aRowBytes: 0, bRowBytes: 16, scalar: "a" };
  }
  if (bSize === 1 && aSize === n) {
    return { rows: n / 4, cols: 4, aRowBytes: 16, bRowBytes: 0, scalar: "b" };
  }
  const cols = outShape[outShape.length - 1];
  const isRow = (shape: number[]) =>
    shape.length > 0 && shape[shape.length - 1] === cols && tf.util.sizeFromShape(shape) === cols;
  if (cols % 4 !== 0) return null;
  if (aSize === n && isRow(bShape)) {
    return { rows: n / cols, cols, aRowBytes: cols * 4, bRowBytes: 0 };
  }
  if (bSize === n && isRow(aShape)) {
    return { rows: n / cols, cols, aRowBytes: 0, bRowBytes: cols * 4 };
  }
  return null;
}

/** Elements below which an element-wise call stays on the main thread. */
const MIN_PARALLEL_ELEMENTS = 1 << 16;

/** `count` ranges `[first, end)` splitting `0 … total − 1` as evenly as whole numbers allow. */
function evenRanges(total: number, count: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => [
    Math.floor(total * i / count),
    Math.floor(total * (i + 1) / count),
  ]);
}

/** Threads an element-wise call over `n` elements runs on. */
function threadsFor(backend: WasmBackend, n: number): number {
  return n < MIN_PARALLEL_ELEMENTS ? 1 : kernelThreads(backend.wasm.asm.memory);
}

/** Runs kernel `name` with each of `calls`: the first here, the others on the pool's Workers. */
function runSplit(
  name: PoolFunction,
  kernel: (...args: number[]) => void,
  calls: number[][],
): void {
  const jobs = calls.slice(1).map((call) => {
    const recorder = new CallRecorder();
    recorder.call(name, ...call);
    return recorder;
  });
  runOnThreads(jobs, () => kernel(...calls[0]));
}

/**
 * A unary kernel function: the SIMD path for float32 inputs of a multiple of 4
 * elements, else `stock`. Its one parameter is the op's `alpha` attribute (Step's).
 */
function unaryKernel(name: "relu" | "step", stock: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { backend } = args;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const n = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== "float32" || n === 0 || n % 4 !== 0) return stock(args);
    const out = backend.makeOutput([...x.shape], "float32");
    const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    const bits = new Int32Array(Float32Array.of(alpha).buffer)[0];
    const [x0, out0] = [addressOf(backend, x), addressOf(backend, out)];
    const quads = evenRanges(n / 4, threadsFor(backend, n));
    runSplit(
      name,
      kernelsOf(backend)[name],
      quads.map(([q0, q1]) => [x0 + 16 * q0, out0 + 16 * q0, 4 * (q1 - q0), bits]),
    );
    return out;
  };
}

/**
 * Runs the binary kernel `name` following `plan`, on the pool's threads when large; a
 * scalar operand is splatted into a temporary.
 */
function runBinary(
  args: KernelArgs,
  name: PoolFunction,
  kernel: BinaryKernel,
  plan: RowPlan,
  outShape: number[],
  dtype: tf.DataType,
): tf.TensorInfo {
  const { backend } = args;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const out = backend.makeOutput(outShape, dtype);
  let splat: tf.TensorInfo | undefined;
  if (plan.scalar !== undefined) {
    splat = backend.makeOutput([4], "float32");
    const heap = backend.wasm.HEAPF32;
    const from = addressOf(backend, plan.scalar === "a" ? a : b) >>> 2;
    heap.fill(heap[from], addressOf(backend, splat) >>> 2, (addressOf(backend, splat) >>> 2) + 4);
  }
  const address = (which: "a" | "b", t: tf.TensorInfo) =>
    addressOf(backend, plan.scalar === which ? splat! : t);
  const [a0, b0, out0] = [address("a", a), address("b", b), addressOf(backend, out)];
  const outBytes = dtype === "bool" ? 1 : 4;
  const threads = threadsFor(backend, plan.rows * plan.cols);
  // Pieces of rows, or of the columns of a single row, in multiples of 4 elements.
  const pieces = plan.rows === 1
    ? evenRanges(plan.cols / 4, threads).map(([c0, c1]) => [0, 1, 4 * c0, 4 * c1])
    : evenRanges(plan.rows, threads).map(([r0, r1]) => [r0, r1, 0, plan.cols]);
  runSplit(
    name,
    kernel,
    pieces.map(([r0, r1, c0, c1]) => [
      a0 + r0 * plan.aRowBytes + 4 * c0,
      plan.aRowBytes,
      b0 + r0 * plan.bRowBytes + 4 * c0,
      plan.bRowBytes,
      out0 + (r0 * plan.cols + c0) * outBytes,
      r1 - r0,
      c1 - c0,
    ]),
  );
  if (splat !== undefined) backend.disposeData(splat.dataId);
  return out;
}

/**
 * A binary kernel function: the SIMD path when both inputs are float32 and
 * {@linkcode planBinary} finds a plan, else `stock`.
 */
function binaryKernel(
  name: PoolFunction & keyof SimdKernels,
  outDtype: tf.DataType,
  stock: WasmKernelFunc,
): WasmKernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== "float32" || b.dtype !== "float32") return stock(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const plan = planBinary(a.shape, b.shape, outShape);
    if (plan === null) return stock(args);
    const kernel = kernelsOf(args.backend)[name] as BinaryKernel;
    return runBinary(args, name, kernel, plan, outShape, outDtype);
  };
}

/** The stock kernels the element-wise kernels fall back to. */
export interface ElementwiseStock {
  /** Stock Add. */
  add: WasmKernelFunc;
  /** Stock GreaterEqual. */
  greaterEqual: WasmKernelFunc;
  /** Stock Multiply. */
  multiply: WasmKernelFunc;
  /** Stock Relu. */
  relu: WasmKernelFunc;
  /** Stock Step. */
  step: WasmKernelFunc;
}

/** Registration records of Add, GreaterEqual, Multiply, Relu and Step. */
export function elementwiseConfigs(stock: ElementwiseStock): tf.KernelConfig[] {
  const kernels: [string, WasmKernelFunc][] = [
    [tf.Add, binaryKernel("add", "float32", stock.add)],
    [tf.GreaterEqual, binaryKernel("greaterEqual", "bool", stock.greaterEqual)],
    [tf.Multiply, binaryKernel("mul", "float32", stock.multiply)],
    [tf.Relu, unaryKernel("relu", stock.relu)],
    [tf.Step, unaryKernel("step", stock.step)],
  ];
  return kernels.map(([kernelName, func]) => ({
    kernelName,
    backendName: "wasm",
    kernelFunc: func as unknown as tf.KernelFunc,
  }));
}
