/**
 * Conv2D and FusedConv2D for the wasm backend on the project's SIMD convolution, with
 * bias and ReLU applied in the kernel's epilogue. Other activations, PReLU weights and
 * NCHW data go to the stock (XNNPACK) kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { convolve } from "./indirect_conv.ts";
import { denseLayout, forwardGeometry, wholeFilter } from "./conv_geometry.ts";
import { addressOf, type KernelArgs, type WasmBackend, type WasmKernelFunc } from "./wasm_heap.ts";

/** Geometry of a forward convolution from its attributes. */
function convInfo(
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/**
 * `act(conv(x, filter) + bias)` as a new `[n, outH, outW, outChannels]` tensor.
 *
 * @param bias `[outChannels]` or absent.
 */
export function conv2dForward(
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
): tf.TensorInfo {
  const out = backend.makeOutput(info.outShape, "float32");
  convolve(
    backend,
    forwardGeometry(addressOf(backend, x), info),
    wholeFilter(addressOf(backend, filter), info),
    info.outChannels,
    denseLayout(addressOf(backend, out), info.outHeight, info.outWidth, info.outChannels),
    { bias: bias === undefined ? undefined : addressOf(backend, bias), relu },
  );
  return out;
}

/** The Conv2D kernel; NCHW goes to `stock`. */
export function conv2d(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DAttrs;
  if (attrs.dataFormat === "NCHW" || x.dtype !== "float32") return stock(args);
  return conv2dForward(args.backend, x, filter, convInfo(x, filter, attrs), undefined, false);
}

/** The FusedConv2D kernel; activations other than linear and ReLU go to `stock`. */
export function fusedConv2d(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs as {
    x: tf.TensorInfo;
    filter: tf.TensorInfo;
    bias?: tf.TensorInfo;
    preluActivationWeights?: tf.TensorInfo;
  };
  const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
  const activation = attrs.activation ?? "linear";
  const info = convInfo(x, filter, attrs);
  const plainBias = bias == null || tf.util.sizeFromShape(bias.shape) === info.outChannels;
  if (
    attrs.dataFormat === "NCHW" || x.dtype !== "float32" || preluActivationWeights != null ||
    (activation !== "linear" && activation !== "relu") || !plainBias
  ) {
    return stock(args);
  }
  return conv2dForward(args.backend, x, filter, info, bias ?? undefined, activation === "relu");
}

/** Registration records of {@linkcode conv2d} and {@linkcode fusedConv2d}. */
export function conv2dConfigs(stock: {
  conv2d: WasmKernelFunc;
  fusedConv2d: WasmKernelFunc;
}): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.Conv2D,
      backendName: "wasm",
      kernelFunc: ((args: KernelArgs) => conv2d(stock.conv2d, args)) as unknown as tf.KernelFunc,
    },
    {
      kernelName: tf.FusedConv2D,
      backendName: "wasm",
      kernelFunc:
        ((args: KernelArgs) => fusedConv2d(stock.fusedConv2d, args)) as unknown as tf.KernelFunc,
    },
  ];
}
