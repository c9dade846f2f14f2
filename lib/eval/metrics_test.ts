import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { createRng } from "../data/random.ts";
import { classMse, mse, msePerImage, psnr, psnrPerImage, ssim, ssimPerImage } from "./metrics.ts";

function images(values: number[], count: number, height: number, width: number): Images {
  return { data: new Float32Array(values), count, height, width };
}

/** Seeded images with some spatial structure (blurred noise), like digits more than static. */
function randomImages(count: number, height: number, width: number, seed: number): Images {
  const rng = createRng(seed);
  const data = new Float32Array(count * height * width);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  // A 3-tap horizontal box blur gives neighbouring pixels correlation, so SSIM's
  // structure term is exercised rather than dominated by white noise.
  const out = new Float32Array(data.length);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const o = n * height * width + r * width;
        const l = data[o + Math.max(0, c - 1)];
        const m = data[o + c];
        const rr = data[o + Math.min(width - 1, c + 1)];
        out[o + c] = (l + m + rr) / 3;
      }
    }
  }
  return { data: out, count, height, width };
}

function addNoise(x: Images, sigma: number, seed: number): Images {
  const rng = createRng(seed);
  const data = x.data.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
  return { ...x, data };
}

/**
 * Straightforward SSIM: a full 2-D Gaussian window built from its own formula,
 * every local statistic a direct weighted sum around each valid position, and
 * variances/covariance from deviations about the local mean (not E[x²] − μ²).
 */
function referenceSsim(
  x: Float32Array,
  y: Float32Array,
  h: number,
  w: number,
  size = 11,
  sigma = 1.5,
): number {
  const window: number[][] = [];
  let total = 0;
  const centre = (size - 1) / 2;
  for (let i = 0; i < size; i++) {
    window.push([]);
    for (let j = 0; j < size; j++) {
      const v = Math.exp(-((i - centre) ** 2 + (j - centre) ** 2) / (2 * sigma * sigma));
      window[i].push(v);
      total += v;
    }
  }
  for (const row of window) for (let j = 0; j < size; j++) row[j] /= total;
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const values: number[] = [];
  for (let r = 0; r + size <= h; r++) {
    for (let c = 0; c + size <= w; c++) {
      let mx = 0, my = 0;
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          mx += window[i][j] * x[(r + i) * w + c + j];
          my += window[i][j] * y[(r + i) * w + c + j];
        }
      }
      let vx = 0, vy = 0, cxy = 0;
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const dx = x[(r + i) * w + c + j] - mx;
          const dy = y[(r + i) * w + c + j] - my;
          vx += window[i][j] * dx * dx;
          vy += window[i][j] * dy * dy;
          cxy += window[i][j] * dx * dy;
        }
      }
      values.push(
        ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2)),
      );
    }
  }
  return values.reduce((s, v) => s + v, 0) / values.length;
}

Deno.test("mse and psnr of identical images are 0 and the cap", () => {
  const a = randomImages(3, 28, 28, 1);
  assertEquals(mse(a, a), 0);
  assertEquals([...msePerImage(a, a)], [0, 0, 0]);
  assertEquals([...psnrPerImage(a, a)], [100, 100, 100]);
});

Deno.test("mse and psnr on a tiny case computed by hand", () => {
  // Image 0 differs by ±0.5 in two of four pixels: MSE = (0.25 + 0.25) / 4 = 0.125,
  // PSNR = 10·log10(1 / 0.125) = 10·log10(8) ≈ 9.0309 dB. Image 1 is identical.
  const a = images([0, 0.5, 1, 0.25, 0.75, 0.75, 0, 0], 2, 2, 2);
  const b = images([0, 0, 1, 0.75, 0.75, 0.75, 0, 0], 2, 2, 2);
  assertEquals([...msePerImage(a, b)], [0.125, 0]);
  assertEquals(mse(a, b), 0.0625);
  const p = psnrPerImage(a, b);
  assertAlmostEquals(p[0], 9.030899869919435, 1e-12);
  assertEquals(p[1], 100);
  assertAlmostEquals(psnr(a, b), (9.030899869919435 + 100) / 2, 1e-12);
});

Deno.test("mse is the mean over all pixels and the mean of per-image mse", () => {
  const a = randomImages(7, 5, 6, 2);
  const b = randomImages(7, 5, 6, 3);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  assertAlmostEquals(mse(a, b), sum / a.data.length, 1e-12);
  const per = msePerImage(a, b);
  assertAlmostEquals(mse(a, b), per.reduce((s, v) => s + v, 0) / per.length, 1e-12);
});

Deno.test("ssim of identical images is 1", () => {
  const a = randomImages(4, 28, 28, 4);
  for (const v of ssimPerImage(a, a)) assertAlmostEquals(v, 1, 1e-12);
  assertAlmostEquals(ssim(a, a), 1, 1e-12);
});

Deno.test("ssim is symmetric, below 1 for noisy images and falls as noise grows", () => {
  const clean = randomImages(5, 28, 28, 5);
  const sigmas = [0.05, 0.1, 0.2, 0.4];
  const scores = sigmas.map((s, i) => {
    const noisy = addNoise(clean, s, 100 + i);
    const ab = ssimPerImage(clean, noisy);
    const ba = ssimPerImage(noisy, clean);
    for (let n = 0; n < ab.length; n++) assertAlmostEquals(ab[n], ba[n], 1e-12);
    return ssim(clean, noisy);
  });
  for (const s of scores) assert(s < 1, `ssim ${s} should be < 1`);
  for (let i = 1; i < scores.length; i++) {
    assert(scores[i] < scores[i - 1], `ssim should fall with noise: ${scores}`);
  }
});

Deno.test("separable ssim matches a direct 2-D reference implementation", () => {
  const a = randomImages(6, 28, 28, 6);
  const b = addNoise(a, 0.2, 7);
  const fast = ssimPerImage(a, b);
  for (let n = 0; n < a.count; n++) {
    const size = 28 * 28;
    const x = a.data.subarray(n * size, (n + 1) * size);
    const y = b.data.subarray(n * size, (n + 1) * size);
    assertAlmostEquals(fast[n], referenceSsim(x, y, 28, 28), 1e-6);
  }
  // Non-square images exercise the index arithmetic.
  const c = randomImages(2, 13, 17, 8);
  const d = addNoise(c, 0.3, 9);
  const fast2 = ssimPerImage(c, d);
  for (let n = 0; n < 2; n++) {
    const size = 13 * 17;
    const x = c.data.subarray(n * size, (n + 1) * size);
    const y = d.data.subarray(n * size, (n + 1) * size);
    assertAlmostEquals(fast2[n], referenceSsim(x, y, 13, 17), 1e-6);
  }
});

Deno.test("a constant offset: mse is the offset squared, ssim only loses luminance", () => {
  const offset = 0.25;
  const flatA = images(new Array(28 * 28).fill(0.25), 1, 28, 28);
  const flatB = images(new Array(28 * 28).fill(0.5), 1, 28, 28);
  assertEquals(mse(flatA, flatB), offset * offset);
  assertAlmostEquals(psnr(flatA, flatB), -20 * Math.log10(offset), 1e-12);
  // Constant images: σ = 0 everywhere, so the contrast-structure term is C2/C2 = 1
  // and SSIM is the luminance term (2·μa·μb + C1) / (μa² + μb² + C1).
  const c1 = 0.01 ** 2;
  const expected = (2 * 0.25 * 0.5 + c1) / (0.25 ** 2 + 0.5 ** 2 + c1);
  assertAlmostEquals(ssim(flatA, flatB), expected, 1e-12);
  // Structured image plus an offset: still matches the reference and stays below 1.
  const a = randomImages(2, 28, 28, 10);
  const b = { ...a, data: a.data.map((v) => v * 0.5 + 0.5) };
  const shifted = { ...a, data: a.data.map((v) => v * 0.5 + 0.25) };
  const s = ssimPerImage(shifted, b);
  const size = 28 * 28;
  for (let n = 0; n < 2; n++) {
    const ref = referenceSsim(
      shifted.data.subarray(n * size, (n + 1) * size),
      b.data.subarray(n * size, (n + 1) * size),
      28,
      28,
    );
    assertAlmostEquals(s[n], ref, 1e-6);
    assert(s[n] < 1 && s[n] > 0.5, `offset ssim ${s[n]}`);
  }
});

Deno.test("shape mismatches throw RangeError", () => {
  const a = randomImages(2, 28, 28, 11);
  const b = randomImages(3, 28, 28, 12);
  const c = randomImages(2, 28, 27, 13);
  assertThrows(() => mse(a, b), RangeError, "2×28×28 vs 3×28×28");
  assertThrows(() => psnr(a, c), RangeError);
  assertThrows(() => ssim(a, c), RangeError);
});

Deno.test("classMse() averages the per-image MSE over each label", () => {
  const clean = {
    data: new Float32Array([0, 0, 0, 1]),
    labels: new Uint8Array([2, 0, 2, 0]),
    count: 4,
    height: 1,
    width: 1,
  };
  const out = { data: new Float32Array([0.5, 0, 0, 0.5]), count: 4, height: 1, width: 1 };
  const m = classMse(clean, out);
  assertEquals(m.length, 3);
  assertAlmostEquals(m[0]!, 0.125);
  assertEquals(m[1], null);
  assertAlmostEquals(m[2]!, 0.125);
});
