/**
 * Translates tfjs's `Conv2DInfo` into the geometry and layouts of
 * {@linkcode ./indirect_conv.ts}.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ConvGeometry, FilterSource, OutputLayout } from "./indirect_conv.ts";

/** The forward convolution `info` reading the NHWC input at byte address `input`. */
export function forwardGeometry(input: number, info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    input,
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideY: info.strideHeight,
    strideX: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    tapsY: info.filterHeight,
    tapsX: info.filterWidth,
    dilationY: info.dilationHeight,
    dilationX: info.dilationWidth,
  };
}

/** All taps of the `[kh, kw, in, out]` filter at byte address `address`, in order. */
export function wholeFilter(address: number, info: tf.backend_util.Conv2DInfo): FilterSource {
  return {
    address,
    axis2: info.inChannels,
    axis3: info.outChannels,
    taps: [...Array(info.filterHeight * info.filterWidth).keys()],
    swapChannels: false,
  };
}

/** A dense NHWC tensor `[n, height, width, channels]` at byte address `base`. */
export function denseLayout(
  base: number,
  height: number,
  width: number,
  channels: number,
): OutputLayout {
  const pixelBytes = channels * 4;
  return {
    base,
    imageBytes: height * width * pixelBytes,
    rowBytes: width * pixelBytes,
    pixelBytes,
  };
}
