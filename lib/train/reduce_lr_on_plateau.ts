/**
 * Keras's ReduceLROnPlateau for TensorFlow.js optimizers, which ship no such callback.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** The learning rate `optimizer` applies next (tfjs keeps it in a protected field). */
export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

/** Sets the rate `optimizer` applies from its next update (SGD caches it: its setter wins). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const opt = optimizer as unknown as { learningRate: number; setLearningRate?(lr: number): void };
  if (opt.setLearningRate) opt.setLearningRate(lr);
  else opt.learningRate = lr;
}

/** The schedule's counters, saved in checkpoints so a resumed run decides as the original. */
export interface ReduceLROnPlateauState {
  /** Best val_loss seen. */
  best: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Epochs of cooldown left. */
  cooldownCounter: number;
}

type Setting = "factor" | "patience" | "minLr" | "minDelta" | "cooldown";

/**
 * Lowers the optimizer's learning rate when val_loss stops improving, as
 * `keras.callbacks.ReduceLROnPlateau(monitor="val_loss", mode="min")` does. Factor, patience and
 * min_lr are the report's; min_delta and cooldown Keras's defaults.
 */
export class ReduceLROnPlateau {
  /** Multiplier on a plateau, in (0, 1). @default 0.2 */
  readonly factor: number = 0.2;
  /** Epochs without improvement before a reduction. @default 3 */
  readonly patience: number = 3;
  /** Floor of the rate. @default 1e-4 */
  readonly minLr: number = 1e-4;
  /** An epoch improves only if val_loss < best − minDelta. @default 1e-4 */
  readonly minDelta: number = 1e-4;
  /** Epochs after a reduction before plateau epochs count again, Keras's way. @default 0 */
  readonly cooldown: number = 0;
  /** The counters; a checkpoint saves them as JSON and restores them. */
  state: ReduceLROnPlateauState = { best: Infinity, wait: 0, cooldownCounter: 0 };

  constructor(options: Partial<Pick<ReduceLROnPlateau, Setting>> = {}) {
    Object.assign(this, options);
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new RangeError(`ReduceLROnPlateau factor must be in (0, 1), got ${this.factor}`);
    }
  }

  /** Feeds one epoch's val_loss; returns the new rate when it was reduced. */
  onEpochEnd(valLoss: number, optimizer: tf.Optimizer): number | undefined {
    const s = this.state;
    if (s.cooldownCounter > 0) {
      s.cooldownCounter--;
      s.wait = 0;
    }
    if (valLoss < s.best - this.minDelta) {
      s.best = valLoss;
      s.wait = 0;
      return undefined;
    }
    // Keras asks in_cooldown() again after the decrement: the epoch that ends it counts.
    if (s.cooldownCounter > 0 || ++s.wait < this.patience) return undefined;
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

/** How many times a history's learning rate dropped (epochs with a rate below the previous). */
export function countLrDrops(history: readonly { lr: number }[]): number {
  return history.filter((h, i) => i > 0 && h.lr < history[i - 1].lr).length;
}
