/**
 * The one Plot setup every chart shares: a linkedom document, the size, room on top for the
 * title and legend, a white background, and the legend and title drawn as SVG, so that each
 * chart is one `<svg>` that is valid on its own as an `.svg` file.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { type ChartElement, SVG_NAMESPACE } from "./svg.ts";

/** Default chart width in pixels (Plot's own default). */
export const DEFAULT_CHART_WIDTH = 640;
/** Default chart height in pixels. */
export const DEFAULT_CHART_HEIGHT = 400;
/**
 * Series colours, in order of first appearance (Observable's "observable10"
 * palette, Plot's default for categories); they cycle past ten series.
 */
export const SERIES_COLORS: readonly string[] = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

// Room kept at the top above the frame, the legend row and the title. Y-axis labels
// are rotated beside the axis (labelAnchor "center"): Plot pins a "top" label to
// the SVG's top edge, where it would collide with the title and legend.
const TOP_ROOM = 14;
const LEGEND_ROW = 22;
const TITLE_ROW = 24;

function createDocument(): unknown {
  // linkedom's types assume the DOM library, which this project does not load.
  const window = parseHTML("<!doctype html><html><body></body></html>") as unknown;
  return (window as { document: unknown }).document;
}

// deno-lint-ignore no-explicit-any
type Dom = any;

function svgElement(doc: Dom, name: string, attributes: Record<string, string | number>): Dom {
  const element = doc.createElementNS(SVG_NAMESPACE, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

export function colorFor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

export function uniqueSeries(rows: readonly { series: string }[]): string[] {
  return [...new Set(rows.map((r) => r.series))];
}

/** Top margin and the y at which title and legend rows sit. */
function topLayout(title: string | undefined, legend: boolean) {
  const titleY = title ? 17 : 0;
  const legendY = (title ? TITLE_ROW : 0) + LEGEND_ROW / 2;
  const marginTop = TOP_ROOM + (title ? TITLE_ROW : 0) + (legend ? LEGEND_ROW : 0);
  return { titleY, legendY, marginTop };
}

/**
 * Finishes a Plot chart as a standalone SVG: namespace, white background and
 * black text (so it reads the same inline, in an `<img>` and in dark themes),
 * plus the optional title and legend drawn as SVG.
 */
function finish(
  doc: Dom,
  plot: unknown,
  width: number,
  title: string | undefined,
  legend: { names: string[]; marginLeft: number } | undefined,
): ChartElement {
  const svg = plot as Dom;
  if (String(svg.tagName).toLowerCase() !== "svg") {
    // Only Plot legends, titles or captions yield a <figure>; none are requested here.
    throw new TypeError(`Expected Plot to return <svg>, got <${svg.tagName}>`);
  }
  svg.setAttribute("xmlns", SVG_NAMESPACE);
  svg.setAttribute("style", "color: black; background: white");
  // Screen readers read the chart as one image named by its title. linkedom's serializer
  // escapes only quotes in attributes, so & < > are escaped here.
  svg.setAttribute("role", "img");
  const label = (title ?? "chart").replaceAll("&", "&amp;").replaceAll("<", "&lt;");
  svg.setAttribute("aria-label", label.replaceAll(">", "&gt;"));
  const background = svgElement(doc, "rect", {
    width: "100%",
    height: "100%",
    fill: "white",
    "aria-hidden": "true",
  });
  // After Plot's <style>, before every mark, so it is painted first.
  const first = svg.firstChild;
  const afterStyle = first && String(first.tagName).toLowerCase() === "style";
  svg.insertBefore(background, afterStyle ? first.nextSibling : first);
  const { titleY, legendY } = topLayout(title, legend !== undefined);
  if (title) {
    const text = svgElement(doc, "text", {
      x: width / 2,
      y: titleY,
      "text-anchor": "middle",
      "font-size": 14,
      "font-weight": "bold",
      "aria-label": "title",
    });
    text.textContent = title;
    svg.appendChild(text);
  }
  if (legend) {
    const group = svgElement(doc, "g", { "aria-label": "legend", "font-size": 11 });
    let x = legend.marginLeft;
    legend.names.forEach((name, i) => {
      group.appendChild(svgElement(doc, "line", {
        x1: x,
        x2: x + 16,
        y1: legendY,
        y2: legendY,
        stroke: colorFor(i),
        "stroke-width": 3,
      }));
      const text = svgElement(doc, "text", {
        x: x + 20,
        y: legendY,
        dy: "0.32em",
        "text-anchor": "start",
      });
      text.textContent = name;
      group.appendChild(text);
      // No text metrics without a browser: ~6.5 px per character at 11 px is ample.
      x += 20 + Math.ceil(name.length * 6.5) + 16;
    });
    svg.appendChild(group);
  }
  return svg as ChartElement;
}

/** What {@linkcode renderChart} needs beyond Plot's own options. */
interface ChartFrame {
  width: number;
  height: number;
  title: string | undefined;
  /** Series names for the legend drawn above the plot; none for no legend. */
  legend?: string[];
  /** Extra room above the plot (e.g. for value labels over bars). @default 0 */
  extraTop?: number;
}

/**
 * The one Plot setup every chart shares: a linkedom document, the size, a 60-pixel left
 * margin, room on top for the title and legend, then {@linkcode finish}.
 */
export function renderChart(frame: ChartFrame, options: Record<string, unknown>): ChartElement {
  const { width, height, title, legend, extraTop = 0 } = frame;
  const marginLeft = 60;
  const document = createDocument();
  const plot = Plot.plot({
    document,
    width,
    height,
    marginLeft,
    marginTop: topLayout(title, legend !== undefined).marginTop + extraTop,
    ...options,
  });
  return finish(document, plot, width, title, legend && { names: legend, marginLeft });
}

export function colorScale(names: string[]) {
  return { domain: names, range: names.map((_, i) => colorFor(i)) };
}

/** The y axis of line charts: gridded, centred label, optional log scale. */
export function yAxis(label: string, logY: boolean) {
  return {
    label,
    type: logY ? "log" : "linear",
    grid: true,
    labelAnchor: "center",
    // d3's log format thins labels; "~g" avoids SI prefixes ("300m") on losses.
    tickFormat: logY ? "~g" : undefined,
  } as const;
}
