/**
 * Line and bar charts for the notebooks and the report: each returns Plot's chart (see
 * {@linkcode ChartElement}), never displaying or writing it. Display one with `show()` of
 * lib/notebook.ts; save one with `Deno.writeTextFile("loss.svg", svgString(chart))`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { plot } from "./_plot.ts";
import type { ChartElement } from "./svg.ts";
import type { EpochLog } from "../train/train.ts";

/** One epoch of training history (of `history.json`). */
export type HistoryRow = Pick<EpochLog, "epoch" | "loss" | "val_loss" | "lr">;

/** Options of {@linkcode lossChart}. */
export interface LossChartOptions {
  /** Title above the chart. @default none */
  title?: string;
  /** Logarithmic y axis. @default {false} */
  logY?: boolean;
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
export interface MetricChartOptions extends LossChartOptions {
  /** X-axis label. */
  xLabel: string;
  /** Y-axis label. */
  yLabel: string;
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
export interface BarChartOptions {
  /** Title above the chart. @default none */
  title?: string;
  /** X-axis label. @default none */
  xLabel?: string;
  /** Y-axis label. @default none */
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

/** Lines (and `extra` marks under them) of `rows` by series, with Plot's legend. */
function lines(
  rows: readonly MetricRow[],
  options: MetricChartOptions,
  x: Plot.ScaleOptions,
  extra: Plot.Markish[],
): ChartElement {
  const { title, xLabel, yLabel, logX = false, logY = false } = options;
  return plot({
    title,
    x: { label: xLabel, type: logX ? "log" : "linear", ...x },
    // "~g" keeps d3's log ticks free of SI prefixes ("300m").
    y: {
      label: yLabel,
      type: logY ? "log" : "linear",
      grid: true,
      tickFormat: logY ? "~g" : undefined,
    },
    // Plot's swatches, in the order the series come (Plot would sort them).
    color: { legend: true, domain: [...new Set(rows.map((r) => r.series))] },
    marks: [
      ...extra,
      Plot.line(rows, { x: "x", y: "y", stroke: "series", z: "series", sort: "x" }),
    ],
  });
}

/**
 * Training and validation loss per epoch, one line each with Plot's legend, and a dashed
 * rule at every epoch whose learning rate is lower than the previous one's, labelled
 * "lr → 2e-4" and so on.
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
  const rows = history.flatMap((h) => [
    { x: h.epoch, y: h.loss, series: "loss" },
    { x: h.epoch, y: h.val_loss, series: "val_loss" },
  ]);
  const drops = history.filter((h, i) => i > 0 && h.lr < history[i - 1].lr);
  const epochs = history.map((h) => h.epoch);
  // d3 ticks short runs at fractional epochs; whole epochs are the only meaningful ones.
  const whole = Math.max(...epochs) - Math.min(...epochs) < 10;
  return lines(rows, { ...options, xLabel: "epoch", yLabel: "loss" }, {
    ticks: whole ? epochs : undefined,
    tickFormat: whole ? "d" : undefined,
  }, [
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
  ]);
}

/**
 * A line-and-dot chart with one coloured series per `series` (e.g. PSNR against the noise
 * factor, per denoising method), points joined in x order, with Plot's legend.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { metricChart } from "./charts.ts";
 * const chart = metricChart(
 *   [{ x: 0.1, y: 25, series: "autoencoder" }, { x: 0.5, y: 18, series: "autoencoder" }],
 *   { xLabel: "noise factor", yLabel: "PSNR (dB)", title: "PSNR" },
 * );
 * assert(chart.textContent!.includes("PSNR (dB)") && chart.textContent!.includes("autoencoder"));
 * ```
 */
export function metricChart(rows: readonly MetricRow[], options: MetricChartOptions): ChartElement {
  return lines(rows, options, {}, [Plot.dot(rows, { x: "x", y: "y", fill: "series", r: 3 })]);
}

/**
 * Bars in input order (e.g. reconstruction error per digit class), each with its value
 * printed above it.
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
  const { title, xLabel, yLabel, format = (v: number) => String(Number(v.toPrecision(3))) } =
    options;
  return plot({
    title,
    marginTop: 30,
    x: { label: xLabel ?? null, domain: rows.map((r) => r.label) },
    y: { label: yLabel ?? null, grid: true },
    marks: [
      Plot.barY(rows, { x: "label", y: "value", fill: "#4269d0" }),
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
