/**
 * The one Plot setup every chart shares. Titles and legends are Plot's own (`title`,
 * `color: {legend: true}`), which make Plot return a `<figure>` around the chart's `<svg>`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { type ChartElement, SVG_NAMESPACE } from "./svg.ts";

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
  if (chart.tagName.toLowerCase() === "figure") {
    chart.querySelector("h2")?.setAttribute(
      "style",
      "font: bold 15px/20px system-ui, sans-serif; margin: 0 0 6px; text-transform: none",
    );
  }
  return chart;
}
