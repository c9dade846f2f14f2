/**
 * Runs: a run's settings, its identity by content, one writer per run, atomic files, reading runs back.
 *
 * @module
 */
export { ensureRun } from "./experiment.ts";
export { buildModel, denoisingMetrics, prepareData } from "./experiment_data.ts";
export { findFullProtocolRun, loadRunModel, predictWithRun } from "./run_folder.ts";
