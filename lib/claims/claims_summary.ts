/**
 * Every claim tested on one sweep, and the table and Markdown of a sweep's `claims.md`.
 *
 * @module
 */
import { join } from "node:path";
import {
  claimBeatsClassical,
  claimDropout,
  claimLrSchedule,
  claimNoiseRobustness,
} from "./claims.ts";
import { claimLatent } from "./claim_latent.ts";
import type { ClaimOptions } from "./compare.ts";
import { conditionPart } from "./learning_curve_verdict.ts";
import type { LearningCurve } from "../sweep/learning_curve.ts";
import type { SweepRow, SweepSettings } from "../sweep/plan.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { writeFileAtomic } from "../runs/atomic.ts";
import { markdown } from "../text.ts";
import { claimsHeader, claimsProfile, scheduleNote } from "./words.ts";

/** The five claims tested (1 with 1c given a learning curve), the sweep's name and profile. */
export type Claims = ReturnType<typeof allClaims>;

/** The claims' keys, in the report's order. */
export const CLAIM_KEYS = [
  "beatsClassical",
  "noiseRobustness",
  "lrSchedule",
  "dropout",
  "latent",
] as const;

/** What {@linkcode allClaims} reads of a sweep. */
export interface ClaimsInput {
  name?: string;
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
  const seeds = CLAIM_KEYS.flatMap((k) => claims[k].parts.flatMap((p) => p.comparison.seeds));
  const profile = claimsProfile(s, [...new Set(seeds)].sort((a, b) => a - b));
  return { ...(sweep.name === undefined ? {} : { name: sweep.name }), profile, ...claims };
}

/** One row per primary comparison: claim, comparison, profile, seeds, interval, verdict, why. */
export function claimsTable(claims: Claims): Record<string, string | number>[] {
  const exp = (x: number) => x.toExponential(2);
  return CLAIM_KEYS.flatMap((k) =>
    claims[k].parts.map(({ id, title, comparison: c }) => {
      const i = c.result.interval;
      const tested = c.result.verdict !== "not tested";
      return {
        claim: `${id}. ${title}`,
        comparison: c.label,
        profile: c.profile || claims.profile,
        seeds: c.seeds.length,
        "Δ mse [95% t over seeds]": i !== null
          ? `${exp(i.estimate)} [${exp(i.low)}, ${exp(i.high)}]`
          : tested
          ? exp(c.mseA - c.mseB)
          : "—",
        "Δ psnr (dB)": tested ? c.psnrDiff.toFixed(2) : "—",
        verdict: c.result.verdict,
        why: c.result.reason,
      };
    })
  );
}

/** Rows as a Markdown table, each cell escaped as literal text (never as a line's start). */
function markdownTable(rows: readonly Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const line = (cells: readonly unknown[]) => `|${cells.map((c) => markdown` ${c} `).join("|")}|`;
  return [line(columns), `| ${columns.map(() => "---").join(" | ")} |`]
    .concat(rows.map((r) => line(columns.map((c) => r[c])))).join("\n");
}

/** The claims as a sweep's `claims.md`: the profile line, then {@linkcode claimsTable}. */
export function claimsMarkdown(claims: Claims): string {
  const note = scheduleNote(claims);
  return `${claimsHeader(claims)}\n\n${markdownTable(claimsTable(claims))}\n` +
    (note ? `\n${note}\n` : "");
}

/** Rewrites the `claims.md` of a complete sweep (notebook 6, once 1c is known); else nothing. */
export async function writeClaims(
  sweep: { dir: string; complete: boolean },
  claims: Claims,
): Promise<void> {
  if (sweep.complete) await writeFileAtomic(join(sweep.dir, "claims.md"), claimsMarkdown(claims));
}
