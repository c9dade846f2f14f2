import { assert, assertEquals } from "../_assert.ts";
import { biasCorrectionTable } from "./bias_table.ts";
import { runSweep } from "./sweep.ts";
import { sweepSettings } from "./plan.ts";

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
