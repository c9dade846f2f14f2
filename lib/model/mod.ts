/**
 * Models: the report's convolutional autoencoder, the DnCNN rival, seeded dropout, saving and loading, prediction.
 *
 * @module
 */
export { denseComparison, layerTable, representationFlow } from "./autoencoder.ts";
