/**
 * The report's pages: nbconvert's page with code, the code-free page (`code-free/`) and the
 * slides of each executed notebook, each given `lang`, its title and previous / next links;
 * the reveal.js decks started by `assets/deck.js` (`deck_app.js`). The templates in
 * `nbconvert/` leave MathJax, Mermaid and jQuery out. Each deck is printed by headless
 * Chromium to `NN_*.pdf`, one page per slide; `report.pdf` joins them with pdf-lib (printing
 * one merged deck instead took 29 s and 2.3 GiB in Chromium's renderer, against 3 s and 337
 * MiB for a deck).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDocument } from "pdf-lib";
import { CHROMIUM, launchChromium } from "../../lib/_chromium.ts";
import { pathExists } from "../../lib/runs/atomic.ts";
import { escapeHtml } from "../../lib/text.ts";
import { LOG_OUTPUT_TAG } from "../../lib/train/log.ts";
import { NotebookError, run } from "./exec.ts";

/** Folder of the code-free pages inside the report. */
export const CODE_FREE_DIR = "code-free";

/** nbconvert options for pages without code, plumbing cells or log outputs. */
const CODE_FREE: readonly string[] = [
  "--TemplateExporter.exclude_input=True",
  "--TemplateExporter.exclude_input_prompt=True",
  "--TemplateExporter.exclude_output_prompt=True",
  "--TagRemovePreprocessor.enabled=True",
  ...["parameters", "injected-parameters", "settings", "code-only"]
    .map((tag) => `--TagRemovePreprocessor.remove_cell_tags=${tag}`),
  `--TagRemovePreprocessor.remove_single_output_tags=${LOG_OUTPUT_TAG}`,
];

const TEMPLATES = fileURLToPath(new URL("./nbconvert", import.meta.url));

/** Files copied into `assets/` so that every page works offline. */
const ASSETS: [source: string, target: string][] = [
  ["requirejs/require.js", "require.js"],
  ...["dist/reveal.js", "dist/reveal.css", "dist/theme/simple.css", "plugin/notes/notes.js"]
    .map((f) => [`reveal.js/${f}`, `reveal.js/${f}`] as [string, string]),
  ["./deck_app.js", "deck.js"],
  ["./deck.css", "deck.css"],
  ["./index.css", "index.css"],
];

/** Copies {@linkcode ASSETS} (by specifier) into `dir/assets/`. */
export async function copyAssets(dir: string): Promise<void> {
  for (const [source, target] of ASSETS) {
    const path = join(dir, "assets", target);
    await Deno.mkdir(dirname(path), { recursive: true });
    const file = fileURLToPath(import.meta.resolve(source));
    // The theme imports web fonts from Google; offline they only delay the page.
    const content = await Deno.readTextFile(file);
    await Deno.writeTextFile(path, content.replace(/^@import url\(https?:[^)]*\);\n/gm, ""));
  }
}

/** Writes the three exports of `files` in `dir`; {@linkcode NotebookError} if nbconvert fails. */
export async function convertNotebooks(
  dir: string,
  files: string[],
  titles: string[],
  signal: AbortSignal,
): Promise<void> {
  const page = `--HTMLExporter.template_file=${join(TEMPLATES, "offline.html.j2")}`;
  const exports: [what: string, args: string[]][] = [
    ["HTML", [
      ...["--to", "html", "--output-dir", dir, page],
      "--HTMLExporter.require_js_url=assets/require.js",
    ]],
    ["code-free", [
      ...["--to", "html", "--output-dir", join(dir, CODE_FREE_DIR), page],
      "--HTMLExporter.require_js_url=../assets/require.js",
      ...CODE_FREE,
    ]],
    ["slides", [
      ...["--to", "slides", "--output-dir", dir],
      `--SlidesExporter.template_file=${join(TEMPLATES, "offline.slides.html.j2")}`,
      "--SlidesExporter.require_js_url=assets/require.js",
      "--SlidesExporter.reveal_url_prefix=assets/reveal.js",
      "--SlidesExporter.reveal_theme=simple",
      ...CODE_FREE,
    ]],
  ];
  const paths = files.map((f) => join(dir, f));
  for (const [what, args] of exports) {
    const r = await run("jupyter", ["nbconvert", ...args, ...paths], signal);
    if (signal.aborted) return;
    if (!r.ok) {
      throw new NotebookError(`${what} export failed: ${r.stderr.trim().split("\n").at(-1)}`);
    }
  }
  const stem = (k: number) => files[k].replace(/\.ipynb$/, "");
  for (const [i, title] of titles.entries()) {
    const nav = (ext: string, index: string) => navBar(titles, i, (k) => stem(k) + ext, index);
    const pages: [file: string, title: string, nav: string, edit: (html: string) => string][] = [
      [`${CODE_FREE_DIR}/${stem(i)}.html`, title, nav(".html", "../index.html"), codeFreeLinks],
      [`${stem(i)}.html`, `${title} (with code)`, nav(".html", "index.html"), (html) => html],
      [`${stem(i)}.slides.html`, `${title} (slides)`, nav(".slides.html", "index.html"), deckHtml],
    ];
    for (const [file, name, bar, edit] of pages) {
      const html = edit(await Deno.readTextFile(join(dir, file)));
      await Deno.writeTextFile(join(dir, file), pageHtml(html, name, bar, edit === deckHtml));
    }
  }
}

/** The bar of page `i` of `titles` (files `file(k)`): "← previous: … · index · next: … →". */
export function navBar(
  titles: readonly string[],
  i: number,
  file: (k: number) => string,
  index: string,
): string {
  const [prev, next] = [titles[i - 1], titles[i + 1]];
  const links = [
    prev !== undefined && `<a href="${file(i - 1)}" rel="prev">← previous: ${escapeHtml(prev)}</a>`,
    `<a href="${index}">index</a>`,
    next !== undefined && `<a href="${file(i + 1)}" rel="next">next: ${escapeHtml(next)} →</a>`,
  ];
  return `<nav class="report-nav" aria-label="pages">${links.filter(Boolean).join(" · ")}</nav>`;
}

/** Style of the bar: a line on a page, a small corner of a deck (none in its print view). */
const NAV_STYLE = `<style>.report-nav{font:14px system-ui,sans-serif;margin:.6em 1em}
.report-nav.on-deck{position:fixed;top:0;left:0;z-index:40;margin:4px 8px;font-size:12px;opacity:.7}
html.print-pdf .report-nav{display:none}</style>`;

/** `html` with `lang="en"`, `title`, and `nav` at the top and foot (a `deck`: in a corner). */
export function pageHtml(html: string, title: string, nav: string, deck = false): string {
  return html
    .replace(/<html[^>]*>/, '<html lang="en">')
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(title)}</title>`)
    .replace("</head>", `${NAV_STYLE}\n</head>`)
    .replace(/<body[^>]*>/, (body) => `${body}\n${deck ? "" : nav}`)
    .replace("</body>", `${deck ? nav.replace("report-nav", "report-nav on-deck") : nav}\n</body>`);
}

/** A code-free page's links to the report's pages, pointed one folder up. */
export function codeFreeLinks(html: string): string {
  return html.replace(/href="((?:demo|\d{2,}_[^"/:]*)\.html(?:#[^"]*)?)"/g, 'href="../$1"');
}

/** nbconvert's script that starts reveal.js: a `require(…)` calling `Reveal.initialize`. */
const START_SCRIPT = /<script>\s*require\(\s*\{[\s\S]*?Reveal\.initialize[\s\S]*?<\/script>/;

/** The deck `html` started by `assets/deck.js`; throws without nbconvert's start-up script. */
export function deckHtml(html: string): string {
  if (!START_SCRIPT.test(html)) throw new Error("no reveal.js start-up script in the slides");
  return html
    .replace(START_SCRIPT, '<script src="assets/deck.js"></script>')
    .replace(
      "</head>",
      '<link rel="stylesheet" href="assets/deck.css">\n<link rel="icon" href="data:,">\n</head>',
    );
}

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
  if (!await pathExists(CHROMIUM)) return false;
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
