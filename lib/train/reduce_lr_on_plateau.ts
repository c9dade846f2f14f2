/**
 * Keras's ReduceLROnPlateau for TensorFlow.js optimizers, which ship no such callback.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** The learning rate `optimizer` applies on its next update (tfjs keeps it in a protected field). */
export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

/**
 * Sets the learning rate `optimizer` applies from its next update on. Adam and RMSProp
 * read their `learningRate` field at each update; SGD and Momentum cache it in a
 * scalar that only their `setLearningRate` refreshes, so that method wins when present.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const opt = optimizer as unknown as { learningRate: number; setLearningRate?(lr: number): void };
  if (typeof opt.setLearningRate === "function") opt.setLearningRate(lr);
  else opt.learningRate = lr;
}

/**
 * Options of {@linkcode ReduceLROnPlateau}; factor, patience and min_lr are the report's,
 * min_delta and cooldown Keras's defaults (the report does not give them).
 */
export interface ReduceLROnPlateauOptions {
  /** Multiplier applied to the learning rate on a plateau. @default 0.2 */
  factor?: number;
  /** Epochs without improvement before a reduction. @default 3 */
  patience?: number;
  /** Lower bound of the learning rate. @default 1e-4 */
  minLr?: number;
  /** An epoch improves only if val_loss < best − minDelta (Keras's default). @default 1e-4 */
  minDelta?: number;
  /**
   * Cooldown after a reduction, Keras's way: the counter is decremented at the start of
   * each later epoch and plateau epochs count again once it reaches 0, so a cooldown of c
   * ignores the c − 1 epochs after a reduction (with patience 1 and cooldown 2, a lasting
   * plateau drops the rate every second epoch). @default 0
   */
  cooldown?: number;
}

/** The schedule's counters, saved in checkpoints so a resumed run decides as the original would. */
export interface ReduceLROnPlateauState {
  /** Best monitored value seen. */
  best: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Epochs of cooldown left. */
  cooldownCounter: number;
}

/**
 * Lowers the optimizer's learning rate when val_loss stops improving, with the
 * semantics of `keras.callbacks.ReduceLROnPlateau(monitor="val_loss", mode="min")`.
 * The new rate goes through {@linkcode setLearningRate}, so the optimizer applies it.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import * as tf from "@tensorflow/tfjs";
 * import { getLearningRate, ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
 * const optimizer = tf.train.adam(1e-3);
 * const schedule = new ReduceLROnPlateau({ patience: 1 });
 * schedule.onEpochEnd(1.0, optimizer);
 * schedule.onEpochEnd(1.0, optimizer); // no improvement for 1 epoch: 1e-3 → 2e-4
 * assert(Math.abs(getLearningRate(optimizer) - 2e-4) < 1e-12);
 * ```
 */
export class ReduceLROnPlateau {
  /** Multiplier on a plateau. */
  readonly factor: number;
  /** Epochs without improvement before a reduction. */
  readonly patience: number;
  /** Floor of the learning rate. */
  readonly minLr: number;
  /** Required improvement. */
  readonly minDelta: number;
  /** Cooldown epochs after a reduction. */
  readonly cooldown: number;
  #state: ReduceLROnPlateauState = { best: Infinity, wait: 0, cooldownCounter: 0 };

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const { factor = 0.2, patience = 3, minLr = 1e-4, minDelta = 1e-4, cooldown = 0 } = options;
    if (!(factor > 0 && factor < 1)) {
      throw new RangeError(`ReduceLROnPlateau factor must be in (0, 1), got ${factor}`);
    }
    this.factor = factor;
    this.patience = patience;
    this.minLr = minLr;
    this.minDelta = minDelta;
    this.cooldown = cooldown;
  }

  /** A copy of the counters, for checkpoints. */
  get state(): ReduceLROnPlateauState {
    return { ...this.#state };
  }

  /** Restores counters saved by {@linkcode state}. */
  set state(state: ReduceLROnPlateauState) {
    this.#state = { ...state };
  }

  /**
   * Feeds one epoch's val_loss. Returns the new learning rate when it was reduced,
   * otherwise `undefined`.
   */
  onEpochEnd(valLoss: number, optimizer: tf.Optimizer): number | undefined {
    const s = this.#state;
    if (s.cooldownCounter > 0) {
      s.cooldownCounter--;
      s.wait = 0;
    }
    if (valLoss < s.best - this.minDelta) {
      s.best = valLoss;
      s.wait = 0;
      return undefined;
    }
    // Keras asks in_cooldown() again here, after the decrement: the epoch that brings the
    // counter to 0 already counts as a plateau epoch.
    if (s.cooldownCounter > 0) return undefined;
    s.wait++;
    if (s.wait < this.patience) return undefined;
    // Keras compares float32 values, so a rate already at the floor stays put.
    const old = getLearningRate(optimizer);
    if (!(Math.fround(old) > Math.fround(this.minLr))) return undefined;
    const lr = Math.max(old * this.factor, this.minLr);
    setLearningRate(optimizer, lr);
    s.cooldownCounter = this.cooldown;
    s.wait = 0;
    return lr;
  }
}

/**
 * How many times a schedule lowered the learning rate during a training, from its history
 * (each epoch's rate): the epochs whose rate is below the previous epoch's. A reduction after
 * the last epoch changes no weight and is not counted.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { countLrDrops } from "./reduce_lr_on_plateau.ts";
 * assert(countLrDrops([{ lr: 1e-3 }, { lr: 2e-4 }, { lr: 2e-4 }, { lr: 1e-4 }]) === 2);
 * ```
 */
export function countLrDrops(history: readonly { lr: number }[]): number {
  let drops = 0;
  for (let i = 1; i < history.length; i++) if (history[i].lr < history[i - 1].lr) drops++;
  return drops;
}
