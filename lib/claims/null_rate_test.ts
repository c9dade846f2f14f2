/**
 * Simulated sweeps with every true effect zero, through the real claim functions: each
 * primary part (claim 1's condition on a simulated learning curve too) may come out
 * "contradicted" or "supported" at most at its nominal rate, within
 * Monte-Carlo error. No training: each model's per-image MSE is drawn from the same
 * distribution for every arm, on one fixed set of test images (same data, other seeds).
 */
import { assert } from "../_testing_assert.ts";
import { createRng, type Rng } from "../data/random.ts";
import { mean } from "./stats.ts";
import { allClaims, claimParts } from "./claims.ts";
import { testRow } from "../sweep/_testing.ts";
import type { SweepRow } from "../sweep/plan.ts";
import type { CurvePoint, LearningCurve } from "../sweep/learning_curve.ts";
import type { Verdict } from "./verdict.ts";

const IMAGES = 200;
const SWEEPS = 400;
const SEEDS = [0, 1, 2];

/** The fixed test set: each image's difficulty (its expected MSE) and its class. */
const testSet = (() => {
  const rng = createRng(1);
  const difficulty = Array.from({ length: IMAGES }, () => 0.01 + 0.04 * rng.next());
  return { difficulty, labels: difficulty.map((_, i) => i % 10) };
})();

/** A row scored on the test set from per-image MSEs. */
function scored(partial: Partial<SweepRow>, perImage: number[]): SweepRow {
  const { labels } = testSet;
  return testRow({
    ...partial,
    mse: mean(perImage),
    psnr: mean(perImage.map((m) => -10 * Math.log10(m))),
    class_mse: Array.from(
      { length: 10 },
      (_, c) => mean(perImage.filter((_, i) => labels[i] === c)),
    ),
    test_images: IMAGES,
  });
}

/**
 * One trained model: per-image MSE = difficulty · (1 + `shift` + 0.05·u) + 0.001·e, where u
 * (the seed's effect on the whole model) and e (per image) are standard normal.
 */
function model(rng: Rng, shift = 0): number[] {
  const u = 0.05 * rng.normal();
  return testSet.difficulty.map((d) => Math.max(1e-6, d * (1 + shift + u) + 0.001 * rng.normal()));
}

/** One sweep's rows at f = 0.5; `effect` raises the MSE of claim 4's "dropout 0" arm. */
function simulatedSweep(k: number, effect = 0): SweepRow[] {
  const rng = createRng(1000 + k);
  const learned = (partial: Partial<SweepRow>, shift = 0) =>
    SEEDS.map((seed) => scored({ ...partial, seed, lr_drops: 1 }, model(rng, shift)));
  // Classical filters are deterministic: the same every sweep. The best one has the learned
  // models' expected MSE, so its true difference from the autoencoder is zero.
  const filter = (method: SweepRow["method"], worse: number) =>
    scored(
      { method, seed: null, lr_drops: null, run: "", epochs: 0 },
      testSet.difficulty.map((d) => d * (1 + worse)),
    );
  return [
    filter("noisy", 3),
    filter("median", 0.4),
    filter("bm3d", 0),
    filter("nlm", 0.2),
    ...learned({}),
    ...learned({ method: "dncnn" }),
    ...learned({ train_noise_factor: 0 }),
    ...learned({ variant: "dropout 0" }, effect),
    ...learned({ variant: "no lr schedule" }),
    ...learned({ variant: "latent 64" }),
  ];
}

/**
 * One learning curve with no true effect: at each size the best classical filter has the
 * learned models' expected MSE (claim 1's condition, part 1c, decides on the largest size).
 */
function simulatedCurve(k: number): LearningCurve {
  const rng = createRng(5000 + k);
  const sizes = [250, 1000];
  const point = (size: number, method: CurvePoint["method"], mse: number, seed: number | null) => ({
    size,
    method,
    seed,
    epochs: 1,
    steps: 10,
    source: method,
    mse,
    psnr: -10 * Math.log10(mse),
  });
  const points = sizes.flatMap((size) => [
    point(size, "classical", mean(testSet.difficulty), null),
    ...(["ae", "dncnn"] as const).flatMap((m) =>
      SEEDS.map((seed) => point(size, m, mean(model(rng)), seed))
    ),
  ]);
  return { noise: 0.5, steps: 10, sizes, test: IMAGES, points };
}

/** How often each part's verdict came out, over `sweeps` simulated sweeps. */
function verdictRates(effect = 0, sweeps = SWEEPS): Map<string, Record<Verdict, number>> {
  const counts = new Map<string, Record<Verdict, number>>();
  for (let k = 0; k < sweeps; k++) {
    const claims = allClaims({
      name: "simulated",
      rows: simulatedSweep(k, effect),
      settings: { referenceNoise: 0.5, dataset: "mnist" },
    }, simulatedCurve(k));
    for (const part of claimParts(claims)) {
      const c = counts.get(part.id) ?? {
        supported: 0,
        contradicted: 0,
        "not resolved": 0,
        "one seed": 0,
        "not tested": 0,
      };
      c[part.comparison.result.verdict]++;
      counts.set(part.id, c);
    }
  }
  return counts;
}

/** The most a rate p can show in n trials within Monte-Carlo error: n·p + 3 binomial SDs. */
function ceiling(p: number, n = SWEEPS): number {
  return n * p + 3 * Math.sqrt(n * p * (1 - p));
}

Deno.test(`${SWEEPS} sweeps with no true effect: each part errs at most at its nominal rate`, () => {
  const counts = verdictRates();
  assert(counts.size === 8, [...counts.keys()].join());
  for (const [id, c] of counts) {
    assert(c["not tested"] === 0 && c["one seed"] === 0, `${id}: ${JSON.stringify(c)}`);
    const line = `${id}: ${JSON.stringify(c)}`;
    if (id === "3") {
      // "No real gain" is true here; TOST's error is to call it contradicted (2.5% a side).
      assert(c.contradicted <= ceiling(0.05), line);
    } else {
      // A directional claim: 2.5% each way for a two-sided 95% interval.
      assert(c.supported <= ceiling(0.025), line);
      assert(c.contradicted <= ceiling(0.025), line);
    }
  }
});

Deno.test("the same simulation finds a true effect: the test is not blind", () => {
  // Dropout's arm 25% better than none (seed SD 5%): claim 4 is supported most of the time.
  const c = verdictRates(0.25, 50).get("4")!;
  assert(c.supported > 25, JSON.stringify(c));
});
