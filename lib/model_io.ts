/**
 * Saving and loading Layers models on the local file system, in TensorFlow.js's own
 * format (`model.json` + `weights.bin`, loadable by `tf.loadLayersModel` in a browser too).
 * tfjs ships a file-system handler only with tfjs-node, which cannot be installed here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { replaceDirAtomic } from "./atomic.ts";
import { InputError } from "./errors.ts";
import { registerSeededDropout } from "./seeded_dropout.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/** SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A tfjs IO handler over folder `dir`. `save` writes the folder atomically (a crash leaves
 * the previous model or none, never a mix); `load` checks the weights' SHA-256 and size.
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weights = artifacts.weightData === undefined
        ? new Uint8Array(0)
        : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const manifest = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: manifest,
        weightsSha256: await sha256Hex(weights),
      };
      await replaceDirAtomic(dir, async (tmp) => {
        await Deno.writeFile(join(tmp, WEIGHTS_BIN), weights);
        await Deno.writeTextFile(join(tmp, MODEL_JSON), JSON.stringify(json));
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      let json: tf.io.ModelJSON & { weightsSha256?: string };
      try {
        json = JSON.parse(await Deno.readTextFile(jsonPath));
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) throw new InputError(`no model at ${jsonPath}`);
        throw new InputError(`model file ${jsonPath} is unreadable: ${(e as Error).message}`);
      }
      const weights = await Deno.readFile(join(dir, WEIGHTS_BIN)).catch(() => {
        throw new InputError(`model weights ${join(dir, WEIGHTS_BIN)} are missing`);
      });
      if (json.weightsSha256 && json.weightsSha256 !== await sha256Hex(weights)) {
        throw new InputError(`model weights in ${dir} are corrupt (SHA-256 mismatch)`);
      }
      return tf.io.getModelArtifactsForJSONSync(
        json,
        tf.io.getWeightSpecs(json.weightsManifest),
        weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      );
    },
  };
}

/**
 * Saves `model` (architecture and weights) into folder `dir`, replacing any model there.
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { buildAutoencoder } from "./model.ts";
 * import { loadModel, saveModel } from "./model_io.ts";
 * const { autoencoder } = buildAutoencoder();
 * const dir = await Deno.makeTempDir();
 * await saveModel(autoencoder, dir);
 * const loaded = await loadModel(dir);
 * assert(loaded.countParams() === 178_001);
 * autoencoder.dispose();
 * loaded.dispose();
 * ```
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemHandler(dir));
}

/** Loads a model saved by {@linkcode saveModel}. The caller disposes it. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  registerSeededDropout();
  return await tf.loadLayersModel(fileSystemHandler(dir));
}
