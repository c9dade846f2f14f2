import { assert, assertEquals, assertThrows } from "../lib/_assert.ts";
import { mergeDecks, pdfPages } from "./_report_pdf.ts";

const deck = (h1: string, main = false) =>
  `<html><head><title>${h1}</title></head><body>${main ? "<main>" : ""}<div class="reveal">` +
  `<div class="slides"><section><section><h1>${h1}</h1></section><section>x</section></section>` +
  `</div>\n</div>${main ? "</main>" : ""}\n<nav class="report-nav on-deck">links</nav>\n</body>` +
  `<script src="assets/deck.js"></script></html>`;

Deno.test("mergeDecks() puts every deck's slides in one, each marked with its deck", () => {
  for (const main of [false, true]) {
    const html = mergeDecks([deck("1. A", main), deck("2. B", main)], "All");
    assertEquals(html.match(/<section data-deck="0">/g)?.length, 3);
    assertEquals(html.match(/<section data-deck="1">/g)?.length, 3);
    assert(html.indexOf("<h1>1. A</h1>") < html.indexOf("<h1>2. B</h1>"));
    assert(html.includes("<title>All</title>") && html.includes('src="assets/deck.js"'));
    assertEquals(html.match(/<nav /g)?.length, 1);
    assert(!html.includes('rel="next"'), "the merged deck links only to the index");
  }
  assertThrows(() => mergeDecks(["<html></html>"], "x"), Error, "no slides");
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
