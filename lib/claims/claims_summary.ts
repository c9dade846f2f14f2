/**
 * The claims together: every claim tested on one sweep (and claim 1's condition on its
 * learning curve), and the table and Markdown that notebook 6, a sweep's `claims.md` and
 * docs/results.md show, each naming the profile its verdicts come from.
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
import { claimLatent, type LatentClaimResult } from "./claim_latent.ts";
import type { ClaimOptions, ClaimResult } from "./compare.ts";
import { conditionPart } from "./learning_curve_verdict.ts";
import type { LearningCurve } from "../sweep/learning_curve.ts";
import type { SweepRow, SweepSettings } from "../sweep/plan.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { writeFileAtomic } from "../runs/atomic.ts";
import { markdown } from "../text.ts";
import { claimsHeader, claimsProfile, scheduleNote } from "./words.ts";

/** The five claims of the report's conclusion, tested, and the profile they were tested on. */
export interface Claims {
  /** The sweep's name, when it has one. */
  name?: string;
  /** The sweep's profile in words (training images, epochs, seeds, test images). */
  profile: string;
  /** Claim 1 (parts 1a, 1b, and 1c when there is a learning curve). */
  beatsClassical: ClaimResult;
  /** Claim 2. */
  noiseRobustness: ClaimResult;
  /** Claim 3. */
  lrSchedule: ClaimResult;
  /** Claim 4. */
  dropout: ClaimResult;
  /** Claim 5 (parts 5a, 5b). */
  latent: LatentClaimResult;
}

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
  /** Sweep name, for the profile line. */
  name?: string;
  /** Its rows. */
  rows: readonly SweepRow[];
  /** Its settings (the defaults' for those not given). */
  settings: Partial<SweepSettings> & Pick<SweepSettings, "referenceNoise" | "dataset">;
}

/**
 * Every claim tested on a sweep at its reference factor, and claim 1's condition (part 1c) on
 * its learning curve `curve` when given. Claim 5's part 5b looks at the 6s and 9s the report
 * names, except on Fashion-MNIST, which has no digits.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { allClaims, CLAIM_KEYS } from "./claims_summary.ts";
 * const claims = allClaims({ rows: [], settings: { referenceNoise: 0.5, dataset: "mnist" } });
 * const verdicts = CLAIM_KEYS.flatMap((k) => claims[k].parts.map((p) => p.comparison.result.verdict));
 * assertEquals(verdicts, Array(7).fill("not tested"));
 * ```
 */
export function allClaims(sweep: ClaimsInput, curve?: LearningCurve): Claims {
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

/**
 * The claims as Markdown for a sweep's `claims.md` and docs/results.md: the profile in the
 * first line, then one table row per primary comparison, the same rows notebook 6 shows.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { allClaims, claimsMarkdown } from "./claims_summary.ts";
 * const md = claimsMarkdown(allClaims({ rows: [], settings: { referenceNoise: 0.5, dataset: "mnist" } }));
 * assert(md.startsWith("Profile: mnist, 54,000 training images") && md.includes("| 1a."));
 * ```
 */
export function claimsMarkdown(claims: Claims): string {
  const note = scheduleNote(claims);
  return `${claimsHeader(claims)}\n\n${markdownTable(claimsTable(claims))}\n` +
    (note ? `\n${note}\n` : "");
}

/**
 * Writes `claims` as the `claims.md` of the complete sweep in `sweep.dir` again: notebook 6
 * calls this once claim 1's condition (1c) is known, which the sweep itself cannot test.
 * Does nothing for an incomplete sweep, which has no `claims.md` yet.
 */
export async function writeClaims(
  sweep: { dir: string; complete: boolean },
  claims: Claims,
): Promise<void> {
  if (sweep.complete) await writeFileAtomic(join(sweep.dir, "claims.md"), claimsMarkdown(claims));
}
