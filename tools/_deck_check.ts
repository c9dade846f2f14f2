/**
 * Test helper: a report's reveal.js deck as a presenter meets it, in headless Chromium at
 * 1280×720. Every slide is shown in turn and checked for content taller or wider than the
 * slide; console errors, uncaught exceptions and requests for files outside the report
 * folder are collected too.
 *
 * @module
 */
import type { Browser } from "../lib/_chromium.ts";
import { DECK_READY } from "./_report_pdf.ts";

/** What {@linkcode checkDeck} found. */
export interface DeckCheck {
  /** Slides in the deck, as reveal.js counts them. */
  slides: number;
  /** One line per problem: "slide N: …", "console: …", "request outside the bundle: …". */
  problems: string[];
}

/** Shows slide `i` and returns what sticks out of it, or "" when it fits. */
const OVERFLOW = (i: number) =>
  `(async () => {
  const slide = window.deck.getSlides()[${i}];
  const { h, v } = window.deck.getIndices(slide);
  window.deck.slide(h, v);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const { width, height } = window.deck.getConfig();
  if (slide.scrollHeight > height + 1 || slide.scrollWidth > width + 1) {
    return slide.scrollWidth + "×" + slide.scrollHeight + " px";
  }
  const box = document.querySelector(".reveal .slides").getBoundingClientRect();
  for (const el of slide.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 ||
      r.bottom > box.bottom + 1) {
      return "<" + el.tagName.toLowerCase() + "> outside the slide";
    }
  }
  return "";
})()`;

/**
 * Opens the deck at `url` (a `file://` URL inside `root`, the report folder) in `browser`
 * (1280×720) and checks every slide (see the module doc).
 */
export async function checkDeck(browser: Browser, url: string, root: string): Promise<DeckCheck> {
  browser.errors.length = 0;
  browser.requests.length = 0;
  await browser.goto(url);
  await browser.evaluate(DECK_READY);
  const slides = await browser.evaluate<number>("window.deck.getTotalSlides()");
  const problems: string[] = [];
  for (let i = 0; i < slides; i++) {
    const overflow = await browser.evaluate<string>(OVERFLOW(i));
    if (overflow) problems.push(`slide ${i + 1}: ${overflow}`);
  }
  for (const e of browser.errors) problems.push(`console: ${e}`);
  const inside = `file://${root.replace(/\/$/, "")}/`;
  for (const r of browser.requests) {
    if (!r.startsWith(inside) && !r.startsWith("data:")) {
      problems.push(`request outside the bundle: ${r}`);
    }
  }
  return { slides, problems };
}

/** Every file under `dir`, at any depth. */
export async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) files.push(...await filesUnder(path));
    else if (e.isFile) files.push(path);
  }
  return files;
}
