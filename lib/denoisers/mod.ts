/**
 * Classical denoisers behind one interface, and the registry the sweep runs.
 *
 * @module
 */
export {
  CLASSICAL_METHODS,
  type ClassicalMethod,
  type Denoiser,
  DENOISERS,
  type FittedDenoiser,
} from "./registry.ts";
