/**
 * BatchMatMul for the wasm backend: 2-D products (batch 1) run as 1×1 convolutions on
 * the project's SIMD kernels and the kernel pool (`m` one-pixel images of `k` channels,
 * `n` filters). tfjs-backend-wasm runs a scalar triple loop for transposed operands and
 * XNNPACK, which packs `b` again on every call (~1 GFLOP/s here), otherwise. Dense
 * layers' gradients are `dy · Wᵀ` and `xᵀ · dy`; a transposed operand is materialised
 * first, one pass over it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dForward } from "./conv2d.ts";
import type { KernelArgs, WasmBackend, WasmKernelFunc } from "./wasm_heap.ts";

/** The stock wasm kernels a product is built from. */
export interface MatMulKernels {
  /** tfjs-backend-wasm's BatchMatMul (XNNPACK when untransposed, batch 1). */
  batchMatMul: WasmKernelFunc;
  /** tfjs-backend-wasm's Transpose. */
  transpose: WasmKernelFunc;
}

/**
 * `op(a) · op(b)` for 2-D float32 operands, where `op` transposes when asked.
 *
 * @param a `[m, k]`, or `[k, m]` when `transposeA`.
 * @param b `[k, n]`, or `[n, k]` when `transposeB`.
 * @returns a new `[m, n]` tensor owned by the caller (dispose with `backend.disposeData`);
 * the inputs are untouched and stay owned by the caller.
 */
export function matMul2d(
  kernels: MatMulKernels,
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA = false,
  transposeB = false,
): tf.TensorInfo {
  const at = transposeA ? transpose2d(kernels, backend, a) : a;
  const bt = transposeB ? transpose2d(kernels, backend, b) : b;
  const [m, k] = at.shape;
  const n = bt.shape[1];
  const info = tf.backend_util.computeConv2DInfo([m, 1, 1, k], [1, 1, k, n], 1, 1, "valid");
  const out = conv2dForward(
    backend,
    view(at, [m, 1, 1, k]),
    view(bt, [1, 1, k, n]),
    info,
    undefined,
    false,
  );
  if (at !== a) backend.disposeData(at.dataId);
  if (bt !== b) backend.disposeData(bt.dataId);
  return { dataId: out.dataId, shape: [at.shape[0], bt.shape[1]], dtype: "float32" };
}

/** A new `[n, m]` copy of the `[m, n]` tensor `x`, owned by the caller. */
function transpose2d(
  kernels: MatMulKernels,
  backend: WasmBackend,
  x: tf.TensorInfo,
): tf.TensorInfo {
  return kernels.transpose({ inputs: { x }, backend, attrs: { perm: [1, 0] } });
}

/** `x` viewed with another shape of the same size; shares memory, so never dispose it. */
function view(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * The kernel: products whose batch dimensions are all 1 and that transpose an operand go
 * through {@linkcode matMul2d}; everything else goes to the stock kernel unchanged.
 */
export function batchMatMul(kernels: MatMulKernels, args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const empty = tf.util.sizeFromShape(a.shape) === 0 || tf.util.sizeFromShape(b.shape) === 0;
  if (batchA !== 1 || batchB !== 1 || a.dtype !== "float32" || b.dtype !== "float32" || empty) {
    return kernels.batchMatMul(args);
  }
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const out = matMul2d(
    kernels,
    backend,
    view(a, [a0, a1]),
    view(b, [b0, b1]),
    transposeA,
    transposeB,
  );
  const outer = a.shape.length > b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  return view(out, [...outer, ...out.shape]);
}

/** Registration record of {@linkcode batchMatMul} for the wasm backend. */
export function batchMatMulConfig(kernels: MatMulKernels): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    kernelFunc: ((args: KernelArgs) => batchMatMul(kernels, args)) as unknown as tf.KernelFunc,
  };
}
