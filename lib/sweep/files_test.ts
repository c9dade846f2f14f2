import { assert, assertEquals } from "../_testing_assert.ts";
import { summarizeRows, summaryCsv, sweepCsv } from "./files.ts";
import { testRow } from "./_testing.ts";
import { tInterval } from "../claims/stats.ts";

Deno.test("sweepCsv() writes one line per row, quotes commas and expands per-class MSE", () => {
  const csv = sweepCsv([testRow({ parameter: 'h=0.1, "x"', class_mse: [0.5, 0.25] })]);
  const [header, line] = csv.trim().split("\n");
  assert(header.startsWith("dataset,noise_type,method,variant,"), header);
  assert(header.endsWith(",mse_class_0,mse_class_1"), header);
  assert(line.includes('"h=0.1, ""x"""'), line);
  assert(line.endsWith(",0.5,0.25"), line);
});

Deno.test("summarizeRows: one line per cell, mean, SD and t-interval over its seeds", () => {
  const rows = [0.02, 0.021, 0.023].map((mse, seed) => testRow({ seed, mse, psnr: 17 + seed }));
  rows.push(testRow({ method: "median", seed: null, train_noise_factor: null, mse: 0.05 }));
  const s = summarizeRows(rows);
  assertEquals(s.length, 2);
  const ae = s.find((r) => r.method === "ae")!;
  const t = tInterval([0.02, 0.021, 0.023])!;
  assertEquals([ae.n, ae.seeds, ae.mse.low, ae.mse.high], [3, [0, 1, 2], t.low, t.high]);
  assertEquals(ae.psnr.mean, 18);
  const median = s.find((r) => r.method === "median")!;
  assert(median.n === 1 && Number.isNaN(median.mse.sd) && Number.isNaN(median.mse.low));
  const csv = summaryCsv(s).trim().split("\n");
  assertEquals(csv.length, 3);
  assert(csv[0].startsWith("method,variant,train_noise_factor,noise_factor,n,seeds,mse_mean"));
  assert(csv.some((l) => l.startsWith("median,,,0.5,1,,0.05,,,")), csv.join("\n"));
});
