/**
 * Charts as markup: the element every chart function returns, and standalone SVG of it for
 * `.svg` files.
 *
 * @module
 */

/** The SVG namespace, written as `xmlns` on every chart's `<svg>`. */
export const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/**
 * A chart as Plot returns it (a linkedom `<svg>`, or a `<figure>` holding the title, the
 * legend and the `<svg>`); declared here because the project type-checks without the DOM
 * library. Its `outerHTML` is the chart for an HTML page.
 */
export interface ChartElement {
  /** `"svg"`, or `"figure"` for a chart with a title or legend. */
  readonly tagName: string;
  /** The chart's markup; every `<svg>` in it carries `xmlns`. */
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
 * Standalone SVG markup of a chart, for an `.svg` file: an `<svg>` chart as it is; a
 * `<figure>` inside a `<foreignObject>`, its legend stacked one entry per 16-pixel row so that
 * the file's height (the chart's, plus 26 pixels for a title) holds it all.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { metricChart } from "./charts.ts";
 * import { svgString } from "./svg.ts";
 * const rows = [{ x: 0, y: 1, series: "a" }, { x: 1, y: 2, series: "b" }];
 * const markup = svgString(metricChart(rows, { xLabel: "x", yLabel: "y" }));
 * assert(markup.startsWith(`<svg xmlns="http://www.w3.org/2000/svg"`) && markup.includes(">b<"));
 * ```
 *
 * @throws {TypeError} when the element is neither an `<svg>` nor holds one as a child.
 */
export function svgString(chart: ChartElement): string {
  if (chart.tagName.toLowerCase() === "svg") return chart.outerHTML;
  const svg = Array.from(chart.children).find((c) => c.tagName.toLowerCase() === "svg");
  if (!svg) throw new TypeError(`Expected an <svg> chart, got <${chart.tagName}>`);
  const width = Number(svg.getAttribute("width"));
  const entries = chart.querySelectorAll(".chart-swatch").length;
  const height = Number(svg.getAttribute("height")) +
    (chart.querySelectorAll("h2").length > 0 ? 26 : 0) +
    (entries > 0 ? Math.max(33, 16 * entries) + 5 : 0);
  return `<svg xmlns="${SVG_NAMESPACE}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}"><foreignObject width="100%" height="100%">` +
    `<div xmlns="http://www.w3.org/1999/xhtml"><style>.chart-swatches-wrap { ` +
    `flex-direction: column; align-items: flex-start; }</style>${chart.outerHTML}</div>` +
    `</foreignObject></svg>`;
}
