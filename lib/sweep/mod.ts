/**
 * Sweeps: the plan, its cells, files, shards and the summary over seeds.
 *
 * @module
 */
export { ensureSweep } from "./sweep.ts";
