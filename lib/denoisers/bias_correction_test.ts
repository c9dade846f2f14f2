import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../_testing_assert.ts";
import { addNoise } from "../data/noise.ts";
import { createRng } from "../data/random.ts";
import { applyAffineCorrection, fitAffineCorrection } from "./bias_correction.ts";
import { CLASSICAL_METHODS, classicalDenoiser, DENOISERS } from "./registry.ts";
import { mse, random, smooth } from "./_test_images.ts";

Deno.test("fitAffineCorrection() recovers a known affine map of seeded pixels", () => {
  const clean = random(3, 8, 8, 7);
  const rng = createRng(11);
  const [a, b] = [0.4 + rng.next(), rng.next() - 0.5];
  // output = (clean − b) / a, so a·output + b is clean again.
  const output = { ...clean, data: clean.data.map((v) => (v - b) / a) };
  const fit = fitAffineCorrection(output, clean);
  assertAlmostEquals(fit.scale, a, 1e-4);
  assertAlmostEquals(fit.offset, b, 1e-4);
  assert(mse(applyAffineCorrection(output, fit), clean) < 1e-9);
  assertThrows(() => fitAffineCorrection(output, random(1, 8, 8, 1)), RangeError);
});

Deno.test("the correction removes the clipped-noise bias on black pixels", () => {
  const black = { data: new Float32Array(16 * 16 * 8), count: 8, height: 16, width: 16 };
  // Left half white, right half black: a mean-preserving blur keeps the black side's bias.
  const clean = { ...black, data: black.data.map((_, i) => (i % 16 < 8 ? 1 : 0)) };
  const noisy = addNoise(clean, 0.5, { seed: 4 });
  // The bias the correction exists for: clipped noise on a black pixel has a positive mean.
  const blackMean = (x: { data: Float32Array }) => {
    let s = 0, n = 0;
    x.data.forEach((v, i) => clean.data[i] === 0 && (s += v, n++));
    return s / n;
  };
  assert(blackMean(noisy) > 0.15, `noisy black mean ${blackMean(noisy)}`);
  const plain = classicalDenoiser("gaussian").fit({ noisy, clean }).apply(noisy);
  const fixed = classicalDenoiser("gaussian", { biasCorrection: true }).fit({ noisy, clean })
    .apply(noisy);
  assert(
    Math.abs(blackMean(fixed)) < blackMean(plain) / 2,
    `${blackMean(fixed)} ${blackMean(plain)}`,
  );
});

Deno.test("every corrected filter, fitted on training images, does better on other images", () => {
  const clean = smooth(6, 16);
  const train = { ...clean, count: 3, data: clean.data.slice(0, 3 * 256) };
  const test = { ...clean, count: 3, data: clean.data.slice(3 * 256) };
  const noisyTrain = addNoise(train, 0.5, { seed: 5 });
  const noisyTest = addNoise(test, 0.5, { seed: 6 });
  for (const method of CLASSICAL_METHODS.filter((m) => m !== "bm3d")) {
    const plain = classicalDenoiser(method).fit({ noisy: noisyTrain, clean: train });
    const fixed = classicalDenoiser(method, { biasCorrection: true })
      .fit({ noisy: noisyTrain, clean: train });
    assert(fixed.parameter.startsWith(plain.parameter) && /a=\S+ b=\S+$/.test(fixed.parameter));
    // Least squares never loses on its own training images …
    assert(mse(fixed.apply(noisyTrain), train) <= mse(plain.apply(noisyTrain), train) + 1e-9);
    // … and the bias it removes is there on images it never saw.
    assert(mse(fixed.apply(noisyTest), test) < mse(plain.apply(noisyTest), test), method);
  }
  assertEquals(classicalDenoiser("bm3d").label, DENOISERS.bm3d.label);
  assertThrows(() => classicalDenoiser("nope" as "bm3d"), RangeError, "unknown classical method");
});
