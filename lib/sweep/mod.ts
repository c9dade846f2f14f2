/**
 * Sweeps: the plan, its cells, files, shards and the summary over seeds.
 *
 * @module
 */
export { biasCorrectionTable, type BiasTableRow } from "./bias_table.ts";
export { ensureSweep } from "./sweep.ts";
