/**
 * Element-wise kernels on 128-bit SIMD where the stock wasm kernels are slow:
 * GreaterEqual against a scalar (dropout's mask; ~7× faster) and Add of a bias row
 * (~1.4×). The other element-wise ops of a training step already run at memory speed.
 *
 * Binary ops take the fast path for equal shapes, a row vector broadcast over the last
 * axis (a bias) and a scalar; other broadcasts, non-float32 data and sizes that are not
 * a multiple of 4 go to the stock kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { kernelsOf } from "./indirect_conv.ts";
import type { BinaryKernel, SimdKernels } from "./simd.ts";
import { addressOf, type KernelArgs, type WasmKernelFunc } from "./wasm_heap.ts";

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

/** Runs a binary kernel following `plan`; a scalar operand is splatted into a temporary. */
function runBinary(
  args: KernelArgs,
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
  kernel(
    address("a", a),
    plan.aRowBytes,
    address("b", b),
    plan.bRowBytes,
    addressOf(backend, out),
    plan.rows,
    plan.cols,
  );
  if (splat !== undefined) backend.disposeData(splat.dataId);
  return out;
}

/**
 * A binary kernel function: the SIMD path when both inputs are float32 and
 * {@linkcode planBinary} finds a plan, else `stock`.
 */
function binaryKernel(
  pick: (simd: SimdKernels) => BinaryKernel,
  outDtype: tf.DataType,
  stock: WasmKernelFunc,
): WasmKernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== "float32" || b.dtype !== "float32") return stock(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const plan = planBinary(a.shape, b.shape, outShape);
    if (plan === null) return stock(args);
    return runBinary(args, pick(kernelsOf(args.backend)), plan, outShape, outDtype);
  };
}

/** The stock kernels the element-wise kernels fall back to. */
export interface ElementwiseStock {
  /** Stock Add. */
  add: WasmKernelFunc;
  /** Stock GreaterEqual. */
  greaterEqual: WasmKernelFunc;
}

/** Registration records of Add and GreaterEqual. */
export function elementwiseConfigs(stock: ElementwiseStock): tf.KernelConfig[] {
  const kernels: [string, WasmKernelFunc][] = [
    [tf.Add, binaryKernel((s) => s.add, "float32", stock.add)],
    [tf.GreaterEqual, binaryKernel((s) => s.greaterEqual, "bool", stock.greaterEqual)],
  ];
  return kernels.map(([kernelName, func]) => ({
    kernelName,
    backendName: "wasm",
    kernelFunc: func as unknown as tf.KernelFunc,
  }));
}
