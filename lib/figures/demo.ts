/**
 * The report's live demo page: draw a digit or pick a test digit, move the noise slider, and
 * watch a trained model clean it up, in the browser, offline, with the stock TensorFlow.js
 * bundle. Chromium refuses `fetch()` from `file://`, so every file is a script: each model its
 * stock `model.json` topology and base64 weights (loaded with `tf.io.fromMemory`). Files
 * written into the report folder `dir`:
 *
 * ```
 * demo.html                 the page (lib/figures/demo.html)
 * assets/tf.min.js          TensorFlow.js 4.22 (UMD bundle from node_modules)
 * assets/demo.js, demo.css  the page's script and style (lib/figures/demo_app.js, demo.css)
 * demo/data.js              the model menu, and the test digits, 8-bit, with labels
 * demo/models/NAME.js       one trained model per run
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import type { LabeledImages } from "../data/images.ts";
import { readModelFiles } from "../model/model_io.ts";
import { plural } from "../text.ts";

/** Test digits the demo embeds: the first ones of the `digits` given to {@linkcode writeDemo}. */
const DEMO_DIGITS = 200;

/** A trained model offered by the demo. */
export interface DemoModel {
  /** Run name (also the model file's name: run names are file-safe). */
  name: string;
  /** Noise factor it was trained at. */
  noise: number;
  epochs: number;
  /** Folder holding its `model.json`, `weights.bin` and `sha256.json`. */
  modelDir: string;
  /** Extra words for the model menu, e.g. "notebooks 3–4". @default "" */
  note?: string;
}

/** Files copied into the report folder, by specifier: the page, its script and style, tfjs. */
const FILES = {
  "demo.html": "./demo.html",
  "assets/demo.js": "./demo_app.js",
  "assets/demo.css": "./demo.css",
  "assets/tf.min.js": "@tensorflow/tfjs/dist/tf.min.js",
};

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A script that adds the keys of `value` to `window[key]`. */
function script(key: string, value: object): string {
  const json = JSON.stringify(value).replaceAll("<", "\\u003c");
  return `window.${key} = Object.assign(window.${key} || {}, ${json});\n`;
}

/**
 * The model's stock topology and base64 weights, checked against its `sha256.json`, or the
 * InputError's line saying why it cannot be used (what is missing or corrupt).
 */
async function modelEntry(m: DemoModel): Promise<Record<string, unknown>> {
  try {
    const { json, weights } = await readModelFiles(m.modelDir);
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
    return { modelTopology: json.modelTopology, weightSpecs, weights: base64(weights) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.message };
  }
}

/** The menu's words for a model: "trained at f = 0.5, 10 epochs (notebooks 3–4)". */
function modelLabel(m: DemoModel): string {
  const trained = m.noise === 0 ? "trained on clean digits" : `trained at f = ${m.noise}`;
  return `${trained}, ${plural(m.epochs, "epoch")}${m.note ? ` (${m.note})` : ""}`;
}

/**
 * Writes the demo into report folder `dir`, with the first {@linkcode DEMO_DIGITS} of
 * `digits` (pixels in [0, 1]). A model that is missing or corrupt does not stop it: its entry
 * makes the page say so; returns "run NAME: why" for each.
 */
export async function writeDemo(
  dir: string,
  models: DemoModel[],
  digits: LabeledImages,
): Promise<string[]> {
  await Deno.mkdir(join(dir, "demo", "models"), { recursive: true });
  await Deno.mkdir(join(dir, "assets"), { recursive: true });
  for (const [target, source] of Object.entries(FILES)) {
    await Deno.copyFile(fileURLToPath(import.meta.resolve(source)), join(dir, target));
  }
  const n = Math.min(DEMO_DIGITS, digits.count);
  const size = digits.height * digits.width;
  const pixels = Uint8Array.from(digits.data.subarray(0, n * size), (v) => Math.round(v * 255));
  const catalog = models.map((m) => ({
    name: m.name,
    noise: m.noise,
    label: modelLabel(m),
    file: `demo/models/${m.name}.js`,
  }));
  const data = {
    catalog,
    labels: Array.from(digits.labels.subarray(0, n)),
    pixels: base64(pixels),
  };
  await Deno.writeTextFile(join(dir, "demo", "data.js"), script("DENOISER_DEMO", data));
  const broken: string[] = [];
  for (const [i, m] of models.entries()) {
    const entry = await modelEntry(m);
    if (entry.error) broken.push(`run ${m.name}: ${entry.error}`);
    await Deno.writeTextFile(
      join(dir, catalog[i].file),
      script("DENOISER_MODELS", { [m.name]: entry }),
    );
  }
  return broken;
}
