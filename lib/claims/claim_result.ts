/**
 * What a tested claim is made of: its pre-stated parts (each a primary comparison with its
 * own verdict), its Holm-adjusted secondary comparisons, and the helpers the claim functions
 * share to build them.
 *
 * @module
 */
import type { ChartElement } from "../figures/svg.ts";
import type { SweepRow } from "../sweep/plan.ts";
import { mean } from "./stats.ts";
import {
  compareArms,
  type CompareOptions,
  type Comparison,
  comparisonTable,
  holmAdjusted,
} from "./compare.ts";

/** One pre-stated part of a claim: its primary comparison decides its verdict. */
export interface ClaimPart {
  /** "1a", "1b", "2", "3", "4", "5a" or "5b". */
  id: string;
  /** What the part claims, in words. */
  title: string;
  /** The primary comparison. */
  comparison: Comparison;
}

/** A claim tested on the numbers. */
export interface ClaimResult {
  /** The primary comparisons, each with its own verdict. */
  parts: ClaimPart[];
  /** Secondary comparisons, Holm-adjusted: shown, never part of a verdict. */
  secondary: Comparison[];
  /** Primary, then secondary comparisons as table rows. */
  table: Record<string, string | number>[];
  /** The arms' means over seeds, as table rows. */
  means: Record<string, string | number>[];
  /** Sentences computed from the numbers, naming each part's verdict and profile. */
  text: string;
  /** The chart that tests the claim, when a table alone does not show it. */
  chart?: ChartElement;
}

/** Options of the claim functions. */
export interface ClaimOptions {
  /** The report's factor: the primary comparisons train and test at it. @default 0.5 */
  noise?: number;
  /** Share of each model's training images held out to validate. @default 0.1 */
  heldOut?: number;
}

export function finish(
  parts: ClaimPart[],
  secondary: Comparison[],
  rest: Omit<ClaimResult, "parts" | "secondary" | "table">,
): ClaimResult {
  const adjusted = holmAdjusted(secondary);
  const table = comparisonTable([...parts.map((p) => p.comparison), ...adjusted]);
  return { parts, secondary: adjusted, table, ...rest };
}

/** A part's sentence: "1a (autoencoder − BM3D at f = 0.5, PROFILE): +1.2 dB; supported (…)." */
export function partSentence(part: ClaimPart): string {
  const c = part.comparison;
  const r = c.result;
  const gap = r.verdict === "not tested" ? "" : `${c.psnrDiff >= 0 ? "+" : ""}` +
    `${c.psnrDiff.toFixed(2)} dB PSNR; `;
  return `${part.id}, ${part.title} (${c.label}; ${c.profile}): ${gap}**${r.verdict}** ` +
    `(${r.reason}).`;
}

export function meansTable(
  arms: { label: string; rows: readonly SweepRow[] }[],
): ClaimResult["means"] {
  return arms.filter((x) => x.rows.length > 0).map(({ label, rows }) => ({
    arm: label,
    seeds: rows.length,
    mse: mean(rows.map((r) => r.mse)),
    psnr: mean(rows.map((r) => r.psnr)),
    ssim: mean(rows.map((r) => r.ssim)),
  }));
}

export function factorsOf(rows: readonly SweepRow[]): number[] {
  return [...new Set(rows.map((r) => r.noise_factor))].sort((a, b) => a - b);
}

/** A primary comparison, "not tested" when an arm is missing. */
export function primary(
  label: string,
  a: readonly SweepRow[],
  b: readonly SweepRow[],
  test: "less" | "greater" | "equivalent",
  missing: string,
  options: CompareOptions,
): Comparison {
  const untested = options.untested ??
    (a.length === 0 || b.length === 0 ? `the sweep has no ${missing}` : undefined);
  return compareArms(label, a, b, test, { ...options, role: "primary", untested });
}
