/**
 * `deno task check`'s notebook step: `deno fmt --check` (2.9.6) calls every `.ipynb`
 * unformatted until a writing `deno fmt` has cached it, so this formats a copy of each and
 * compares; it exits 1 naming those that differ (`deno fmt notebooks/` fixes them).
 *
 * @module
 */
import { join } from "node:path";

const root = join(import.meta.dirname!, "..", "..");
const dir = await Deno.makeTempDir({ prefix: "fmt-notebooks-" });
const bad: string[] = [];
try {
  for await (const e of Deno.readDir(join(root, "notebooks"))) {
    if (!e.name.endsWith(".ipynb")) continue;
    const original = await Deno.readTextFile(join(root, "notebooks", e.name));
    const copy = join(dir, e.name);
    await Deno.writeTextFile(copy, original);
    const args = ["fmt", "-q", "--config", join(root, "deno.json"), copy];
    const r = await new Deno.Command(Deno.execPath(), { args, stdout: "null" }).output();
    if (!r.success || await Deno.readTextFile(copy) !== original) bad.push(`notebooks/${e.name}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
if (bad.length > 0) {
  console.error(`error: not formatted (run deno fmt notebooks/): ${bad.sort().join(", ")}`);
  Deno.exit(1);
}
