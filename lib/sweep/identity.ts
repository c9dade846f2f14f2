/**
 * A sweep's identity is its content, as a run's is (lib/runs/identity.ts): every setting that
 * changes a row ({@linkcode SweepSettings}), the plan that decides which rows it holds (methods,
 * noise factors, ablations, cross-noise rows, control, seeds), and for a folder dataset the
 * SHA-256 of its files instead of its path. `sweep.json` records it; a sweep folder is used
 * only when its recorded identity equals the requested one, and the default name ends with a
 * digest of it, so two different sweeps never share a default folder.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  datasetNamePart,
  identityDifferences,
  runIdentity,
  savedConfig,
} from "../runs/identity.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { InputError } from "../errors.ts";
import { fitName } from "../runs/run_io.ts";
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
  /** Methods, in {@linkcode SWEEP_METHODS} order (`noisy` is always added). */
  methods: SweepMethod[];
  /** Noise factors, ascending. */
  noise: number[];
  /** Whether the ablation rows are planned. */
  ablations: boolean;
  /** Whether the cross-noise rows are planned. */
  cross: boolean;
  /** Whether claim 2's clean-trained control is planned. */
  control: boolean;
  /** The seed list, or null for the default seeds (see `cellSeeds`). */
  seeds: number[] | null;
}

/** What a caller may give to build a {@linkcode SweepPlan}; absent fields take the defaults. */
export interface SweepPlanInput {
  /** @default DEFAULT_SWEEP_METHODS */
  methods?: readonly SweepMethod[];
  /** @default DEFAULT_SWEEP_NOISE */
  noise?: readonly number[];
  /** @default true */
  ablations?: boolean;
  /** @default true */
  cross?: boolean;
  /** @default true */
  control?: boolean;
  /** @default null (the default seeds) */
  seeds?: readonly number[];
}

/**
 * The normalised plan of `input` for noise kind `noiseType`. Throws {@linkcode InputError} on a
 * bad method or factor.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { sweepPlan } from "./identity.ts";
 * assertEquals(sweepPlan({ methods: ["median", "ae"], noise: [0.5, 0.1] }).methods, ["median", "ae"]);
 * ```
 */
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

/**
 * What `sweep.json` records: the settings and the plan, plus `datasetSha256` for a folder
 * dataset (the SHA-256 of its files, lib/runs/identity.ts).
 */
export function storedSweepIdentity(
  settings: SweepSettings,
  plan: SweepPlan,
): SweepSettings & SweepPlan {
  return savedConfig({ ...settings, ...plan });
}

/**
 * The settings in which a stored `sweep.json` differs from the requested sweep, as
 * `key SAVED (saved) ≠ ASKED (asked)` phrases; empty when the folder may be used. A folder
 * dataset is compared by the SHA-256 of its files, not by its path. A `sweep.json` from
 * before the plan was recorded differs in `methods`, `noise` and the rest.
 */
export function sweepDifferences(
  stored: Readonly<Record<string, unknown>>,
  settings: SweepSettings,
  plan: SweepPlan,
): string[] {
  return identityDifferences(stored, { ...settings, ...plan });
}

/**
 * Throws {@linkcode InputError} naming every difference when the stored identity of sweep
 * `name` (in folder `where`) is not the requested one (see {@linkcode sweepDifferences}).
 */
export function refuseOtherSweep(
  stored: Readonly<Record<string, unknown>> | undefined,
  settings: SweepSettings,
  plan: SweepPlan,
  name: string,
  where: string,
): void {
  if (!stored) return;
  const diffs = sweepDifferences(stored, settings, plan);
  if (diffs.length > 0) {
    throw new InputError(
      `sweep "${name}" in ${where} was run with other settings: ${diffs.join(", ")}; ` +
        `pick another name or delete its folder`,
    );
  }
}

/** First 8 hex digits of the SHA-256 of a sweep's identity (keys sorted). */
function identityDigest(settings: SweepSettings, plan: SweepPlan): string {
  const id = runIdentity({ ...settings, ...plan });
  const canonical = JSON.stringify(Object.keys(id).sort().map((k) => [k, id[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 8);
}

/**
 * The name a sweep gets when none is given: the settings that change its results in words,
 * then `h` and a digest of its whole identity (settings, plan and dataset files), so sweeps
 * with other methods, factors or dataset files never share a default name.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
 * import { defaultSweepName, sweepPlan } from "./identity.ts";
 * const name = defaultSweepName(sweepSettings(), sweepPlan());
 * assert(/^mnist-gaussian-e10-n60000-t10000-b32-s0-h[0-9a-f]{8}$/.test(name));
 * ```
 */
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
  parts.push(`s${s.seed}`, `h${identityDigest(s, plan)}`);
  return fitName(parts.join("-"));
}
