import * as tf from "@tensorflow/tfjs";
import {
  assertSmall,
  CONV_CASES,
  errorAgainstCpu,
  seededTensor,
  setUpBackends,
} from "./_testing.ts";

await setUpBackends();

Deno.test("Conv2DBackpropFilter on wasm matches the cpu backend for every convolution case", async () => {
  for (const [i, c] of CONV_CASES.entries()) {
    if (c.dilations !== undefined) continue; // tfjs has no dilated filter gradient
    const dyShape = tf.tidy(() =>
      tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad)
        .shape
    );
    const error = await errorAgainstCpu(() =>
      tf.engine().runKernel(
        tf.Conv2DBackpropFilter,
        { x: seededTensor(c.x, i), dy: seededTensor(dyShape, 300 + i) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", filterShape: c.filter },
      ) as tf.Tensor
    );
    assertSmall(error, `Conv2DBackpropFilter ${JSON.stringify(c)}`);
  }
});

Deno.test("the filter gradient of a convolution on wasm matches tf.grad on the cpu backend", async () => {
  const error = await errorAgainstCpu(() => {
    const x = seededTensor([2, 7, 8, 3], 1) as tf.Tensor4D;
    const loss = (w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, "same")));
    return tf.grad(loss)(seededTensor([3, 3, 3, 6], 2));
  });
  assertSmall(error, "tf.grad of conv2d");
});
