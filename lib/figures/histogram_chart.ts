/**
 * Histograms of values by series, binned here so that whole batches of pixels can be passed
 * as typed arrays.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ChartOptions } from "./charts.ts";
import { colorScale, DEFAULT_CHART_HEIGHT, DEFAULT_CHART_WIDTH, renderChart } from "./_plot.ts";
import type { ChartElement } from "./svg.ts";

/** Default number of equal-width histogram bins. */
export const DEFAULT_HISTOGRAM_BINS = 50;

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
 * import { histogramChart } from "./histogram_chart.ts";
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
