import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { addNoise } from "../data/noise.ts";
import {
  DEFAULT_THRESHOLD_CANDIDATES,
  tuneWaveletThreshold,
  waveletDenoise,
} from "./wavelet_denoise.ts";
import { assertClose, mse, random, smooth } from "./_test_images.ts";

/** Direct 2-D B3-spline smoothing with taps `step` apart and clamped borders. */
function referenceSmooth(v: Float64Array, h: number, w: number, step: number): Float64Array {
  const b = [1, 4, 6, 4, 1].map((t) => t / 16);
  const out = new Float64Array(v.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let a = -2; a <= 2; a++) {
        for (let c = -2; c <= 2; c++) {
          const yy = Math.min(h - 1, Math.max(0, y + a * step));
          const xx = Math.min(w - 1, Math.max(0, x + c * step));
          s += b[a + 2] * b[c + 2] * v[yy * w + xx];
        }
      }
      out[y * w + x] = s;
    }
  }
  return out;
}

Deno.test("waveletDenoise() with threshold 0 reconstructs the input", () => {
  const images = random(2, 9, 13, 1);
  for (const levels of [1, 3, 5]) {
    assertClose(waveletDenoise(images, { threshold: 0, levels }).data, images.data, 1e-6);
  }
});

Deno.test("waveletDenoise() leaves a constant image unchanged", () => {
  const flat: Images = { data: new Float32Array(64).fill(0.3), count: 1, height: 8, width: 8 };
  assertClose(waveletDenoise(flat, { threshold: 5 }).data, flat.data, 1e-6);
});

Deno.test("waveletDenoise() with one level is c₁ + soft(v − c₁, t·σ₁), σ₁ by hand", () => {
  // σ₁² = Σ (δ − b⊗b)² = 1 − 2·(6/16)² + (Σ b²)², Σ b² = 70/256.
  const sigma1 = Math.sqrt(1 - 2 * (6 / 16) ** 2 + (70 / 256) ** 2);
  const images = random(1, 10, 7, 2);
  const t = 0.3;
  const v = Float64Array.from(images.data);
  const c1 = referenceSmooth(v, 10, 7, 1);
  const expected = c1.map((c, i) => {
    const d = v[i] - c;
    return c + Math.sign(d) * Math.max(Math.abs(d) - t * sigma1, 0);
  });
  assertClose(waveletDenoise(images, { threshold: t, levels: 1 }).data, expected, 1e-6);
});

Deno.test("waveletDenoise() with a huge threshold is the à trous chain of B3 blurs", () => {
  const images = random(1, 12, 11, 3);
  let c: Float64Array = Float64Array.from(images.data);
  for (const step of [1, 2, 4]) c = referenceSmooth(c, 12, 11, step);
  assertClose(waveletDenoise(images, { threshold: 1e6, levels: 3 }).data, c, 1e-6);
});

Deno.test("waveletDenoise() is deterministic, leaves its input alone and rejects bad options", () => {
  const images = random(2, 8, 8, 4);
  const before = images.data.slice();
  assertEquals(
    waveletDenoise(images, { threshold: 0.2 }),
    waveletDenoise(images, { threshold: 0.2 }),
  );
  assertEquals(images.data, before);
  assertThrows(() => waveletDenoise(images, { threshold: -1 }), RangeError, "threshold");
  assertThrows(() => waveletDenoise(images, { threshold: 1, levels: 0 }), RangeError, "levels");
});

Deno.test("tuneWaveletThreshold() picks the grid's best threshold, which beats the noisy input", () => {
  const clean = smooth(4, 16);
  const noisy = addNoise(clean, 0.3, { seed: 1 });
  const best = tuneWaveletThreshold(noisy, clean, { levels: 2 });
  assert(DEFAULT_THRESHOLD_CANDIDATES.includes(best.threshold));
  for (const threshold of DEFAULT_THRESHOLD_CANDIDATES) {
    assert(best.mse <= mse(waveletDenoise(noisy, { threshold, levels: 2 }), clean) + 1e-12);
  }
  assert(best.mse < 0.7 * mse(noisy, clean), `${best.mse} vs ${mse(noisy, clean)}`);
  assertEquals(tuneWaveletThreshold(noisy, clean, { levels: 2 }), best);
  assertThrows(() => tuneWaveletThreshold(noisy, clean, { candidates: [] }), RangeError, "empty");
});
