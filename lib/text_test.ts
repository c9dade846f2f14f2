import { assertEquals } from "./_testing_assert.ts";
import { escapeHtml, plural } from "./text.ts";

Deno.test("escapeHtml() escapes content and double-quoted attributes", () => {
  assertEquals(escapeHtml('<a href="x">&'), "&lt;a href=&quot;x&quot;&gt;&amp;");
});

Deno.test("plural() adds an s unless n is 1", () => {
  assertEquals([plural(1, "epoch"), plural(3, "epoch"), plural(0, "seed")], [
    "1 epoch",
    "3 epochs",
    "0 seeds",
  ]);
});
