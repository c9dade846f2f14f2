import nodeAssert from "node:assert/strict";
import { assertEquals } from "./_assert.ts";
import { validateConfig } from "./config.ts";
import { imagesDigest, noiseSeeds, prepareData } from "./experiment.ts";

const TINY = { train: 200, test: 50 };

Deno.test("prepareData() gives runs with different training seeds bit-identical validation and test inputs", async () => {
  const a = await prepareData(validateConfig({ ...TINY, seed: 0, dataSeed: 4 }));
  const b = await prepareData(validateConfig({ ...TINY, seed: 1, dataSeed: 4 }));
  assertEquals(b.dataset.test.data, a.dataset.test.data);
  assertEquals(b.noisyTest.data, a.noisyTest.data);
  assertEquals(b.validation.data, a.validation.data);
  assertEquals(b.noisyValidation.data, a.noisyValidation.data);
  assertEquals(b.dataset.train.data, a.dataset.train.data);
  assertEquals(await imagesDigest(b.noisyTest), await imagesDigest(a.noisyTest));
  // The training seed still owns the training noise.
  nodeAssert.notDeepStrictEqual(b.noisyTrain.data, a.noisyTrain.data);
});

Deno.test("prepareData() draws another split, hold-out and test noise for another data seed", async () => {
  const a = await prepareData(validateConfig({ ...TINY, dataSeed: 0 }));
  const b = await prepareData(validateConfig({ ...TINY, dataSeed: 1 }));
  nodeAssert.notDeepStrictEqual(b.dataset.test.data, a.dataset.test.data);
  nodeAssert.notDeepStrictEqual(b.validation.data, a.validation.data);
  nodeAssert.notDeepStrictEqual(await imagesDigest(b.noisyTest), await imagesDigest(a.noisyTest));
  // Same test images, different data seed: only the noise differs.
  const full = { train: 20, test: 10000, validation: "test" } as const;
  const c = await prepareData(validateConfig({ ...full, dataSeed: 0 }));
  const d = await prepareData(validateConfig({ ...full, dataSeed: 1 }));
  assertEquals(d.dataset.test.data, c.dataset.test.data);
  nodeAssert.notDeepStrictEqual(d.noisyTest.data, c.noisyTest.data);
});

Deno.test("prepareData() validates on a hold-out of the training images, or on the test set when asked", async () => {
  const split = await prepareData(validateConfig(TINY));
  assertEquals([split.dataset.train.count, split.validation.count], [180, 20]);
  assertEquals(split.validation, split.dataset.validation);
  nodeAssert.notDeepStrictEqual(split.noisyValidation.data, split.validation.data);
  const test = await prepareData(validateConfig({ ...TINY, validation: "test" }));
  assertEquals(test.dataset.train.count, 200);
  assertEquals(test.validation, test.dataset.test);
  assertEquals(test.noisyValidation, test.noisyTest);
  // The test images and their noise do not depend on where validation comes from.
  assertEquals(test.noisyTest.data, split.noisyTest.data);
});

Deno.test("noiseSeeds() never gives two noise draws the same seed", () => {
  const seen = new Map<number, string>();
  for (let seed = 0; seed < 20; seed++) {
    for (let dataSeed = 0; dataSeed < 20; dataSeed++) {
      const s = noiseSeeds({ seed, dataSeed });
      for (const [stream, value] of Object.entries(s)) {
        const key = `${stream} of seed ${stream === "train" ? seed : dataSeed}`;
        const before = seen.get(value);
        if (before !== undefined && before !== key) {
          throw new Error(`${key} and ${before} share noise seed ${value}`);
        }
        seen.set(value, key);
      }
    }
  }
  // The streams the project used before the seeds were split.
  assertEquals(noiseSeeds({ seed: 0, dataSeed: 0 }), { train: 1, validation: -1, test: 2 });
});

Deno.test("imagesDigest() changes with one pixel and with the shape", async () => {
  const a = { data: new Float32Array([0, 0.25, 0.5, 1]), count: 1, height: 2, width: 2 };
  const base = await imagesDigest(a);
  assertEquals(await imagesDigest({ ...a, data: a.data.slice() }), base);
  const changed = a.data.slice();
  changed[2] = Math.fround(0.5 + 1e-7);
  nodeAssert.notEqual(await imagesDigest({ ...a, data: changed }), base);
  nodeAssert.notEqual(await imagesDigest({ ...a, height: 1, width: 4 }), base);
});
