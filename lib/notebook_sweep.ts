/**
 * The sweeps of notebooks 5 and 6 from a notebook's settings: the lighter profile every
 * sweep model trains on, notebook 5's noise factors and notebook 6's sweep of every method.
 *
 * @module
 */
import type { ExperimentConfig } from "./runs/config.ts";
import {
  NOTEBOOK_SWEEP_NOISE,
  parseNoiseFactors,
  type SweepMethod,
  sweepSettings,
} from "./sweep/plan.ts";
import { defaultSweepName, sweepPlan } from "./sweep/identity.ts";
import type { SweepOptions } from "./sweep/sweep.ts";
import type { NotebookSettings } from "./notebook.ts";

/** Epochs of each learned model of the notebooks' sweeps, unless `sweepEpochs`. */
export const NOTEBOOK_SWEEP_EPOCHS = 5;
/** Training images of each model of the notebooks' sweeps (at most `config.train`), unless `sweepTrain`. */
export const NOTEBOOK_SWEEP_TRAIN = 3000;
/** Test images of the notebooks' sweeps: a seeded subset of `config.test`, BM3D included. */
const NOTEBOOK_SWEEP_TEST = 1000;
/** Noise factors notebook 5 trains a model for, besides the notebook's own factor. */
const NOISE_SWEEP_FACTORS = [0.1, 0.3, 0.5, 0.7];

/**
 * The settings of every model of the notebooks' sweeps (the "sweep profile"): `config` with
 * `epochs` (default {@linkcode NOTEBOOK_SWEEP_EPOCHS}) and `train` training images (default
 * {@linkcode NOTEBOOK_SWEEP_TRAIN}, at most `config.train`), scored on
 * {@linkcode NOTEBOOK_SWEEP_TEST} test images (at most `config.test`). Values are not
 * validated here (see `notebookSettings`).
 */
export function sweepProfile(
  config: ExperimentConfig,
  sizes: { epochs?: number; train?: number } = {},
): ExperimentConfig {
  return {
    ...config,
    epochs: sizes.epochs ?? NOTEBOOK_SWEEP_EPOCHS,
    train: sizes.train ?? Math.min(config.train, NOTEBOOK_SWEEP_TRAIN),
    test: Math.min(config.test, NOTEBOOK_SWEEP_TEST),
  };
}

/**
 * The sweep a notebook reads or runs: `ensureSweep`'s options with its name, `jobs`
 * (the notebook's), noise factors (validated, sorted) and base `config` (the sweep profile).
 */
export type NotebookSweep =
  & Required<Pick<SweepOptions, "name" | "jobs" | "noise">>
  & Pick<SweepOptions, "methods" | "ablations" | "referenceNoise">
  & { config: ExperimentConfig };

/**
 * Notebook 5's sweep: the autoencoder trained at each of {@linkcode NOISE_SWEEP_FACTORS} and
 * the configured factor, each tested at every factor, without ablations. Its name starts with
 * `factors-`, so notebook 6's sweep of every method stays its own; both share the trained runs.
 */
export function noiseFactorSweep(settings: NotebookSettings): NotebookSweep {
  const { sweep: config, jobs } = settings;
  const referenceNoise = config.noise;
  const noise = parseNoiseFactors([...NOISE_SWEEP_FACTORS, referenceNoise], config.noiseType);
  const plan = { methods: ["ae"] as SweepMethod[], noise, ablations: false };
  const base = sweepSettings(config, { referenceNoise });
  const name = `factors-${defaultSweepName(base, sweepPlan(plan, config.noiseType))}`;
  return { name, jobs, ...plan, config, referenceNoise };
}

/** Notebook 6's sweep of every method: `sweepName`, else named by its settings. */
export function notebookSweep(settings: NotebookSettings): NotebookSweep {
  const { sweep: config, sweepName, sweepNoise } = settings;
  const noise = parseNoiseFactors(sweepNoise ?? [...NOTEBOOK_SWEEP_NOISE], config.noiseType);
  const name = sweepName ??
    defaultSweepName(sweepSettings(config), sweepPlan({ noise }, config.noiseType));
  return { name, jobs: settings.jobs, noise, config };
}
