/**
 * Conv2DBackpropFilter for the wasm backend, which ships none: the filter gradient of a
 * 2-D convolution, accumulated by the project's SIMD kernel straight from `x` and `dy`
 * (no im2col matrix).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { filterGradient } from "./indirect_conv.ts";
import { forwardGeometry } from "./conv_geometry.ts";
import { addressOf, type KernelArgs } from "./wasm_heap.ts";

/**
 * The kernel: `dW[ky, kx, ci, co] = Σ_{n, oy, ox} x[n, iy, ix, ci] · dy[n, oy, ox, co]`
 * over the input pixels `(iy, ix)` each output pixel's taps read. A new tensor.
 */
export function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropFilter needs NHWC");
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dw = backend.makeOutput([...attrs.filterShape], "float32");
  const start = addressOf(backend, dw) >>> 2;
  backend.wasm.HEAPF32.fill(0, start, start + tf.util.sizeFromShape(attrs.filterShape));
  filterGradient(
    backend,
    forwardGeometry(addressOf(backend, x), info),
    addressOf(backend, dy),
    info.outChannels,
    addressOf(backend, dw),
  );
  return dw;
}

/** Registration record of {@linkcode conv2DBackpropFilter} for the wasm backend. */
export function conv2DBackpropFilterConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "wasm",
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
  };
}
