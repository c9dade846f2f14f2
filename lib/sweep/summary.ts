/**
 * A sweep's rows summarised over training seeds, per (method, variant, training factor, test
 * factor): the seeds, and the mean, sample SD and 95% Student-t interval of MSE, PSNR and SSIM.
 *
 * @module
 */
import { mean, sampleSd, tInterval } from "../claims/stats.ts";
import { compareRows, type SweepRow } from "./plan.ts";

/** Mean, SD and 95% t-interval of one metric over seeds (SD and interval NaN for one seed). */
export interface MetricSummary {
  /** Mean over seeds. */
  mean: number;
  /** Sample standard deviation over seeds. */
  sd: number;
  /** Lower end of the 95% t-interval. */
  low: number;
  /** Upper end of the 95% t-interval. */
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
  /** MSE over seeds. */
  mse: MetricSummary;
  /** PSNR (dB) over seeds. */
  psnr: MetricSummary;
  /** SSIM over seeds. */
  ssim: MetricSummary;
}

function summarize(values: number[]): MetricSummary {
  const i = tInterval(values);
  return { mean: mean(values), sd: sampleSd(values), low: i?.low ?? NaN, high: i?.high ?? NaN };
}

/**
 * Summarises each cell's rows over its seeds, in canonical row order.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { testRow } from "./_test_rows.ts";
 * import { summarizeRows } from "./summary.ts";
 * const s = summarizeRows([testRow({ seed: 0, mse: 1 }), testRow({ seed: 1, mse: 3 })]);
 * assert(s.length === 1 && s[0].n === 2 && s[0].mse.mean === 2);
 * ```
 */
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

/**
 * The summary as CSV: one line per cell; `mse_mean, mse_sd, mse_low, mse_high`, then the same
 * for PSNR and SSIM.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { summaryCsv } from "./summary.ts";
 * assert(summaryCsv([]).startsWith("method,variant,train_noise_factor,noise_factor,n,seeds,mse_mean"));
 * ```
 */
export function summaryCsv(summary: readonly SummaryRow[]): string {
  const metrics = ["mse", "psnr", "ssim"] as const;
  const stats = ["mean", "sd", "low", "high"] as const;
  const header = [
    ...CELL_COLUMNS,
    "n",
    "seeds",
    ...metrics.flatMap((m) => stats.map((s) => `${m}_${s}`)),
  ];
  const lines = summary.map((r) =>
    [
      ...CELL_COLUMNS.map((c) => r[c]),
      r.n,
      r.seeds.join(";"),
      ...metrics.flatMap((m) => stats.map((s) => r[m][s])),
    ].map((v) => csvCell(v, /[",\n ]/)).join(",")
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}

/** One CSV cell: null, undefined and NaN are empty; `quote` matches the characters to quote. */
export function csvCell(value: unknown, quote = /[",\n]/): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return quote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
