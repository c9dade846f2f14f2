import { join } from "node:path";
import { assert, assertEquals } from "../_testing_assert.ts";
import { appendProgress, logHtml, logLine, setProgressFile } from "./log.ts";

Deno.test("logLine() writes outside a notebook and feeds the report's progress file", async () => {
  const dir = await Deno.makeTempDir();
  const feed = join(dir, "feed.jsonl");
  setProgressFile(feed);
  try {
    logLine("backend: wasm");
    appendProgress({ kind: "begin", epochs: 2, startEpoch: 0, batches: 3 });
  } finally {
    setProgressFile(undefined);
  }
  logLine("not fed: the feed is unset");
  const lines = (await Deno.readTextFile(feed)).trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines, [
    { kind: "log", text: "backend: wasm", pid: Deno.pid },
    { kind: "begin", epochs: 2, startEpoch: 0, batches: 3, pid: Deno.pid },
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("logHtml() folds a line into an escaped <details>", () => {
  const html = logHtml(`using the trained run "a<b" ${"x".repeat(100)}`);
  assert(html.startsWith("<details") && html.includes("&lt;b"), html);
  assert(html.includes("…</summary>"), "long lines are cut in the summary");
});
