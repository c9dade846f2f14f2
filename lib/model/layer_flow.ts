/**
 * How the autoencoder's layers size an image: the values per image through the network, and
 * the weights a dense layer would need in place of each convolution (notebook 2).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { LayerRow } from "./autoencoder.ts";

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
