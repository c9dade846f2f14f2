import * as tf from "@tensorflow/tfjs";
import {
  assertSmall,
  errorAgainstCpu,
  KERNEL_CONFIGS,
  runOn,
  seededTensor,
  setUpBackends,
  withKernels,
} from "./_testing.ts";
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

/** Shapes large enough to be split over the kernel pool's threads. */
const LARGE: [number[], number[]][] = [
  [[2, 128, 260], [2, 128, 260]], // one row, split by columns
  [[3, 100, 232], [232]], // bias rows, split by rows
  [[70_000], []], // a scalar
];

Deno.test("Add on wasm matches the cpu backend for equal, bias-row, scalar and other broadcasts", async () => {
  for (const [i, [a, b]] of [...SHAPES, ...LARGE].entries()) {
    const error = await errorAgainstCpu(() => tf.add(seededTensor(a, i), seededTensor(b, 50 + i)));
    assertSmall(error, `Add ${a} + ${b}`);
  }
});

Deno.test("Multiply on wasm matches the cpu backend for equal, bias-row, scalar and other broadcasts", async () => {
  for (const [i, [a, b]] of [...SHAPES, ...LARGE].entries()) {
    const error = await errorAgainstCpu(() => tf.mul(seededTensor(a, i), seededTensor(b, 50 + i)));
    assertSmall(error, `Multiply ${a} · ${b}`);
  }
});

Deno.test("GreaterEqual on wasm gives the cpu backend's booleans, including at equality", async () => {
  for (const [i, [a, b]] of [...SHAPES, ...LARGE].entries()) {
    const error = await errorAgainstCpu(() => {
      const x = seededTensor(a, i);
      const y = tf.mul(seededTensor(b, 50 + i), tf.scalar(0.5));
      return tf.cast(tf.logicalOr(tf.greaterEqual(x, y), tf.greaterEqual(y, y)), "float32")
        .add(tf.cast(tf.greaterEqual(x, y), "float32"));
    });
    assertSmall(error, `GreaterEqual ${a} ≥ ${b}`);
  }
});

Deno.test("Relu and Step on wasm give the cpu backend's values, NaN and −0 included, split or not", async () => {
  for (const [i, shape] of [[3, 4, 8], [5, 3], [2, 200, 200], [7]].entries()) {
    const ops = { relu: tf.relu, step: tf.step, step5: (t: tf.Tensor) => tf.step(t, 0.5) };
    for (const [name, op] of Object.entries(ops)) {
      const f = () => {
        const t = seededTensor(shape, 80 + i).flatten();
        const special = tf.tensor1d([NaN, -0, 0, -1].slice(0, Math.min(4, t.size)));
        return op(tf.concat([special, t.slice(special.size)]));
      };
      const expected = (await runOn("cpu", f)).values;
      for (const config of KERNEL_CONFIGS) {
        const actual = (await withKernels(config, () => runOn("wasm", f))).values;
        const at = expected.findIndex((e, j) => !Object.is(e, actual[j]));
        if (at !== -1) throw new Error(`${name} ${shape} ${JSON.stringify(config)}: value ${at}`);
      }
    }
  }
});

Deno.test("planBinary walks a bias row with a zero stride and declines middle-axis broadcasts", () => {
  const bias = planBinary([2, 3, 8], [8], [2, 3, 8]);
  if (bias?.rows !== 6 || bias.cols !== 8 || bias.aRowBytes !== 32 || bias.bRowBytes !== 0) {
    throw new Error(`bias plan ${JSON.stringify(bias)}`);
  }
  if (planBinary([2, 3, 4], [2, 1, 4], [2, 3, 4]) !== null) throw new Error("middle axis planned");
});
