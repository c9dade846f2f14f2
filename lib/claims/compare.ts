/**
 * Paired comparisons of two arms of a sweep (`A − B` in test MSE, paired by training seed)
 * and what a tested claim is made of.
 *
 * @module
 */
import type { ChartElement } from "../figures/svg.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import type { SweepMethod, SweepRow } from "../sweep/plan.ts";
import { holm, mean } from "./stats.ts";
import { type ClaimEvidence, verdict, type VerdictResult } from "./verdict.ts";
import { rowsProfile } from "./words.ts";

/** What a comparison measures on one row: MSE and PSNR in dB. */
export type ArmValue = { mse: number; psnr: number };

/** One paired comparison of two arms: `A − B` in test MSE. */
export interface Comparison {
  /** What is compared, e.g. "autoencoder − BM3D at f = 0.5". */
  label: string;
  /** "primary": stated before the data, decides a verdict; "secondary": shown, never decides. */
  role: "primary" | "secondary";
  /** Training seeds paired. */
  seeds: number[];
  /** Mean PSNR difference A − B over the pairs (dB). */
  psnrDiff: number;
  /** The profile the pairs come from; "" for none. */
  profile: string;
  evidence: ClaimEvidence;
  result: VerdictResult;
}

interface CompareOptions extends ClaimOptions {
  /** The value compared on each row. @default the row's MSE and PSNR */
  value?: (r: SweepRow) => ArmValue;
  /** Equivalence margin as a share of B's mean MSE (`"equivalent"` only). */
  relativeMargin?: number;
  /** Why the comparison cannot be made (the verdict is then "not tested"). */
  untested?: string;
}

/** One pre-stated part of a claim ("1a" … "5b"): its primary comparison decides its verdict. */
export interface ClaimPart {
  id: string;
  title: string;
  comparison: Comparison;
}

/** A claim tested on the numbers. */
export interface ClaimResult {
  parts: ClaimPart[];
  /** Secondary comparisons, Holm-adjusted: shown, never part of a verdict. */
  secondary: Comparison[];
  /** Primary, then secondary comparisons as table rows. */
  table: Record<string, string | number>[];
  /** The arms' means over seeds, as table rows. */
  means: Record<string, string | number>[];
  /** The chart that tests the claim, if any. */
  chart?: ChartElement;
}

export interface ClaimOptions {
  /** The report's factor: the primary comparisons train and test at it. @default 0.5 */
  noise?: number;
  /** Share of each model's training images held out to validate. @default 0.1 */
  heldOut?: number;
}

/** The rows of `method` at test factor `noise`, variant `variant`, trained at `trainNoise`. */
export function findRows(
  rows: readonly SweepRow[],
  method: SweepMethod,
  noise: number,
  variant = "",
  trainNoise: number | "matched" = "matched",
): SweepRow[] {
  return rows.filter((r) =>
    r.method === method && r.variant === variant && r.noise_factor === noise &&
    (trainNoise === "matched"
      ? r.train_noise_factor === null || r.train_noise_factor === noise
      : r.train_noise_factor === trainNoise)
  );
}

/**
 * Pairs two arms by training seed (a classical arm with every seed) and judges `A − B`, a
 * secondary comparison. Throws when the paired rows scored different noisy test images.
 */
export function compareArms(
  label: string,
  a: readonly SweepRow[],
  b: readonly SweepRow[],
  test: ClaimEvidence["test"],
  options: CompareOptions = {},
): Comparison {
  const { relativeMargin, untested, value = (r: SweepRow) => r } = options;
  const pairs = a.flatMap((x) =>
    b.filter((y) => x.seed === null || y.seed === null || x.seed === y.seed).map((y) => [x, y])
  );
  const hashes = new Set(pairs.flat().map((r) => r.test_inputs_sha256).filter((h) => h !== ""));
  if (hashes.size > 1) throw new Error(`${label}: the arms scored different noisy test images`);
  const values = pairs.map(([x, y]) => [value(x), value(y)]);
  const evidence: ClaimEvidence = {
    test,
    differences: values.map(([x, y]) => x.mse - y.mse),
    ...(relativeMargin === undefined
      ? {}
      : { margin: relativeMargin * mean(values.map(([, y]) => y.mse)) }),
    ...(untested === undefined ? {} : { untested }),
  };
  const seeds = pairs.flatMap(([x, y]) => x.seed ?? y.seed ?? []);
  return {
    label,
    role: "secondary",
    seeds: [...new Set(seeds)].sort((p, q) => p - q),
    psnrDiff: mean(values.map(([x, y]) => x.psnr - y.psnr)),
    profile: rowsProfile([...a, ...b], options.heldOut ?? DEFAULT_CONFIG.validationSplit),
    evidence,
    result: verdict(evidence),
  };
}

/** A primary comparison, "not tested" when an arm is missing (`missing` names it). */
export function primary(
  label: string,
  a: readonly SweepRow[],
  b: readonly SweepRow[],
  test: ClaimEvidence["test"],
  missing: string,
  options: CompareOptions,
): Comparison {
  const untested = options.untested ??
    (a.length === 0 || b.length === 0 ? `the sweep has no ${missing}` : undefined);
  return { ...compareArms(label, a, b, test, { ...options, untested }), role: "primary" };
}

/** Secondary comparisons judged again on Holm-adjusted p-values. */
function holmAdjusted(comparisons: readonly Comparison[]): Comparison[] {
  const tested = comparisons.filter((c) => c.result.p !== null);
  const adjusted = holm(tested.map((c) => c.result.p!));
  return comparisons.map((c) => {
    const k = tested.indexOf(c);
    if (k < 0) return c;
    const evidence = { ...c.evidence, adjustedP: adjusted[k] };
    return { ...c, evidence, result: verdict(evidence) };
  });
}

const exp = (x: number) => x.toExponential(2);
const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? "—" : Number(p.toPrecision(2));

/** A comparison as a table row: what it compares, its role and profile, `A − B`, its verdict. */
export function comparisonRow(c: Comparison): Record<string, string | number> {
  const i = c.result.interval;
  const tested = c.result.verdict !== "not tested";
  return {
    comparison: c.label,
    role: c.role === "primary" ? "primary" : "secondary, not claimed by the report",
    profile: c.profile || "—",
    seeds: c.seeds.length,
    "Δ mse": tested ? exp(i?.estimate ?? mean(c.evidence.differences)) : "—",
    "95% t over seeds": i === null ? "—" : `[${exp(i.low)}, ${exp(i.high)}]`,
    p: pValue(c.result.p),
    "Holm p": pValue(c.evidence.adjustedP),
    "Δ psnr (dB)": tested ? Number(c.psnrDiff.toFixed(3)) : "—",
    verdict: c.result.verdict,
  };
}

/** A claim from its parts and secondary comparisons (Holm-adjusted here), with its table. */
export function finish(
  parts: ClaimPart[],
  secondary: Comparison[],
  rest: Pick<ClaimResult, "means" | "chart">,
): ClaimResult {
  const adjusted = holmAdjusted(secondary);
  const table = [...parts.map((p) => p.comparison), ...adjusted].map(comparisonRow);
  return { parts, secondary: adjusted, table, ...rest };
}

/** The arms' mean MSE, PSNR and SSIM over their rows, arms without rows left out. */
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
