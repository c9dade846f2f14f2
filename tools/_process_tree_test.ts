import { join } from "node:path";
import { assert, assertEquals } from "../lib/_assert.ts";
import { descendants, isAlive, killTree, removeStaleTemps } from "./_process_tree.ts";

Deno.test("killTree() stops a child and grandchildren, even one in its own session", async () => {
  const child = new Deno.Command("sh", {
    args: ["-c", "sleep 300 & setsid sleep 301 & wait"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let below: number[] = [];
  for (let i = 0; i < 100 && below.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 20));
    below = descendants(child.pid);
  }
  assertEquals(below.length, 2, "sh started two sleeps");
  await killTree(child.pid);
  await child.status;
  for (const pid of [child.pid, ...below]) assert(!isAlive(pid), `${pid} still runs`);
});

Deno.test("removeStaleTemps() removes temp folders of dead writers only", async () => {
  const dir = await Deno.makeTempDir();
  // A PID far above pid_max's default cannot be alive.
  const dead = `.default.${2 ** 22 + 7}.0.tmp`;
  const mine = `.default.${Deno.pid}.0.tmp`;
  for (const name of [dead, mine, "default"]) await Deno.mkdir(join(dir, name));
  assertEquals(await removeStaleTemps(dir), [dead]);
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(left, [mine, "default"].sort());
  await Deno.remove(dir, { recursive: true });
});
