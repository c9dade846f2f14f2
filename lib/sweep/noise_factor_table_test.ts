import { assert, assertEquals } from "../_assert.ts";
import { noiseFactorTable } from "./noise_factor_table.ts";
import { testRow } from "./_testing.ts";

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
