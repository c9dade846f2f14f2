/**
 * The sweep's chart: a metric against the test noise factor, one line per method.
 *
 * @module
 */
import { DEFAULT_CHART_WIDTH, metricChart } from "./charts.ts";
import type { ChartElement } from "./svg.ts";
import { compareRows, METHOD_LABELS, type SweepRow } from "../sweep/plan.ts";

/** Options of {@linkcode sweepChart}. */
export interface SweepChartOptions {
  /** Metric on the y axis. @default "psnr" */
  metric?: "psnr" | "ssim" | "mse";
  /** Chart title. @default none */
  title?: string;
}

/**
 * A metric against the test noise factor: one line per method (as is, trained or tuned at
 * the factor it is tested at), plus "autoencoder trained at F" for the cross-noise rows and
 * the clean-trained control (F = 0); each point is the mean over the rows' training seeds.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { sweepChart } from "./sweep_chart.ts";
 * const row = { dataset: "mnist", noise_type: "gaussian" as const, method: "noisy" as const,
 *   variant: "", train_noise_factor: null, noise_factor: 0.5, mse: 0.1, psnr: 10, ssim: 0.2,
 *   train_seconds: 0, denoise_seconds: 0, seconds_per_image: 0, epochs: 0, final_lr: null,
 *   parameter: "", run: "", train_images: 1, test_images: 1, class_mse: [], seed: null,
 *   lr_drops: null, test_inputs_sha256: "", per_image: "", per_image_sha256: "" };
 * assert(sweepChart([row]).outerHTML.includes("noisy input"));
 * ```
 */
export function sweepChart(
  rows: readonly SweepRow[],
  options: SweepChartOptions = {},
): ChartElement {
  const { metric = "psnr", title } = options;
  const points: { x: number; y: number; series: string }[] = [];
  for (const r of [...rows].sort(compareRows)) {
    if (r.variant !== "") continue;
    const matched = r.train_noise_factor === null || r.train_noise_factor === r.noise_factor;
    if (matched) {
      points.push({ x: r.noise_factor, y: r[metric], series: METHOD_LABELS[r.method] });
    }
  }
  for (const r of crossRows(rows)) {
    points.push({
      x: r.noise_factor,
      y: r[metric],
      series: `${METHOD_LABELS[r.method]} trained at ${r.train_noise_factor}`,
    });
  }
  // One point per series and factor: the mean over training seeds.
  const groups = new Map<string, { x: number; series: string; ys: number[] }>();
  for (const p of points) {
    const key = `${p.series}|${p.x}`;
    const g = groups.get(key) ?? { x: p.x, series: p.series, ys: [] };
    g.ys.push(p.y);
    groups.set(key, g);
  }
  points.length = 0;
  for (const g of groups.values()) {
    points.push({ x: g.x, y: g.ys.reduce((a, b) => a + b, 0) / g.ys.length, series: g.series });
  }
  const yLabel = metric === "psnr" ? "PSNR (dB)" : metric === "ssim" ? "SSIM" : "MSE";
  const width = legendWidth([...new Set(points.map((p) => p.series))]);
  return metricChart(points, {
    xLabel: "noise factor f",
    yLabel,
    title,
    logY: metric === "mse",
    width,
  });
}

/**
 * A chart width whose one-row legend fits every series name: figures.ts starts the legend at
 * the 60-pixel left margin and gives each entry a 36-pixel swatch and gap plus about 6.5
 * pixels per character.
 */
function legendWidth(names: readonly string[]): number {
  const legend = names.reduce((w, name) => w + 36 + Math.ceil(name.length * 6.5), 60);
  return Math.max(DEFAULT_CHART_WIDTH, legend);
}

/**
 * The cross-noise rows: each autoencoder trained at one factor and tested at other factors
 * (the cross-noise model, and the clean-trained control at f = 0), the matching-factor row
 * included.
 */
function crossRows(rows: readonly SweepRow[]): SweepRow[] {
  const trains = new Set<number>();
  for (const r of rows) {
    if (r.method === "ae" && r.variant === "" && r.train_noise_factor !== r.noise_factor) {
      trains.add(r.train_noise_factor!);
    }
  }
  return rows.filter((r) =>
    r.method === "ae" && r.variant === "" && trains.has(r.train_noise_factor!)
  ).sort((a, b) =>
    a.train_noise_factor! - b.train_noise_factor! || a.noise_factor - b.noise_factor
  );
}
