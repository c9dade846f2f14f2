/**
 * Classical denoisers behind one interface, and the registry the sweep runs.
 *
 * @module
 */
export { fitAffineCorrection, withBiasCorrection } from "./bias_correction.ts";
export {
  CLASSICAL_METHODS,
  classicalDenoiser,
  type ClassicalMethod,
  type ClassicalOptions,
  type Denoiser,
  DENOISERS,
  type FittedDenoiser,
} from "./registry.ts";
