import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { readJsonFile, replaceDirAtomic, writeFileAtomic, writeJsonAtomic } from "./atomic.ts";

Deno.test("writeFileAtomic() replaces a file and leaves no temp file behind", async () => {
  const dir = await Deno.makeTempDir();
  await writeFileAtomic(`${dir}/f.json`, "old");
  await writeJsonAtomic(`${dir}/f.json`, { a: 1 });
  assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/f.json`)), { a: 1 });
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["f.json"]);
  assertEquals(await readJsonFile(`${dir}/f.json`), { a: 1 });
  assertEquals(await readJsonFile(`${dir}/none.json`), undefined);
});

Deno.test("replaceDirAtomic() keeps the old folder when filling fails", async () => {
  const root = await Deno.makeTempDir();
  await replaceDirAtomic(`${root}/m`, (d) => Deno.writeTextFile(`${d}/x`, "1"));
  await assertRejects(
    () =>
      replaceDirAtomic(`${root}/m`, async (d) => {
        await Deno.writeTextFile(`${d}/x`, "2");
        throw new Error("disk full");
      }),
    Error,
    "disk full",
  );
  assertEquals(await Deno.readTextFile(`${root}/m/x`), "1");
  assertEquals([...Deno.readDirSync(root)].map((e) => e.name), ["m"]);
  await replaceDirAtomic(`${root}/m`, (d) => Deno.writeTextFile(`${d}/y`, "3"));
  assert(!(await Deno.stat(`${root}/m/x`).catch(() => null)));
  assertEquals(await Deno.readTextFile(`${root}/m/y`), "3");
});

Deno.test("writeFileAtomic() and replaceDirAtomic() never write through a symbolic link at a temp path", async () => {
  const dir = await Deno.makeTempDir();
  const outside = await Deno.makeTempFile();
  await Deno.writeTextFile(outside, "precious");
  // Plant links at the next few temp names this process would use.
  const names = Array.from({ length: 200 }, (_, i) => i);
  const planted: string[] = [];
  for (const base of ["f.json", "m"]) {
    for (const n of names) {
      // Temp names are .BASE.PID.N.tmp; plant the first 200 counters.
      const p = `${dir}/.${base}.${Deno.pid}.${n}.tmp`;
      await Deno.symlink(outside, p);
      planted.push(p);
    }
  }
  await writeFileAtomic(`${dir}/f.json`, "new").catch(() => {});
  await replaceDirAtomic(`${dir}/m`, (d) => Deno.writeTextFile(`${d}/x`, "1")).catch(() => {});
  assertEquals(await Deno.readTextFile(outside), "precious");
});
