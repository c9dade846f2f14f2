/**
 * Charts as standalone SVG: the element type every chart function returns, and its markup
 * with the namespaces a file or an `<img>` needs.
 *
 * @module
 */

/** The SVG namespace, written as `xmlns` on every chart. */
export const SVG_NAMESPACE = "http://www.w3.org/2000/svg";
/** The XLink namespace, declared by {@linkcode svgString} when markup uses `xlink:`. */
export const XLINK_NAMESPACE = "http://www.w3.org/1999/xlink";
/**
 * The DOM surface of a returned chart (a linkedom `SVGElement`); declared here
 * because the project type-checks without the DOM library.
 */
export interface ChartElement {
  /** `"svg"` for every chart made here. */
  readonly tagName: string;
  /** Standalone SVG markup (the element carries `xmlns`). */
  readonly outerHTML: string;
  /** Concatenated text of the element and its descendants. */
  readonly textContent: string | null;
  /** Child elements. */
  readonly children: ArrayLike<ChartElement>;
  /** An attribute's value, or null. */
  getAttribute(name: string): string | null;
  /** Descendants matching a CSS selector. */
  querySelectorAll(selectors: string): ArrayLike<ChartElement>;
}

/**
 * Standalone SVG markup of a chart: its `outerHTML` with `xmlns` (and
 * `xmlns:xlink` when used) declared on the root, ready to write as an `.svg`
 * file. A Plot `<figure>` (made by Plot's own legends or titles) is reduced to its
 * main `<svg>` child, dropping the HTML parts.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { barChart } from "./charts.ts";
 * import { svgString } from "./svg.ts";
 * const markup = svgString(barChart([{ label: "a", value: 1 }]));
 * assert(markup.includes('xmlns="http://www.w3.org/2000/svg"'));
 * ```
 *
 * @throws {TypeError} when the element is neither an `<svg>` nor holds one as a child.
 */
export function svgString(element: ChartElement): string {
  let svg = element;
  if (element.tagName.toLowerCase() !== "svg") {
    const child = Array.from(element.children).find((c) => c.tagName.toLowerCase() === "svg");
    if (!child) throw new TypeError(`Expected an <svg> element, got <${element.tagName}>`);
    svg = child;
  }
  const markup = svg.outerHTML;
  const rootTag = markup.slice(0, markup.indexOf(">"));
  let attributes = "";
  if (!/\sxmlns=/.test(rootTag)) attributes += ` xmlns="${SVG_NAMESPACE}"`;
  if (markup.includes("xlink:") && !/\sxmlns:xlink=/.test(rootTag)) {
    attributes += ` xmlns:xlink="${XLINK_NAMESPACE}"`;
  }
  return attributes ? markup.replace(/^<svg/, `<svg${attributes}`) : markup;
}
