/**
 * Training checkpoints: model weights, the optimizer's state (Adam's moments and step) and the
 * loop's JSON state, in one folder swapped in atomically, with a SHA-256 over the tensors so a
 * damaged checkpoint is reported, never loaded.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { readJsonFile, replaceDirAtomic } from "../runs/atomic.ts";
import { InputError } from "../errors.ts";
import { sha256Hex } from "../model/model_io.ts";

interface CheckpointFile<S> {
  version: 1;
  state: S;
  modelSpecs: tf.io.WeightsManifestEntry[];
  optimizerSpecs: tf.io.WeightsManifestEntry[];
  modelBytes: number;
  sha256: string;
}

/** Writes a checkpoint to folder `dir`, replacing the previous one once the new one is complete. */
export async function saveCheckpoint<S>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: S,
): Promise<void> {
  const optimizerTensors = await optimizer.getWeights();
  const m = await tf.io.encodeWeights(
    model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor })),
  );
  const o = await tf.io.encodeWeights(optimizerTensors);
  // The first optimizer weight is a fresh scalar holding the step count; the rest are variables.
  optimizerTensors[0]?.tensor.dispose();
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join([m.data, o.data].flat()));
  const file: CheckpointFile<S> = {
    version: 1,
    state,
    modelSpecs: m.specs,
    optimizerSpecs: o.specs,
    modelBytes: new tf.io.CompositeArrayBuffer(m.data).byteLength,
    sha256: await sha256Hex(bytes),
  };
  await replaceDirAtomic(dir, async (tmp) => {
    await Deno.writeFile(join(tmp, "tensors.bin"), bytes);
    await Deno.writeTextFile(join(tmp, "checkpoint.json"), JSON.stringify(file));
  });
}

/**
 * Restores the checkpoint in `dir` into `model` and `optimizer` and returns its state;
 * `undefined` when there is none.
 *
 * @throws {InputError} Bad JSON, `checkpoint in … is corrupt` (SHA-256 mismatch), or a misfit.
 */
export async function loadCheckpoint<S>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<S | undefined> {
  const file = await readJsonFile<CheckpointFile<S>>(join(dir, "checkpoint.json"));
  if (file === undefined) return undefined;
  // A missing tensors.bin fails the digest like a damaged one.
  const bytes = await Deno.readFile(join(dir, "tensors.bin")).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return new Uint8Array();
    throw e; // unreadable is not corrupt: keep the real cause
  });
  if (file?.version !== 1 || file.sha256 !== await sha256Hex(bytes)) {
    throw new InputError(`checkpoint in ${dir} is corrupt (SHA-256 mismatch); not loaded`);
  }
  const buffer = bytes.slice().buffer as ArrayBuffer;
  const weights = tf.io.decodeWeights(buffer.slice(0, file.modelBytes), file.modelSpecs);
  const moments = tf.io.decodeWeights(buffer.slice(file.modelBytes), file.optimizerSpecs);
  try {
    model.setWeights(file.modelSpecs.map((s) => weights[s.name]));
  } catch (e) {
    throw new InputError(`checkpoint in ${dir} does not fit this model: ${(e as Error).message}`);
  } finally {
    tf.dispose(Object.values(weights));
  }
  // Adam matches its moments to variables by position, so the saved order is what counts.
  await optimizer.setWeights(
    file.optimizerSpecs.map((s) => ({ name: s.name, tensor: moments[s.name] })),
  );
  tf.dispose(Object.values(moments));
  return file.state;
}
