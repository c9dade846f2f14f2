/**
 * The report's reveal.js decks after nbconvert (6.5 or 7): MathJax and jQuery dropped, started
 * by `assets/deck.js` (`deck_app.js`).
 *
 * @module
 */
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
