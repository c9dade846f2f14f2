import { assert, assertAlmostEquals, assertEquals } from "../_testing_assert.ts";
import { medianFilter } from "../denoisers/median_filter.ts";
import { type Images, type LabeledImages, pickSamples, take } from "../data/images.ts";
import { mse } from "./metrics.ts";
import { addNoise } from "../data/noise.ts";
import {
  bestClassicalDenoiser,
  classAverages,
  clipUnit,
  typicality,
  typicalityControl,
} from "./typicality_control.ts";

/** `count` 12×12 images: a bright 4-pixel-wide bar on a dark background, shifted per image. */
function bars(count: number): Images {
  const data = new Float32Array(count * 144);
  for (let i = 0; i < count; i++) {
    for (let y = 2; y < 10; y++) {
      data.fill(1, i * 144 + y * 12 + 2 + (i % 5), i * 144 + y * 12 + 6 + (i % 5));
    }
  }
  return { data, count, height: 12, width: 12 };
}

Deno.test("bestClassicalDenoiser() keeps the lowest validation MSE, scored on validation images", () => {
  const [train, validation] = [bars(6), bars(5)];
  const noise = { type: "salt-and-pepper" as const };
  const data = {
    dataset: { train },
    noisyTrain: addNoise(train, 0.2, { ...noise, seed: 1 }),
    validation,
    noisyValidation: addNoise(validation, 0.2, { ...noise, seed: 2 }),
  };
  const choice = bestClassicalDenoiser(data, { methods: ["gaussian", "median"], validation: 4 });
  assertEquals(choice.scores.map((s) => s.method), ["Gaussian blur", "median 3×3"]);
  const best = choice.scores.reduce((a, b) => (b["validation MSE"] < a["validation MSE"] ? b : a));
  assertEquals(choice.label, best.method);
  // The median's score, recomputed by hand on the same seeded 4 of the 5 validation images.
  const v = pickSamples(5, 4, 0);
  const median = mse(
    clipUnit(medianFilter(take(data.noisyValidation, v), { size: 3 })),
    take(validation, v),
  );
  assertAlmostEquals(choice.scores[1]["validation MSE"], median, 1e-9);
  // Salt-and-pepper is the median's noise: it must beat the blur here.
  assertEquals(choice.method, "median");
});

Deno.test("typicalityControl() compares both methods on the same digits, in three verdicts", () => {
  const one = (v: number[]) => ({
    data: Float32Array.from(v),
    count: v.length,
    height: 1,
    width: 1,
  });
  // 40 one-pixel digits, class average 0.5; digits 0 to 3 are the atypical tenth.
  const clean = one([1, 0.95, 0.9, 0.85, ...Array(36).fill(0.6)]);
  const typical = one(Array(40).fill(0.5));
  const output = one([0.8, 0.75, 0.7, 0.65, ...Array(36).fill(0.6)]);
  const images = { clean, noisy: clean, output, typical };
  const copy = { label: "copy", apply: (x: Images) => ({ ...x, data: x.data.slice() }) };
  const flat = { label: "flatten", apply: (x: Images) => ({ ...x, data: x.data.map(() => 0.5) }) };
  const same = { label: "same", apply: () => output };

  const wins = typicalityControl(images, copy, { picks: [0, 1] });
  assert(wins.verdict.startsWith("**The control: supported**"), wins.verdict);
  assert(wins.verdict.includes("more than copy: above zero"), wins.verdict);
  assert(wins.verdict.includes("(4 atypical digits)"), wins.verdict);
  assertEquals(wins.autoencoder, typicality(clean, output, typical));
  assertEquals([wins.classical.atypical, wins.classical.pull], [0, 0]);
  assertEquals(Array.from(wins.picked.data), [1, Math.fround(0.95)]);
  assertEquals(wins.table.map((r) => r.method), ["autoencoder", "copy"]);

  const loses = typicalityControl(images, flat);
  assert(loses.verdict.startsWith("**The control: contradicted**"), loses.verdict);
  const ties = typicalityControl(images, same);
  assert(ties.verdict.startsWith("**The control: not resolved**"), ties.verdict);

  // A seeded subset: both measures on the same 10 digits, the same ones for the same seed.
  const sub = typicalityControl(images, copy, { count: 10, seed: 3 });
  assertEquals(sub.indices.length, 10);
  assertEquals(sub.indices, typicalityControl(images, flat, { count: 10, seed: 3 }).indices);
  assertEquals(
    sub.autoencoder,
    typicality(
      ...[clean, output, typical].map((x) => take(x, sub.indices)) as [Images, Images, Images],
    ),
  );
});

Deno.test("typicality() counts how many digits the reconstruction brings closer to the average", () => {
  // 10 one-pixel images: the average is 0.5; image 0 is the atypical one (farthest).
  const clean: Images = {
    data: Float32Array.from([1, ...Array(9).fill(0.6)]),
    count: 10,
    height: 1,
    width: 1,
  };
  const typical: Images = { ...clean, data: new Float32Array(10).fill(0.5) };
  const pulled = typicality(clean, {
    ...clean,
    data: Float32Array.from([0.7, ...Array(9).fill(0.6)]),
  }, typical);
  assertEquals([pulled.atypical, pulled.others, pulled.tidied], [1, 0, [0]]);
  // Image 0 went from (1 − 0.5)² = 0.25 to (0.7 − 0.5)² = 0.04 from the average.
  assertAlmostEquals(pulled.pull, 0.21, 1e-6);
  assertEquals(typicality(clean, clean, typical).atypical, 0);
});

Deno.test("classAverages() gives each test image its label's mean training image", () => {
  const train: LabeledImages = {
    data: Float32Array.from([0, 1, 0.5]),
    labels: new Uint8Array([0, 0, 1]),
    count: 3,
    height: 1,
    width: 1,
  };
  const clean: LabeledImages = {
    data: new Float32Array(2),
    labels: new Uint8Array([1, 0]),
    count: 2,
    height: 1,
    width: 1,
  };
  assertEquals([...classAverages(train, clean).data], [0.5, 0.5]);
});
