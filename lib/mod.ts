/**
 * The denoising-autoencoder experiment library. This file only re-exports. Its layers:
 * - `kernels/`: fast WASM/SIMD kernels registered with TensorFlow.js (conv, matmul, sums).
 * - `denoisers/`: classical filters behind one interface and registry (`DENOISERS`).
 * - data, noise, models, training and metrics: `data`, `noise`, `model`, `train`, `metrics`.
 * - conductors: `experiment` (one run; `run_folder` reads runs back), `sweep` (+ `sweep_plan`, `sweep_cells`, `sweep_shard`, `claims`, `claims_summary`),
 *   `notebook`.
 * - `cli/`: the `deno task` commands and their one flag table (`cli/_flag_table.ts`, parsed by `cli/_flags.ts`).
 *
 * @module
 */
export * from "./atomic.ts";
export * from "./backend.ts";
export * from "./checkpoint.ts";
export * from "./claims.ts";
export * from "./claims_summary.ts";
export * from "./config.ts";
export * from "./data.ts";
export * from "./dncnn.ts";
export * from "./errors.ts";
export * from "./experiment.ts";
export * from "./run_folder.ts";
export * from "./figures.ts";
export * from "./denoisers/gaussian_blur.ts";
export * from "./identity.ts";
export * from "./idx.ts";
export * from "./image_grid.ts";
export * from "./images.ts";
export * from "./latent.ts";
export * from "./lock.ts";
export * from "./denoisers/median_filter.ts";
export * from "./metrics.ts";
export * from "./model.ts";
export * from "./model_io.ts";
export * from "./noise.ts";
export * from "./denoisers/non_local_means.ts";
export * from "./notebook.ts";
export * from "./predict.ts";
export * from "./provenance.ts";
export * from "./progress.ts";
export * from "./random.ts";
export * from "./reduce_lr_on_plateau.ts";
export * from "./run_claims.ts";
export * from "./run_io.ts";
export * from "./seeded_dropout.ts";
export * from "./stats.ts";
export * from "./summaries.ts";
export * from "./svg.ts";
export * from "./sweep.ts";
export * from "./sweep_chart.ts";
export * from "./sweep_files.ts";
export * from "./sweep_cells.ts";
export * from "./sweep_plan.ts";
export * from "./sweep_shard.ts";
export * from "./text.ts";
export * from "./train.ts";
export * from "./train_step.ts";
export * from "./typicality_control.ts";
export * from "./denoisers/bm3d.ts";
export * from "./denoisers/registry.ts";
export * from "./denoisers/tune.ts";
export * from "./verdict.ts";
