import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../_testing_assert.ts";
import { DEFAULT_SIGMA_CANDIDATES, gaussianBlur, tuneGaussianSigma } from "./gaussian_blur.ts";
import type { Images } from "../data/images.ts";
import { addNoise } from "../data/noise.ts";
import { assertClose, image, mse, random, smooth } from "./_test_images.ts";

/** Direct 2-D reference: Σ_{a,b} g(a) g(b) v[clamp(y + a), clamp(x + b)] / (Σ g)². */
function referenceBlur(images: Images, sigma: number, radius: number): Float32Array {
  const { count, height: h, width: w } = images;
  const g = (t: number) => Math.exp(-(t * t) / (2 * sigma * sigma));
  let z = 0;
  for (let t = -radius; t <= radius; t++) z += g(t);
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const out = new Float32Array(images.data.length);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let a = -radius; a <= radius; a++) {
          for (let b = -radius; b <= radius; b++) {
            s += g(a) * g(b) * images.data[n * h * w + clamp(y + a, h) * w + clamp(x + b, w)];
          }
        }
        out[n * h * w + y * w + x] = s / (z * z);
      }
    }
  }
  return out;
}

Deno.test("gaussianBlur() leaves a constant image unchanged, borders included", () => {
  const flat = image(7, 9, () => 0.37);
  assertClose(gaussianBlur(flat, 1.3).data, flat.data, 1e-6);
  assertClose(gaussianBlur(flat, 2, { radius: 10 }).data, flat.data, 1e-6);
});

Deno.test("gaussianBlur() of an interior impulse is the normalised 2-D Gaussian: mass 1, symmetric", () => {
  const impulse = image(9, 9, (y, x) => (y === 4 && x === 4 ? 1 : 0));
  const out = gaussianBlur(impulse, 1, { radius: 2 });
  let mass = 0;
  for (const v of out.data) mass += v;
  assertAlmostEquals(mass, 1, 1e-6);
  const g = (t: number) => Math.exp(-t * t / 2);
  const z = g(-2) + g(-1) + g(0) + g(1) + g(2);
  for (let y = 0; y < 9; y++) {
    for (let x = 0; x < 9; x++) {
      const v = out.data[y * 9 + x];
      const inside = Math.abs(y - 4) <= 2 && Math.abs(x - 4) <= 2;
      assertAlmostEquals(v, inside ? g(y - 4) * g(x - 4) / (z * z) : 0, 1e-7);
      assertEquals(v, out.data[(8 - y) * 9 + x]); // mirror top-bottom
      assertEquals(v, out.data[y * 9 + (8 - x)]); // mirror left-right
      assertAlmostEquals(v, out.data[x * 9 + y], 1e-8); // transpose
    }
  }
});

Deno.test("gaussianBlur() matches a direct 2-D convolution with clamped borders", () => {
  const images = random(3, 6, 11, 1);
  assertClose(gaussianBlur(images, 0.8).data, referenceBlur(images, 0.8, 3), 1e-6);
  assertClose(
    gaussianBlur(images, 1.7, { radius: 8 }).data,
    referenceBlur(images, 1.7, 8),
    1e-6,
  );
});

Deno.test("gaussianBlur() with sigma 0 returns a copy; the input is never touched", () => {
  const images = random(2, 5, 5, 2);
  const before = images.data.slice();
  const same = gaussianBlur(images, 0);
  assertEquals(same.data, images.data);
  assert(same.data !== images.data);
  gaussianBlur(images, 1.5);
  assertEquals(images.data, before);
  assertEquals([same.count, same.height, same.width], [2, 5, 5]);
});

Deno.test("gaussianBlur() rejects a negative sigma or a bad radius", () => {
  const images = random(1, 3, 3, 3);
  assertThrows(() => gaussianBlur(images, -1), RangeError, "sigma");
  assertThrows(() => gaussianBlur(images, NaN), RangeError, "sigma");
  assertThrows(() => gaussianBlur(images, 1, { radius: 1.5 }), RangeError, "radius");
});

Deno.test("tuneGaussianSigma() picks the grid's best sigma, which beats the noisy input", () => {
  const clean = smooth(6, 16);
  const noisy = addNoise(clean, 0.5, { seed: 1 });
  const best = tuneGaussianSigma(noisy, clean);
  assert(DEFAULT_SIGMA_CANDIDATES.includes(best.sigma));
  assertAlmostEquals(best.mse, mse(gaussianBlur(noisy, best.sigma), clean), 1e-12);
  for (const sigma of DEFAULT_SIGMA_CANDIDATES) {
    assert(best.mse <= mse(gaussianBlur(noisy, sigma), clean) + 1e-12);
  }
  assert(best.mse < 0.5 * mse(noisy, clean), `${best.mse} vs ${mse(noisy, clean)}`);
  assertEquals(tuneGaussianSigma(noisy, clean), best); // deterministic
  assertEquals(DEFAULT_SIGMA_CANDIDATES.length, 18);
  assertAlmostEquals(DEFAULT_SIGMA_CANDIDATES.at(-1)!, 2, 1e-12);
});

Deno.test("tuneGaussianSigma() rejects mismatched batches and an empty grid", () => {
  const a = random(2, 4, 4, 4);
  assertThrows(() => tuneGaussianSigma(a, random(1, 4, 4, 4)), RangeError, "differ");
  assertThrows(() => tuneGaussianSigma(a, a, { candidates: [] }), RangeError, "empty");
});
