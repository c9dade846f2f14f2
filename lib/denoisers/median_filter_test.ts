import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { medianFilter } from "./median_filter.ts";
import { addNoise } from "../data/noise.ts";
import { mse, random } from "./_test_images.ts";

/** Direct reference: collect the clamped window, sort it, take the middle element. */
function referenceMedian(images: Images, size: number): Float32Array {
  const { count, height: h, width: w } = images;
  const r = (size - 1) / 2;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const out = new Float32Array(images.data.length);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const window: number[] = [];
        for (let a = -r; a <= r; a++) {
          for (let b = -r; b <= r; b++) {
            window.push(images.data[n * h * w + clamp(y + a, h) * w + clamp(x + b, w)]);
          }
        }
        window.sort((p, q) => p - q);
        out[n * h * w + y * w + x] = window[(window.length - 1) / 2];
      }
    }
  }
  return out;
}

Deno.test("medianFilter() removes a single bright impulse from a black 5×5 image exactly", () => {
  for (let i = 0; i < 25; i++) { // anywhere, corners and edges included
    const impulse: Images = { data: new Float32Array(25), count: 1, height: 5, width: 5 };
    impulse.data[i] = 1;
    assertEquals(medianFilter(impulse).data, new Float32Array(25));
  }
});

Deno.test("medianFilter() leaves a constant image unchanged", () => {
  const flat: Images = { data: new Float32Array(2 * 30).fill(0.6), count: 2, height: 5, width: 6 };
  assertEquals(medianFilter(flat).data, flat.data);
  assertEquals(medianFilter(flat, { size: 5 }).data, flat.data);
});

Deno.test("medianFilter() matches sort-the-clamped-window on random images", () => {
  const images = random(3, 6, 7, 1);
  assertEquals(medianFilter(images).data, referenceMedian(images, 3));
  assertEquals(medianFilter(images, { size: 5 }).data, referenceMedian(images, 5));
  assertEquals(medianFilter(images, { size: 1 }).data, images.data);
});

Deno.test("medianFilter() keeps a straight edge, is deterministic and leaves its input alone", () => {
  const edge: Images = { data: new Float32Array(36), count: 1, height: 6, width: 6 };
  for (let i = 0; i < 36; i++) edge.data[i] = i % 6 >= 3 ? 1 : 0;
  assertEquals(medianFilter(edge).data, edge.data);
  const images = random(2, 8, 8, 2);
  const before = images.data.slice();
  assertEquals(medianFilter(images).data, medianFilter(images).data);
  assertEquals(images.data, before);
});

Deno.test("medianFilter() cleans most salt-and-pepper noise off a smooth image", () => {
  const clean: Images = { data: new Float32Array(400).fill(0.4), count: 1, height: 20, width: 20 };
  const noisy = addNoise(clean, 0.1, { seed: 5, type: "salt-and-pepper" });
  const filtered = medianFilter(noisy);
  assert(mse(filtered, clean) < 0.05 * mse(noisy, clean));
});

Deno.test("medianFilter() rejects an even or non-integer size", () => {
  const images = random(1, 3, 3, 3);
  assertThrows(() => medianFilter(images, { size: 2 }), RangeError, "odd");
  assertThrows(() => medianFilter(images, { size: 0 }), RangeError, "odd");
  assertThrows(() => medianFilter(images, { size: 2.5 }), RangeError, "odd");
});
