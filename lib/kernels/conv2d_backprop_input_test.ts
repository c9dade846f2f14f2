import * as tf from "@tensorflow/tfjs";
import {
  assertSmall,
  CONV_CASES,
  errorAgainstCpu,
  seededTensor,
  setUpBackends,
} from "./_testing.ts";
import { phaseAxes } from "./conv2d_backprop_input.ts";

await setUpBackends();

Deno.test("Conv2DBackpropInput on wasm matches the cpu backend for every convolution case", async () => {
  for (const [i, c] of CONV_CASES.entries()) {
    if (c.dilations !== undefined) continue; // tfjs has no dilated input gradient
    const dyShape = tf.tidy(() =>
      tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad)
        .shape
    );
    const error = await errorAgainstCpu(() =>
      tf.engine().runKernel(
        tf.Conv2DBackpropInput,
        { dy: seededTensor(dyShape, 300 + i), filter: seededTensor(c.filter, 100 + i) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", inputShape: c.x },
      ) as tf.Tensor
    );
    assertSmall(error, `Conv2DBackpropInput ${JSON.stringify(c)}`);
  }
});

Deno.test("conv2dTranspose on wasm matches the cpu backend, as the decoder uses it", async () => {
  const error = await errorAgainstCpu(() =>
    tf.conv2dTranspose(
      seededTensor([2, 7, 7, 8], 1) as tf.Tensor4D,
      seededTensor([3, 3, 4, 8], 2) as tf.Tensor4D,
      [2, 14, 14, 4],
      2,
      "same",
    )
  );
  assertSmall(error, "conv2dTranspose");
});

Deno.test("phase classes of a transposed convolution cover every output coordinate once", () => {
  for (
    const [size, kernel, stride, pad] of [[28, 3, 2, 0], [9, 3, 2, 1], [7, 3, 4, 1], [10, 5, 3, 2]]
  ) {
    const seen = new Array(size).fill(0);
    for (const axis of phaseAxes(size, kernel, stride, pad)) {
      for (let i = 0; i < axis.count; i++) seen[axis.first + i * stride]++;
    }
    if (seen.some((n) => n !== 1)) {
      throw new Error(`phases of ${[size, kernel, stride, pad]} cover ${seen}`);
    }
  }
});
