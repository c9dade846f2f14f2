/**
 * Evaluation: metrics, the latent codes' PCA, and the classical-filter control of notebook 4.
 *
 * @module
 */
export { encodeImages, latentScatter, latentSweep, pca, project } from "./latent.ts";
export { classMse, mse, msePerImage } from "./metrics.ts";
export {
  bestClassicalDenoiser,
  classAverages,
  typicality,
  typicalityControl,
} from "./typicality_control.ts";
