/**
 * A dropout layer whose masks come from a seed and a step counter, so that a
 * training run is repeatable and a resumed run draws the same masks as an
 * uninterrupted one. TensorFlow.js's own `tf.layers.dropout` draws from
 * `Math.random` unless seeded, and with a seed it repeats one mask forever.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode SeededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of units dropped while training, in [0, 1). */
  rate: number;
  /** Seed of the mask stream. @default 0 */
  seed?: number;
  /** Layer name. */
  name?: string;
}

/**
 * Inverted dropout: while training, y = x · m / (1 − rate) with m ~ Bernoulli(1 − rate)
 * drawn from `(seed, step)`; at inference y = x. `step` advances once per training call;
 * the training loop sets it from the global batch index.
 */
export class SeededDropout extends tf.layers.Layer {
  /** Name under which tfjs serialises the layer. */
  static className = "SeededDropout";
  /** Fraction dropped. */
  readonly rate: number;
  /** Seed of the mask stream. */
  readonly seed: number;
  /** Index of the next mask; set by the training loop. */
  step = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed ?? 0;
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Record<string, unknown>,
  ): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs["training"] || this.rate <= 0) return x.clone();
    return tf.tidy(() => {
      const u = tf.randomUniform(
        x.shape,
        0,
        1,
        "float32",
        this.seed * 1_000_003 + this.step++,
      );
      const mask = tf.cast(tf.greaterEqual(u, this.rate), "float32");
      return tf.mul(x, tf.mul(mask, 1 / (1 - this.rate)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/**
 * Registers {@linkcode SeededDropout} with tfjs's serialisation, so saved models load.
 * Idempotent; called by the model builders and the loader rather than on import.
 */
export function registerSeededDropout(): void {
  tf.serialization.registerClass(SeededDropout);
}

/** Sets the mask step of every {@linkcode SeededDropout} inside `model` (nested models too). */
export function setDropoutStep(model: tf.LayersModel, step: number): void {
  for (const layer of model.layers) {
    if (layer instanceof SeededDropout) layer.step = step;
    else if (layer instanceof tf.LayersModel) setDropoutStep(layer, step);
  }
}
