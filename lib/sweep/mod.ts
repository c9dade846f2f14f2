/**
 * Sweeps: the plan, its cells, files, shards and the summary over seeds.
 *
 * @module
 */
export { biasCorrectionTable, noiseFactorTable } from "./tables.ts";
export { ensureSweep } from "./sweep.ts";
export { curveSizes, type LearningCurve, learningCurve } from "./learning_curve.ts";
