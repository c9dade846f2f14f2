/**
 * Conv2DBackpropInput for the wasm backend: the input gradient of a 2-D convolution,
 * which is also the forward pass of a transposed convolution. The stock kernel is a
 * scalar loop; this one runs on the project's SIMD convolution.
 *
 * Sub-pixel decomposition: the `dx` pixels whose row (column) has the same phase modulo
 * the stride receive the same filter taps, so each phase class is a stride-1 convolution
 * of `dy` with a flipped sub-filter, written straight into its pixels of `dx`. No multiply
 * by an inserted zero, no scatter-add, no intermediate buffer. At stride 1 it is a single
 * convolution with the flipped filter. The classes run in one round of the kernel pool.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Convolution, convolveAll } from "./indirect_conv.ts";
import { addressOf, type KernelArgs, type WasmKernelFunc } from "./wasm_heap.ts";

/**
 * One axis of a phase class: the `dx` coordinates `first + i·stride` (`i < count`) take
 * filter taps `phase + j·stride` (`j < taps`), and coordinate `first + i·stride` reads
 * `dy` from `i − pad` on, through the taps in reverse.
 */
export interface PhaseAxis {
  /** Filter taps of the class along this axis; 0 means its pixels receive nothing. */
  taps: number;
  /** Index of the class's first filter tap. */
  phase: number;
  /** First `dx` coordinate of the class. */
  first: number;
  /** Number of `dx` coordinates in the class. */
  count: number;
  /** Padding before `dy` in the class convolution; negative skips entries of `dy`. */
  pad: number;
}

/**
 * Splits one axis of a transposed convolution into its phase classes, from
 * `dx[q·s + phase − padBefore] = Σ_j dy[q − j] · W[phase + j·s]`.
 *
 * @param size `dx` length along the axis.
 * @param kernel filter taps along the axis.
 * @param stride stride along the axis.
 * @param padBefore padding before the input of the forward convolution.
 */
export function phaseAxes(
  size: number,
  kernel: number,
  stride: number,
  padBefore: number,
): PhaseAxis[] {
  const axes: PhaseAxis[] = [];
  for (let phase = 0; phase < stride; phase++) {
    const taps = Math.max(0, Math.ceil((kernel - phase) / stride));
    const q0 = Math.ceil((padBefore - phase) / stride);
    const q1 = Math.floor((size - 1 + padBefore - phase) / stride);
    axes.push({
      taps,
      phase,
      first: q0 * stride + phase - padBefore,
      count: Math.max(0, q1 - q0 + 1),
      // Class pixel i reads dy[q0 + i − (taps − 1) + j'] for flipped tap j'.
      pad: taps - 1 - q0,
    });
  }
  return axes;
}

/**
 * The kernel: `dx` (`[n, h, w, inChannels]`, a new tensor) from `dy`
 * (`[n, outH, outW, outChannels]`) and `filter` (`[kh, kw, inChannels, outChannels]`).
 * NCHW data goes to `stock`.
 */
export function conv2DBackpropInput(stock: WasmKernelFunc, args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (attrs.dataFormat === "NCHW" || dy.dtype !== "float32") return stock(args);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterWidth } = info;
  const ys = phaseAxes(inHeight, info.filterHeight, info.strideHeight, info.padInfo.top);
  const xs = phaseAxes(inWidth, filterWidth, info.strideWidth, info.padInfo.left);
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], "float32");
  const dxAddress = addressOf(backend, dx);
  if (ys.some((y) => y.taps === 0 && y.count > 0) || xs.some((x) => x.taps === 0 && x.count > 0)) {
    const start = dxAddress >>> 2;
    backend.wasm.HEAPF32.fill(0, start, start + batchSize * inHeight * inWidth * inChannels);
  }
  const pixelBytes = inChannels * 4;
  const classes: Convolution[] = [];
  for (const y of ys) {
    for (const x of xs) {
      if (y.taps === 0 || x.taps === 0 || y.count === 0 || x.count === 0) continue;
      const taps: number[] = [];
      for (let jy = 0; jy < y.taps; jy++) {
        for (let jx = 0; jx < x.taps; jx++) {
          const ky = y.phase + (y.taps - 1 - jy) * info.strideHeight;
          const kx = x.phase + (x.taps - 1 - jx) * info.strideWidth;
          taps.push(ky * filterWidth + kx);
        }
      }
      classes.push({
        geometry: {
          input: addressOf(backend, dy),
          batch: batchSize,
          inHeight: info.outHeight,
          inWidth: info.outWidth,
          inChannels: outChannels,
          outHeight: y.count,
          outWidth: x.count,
          strideY: 1,
          strideX: 1,
          padTop: y.pad,
          padLeft: x.pad,
          tapsY: y.taps,
          tapsX: x.taps,
          dilationY: 1,
          dilationX: 1,
        },
        filter: {
          address: addressOf(backend, filter),
          axis2: inChannels,
          axis3: outChannels,
          taps,
          swapChannels: true,
        },
        outChannels: inChannels,
        output: {
          base: dxAddress + (y.first * inWidth + x.first) * pixelBytes,
          imageBytes: inHeight * inWidth * pixelBytes,
          rowBytes: info.strideHeight * inWidth * pixelBytes,
          pixelBytes: info.strideWidth * pixelBytes,
        },
      });
    }
  }
  // The phase classes in one round of the kernel pool.
  if (classes.length > 0) convolveAll(backend, classes);
  return dx;
}

/** Registration record of {@linkcode conv2DBackpropInput} for the wasm backend. */
export function conv2DBackpropInputConfig(stock: WasmKernelFunc): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: "wasm",
    kernelFunc:
      ((args: KernelArgs) => conv2DBackpropInput(stock, args)) as unknown as tf.KernelFunc,
  };
}
