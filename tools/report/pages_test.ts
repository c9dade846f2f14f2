import { assert, assertEquals, assertThrows } from "../../lib/_testing_assert.ts";
import { codeFreeLinks, deckHtml, navBar, pageHtml } from "./pages.ts";
import { pdfPages } from "./_testing.ts";

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

/** The parts of the reveal export (nbconvert/offline.slides.html.j2) that deckHtml changes. */
const DECK = `<!DOCTYPE html>
<html>
<head>
<title>04_results slides</title><script src="assets/require.js"></script>
<link rel="stylesheet" href="assets/reveal.js/dist/theme/simple.css" id="theme">
</head>
<body><div class="reveal"><div class="slides"><section><section><h1>4. Results</h1></section></section></div></div></body>
<script>
require(
    { waitSeconds: 15 },
    ["assets/reveal.js/dist/reveal.js", "assets/reveal.js/plugin/notes/notes.js"],
    function(Reveal, RevealNotes){
        Reveal.initialize({ controls: true, plugins: [RevealNotes] });
        var update = function(event){ if(MathJax.Hub.getAllJax(Reveal.getCurrentSlide())){} };
    }
);
</script>
</html>`;

Deno.test("deckHtml() starts the deck with assets/deck.js instead of nbconvert's script", () => {
  const html = deckHtml(DECK);
  assertEquals(html.match(/<script\b[^>]*>/g), [
    '<script src="assets/require.js">',
    '<script src="assets/deck.js">',
  ]);
  assert(html.includes('<link rel="stylesheet" href="assets/deck.css">'));
  assert(html.includes("<h1>4. Results</h1>"), "the slides are left alone");
});

Deno.test("deckHtml() fails loudly when nbconvert's start-up script is not there", () => {
  assertThrows(() => deckHtml("<html><body></body></html>"), Error);
});

Deno.test("pdfPages() counts page objects, not the page tree", () => {
  const pdf = (n: number) =>
    new TextEncoder().encode(
      `%PDF-1.4\n1 0 obj <</Type /Pages /Count ${n}>>\n` +
        Array.from({ length: n }, (_, i) => `${i + 2} 0 obj <</Type /Page /Parent 1 0 R>>`).join(
          "\n",
        ),
    );
  assertEquals([pdfPages(pdf(0)), pdfPages(pdf(1)), pdfPages(pdf(7))], [0, 1, 7]);
});
