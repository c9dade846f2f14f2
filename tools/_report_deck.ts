/**
 * The report's reveal.js decks, made presentable after nbconvert wrote them: MathJax and
 * jQuery (which nbconvert links from system paths or CDNs, and the notebooks do not use) are
 * dropped, nbconvert's start-up script is replaced by `assets/deck.js`
 * (`_report_deck_app.js`: title slide, slides split or scaled to 1280×720, slide numbers),
 * and the page gets `lang` and the notebook's title. Works on nbconvert 6.5 and 7, whose
 * reveal templates differ only around these parts.
 *
 * @module
 */
import { join } from "node:path";
import { escapeHtml } from "../lib/text.ts";
import { LOG_OUTPUT_TAG } from "../lib/train/log.ts";

/** Files of this folder copied into the report's `assets/` for the decks. */
export const DECK_ASSETS: [source: string, target: string][] = [
  ["_report_deck_app.js", "deck.js"],
  ["_report_deck.css", "deck.css"],
];

/** Copies {@linkcode DECK_ASSETS} into `assets` (a folder that exists). */
export async function copyDeckAssets(assets: string): Promise<void> {
  for (const [source, target] of DECK_ASSETS) {
    await Deno.copyFile(new URL(source, import.meta.url), join(assets, target));
  }
}

/** nbconvert's script that starts reveal.js: a `require(…)` calling `Reveal.initialize`. */
const START_SCRIPT = /<script>\s*require\(\s*\{[\s\S]*?Reveal\.initialize[\s\S]*?<\/script>/;
const MATHJAX = [
  /<!-- Load mathjax -->[\s\S]*?<!-- End of mathjax configuration -->/g,
  /<script[^>]*\bsrc="[^"]*mathjax[^"]*"[^>]*>\s*<\/script>/gi,
  /<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/g,
];
const JQUERY = /<script[^>]*\bsrc="[^"]*jquery[^"]*"[^>]*>\s*<\/script>/gi;

/**
 * The deck `html` (nbconvert's `--to slides` output) with the changes of the module doc;
 * `assets` is the folder of `deck.js` relative to the page, `title` the page's title.
 * Throws an `Error` when nbconvert's start-up script is not found (a template that changed).
 *
 * @example
 * ```ts
 * import { assert } from "../lib/_assert.ts";
 * import { deckHtml } from "./_report_deck.ts";
 * const html = deckHtml(
 *   '<html><head><title>x</title><script src="/usr/share/javascript/mathjax/MathJax.js"></script>' +
 *     "</head><body><script>require({}, [], function(Reveal){ Reveal.initialize({}); });</script>",
 *   { assets: "assets", title: "1. Data" },
 * );
 * assert(!html.includes("mathjax") && html.includes('<script src="assets/deck.js">'));
 * assert(html.includes('<html lang="en">') && html.includes("<title>1. Data (slides)</title>"));
 * ```
 */
export function deckHtml(html: string, options: { assets: string; title: string }): string {
  if (!START_SCRIPT.test(html)) throw new Error("no reveal.js start-up script in the slides");
  let out = html.replace(START_SCRIPT, `<script src="${options.assets}/deck.js"></script>`);
  for (const re of MATHJAX) out = out.replace(re, "");
  out = out.replace(JQUERY, "")
    .replace(/<html[^>]*>/, '<html lang="en">')
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(options.title)} (slides)</title>`)
    .replace(
      "</head>",
      `<link rel="stylesheet" href="${options.assets}/deck.css">\n<link rel="icon" href="data:,">\n</head>`,
    );
  return out;
}

/**
 * Tags of the cells that code-free pages and slides leave out (nbconvert's
 * TagRemovePreprocessor): the notebook's parameters, the report's injected ones, the
 * settings dump, and notes about the code (`code-only`: source files, flags, logs). The
 * pages with code keep them.
 */
export const HIDDEN_TAGS: readonly string[] = [
  "parameters",
  "injected-parameters",
  "settings",
  "code-only",
];

/**
 * nbconvert options that leave the plumbing out of code-free pages and slides: the cells
 * tagged {@linkcode HIDDEN_TAGS} and every output tagged {@linkcode LOG_OUTPUT_TAG} (log
 * lines, training progress). Options of nbconvert 6.5 and 7 alike.
 */
export const HIDE_PLUMBING: readonly string[] = [
  "--TagRemovePreprocessor.enabled=True",
  ...HIDDEN_TAGS.map((tag) => `--TagRemovePreprocessor.remove_cell_tags=${tag}`),
  `--TagRemovePreprocessor.remove_single_output_tags=${LOG_OUTPUT_TAG}`,
];
