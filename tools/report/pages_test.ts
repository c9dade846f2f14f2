import { assert, assertEquals } from "../../lib/_assert.ts";
import { codeFreeLinks, navBar, pageHtml } from "./pages.ts";

Deno.test("navBar() links each page to its neighbours and the index, none past the ends", () => {
  const titles = ["1. A", "2. B", "3. C"];
  const file = (k: number) => `0${k + 1}.html`;
  const first = navBar(titles, 0, file, "index.html");
  assert(!first.includes('rel="prev"') && first.includes('<a href="02.html" rel="next">'));
  const last = navBar(titles, 2, file, "../index.html");
  assert(last.includes('<a href="02.html" rel="prev">← previous: 2. B</a>'), last);
  assert(!last.includes('rel="next"') && last.includes('<a href="../index.html">index</a>'));
});

Deno.test("pageHtml() sets lang and title, and puts a deck's bar in a corner, once", () => {
  const nav = navBar(["1. A", "2. B"], 1, (k) => `0${k + 1}.slides.html`, "index.html");
  const html =
    '<html><head><title>02_b slides</title></head><body><div class="reveal"></div></body>';
  const deck = pageHtml(html, "2. B <slides>", nav, true);
  assert(
    deck.startsWith('<html lang="en">') && deck.includes("<title>2. B &lt;slides&gt;</title>"),
  );
  assertEquals(deck.match(/<nav class="report-nav on-deck"/g)?.length, 1);
  assertEquals(deck.match(/<nav /g)?.length, 1);
  assertEquals(pageHtml(html, "2. B", nav).match(/<nav class="report-nav"/g)?.length, 2);
});

Deno.test("codeFreeLinks() points links to the report's own pages one folder up", () => {
  assertEquals(codeFreeLinks('<a href="04_results.html#x">'), '<a href="../04_results.html#x">');
  assertEquals(codeFreeLinks('<a href="https://x/demo.html">'), '<a href="https://x/demo.html">');
});
