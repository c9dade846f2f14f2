/**
 * Charts as markup: the one Plot setup every chart shares, the element it returns, and
 * standalone SVG of it for `.svg` files.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** The SVG namespace, written as `xmlns` on every chart's `<svg>`. */
export const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/**
 * A chart as Plot returns it: a linkedom `<svg>`, or a `<figure>` holding the title, the
 * legend and the `<svg>`. Declared here because the project type-checks without the DOM
 * library; its `outerHTML` is the chart for an HTML page.
 */
export interface ChartElement {
  readonly tagName: string;
  readonly outerHTML: string;
  readonly textContent: string | null;
  readonly children: ArrayLike<ChartElement>;
  getAttribute(name: string): string | null;
  querySelectorAll(selectors: string): ArrayLike<ChartElement>;
}

/** Plot's own words around a chart, which every chart function passes on. @default none */
export type ChartOptions = Pick<Plot.PlotOptions, "title" | "subtitle" | "caption">;

// deno-lint-ignore no-explicit-any
type Dom = any;

/**
 * `Plot.plot(options)` drawn into a linkedom document, 640×400 with a 60-pixel left margin
 * unless `options` say otherwise, black on white (so it reads the same in dark themes), with
 * `xmlns` and a `viewBox` on every `<svg>` and a title sized for a chart, not by the page's
 * `h2` rule.
 */
export function plot(options: Plot.PlotOptions): ChartElement {
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as Dom;
  const chart: Dom = Plot.plot({
    document,
    width: 640,
    height: 400,
    marginLeft: 60,
    className: "chart",
    ...options,
  });
  for (const svg of [chart, ...chart.querySelectorAll("svg")]) {
    if (svg.tagName.toLowerCase() !== "svg") continue;
    svg.setAttribute("xmlns", SVG_NAMESPACE);
    // Legend swatches lack one, and pages' `svg { height: auto }` would make them 150px tall.
    const [w, h] = [svg.getAttribute("width"), svg.getAttribute("height")];
    if (!svg.getAttribute("viewBox")) svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  }
  chart.setAttribute("style", "margin: 0; color: black; background: white; max-width: none");
  chart.querySelector("h2")?.setAttribute(
    "style",
    "font: bold 15px/20px system-ui, sans-serif; margin: 0 0 6px; text-transform: none",
  );
  return chart;
}

/**
 * Standalone SVG markup of a chart, for an `.svg` file: an `<svg>` chart as it is; a
 * `<figure>` inside a `<foreignObject>`, its legend stacked one entry per 16-pixel row so that
 * the file's height (the chart's, plus 26 pixels per title, subtitle or caption) holds it all.
 */
export function svgString(chart: ChartElement): string {
  if (chart.tagName.toLowerCase() === "svg") return chart.outerHTML;
  const svg = Array.from(chart.children).find((c) => c.tagName.toLowerCase() === "svg")!;
  const width = Number(svg.getAttribute("width"));
  const entries = chart.querySelectorAll(".chart-swatch").length;
  const height = Number(svg.getAttribute("height")) +
    26 * chart.querySelectorAll("h2, h3, figcaption").length +
    (entries > 0 ? Math.max(33, 16 * entries) + 5 : 0);
  return `<svg xmlns="${SVG_NAMESPACE}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}"><foreignObject width="100%" height="100%">` +
    `<div xmlns="http://www.w3.org/1999/xhtml"><style>.chart-swatches-wrap { ` +
    `flex-direction: column; align-items: flex-start; }</style>${chart.outerHTML}</div>` +
    `</foreignObject></svg>`;
}
