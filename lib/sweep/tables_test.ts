import { assert, assertEquals } from "../_testing_assert.ts";
import { biasCorrectionTable, noiseFactorTable } from "./tables.ts";
import { testRow } from "./_testing.ts";
import { runSweep } from "./sweep.ts";
import { sweepSettings } from "./plan.ts";

Deno.test("noiseFactorTable() reads the sweep's rows", () => {
  const rows = [0.1, 0.5].flatMap((f) => [
    testRow({ method: "noisy", train_noise_factor: null, noise_factor: f, mse: f }),
    testRow({ method: "ae", train_noise_factor: f, noise_factor: f, mse: f / 10 }),
    ...(f === 0.5 ? [] : [testRow({ method: "ae", train_noise_factor: 0.5, noise_factor: f })]),
  ]);
  assertEquals(noiseFactorTable(rows).map((r) => r["noise factor"]), [0.1, 0.5]);
  assertEquals(noiseFactorTable(rows).map((r) => r["noisy MSE"] / r["test MSE"]), [10, 10]);
  // Three seeds at 0.5 (claim 2's arm): one line per factor, the mean over its seeds.
  const seeded = [
    ...rows.filter((r) => !(r.method === "ae" && r.noise_factor === 0.5)),
    ...[0.04, 0.05, 0.06].map((mse, seed) =>
      testRow({ method: "ae", train_noise_factor: 0.5, noise_factor: 0.5, mse, seed })
    ),
  ];
  const t = noiseFactorTable(seeded);
  assertEquals(t.map((r) => [r["noise factor"], r.seeds]), [[0.1, 1], [0.5, 3]]);
  assert(Math.abs(t[1]["test MSE"] - 0.05) < 1e-12);
});

/** Tiny profile, as in sweep_test.ts: every classical cell on 32 test images takes milliseconds. */
const TINY = { train: 64, test: 32, epochs: 1, seed: 1 };

Deno.test("biasCorrectionTable(): the corrected row is the sweep's cell, and beats the uncorrected one", async () => {
  const out = await Deno.makeTempDir();
  const sweep = await runSweep({
    noise: [0.5],
    methods: ["gaussian"],
    config: TINY,
    tune: 16,
    out,
    log: () => {},
  });
  const settings = sweepSettings(TINY, { tune: 16 });
  const rows = await biasCorrectionTable(settings, { methods: ["gaussian"] });
  assertEquals(rows.map((r) => r["bias correction"]), ["no", "yes"]);
  const cell = sweep.rows.find((r) => r.method === "gaussian")!;
  // Same test images, same tuning images, same scoring as the sweep, whose filters are corrected.
  assertEquals(rows[1].parameter, cell.parameter);
  assert(Math.abs(rows[1]["test MSE"] - cell.mse) < 1e-9, `${rows[1]["test MSE"]} ${cell.mse}`);
  assert(Math.abs(rows[1]["PSNR (dB)"] - cell.psnr) < 1e-6);
  assert(cell.parameter.startsWith(`${rows[0].parameter} a=`), cell.parameter);
  assert(rows[1]["test MSE"] < rows[0]["test MSE"], JSON.stringify(rows));
  await Deno.remove(out, { recursive: true });
});
