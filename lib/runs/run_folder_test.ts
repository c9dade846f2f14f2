/**
 * Reading run folders back: damaged runs skipped in listings but named when needed, and the
 * full-protocol twin of a lighter config found only when its settings match exactly.
 */
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { DEFAULT_CONFIG, defaultRunName, validateConfig } from "./config.ts";
import { InputError } from "../errors.ts";
import { ensureRun, runExperiment } from "./experiment.ts";
import { findFullProtocolRun, fullProtocolConfig, listRuns, readRun } from "./run_folder.ts";

const TINY = validateConfig({ train: 64, test: 16, batch: 64, epochs: 1, backend: "wasm" });
const quiet = () => {};

Deno.test("listRuns() skips damaged runs with a one-line warning; readRun() names a damaged run", async () => {
  const out = await Deno.makeTempDir();
  await runExperiment(TINY, { name: "good", out, log: quiet });
  for (const [name, metrics] of [["truncated", '{"test_mse": 0.0'], ["empty", "{}"]]) {
    const cp = await new Deno.Command("cp", {
      args: ["-a", `${out}/runs/good`, `${out}/runs/${name}`],
    }).output();
    assert(cp.success);
    await Deno.writeTextFile(`${out}/runs/${name}/metrics.json`, metrics);
  }
  const warnings: string[] = [];
  const runs = await listRuns(out, { warn: (l) => warnings.push(l) });
  assertEquals(runs, [{ name: "good", status: "complete" }]);
  assertEquals(warnings.length, 2, warnings.join("\n"));
  for (const w of warnings) assert(!w.includes("\n") && w.startsWith("warning: skipped: run"), w);
  assert(warnings.some((w) => w.includes('run "truncated" is damaged')), warnings.join("\n"));
  assert(warnings.some((w) => w.includes('run "empty" is damaged')), warnings.join("\n"));
  await assertRejects(() => readRun("empty", out), InputError, 'run "empty" is damaged');
  await assertRejects(() => readRun("truncated", out), InputError, 'run "truncated" is damaged');
  await assertRejects(
    () => ensureRun(TINY, { name: "empty", out, log: quiet }),
    InputError,
    "damaged",
  );
});

Deno.test("findFullProtocolRun() finds the full-protocol twin of a lighter config, and only an exact one", async () => {
  const out = await Deno.makeTempDir();
  const quiet = () => {};
  const light = validateConfig({ ...TINY, dataset: "mnist10k", train: 64, test: 16 });
  assertEquals(await findFullProtocolRun(light, out), undefined);
  // A real (tiny) run, filed under the full protocol's name with the full protocol's settings:
  // the lookup reads folders, it does not train.
  await runExperiment(light, { name: "tiny", out, log: quiet });
  const full = fullProtocolConfig(light);
  assertEquals([full.train, full.epochs], [9000, DEFAULT_CONFIG.epochs]);
  const dir = `${out}/runs/${defaultRunName(full)}`;
  await Deno.rename(`${out}/runs/tiny`, dir);
  const saved = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...saved, ...full }));
  assertEquals((await findFullProtocolRun(light, out))?.name, defaultRunName(full));
  // The same name holding other settings is not taken for the full protocol.
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...saved, ...full, noise: 0.9 }));
  assertEquals(await findFullProtocolRun(light, out), undefined);
});
