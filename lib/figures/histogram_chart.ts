/**
 * Histograms of whole batches of values (e.g. every pixel of the test set), binned here so
 * that they can be passed as typed arrays.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { plot } from "./_plot.ts";
import type { ChartElement } from "./svg.ts";

/** Number of equal-width bins of {@linkcode histogramChart}. */
export const HISTOGRAM_BINS = 50;

/** One series of {@linkcode histogramChart}: a name and its values (e.g. all pixels of a batch). */
export interface HistogramSeries {
  /** Series name, shown beside its panel. */
  series: string;
  /** Values to count; typed arrays avoid one object per pixel. */
  values: ArrayLike<number>;
}

/** Options of {@linkcode histogramChart}. */
export interface HistogramChartOptions {
  /** Title above the chart. @default none */
  title?: string;
  /** Binned range; values outside it (and NaN) are not counted. @default {[0, 1]} */
  domain?: [number, number];
  /** X-axis label. @default {"value"} */
  xLabel?: string;
  /** Y-axis label. @default {"count"} */
  yLabel?: string;
}

/**
 * One panel per series, each counting its values in {@linkcode HISTOGRAM_BINS} equal bins
 * over `domain` (the last bin closed), on a symmetric-log count axis so that counts spanning
 * decades stay readable and zero stays drawable (e.g. pixel values before and after noise).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { histogramChart } from "./histogram_chart.ts";
 * const chart = histogramChart([
 *   { series: "clean", values: new Float32Array([0, 0, 1]) },
 *   { series: "noisy", values: new Float32Array([0.1, 0.4, 0.9]) },
 * ]);
 * assert(chart.querySelectorAll('g[aria-label="rect"] rect').length === 100);
 * ```
 *
 * @throws {RangeError} when the domain is empty.
 */
export function histogramChart(
  series: readonly HistogramSeries[],
  options: HistogramChartOptions = {},
): ChartElement {
  const { title, domain: [lo, hi] = [0, 1], xLabel = "value", yLabel = "count" } = options;
  if (!(hi > lo)) throw new RangeError(`Histogram domain [${lo}, ${hi}] is empty`);
  const step = (hi - lo) / HISTOGRAM_BINS;
  const rows = series.flatMap(({ series, values }) => {
    const counts = new Float64Array(HISTOGRAM_BINS);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v >= lo && v <= hi) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / step))]++;
    }
    return Array.from(
      counts,
      (count, b) => ({ x1: lo + b * step, x2: lo + (b + 1) * step, count, series }),
    );
  });
  // Plot's symlog ticks crowd near zero; 0, 1, 10, 100, … read cleanly.
  const ticks = [0];
  for (let t = 1; t <= Math.max(1, ...rows.map((r) => r.count)); t *= 10) ticks.push(t);
  return plot({
    title,
    marginRight: 80,
    x: { label: xLabel, domain: [lo, hi] },
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
