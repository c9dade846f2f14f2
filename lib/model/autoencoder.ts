/**
 * The convolutional denoising autoencoder, as pure builder functions: the layers the report
 * names, with the sizes it does not give (32/64 filters, 3×3 kernels, stride 2) taken from the
 * Keras example in Atienza, *Advanced Deep Learning with Keras*, ch. 3 (see lib/claims/provenance.ts).
 *
 * Encoder: [n, 28, 28, 1] → Conv2D 32 s2 → Conv2D 64 s2 → Flatten → Dense `latentDim`.
 * Decoder: Dense 7·7·64 → Reshape → Conv2DTranspose 64 s2 → Dropout → Conv2DTranspose 32 s2
 * → Conv2DTranspose 1 (sigmoid). Every conv is 3×3, "same" padding, ReLU unless noted.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { registerSeededDropout, SeededDropout } from "./seeded_dropout.ts";

/** Options of {@linkcode buildAutoencoder}. */
export interface AutoencoderOptions {
  /** Size of the latent code. @default 16 */
  latentDim?: number;
  /** Filters of the two encoder convolutions (mirrored by the decoder). @default [32, 64] */
  filters?: [number, number];
  /** Dropout rate after the first transposed convolution; 0 removes the layer. @default 0.2 */
  dropout?: number;
  /** Image height and width; must be divisible by 4. @default 28 */
  imageSize?: number;
  /** Seed of weight initialisation and dropout masks. @default 0 */
  seed?: number;
}

/** The encoder, decoder and the autoencoder that composes them (weights are shared). */
export interface Autoencoder {
  /** [n, s, s, 1] in [0, 1] → [n, latentDim]. */
  encoder: tf.LayersModel;
  /** [n, latentDim] → [n, s, s, 1] in [0, 1]. */
  decoder: tf.LayersModel;
  /** [n, s, s, 1] → [n, s, s, 1]; `decoder(encoder(x))`. */
  autoencoder: tf.LayersModel;
}

/** Default latent size, the report's «latent_dim» of 16. */
export const DEFAULT_LATENT_DIM = 16;
/** Default dropout rate, the report's Dropout of 0.2 (its place in the decoder is ours). */
export const DEFAULT_DROPOUT = 0.2;

/**
 * Builds the autoencoder (the project's reading of the report's, see the module doc). Pure: each call returns new, independently
 * initialised models (178,001 parameters at the defaults). The caller disposes them.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder } from "./autoencoder.ts";
 * const { autoencoder } = buildAutoencoder();
 * assert(autoencoder.countParams() === 178_001);
 * autoencoder.dispose();
 * ```
 */
export function buildAutoencoder(options: AutoencoderOptions = {}): Autoencoder {
  const {
    latentDim = DEFAULT_LATENT_DIM,
    filters = [32, 64],
    dropout = DEFAULT_DROPOUT,
    imageSize = 28,
    seed = 0,
  } = options;
  if (imageSize % 4 !== 0) {
    throw new RangeError(`imageSize must be divisible by 4, got ${imageSize}`);
  }
  registerSeededDropout();
  const [f1, f2] = filters;
  const s4 = imageSize / 4;
  let k = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 101 + k++ });
  const conv = { kernelSize: 3, padding: "same" as const, activation: "relu" as const };

  const encoder = tf.sequential({ name: "encoder" });
  encoder.add(tf.layers.conv2d({
    ...conv,
    name: "enc_conv1",
    inputShape: [imageSize, imageSize, 1],
    filters: f1,
    strides: 2,
    kernelInitializer: init(),
  }));
  encoder.add(tf.layers.conv2d({
    ...conv,
    name: "enc_conv2",
    filters: f2,
    strides: 2,
    kernelInitializer: init(),
  }));
  encoder.add(tf.layers.flatten({ name: "enc_flatten" }));
  encoder.add(tf.layers.dense({
    name: "latent",
    units: latentDim,
    kernelInitializer: init(),
  }));

  const decoder = tf.sequential({ name: "decoder" });
  decoder.add(tf.layers.dense({
    name: "dec_dense",
    inputShape: [latentDim],
    units: s4 * s4 * f2,
    activation: "relu",
    kernelInitializer: init(),
  }));
  decoder.add(tf.layers.reshape({ name: "dec_reshape", targetShape: [s4, s4, f2] }));
  decoder.add(tf.layers.conv2dTranspose({
    ...conv,
    name: "dec_convT1",
    filters: f2,
    strides: 2,
    kernelInitializer: init(),
  }));
  if (dropout > 0) {
    decoder.add(new SeededDropout({ name: "dec_dropout", rate: dropout, seed }));
  }
  decoder.add(tf.layers.conv2dTranspose({
    ...conv,
    name: "dec_convT2",
    filters: f1,
    strides: 2,
    kernelInitializer: init(),
  }));
  decoder.add(tf.layers.conv2dTranspose({
    ...conv,
    name: "dec_output",
    filters: 1,
    activation: "sigmoid",
    kernelInitializer: init(),
  }));

  const autoencoder = tf.sequential({ name: "autoencoder" });
  autoencoder.add(encoder);
  autoencoder.add(decoder);
  return { encoder, decoder, autoencoder };
}

/** One row of {@linkcode layerTable}. */
export interface LayerRow {
  /** Owning sub-model ("encoder" or "decoder"). */
  model: string;
  /** Layer name. */
  layer: string;
  /** Layer class. */
  type: string;
  /** Output shape without the batch dimension, e.g. "14×14×32". */
  output: string;
  /** Values per image the layer outputs: the product of `output`'s sides. */
  values: number;
  /** Trainable and non-trainable parameters. */
  params: number;
}

/**
 * The layers of a composed model as table rows (nested models expanded), for
 * the architecture table in the notebooks.
 */
export function layerTable(model: tf.LayersModel): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) {
      for (const r of layerTable(layer)) rows.push({ ...r, model: layer.name });
      continue;
    }
    const shape = layer.outputShape as (number | null)[];
    rows.push({
      model: model.name,
      layer: layer.name,
      type: layer.getClassName(),
      output: shape.slice(1).join("×"),
      values: (shape.slice(1) as number[]).reduce((a, b) => a * b, 1),
      params: layer.countParams(),
    });
  }
  return rows;
}
