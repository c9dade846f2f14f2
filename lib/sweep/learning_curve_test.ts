import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { InputError } from "../errors.ts";
import { curveEpochs, learningCurve } from "./learning_curve.ts";
import { sweepSettings } from "./plan.ts";

/** Tiny profile, as in sweep_test.ts: 32 test images, a few batches per model. */
const SETTINGS = sweepSettings({ train: 64, test: 32, epochs: 1, seed: 1 }, { tune: 16 });

Deno.test("curveEpochs() keeps the optimiser steps near the budget whatever the size", () => {
  const s = { batch: 8, validation: "split" as const, validationSplit: 0.1 };
  for (const size of [20, 40, 100, 400]) {
    const perEpoch = Math.ceil((size - Math.round(size * 0.1)) / 8);
    const { epochs, steps } = curveEpochs(size, s, 24);
    assertEquals(steps, epochs * perEpoch);
    // The closest whole number of epochs: no other count comes nearer to 24 steps.
    for (const other of [epochs - 1, epochs + 1].filter((e) => e >= 1)) {
      assert(Math.abs(other * perEpoch - 24) >= Math.abs(steps - 24), `${size}: ${epochs}`);
    }
  }
});

Deno.test("learningCurve() trains each model per size and seed once, cached, on the same test images", async () => {
  const out = await Deno.makeTempDir();
  const options = {
    sizes: [96, 48],
    steps: 4,
    seeds: 2,
    classical: ["median", "gaussian"] as const,
    out,
  };
  const curve = (await learningCurve(SETTINGS, options))!;
  assertEquals(curve.sizes, [48, 96]);
  for (const size of curve.sizes) {
    const at = curve.points.filter((p) => p.size === size);
    assertEquals(at.map((p) => `${p.method}:${p.seed}`), [
      "classical:null",
      "ae:1",
      "ae:2",
      "dncnn:1",
      "dncnn:2",
    ]);
    const budget = curveEpochs(size, SETTINGS, 4);
    for (const p of at.filter((p) => p.method !== "classical")) {
      assertEquals([p.epochs, p.steps], [budget.epochs, budget.steps]);
      assert(p.mse > 0 && p.mse < 1 && Number.isFinite(p.psnr));
    }
    assert(/^(median 3×3|Gaussian blur)( \+ bias correction)? \(/.test(at[0].source), at[0].source);
  }
  // One cached run per (model, size, seed); a second call reuses them and scores the same.
  const runs = [...Deno.readDirSync(`${out}/runs`)].filter((e) => !e.name.startsWith("."));
  assertEquals(runs.length, 2 * 2 * 2);
  const again = (await learningCurve(SETTINGS, options))!;
  assertEquals(again.points, curve.points);
  await assertRejects(() => learningCurve(SETTINGS, { sizes: [1.5], out }), InputError, "sizes");
  await assertRejects(() => learningCurve(SETTINGS, { steps: 0, out }), InputError, "steps");
  await Deno.remove(out, { recursive: true });
});
