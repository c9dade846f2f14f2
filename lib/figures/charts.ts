/**
 * Line, bar and histogram charts for the notebooks and the report: each returns Plot's chart
 * (see {@linkcode ChartElement}), never displaying or writing it. Display one with `show()` of
 * lib/notebook.ts; save one with `Deno.writeTextFile("loss.svg", svgString(chart))`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type ChartElement, type ChartOptions, plot } from "./svg.ts";
import type { EpochLog } from "../train/train.ts";

/** One epoch of training history (of `history.json`). */
export type HistoryRow = Pick<EpochLog, "epoch" | "loss" | "val_loss" | "lr">;

/** One point of {@linkcode metricChart}: one line per `series` (e.g. denoising method). */
export interface MetricRow {
  x: number;
  y: number;
  series: string;
}

/** Options of {@linkcode metricChart}; {@linkcode lossChart} takes `logY` and Plot's words. */
export interface MetricChartOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  /** Logarithmic x axis (e.g. a number of training images). @default {false} */
  logX?: boolean;
  /** Logarithmic y axis. @default {false} */
  logY?: boolean;
}

/** Axis labels: none unless given. */
type AxisLabels = { xLabel?: string; yLabel?: string };

/** Equal-width bins of {@linkcode histogramChart}. */
const HISTOGRAM_BINS = 50;

/**
 * A learning rate to 3 significant digits in exponent form without a "+" sign
 * (0.0002 → "2e-4", 0.00025 → "2.5e-4").
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
  const { xLabel, yLabel, logX = false, logY = false, ...words } = options;
  return plot({
    ...words,
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
 */
export function lossChart(
  history: readonly HistoryRow[],
  options: ChartOptions & { logY?: boolean } = {},
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

/** Lines and dots, one colour per series, points joined in x order, with Plot's legend. */
export function metricChart(rows: readonly MetricRow[], options: MetricChartOptions): ChartElement {
  return lines(rows, options, {}, [Plot.dot(rows, { x: "x", y: "y", fill: "series", r: 3 })]);
}

/**
 * Bars in input order (e.g. reconstruction error per digit class), each with its value
 * printed above it. `format` @default 3 significant digits.
 */
export function barChart(
  rows: readonly { label: string; value: number }[],
  options: ChartOptions & AxisLabels & { format?: (value: number) => string } = {},
): ChartElement {
  const { xLabel, yLabel, format = (v) => String(Number(v.toPrecision(3))), ...words } = options;
  return plot({
    ...words,
    marginTop: 30,
    x: { label: xLabel ?? null, domain: rows.map((r) => r.label) },
    y: { label: yLabel ?? null, grid: true },
    marks: [
      Plot.barY(rows, { x: "label", y: "value", fill: "#4269d0" }),
      Plot.text(rows, {
        x: "label",
        y: "value",
        text: (d: { value: number }) => format(d.value),
        dy: -6,
        lineAnchor: "bottom",
      }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * One panel per series (pixel values before and after noise, say; typed arrays avoid one
 * object per pixel), each counting its values in 50 equal bins over [0, 1] (the last bin
 * closed; values outside it and NaN not counted), on a symmetric-log count axis so that
 * counts spanning decades stay readable and zero stays drawable. `xLabel` @default "value";
 * `yLabel` @default "count".
 */
export function histogramChart(
  series: readonly { series: string; values: ArrayLike<number> }[],
  options: ChartOptions & AxisLabels = {},
): ChartElement {
  const { xLabel = "value", yLabel = "count", ...words } = options;
  const step = 1 / HISTOGRAM_BINS;
  const rows = series.flatMap(({ series, values }) => {
    const counts = new Float64Array(HISTOGRAM_BINS);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v >= 0 && v <= 1) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(v / step))]++;
    }
    return Array.from(counts, (count, b) => ({ x1: b * step, x2: (b + 1) * step, count, series }));
  });
  // Plot's symlog ticks crowd near zero; 0, 1, 10, 100, … read cleanly.
  const ticks = [0];
  for (let t = 1; t <= Math.max(1, ...rows.map((r) => r.count)); t *= 10) ticks.push(t);
  return plot({
    ...words,
    marginRight: 80,
    x: { label: xLabel, domain: [0, 1] },
    y: { label: yLabel, type: "symlog", grid: true, ticks },
    fy: { label: null },
    color: { domain: series.map((s) => s.series) },
    marks: [
      Plot.rect(rows, {
        x1: "x1",
        x2: "x2",
        y1: 0,
        y2: "count",
        fy: "series",
        fill: "series",
        fillOpacity: 0.85,
        insetLeft: 0.5,
        insetRight: 0.5,
      }),
      Plot.ruleY([0]),
    ],
  });
}
