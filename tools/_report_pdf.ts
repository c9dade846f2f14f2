/**
 * The report's PDFs: each deck printed by headless Chromium from reveal.js's print view
 * (`NN_*.slides.html?print-pdf`) to `NN_*.pdf`, one page per slide, and every deck in one
 * (`report.slides.html`, printed to `report.pdf`). Without Chromium the report has no PDFs
 * and says so.
 *
 * @module
 */
import { join } from "node:path";
import { type Browser, launchChromium } from "../lib/_chromium.ts";
import { navBar } from "./_report_pages.ts";

/** Where the report looks for Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** An expression that resolves once `window.deck` (reveal.js, via assets/deck.js) is ready. */
export const DECK_READY = `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => window.deck && window.deck.isReady()
    ? resolve(true)
    : Date.now() - t0 > 20000 ? reject(new Error("reveal.js did not start")) : setTimeout(poll, 20);
  poll();
})`;

/**
 * The deck at `url` printed from its print view (`url?print-pdf`): PDF bytes and slides.
 * Links to local files are dropped from the PDF (they would name this machine's paths).
 */
export async function printDeck(
  browser: Browser,
  url: string,
): Promise<{ pdf: Uint8Array; slides: number }> {
  await browser.goto(`${url}?print-pdf`);
  await browser.evaluate(DECK_READY);
  // reveal.js lays the print view out after it is ready: one .pdf-page per slide.
  const slides = await browser.evaluate<number>(`new Promise((resolve) => {
    const poll = () => document.querySelector(".pdf-page")
      ? setTimeout(() => resolve(window.deck.getTotalSlides()), 300)
      : setTimeout(poll, 20);
    poll();
  })`);
  // A PDF link to a file of this machine leaks its path and leads nowhere elsewhere.
  await browser.evaluate(`document.querySelectorAll("a[href]").forEach((a) => {
    if (a.href.startsWith("file:")) a.removeAttribute("href");
  })`);
  const r = await browser.send("Page.printToPDF", {
    preferCSSPageSize: true,
    printBackground: true,
  });
  return { pdf: Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0)), slides };
}

/**
 * Pages of a PDF as Chromium writes it: its `/Type /Page` objects.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { pdfPages } from "./_report_pdf.ts";
 * const pdf = new TextEncoder().encode("<</Type /Pages /Count 2>> <</Type /Page>> <</Type/Page>>");
 * assertEquals(pdfPages(pdf), 2);
 * ```
 */
export function pdfPages(pdf: Uint8Array): number {
  const text = new TextDecoder("latin1").decode(pdf);
  return text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

// nbconvert 7 wraps the deck in <main>; nbconvert 6.5 does not.
const SLIDES =
  /(<div class="slides">)([\s\S]*)(<\/div>\s*<\/div>\s*(?:<\/main>\s*)?(?:<nav class="report-nav[^"]*"[\s\S]*?<\/nav>\s*)?<\/body>)/;
const NAV = /<nav class="report-nav[^"]*"[\s\S]*?<\/nav>/;

/**
 * One deck of every deck: the first deck's page with the slides of all `decks` (their HTML,
 * in order), each deck's sections marked `data-deck="k"` so each keeps its own title slide.
 * Throws an `Error` when a deck has no `<div class="slides">`.
 */
export function mergeDecks(decks: string[], title: string): string {
  const parts = decks.map((html, k) => {
    const m = SLIDES.exec(html);
    if (!m) throw new Error(`deck ${k + 1} has no slides`);
    return m[2].replaceAll("<section>", `<section data-deck="${k}">`);
  });
  return decks[0].replace(SLIDES, (_, open, _slides, close) => open + parts.join("\n") + close)
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${title}</title>`)
    .replace(NAV, navBar({ index: "index.html" }).replace('"report-nav"', '"report-nav on-deck"'));
}

/**
 * Writes `STEM.pdf` for each deck `STEM.slides.html` of `stems` in `dir`, and
 * `report.slides.html` with `report.pdf` of them all; returns false, writing nothing, when
 * there is no Chromium at {@linkcode CHROMIUM}.
 */
export async function writePdfs(dir: string, stems: string[]): Promise<boolean> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    return false;
  }
  const decks = await Promise.all(
    stems.map((s) => Deno.readTextFile(join(dir, `${s}.slides.html`))),
  );
  await Deno.writeTextFile(
    join(dir, "report.slides.html"),
    mergeDecks(decks, "Denoising autoencoder report: every deck (slides)"),
  );
  const browser = await launchChromium({ size: [1280, 720], executable: CHROMIUM });
  try {
    for (const stem of [...stems, "report"]) {
      const { pdf } = await printDeck(browser, `file://${join(dir, `${stem}.slides.html`)}`);
      await Deno.writeFile(join(dir, `${stem}.pdf`), pdf);
    }
  } finally {
    await browser.close();
  }
  return true;
}
