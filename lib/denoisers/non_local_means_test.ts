import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { addNoise } from "../data/noise.ts";
import { DEFAULT_H_CANDIDATES, nonLocalMeans, tuneNlmH } from "./non_local_means.ts";
import { assertClose, mse, random, smooth } from "./_test_images.ts";

/**
 * The module's formula, written out pixel by pixel with nothing shared between pixels:
 * window cut at the border, patches read clamped pixels, d² the mean over the patch.
 */
function referenceNlm(
  images: Images,
  h: number,
  p: number,
  s: number,
  sigma: number,
): Float32Array {
  const { count, height: H, width: W } = images;
  const out = new Float32Array(images.data.length);
  for (let n = 0; n < count; n++) {
    const v = (y: number, x: number) =>
      images
        .data[n * H * W + Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let num = 0;
        let den = 0;
        for (let yy = Math.max(0, y - s); yy <= Math.min(H - 1, y + s); yy++) {
          for (let xx = Math.max(0, x - s); xx <= Math.min(W - 1, x + s); xx++) {
            let d2 = 0;
            for (let a = -p; a <= p; a++) {
              for (let b = -p; b <= p; b++) d2 += (v(y + a, x + b) - v(yy + a, xx + b)) ** 2;
            }
            d2 /= (2 * p + 1) ** 2;
            const w = Math.exp(-Math.max(d2 - 2 * sigma * sigma, 0) / (h * h));
            num += w * v(yy, xx);
            den += w;
          }
        }
        out[n * H * W + y * W + x] = num / den;
      }
    }
  }
  return out;
}

Deno.test("nonLocalMeans() matches the formula computed pixel by pixel", () => {
  const images = random(2, 7, 9, 1);
  for (
    const [h, p, s, sigma] of [[0.3, 1, 2, 0], [0.5, 2, 3, 0.1], [0.2, 0, 5, 0], [0.4, 1, 7, 0.2]]
  ) {
    const out = nonLocalMeans(images, { h, patchRadius: p, searchRadius: s, sigma });
    assertClose(out.data, referenceNlm(images, h, p, s, sigma), 1e-6);
  }
  assertClose(nonLocalMeans(images, { h: 0.3 }).data, referenceNlm(images, 0.3, 1, 5, 0), 1e-6);
});

Deno.test("nonLocalMeans() leaves a constant image unchanged", () => {
  const flat: Images = { data: new Float32Array(2 * 63).fill(0.7), count: 2, height: 7, width: 9 };
  assertClose(nonLocalMeans(flat, { h: 0.1 }).data, flat.data, 1e-6);
  assertClose(nonLocalMeans(flat, { h: 5, sigma: 0.3 }).data, flat.data, 1e-6);
});

Deno.test("nonLocalMeans() with a tiny h returns the input", () => {
  // Random pixels: no two 3×3 patches alike, so only the centre keeps weight.
  const images = random(2, 8, 8, 2);
  assertClose(nonLocalMeans(images, { h: 1e-4 }).data, images.data, 1e-6);
});

Deno.test("nonLocalMeans() with a huge h returns the mean of the (border-cut) search window", () => {
  const images = random(1, 9, 10, 3);
  const s = 2;
  const out = nonLocalMeans(images, { h: 1e4, searchRadius: s });
  for (let y = 0; y < 9; y++) {
    for (let x = 0; x < 10; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - s); yy <= Math.min(8, y + s); yy++) {
        for (let xx = Math.max(0, x - s); xx <= Math.min(9, x + s); xx++) {
          sum += images.data[yy * 10 + xx];
          n++;
        }
      }
      assertAlmostEquals(out.data[y * 10 + x], sum / n, 1e-6);
    }
  }
});

Deno.test("nonLocalMeans() is deterministic and leaves its input alone", () => {
  const images = random(3, 10, 10, 4);
  const before = images.data.slice();
  const a = nonLocalMeans(images, { h: 0.2, sigma: 0.1 });
  assertEquals(nonLocalMeans(images, { h: 0.2, sigma: 0.1 }), a);
  assertEquals(images.data, before);
  assertEquals([a.count, a.height, a.width], [3, 10, 10]);
});

Deno.test("nonLocalMeans() rejects bad options", () => {
  const images = random(1, 4, 4, 5);
  assertThrows(() => nonLocalMeans(images, { h: 0 }), RangeError, "h must");
  assertThrows(() => nonLocalMeans(images, { h: NaN }), RangeError, "h must");
  assertThrows(() => nonLocalMeans(images, { h: 1, patchRadius: -1 }), RangeError, "patchRadius");
  assertThrows(
    () => nonLocalMeans(images, { h: 1, searchRadius: 0.5 }),
    RangeError,
    "searchRadius",
  );
  assertThrows(() => nonLocalMeans(images, { h: 1, sigma: -0.1 }), RangeError, "sigma");
});

Deno.test("tuneNlmH() picks the grid's best h, which beats the noisy input", () => {
  const clean = smooth(4, 16);
  const noisy = addNoise(clean, 0.5, { seed: 1 });
  // Clipping to [0, 1] shrinks the noise: pass its measured standard deviation, not f.
  const rms = Math.sqrt(mse(noisy, clean));
  assert(rms < 0.4);
  for (const sigma of [0, rms]) {
    const best = tuneNlmH(noisy, clean, { sigma });
    assert(DEFAULT_H_CANDIDATES.includes(best.h));
    assertAlmostEquals(best.mse, mse(nonLocalMeans(noisy, { h: best.h, sigma }), clean), 1e-12);
    for (const h of DEFAULT_H_CANDIDATES) {
      assert(best.mse <= mse(nonLocalMeans(noisy, { h, sigma }), clean) + 1e-12);
    }
    assert(best.mse < 0.5 * mse(noisy, clean), `${best.mse} vs ${mse(noisy, clean)}`);
    assertEquals(tuneNlmH(noisy, clean, { sigma }), best); // deterministic
  }
});

Deno.test("tuneNlmH() rejects mismatched batches and an empty grid", () => {
  const a = random(2, 4, 4, 6);
  assertThrows(() => tuneNlmH(a, random(2, 4, 5, 6)), RangeError, "differ");
  assertThrows(() => tuneNlmH(a, a, { candidates: [] }), RangeError, "empty");
});
