import { assert, assertEquals } from "../_assert.ts";
import { readSweepRows, readSweepSettings, sweepCsv } from "./files.ts";
import { sweepSettings } from "./plan.ts";
import { testRow } from "./_test_rows.ts";

Deno.test("sweepCsv() writes one line per row, quotes commas and expands per-class MSE", () => {
  const csv = sweepCsv([testRow({ parameter: 'h=0.1, "x"', class_mse: [0.5, 0.25] })]);
  const [header, line] = csv.trim().split("\n");
  assert(header.endsWith(",mse_class_0,mse_class_1"), header);
  assert(line.includes('"h=0.1, ""x"""'), line);
  assert(line.endsWith(",0.5,0.25"), line);
});

Deno.test("a sweep folder from before the seed split is read with its old meaning", async () => {
  const dir = await Deno.makeTempDir();
  const current = sweepSettings({ dataset: "mnist", seed: 4 });
  const old: Record<string, unknown> = { ...current };
  for (const key of ["dataSeed", "validation", "validationSplit"]) delete old[key];
  await Deno.writeTextFile(`${dir}/sweep.json`, JSON.stringify(old));
  const row: Record<string, unknown> = { ...testRow({ dataset: "mnist" }) };
  delete row.seconds_per_image; // written before the column existed
  await Deno.writeTextFile(`${dir}/results.json`, JSON.stringify([row]));
  const settings = await readSweepSettings(dir);
  assertEquals(settings, {
    ...current,
    dataset: "mnist10k",
    dataSeed: 4,
    validation: "test",
    validationSplit: current.validationSplit,
  });
  const [back] = await readSweepRows(dir);
  assertEquals([back.dataset, back.seconds_per_image], ["mnist10k", 0.1 / 1000]);
  // A current sweep.json is read as written.
  await Deno.writeTextFile(`${dir}/sweep.json`, JSON.stringify(current));
  assertEquals(await readSweepSettings(dir), current);
  assertEquals((await readSweepRows(dir))[0].dataset, "mnist");
});
