import { assert, assertEquals } from "../lib/_assert.ts";
import { codeFreeLinks, navBar, pageHtml, pageNav } from "./_report_pages.ts";

Deno.test("pageNav() links each page to its neighbours and the index, none past the ends", () => {
  const titles = ["1. A", "2. B", "3. C"];
  const file = (k: number) => `0${k + 1}.html`;
  assertEquals(pageNav(titles, 0, file, "index.html"), {
    previous: undefined,
    index: "index.html",
    next: { href: "02.html", title: "2. B" },
  });
  const last = pageNav(titles, 2, file, "../index.html");
  assertEquals([last.previous?.href, last.next], ["02.html", undefined]);
});

Deno.test("pageHtml() sets lang and title, and puts a deck's bar in a corner, once", () => {
  const nav = pageNav(["1. A", "2. B"], 1, (k) => `0${k + 1}.slides.html`, "index.html");
  const deck = pageHtml(
    '<html><head><title>02_b slides</title></head><body><div class="reveal"></div></body>',
    { title: "2. B (slides)", nav, deck: true },
  );
  assert(deck.includes("<title>2. B (slides)</title>"));
  assertEquals(deck.match(/<nav class="report-nav on-deck"/g)?.length, 1);
  assert(deck.includes('<a href="01.slides.html" rel="prev">← previous: 1. A</a>'));
  assert(navBar({ index: "x.html" }).includes('<a href="x.html">index</a>'));
});

Deno.test("codeFreeLinks() points links to the report's own pages one folder up", () => {
  assertEquals(codeFreeLinks('<a href="04_results.html#x">'), '<a href="../04_results.html#x">');
  assertEquals(codeFreeLinks('<a href="https://x/demo.html">'), '<a href="https://x/demo.html">');
});
