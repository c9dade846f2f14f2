/**
 * The one training loop: the commands, the notebooks, the sweep and the bench all train
 * through {@linkcode trainDenoiser}. Per epoch: a seeded shuffle, batches through
 * {@linkcode trainBatch}, val_loss, the learning-rate schedule, a checkpoint, then a record of
 * the report's progress feed (when it is set: see log.ts). A run stopped at any point resumes
 * from its last checkpoint and ends as if it had never stopped.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Images, predictImages, take, toTensor } from "../data/images.ts";
import { mse } from "../eval/metrics.ts";
import { permutation } from "../data/random.ts";
import { setDropoutStep } from "../model/seeded_dropout.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { appendProgress } from "./log.ts";
import {
  getLearningRate,
  ReduceLROnPlateau,
  type ReduceLROnPlateauState,
  setLearningRate,
} from "./reduce_lr_on_plateau.ts";
import { trainBatch } from "./train_step.ts";

/** Noisy inputs and clean targets, `[n, h, w, 1]` in [0, 1]; a pair has equal counts. */
export interface TrainData {
  input: Images;
  target: Images;
  valInput: Images;
  valTarget: Images;
}

/** One epoch, as stored in `history.json`. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  /** Mean training batch MSE (dropout on). */
  loss: number;
  /** Validation MSE after the epoch (dropout off). */
  val_loss: number;
  /** Learning rate during the epoch. */
  lr: number;
  /** Seconds in training batches. */
  seconds: number;
  images_per_second: number;
}

/** What a progress display is told. */
export interface TrainCallbacks {
  /** Before the first epoch to run (`startEpoch` > 0 after a resume). */
  onTrainBegin?(info: { epochs: number; startEpoch: number; batches: number }): void;
  onBatchEnd?(info: { epoch: number; batch: number; batches: number; loss: number }): void;
  /**
   * After each epoch, with the whole history so far and the seconds left: wall-clock seconds
   * per epoch run so far (validation included) times the epochs left.
   */
  onEpochEnd?(log: EpochLog, history: readonly EpochLog[], epochs: number, eta: number): void;
}

/** Adam's initial rate: the report names no rate, so Keras's default, as Atienza's example. */
export const DEFAULT_LEARNING_RATE = 1e-3;

/** Options of {@linkcode trainDenoiser}. */
export interface TrainOptions {
  /** Epochs in all, those before a resume included. @default DEFAULT_CONFIG.epochs */
  epochs?: number;
  /** @default DEFAULT_CONFIG.batch */
  batchSize?: number;
  /** Seed of the shuffles. @default 0 */
  seed?: number;
  /** The schedule; `null` keeps the rate fixed. @default new ReduceLROnPlateau() */
  schedule?: ReduceLROnPlateau | null;
  /** @default [] */
  callbacks?: TrainCallbacks[];
  /** Folder of a checkpoint after every epoch; one already there is resumed. @default none */
  checkpointDir?: string;
  /** Aborting it stops training after the current batch. @default undefined */
  signal?: AbortSignal;
}

/** Training produced a NaN or infinite loss; the last good checkpoint is kept. */
export class DivergedError extends Error {
  override name = "DivergedError";
}

interface LoopState {
  epoch: number;
  history: EpochLog[];
  lr: number;
  schedule: ReduceLROnPlateauState | null;
}

/**
 * Trains `model` in place to map `data.input` to `data.target` with Adam and MSE, as the report
 * did. The caller owns and disposes the model. `status` is "interrupted" when `signal` stopped
 * it; `history` holds every epoch, those before a resume too.
 *
 * @throws {DivergedError} On a NaN or infinite loss.
 */
export async function trainDenoiser(
  model: tf.LayersModel,
  data: TrainData,
  options: TrainOptions = {},
): Promise<{ history: EpochLog[]; status: "completed" | "interrupted" }> {
  const {
    epochs = DEFAULT_CONFIG.epochs,
    batchSize = DEFAULT_CONFIG.batch,
    seed = 0,
    schedule = new ReduceLROnPlateau(),
    callbacks = [],
    checkpointDir,
    signal,
  } = options;
  const n = data.input.count;
  const batches = Math.ceil(n / batchSize);
  const optimizer = tf.train.adam(DEFAULT_LEARNING_RATE);
  let state: LoopState = { epoch: 0, history: [], lr: DEFAULT_LEARNING_RATE, schedule: null };
  if (checkpointDir) {
    state = await loadCheckpoint<LoopState>(checkpointDir, model, optimizer) ?? state;
  }
  setLearningRate(optimizer, state.lr);
  if (schedule && state.schedule) schedule.state = state.schedule;
  const begin = { epochs, startEpoch: state.epoch, batches };
  appendProgress({ kind: "begin", ...begin });
  for (const c of callbacks) c.onTrainBegin?.(begin);
  const [t0, startEpoch] = [performance.now(), state.epoch];
  try {
    for (let epoch = state.epoch + 1; epoch <= epochs; epoch++) {
      const lr = getLearningRate(optimizer);
      const order = permutation(n, seed * 7919 + epoch);
      let [lossSum, seconds] = [0, 0];
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) break;
        const idx = order.subarray(b * batchSize, (b + 1) * batchSize);
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
        for (const c of callbacks) c.onBatchEnd?.({ epoch, batch: b + 1, batches, loss });
        // Let signal handlers and live displays (Jupyter messages) run between batches.
        await new Promise((r) => setTimeout(r, 0));
      }
      if (signal?.aborted) break;
      const valLoss = mse(data.valTarget, await predictImages(model, data.valInput));
      const log: EpochLog = {
        epoch,
        loss: lossSum / n,
        val_loss: valLoss,
        lr,
        seconds,
        images_per_second: n / seconds,
      };
      schedule?.onEpochEnd(valLoss, optimizer);
      const history = [...state.history, log];
      state = { epoch, history, lr: getLearningRate(optimizer), schedule: schedule?.state ?? null };
      if (checkpointDir) await saveCheckpoint(checkpointDir, model, optimizer, state);
      const eta = (performance.now() - t0) / 1000 / (epoch - startEpoch) * (epochs - epoch);
      appendProgress({ kind: "epoch", ...log, epochs, eta });
      for (const c of callbacks) c.onEpochEnd?.(log, state.history, epochs, eta);
    }
  } finally {
    optimizer.dispose();
  }
  const status = state.epoch < epochs ? "interrupted" : "completed";
  return { history: state.history, status };
}
