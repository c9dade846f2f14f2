/**
 * Sweeps: the plan, its cells, files, shards and the summary over seeds.
 *
 * @module
 */
export { biasCorrectionTable } from "./bias_table.ts";
export { ensureSweep } from "./sweep.ts";
export { noiseFactorTable } from "./noise_factor_table.ts";
export { curveSizes, curveSkipped, type LearningCurve, learningCurve } from "./learning_curve.ts";
