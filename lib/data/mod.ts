/**
 * Data: MNIST and IDX datasets, image batches, seeded randomness and the noise model.
 *
 * @module
 */
export { classNames, loadDataset } from "./datasets.ts";
export { type Images, pickSamples, take } from "./images.ts";
export { addNoise } from "./noise.ts";
