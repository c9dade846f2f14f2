import * as tf from "@tensorflow/tfjs";
import {
  assertSmall,
  CONV_CASES,
  errorAgainstCpu,
  seededTensor,
  setUpBackends,
} from "./_testing.ts";

await setUpBackends();

Deno.test("Conv2D on wasm matches the cpu backend for every stride, padding and shape case", async () => {
  for (const [i, c] of CONV_CASES.entries()) {
    const error = await errorAgainstCpu(() =>
      tf.conv2d(
        seededTensor(c.x, i) as tf.Tensor4D,
        seededTensor(c.filter, 100 + i) as tf.Tensor4D,
        c.strides,
        c.pad,
        "NHWC",
        c.dilations ?? 1,
      )
    );
    assertSmall(error, `Conv2D ${JSON.stringify(c)}`);
  }
});

Deno.test("FusedConv2D on wasm adds the bias and applies ReLU like the cpu backend", async () => {
  for (const [i, c] of CONV_CASES.entries()) {
    for (const activation of ["linear", "relu"] as const) {
      const error = await errorAgainstCpu(() =>
        tf.fused.conv2d({
          x: seededTensor(c.x, i) as tf.Tensor4D,
          filter: seededTensor(c.filter, 100 + i) as tf.Tensor4D,
          strides: c.strides,
          pad: c.pad,
          dilations: c.dilations ?? 1,
          bias: seededTensor([c.filter[3]], 200 + i),
          activation,
        })
      );
      assertSmall(error, `FusedConv2D ${activation} ${JSON.stringify(c)}`);
    }
  }
});

Deno.test("FusedConv2D on wasm still handles activations it leaves to the stock kernel", async () => {
  const error = await errorAgainstCpu(() =>
    tf.fused.conv2d({
      x: seededTensor([2, 6, 6, 3], 1) as tf.Tensor4D,
      filter: seededTensor([3, 3, 3, 4], 2) as tf.Tensor4D,
      strides: 1,
      pad: "same",
      bias: seededTensor([4], 3),
      activation: "elu",
    })
  );
  assertSmall(error, "FusedConv2D elu");
});
