/**
 * `deno task check`'s notebook step. `deno fmt --check` (2.9.6) reports every `.ipynb` as
 * unformatted, with an empty diff, until a writing `deno fmt` has cached it; the writing mode is
 * right. So this formats a copy of each notebook with the project's config and compares bytes.
 * Exits 1, naming the notebooks, when one differs (`deno fmt notebooks/` fixes them).
 *
 * @module
 */
import { basename, join } from "node:path";

const root = join(import.meta.dirname!, "..", "..");
const dir = await Deno.makeTempDir({ prefix: "fmt-notebooks-" });
const bad: string[] = [];
try {
  for await (const e of Deno.readDir(join(root, "notebooks"))) {
    if (!e.name.endsWith(".ipynb")) continue;
    const original = await Deno.readFile(join(root, "notebooks", e.name));
    const copy = join(dir, basename(e.name));
    await Deno.writeFile(copy, original);
    const args = ["fmt", "-q", "--config", join(root, "deno.json"), copy];
    const r = await new Deno.Command(Deno.execPath(), { args, stdout: "null" }).output();
    const formatted = await Deno.readFile(copy);
    if (
      !r.success || formatted.length !== original.length ||
      formatted.some((b, i) => b !== original[i])
    ) {
      bad.push(`notebooks/${e.name}`);
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
if (bad.length > 0) {
  console.error(`error: not formatted (run deno fmt notebooks/): ${bad.sort().join(", ")}`);
  Deno.exit(1);
}
