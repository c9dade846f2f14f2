import nodeAssert from "node:assert/strict";
import { assert, assertEquals, assertRejects, assertThrows } from "../_testing_assert.ts";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { encodeIdx } from "./_testing.ts";
import { gunzipIfNeeded, IdxError, parseIdx, readIdx, readIdxDataset } from "./idx.ts";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Two 2×3 images with pixels 0, 51, …, 255 and labels 7, 3. */
const TINY_IMAGES = encodeIdx([2, 2, 3], [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 255]);
const TINY_LABELS = encodeIdx([2], [7, 3]);

/** Writes the four standard files into a new temp folder; `.gz` names are gzipped. */
async function writeDataset(files: Record<string, Uint8Array>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "idx_test_" });
  for (const [name, bytes] of Object.entries(files)) {
    await Deno.writeFile(join(dir, name), name.endsWith(".gz") ? await gzip(bytes) : bytes);
  }
  return dir;
}

const FASHION_DIR = "/usr/share/datasets/fashion-mnist";
const hasFashion = (() => {
  try {
    return Deno.statSync(FASHION_DIR).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test("parseIdx() reads the dims and bytes of a tiny file", () => {
  const { dims, data } = parseIdx(TINY_IMAGES);
  assertEquals(dims, [2, 2, 3]);
  assertEquals([...data], [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 255]);
});

Deno.test("parseIdx() rejects a wrong magic number", () => {
  const bytes = TINY_LABELS.slice();
  bytes[0] = 0x12;
  const error = assertThrows(() => parseIdx(bytes, "labels.idx"), IdxError);
  nodeAssert.match(error.message, /^labels\.idx: wrong magic number 12 00 08 01/);
});

Deno.test("parseIdx() rejects zero dimensions as a wrong magic number", () => {
  assertThrows(() => parseIdx(new Uint8Array([0, 0, 8, 0]), "x"), IdxError, "wrong magic number");
});

Deno.test("parseIdx() rejects an unsupported type by its magic number", () => {
  const bytes = TINY_LABELS.slice();
  bytes[2] = 0x0d;
  assertThrows(() => parseIdx(bytes, "f.idx"), IdxError, "f.idx: wrong magic number 00 00 0d 01");
});

Deno.test("parseIdx() rejects truncated data", () => {
  assertThrows(
    () => parseIdx(TINY_IMAGES.subarray(0, TINY_IMAGES.length - 2), "img"),
    IdxError,
    "img: truncated data (dims 2×2×3 need 12 bytes, found 10)",
  );
});

Deno.test("parseIdx() rejects a truncated header", () => {
  assertThrows(() => parseIdx(TINY_IMAGES.subarray(0, 9), "img"), IdxError, "truncated header");
  assertThrows(
    () => parseIdx(new Uint8Array([0, 0]), "img"),
    IdxError,
    "img: too short for an IDX header (2 bytes, need 4)",
  );
});

Deno.test("parseIdx() rejects trailing bytes after the data", () => {
  const bytes = new Uint8Array([...TINY_LABELS, 9, 9]);
  assertThrows(() => parseIdx(bytes, "lab"), IdxError, "lab: 2 unexpected trailing bytes");
});

Deno.test("parseIdx() refuses gzip bytes, which gunzipIfNeeded() decompresses", async () => {
  const gz = await gzip(TINY_LABELS);
  assertThrows(() => parseIdx(gz, "lab.gz"), IdxError, "lab.gz: wrong magic number 1f 8b");
  assertEquals([...parseIdx(await gunzipIfNeeded(gz)).data], [7, 3]);
});

Deno.test("IdxError is an InputError named IdxError", () => {
  const error = new IdxError("x");
  nodeAssert.ok(error instanceof InputError);
  assertEquals(error.name, "IdxError");
  assertEquals(new InputError("y").name, "InputError");
});

/** The four standard files, `replace` swapped in, in a new temp folder. */
function writeTiny(replace: Record<string, Uint8Array> = {}): Promise<string> {
  return writeDataset({
    "train-images-idx3-ubyte": TINY_IMAGES,
    "train-labels-idx1-ubyte": TINY_LABELS,
    "t10k-images-idx3-ubyte": TINY_IMAGES,
    "t10k-labels-idx1-ubyte": TINY_LABELS,
    ...replace,
  });
}

Deno.test("readIdxDataset() rejects image or label files with the wrong number of dims", async () => {
  for (
    const [replace, message] of [
      [{ "train-images-idx3-ubyte": TINY_LABELS }, "expected image data"],
      [{ "t10k-labels-idx1-ubyte": TINY_IMAGES }, "expected label data"],
    ] as const
  ) {
    const dir = await writeTiny(replace);
    try {
      await assertRejects(() => readIdxDataset(dir), IdxError, message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("readIdxDataset() names the dimension count of an image file whose magic says 0x0804", async () => {
  // A real 3-dim image file with its fourth magic byte changed: the header would swallow
  // four pixels as a fourth size, and the data would look truncated.
  const bytes = encodeIdx([2, 12, 12], new Uint8Array(2 * 144).fill(9));
  bytes[3] = 4;
  const dir = await writeTiny({ "t10k-images-idx3-ubyte": bytes });
  try {
    const e = await assertRejects(() => readIdxDataset(dir), IdxError);
    nodeAssert.ok(
      e.message.includes("expected image data (count×rows×cols) with 3 dims"),
      e.message,
    );
    nodeAssert.ok(e.message.includes("00 00 08 04 says 4 dims"), e.message);
    nodeAssert.ok(!e.message.includes("truncated"), e.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdx() rejects corrupt and truncated gzip, naming the file", async () => {
  const gz = await gzip(encodeIdx([300], new Uint8Array(300).map((_, i) => i * 7)));
  const dir = await Deno.makeTempDir({ prefix: "idx_test_" });
  try {
    const truncated = join(dir, "truncated.gz");
    await Deno.writeFile(truncated, gz.subarray(0, gz.length - 6));
    const error = await assertRejects(() => readIdx(truncated), IdxError);
    nodeAssert.match(error.message, /truncated\.gz: corrupt or truncated gzip data/);
    const corrupt = join(dir, "corrupt.gz");
    const bad = gz.slice();
    bad.fill(0xff, 10, bad.length - 8);
    await Deno.writeFile(corrupt, bad);
    await assertRejects(() => readIdx(corrupt), IdxError, "corrupt.gz: corrupt or truncated gzip");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdx() names a missing file", async () => {
  await assertRejects(
    () => readIdx("/nonexistent/thing-idx1-ubyte"),
    IdxError,
    "/nonexistent/thing-idx1-ubyte: file not found",
  );
});

Deno.test("readIdxDataset() reads the four files, raw or gzipped, with labels", async () => {
  const dir = await writeDataset({
    "train-images-idx3-ubyte.gz": TINY_IMAGES,
    "train-labels-idx1-ubyte": TINY_LABELS,
    "t10k-images-idx3-ubyte": TINY_IMAGES,
    "t10k-labels-idx1-ubyte.gz": TINY_LABELS,
  });
  try {
    const { train, test } = await readIdxDataset(dir);
    assertEquals([train.count, train.height, train.width], [2, 2, 3]);
    assertEquals([...test.labels], [7, 3]);
    // Pixels divided by 255, from the raw and the gzipped file alike.
    for (const images of [train, test]) {
      nodeAssert.ok(images.data instanceof Float32Array);
      assertEquals([images.data[1], images.data[5]], [Math.fround(51 / 255), 1]);
    }
    // A pick keeps only the images at its indices, in its order, with their labels.
    const picked = await readIdxDataset(dir, { test: (n) => (n === 2 ? [1] : undefined) });
    assertEquals([picked.train.count, picked.test.count, [...picked.test.labels]], [2, 1, [3]]);
    assertEquals([...picked.test.data], [...test.data.subarray(6)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdxDataset() names the missing file and the folder", async () => {
  const dir = await writeDataset({
    "train-images-idx3-ubyte": TINY_IMAGES,
    "train-labels-idx1-ubyte": TINY_LABELS,
    "t10k-images-idx3-ubyte": TINY_IMAGES,
  });
  try {
    await assertRejects(
      () => readIdxDataset(dir),
      IdxError,
      `missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) in folder ${dir}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdxDataset() rejects a label count that differs from the image count", async () => {
  const dir = await writeDataset({
    "train-images-idx3-ubyte": TINY_IMAGES,
    "train-labels-idx1-ubyte": encodeIdx([3], [1, 2, 3]),
    "t10k-images-idx3-ubyte": TINY_IMAGES,
    "t10k-labels-idx1-ubyte": TINY_LABELS,
  });
  try {
    await assertRejects(
      () => readIdxDataset(dir),
      IdxError,
      "train-images-idx3-ubyte has 2 images but train-labels-idx1-ubyte has 3 labels",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdxDataset() rejects train and test images of different sizes", async () => {
  const dir = await writeDataset({
    "train-images-idx3-ubyte": TINY_IMAGES,
    "train-labels-idx1-ubyte": TINY_LABELS,
    "t10k-images-idx3-ubyte": encodeIdx([2, 3, 2], new Uint8Array(12)),
    "t10k-labels-idx1-ubyte": TINY_LABELS,
  });
  try {
    await assertRejects(
      () => readIdxDataset(dir),
      IdxError,
      "train images are 2×3 but test images are 3×2",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "readIdxDataset() reads the real Fashion-MNIST test file (10,000 balanced 28×28 images)",
  ignore: !hasFashion,
  async fn() {
    const { test: images } = await readIdxDataset(FASHION_DIR, { train: () => [] });
    const labels = images.labels;
    assertEquals([images.count, images.height, images.width], [10000, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const label of labels) counts[label]++;
    assertEquals(counts, new Array(10).fill(1000));
    let min = Infinity, max = -Infinity;
    for (const v of images.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assertEquals([min, max], [0, 1]);
  },
});

Deno.test("gunzipIfNeeded() stops a gzip bomb while streaming: at the header's length, or at the cap", async () => {
  // A header declaring 6 images of 28×28, followed by 8 MiB more than that (zeros compress well).
  const header = encodeIdx([6, 28, 28], new Uint8Array(6 * 784));
  const bomb = new Uint8Array(header.length + 8 * 2 ** 20);
  bomb.set(header);
  const gz = await gzip(bomb);
  await assertRejects(
    () => gunzipIfNeeded(gz, "bomb.gz"),
    IdxError,
    `bomb.gz: the gzip data decompresses past the ${header.length} bytes its header declares`,
  );
  // A header declaring more than the cap is refused from the header alone.
  const hugeHeader = new Uint8Array([0, 0, 8, 3, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
  const refused = await assertRejects(
    async () => gunzipIfNeeded(await gzip(hugeHeader), "huge.gz", 2 ** 20),
    IdxError,
    "more than the limit of 1048576",
  );
  assert(!refused.message.includes("\n"));
  // No IDX header to read the length from: the cap still holds.
  const junk = new Uint8Array(4 * 2 ** 20).fill(7);
  await assertRejects(
    async () => gunzipIfNeeded(await gzip(junk), "junk.gz", 2 ** 20),
    IdxError,
    "decompresses past 1048576 bytes",
  );
  // A well-formed file is read whole.
  assertEquals(await gunzipIfNeeded(await gzip(header)), header);
});
