/**
 * Training checkpoints: model weights, optimizer state (Adam's moments and step count) and
 * any JSON state of the loop, in one folder swapped in atomically, with a SHA-256 over the
 * tensors so a damaged checkpoint is reported rather than loaded.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { replaceDirAtomic } from "../runs/atomic.ts";
import { InputError } from "../errors.ts";
import { sha256Hex } from "../model/model_io.ts";

const STATE_JSON = "checkpoint.json";
const TENSORS_BIN = "tensors.bin";

/** A checkpoint that exists but cannot be trusted. */
export class CheckpointError extends InputError {}

interface CheckpointFile<S> {
  version: 1;
  state: S;
  modelSpecs: tf.io.WeightsManifestEntry[];
  optimizerSpecs: tf.io.WeightsManifestEntry[];
  modelBytes: number;
  sha256: string;
}

/**
 * Writes a checkpoint of `model`, `optimizer` and `state` (any JSON value) to folder `dir`,
 * replacing the previous one only once the new one is complete.
 */
export async function saveCheckpoint<S>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: S,
): Promise<void> {
  const modelTensors = model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor }));
  const optimizerTensors = await optimizer.getWeights();
  const m = await tf.io.encodeWeights(modelTensors);
  const o = await tf.io.encodeWeights(optimizerTensors);
  // The first optimizer weight is a fresh scalar holding the step count; the rest are variables.
  if (optimizerTensors.length > 0) optimizerTensors[0].tensor.dispose();
  const mBytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(m.data));
  const oBytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(o.data));
  const bytes = new Uint8Array(mBytes.length + oBytes.length);
  bytes.set(mBytes);
  bytes.set(oBytes, mBytes.length);
  const file: CheckpointFile<S> = {
    version: 1,
    state,
    modelSpecs: m.specs,
    optimizerSpecs: o.specs,
    modelBytes: mBytes.length,
    sha256: await sha256Hex(bytes),
  };
  await replaceDirAtomic(dir, async (tmp) => {
    await Deno.writeFile(join(tmp, TENSORS_BIN), bytes);
    await Deno.writeTextFile(join(tmp, STATE_JSON), JSON.stringify(file));
  });
}

/**
 * Restores a checkpoint from `dir` into `model` and `optimizer` and returns its state, or
 * `undefined` when `dir` holds no checkpoint. Throws {@linkcode CheckpointError} for a
 * damaged one (bad JSON, checksum mismatch, or weights that do not fit `model`).
 */
export async function loadCheckpoint<S>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<S | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, STATE_JSON));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  let file: CheckpointFile<S>;
  let bytes: Uint8Array;
  try {
    file = JSON.parse(text);
    bytes = await Deno.readFile(join(dir, TENSORS_BIN));
  } catch (e) {
    throw new CheckpointError(`checkpoint in ${dir} is corrupt: ${(e as Error).message}`);
  }
  if (file.version !== 1 || file.sha256 !== await sha256Hex(bytes)) {
    throw new CheckpointError(`checkpoint in ${dir} is corrupt (SHA-256 mismatch); not loaded`);
  }
  const buffer = bytes.slice().buffer as ArrayBuffer;
  const modelMap = tf.io.decodeWeights(buffer.slice(0, file.modelBytes), file.modelSpecs);
  const optMap = tf.io.decodeWeights(buffer.slice(file.modelBytes), file.optimizerSpecs);
  try {
    model.setWeights(file.modelSpecs.map((s) => modelMap[s.name]));
  } catch (e) {
    throw new CheckpointError(
      `checkpoint in ${dir} does not fit this model: ${(e as Error).message}`,
    );
  } finally {
    tf.dispose(Object.values(modelMap));
  }
  // Adam matches its moments to variables by position, so the saved order is what counts.
  await optimizer.setWeights(
    file.optimizerSpecs.map((s) => ({ name: s.name, tensor: optMap[s.name] })),
  );
  tf.dispose(Object.values(optMap));
  return file.state;
}
