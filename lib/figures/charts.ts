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
import {
  colorFor,
  colorScale,
  DEFAULT_CHART_HEIGHT,
  DEFAULT_CHART_WIDTH,
  renderChart,
  uniqueSeries,
  yAxis,
} from "./_plot.ts";
import type { ChartElement } from "./svg.ts";

export { DEFAULT_CHART_HEIGHT, DEFAULT_CHART_WIDTH, SERIES_COLORS } from "./_plot.ts";

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
  /** Logarithmic x axis (e.g. a number of training images). @default {false} */
  logX?: boolean;
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
    logX = false,
  } = options;
  const names = uniqueSeries(rows);
  const sorted = [...rows].sort((a, b) => a.x - b.x);
  return renderChart({ width, height, title, legend: names }, {
    x: logX ? { label: xLabel, type: "log" } : { label: xLabel },
    y: yAxis(yLabel, logY),
    color: colorScale(names),
    marks: [
      Plot.line(sorted, { x: "x", y: "y", stroke: "series", z: "series", strokeWidth: 1.5 }),
      Plot.dot(sorted, { x: "x", y: "y", fill: "series", r: 3 }),
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
