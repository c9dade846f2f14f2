/**
 * Text helpers for figures, notebooks, claims and the report: HTML and Markdown escaping,
 * thousands separators, plurals.
 *
 * @module
 */

/** Escapes text for HTML content and double-quoted attributes: `&<>"` as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Characters that mean something inline in Markdown (mistune 0.8 and CommonMark alike). */
const MARKDOWN_INLINE = /[\\`*_[\]|~$]/g;

/**
 * `text` as literal Markdown: HTML's `&<>"` as entities, inline Markdown characters escaped,
 * line breaks as spaces, and at a line start a list, heading or quote marker escaped too.
 */
function markdownText(text: string, lineStart: boolean): string {
  let s = escapeHtml(text.replace(/[\r\n]+/g, " ")).replace(MARKDOWN_INLINE, "\\$&");
  if (lineStart) s = s.replace(/^(\s*)([#+=-])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2");
  return s;
}

/** `text` as a code span fenced by one more backtick than its longest run, so nothing closes it. */
function markdownCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${flat} ${fence}`;
}

/**
 * The one way a string enters Markdown that a page shows: a template tag that escapes every
 * interpolated value where it enters, while the template's own text stays Markdown. A value
 * between backticks (`` `${name}` ``) becomes a code span; any other, literal text (numbers as
 * they print). Compose `markdown` results by concatenation, never by interpolation.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_testing_assert.ts";
 * import { markdown } from "./text.ts";
 * const path = "<img src=x onerror=alert(1)>";
 * assertEquals(markdown`Saved in ${path}.`, "Saved in &lt;img src=x onerror=alert(1)&gt;.");
 * assertEquals(markdown`Run \`${"a`b"}\`.`, "Run `` a`b ``.");
 * ```
 */
export function markdown(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = "";
  let chunk = strings[0];
  for (let i = 0; i < values.length; i++) {
    let next = strings[i + 1];
    const v = values[i];
    if (chunk.endsWith("`") && next.startsWith("`")) {
      out += chunk.slice(0, -1) + markdownCode(String(v));
      next = next.slice(1);
    } else {
      out += chunk;
      const lineStart = out === "" || out.endsWith("\n");
      out += typeof v === "number" ? String(v) : markdownText(String(v), lineStart);
    }
    chunk = next;
  }
  return out + chunk;
}

/** `n` with thousands separators, as every page prints a count: "12,000". */
export const thousands = (n: number): string => n.toLocaleString("en-US");

/** `n` and a noun, plural unless `n` is 1: "1 epoch", "3 epochs". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
