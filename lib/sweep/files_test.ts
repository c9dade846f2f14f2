import { assert } from "../_assert.ts";
import { sweepCsv } from "./files.ts";
import { testRow } from "./_testing.ts";

Deno.test("sweepCsv() writes one line per row, quotes commas and expands per-class MSE", () => {
  const csv = sweepCsv([testRow({ parameter: 'h=0.1, "x"', class_mse: [0.5, 0.25] })]);
  const [header, line] = csv.trim().split("\n");
  assert(header.startsWith("dataset,noise_type,method,variant,"), header);
  assert(header.endsWith(",mse_class_0,mse_class_1"), header);
  assert(line.includes('"h=0.1, ""x"""'), line);
  assert(line.endsWith(",0.5,0.25"), line);
});
