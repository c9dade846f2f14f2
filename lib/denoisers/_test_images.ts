/**
 * Test fixtures shared by the classical filters' tests: small seeded images and an
 * independent pixel MSE (deliberately not lib/eval/metrics.ts, so the tests do not trust it).
 *
 * @module
 */
import { assertAlmostEquals, assertEquals } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { createRng } from "../data/random.ts";

/** One `height × width` image with pixel (y, x) = `f(y, x)`. */
export function image(height: number, width: number, f: (y: number, x: number) => number): Images {
  const data = new Float32Array(height * width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(y, x);
  return { data, count: 1, height, width };
}

/** `count` images of uniform random pixels in [0, 1), from `seed`. */
export function random(count: number, height: number, width: number, seed: number): Images {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: count * height * width }, () => rng.next());
  return { data, count, height, width };
}

/** Smooth stroke-like test images, MNIST-sized in spirit: bright ridges on black. */
export function smooth(count: number, size: number): Images {
  const data = new Float32Array(count * size * size);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = Math.sin((x + 2 * n) / 2.5) * Math.cos((y - n) / 3);
        data[(n * size + y) * size + x] = v > 0 ? v : 0;
      }
    }
  }
  return { data, count, height: size, width: size };
}

/** Mean squared difference over every pixel, summed directly. */
export function mse(a: Images, b: Images): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return s / a.data.length;
}

/** Asserts equal lengths and every element within `tolerance`. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
): void {
  assertEquals(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) assertAlmostEquals(actual[i], expected[i], tolerance);
}
