import { join } from "node:path";
import { assertEquals, assertRejects } from "../../lib/_testing_assert.ts";
import { InputError } from "../../lib/errors.ts";
import { notebookSettings } from "../../lib/notebook.ts";
import { fakeRun } from "./_testing.ts";
import { mainRun, sweepRuns } from "./runs.ts";

Deno.test("mainRun() gives the headline run only when its model passes the integrity check", async (t) => {
  const out = await Deno.makeTempDir();
  const settings = { ...notebookSettings({}), out };
  assertEquals(await mainRun(settings), undefined, "no run, no headline");
  assertEquals(await sweepRuns(settings), [], "no sweep, no sweep runs");
  const dir = await fakeRun(out, settings.name, settings.config);
  const run = await mainRun(settings);
  assertEquals([run?.name, run?.role, run?.metrics.test_mse], [settings.name, "main", 1]);
  const cases: [string, string, string][] = [
    ["a changed model.json", "model.json", "model.json: SHA-256 mismatch"],
    ["changed weights", "weights.bin", "model weights in"],
    ["no digest", "sha256.json", "has no valid digest"],
  ];
  for (const [what, file, message] of cases) {
    await t.step(what, async () => {
      const path = join(dir, "model", file);
      const before = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, file === "sha256.json" ? "{}" : `${before} `);
      const e = await assertRejects(() => mainRun(settings), InputError, message);
      assertEquals(e.message.startsWith(`run "${settings.name}" cannot give the headline`), true);
      await Deno.writeTextFile(path, before);
    });
  }
  await Deno.remove(out, { recursive: true });
});
