/**
 * The report's PDFs: each deck printed by headless Chromium to `NN_*.pdf`, one page per
 * slide; `report.pdf` joins them with pdf-lib (printing one merged deck instead took 29 s and
 * 2.3 GiB in Chromium's renderer, against 3 s and 337 MiB for a deck).
 *
 * @module
 */
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { CHROMIUM, launchChromium } from "../../lib/_chromium.ts";

/** An expression that resolves once `window.deck` (reveal.js, via assets/deck.js) is ready. */
export const DECK_READY = `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => window.deck && window.deck.isReady()
    ? resolve(true)
    : Date.now() - t0 > 20000 ? reject(new Error("reveal.js did not start")) : setTimeout(poll, 20);
  poll();
})`;

/** Writes `STEM.pdf` of each deck and `report.pdf`; false, writing nothing, without Chromium. */
export async function writePdfs(dir: string, stems: string[]): Promise<boolean> {
  if (!await Deno.stat(CHROMIUM).then(() => true, () => false)) return false;
  const all = await PDFDocument.create();
  const browser = await launchChromium({ size: [1280, 720] });
  try {
    for (const stem of stems) {
      await browser.goto(`file://${join(dir, `${stem}.slides.html`)}?print-pdf`);
      await browser.evaluate(DECK_READY);
      // reveal.js lays the print view out after it is ready: one .pdf-page per slide.
      await browser.evaluate(`new Promise((resolve) => {
        const poll = () => document.querySelector(".pdf-page") ? setTimeout(resolve, 300) : setTimeout(poll, 20);
        poll();
      })`);
      // A link to a file of this machine would leak its path and lead nowhere elsewhere.
      await browser.evaluate(`document.querySelectorAll("a[href]").forEach((a) => {
        if (a.href.startsWith("file:")) a.removeAttribute("href");
      })`);
      const r = await browser.send("Page.printToPDF", {
        preferCSSPageSize: true,
        printBackground: true,
      });
      const pdf = Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0));
      await Deno.writeFile(join(dir, `${stem}.pdf`), pdf);
      const deck = await PDFDocument.load(pdf);
      for (const page of await all.copyPages(deck, deck.getPageIndices())) all.addPage(page);
    }
  } finally {
    await browser.close();
  }
  // Plain objects, not object streams: one `/Type /Page` per slide, as Chromium writes.
  await Deno.writeFile(join(dir, "report.pdf"), await all.save({ useObjectStreams: false }));
  return true;
}
