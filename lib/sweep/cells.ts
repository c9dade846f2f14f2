/**
 * A sweep's cells (a method at a test noise factor, trained or tuned at a factor, with a
 * training seed), which of them are the claims' arms and get several seeds, and their keys.
 *
 * @module
 */
import {
  type Ablation,
  ABLATIONS,
  isCorrected,
  LEARNED_METHODS,
  SCHEDULE_VARIANTS,
  settingsToConfig,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { type ExperimentConfig } from "../runs/config.ts";
import type { SweepPlan } from "./identity.ts";

/**
 * Seeds of the claims' arms ({@linkcode isClaimArm}) when no seed list is given: consecutive
 * from the sweep's seed; every other learned cell trains with the sweep's seed only.
 */
export const DEFAULT_CLAIM_SEEDS = 3;

/** Variants of the autoencoder at the reference factor that are claims' arms. */
const CLAIM_ARM_VARIANTS: readonly string[] = ["", "dropout 0", ...SCHEDULE_VARIANTS, "latent 64"];

/** One cell to compute: what identifies it, and for learned methods the run's settings. */
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

/**
 * What {@linkcode planCells} plans: a validated {@linkcode SweepPlan} (`seeds` default: see
 * {@linkcode DEFAULT_CLAIM_SEEDS}; `control` default true), and the learned models' backend.
 */
export type SweepPlanOptions =
  & Omit<SweepPlan, "seeds" | "control">
  & Partial<Pick<SweepPlan, "seeds" | "control">>
  & { backend: ExperimentConfig["backend"] };

/**
 * The seeds a learned cell trains with under `seeds` (see {@linkcode SweepPlanOptions}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
 * import { cellSeeds } from "./cells.ts";
 * const s = sweepSettings({ seed: 4 });
 * assertEquals(cellSeeds(s, undefined, true), [4, 5, 6]);
 * assertEquals(cellSeeds(s, undefined, false), [4]);
 * assertEquals(cellSeeds(s, [0, 1], false), [0, 1]);
 * ```
 */
export function cellSeeds(
  settings: SweepSettings,
  seeds: readonly number[] | null | undefined,
  claimArm: boolean,
): number[] {
  if (seeds) return [...seeds];
  const n = claimArm ? DEFAULT_CLAIM_SEEDS : 1;
  return Array.from({ length: n }, (_, i) => settings.seed + i);
}

/**
 * Whether a learned cell is an arm of a claim's primary comparison (and so trains with
 * {@linkcode DEFAULT_CLAIM_SEEDS} seeds by default, whichever cells the sweep plans): the
 * autoencoder trained at the reference factor and its claim-3/4/5 variants, the clean-trained
 * control (f = 0), and the DnCNN at the reference factor.
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
  return trainNoise === ref && CLAIM_ARM_VARIANTS.includes(variant);
}

/**
 * The cells a sweep computes, each once, cheap ones first. Every classical filter but `noisy`
 * is tuned (and bias-corrected) at the cell's factor.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { sweepSettings } from "./plan.ts";
 * import { planCells } from "./cells.ts";
 * const cells = planCells(sweepSettings(), {
 *   noise: [0.5], methods: ["median"], ablations: false, cross: false, backend: "cpu",
 * });
 * assertEquals(cells.map((c) => c.method), ["noisy", "median"]);
 * ```
 */
export function planCells(settings: SweepSettings, options: SweepPlanOptions): SweepCell[] {
  const { noise, methods, ablations, cross, backend, seeds, control = true } = options;
  const cells: SweepCell[] = [];
  const seen = new Set<string>();
  const add = (cell: SweepCell) => {
    const key = JSON.stringify([cell.method, cell.variant, cell.trainNoise, cell.noise, cell.seed]);
    if (seen.has(key)) return;
    seen.add(key);
    cells.push(cell);
  };
  const ref = settings.referenceNoise;
  const learned = (
    method: SweepMethod,
    variant: string,
    trainNoise: number,
    f: number,
    change: Ablation["change"] = {},
  ) => {
    const model = method === "ae" ? "autoencoder" : "dncnn";
    for (const seed of cellSeeds(settings, seeds, isClaimArm(method, variant, trainNoise, ref))) {
      const config = settingsToConfig(settings, {
        model,
        noise: trainNoise,
        backend,
        seed,
        ...change,
      });
      add({ method, variant, trainNoise, noise: f, seed, config });
    }
  };
  const classical = ["noisy", ...methods.filter((m) => !LEARNED_METHODS.includes(m))];
  for (const f of noise) {
    for (const m of SWEEP_METHODS.filter((m) => classical.includes(m))) {
      add({ method: m, variant: "", trainNoise: isCorrected(m) ? f : null, noise: f, seed: null });
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

/**
 * The key that identifies a row's cell: every column that tells cells apart.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { cellKey } from "./cells.ts";
 * const k = cellKey({
 *   dataset: "mnist", noise_type: "gaussian", method: "ae", variant: "",
 *   train_noise_factor: 0.5, noise_factor: 0.1,
 * });
 * assert(k === '["mnist","gaussian","ae","",0.5,0.1,null]');
 * ```
 */
export function cellKey(
  row:
    & Pick<
      SweepRow,
      "dataset" | "noise_type" | "method" | "variant" | "train_noise_factor" | "noise_factor"
    >
    & { seed?: number | null },
): string {
  return JSON.stringify([
    row.dataset,
    row.noise_type,
    row.method,
    row.variant,
    row.train_noise_factor,
    row.noise_factor,
    row.seed ?? null,
  ]);
}

/**
 * Where a cell's per-image scores go, relative to the sweep folder.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { perImageFile } from "./cells.ts";
 * const f = perImageFile({ method: "ae", variant: "dropout 0", train_noise_factor: 0.5, noise_factor: 0.1, seed: 2 });
 * assert(f === "per_image/ae-dropout_0-train0.5-test0.1-s2.json");
 * ```
 */
export function perImageFile(
  row: Pick<SweepRow, "method" | "variant" | "train_noise_factor" | "noise_factor" | "seed">,
): string {
  const variant = row.variant === "" ? "" : `-${row.variant.replace(/[^\w.]+/g, "_")}`;
  const train = row.train_noise_factor === null ? "" : `-train${row.train_noise_factor}`;
  const seed = row.seed === null ? "" : `-s${row.seed}`;
  return `per_image/${row.method}${variant}${train}-test${row.noise_factor}${seed}.json`;
}

/** The fields that name a planned cell's row. */
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
export function describeCell(
  cell: Pick<SweepCell, "method" | "variant" | "trainNoise" | "noise" | "seed">,
): string {
  const variant = cell.variant ? ` (${cell.variant})` : "";
  const trained = cell.trainNoise !== null && cell.trainNoise !== cell.noise
    ? `, trained at ${cell.trainNoise}`
    : "";
  const seed = typeof cell.seed === "number" ? `, seed ${cell.seed}` : "";
  return `${cell.method}${variant} at noise ${cell.noise}${trained}${seed}`;
}
