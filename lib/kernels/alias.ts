/**
 * Identity and same-type Cast for the wasm backend that share the input's memory instead
 * of copying it, as the cpu backend does. tfjs-core clones every tensor it saves for the
 * backward pass, so the stock copies cost a full pass over each activation per training
 * step. Sharing is safe because tfjs tensors are immutable: variables are updated by
 * swapping their data, never in place.
 *
 * Cast to bool is also fixed here: the stock kernel truncates (−2 becomes 254) instead of
 * testing for non-zero.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { addressOf, type KernelArgs, type WasmBackend, type WasmKernelFunc } from "./wasm_heap.ts";

/** A new reference to `x`'s memory, with `dtype`; released by the usual disposal. */
function share(backend: WasmBackend, x: tf.TensorInfo, dtype: tf.DataType): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype };
}

/** The Identity kernel; strings go to `stock`. */
export function identity(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  return x.dtype === "string" ? stock(args) : share(args.backend, x, x.dtype);
}

/** `x ≠ 0` as a new bool tensor, for float32 or int32 `x`. */
function toBool(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const out = backend.makeOutput([...x.shape], "bool");
  const n = tf.util.sizeFromShape(x.shape);
  const buffer = backend.wasm.HEAPF32.buffer;
  const values = x.dtype === "int32"
    ? new Int32Array(buffer, addressOf(backend, x), n)
    : new Float32Array(buffer, addressOf(backend, x), n);
  const flags = new Uint8Array(buffer, addressOf(backend, out), n);
  for (let i = 0; i < n; i++) flags[i] = values[i] !== 0 ? 1 : 0;
  return out;
}

/** The Cast kernel; casts that change the stored representation go to `stock`. */
export function cast(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (x.dtype === dtype && dtype !== "string") return share(args.backend, x, dtype);
  if (dtype === "bool" && (x.dtype === "float32" || x.dtype === "int32")) {
    return toBool(args.backend, x);
  }
  return stock(args);
}

/** Registration records of {@linkcode identity} and {@linkcode cast}. */
export function aliasConfigs(stock: {
  identity: WasmKernelFunc;
  cast: WasmKernelFunc;
}): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.Identity,
      backendName: "wasm",
      kernelFunc:
        ((args: KernelArgs) => identity(stock.identity, args)) as unknown as tf.KernelFunc,
    },
    {
      kernelName: tf.Cast,
      backendName: "wasm",
      kernelFunc: ((args: KernelArgs) => cast(stock.cast, args)) as unknown as tf.KernelFunc,
    },
  ];
}
