/**
 * The claims together: every part's title, every claim tested on one sweep, and the table and
 * Markdown that notebook 6, a sweep's `claims.md` and the README show, each naming the
 * profile its verdicts come from.
 *
 * @module
 */
import {
  claimBeatsClassical,
  claimDropout,
  claimLrSchedule,
  claimNoiseRobustness,
  SCHEDULE_COMMAND,
  SCHEDULE_COMMAND_COST,
} from "./claims.ts";
import { claimLatent, type LatentClaimResult } from "./claim_latent.ts";
import type { ClaimOptions, ClaimResult } from "./claim_result.ts";
import type { SweepRow, SweepSettings } from "../sweep/plan.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { plural } from "../text.ts";

/** The five claims of the report's conclusion, tested, and the profile they were tested on. */
export interface Claims {
  /** The sweep's profile in words (training images, epochs, seeds, test images). */
  profile: string;
  /** Claim 1 (parts 1a, 1b). */
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

/** Short titles of the claims, in the report's order. */
export const CLAIM_TITLES: Readonly<Record<(typeof CLAIM_KEYS)[number], string>> = Object.freeze({
  beatsClassical: "1. Autoencoders beat other methods",
  noiseRobustness: "2. Noisy training makes it work",
  lrSchedule: "3. ReduceLROnPlateau: no real gain",
  dropout: "4. Dropout 0.2 helped",
  latent: "5. 16-number latent loses detail",
});

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
 * A sweep's profile in words: "sweep `NAME`: mnist, 2,700 training images (+300 validation)
 * per model, 5 epochs (claim 3's arms: 25), seeds 0, 1, 2 for the primary arms, 1,000 test
 * images".
 */
export function claimsProfile(sweep: ClaimsInput, seeds: readonly number[]): string {
  const s = sweep.settings;
  const all = s.train ?? DEFAULT_CONFIG.train;
  const share = s.validation === "test" ? 0 : s.validationSplit ?? DEFAULT_CONFIG.validationSplit;
  const train = Math.floor(all * (1 - share));
  const fmt = (n: number) => n.toLocaleString("en-US");
  const epochs = s.epochs ?? DEFAULT_CONFIG.epochs;
  const schedule = s.scheduleEpochs !== undefined && s.scheduleEpochs !== epochs
    ? ` (claim 3's arms: ${s.scheduleEpochs})`
    : "";
  return [
    ...(sweep.name ? [`sweep \`${sweep.name}\``] : []),
    s.dataset,
    `${fmt(train)} training images${train < all ? ` (+${fmt(all - train)} validation)` : ""} ` +
    `per model`,
    `${plural(epochs, "epoch")}${schedule}`,
    `${seeds.length === 1 ? "seed" : "seeds"} ${seeds.join(", ") || "none"} for the primary arms`,
    `${fmt(s.test ?? DEFAULT_CONFIG.test)} test images`,
    `trained and tested at f = ${s.referenceNoise}`,
  ].join(", ");
}

/**
 * Every claim tested on a sweep at its reference factor. Claim 5's part 5b looks at the 6s
 * and 9s the report names, except on Fashion-MNIST, which has no digits.
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
export function allClaims(sweep: ClaimsInput): Claims {
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
  const seeds = [
    ...new Set(
      CLAIM_KEYS.flatMap((k) => claims[k].parts.flatMap((p) => p.comparison.seeds)),
    ),
  ].sort((a, b) => a - b);
  return { profile: claimsProfile(sweep, seeds), ...claims };
}

/** One row per primary comparison: claim, comparison, profile, seeds, interval, verdict, why. */
export function claimsTable(claims: Claims): Record<string, string | number>[] {
  return CLAIM_KEYS.flatMap((k) =>
    claims[k].parts.map((part) => {
      const c = part.comparison;
      const i = c.result.interval;
      const tested = c.result.verdict !== "not tested";
      return {
        claim: `${part.id}. ${part.title}`,
        comparison: c.label,
        profile: c.profile,
        seeds: c.seeds.length,
        "Δ mse [95% t over seeds]": i === null
          ? (tested ? (c.mseA - c.mseB).toExponential(2) : "—")
          : `${i.estimate.toExponential(2)} [${i.low.toExponential(2)}, ${
            i.high.toExponential(2)
          }]`,
        "Δ psnr (dB)": tested ? c.psnrDiff.toFixed(2) : "—",
        verdict: c.result.verdict,
        why: c.result.reason,
      };
    })
  );
}

/**
 * The claims as Markdown for the README and a sweep's `claims.md`: the profile in the first
 * line, then one table row per primary comparison, the same words notebook 6 shows.
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
  const rows = claimsTable(claims);
  const columns = Object.keys(rows[0]);
  const cell = (t: string | number) => String(t).replaceAll("|", "\\|").replaceAll("\n", " ");
  return [
    `Profile: ${claims.profile}. Each verdict comes from its primary comparison alone: the ` +
    "paired t-test over training seeds (95%); other factors and methods are secondary, shown " +
    "in notebook 6, Holm-adjusted, and not claimed by the report.",
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(" | ")} |`),
    ...(claims.lrSchedule.parts.some((p) => p.comparison.result.verdict === "not tested")
      ? ["", `Claim 3 is tested by \`${SCHEDULE_COMMAND}\` (${SCHEDULE_COMMAND_COST}).`]
      : []),
  ].join("\n") + "\n";
}
