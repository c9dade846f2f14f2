import { join } from "node:path";
import { assert, assertEquals } from "../lib/_testing_assert.ts";
import { isAlive } from "../lib/runs/atomic.ts";
import { descendants, killTree, removeStaleTemps } from "./_process_tree.ts";

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
  assertEquals(await removeStaleTemps(dir), [`removed ${dead}`]);
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(left, [mine, "default"].sort());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a report replace stopped between its two renames is restored, never deleted", async () => {
  const dir = await Deno.makeTempDir();
  const target = join(dir, "default");
  await Deno.mkdir(target);
  await Deno.writeTextFile(join(target, "index.html"), "old report");
  // A real process that is killed (SIGKILL) right between replaceDirAtomic's two renames:
  // the old report is set aside, the new one is not yet in place.
  const atomic = new URL("../lib/runs/atomic.ts", import.meta.url).href;
  const code = `import { replaceDirAtomic } from ${JSON.stringify(atomic)};
const rename = Deno.rename;
let n = 0;
Object.defineProperty(Deno, "rename", { value: async (a, b) => {
  if (++n === 2) Deno.kill(Deno.pid, "SIGKILL");
  return await rename(a, b);
} });
await replaceDirAtomic(${
    JSON.stringify(target)
  }, (d) => Deno.writeTextFile(d + "/index.html", "new"));`;
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "piped",
  }).output();
  assertEquals(child.signal, "SIGKILL", new TextDecoder().decode(child.stderr));
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(left.length, 2, left.join());
  assert(!left.includes("default") && left.some((n) => n.endsWith(".tmp.old")), left.join());
  // The next report's clean-up puts the old report back and removes the unfinished one.
  const cleaned = await removeStaleTemps(dir);
  assert(cleaned.some((n) => n.startsWith("restored ")), cleaned.join());
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["default"]);
  assertEquals(await Deno.readTextFile(join(target, "index.html")), "old report");
  await Deno.remove(dir, { recursive: true });
});
