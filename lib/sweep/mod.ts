/**
 * Sweeps: the plan, its cells, files, shards and the summary over seeds.
 *
 * @module
 */
export { biasCorrectionTable, type BiasTableRow } from "./bias_table.ts";
export { ensureSweep } from "./sweep.ts";
export { noiseFactorTable } from "./noise_factor_table.ts";
export {
  type CurvePoint,
  curveSizes,
  curveSkipped,
  DEFAULT_CURVE_SIZES,
  DEFAULT_CURVE_STEPS,
  type LearningCurve,
  learningCurve,
  type LearningCurveOptions,
} from "./learning_curve.ts";
