/**
 * Reading run folders back: damaged runs named, and the full-protocol twin of a lighter config
 * found only when its settings match exactly.
 */
import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { DEFAULT_CONFIG, defaultRunName, validateConfig } from "./config.ts";
import { InputError } from "../errors.ts";
import { ensureRun, runExperiment } from "./experiment.ts";
import { findFullProtocolRun, readRun } from "./run_folder.ts";

const TINY = validateConfig({ train: 64, test: 16, batch: 64, epochs: 1, backend: "wasm" });
const quiet = () => {};

Deno.test("readRun() and ensureRun() name a damaged run", async () => {
  const out = await Deno.makeTempDir();
  await runExperiment(TINY, { name: "good", out, log: quiet });
  for (const [name, metrics] of [["truncated", '{"test_mse": 0.0'], ["empty", "{}"]]) {
    const cp = await new Deno.Command("cp", {
      args: ["-a", `${out}/runs/good`, `${out}/runs/${name}`],
    }).output();
    assert(cp.success);
    await Deno.writeTextFile(`${out}/runs/${name}/metrics.json`, metrics);
  }
  assertEquals((await readRun("good", out)).name, "good");
  for (const name of ["empty", "truncated"]) {
    const e = await assertRejects(() => readRun(name, out), InputError, `run "${name}" is damaged`);
    assert(!e.message.includes("\n"), e.message);
  }
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
  const full = { ...light, train: 9000, epochs: DEFAULT_CONFIG.epochs }; // all of mnist10k's
  const dir = `${out}/runs/${defaultRunName(full)}`;
  await Deno.rename(`${out}/runs/tiny`, dir);
  const saved = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...saved, ...full }));
  assertEquals((await findFullProtocolRun(light, out))?.name, defaultRunName(full));
  // The same name holding other settings is not taken for the full protocol.
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...saved, ...full, noise: 0.9 }));
  assertEquals(await findFullProtocolRun(light, out), undefined);
});
