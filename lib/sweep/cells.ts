/**
 * A sweep's plan: the cells it computes (a method at a noise factor, trained or tuned at a
 * factor, with a training seed), which of them are the claims' arms and get several seeds,
 * and each cell's key. The settings, rows and names are in `sweep_plan.ts`.
 *
 * @module
 */
import {
  type Ablation,
  ABLATIONS,
  cellKey,
  LEARNED_METHODS,
  SCHEDULE_VARIANTS,
  settingsToConfig,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepSettings,
} from "./plan.ts";
import { type ExperimentConfig } from "../runs/config.ts";
import { type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";

/**
 * Training seeds of the arms of the claims' primary comparisons when no seed list is given
 * (see {@linkcode isClaimArm}): they train with this many consecutive seeds from the sweep's
 * seed; every other learned cell trains with the sweep's seed only. A seed list (`--seeds`)
 * trains every learned cell once per seed.
 */
export const DEFAULT_CLAIM_SEEDS = 3;

/** Variants whose rows are the arms of claims 3–5 (with the unablated autoencoder, ""). */
export const CLAIM_ARM_VARIANTS: readonly string[] = ["dropout 0", ...SCHEDULE_VARIANTS];

/**
 * One cell to compute, as a plain descriptor: what identifies it, and for learned methods
 * the run's settings.
 */
export interface SweepCell {
  /** Method. */
  method: SweepMethod;
  /** "" or the ablation. */
  variant: string;
  /** Factor the model trains (or the filter tunes) at; null for untuned methods. */
  trainNoise: number | null;
  /** Factor of the noise on the test images. */
  noise: number;
  /** Training seed (`config.seed`) of a learned cell; null for classical ones. */
  seed: number | null;
  /** The training config, for learned methods. */
  config?: ExperimentConfig;
}

/** What {@linkcode planCells} plans. */
export interface SweepPlanOptions {
  /** Test (and training) noise factors, validated. */
  noise: readonly number[];
  /** Methods, validated. */
  methods: readonly SweepMethod[];
  /** Add the ablation cells (when `ae` is among the methods). */
  ablations: boolean;
  /** Add the cross-noise cells (when `ae` is among the methods). */
  cross: boolean;
  /** Backend of the learned models' runs. */
  backend: ExperimentConfig["backend"];
  /**
   * Training seeds: every learned cell trains once per seed. When absent, the claims' arms
   * train with {@linkcode DEFAULT_CLAIM_SEEDS} seeds from `settings.seed` and every other
   * learned cell with `settings.seed` only.
   */
  seeds?: readonly number[];
  /**
   * Add the clean-trained control of claim 2: the autoencoder trained at f = 0, tested at
   * every factor (with the cross-noise cells). @default true
   */
  control?: boolean;
}

/**
 * The seeds a learned cell trains with under `options.seeds` (see {@linkcode SweepPlanOptions}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
import { cellSeeds } from "./cells.ts";
 * const s = sweepSettings({ seed: 4 });
 * assertEquals(cellSeeds(s, undefined, true), [4, 5, 6]);
 * assertEquals(cellSeeds(s, undefined, false), [4]);
 * assertEquals(cellSeeds(s, [0, 1], false), [0, 1]);
 * ```
 */
export function cellSeeds(
  settings: SweepSettings,
  seeds: readonly number[] | undefined,
  claimArm: boolean,
): number[] {
  if (seeds) return [...seeds];
  const n = claimArm ? DEFAULT_CLAIM_SEEDS : 1;
  return Array.from({ length: n }, (_, i) => settings.seed + i);
}

/**
 * Whether a learned cell is an arm of one of the claims' primary comparisons, and so trains
 * with {@linkcode DEFAULT_CLAIM_SEEDS} seeds by default, whichever cells the sweep plans
 * (notebook 5's sweep trains claim 2's arms as notebook 6's does, so both share the runs):
 * the autoencoder trained at the reference factor (claims 1–5; its cross-noise cells reuse
 * the same runs) and its claim-3/4/5 variants, the clean-trained control (claim 2, trained at
 * f = 0), and the DnCNN at the reference factor (claim 1b). Every other learned cell trains
 * once.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { isClaimArm } from "./cells.ts";
 * assert(isClaimArm("ae", "", 0, 0.5) && isClaimArm("dncnn", "", 0.5, 0.5));
 * assert(!isClaimArm("dncnn", "", 0.3, 0.5) && !isClaimArm("ae", "latent 2", 0.5, 0.5));
 * ```
 */
export function isClaimArm(
  method: SweepMethod,
  variant: string,
  trainNoise: number,
  ref: number,
): boolean {
  if (method === "dncnn") return trainNoise === ref && variant === "";
  if (trainNoise === 0) return variant === "";
  return trainNoise === ref &&
    (variant === "" || CLAIM_ARM_VARIANTS.includes(variant) || variant === "latent 64");
}

/**
 * The cells a sweep computes, in the order it computes them (cheap ones first), each once:
 * a plain list, so a caller can filter it (finished cells, a shard) before computing.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
import { planCells } from "./cells.ts";
 * const cells = planCells(sweepSettings(), {
 *   noise: [0.5], methods: ["median"], ablations: false, cross: false, backend: "cpu",
 * });
 * assertEquals(cells.map((c) => c.method), ["noisy", "median"]);
 * ```
 */
export function planCells(settings: SweepSettings, options: SweepPlanOptions): SweepCell[] {
  const { noise, methods, ablations, cross, backend, seeds, control = true } = options;
  const run = (
    model: ExperimentConfig["model"],
    f: number,
    seed: number,
    change: Ablation["change"] = {},
  ) => settingsToConfig(settings, { model, noise: f, backend, seed, ...change });
  const cells: SweepCell[] = [];
  const seen = new Set<string>();
  const add = (cell: SweepCell) => {
    const key = JSON.stringify([cell.method, cell.variant, cell.trainNoise, cell.noise, cell.seed]);
    if (seen.has(key)) return;
    seen.add(key);
    cells.push(cell);
  };
  const ref = settings.referenceNoise;
  /** A learned cell per seed; the claims' arms get more seeds by default. */
  const learned = (
    method: SweepMethod,
    variant: string,
    trainNoise: number,
    f: number,
    change: Ablation["change"] = {},
  ) => {
    const arm = isClaimArm(method, variant, trainNoise, ref);
    const model = method === "ae" ? "autoencoder" : "dncnn";
    for (const seed of cellSeeds(settings, seeds, arm)) {
      const config = run(model, trainNoise, seed, change);
      add({ method, variant, trainNoise, noise: f, seed, config });
    }
  };
  const classical = ["noisy", ...methods.filter((m) => !LEARNED_METHODS.includes(m))];
  for (const f of noise) {
    for (const m of SWEEP_METHODS) {
      if (!classical.includes(m)) continue;
      const tuned = DENOISERS[m as ClassicalMethod].tuned;
      add({ method: m, variant: "", trainNoise: tuned ? f : null, noise: f, seed: null });
    }
  }
  for (const m of LEARNED_METHODS) {
    if (!methods.includes(m)) continue;
    for (const f of noise) learned(m, "", f, f);
  }
  if (!methods.includes("ae")) return cells;
  if (cross) {
    for (const f of noise) learned("ae", "", ref, f);
    // Claim 2's control: the same autoencoder trained on clean inputs (f = 0).
    if (control) { for (const f of noise) learned("ae", "", 0, f); }
  }
  if (ablations) {
    learned("ae", "", ref, ref);
    for (const { variant, change } of ABLATIONS) {
      const epochs = SCHEDULE_VARIANTS.includes(variant)
        ? settings.scheduleEpochs
        : settings.epochs;
      learned("ae", variant, ref, ref, { ...change, epochs });
    }
  }
  return cells;
}

/** The fields that name a planned cell's row: what {@linkcode cellKey} and `perImageFile` read. */
export function cellFields(settings: SweepSettings, cell: SweepCell) {
  return {
    dataset: settings.dataset,
    noise_type: settings.noiseType,
    method: cell.method,
    variant: cell.variant,
    train_noise_factor: cell.trainNoise,
    noise_factor: cell.noise,
    seed: cell.seed,
  };
}

/** The {@linkcode cellKey} of a planned cell. */
export function rowKeyOf(settings: SweepSettings, cell: SweepCell): string {
  return cellKey(cellFields(settings, cell));
}

/** A cell in words, for log lines: "ae (latent 2) at noise 0.5". */
export function describeCell(cell: SweepCell): string {
  const variant = cell.variant ? ` (${cell.variant})` : "";
  const trained = cell.trainNoise !== null && cell.trainNoise !== cell.noise
    ? `, trained at ${cell.trainNoise}`
    : "";
  const seed = cell.seed === null ? "" : `, seed ${cell.seed}`;
  return `${cell.method}${variant} at noise ${cell.noise}${trained}${seed}`;
}
