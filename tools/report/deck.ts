/**
 * The report's reveal.js decks after nbconvert (6.5 or 7): MathJax and jQuery dropped, started
 * by `assets/deck.js` (`deck_app.js`), and every deck merged into one.
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

/** The deck `html` started by `assets/deck.js`; throws without nbconvert's start-up script. */
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
 * The first deck's page with the slides of all `decks`, each's sections marked `data-deck="k"`,
 * and `nav`. Throws when a deck has no `<div class="slides">`.
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
