/**
 * The report's claims tested on a sweep's rows, each decided by its primary comparisons at
 * the reference factor (docs/results.md states them and the rule): claims 1 to 4 here, 5 in
 * claim_latent.ts, 1c in learning_curve_verdict.ts; all of them at once
 * ({@linkcode allClaims}), and a sweep's `claims.md`.
 *
 * @module
 */
import { join } from "node:path";
import { metricChart } from "../figures/charts.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { writeFileAtomic } from "../runs/atomic.ts";
import type { LearningCurve } from "../sweep/learning_curve.ts";
import { METHOD_LABELS, SWEEP_METHODS, type SweepRow, type SweepSettings } from "../sweep/plan.ts";
import { markdown, plural } from "../text.ts";
import { claimLatent } from "./claim_latent.ts";
import { conditionPart } from "./learning_curve_verdict.ts";
import { mean } from "./stats.ts";
import {
  type ClaimOptions,
  type ClaimPart,
  type ClaimResult,
  compareArms,
  type Comparison,
  comparisonRow,
  findRows,
  finish,
  meansTable,
  primary,
} from "./compare.ts";
import { EQUIVALENCE_MARGIN } from "./verdict.ts";

const factorsOf = (rows: readonly SweepRow[]) =>
  [...new Set(rows.map((r) => r.noise_factor))].sort((a, b) => a - b);

/** Claim 1: 1a the autoencoder against the best classical filter, 1b against the DnCNN. */
export function claimBeatsClassical(
  rows: readonly SweepRow[],
  options: ClaimOptions = {},
): ClaimResult {
  const { noise: f = 0.5 } = options;
  const ae = findRows(rows, "ae", f, "", f);
  const best = SWEEP_METHODS.filter((m) => m !== "ae" && m !== "dncnn" && m !== "noisy")
    .map((m) => ({ m, rows: findRows(rows, m, f) })).filter((x) => x.rows.length > 0)
    .sort((x, y) => mean(x.rows.map((r) => r.mse)) - mean(y.rows.map((r) => r.mse)))[0];
  const dncnn = findRows(rows, "dncnn", f, "", f);
  const parts: ClaimPart[] = [
    {
      id: "1a",
      title: "the autoencoder beats the best classical filter",
      comparison: primary(
        `autoencoder − ${best ? METHOD_LABELS[best.m] : "best classical filter"} at f = ${f}`,
        ae,
        best?.rows ?? [],
        "less",
        ae.length === 0 ? `autoencoder trained at f = ${f}` : `classical filter at f = ${f}`,
        options,
      ),
    },
    {
      id: "1b",
      title: "the autoencoder beats the DnCNN",
      comparison: primary(`autoencoder − DnCNN at f = ${f}`, ae, dncnn, "less", "DnCNN", options),
    },
  ];
  const secondary: Comparison[] = [];
  const means: ClaimResult["means"] = [];
  for (const g of factorsOf(rows.filter((r) => r.method === "ae"))) {
    const own = findRows(rows, "ae", g, "", g);
    if (own.length === 0) continue;
    const others = SWEEP_METHODS.filter((m) => m !== "ae")
      .map((m) => ({ m, label: METHOD_LABELS[m], rows: findRows(rows, m, g) }))
      .filter((x) => x.rows.length > 0);
    for (const o of others) {
      if (g === f && (o.m === best?.m || o.m === "dncnn")) continue;
      secondary.push(
        compareArms(`autoencoder − ${o.label} at f = ${g}`, own, o.rows, "less", options),
      );
    }
    const arms = [{ label: "autoencoder", rows: own }, ...others];
    for (const line of meansTable(arms)) means.push({ "noise factor": g, ...line });
  }
  return finish(parts, secondary, { means });
}

/** Claim 2: the autoencoder trained at the reference factor against one trained clean. */
export function claimNoiseRobustness(
  rows: readonly SweepRow[],
  options: ClaimOptions = {},
): ClaimResult {
  const { noise: f = 0.5 } = options;
  const part: ClaimPart = {
    id: "2",
    title: "noisy training beats clean training",
    comparison: primary(
      `trained at ${f} − trained clean, at f = ${f}`,
      findRows(rows, "ae", f, "", f),
      findRows(rows, "ae", f, "", 0),
      "less",
      "autoencoder trained on clean inputs (f = 0) and at f",
      options,
    ),
  };
  const secondary: Comparison[] = [];
  const means: ClaimResult["means"] = [];
  const points: { x: number; y: number; series: string }[] = [];
  const clean = rows.filter((r) =>
    r.method === "ae" && r.variant === "" && r.train_noise_factor === 0
  );
  for (const g of factorsOf(clean).filter((g) => g > 0)) {
    const control = findRows(rows, "ae", g, "", 0);
    const matched = findRows(rows, "ae", g, "", g);
    const cross = g === f ? [] : findRows(rows, "ae", g, "", f);
    if (g !== f && matched.length > 0) {
      const label = `trained at ${g} − trained clean, at f = ${g}`;
      secondary.push(compareArms(label, matched, control, "less", options));
    }
    if (cross.length > 0) {
      const label = `trained at ${f} − trained clean, at f = ${g}`;
      secondary.push(compareArms(label, cross, control, "less", options));
    }
    const arms = [
      { label: "noisy input", rows: findRows(rows, "noisy", g) },
      { label: "trained clean (f = 0)", rows: control },
      { label: `trained at ${f}`, rows: g === f ? matched : cross },
      { label: "trained at f", rows: matched },
    ];
    for (const line of meansTable(arms)) means.push({ "noise factor": g, ...line });
    for (const arm of arms.filter((a) => a.rows.length > 0)) {
      points.push({ x: g, y: mean(arm.rows.map((r) => r.psnr)), series: arm.label });
    }
  }
  const chart = metricChart(points, {
    xLabel: "noise factor of the test images",
    yLabel: "PSNR (dB)",
    title: "Trained clean, trained noisy",
  });
  return finish([part], secondary, { means, chart });
}

/** Why claim 3 is not tested: the schedule did not fire in every seed of `base`. */
function scheduleUntested(base: readonly SweepRow[]): string {
  const fired = base.filter((r) => (r.lr_drops ?? 0) > 0).length;
  const drops = base.map((r) => `seed ${r.seed}: ${r.lr_drops ?? "?"}×`).join(", ");
  return `the schedule fired in ${fired} of ${plural(base.length, "seed")} (${drops}) in ` +
    `${plural(base[0].epochs, "epoch")}, so both arms trained alike; a sweep whose claim-3 ` +
    "arms train 25 epochs on this profile tests it (about 6 minutes; notebook 6 gives its command)";
}

/**
 * Claim 3: schedule against a fixed rate as an equivalence test (TOST), tested only where the
 * schedule lowered the rate in every seed.
 */
export function claimLrSchedule(
  rows: readonly SweepRow[],
  options: ClaimOptions = {},
): ClaimResult {
  const { noise: f = 0.5 } = options;
  // The "lr schedule" arm trains as long as "no lr schedule"; older sweeps have only "".
  const arm = rows.some((r) => r.variant === "lr schedule") ? "lr schedule" : "";
  const base = findRows(rows, "ae", f, arm, f);
  const other = findRows(rows, "ae", f, "no lr schedule", f);
  const idle = base.length > 0 && other.length > 0 && base.some((r) => !r.lr_drops);
  const part: ClaimPart = {
    id: "3",
    title: `the schedule is equivalent to a fixed rate within ±${EQUIVALENCE_MARGIN * 100}% MSE`,
    comparison: primary(
      `schedule − fixed rate at f = ${f}`,
      base,
      other,
      "equivalent",
      `"no lr schedule" ablation at f = ${f}`,
      {
        ...options,
        relativeMargin: EQUIVALENCE_MARGIN,
        untested: idle ? scheduleUntested(base) : undefined,
      },
    ),
  };
  const arms = [
    { label: "schedule (report)", rows: base },
    { label: "fixed rate", rows: other },
  ];
  // meansTable drops an arm without rows: each row finds its own arm's drops by label.
  const means = meansTable(arms).map((m) => ({
    ...m,
    "lr drops": arms.find((a) => a.label === m.arm)!.rows.map((r) => r.lr_drops ?? "?").join(", "),
  }));
  return finish([part], [], { means });
}

/** Claim 4: `dropout 0.2 − none` in MSE, claimed below zero. */
export function claimDropout(rows: readonly SweepRow[], options: ClaimOptions = {}): ClaimResult {
  const { noise: f = 0.5 } = options;
  const base = findRows(rows, "ae", f, "", f);
  const other = findRows(rows, "ae", f, "dropout 0", f);
  const missing = `"dropout 0" ablation at f = ${f}`;
  const part: ClaimPart = {
    id: "4",
    title: "dropout 0.2 beats none",
    comparison: primary(`dropout 0.2 − none at f = ${f}`, base, other, "less", missing, options),
  };
  const means = meansTable([
    { label: "dropout 0.2 (report)", rows: base },
    { label: "no dropout", rows: other },
  ]);
  return finish([part], [], { means });
}

/** The five claims tested (1 with 1c given a learning curve) and the sweep's name. */
export type Claims = ReturnType<typeof allClaims>;

/** Every part of every claim, in the report's order. */
export function claimParts({ name: _, ...claims }: Claims): ClaimPart[] {
  return Object.values(claims).flatMap((c) => c.parts);
}

/** What {@linkcode allClaims} reads of a sweep. */
export interface ClaimsInput {
  name: string;
  rows: readonly SweepRow[];
  /** Its settings (the defaults' for those not given). */
  settings: Partial<SweepSettings> & Pick<SweepSettings, "referenceNoise" | "dataset">;
}

/** Every claim tested on a sweep at its reference factor, and part 1c on `curve` if given. */
export function allClaims(sweep: ClaimsInput, curve?: LearningCurve) {
  const { rows, settings: s } = sweep;
  const options: ClaimOptions = {
    noise: s.referenceNoise,
    heldOut: s.validation === "test" ? 0 : s.validationSplit ?? DEFAULT_CONFIG.validationSplit,
  };
  const claims = {
    beatsClassical: claimBeatsClassical(rows, options),
    noiseRobustness: claimNoiseRobustness(rows, options),
    lrSchedule: claimLrSchedule(rows, options),
    dropout: claimDropout(rows, options),
    latent: claimLatent(rows, s.dataset === "fashion" ? [] : ["6", "9"], options),
  };
  if (curve) claims.beatsClassical.parts.push(conditionPart(curve, s.referenceNoise));
  return { name: sweep.name, ...claims };
}

/**
 * One row per primary comparison: the claim, {@linkcode comparisonRow} without its role and
 * Holm p (every row is primary, and only secondaries are adjusted), and why.
 */
export function claimsTable(claims: Claims): Record<string, string | number>[] {
  return claimParts(claims).map(({ id, title, comparison: c }) => {
    const { role: _role, "Holm p": _holm, ...row } = comparisonRow(c);
    return { claim: `${id}. ${title}`, ...row, why: c.result.reason };
  });
}

/** Rows as a Markdown table, each cell escaped as literal text (never as a line's start). */
function markdownTable(rows: readonly Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const line = (cells: readonly unknown[]) => `|${cells.map((c) => markdown` ${c} `).join("|")}|`;
  return [line(columns), `| ${columns.map(() => "---").join(" | ")} |`]
    .concat(rows.map((r) => line(columns.map((c) => r[c])))).join("\n");
}

/** The claims as a sweep's `claims.md`: a line naming the sweep, then {@linkcode claimsTable}. */
export function claimsMarkdown(claims: Claims): string {
  return markdown`Claims of sweep \`${claims.name}\`, each row on its own profile.` + "\n\n" +
    `${markdownTable(claimsTable(claims))}\n`;
}

/** Rewrites the `claims.md` of a complete sweep (notebook 6, once 1c is known); else nothing. */
export async function writeClaims(
  sweep: { dir: string; complete: boolean },
  claims: Claims,
): Promise<void> {
  if (sweep.complete) await writeFileAtomic(join(sweep.dir, "claims.md"), claimsMarkdown(claims));
}
