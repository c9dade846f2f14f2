import * as tf from "@tensorflow/tfjs";
import { assertSmall, errorAgainstCpu, seededTensor, setUpBackends } from "./_testing.ts";

await setUpBackends();

Deno.test("Sum on wasm matches the cpu backend over leading axes, with and without keepDims", async () => {
  const cases: [number[], number[], boolean][] = [
    [[3, 5, 7, 12], [0, 1, 2], false], // a conv bias gradient
    [[3, 5, 7, 12], [2, 0, 1], true],
    [[6, 8], [0], false], // a dense bias gradient
    [[2, 3, 4, 8], [-4, -3, -2], false],
    [[1, 1, 1, 4], [0, 1, 2], false],
    [[3, 5, 6], [2], false], // stock: reduces the last axis
    [[3, 5, 6], [0, 1], false], // stock: 6 channels are not a multiple of 4
    [[3, 5, 8], [0, 1, 2], false], // stock: all axes
  ];
  for (const [i, [shape, axes, keepDims]] of cases.entries()) {
    const error = await errorAgainstCpu(() => tf.sum(seededTensor(shape, i), axes, keepDims));
    assertSmall(error, `Sum ${shape} over ${axes} keepDims=${keepDims}`);
  }
});
