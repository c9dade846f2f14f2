/**
 * Models: the report's convolutional autoencoder, the DnCNN rival, seeded dropout, saving and loading, prediction.
 *
 * @module
 */
export { layerTable } from "./autoencoder.ts";
export { denseComparison, representationFlow } from "./layer_flow.ts";
