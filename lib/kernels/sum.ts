/**
 * Sum for the wasm backend with a fast path for reducing every axis but the last — the
 * bias gradient of a channels-last layer. The stock kernel first transposes the tensor so
 * that the reduced axes come last; column sums read it once, in order.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { kernelsOf } from "./indirect_conv.ts";
import { addressOf, type KernelArgs, type WasmKernelFunc } from "./wasm_heap.ts";

/** The kernel; reductions other than "all axes but the last" go to `stock`. */
export function sum(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const channels = x.shape[rank - 1];
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== "float32" || channels % 4 !== 0) return stock(args);
  const shape = keepDims ? [...Array(rank - 1).fill(1), channels] : [channels];
  const out = backend.makeOutput(shape, "float32");
  kernelsOf(backend).colSum(
    addressOf(backend, x),
    tf.util.sizeFromShape(x.shape) / channels,
    channels,
    addressOf(backend, out),
  );
  return out;
}

/** Registration record of {@linkcode sum} for the wasm backend. */
export function sumConfig(stock: WasmKernelFunc): tf.KernelConfig {
  return {
    kernelName: tf.Sum,
    backendName: "wasm",
    kernelFunc: ((args: KernelArgs) => sum(stock, args)) as unknown as tf.KernelFunc,
  };
}
