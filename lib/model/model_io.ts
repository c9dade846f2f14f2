/**
 * Layers models saved to a folder in TensorFlow.js's own format (`model.json` + `weights.bin`;
 * tfjs ships a file-system handler only with tfjs-node). `model.json` names only stock layers,
 * so a plain `tf.loadLayersModel` (a browser) loads it: {@linkcode SeededDropout} is written as
 * Keras's `Dropout` (identity at inference too), and a top-level `seededDropout` field, which
 * stock loaders ignore, lets {@linkcode loadModel} bring it back. `sha256.json` holds the
 * SHA-256 of both files; every read checks them and refuses a folder without it.
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
/** File name of a model folder's digest of `model.json` and `weights.bin`. */
export const MODEL_DIGEST_JSON = "sha256.json";

/** The `seededDropout` field of `model.json`: layer name → its rate and seed. */
type SeededMap = Record<string, { rate: number; seed: number }>;
type Json = { [key: string]: unknown };

/** SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Model folder `dir`'s `model.json` and `weights.bin`, checked against `sha256.json`.
 *
 * @throws {InputError} `no model at …` when `model.json` is missing, else naming the file that
 * is missing, unreadable, without a digest, or corrupt.
 */
export async function readModelFiles(
  dir: string,
): Promise<
  { json: tf.io.ModelJSON & { seededDropout?: SeededMap }; weights: Uint8Array<ArrayBuffer> }
> {
  const jsonPath = join(dir, MODEL_JSON);
  const [text, weights, digest] = await Promise.all([
    Deno.readFile(jsonPath).catch((e) => {
      if (e instanceof Deno.errors.NotFound) throw new InputError(`no model at ${jsonPath}`);
      throw new InputError(`model file ${jsonPath} is unreadable: ${e.message}`);
    }),
    Deno.readFile(join(dir, WEIGHTS_BIN)).catch(() => {
      throw new InputError(`model weights ${join(dir, WEIGHTS_BIN)} are missing`);
    }),
    Deno.readTextFile(join(dir, MODEL_DIGEST_JSON)).then(JSON.parse).catch(() => undefined),
  ]);
  const valid = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
  if (!valid(digest?.[MODEL_JSON]) || !valid(digest?.[WEIGHTS_BIN])) {
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
  // Its digest matches, so it is the JSON saveModel wrote.
  return { json: JSON.parse(new TextDecoder().decode(text)), weights };
}

/** Calls `visit` on every object inside `value` that has a `class_name` (nested models too). */
function eachLayerJson(value: unknown, visit: (layer: Json) => void): void {
  if (value === null || typeof value !== "object") return;
  if (typeof (value as Json).class_name === "string") visit(value as Json);
  for (const v of Object.values(value)) eachLayerJson(v, visit);
}

/** A copy of a topology with each `SeededDropout` as a stock `Dropout`, and the map back. */
function stockTopology(topology: unknown): { topology: unknown; seeded: SeededMap } {
  const copy = structuredClone(topology);
  const seeded: SeededMap = {};
  eachLayerJson(copy, (layer) => {
    if (layer.class_name !== SeededDropout.className) return;
    const config = layer.config as Json;
    seeded[config.name as string] = { rate: config.rate as number, seed: config.seed as number };
    layer.class_name = "Dropout";
    layer.config = { ...config, noise_shape: null, seed: null };
  });
  return { topology: copy, seeded };
}

/** Saves `model` (architecture and weights) into folder `dir`, swapping out any model there. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!));
    const { topology, seeded } = stockTopology(artifacts.modelTopology);
    const json = {
      modelTopology: topology,
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      seededDropout: seeded,
    };
    const text = new TextEncoder().encode(JSON.stringify(json));
    const digest = { [MODEL_JSON]: await sha256Hex(text), [WEIGHTS_BIN]: await sha256Hex(weights) };
    await replaceDirAtomic(dir, async (tmp) => {
      await Deno.writeFile(join(tmp, WEIGHTS_BIN), weights);
      await Deno.writeFile(join(tmp, MODEL_JSON), text);
      await Deno.writeTextFile(join(tmp, MODEL_DIGEST_JSON), JSON.stringify(digest) + "\n");
    });
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
}

/** Loads a model saved by {@linkcode saveModel}, dropout seeded again. The caller disposes it. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  registerSeededDropout();
  const { json, weights } = await readModelFiles(dir);
  // The layers named in `seededDropout` become seeded again.
  eachLayerJson(json.modelTopology, (layer) => {
    const config = layer.config as Json | undefined;
    const spec = config && json.seededDropout?.[config.name as string];
    if (layer.class_name !== "Dropout" || !spec) return;
    layer.class_name = SeededDropout.className;
    layer.config = { name: config.name, trainable: config.trainable, ...spec };
  });
  const { modelTopology } = json;
  const weightSpecs = tf.io.getWeightSpecs(json.weightsManifest);
  return await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs,
      // The bytes the digest covered, whatever view `weights` is of its buffer.
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}
