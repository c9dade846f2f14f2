/**
 * The denoising-autoencoder experiment library: everything the notebooks and the command
 * line share. This file only re-exports.
 *
 * @module
 */
export * from "./atomic.ts";
export * from "./backend.ts";
export * from "./checkpoint.ts";
export * from "./config.ts";
export * from "./data.ts";
export * from "./dncnn.ts";
export * from "./errors.ts";
export * from "./experiment.ts";
export * from "./figures.ts";
export * from "./gaussian_blur.ts";
export * from "./identity.ts";
export * from "./idx.ts";
export * from "./images.ts";
export * from "./lock.ts";
export * from "./median_filter.ts";
export * from "./metrics.ts";
export * from "./model.ts";
export * from "./model_io.ts";
export * from "./noise.ts";
export * from "./notebook.ts";
export * from "./non_local_means.ts";
export * from "./predict.ts";
export * from "./progress.ts";
export * from "./random.ts";
export * from "./reduce_lr_on_plateau.ts";
export * from "./seeded_dropout.ts";
export * from "./sweep.ts";
export * from "./train.ts";
export * from "./train_step.ts";
export * from "./tune.ts";
