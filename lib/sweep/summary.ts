/**
 * A sweep's rows summarised over training seeds: mean, sample SD and 95% t-interval.
 *
 * @module
 */
import { mean, sampleSd, tInterval } from "../claims/stats.ts";
import { compareRows, type SweepRow } from "./plan.ts";

/** Mean, SD and 95% t-interval of one metric over seeds (SD and interval NaN for one seed). */
export interface MetricSummary {
  mean: number;
  sd: number;
  low: number;
  high: number;
}

/** The columns that tell summarised cells apart (seeds aside). */
const CELL_COLUMNS = ["method", "variant", "train_noise_factor", "noise_factor"] as const;

/** One summarised cell: its columns, as in its rows, and its rows over seeds. */
export interface SummaryRow extends Pick<SweepRow, (typeof CELL_COLUMNS)[number]> {
  /** Rows (seeds) summarised. */
  n: number;
  /** Their training seeds (empty for classical methods). */
  seeds: number[];
  mse: MetricSummary;
  /** dB. */
  psnr: MetricSummary;
  ssim: MetricSummary;
}

function summarize(values: number[]): MetricSummary {
  const i = tInterval(values);
  return { mean: mean(values), sd: sampleSd(values), low: i?.low ?? NaN, high: i?.high ?? NaN };
}

/** Summarises each cell's rows over its seeds, in canonical row order. */
export function summarizeRows(rows: readonly SweepRow[]): SummaryRow[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of [...rows].sort(compareRows)) {
    const key = JSON.stringify(CELL_COLUMNS.map((c) => r[c]));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    method: g[0].method,
    variant: g[0].variant,
    train_noise_factor: g[0].train_noise_factor,
    noise_factor: g[0].noise_factor,
    n: g.length,
    seeds: g.flatMap((r) => (r.seed === null ? [] : [r.seed])),
    mse: summarize(g.map((r) => r.mse)),
    psnr: summarize(g.map((r) => r.psnr)),
    ssim: summarize(g.map((r) => r.ssim)),
  }));
}

/** The summary as CSV: one line per cell; `mse_mean, mse_sd, mse_low, mse_high`, … */
export function summaryCsv(summary: readonly SummaryRow[]): string {
  const stats = (["mse", "psnr", "ssim"] as const).flatMap((m) =>
    (["mean", "sd", "low", "high"] as const).map((s) => [m, s] as const)
  );
  const line = (r: SummaryRow) => [
    ...CELL_COLUMNS.map((c) => r[c]),
    r.n,
    r.seeds.join(";"),
    ...stats.map(([m, s]) => r[m][s]),
  ];
  const header = [...CELL_COLUMNS, "n", "seeds", ...stats.map(([m, s]) => `${m}_${s}`)];
  return csv(header, summary.map(line), /[",\n ]/);
}

/** CSV text: null, undefined and NaN cells are empty; `quote` matches what makes a cell quoted. */
export function csv(header: readonly string[], rows: unknown[][], quote = /[",\n]/): string {
  const cell = (v: unknown) => {
    const empty = v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));
    const s = empty ? "" : String(v);
    return quote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n";
}
