/**
 * The conductor as the notebooks and the sweep call it: cached runs are reused only when
 * their settings match, and damaged runs are skipped in listings but named when needed.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { defaultRunName, validateConfig } from "./config.ts";
import { InputError } from "./errors.ts";
import { ensureRun, listRuns, readRun, runExperiment } from "./experiment.ts";

const TINY = validateConfig({ train: 64, test: 16, batch: 64, epochs: 1, backend: "wasm" });
const quiet = () => {};

Deno.test("ensureRun() refuses a run of its default name trained at another noise, and reuses a matching one", async () => {
  const out = await Deno.makeTempDir();
  // A run trained at noise 0.9, saved under the name the default 0.5 settings would use.
  const name = defaultRunName(TINY);
  const trained = await runExperiment({ ...TINY, noise: 0.9 }, { name, out, log: quiet });
  assertEquals(trained.status, "completed");
  const before = await Deno.readTextFile(`${out}/runs/${name}/metrics.json`);
  await assertRejects(
    () => ensureRun(TINY, { out, log: quiet }),
    InputError,
    `run "${name}" in ${out}/runs holds other settings: noise 0.9 (saved) ≠ 0.5 (asked)`,
  );
  assertEquals(await Deno.readTextFile(`${out}/runs/${name}/metrics.json`), before);
  // The same settings on another backend are the same run: read back, not retrained.
  const lines: string[] = [];
  const run = await ensureRun({ ...TINY, noise: 0.9, backend: "cpu" }, {
    name,
    out,
    log: (l) => lines.push(l),
  });
  assertEquals(run.config.noise, 0.9);
  assert(lines.some((l) => l.startsWith(`using the trained run "${name}"`)), lines.join("\n"));
  assertEquals(await Deno.readTextFile(`${out}/runs/${name}/metrics.json`), before);
});

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
