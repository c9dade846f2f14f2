import { assert, assertEquals, assertRejects, assertThrows } from "../_testing_assert.ts";
import { InputError } from "../errors.ts";
import {
  curveEpochs,
  curveSizes,
  DEFAULT_CURVE_SIZES,
  DEFAULT_CURVE_STEPS,
  learningCurve,
} from "./learning_curve.ts";
import { sweepSettings } from "./plan.ts";

/** Tiny profile, as in sweep_test.ts: 32 test images, a few batches per model. */
const SETTINGS = sweepSettings({ train: 64, test: 32, epochs: 1, seed: 1 }, { tune: 16 });

Deno.test("curveEpochs() gives every size the same steps, or refuses the size", () => {
  const s = { batch: 8, validation: "split" as const, validationSplit: 0.1 };
  for (const size of [20, 40, 100, 400]) {
    const perEpoch = Math.ceil((size - Math.round(size * 0.1)) / 8);
    if (48 % perEpoch === 0) assertEquals(curveEpochs(size, s, 48) * perEpoch, 48);
    else assertThrows(() => curveEpochs(size, s, 48), InputError, "not a whole number of epochs");
  }
  // The defaults fit: the same steps at every default size of the default batch and hold-out.
  const d = { batch: 32, validation: "split" as const, validationSplit: 0.1 };
  for (const size of DEFAULT_CURVE_SIZES) assert(curveEpochs(size, d, DEFAULT_CURVE_STEPS) >= 1);
});

Deno.test("learningCurve() trains each model per size and seed once, cached, on the same test images", async () => {
  const out = await Deno.makeTempDir();
  const options = {
    sizes: [96, 48],
    steps: 6,
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
    for (const p of at.filter((p) => p.method !== "classical")) {
      assertEquals([p.epochs, p.steps], [curveEpochs(size, SETTINGS, 6), 6]);
      assert(p.mse > 0 && p.mse < 1 && Number.isFinite(p.psnr));
    }
    assert(/^(median 3×3|Gaussian blur)( \+ bias correction)? \(/.test(at[0].source), at[0].source);
  }
  // One cached run per (model, size, seed); a second call reuses them and scores the same.
  const runs = [...Deno.readDirSync(`${out}/runs`)].filter((e) => !e.name.startsWith("."));
  assertEquals(runs.length, 2 * 2 * 2);
  const again = (await learningCurve(SETTINGS, options))!;
  assertEquals(again.points, curve.points);
  // A size where the steps are not whole epochs is refused before anything trains.
  await assertRejects(
    () => learningCurve(SETTINGS, { sizes: [48], steps: 5, out }),
    InputError,
    "epochs",
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("learningCurve() in 2 job processes gives the points of a sequential one, naming each run", async () => {
  const [a, b] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const options = {
    sizes: [48, 96],
    steps: 6,
    seeds: 1,
    classical: ["median"] as const,
    threads: 2,
  };
  const lines: string[] = [];
  const parallel = (await learningCurve(SETTINGS, {
    ...options,
    out: a,
    jobs: 2,
    log: (l) => lines.push(l),
  }))!;
  const sequential = (await learningCurve(SETTINGS, { ...options, out: b, log: () => {} }))!;
  assertEquals(parallel.points.length, sequential.points.length);
  for (const [i, p] of parallel.points.entries()) {
    const q = sequential.points[i];
    assertEquals({ ...p, mse: 0, psnr: 0 }, { ...q, mse: 0, psnr: 0 });
    assert(Math.abs(p.mse - q.mse) <= 1e-6 && Math.abs(p.psnr - q.psnr) <= 1e-6, `point ${i}`);
  }
  for (const job of ["[job 1/2]", "[job 2/2]"]) {
    assert(lines.some((l) => l.startsWith(job)), `no line from ${job}:\n${lines.join("\n")}`);
  }
  for (const p of parallel.points.filter((p) => p.method !== "classical")) {
    assert(lines.some((l) => l.includes(`run: ${p.source}`)), `${p.source} never named`);
  }
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});

Deno.test("curveSizes() keeps the sizes a profile allows", () => {
  assertEquals(curveSizes(256), DEFAULT_CURVE_SIZES.filter((s) => s <= 256));
  assertEquals(curveSizes(1e9), [...DEFAULT_CURVE_SIZES].sort((a, b) => a - b));
});
