/**
 * The report's reveal.js decks after nbconvert wrote them: MathJax and jQuery (linked from
 * system paths or CDNs, unused by the notebooks) are dropped and nbconvert's start-up script
 * is replaced by `assets/deck.js` (`deck_app.js`: title slide, slides split or zoomed to fit
 * 1280×720, slide numbers); and every deck merged into one. Works on nbconvert 6.5 and 7.
 *
 * @module
 */
import { escapeHtml } from "../../lib/text.ts";

/** nbconvert's script that starts reveal.js: a `require(…)` calling `Reveal.initialize`. */
const START_SCRIPT = /<script>\s*require\(\s*\{[\s\S]*?Reveal\.initialize[\s\S]*?<\/script>/;
const DROPPED = [
  /<!-- Load mathjax -->[\s\S]*?<!-- End of mathjax configuration -->/g,
  /<script[^>]*\bsrc="[^"]*(mathjax|jquery)[^"]*"[^>]*>\s*<\/script>/gi,
  /<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/g,
];

/**
 * The deck `html` (nbconvert's `--to slides` output, beside `assets/`) started by
 * `assets/deck.js`. Throws an `Error` when nbconvert's start-up script is not found.
 */
export function deckHtml(html: string): string {
  if (!START_SCRIPT.test(html)) throw new Error("no reveal.js start-up script in the slides");
  return DROPPED.reduce((out, re) => out.replace(re, ""), html)
    .replace(START_SCRIPT, '<script src="assets/deck.js"></script>')
    .replace(
      "</head>",
      '<link rel="stylesheet" href="assets/deck.css">\n<link rel="icon" href="data:,">\n</head>',
    );
}

// nbconvert 7 wraps the deck in <main>; nbconvert 6.5 does not.
const SLIDES =
  /(<div class="slides">)([\s\S]*)(<\/div>\s*<\/div>\s*(?:<\/main>\s*)?(?:<nav class="report-nav[^"]*"[\s\S]*?<\/nav>\s*)?<\/body>)/;

/**
 * One deck of every deck: the first deck's page with the slides of all `decks` (their HTML,
 * in order), each deck's sections marked `data-deck="k"` so each keeps its own title slide,
 * and `nav` for navigation. Throws an `Error` when a deck has no `<div class="slides">`.
 */
export function mergeDecks(decks: string[], title: string, nav: string): string {
  const parts = decks.map((html, k) => {
    const m = SLIDES.exec(html);
    if (!m) throw new Error(`deck ${k + 1} has no slides`);
    return m[2].replaceAll("<section>", `<section data-deck="${k}">`);
  });
  return decks[0].replace(SLIDES, (_, open, _slides, close) => open + parts.join("\n") + close)
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(title)}</title>`)
    .replace(/<nav class="report-nav[^"]*"[\s\S]*?<\/nav>/, nav);
}
