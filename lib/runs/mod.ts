/**
 * Runs: a run's settings, its identity by content, one writer per run, atomic files, reading runs back.
 *
 * @module
 */
export { buildModel, denoisingMetrics, ensureRun, prepareData } from "./experiment.ts";
export { findFullProtocolRun, loadRunModel, predictWithRun } from "./run_folder.ts";
