import { assert, assertEquals } from "../_testing_assert.ts";
import { createRng } from "../data/random.ts";
import type { CurvePoint, LearningCurve } from "../sweep/learning_curve.ts";
import { conditionPart, curveVerdict, learningCurveChart } from "./learning_curve_verdict.ts";
import { verdict } from "./verdict.ts";

/**
 * A seeded curve: the classical filter at MSE 0.03 at every size, each model at
 * `0.03 + gap(size)` plus seed noise of SD `spread`.
 */
function curve(
  sizes: number[],
  gap: Record<"ae" | "dncnn", (size: number) => number>,
  spread = 1e-4,
): LearningCurve {
  const rng = createRng(9);
  const point = (size: number, method: CurvePoint["method"], mse: number, seed: number | null) => ({
    size,
    method,
    seed,
    epochs: 1,
    steps: 50,
    source: method === "classical" ? "median 3×3 (3×3)" : `run-${method}-${size}-${seed}`,
    mse,
    psnr: -10 * Math.log10(mse),
  });
  const points = sizes.flatMap((size) => [
    point(size, "classical", 0.03, null),
    ...(["ae", "dncnn"] as const).flatMap((m) =>
      [0, 1, 2].map((s) => point(size, m, 0.03 + gap[m](size) + spread * (rng.next() - 0.5), s))
    ),
  ]);
  return { noise: 0.5, steps: 50, sizes, test: 100, points };
}

Deno.test("curveVerdict() names the size from which a model overtakes, or says it never does", () => {
  const sizes = [250, 1000, 3000, 10000];
  const c = curve(sizes, { ae: (n) => (n >= 1000 ? -0.005 : 0.005), dncnn: () => 0.004 });
  const v = curveVerdict(c);
  assertEquals(v.overtakes, { ae: 1000, dncnn: null });
  const reason = conditionPart(c, 0.5).comparison.result.reason;
  assert(reason.includes("the autoencoder from 1,000 training images on"), reason);
  assert(reason.includes("the DnCNN never does up to the largest size tried (10,000 images)"));
  assertEquals(v.table.map((r) => r["autoencoder − classical"]), [
    "contradicted",
    "supported",
    "supported",
    "supported",
  ]);
  // Every size's verdict is the one verdict function's on the paired seed differences.
  for (const s of v.sizes) {
    assertEquals(s.differences.length, 3);
    assertEquals(s.result, verdict({ test: "less", differences: s.differences }));
  }
  assert(
    learningCurveChart(curve(sizes, { ae: () => 0, dncnn: () => 0 })).outerHTML.includes(
      "training images",
    ),
  );
});

Deno.test("curveVerdict(): a lead lost at a larger size moves the overtaking size up", () => {
  const sizes = [250, 1000, 3000];
  // Supported at 250 and 3000 but not at 1000: it overtakes from 3000, not from 250.
  const v = curveVerdict(
    curve(sizes, { ae: (n) => (n === 1000 ? 0 : -0.005), dncnn: () => -0.005 }, 0.002),
  );
  assertEquals(v.overtakes, { ae: 3000, dncnn: 250 });
  // One seed a side: no interval, so never "supported", and it never overtakes.
  const one = curve(sizes, { ae: () => -0.005, dncnn: () => -0.005 });
  one.points = one.points.filter((p) => p.seed === null || p.seed === 0);
  const w = curveVerdict(one);
  assertEquals(w.overtakes, { ae: null, dncnn: null });
  assert(w.sizes.every((s) => s.result.verdict === "one seed"));
});
