/**
 * The report's convolutional denoising autoencoder, with the sizes it does not give (32/64
 * filters, 3×3 kernels, stride 2) from Atienza's Keras example (see docs/model.md).
 *
 * Encoder: [n, s, s, 1] → Conv2D 32 s2 → Conv2D 64 s2 → Flatten → Dense `latentDim`.
 * Decoder: Dense (s/4)²·64 → Reshape → Conv2DTranspose 64 s2 → Dropout → Conv2DTranspose 32 s2
 * → Conv2DTranspose 1 (sigmoid). Every conv is 3×3, "same" padding, ReLU unless noted.
 *
 * Also its layers as a table, and what they say of sizes through the network (notebook 2).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { registerSeededDropout, SeededDropout } from "./seeded_dropout.ts";

/** Options of {@linkcode buildAutoencoder}. */
export interface AutoencoderOptions {
  /** Size of the latent code (the report's latent_dim). @default 16 */
  latentDim?: number;
  /** Dropout rate after the first transposed convolution; 0 removes the layer. @default 0.2 */
  dropout?: number;
  /** Image height and width, divisible by 4 (the run's loader checks). @default 28 */
  imageSize?: number;
  /** Seed of the weight initialisation and dropout masks. @default 0 */
  seed?: number;
}

/**
 * Builds new, independently initialised models (178,001 parameters at the defaults); the
 * autoencoder is `decoder(encoder(x))` and shares their weights. The caller disposes them.
 * The encoder maps [n, s, s, 1] in [0, 1] to [n, latentDim]; the decoder maps back, in [0, 1].
 */
export function buildAutoencoder(options: AutoencoderOptions = {}): {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  autoencoder: tf.LayersModel;
} {
  const { latentDim = 16, dropout = 0.2, imageSize = 28, seed = 0 } = options;
  registerSeededDropout();
  const s4 = imageSize / 4;
  let k = 0;
  const init = () => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + k++ }),
  });
  const conv = (name: string, filters: number, strides: number, extra = {}) => ({
    name,
    filters,
    strides,
    kernelSize: 3,
    padding: "same" as const,
    activation: "relu" as const,
    ...init(),
    ...extra,
  });
  const encoder = tf.sequential({ name: "encoder" });
  encoder.add(
    tf.layers.conv2d(conv("enc_conv1", 32, 2, { inputShape: [imageSize, imageSize, 1] })),
  );
  encoder.add(tf.layers.conv2d(conv("enc_conv2", 64, 2)));
  encoder.add(tf.layers.flatten({ name: "enc_flatten" }));
  encoder.add(tf.layers.dense({ name: "latent", units: latentDim, ...init() }));

  const decoder = tf.sequential({ name: "decoder" });
  decoder.add(tf.layers.dense({
    name: "dec_dense",
    inputShape: [latentDim],
    units: s4 * s4 * 64,
    activation: "relu",
    ...init(),
  }));
  decoder.add(tf.layers.reshape({ name: "dec_reshape", targetShape: [s4, s4, 64] }));
  decoder.add(tf.layers.conv2dTranspose(conv("dec_convT1", 64, 2)));
  if (dropout > 0) decoder.add(new SeededDropout({ name: "dec_dropout", rate: dropout, seed }));
  decoder.add(tf.layers.conv2dTranspose(conv("dec_convT2", 32, 2)));
  decoder.add(tf.layers.conv2dTranspose(conv("dec_output", 1, 1, { activation: "sigmoid" })));

  const autoencoder = tf.sequential({ name: "autoencoder" });
  autoencoder.add(encoder);
  autoencoder.add(decoder);
  return { encoder, decoder, autoencoder };
}

/** One row of {@linkcode layerTable}. */
export interface LayerRow {
  /** Owning sub-model ("encoder" or "decoder"). */
  model: string;
  layer: string;
  /** Layer class. */
  type: string;
  /** Output shape without the batch dimension, e.g. "14×14×32". */
  output: string;
  /** Values per image the layer outputs. */
  values: number;
  params: number;
}

/** The layers of a composed model as table rows, nested models expanded. */
export function layerTable(model: tf.LayersModel): LayerRow[] {
  return model.layers.flatMap((layer): LayerRow[] => {
    if (layer instanceof tf.LayersModel) {
      return layerTable(layer).map((r) => ({ ...r, model: layer.name }));
    }
    const shape = (layer.outputShape as number[]).slice(1);
    return [{
      model: model.name,
      layer: layer.name,
      type: layer.getClassName(),
      output: shape.join("×"),
      values: shape.reduce((a, b) => a * b, 1),
      params: layer.countParams(),
    }];
  });
}

/** Values per image entering each layer: the input's, then each previous layer's output. */
function inputsOf(model: tf.LayersModel, layers: readonly LayerRow[]): number[] {
  const input = (model.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  return [input, ...layers.map((l) => l.values)];
}

/**
 * Each convolution of `model` against a dense layer with the same inputs and outputs: its
 * `layer`, values `in` and `out` per image, its parameters `conv`, and a dense layer's `dense`.
 */
export function denseComparison(model: tf.LayersModel, layers: readonly LayerRow[]) {
  const inputs = inputsOf(model, layers);
  return layers.flatMap((l, i) =>
    l.type.startsWith("Conv")
      ? [{
        layer: l.layer,
        in: inputs[i],
        out: l.values,
        conv: l.params,
        dense: (inputs[i] + 1) * l.values,
      }]
      : []
  );
}

/** The size of the representation through the network: the input, then each conv and dense. */
export function representationFlow(
  model: tf.LayersModel,
  layers: readonly LayerRow[],
): { label: string; value: number }[] {
  return [
    { label: "input", value: inputsOf(model, layers)[0] },
    ...layers.filter((l) => l.type.startsWith("Conv") || l.type === "Dense")
      .map((l) => ({ label: l.layer, value: l.values })),
  ];
}
