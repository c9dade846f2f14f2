import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "../_testing_assert.ts";
import { addNoise } from "./noise.ts";
import type { Images } from "./images.ts";

function flat(value: number, count = 50): Images {
  return { data: new Float32Array(count * 784).fill(value), count, height: 28, width: 28 };
}

function meanStd(a: Float32Array): [number, number] {
  let s = 0;
  for (const v of a) s += v;
  const m = s / a.length;
  let q = 0;
  for (const v of a) q += (v - m) ** 2;
  return [m, Math.sqrt(q / a.length)];
}

Deno.test("addNoise() gaussian noise has mean 0 and std f before clipping", () => {
  // At 0.5 with f = 0.1 clipping almost never happens, so the noise statistics show through.
  const noisy = addNoise(flat(0.5), 0.1, { seed: 3 });
  const [m, s] = meanStd(noisy.data);
  assertAlmostEquals(m, 0.5, 0.002);
  assertAlmostEquals(s, 0.1, 0.002);
});

Deno.test("addNoise() clips to [0, 1]", () => {
  const noisy = addNoise(flat(0.9), 2, { seed: 1 });
  assert(noisy.data.every((v) => v >= 0 && v <= 1));
  assert(noisy.data.some((v) => v === 1));
  assert(noisy.data.some((v) => v === 0));
});

Deno.test("addNoise() gives the same noise for the same seed and other noise for another", () => {
  const clean = flat(0.3, 4);
  assertEquals(addNoise(clean, 0.5, { seed: 7 }).data, addNoise(clean, 0.5, { seed: 7 }).data);
  assertNotEquals(addNoise(clean, 0.5, { seed: 7 }).data, addNoise(clean, 0.5, { seed: 8 }).data);
});

Deno.test("addNoise() leaves its input untouched and keeps the shape", () => {
  const clean = flat(0.3, 2);
  const noisy = addNoise(clean, 0.5);
  assert(clean.data.every((v) => Math.abs(v - 0.3) < 1e-7));
  assertEquals([noisy.count, noisy.height, noisy.width], [2, 28, 28]);
});

Deno.test("addNoise() shifts the mean by the mean option", () => {
  const noisy = addNoise(flat(0.2), 0.05, { seed: 2, mean: 0.3 });
  assertAlmostEquals(meanStd(noisy.data)[0], 0.5, 0.002);
});

Deno.test("addNoise() salt-and-pepper corrupts a fraction f of pixels to 0 or 1", () => {
  const noisy = addNoise(flat(0.5), 0.2, { seed: 4, type: "salt-and-pepper" });
  let changed = 0, ones = 0;
  for (const v of noisy.data) {
    if (v !== 0.5) {
      changed++;
      assert(v === 0 || v === 1);
      if (v === 1) ones++;
    }
  }
  assertAlmostEquals(changed / noisy.data.length, 0.2, 0.005);
  assertAlmostEquals(ones / changed, 0.5, 0.02);
});

Deno.test("addNoise() speckle leaves black pixels black", () => {
  const noisy = addNoise(flat(0), 0.5, { seed: 4, type: "speckle" });
  assert(noisy.data.every((v) => v === 0));
  const grey = addNoise(flat(0.4), 0.1, { seed: 4, type: "speckle" });
  assertAlmostEquals(meanStd(grey.data)[1], 0.04, 0.002);
});
