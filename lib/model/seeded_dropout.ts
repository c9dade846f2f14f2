/**
 * Dropout whose masks come from a seed and a step counter, so a run is repeatable and a
 * resumed run draws the masks an uninterrupted one would (`tf.layers.dropout` draws from
 * `Math.random`, or with a seed repeats one mask forever).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Inverted dropout: while training y = x · m / (1 − rate), m ~ Bernoulli(1 − rate) drawn from
 * `(seed, step)`; at inference y = x. The training loop sets `step` ({@linkcode setDropoutStep}).
 */
export class SeededDropout extends tf.layers.Layer {
  static className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  /** Index of the next mask. */
  step = 0;

  /** `rate` in [0, 1); `seed` @default 0. */
  constructor(args: { rate: number; seed?: number; name?: string }) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed ?? 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs["training"] || this.rate <= 0) return x.clone();
    return tf.tidy(() => {
      const u = tf.randomUniform(x.shape, 0, 1, "float32", this.seed * 1_000_003 + this.step++);
      const mask = tf.cast(tf.greaterEqual(u, this.rate), "float32");
      return tf.mul(x, tf.mul(mask, 1 / (1 - this.rate)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Registers {@linkcode SeededDropout} for loading; idempotent, called by builders and loader. */
export function registerSeededDropout(): void {
  tf.serialization.registerClass(SeededDropout);
}

/** Sets the mask step of every {@linkcode SeededDropout} inside `model`, nested models too. */
export function setDropoutStep(model: tf.LayersModel, step: number): void {
  for (const layer of model.layers) {
    if (layer instanceof SeededDropout) layer.step = step;
    else if (layer instanceof tf.LayersModel) setDropoutStep(layer, step);
  }
}
