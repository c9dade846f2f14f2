/**
 * Saving and loading Layers models on the local file system, in TensorFlow.js's own
 * format (`model.json` + `weights.bin`). tfjs ships a file-system handler only with
 * tfjs-node, which cannot be installed here.
 *
 * The saved `model.json` names only stock layers, so any TensorFlow.js (a browser, another
 * project) loads it with a plain `tf.loadLayersModel`: the project's
 * {@linkcode SeededDropout} is written as Keras's standard `Dropout` (identity at inference,
 * like SeededDropout), and a top-level `seededDropout` field, which stock loaders ignore,
 * lets {@linkcode loadModel} bring the seeded layer back for further training.
 *
 * Integrity covers the whole model: `sha256.json` beside the two files records the SHA-256 of
 * `model.json` (the topology) and of `weights.bin`, and every read checks both; a folder
 * without that digest is refused, never trusted.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { replaceDirAtomic } from "../runs/atomic.ts";
import { InputError } from "../errors.ts";
import { registerSeededDropout, SeededDropout } from "./seeded_dropout.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
/** File of the model folder's digests: `{ "model.json": HEX, "weights.bin": HEX }`. */
export const MODEL_DIGEST_JSON = "sha256.json";

/** What `model.json` holds. */
export type ModelJsonFile = tf.io.ModelJSON & {
  weightsSha256?: string;
  seededDropout?: SeededDropoutMap;
};

/**
 * Reads model folder `dir`'s `model.json` and `weights.bin` and checks both against
 * `sha256.json`. Throws {@linkcode InputError}: `no model at …` when `model.json` is missing,
 * else naming the file that is missing, unreadable, without a digest, or corrupt.
 */
export async function readModelFiles(
  dir: string,
): Promise<{ json: ModelJsonFile; weights: Uint8Array<ArrayBuffer> }> {
  const jsonPath = join(dir, MODEL_JSON);
  const [text, weights, digestText] = await Promise.all([
    Deno.readFile(jsonPath).catch((e) => {
      if (e instanceof Deno.errors.NotFound) throw new InputError(`no model at ${jsonPath}`);
      throw new InputError(`model file ${jsonPath} is unreadable: ${(e as Error).message}`);
    }),
    Deno.readFile(join(dir, WEIGHTS_BIN)).catch(() => {
      throw new InputError(`model weights ${join(dir, WEIGHTS_BIN)} are missing`);
    }),
    Deno.readTextFile(join(dir, MODEL_DIGEST_JSON)).catch(() => undefined),
  ]);
  let digest: Record<string, unknown> | undefined;
  try {
    digest = digestText === undefined ? undefined : JSON.parse(digestText);
  } catch {
    digest = undefined;
  }
  const valid = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
  if (!digest || !valid(digest[MODEL_JSON]) || !valid(digest[WEIGHTS_BIN])) {
    throw new InputError(
      `model in ${dir} has no valid digest (${MODEL_DIGEST_JSON}), so it is not trusted; ` +
        `train it again (deno task experiment --force)`,
    );
  }
  if (digest[MODEL_JSON] !== await sha256Hex(text)) {
    throw new InputError(`model topology in ${dir} is corrupt (model.json: SHA-256 mismatch)`);
  }
  if (digest[WEIGHTS_BIN] !== await sha256Hex(weights)) {
    throw new InputError(`model weights in ${dir} are corrupt (SHA-256 mismatch)`);
  }
  try {
    return { json: JSON.parse(new TextDecoder().decode(text)), weights };
  } catch (e) {
    throw new InputError(`model file ${jsonPath} is unreadable: ${(e as Error).message}`);
  }
}

/** The `seededDropout` field of `model.json`: layer name → its rate and seed. */
export type SeededDropoutMap = Record<string, { rate: number; seed: number }>;

type Json = { [key: string]: unknown };

/** Calls `visit` on every object inside `value` that has a `class_name` (nested models too). */
function eachLayerJson(value: unknown, visit: (layer: Json) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) eachLayerJson(v, visit);
  } else if (value !== null && typeof value === "object") {
    const o = value as Json;
    if (typeof o.class_name === "string") visit(o);
    for (const v of Object.values(o)) eachLayerJson(v, visit);
  }
}

/**
 * A copy of a Layers model topology with every `SeededDropout` written as Keras's standard
 * `Dropout` (same name and rate), and the map that undoes it. The input is not changed.
 */
export function stockTopology(topology: unknown): { topology: unknown; seeded: SeededDropoutMap } {
  const copy = structuredClone(topology);
  const seeded: SeededDropoutMap = {};
  eachLayerJson(copy, (layer) => {
    if (layer.class_name !== SeededDropout.className) return;
    const config = layer.config as Json;
    seeded[config.name as string] = { rate: config.rate as number, seed: config.seed as number };
    layer.class_name = "Dropout";
    layer.config = {
      name: config.name,
      trainable: config.trainable ?? true,
      dtype: config.dtype ?? "float32",
      rate: config.rate,
      noise_shape: null,
      seed: null,
    };
  });
  return { topology: copy, seeded };
}

/** Undoes {@linkcode stockTopology} in place: the layers named in `seeded` become seeded again. */
function restoreSeeded(topology: unknown, seeded: SeededDropoutMap): void {
  eachLayerJson(topology, (layer) => {
    const config = layer.config as Json | undefined;
    const spec = config && seeded[config.name as string];
    if (layer.class_name !== "Dropout" || !spec) return;
    layer.class_name = SeededDropout.className;
    layer.config = { name: config.name, trainable: config.trainable, ...spec };
  });
}

/** SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A tfjs IO handler over folder `dir`. `save` writes the folder atomically (a crash leaves
 * the previous model or none, never a mix) with the digests of both files; `load` checks
 * them ({@linkcode readModelFiles}).
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weights = artifacts.weightData === undefined
        ? new Uint8Array(0)
        : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const manifest = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const { topology, seeded } = stockTopology(artifacts.modelTopology);
      const json = {
        modelTopology: topology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: manifest,
        weightsSha256: await sha256Hex(weights),
        seededDropout: seeded,
      };
      const text = new TextEncoder().encode(JSON.stringify(json));
      const digest = { [MODEL_JSON]: await sha256Hex(text), [WEIGHTS_BIN]: json.weightsSha256 };
      await replaceDirAtomic(dir, async (tmp) => {
        await Deno.writeFile(join(tmp, WEIGHTS_BIN), weights);
        await Deno.writeFile(join(tmp, MODEL_JSON), text);
        await Deno.writeTextFile(join(tmp, MODEL_DIGEST_JSON), JSON.stringify(digest) + "\n");
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const { json, weights } = await readModelFiles(dir);
      if (json.seededDropout) restoreSeeded(json.modelTopology, json.seededDropout);
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
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder } from "./autoencoder.ts";
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

/**
 * Loads a model saved by {@linkcode saveModel}, its dropout layers seeded again as when it
 * was trained. The caller disposes it.
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  registerSeededDropout();
  return await tf.loadLayersModel(fileSystemHandler(dir));
}
