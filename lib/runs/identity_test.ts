import { assert, assertEquals, assertNotEquals, assertThrows } from "../_testing_assert.ts";
import { DEFAULT_CONFIG, defaultRunName } from "./config.ts";
import { encodeIdx } from "../data/_testing.ts";
import { IdxError } from "../data/idx.ts";
import {
  DATASET_SHA256_KEY,
  datasetFingerprint,
  datasetNamePart,
  identityDifferences,
  savedConfig,
} from "./identity.ts";

/** Writes a tiny IDX dataset (12×12 images, every pixel `fill`) into `dir`. */
async function writeIdxFolder(dir: string, fill: number): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [prefix, n] of [["train", 4], ["t10k", 2]] as const) {
    await Deno.writeFile(
      `${dir}/${prefix}-images-idx3-ubyte`,
      encodeIdx([n, 12, 12], new Uint8Array(n * 144).fill(fill)),
    );
    await Deno.writeFile(`${dir}/${prefix}-labels-idx1-ubyte`, encodeIdx([n], new Uint8Array(n)));
  }
  return dir;
}

Deno.test("defaultRunName() gives two IDX folders of the same name but other files different names", async () => {
  const root = await Deno.makeTempDir();
  const a = await writeIdxFolder(`${root}/a/data`, 10);
  const b = await writeIdxFolder(`${root}/b/data`, 200);
  const same = await writeIdxFolder(`${root}/c/data`, 10);
  const nameA = defaultRunName({ ...DEFAULT_CONFIG, dataset: a });
  const nameB = defaultRunName({ ...DEFAULT_CONFIG, dataset: b });
  assertNotEquals(nameA, nameB);
  assert(!nameA.includes("custom"), nameA);
  assert(nameA.includes(`data.${datasetFingerprint(a)!.slice(0, 8)}`), nameA);
  // Identical files in another folder: the same name, so the cached run is found again.
  assertEquals(defaultRunName({ ...DEFAULT_CONFIG, dataset: same }), nameA);
});

Deno.test("datasetFingerprint() follows the files' contents through its cache", async () => {
  const dir = await writeIdxFolder(`${await Deno.makeTempDir()}/d`, 10);
  const before = datasetFingerprint(dir)!;
  assert(/^[0-9a-f]{64}$/.test(before));
  assertEquals(datasetFingerprint(dir), before);
  // New contents of another size: a new fingerprint, though the path is the same.
  await Deno.writeFile(
    `${dir}/t10k-images-idx3-ubyte`,
    encodeIdx([3, 12, 12], new Uint8Array(3 * 144)),
  );
  await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte`, encodeIdx([3], new Uint8Array(3)));
  assertNotEquals(datasetFingerprint(dir), before);
  assertEquals(datasetFingerprint("mnist"), null);
  await Deno.remove(`${dir}/train-labels-idx1-ubyte`);
  assertThrows(() => datasetFingerprint(dir), IdxError, "missing train-labels-idx1-ubyte");
});

Deno.test("datasetFingerprint() sees files replaced by others of the same size with their mtime restored", async () => {
  const dir = await writeIdxFolder(`${await Deno.makeTempDir()}/d`, 10);
  // Let a second pass, so the hashes are kept (taken after the files' last change).
  await new Promise((r) => setTimeout(r, 1100));
  const before = datasetFingerprint(dir)!;
  const file = `${dir}/train-images-idx3-ubyte`;
  const { size, mtime, atime } = await Deno.stat(file);
  // Same size, other pixels, written in place; mtime and atime set back to what they were.
  await Deno.writeFile(file, encodeIdx([4, 12, 12], new Uint8Array(4 * 144).fill(99)));
  await Deno.utime(file, atime!, mtime!);
  const after = await Deno.stat(file);
  assertEquals([after.size, after.mtime?.getTime()], [size, mtime?.getTime()]);
  assertNotEquals(datasetFingerprint(dir), before);
});

Deno.test("identityDifferences() names every result setting that differs and ignores the backend", async () => {
  assertEquals(
    identityDifferences({ ...DEFAULT_CONFIG, noise: 0.9 }, { ...DEFAULT_CONFIG, backend: "cpu" }),
    ["noise 0.9 (saved) ≠ 0.5 (asked)"],
  );
  // A setting the saved run does not record (added to the config later) is a difference too.
  assertEquals(
    identityDifferences({ ...DEFAULT_CONFIG }, { ...DEFAULT_CONFIG, augment: 0.1 }),
    ["augment (none) (saved) ≠ 0.1 (asked)"],
  );
  // The data seed and the validation set change the result (issue 9's settings).
  assertEquals(
    identityDifferences({ ...DEFAULT_CONFIG, dataSeed: 1 }, {
      ...DEFAULT_CONFIG,
      validation: "test",
      validationSplit: 0.2,
    }),
    [
      "dataSeed 1 (saved) ≠ 0 (asked)",
      'validation "split" (saved) ≠ "test" (asked)',
      "validationSplit 0.1 (saved) ≠ 0.2 (asked)",
    ],
  );
  // A folder dataset is compared by its files, not by the path it was given as.
  const root = await Deno.makeTempDir();
  const a = await writeIdxFolder(`${root}/a`, 10);
  const copy = await writeIdxFolder(`${root}/copy`, 10);
  const b = await writeIdxFolder(`${root}/b`, 99);
  const saved = savedConfig({ ...DEFAULT_CONFIG, dataset: a });
  assertEquals(saved[DATASET_SHA256_KEY as keyof typeof saved], datasetFingerprint(a));
  assertEquals(identityDifferences(saved, { ...DEFAULT_CONFIG, dataset: copy }), []);
  const diff = identityDifferences(saved, { ...DEFAULT_CONFIG, dataset: b });
  assertEquals(diff.length, 1);
  assert(diff[0].startsWith("dataset files (SHA-256)"), diff[0]);
});

Deno.test("datasetNamePart() names a built-in dataset by its name", () => {
  assertEquals(datasetNamePart("mnist"), "mnist");
});
