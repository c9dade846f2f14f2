import * as tf from "@tensorflow/tfjs";
import { assertSmall, errorAgainstCpu, seededTensor, setUpBackends } from "./_testing.ts";
import { planBinary } from "./elementwise.ts";

await setUpBackends();

/** Operand shapes: equal, bias rows, scalars, and broadcasts left to the stock kernels. */
const SHAPES: [number[], number[]][] = [
  [[3, 4, 5, 8], [3, 4, 5, 8]],
  [[3, 4, 5, 8], [1, 1, 1, 8]],
  [[6, 12], [12]],
  [[8], [5, 8]],
  [[3, 4, 4], []],
  [[], [2, 6]],
  [[3, 5], [3, 5]], // 15 elements: stock
  [[2, 3, 4], [2, 1, 4]], // broadcast over a middle axis: stock
];

Deno.test("Add on wasm matches the cpu backend for equal, bias-row, scalar and other broadcasts", async () => {
  for (const [i, [a, b]] of SHAPES.entries()) {
    const error = await errorAgainstCpu(() => tf.add(seededTensor(a, i), seededTensor(b, 50 + i)));
    assertSmall(error, `Add ${a} + ${b}`);
  }
});

Deno.test("GreaterEqual on wasm gives the cpu backend's booleans, including at equality", async () => {
  for (const [i, [a, b]] of SHAPES.entries()) {
    const error = await errorAgainstCpu(() => {
      const x = seededTensor(a, i);
      const y = tf.mul(seededTensor(b, 50 + i), tf.scalar(0.5));
      return tf.cast(tf.logicalOr(tf.greaterEqual(x, y), tf.greaterEqual(y, y)), "float32")
        .add(tf.cast(tf.greaterEqual(x, y), "float32"));
    });
    assertSmall(error, `GreaterEqual ${a} ≥ ${b}`);
  }
});

Deno.test("planBinary walks a bias row with a zero stride and declines middle-axis broadcasts", () => {
  const bias = planBinary([2, 3, 8], [8], [2, 3, 8]);
  if (bias?.rows !== 6 || bias.cols !== 8 || bias.aRowBytes !== 32 || bias.bRowBytes !== 0) {
    throw new Error(`bias plan ${JSON.stringify(bias)}`);
  }
  if (planBinary([2, 3, 4], [2, 1, 4], [2, 3, 4]) !== null) throw new Error("middle axis planned");
});
