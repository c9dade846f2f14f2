/**
 * Figures for the notebooks and the report, returned and never displayed or
 * written here: charts as standalone `<svg>` elements drawn by Observable Plot
 * into a linkedom document, image grids as PNG bytes (or an HTML table when
 * row/column labels are wanted).
 *
 * Display in a Deno Jupyter notebook:
 * - a chart as a cell's last expression (or `await Deno.jupyter.display(chart)`)
 *   renders inline as `image/svg+xml`; save it with
 *   `Deno.writeTextFile("outputs/loss.svg", svgString(chart))`;
 * - a PNG grid with `Deno.jupyter.image(png)` as the last expression; save it with
 *   `Deno.writeFile("outputs/grid.png", png)`;
 * - a labelled grid with ``Deno.jupyter.html`${imageGridHtml(rows, options)}` ``.
 *
 * Charts never use Plot's HTML legends or titles (those make Plot return a
 * `<figure>`): series are named by an SVG legend drawn here, and titles are SVG text,
 * so every chart is one `<svg>` that is valid on its own as an `.svg` file.
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
/** Default number of equal-width histogram bins. */
export const DEFAULT_HISTOGRAM_BINS = 50;
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

/** Options shared by every chart. */
export interface ChartOptions {
  /** Width in pixels. @default {640} */
  width?: number;
  /** Height in pixels. @default {400} */
  height?: number;
  /** Title drawn as SVG text above the chart; none when omitted. */
  title?: string;
}

/** One epoch of training history, as Keras' `History` plus the learning rate used. */
export interface HistoryRow {
  /** Epoch number (0- or 1-based, as the caller counts). */
  epoch: number;
  /** Training loss. */
  loss: number;
  /** Validation loss. */
  val_loss: number;
  /** Learning rate during this epoch. */
  lr: number;
}

/** Options of {@linkcode lossChart}. */
export interface LossChartOptions extends ChartOptions {
  /** Logarithmic y axis. @default {false} */
  logY?: boolean;
  /** Y-axis label. @default {"loss"} */
  yLabel?: string;
}

/** One point of {@linkcode metricChart}. */
export interface MetricRow {
  /** Horizontal value (e.g. the noise factor). */
  x: number;
  /** Vertical value (e.g. PSNR). */
  y: number;
  /** Series name (e.g. the denoising method); one line per series. */
  series: string;
}

/** Options of {@linkcode metricChart}. */
export interface MetricChartOptions extends ChartOptions {
  /** X-axis label. */
  xLabel: string;
  /** Y-axis label. */
  yLabel: string;
  /** Logarithmic y axis. @default {false} */
  logY?: boolean;
}

/** One value of {@linkcode histogramChart}, in row form. */
export interface HistogramValue {
  /** The value to count. */
  value: number;
  /** Series it belongs to. */
  series: string;
}

/** A whole series of {@linkcode histogramChart} values at once (e.g. all pixels of a batch). */
export interface HistogramSeries {
  /** Series name. */
  series: string;
  /** Values to count; typed arrays avoid one object per pixel. */
  values: ArrayLike<number>;
}

/** Options of {@linkcode histogramChart}. */
export interface HistogramChartOptions extends ChartOptions {
  /** Number of equal-width bins over `domain`. @default {50} */
  bins?: number;
  /** Binned range; values outside it are not counted. @default the values' [min, max] */
  domain?: [number, number];
  /** One panel per series instead of overlaid translucent bars. @default {false} */
  facet?: boolean;
  /** Symmetric-log y axis, for counts spanning decades (zero stays drawable). @default {false} */
  logY?: boolean;
  /** X-axis label. @default {"value"} */
  xLabel?: string;
  /** Y-axis label. @default {"count"} */
  yLabel?: string;
}

/** One bar of {@linkcode barChart}. */
export interface BarRow {
  /** Category (e.g. digit class), drawn in input order. */
  label: string;
  /** Bar height. */
  value: number;
}

/** Options of {@linkcode barChart}. */
export interface BarChartOptions extends ChartOptions {
  /** X-axis label. */
  xLabel?: string;
  /** Y-axis label. */
  yLabel?: string;
  /** Text printed above each bar. @default 3 significant digits */
  format?: (value: number) => string;
}

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

function colorFor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

function uniqueSeries(rows: readonly { series: string }[]): string[] {
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
function renderChart(frame: ChartFrame, options: Record<string, unknown>): ChartElement {
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

function colorScale(names: string[]) {
  return { domain: names, range: names.map((_, i) => colorFor(i)) };
}

/**
 * Formats a learning rate compactly: 3 significant digits in exponent form
 * without a "+" sign (0.0002 → "2e-4", 0.00025 → "2.5e-4").
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { formatLearningRate } from "./charts.ts";
 * assert(formatLearningRate(0.0002) === "2e-4");
 * ```
 */
export function formatLearningRate(lr: number): string {
  return Number(lr.toPrecision(3)).toExponential().replace("e+", "e");
}

/** The y axis of line charts: gridded, centred label, optional log scale. */
function yAxis(label: string, logY: boolean) {
  return {
    label,
    type: logY ? "log" : "linear",
    grid: true,
    labelAnchor: "center",
    // d3's log format thins labels; "~g" avoids SI prefixes ("300m") on losses.
    tickFormat: logY ? "~g" : undefined,
  } as const;
}

/**
 * Training and validation loss per epoch, one labelled line each, with a dashed
 * vertical rule at every epoch whose learning rate is lower than the previous
 * epoch's, annotated "lr → 2e-4" and so on.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { lossChart } from "./charts.ts";
 * const chart = lossChart([
 *   { epoch: 1, loss: 0.3, val_loss: 0.32, lr: 1e-3 },
 *   { epoch: 2, loss: 0.2, val_loss: 0.25, lr: 2e-4 },
 * ]);
 * assert(chart.outerHTML.includes("lr → 2e-4"));
 * ```
 */
export function lossChart(
  history: readonly HistoryRow[],
  options: LossChartOptions = {},
): ChartElement {
  const {
    width = DEFAULT_CHART_WIDTH,
    height = DEFAULT_CHART_HEIGHT,
    title,
    logY = false,
    yLabel = "loss",
  } = options;
  const names = ["loss", "val_loss"];
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, value: h.loss, series: "loss" },
    { epoch: h.epoch, value: h.val_loss, series: "val_loss" },
  ]);
  const drops = history.filter((h, i) => i > 0 && h.lr < history[i - 1].lr);
  const epochs = history.map((h) => h.epoch);
  const span = Math.max(...epochs) - Math.min(...epochs);
  return renderChart({ width, height, title, legend: names }, {
    // d3 ticks short runs at fractional epochs; whole epochs are the only meaningful ones.
    x: {
      label: "epoch",
      ticks: epochs.length > 0 && span < 10 ? epochs : undefined,
      tickFormat: epochs.length > 0 && span < 10 ? "d" : undefined,
    },
    y: yAxis(yLabel, logY),
    color: colorScale(names),
    marks: [
      Plot.ruleX(drops, { x: "epoch", stroke: "#777", strokeDasharray: "4,3" }),
      Plot.text(drops, {
        x: "epoch",
        text: (d: HistoryRow) => `lr → ${formatLearningRate(d.lr)}`,
        frameAnchor: "top",
        rotate: -90,
        textAnchor: "end",
        dx: 10,
        dy: 4,
        fill: "#555",
      }),
      Plot.line(rows, { x: "epoch", y: "value", stroke: "series", z: "series", strokeWidth: 1.5 }),
    ],
  });
}

/**
 * A line-and-dot chart with one coloured series per `series` (e.g. PSNR or MSE
 * against the noise factor, per denoising method); points are joined in x order.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { metricChart } from "./charts.ts";
 * const chart = metricChart(
 *   [{ x: 0.1, y: 25, series: "autoencoder" }, { x: 0.5, y: 18, series: "autoencoder" }],
 *   { xLabel: "noise factor", yLabel: "PSNR (dB)" },
 * );
 * assert(chart.tagName.toLowerCase() === "svg");
 * ```
 */
export function metricChart(rows: readonly MetricRow[], options: MetricChartOptions): ChartElement {
  const {
    width = DEFAULT_CHART_WIDTH,
    height = DEFAULT_CHART_HEIGHT,
    title,
    xLabel,
    yLabel,
    logY = false,
  } = options;
  const names = uniqueSeries(rows);
  const sorted = [...rows].sort((a, b) => a.x - b.x);
  return renderChart({ width, height, title, legend: names }, {
    x: { label: xLabel },
    y: yAxis(yLabel, logY),
    color: colorScale(names),
    marks: [
      Plot.line(sorted, { x: "x", y: "y", stroke: "series", z: "series", strokeWidth: 1.5 }),
      Plot.dot(sorted, { x: "x", y: "y", fill: "series", r: 3 }),
    ],
  });
}

interface Bin {
  x1: number;
  x2: number;
  count: number;
  series: string;
}

/** 0, 1, 10, 100, … up to the largest power of ten ≤ max (at least 0 and 1). */
function decades(max: number): number[] {
  const ticks = [0];
  for (let t = 1; t <= Math.max(1, max); t *= 10) ticks.push(t);
  return ticks;
}

function isSeriesInput(
  values: readonly HistogramValue[] | readonly HistogramSeries[],
): values is readonly HistogramSeries[] {
  return values.length > 0 && "values" in values[0];
}

/** Values grouped by series, in first-seen order. */
function toSeries(
  values: readonly HistogramValue[] | readonly HistogramSeries[],
): HistogramSeries[] {
  if (isSeriesInput(values)) return [...values];
  const bySeries = new Map<string, number[]>();
  for (const { value, series } of values as readonly HistogramValue[]) {
    if (!bySeries.has(series)) bySeries.set(series, []);
    bySeries.get(series)!.push(value);
  }
  return [...bySeries].map(([series, values]) => ({ series, values }));
}

/**
 * Counts each series' values in `bins` equal bins over `domain` (default: the finite values'
 * range, widened by 0.5 each way when it is a single value). Throws RangeError when empty.
 */
function binSeries(
  series: readonly HistogramSeries[],
  bins: number,
  domain: readonly [number, number] | undefined,
): { rows: Bin[]; lo: number; hi: number } {
  let [lo, hi] = domain ?? [Infinity, -Infinity];
  if (!domain) {
    for (const s of series) {
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  if (!(hi > lo)) throw new RangeError(`Histogram domain [${lo}, ${hi}] is empty`);
  const step = (hi - lo) / bins;
  const rows: Bin[] = [];
  for (const s of series) {
    const counts = new Float64Array(bins);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (!(v >= lo && v <= hi)) continue;
      counts[Math.min(bins - 1, Math.floor((v - lo) / step))]++;
    }
    counts.forEach((count, b) => {
      const x2 = b === bins - 1 ? hi : lo + (b + 1) * step;
      rows.push({ x1: lo + b * step, x2, count, series: s.series });
    });
  }
  return { rows, lo, hi };
}

/**
 * Histograms of values by series — overlaid translucent bars, or one panel per
 * series with `facet` — e.g. pixel intensities before and after noise. Values are
 * binned here (equal widths over `domain`, the last bin closed) so whole batches
 * can be passed as typed arrays in the {@linkcode HistogramSeries} form.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { histogramChart } from "./charts.ts";
 * const chart = histogramChart([
 *   { series: "clean", values: new Float32Array([0, 0, 1]) },
 *   { series: "noisy", values: new Float32Array([0.1, 0.4, 0.9]) },
 * ], { bins: 10, domain: [0, 1] });
 * assert(chart.querySelectorAll('g[aria-label="rect"] rect').length === 20);
 * ```
 *
 * @throws {RangeError} when `bins` is not a positive integer or the domain is empty.
 */
export function histogramChart(
  values: readonly HistogramValue[] | readonly HistogramSeries[],
  options: HistogramChartOptions = {},
): ChartElement {
  const {
    width = DEFAULT_CHART_WIDTH,
    height = DEFAULT_CHART_HEIGHT,
    title,
    bins = DEFAULT_HISTOGRAM_BINS,
    facet = false,
    logY = false,
    xLabel = "value",
    yLabel = "count",
  } = options;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  const series = toSeries(values);
  const { rows, lo, hi } = binSeries(series, bins, options.domain);
  const names = series.map((s) => s.series);
  const maxCount = rows.reduce((m, r) => Math.max(m, r.count), 0);
  return renderChart({ width, height, title, legend: names }, {
    marginRight: facet ? 80 : 20,
    x: { label: xLabel, domain: [lo, hi] },
    y: {
      label: yLabel,
      type: logY ? "symlog" : "linear",
      grid: true,
      labelAnchor: "center",
      // Plot's symlog ticks crowd near zero; decades read cleanly.
      ticks: logY ? decades(maxCount) : undefined,
    },
    fy: facet ? { label: null } : undefined,
    color: colorScale(names),
    marks: [
      Plot.rect(rows, {
        x1: "x1",
        x2: "x2",
        y1: 0,
        y2: "count",
        fill: "series",
        fillOpacity: facet ? 0.85 : 0.5,
        insetLeft: 0.5,
        insetRight: 0.5,
        fy: facet ? "series" : undefined,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Bars in input order (e.g. reconstruction error per digit class), each with its
 * value printed above it.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { barChart } from "./charts.ts";
 * const chart = barChart([{ label: "0", value: 0.01 }, { label: "1", value: 0.004 }], {
 *   xLabel: "digit",
 *   yLabel: "MSE",
 * });
 * assert(chart.outerHTML.includes("0.004"));
 * ```
 */
export function barChart(rows: readonly BarRow[], options: BarChartOptions = {}): ChartElement {
  const {
    width = DEFAULT_CHART_WIDTH,
    height = DEFAULT_CHART_HEIGHT,
    title,
    xLabel,
    yLabel,
    format = (v: number) => String(Number(v.toPrecision(3))),
  } = options;
  return renderChart({ width, height, title, extraTop: 8 }, {
    x: { label: xLabel ?? null, domain: rows.map((r) => r.label) },
    y: { label: yLabel ?? null, grid: true, labelAnchor: "center" },
    marks: [
      Plot.barY(rows, { x: "label", y: "value", fill: colorFor(0) }),
      Plot.text(rows, {
        x: "label",
        y: "value",
        text: (d: BarRow) => format(d.value),
        dy: -6,
        lineAnchor: "bottom",
      }),
      Plot.ruleY([0]),
    ],
  });
}
