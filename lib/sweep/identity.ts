/**
 * A sweep's identity is its content (settings, plan, a folder dataset's SHA-256), recorded in
 * `sweep.json`; a folder is used only for its own identity, and the default name digests it.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { datasetNamePart, identityDifferences, runIdentity } from "../runs/identity.ts";
import { DEFAULT_CONFIG, fitName } from "../runs/config.ts";
import { InputError } from "../errors.ts";
import {
  DEFAULT_REFERENCE_NOISE,
  DEFAULT_SWEEP_METHODS,
  DEFAULT_SWEEP_NOISE,
  DEFAULT_TUNE_IMAGES,
  parseMethods,
  parseNoiseFactors,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepSettings,
} from "./plan.ts";

/** Which cells a sweep holds, normalised: two equal plans plan the same cells. */
export interface SweepPlan {
  /** In {@linkcode SWEEP_METHODS} order; `noisy` is always added. @default DEFAULT_SWEEP_METHODS */
  methods: readonly SweepMethod[];
  /** Test (and training) noise factors, ascending. @default DEFAULT_SWEEP_NOISE */
  noise: readonly number[];
  /** Add the ablation rows (when `ae` is among the methods). @default true */
  ablations: boolean;
  /** Add the cross-noise rows (when `ae` is among the methods). @default true */
  cross: boolean;
  /** Add claim 2's clean-trained control (with the cross-noise rows). @default true */
  control: boolean;
  /** Training seeds of every learned cell; null: the claims' arms 3 seeds, the rest 1. */
  seeds: readonly number[] | null;
}

/** What a caller may give to build a {@linkcode SweepPlan}: any part of it, in any order. */
export type SweepPlanInput = Partial<Omit<SweepPlan, "seeds">> & { seeds?: readonly number[] };

/** The normalised plan of `input` for `noiseType`; InputError on a bad method or factor. */
export function sweepPlan(
  input: SweepPlanInput = {},
  noiseType = DEFAULT_CONFIG.noiseType,
): SweepPlan {
  const methods = parseMethods(input.methods ?? DEFAULT_SWEEP_METHODS);
  return {
    methods: SWEEP_METHODS.filter((m) => methods.includes(m)),
    noise: parseNoiseFactors(input.noise ?? DEFAULT_SWEEP_NOISE, noiseType),
    ablations: input.ablations ?? true,
    cross: input.cross ?? true,
    control: input.control ?? true,
    seeds: input.seeds ? [...input.seeds] : null,
  };
}

/** Throws InputError when sweep `name`'s stored identity differs, or it has rows but no record. */
export function refuseOtherSweep(
  stored: Readonly<Record<string, unknown>> | undefined,
  rows: number,
  asked: { settings: SweepSettings; plan: SweepPlan },
  name: string,
): void {
  if (!stored && rows > 0) {
    throw new InputError(
      `sweep "${name}" has ${rows} rows but no sweep.json, so their settings are unknown; ` +
        `delete its folder`,
    );
  }
  const diffs = stored ? identityDifferences(stored, { ...asked.settings, ...asked.plan }) : [];
  if (diffs.length > 0) {
    throw new InputError(
      `sweep "${name}" was run with other settings: ${diffs.join(", ")}; ` +
        `pick another name or delete its folder`,
    );
  }
}

/** A sweep's default name: the settings that change its results, then `h` and a digest. */
export function defaultSweepName(s: SweepSettings, plan: SweepPlan): string {
  const parts = [datasetNamePart(s.dataset), s.noiseType];
  if (s.noiseMean !== 0) parts.push(`mean${s.noiseMean}`);
  parts.push(`e${s.epochs}`, `n${s.train}`, `t${s.test}`, `b${s.batch}`);
  if (s.tune !== DEFAULT_TUNE_IMAGES) parts.push(`tune${s.tune}`);
  if (s.referenceNoise !== DEFAULT_REFERENCE_NOISE) parts.push(`ref${s.referenceNoise}`);
  if (s.scheduleEpochs !== s.epochs) parts.push(`sched${s.scheduleEpochs}`);
  if (s.validation === "test") parts.push("valtest");
  else if (s.validationSplit !== DEFAULT_CONFIG.validationSplit) {
    parts.push(`val${s.validationSplit}`);
  }
  if (s.dataSeed !== DEFAULT_CONFIG.dataSeed) parts.push(`ds${s.dataSeed}`);
  const id = runIdentity({ ...s, ...plan });
  const canonical = JSON.stringify(Object.keys(id).sort().map((k) => [k, id[k]]));
  const digest = createHash("sha256").update(canonical).digest("hex").slice(0, 8);
  parts.push(`s${s.seed}`, `h${digest}`);
  return fitName(parts.join("-"));
}
