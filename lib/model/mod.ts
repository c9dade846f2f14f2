/**
 * Models: the report's convolutional autoencoder, the DnCNN rival, seeded dropout, saving and loading.
 *
 * @module
 */
export { denseComparison, layerTable, representationFlow } from "./autoencoder.ts";
