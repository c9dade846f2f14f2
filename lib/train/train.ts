/**
 * The training loop: the only one in the project. The command line, the notebooks, the
 * sweep and the benchmark all train through {@linkcode trainDenoiser}.
 *
 * Per epoch: a seeded shuffle, batches through {@linkcode trainBatch}, val_loss on the
 * validation pair, the learning-rate schedule, then a checkpoint. A run stopped at any
 * point resumes from its last checkpoint and ends as if it had never stopped.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Images } from "../data/images.ts";
import { take, toTensor } from "../data/images.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { sliceImages } from "../model/predict.ts";
import { permutation } from "../data/random.ts";
import {
  getLearningRate,
  ReduceLROnPlateau,
  type ReduceLROnPlateauState,
  setLearningRate,
} from "./reduce_lr_on_plateau.ts";
import { setDropoutStep } from "../model/seeded_dropout.ts";
import { mseLoss, trainBatch } from "./train_step.ts";

/** Inputs and targets, all `[n, h, w, 1]` in [0, 1]; a pair must have equal counts. */
export interface TrainData {
  /** Noisy training images. */
  input: Images;
  /** Clean training images. */
  target: Images;
  /** Noisy validation images. */
  valInput: Images;
  /** Clean validation images. */
  valTarget: Images;
}

/** One epoch's record, as stored in `history.json`. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training batch loss (MSE, dropout on). */
  loss: number;
  /** Validation MSE (dropout off), after the epoch. */
  val_loss: number;
  /** Learning rate used during this epoch. */
  lr: number;
  /** Seconds spent in training batches this epoch. */
  seconds: number;
  /** Training images per second this epoch. */
  images_per_second: number;
}

/** What a progress display is told. */
export interface TrainCallbacks {
  /** Before the first epoch to run (`startEpoch` > 0 after a resume). */
  onTrainBegin?(info: { epochs: number; startEpoch: number; batches: number }): void;
  /** After each batch. */
  onBatchEnd?(info: { epoch: number; batch: number; batches: number; loss: number }): void;
  /** After each epoch, with the whole history so far. */
  onEpochEnd?(log: EpochLog, history: readonly EpochLog[], epochs: number): void;
}

/**
 * Adam's initial learning rate: the report names Adam but no rate, so Keras's default
 * (`Adam(learning_rate=0.001)`), which Atienza's example uses too.
 */
export const DEFAULT_LEARNING_RATE = 1e-3;

/** Options of {@linkcode trainDenoiser}; defaults are the report's where it gives them. */
export interface TrainOptions {
  /** Epochs in all (including any already done before a resume). @default DEFAULT_CONFIG.epochs (15) */
  epochs?: number;
  /** Images per batch (Keras's default). @default 32 */
  batchSize?: number;
  /** Seed of the shuffles and dropout masks. @default 0 */
  seed?: number;
  /** Adam's initial learning rate. @default DEFAULT_LEARNING_RATE (1e-3) */
  learningRate?: number;
  /** Learning-rate schedule; `null` keeps the rate fixed. @default new ReduceLROnPlateau() */
  schedule?: ReduceLROnPlateau | null;
  /** Progress displays. @default [] */
  callbacks?: TrainCallbacks[];
  /** Folder for a checkpoint after every epoch; none when undefined. @default undefined */
  checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir` when there is one. @default false */
  resume?: boolean;
  /** Aborting it stops training after the current batch. @default undefined */
  signal?: AbortSignal;
}

/** Outcome of {@linkcode trainDenoiser}. */
export interface TrainResult {
  /** Every epoch, including those before a resume. */
  history: EpochLog[];
  /** "completed", or "interrupted" when `signal` stopped it (the last checkpoint is kept). */
  status: "completed" | "interrupted";
  /** Seconds in training batches, over all epochs (before a resume too). */
  trainSeconds: number;
  /** Training images per second over all epochs. */
  imagesPerSecond: number;
}

/** Training produced a NaN or infinite loss; the last good checkpoint is kept. */
export class DivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DivergedError";
  }
}

interface LoopState {
  epoch: number;
  history: EpochLog[];
  lr: number;
  schedule: ReduceLROnPlateauState | null;
}

/**
 * One epoch's training batches in the order `order` (stops early when `signal` aborts):
 * the summed loss, the images trained and the seconds in training batches. Throws
 * {@linkcode DivergedError} on a NaN or infinite loss.
 */
async function trainEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainData,
  order: Int32Array,
  options: { epoch: number; batchSize: number; callbacks: TrainCallbacks[]; signal?: AbortSignal },
): Promise<{ lossSum: number; done: number; seconds: number }> {
  const { epoch, batchSize, callbacks, signal } = options;
  const n = order.length;
  const batches = Math.ceil(n / batchSize);
  let lossSum = 0;
  let seconds = 0;
  let done = 0;
  for (let b = 0; b < batches; b++) {
    if (signal?.aborted) break;
    const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
    const x = toTensor(take(data.input, idx));
    const y = toTensor(take(data.target, idx));
    setDropoutStep(model, (epoch - 1) * batches + b);
    const t0 = performance.now();
    const loss = trainBatch(model, optimizer, x, y);
    seconds += (performance.now() - t0) / 1000;
    tf.dispose([x, y]);
    if (!Number.isFinite(loss)) {
      throw new DivergedError(
        `loss became ${loss} at epoch ${epoch}, batch ${b + 1}; ` +
          `the last good checkpoint is kept (try a lower learning rate)`,
      );
    }
    lossSum += loss * idx.length;
    done += idx.length;
    for (const c of callbacks) c.onBatchEnd?.({ epoch, batch: b + 1, batches, loss });
    // Let signal handlers and live displays (Jupyter messages) run between batches.
    await new Promise((r) => setTimeout(r, 0));
  }
  return { lossSum, done, seconds };
}

/**
 * Trains `model` to map `data.input` to `data.target` with Adam and MSE, as the report did.
 * The model's weights are updated in place; the caller owns and disposes the model.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder } from "../model/autoencoder.ts";
 * import { trainDenoiser } from "./train.ts";
 * const { autoencoder } = buildAutoencoder();
 * const x = { data: new Float32Array(8 * 784).fill(0.5), count: 8, height: 28, width: 28 };
 * const r = await trainDenoiser(autoencoder, { input: x, target: x, valInput: x, valTarget: x }, {
 *   epochs: 1, batchSize: 8,
 * });
 * assert(r.history.length === 1);
 * autoencoder.dispose();
 * ```
 */
export async function trainDenoiser(
  model: tf.LayersModel,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const {
    epochs = DEFAULT_CONFIG.epochs,
    batchSize = DEFAULT_CONFIG.batch,
    seed = 0,
    learningRate = DEFAULT_LEARNING_RATE,
    callbacks = [],
    checkpointDir,
    resume = false,
    signal,
  } = options;
  const schedule = options.schedule === undefined ? new ReduceLROnPlateau() : options.schedule;
  const n = data.input.count;
  if (data.target.count !== n || data.valTarget.count !== data.valInput.count) {
    throw new RangeError("inputs and targets must have equal counts");
  }
  const batches = Math.ceil(n / batchSize);
  const optimizer = tf.train.adam(learningRate);
  let state: LoopState = { epoch: 0, history: [], lr: learningRate, schedule: null };
  if (resume && checkpointDir) {
    const saved = await loadCheckpoint<LoopState>(checkpointDir, model, optimizer);
    if (saved) state = saved;
  }
  setLearningRate(optimizer, state.lr);
  if (schedule && state.schedule) schedule.state = state.schedule;
  for (const c of callbacks) c.onTrainBegin?.({ epochs, startEpoch: state.epoch, batches });

  let status: TrainResult["status"] = "completed";
  try {
    for (let epoch = state.epoch + 1; epoch <= epochs; epoch++) {
      const lr = getLearningRate(optimizer);
      const order = permutation(n, seed * 7919 + epoch);
      const { lossSum, done, seconds } = await trainEpoch(model, optimizer, data, order, {
        epoch,
        batchSize,
        callbacks,
        signal,
      });
      if (signal?.aborted) {
        status = "interrupted";
        break;
      }
      const valLoss = await evaluateLoss(model, data.valInput, data.valTarget, 256);
      const log: EpochLog = {
        epoch,
        loss: lossSum / done,
        val_loss: valLoss,
        lr,
        seconds,
        images_per_second: done / seconds,
      };
      schedule?.onEpochEnd(valLoss, optimizer);
      state = {
        epoch,
        history: [...state.history, log],
        lr: getLearningRate(optimizer),
        schedule: schedule?.state ?? null,
      };
      if (checkpointDir) await saveCheckpoint(checkpointDir, model, optimizer, state);
      for (const c of callbacks) c.onEpochEnd?.(log, state.history, epochs);
    }
  } finally {
    optimizer.dispose();
  }
  const trainSeconds = state.history.reduce((s, h) => s + h.seconds, 0);
  const images = state.history.length * n;
  return {
    history: state.history,
    status,
    trainSeconds,
    imagesPerSecond: trainSeconds > 0 ? images / trainSeconds : 0,
  };
}

/**
 * Mean squared error of `model(input)` against `target` over all pixels, in inference mode.
 */
export async function evaluateLoss(
  model: tf.LayersModel,
  input: Images,
  target: Images,
  batchSize = 256,
): Promise<number> {
  let sum = 0;
  for (let start = 0; start < input.count; start += batchSize) {
    const end = Math.min(input.count, start + batchSize);
    const s = tf.tidy(() => {
      const y = model.predict(toTensor(sliceImages(input, start, end))) as tf.Tensor;
      return tf.mul(mseLoss(toTensor(sliceImages(target, start, end)), y), end - start);
    });
    sum += (await s.data())[0];
    s.dispose();
  }
  return sum / input.count;
}
