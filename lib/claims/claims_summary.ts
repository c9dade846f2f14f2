/**
 * The five claims together: their titles, every claim tested on one sweep, and the table and
 * Markdown that notebook 6, a sweep's `claims.md` and the README show.
 *
 * @module
 */
import {
  claimBeatsClassical,
  claimDropout,
  claimLatent,
  claimLrSchedule,
  claimNoiseRobustness,
  type ClaimResult,
  type LatentClaimResult,
  type PerImageLookup,
} from "./claims.ts";
import { type SweepRow } from "../sweep/plan.ts";

/** The five claims of the report's conclusion, tested. */
export interface Claims {
  /** Claim 1. */
  beatsClassical: ClaimResult;
  /** Claim 2. */
  noiseRobustness: ClaimResult;
  /** Claim 3. */
  lrSchedule: ClaimResult;
  /** Claim 4. */
  dropout: ClaimResult;
  /** Claim 5. */
  latent: LatentClaimResult;
}

/** Short titles of the claims, in the report's order. */
export const CLAIM_TITLES: Readonly<Record<keyof Claims, string>> = Object.freeze({
  beatsClassical: "1. Autoencoders beat other methods",
  noiseRobustness: "2. Noisy training makes it work",
  lrSchedule: "3. ReduceLROnPlateau: no real gain",
  dropout: "4. Dropout 0.2 helped",
  latent: "5. 16-number latent loses detail",
});

/**
 * Every claim tested on a sweep at its reference factor, with its per-image scores. Claim 5
 * ranks the 6s and 9s the report names, except on Fashion-MNIST, which has no digits.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { allClaims } from "./claims_summary.ts";
 * const claims = allClaims({ rows: [], settings: { referenceNoise: 0.5, dataset: "mnist" } });
 * assertEquals(Object.values(claims).map((c) => c.verdict), Array(5).fill("not resolved"));
 * ```
 */
export function allClaims(sweep: {
  rows: readonly SweepRow[];
  settings: { referenceNoise: number; dataset: string };
  perImage?: PerImageLookup;
}): Claims {
  const { rows, settings: { referenceNoise: f, dataset }, perImage = new Map() } = sweep;
  return {
    beatsClassical: claimBeatsClassical(rows, perImage),
    noiseRobustness: claimNoiseRobustness(rows, f, perImage),
    lrSchedule: claimLrSchedule(rows, f, perImage),
    dropout: claimDropout(rows, f, perImage),
    latent: claimLatent(rows, f, dataset === "fashion" ? [] : ["6", "9"], perImage),
  };
}

/** The claims as table rows: claim, verdict (from lib/claims/verdict.ts) and the sentences. */
export function claimsTable(claims: Claims): { claim: string; verdict: string; why: string }[] {
  return (Object.keys(CLAIM_TITLES) as (keyof Claims)[]).map((k) => ({
    claim: CLAIM_TITLES[k],
    verdict: claims[k].verdict,
    why: claims[k].text,
  }));
}

/**
 * The claims as a Markdown table (claim, verdict, the sentences), for the README and a
 * sweep's `claims.md`: the same words notebook 6 shows, from the same functions.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { allClaims, claimsMarkdown } from "./claims_summary.ts";
 * const md = claimsMarkdown(allClaims({ rows: [], settings: { referenceNoise: 0.5, dataset: "mnist" } }));
 * assert(md.startsWith("| claim | verdict |") && md.includes("not resolved"));
 * ```
 */
export function claimsMarkdown(claims: Claims): string {
  const cell = (t: string) => t.replaceAll("|", "\\|").replaceAll("\n", " ");
  return [
    "| claim | verdict | why |",
    "| --- | --- | --- |",
    ...claimsTable(claims).map((r) => `| ${cell(r.claim)} | ${r.verdict} | ${cell(r.why)} |`),
  ].join("\n") + "\n";
}
