/**
 * The report's exported pages made navigable and accessible after nbconvert wrote them:
 * `lang="en"`, the notebook's title as the page's `<title>`, and previous / index / next
 * links at the top and the foot of every page (a small bar in a corner of every deck).
 *
 * @module
 */
import { join } from "node:path";
import { escapeHtml } from "../lib/text.ts";
import { deckHtml } from "./_report_deck.ts";
import { CODE_FREE_DIR } from "./_report_index.ts";

/** A neighbour of a page: where it is, relative to the page, and its title. */
export interface PageLink {
  /** Relative URL. */
  href: string;
  /** Title of the page it leads to. */
  title: string;
}

/** Where a page's navigation leads. */
export interface PageNav {
  /** The previous page of the same kind; unset on the first. */
  previous?: PageLink;
  /** The landing page, relative to this one. */
  index: string;
  /** The next page of the same kind; unset on the last. */
  next?: PageLink;
}

/**
 * The navigation bar: "← previous title · index · next title →".
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { navBar } from "./_report_pages.ts";
 * assertEquals(
 *   navBar({ index: "../index.html", next: { href: "02.html", title: "2. B" } }),
 *   '<nav class="report-nav" aria-label="pages"><a href="../index.html">index</a> · ' +
 *     '<a href="02.html" rel="next">next: 2. B →</a></nav>',
 * );
 * ```
 */
export function navBar(nav: PageNav): string {
  const links = [
    ...(nav.previous
      ? [
        `<a href="${nav.previous.href}" rel="prev">← previous: ${
          escapeHtml(nav.previous.title)
        }</a>`,
      ]
      : []),
    `<a href="${nav.index}">index</a>`,
    ...(nav.next
      ? [`<a href="${nav.next.href}" rel="next">next: ${escapeHtml(nav.next.title)} →</a>`]
      : []),
  ];
  return `<nav class="report-nav" aria-label="pages">${links.join(" · ")}</nav>`;
}

/** Style of the bar: a line on a page, a small corner of a deck (none in its print view). */
const NAV_STYLE = `<style>.report-nav{font:14px system-ui,sans-serif;margin:.6em 1em}
.report-nav.on-deck{position:fixed;top:0;left:0;z-index:40;margin:4px 8px;font-size:12px;opacity:.7}
html.print-pdf .report-nav{display:none}</style>`;

/**
 * `html` (an nbconvert page or deck) with `lang="en"`, `title`, and {@linkcode navBar} after
 * `<body>` and (pages only) before `</body>`.
 *
 * @example
 * ```ts
 * import { assert } from "../lib/_assert.ts";
 * import { pageHtml } from "./_report_pages.ts";
 * const html = pageHtml("<html><head><title>04_results</title></head><body><p>x</p></body></html>", {
 *   title: "4. Results",
 *   nav: { index: "index.html" },
 * });
 * assert(html.startsWith('<html lang="en">') && html.includes("<title>4. Results</title>"));
 * assert(html.split('class="report-nav"').length === 3);
 * ```
 */
export function pageHtml(
  html: string,
  options: { title: string; nav: PageNav; deck?: boolean },
): string {
  const bar = navBar(options.nav);
  return html
    .replace(/<html[^>]*>/, '<html lang="en">')
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(options.title)}</title>`)
    .replace("</head>", `${NAV_STYLE}\n</head>`)
    .replace(/<body[^>]*>/, (body) => `${body}\n${options.deck ? "" : bar}`)
    .replace(
      "</body>",
      `${options.deck ? bar.replace('"report-nav"', '"report-nav on-deck"') : bar}\n</body>`,
    );
}

/**
 * The navigation of page `i` of `titles` (in order), whose files are `file(k)` relative to
 * each other, with the landing page at `index`.
 */
export function pageNav(
  titles: readonly string[],
  i: number,
  file: (k: number) => string,
  index: string,
): PageNav {
  return {
    previous: i > 0 ? { href: file(i - 1), title: titles[i - 1] } : undefined,
    index,
    next: i + 1 < titles.length ? { href: file(i + 1), title: titles[i + 1] } : undefined,
  };
}

/**
 * A code-free page's links to the report's own pages (`demo.html`, `NN_*.html`, written
 * beside the notebooks) made to point one folder up, since code-free pages live in
 * `code-free/`. Other links are left alone.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { codeFreeLinks } from "./_report_pages.ts";
 * assertEquals(codeFreeLinks('<a href="demo.html">'), '<a href="../demo.html">');
 * assertEquals(codeFreeLinks('<a href="https://x/demo.html">'), '<a href="https://x/demo.html">');
 * ```
 */
export function codeFreeLinks(html: string): string {
  return html.replace(/href="((?:demo|\d{2,}_[^"/:]*)\.html(?:#[^"]*)?)"/g, 'href="../$1"');
}

/**
 * Finishes the exported pages of the notebooks `files` (titles `titles`) in `dir`: code-free
 * pages get {@linkcode codeFreeLinks}, decks {@linkcode deckHtml}, and every page
 * {@linkcode pageHtml} with its neighbours of the same kind.
 */
export async function finishPages(dir: string, files: string[], titles: string[]): Promise<void> {
  const stem = (k: number) => files[k].replace(/\.ipynb$/, "");
  for (const [i, title] of titles.entries()) {
    const nav = (ext: string, index: string) => pageNav(titles, i, (k) => stem(k) + ext, index);
    const page = join(dir, CODE_FREE_DIR, `${stem(i)}.html`);
    const free = codeFreeLinks(await Deno.readTextFile(page));
    await Deno.writeTextFile(page, pageHtml(free, { title, nav: nav(".html", "../index.html") }));
    const full = join(dir, `${stem(i)}.html`);
    const code = { title: `${title} (with code)`, nav: nav(".html", "index.html") };
    await Deno.writeTextFile(full, pageHtml(await Deno.readTextFile(full), code));
    const deck = join(dir, `${stem(i)}.slides.html`);
    const slides = deckHtml(await Deno.readTextFile(deck), { assets: "assets", title });
    const bar = { title: `${title} (slides)`, nav: nav(".slides.html", "index.html"), deck: true };
    await Deno.writeTextFile(deck, pageHtml(slides, bar));
  }
}
