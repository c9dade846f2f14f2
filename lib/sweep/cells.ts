/**
 * A sweep's cells, which of them are the claims' arms (several seeds), and their keys.
 *
 * @module
 */
import {
  ABLATIONS,
  isCorrected,
  LEARNED_METHODS,
  SCHEDULE_VARIANTS,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepRow,
  type SweepSettings,
} from "./plan.ts";
import { type ExperimentConfig, validateConfig } from "../runs/config.ts";
import type { SweepPlan } from "./identity.ts";

/** Seeds of the claims' arms when no seed list is given, consecutive from the sweep's seed. */
export const DEFAULT_CLAIM_SEEDS = 3;

/** Variants of the autoencoder at the reference factor that are claims' arms. */
const CLAIM_ARM_VARIANTS: readonly string[] = ["", "dropout 0", ...SCHEDULE_VARIANTS, "latent 64"];

/** One cell to compute: the columns that name its row, and a learned cell's run config. */
export type SweepCell = Pick<SweepRow, (typeof KEY_COLUMNS)[number]> & {
  config?: ExperimentConfig;
};

/** What {@linkcode planCells} plans: a validated {@linkcode SweepPlan} and the backend. */
export type SweepPlanOptions =
  & Omit<SweepPlan, "seeds" | "control">
  & Partial<Pick<SweepPlan, "seeds" | "control">>
  & { backend: ExperimentConfig["backend"] };

/** The seeds a learned cell trains with: `seeds`, else consecutive from the sweep's `seed`. */
export function cellSeeds(
  seed: number,
  seeds: readonly number[] | null | undefined,
  claimArm: boolean,
): number[] {
  if (seeds) return [...seeds];
  return Array.from({ length: claimArm ? DEFAULT_CLAIM_SEEDS : 1 }, (_, i) => seed + i);
}

/** Whether a learned cell is an arm of a claim's primary comparison (docs/results.md). */
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

/** The cells a sweep computes, each once, cheap ones first. */
export function planCells(settings: SweepSettings, options: SweepPlanOptions): SweepCell[] {
  const { noise, methods, ablations, cross, backend, seeds, control = true } = options;
  const cells = new Map<string, SweepCell>();
  const { dataset, noiseType: noise_type, referenceNoise: ref } = settings;
  const add = (cell: Omit<SweepCell, "dataset" | "noise_type">) => {
    const key = cellKey({ dataset, noise_type, ...cell });
    if (!cells.has(key)) cells.set(key, { dataset, noise_type, ...cell });
  };
  const learned = (
    method: SweepMethod,
    variant: string,
    trainNoise: number,
    f: number,
    change: Partial<ExperimentConfig> = {},
  ) => {
    const model = method === "ae" ? "autoencoder" : "dncnn";
    const epochs = SCHEDULE_VARIANTS.includes(variant) ? settings.scheduleEpochs : settings.epochs;
    const changed = { model, noise: trainNoise, backend, epochs, ...change } as const;
    const claimArm = isClaimArm(method, variant, trainNoise, ref);
    for (const seed of cellSeeds(settings.seed, seeds, claimArm)) {
      const config = validateConfig({ ...settings, ...changed, seed });
      add({ method, variant, train_noise_factor: trainNoise, noise_factor: f, seed, config });
    }
  };
  const classical = ["noisy", ...methods.filter((m) => !LEARNED_METHODS.includes(m))];
  for (const f of noise) {
    for (const m of SWEEP_METHODS.filter((m) => classical.includes(m))) {
      const trainNoise = isCorrected(m) ? f : null;
      add({ method: m, variant: "", train_noise_factor: trainNoise, noise_factor: f, seed: null });
    }
  }
  for (const m of LEARNED_METHODS.filter((m) => methods.includes(m))) {
    for (const f of noise) learned(m, "", f, f);
  }
  if (!methods.includes("ae")) return [...cells.values()];
  if (cross) {
    for (const f of noise) learned("ae", "", ref, f);
    // Claim 2's control: the same autoencoder trained on clean inputs (f = 0).
    if (control) { for (const f of noise) learned("ae", "", 0, f); }
  }
  if (ablations) {
    learned("ae", "", ref, ref);
    for (const { variant, change } of ABLATIONS) learned("ae", variant, ref, ref, change);
  }
  return [...cells.values()];
}

/** The columns that tell cells apart, in key (and CSV) order. */
export const KEY_COLUMNS = [
  "dataset",
  "noise_type",
  "method",
  "variant",
  "train_noise_factor",
  "noise_factor",
  "seed",
] as const;

/** The key that identifies a row's cell: its {@linkcode KEY_COLUMNS} (a missing seed is null). */
export function cellKey(
  row: Omit<Pick<SweepRow, (typeof KEY_COLUMNS)[number]>, "seed"> & { seed?: number | null },
): string {
  return JSON.stringify(KEY_COLUMNS.map((c) => row[c] ?? null));
}

/** Where a cell's per-image scores go, relative to the sweep folder. */
export function perImageFile(
  row: Pick<SweepRow, "method" | "variant" | "train_noise_factor" | "noise_factor" | "seed">,
): string {
  const variant = row.variant === "" ? "" : `-${row.variant.replace(/[^\w.]+/g, "_")}`;
  const train = row.train_noise_factor === null ? "" : `-train${row.train_noise_factor}`;
  const seed = row.seed === null ? "" : `-s${row.seed}`;
  return `per_image/${row.method}${variant}${train}-test${row.noise_factor}${seed}.json`;
}

/** A cell in words, for log lines: "ae (latent 2) at noise 0.5". */
export function describeCell(cell: Omit<SweepCell, "dataset" | "noise_type">): string {
  const { train_noise_factor: trained, noise_factor: f } = cell;
  const variant = cell.variant ? ` (${cell.variant})` : "";
  const train = trained !== null && trained !== f ? `, trained at ${trained}` : "";
  const seed = typeof cell.seed === "number" ? `, seed ${cell.seed}` : "";
  return `${cell.method}${variant} at noise ${f}${train}${seed}`;
}
