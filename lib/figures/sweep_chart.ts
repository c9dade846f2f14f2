/**
 * The sweep's chart: a metric against the test noise factor, one line per method.
 *
 * @module
 */
import { metricChart, type MetricRow } from "./charts.ts";
import type { ChartElement, ChartOptions } from "./svg.ts";
import { compareRows, METHOD_LABELS, type SweepRow } from "../sweep/plan.ts";

/**
 * A metric against the test noise factor: one line per method (as is, trained or tuned at
 * the factor it is tested at), plus "autoencoder trained at F" for each autoencoder also
 * tested at other factors (the cross-noise model, the clean-trained control at F = 0); each
 * point is the mean over the rows' training seeds. `metric` @default "psnr" (MSE on a log
 * axis).
 */
export function sweepChart(
  rows: readonly SweepRow[],
  options: ChartOptions & { metric?: "psnr" | "ssim" | "mse" } = {},
): ChartElement {
  const { metric = "psnr", ...words } = options;
  const plain = rows.filter((r) => r.variant === "").sort(compareRows);
  const ae = plain.filter((r) => r.method === "ae");
  const trains = new Set(
    ae.filter((r) => r.train_noise_factor !== r.noise_factor).map((r) => r.train_noise_factor),
  );
  const series = [
    ...plain.filter((r) => r.train_noise_factor === null || r.train_noise_factor === r.noise_factor)
      .map((r) => [r, METHOD_LABELS[r.method]] as const),
    ...ae.filter((r) => trains.has(r.train_noise_factor))
      .sort((a, b) =>
        a.train_noise_factor! - b.train_noise_factor! || a.noise_factor - b.noise_factor
      )
      .map((r) => [r, `${METHOD_LABELS.ae} trained at ${r.train_noise_factor}`] as const),
  ];
  const groups = Map.groupBy(series, ([r, name]) => `${name}|${r.noise_factor}`);
  const points = [...groups.values()].map((group): MetricRow => ({
    x: group[0][0].noise_factor,
    series: group[0][1],
    y: group.reduce((sum, [r]) => sum + r[metric], 0) / group.length,
  }));
  const yLabel = { psnr: "PSNR (dB)", ssim: "SSIM", mse: "MSE" }[metric];
  return metricChart(points, {
    ...words,
    xLabel: "noise factor f",
    yLabel,
    logY: metric === "mse",
  });
}
