/**
 * The report's live demo page: draw a digit or pick a test digit, move the noise slider, and
 * watch a trained model clean it up, in the browser, with the stock TensorFlow.js bundle.
 *
 * Chromium refuses `fetch()` from `file://`, so nothing is fetched: each model is a script
 * file defining its stock `model.json` topology and base64 weights (loaded with
 * `tf.io.fromMemory`), and the test digits are one more script. Files written into the
 * report folder `dir`:
 *
 * ```
 * demo.html                 the page
 * assets/tf.min.js          TensorFlow.js 4.22 (UMD bundle from node_modules)
 * assets/demo.js            the page's script (lib/figures/demo_app.js)
 * demo/digits.js            test digits, 8-bit, with labels
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
import { escapeHtml } from "../text.ts";

/** Test digits the demo embeds unless told otherwise. */
export const DEMO_DIGITS = 200;

/** A trained model offered by the demo. */
export interface DemoModel {
  /** Run name (also the model file's name). */
  name: string;
  /** Noise factor it was trained at. */
  noise: number;
  /** Epochs it was trained for. */
  epochs: number;
  /** Folder holding its `model.json` and `weights.bin`. */
  modelDir: string;
  /** Extra words for the model menu, e.g. "notebooks 3–4". @default "" */
  note?: string;
}

/** What {@linkcode writeDemo} wrote: the page, and one line per model it could not embed. */
export interface DemoResult {
  /** Path of `demo.html`. */
  page: string;
  /** "run NAME: why", for each model written as a broken entry the page reports. */
  broken: string[];
}

/** Options of {@linkcode writeDemo}. */
export interface DemoOptions {
  /** Test digits to embed (the first ones of `digits`). @default {DEMO_DIGITS} */
  count?: number;
  /** Page title. @default "Denoising autoencoder: live demo" */
  title?: string;
  /** Link back to the landing page. @default "index.html" */
  back?: string;
}

const TFJS_BUNDLE = "@tensorflow/tfjs/dist/tf.min.js";
const APP = new URL("./demo_app.js", import.meta.url);

/**
 * The script text of one model, checked against its SHA-256. Throws {@linkcode InputError}
 * naming the run when the model is missing or corrupt.
 */
export async function modelScript(model: DemoModel): Promise<string> {
  let read: Awaited<ReturnType<typeof readModelFiles>>;
  try {
    // The same check as every other read: model.json and weights.bin against sha256.json.
    read = await readModelFiles(model.modelDir);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const missing = /^no model at|are missing$/.test(e.message);
    const why = missing ? "its model is missing" : "its model is corrupt";
    throw new InputError(`run ${model.name}: ${why} (${e.message})`);
  }
  const { json, weights } = read;
  const entry = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    byteLength: weights.length,
    weights: encodeBase64(weights),
  };
  return defineModel(model.name, entry);
}

function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function defineModel(name: string, entry: unknown): string {
  return `(window.DENOISER_MODELS = window.DENOISER_MODELS || {})[${JSON.stringify(name)}] = ` +
    `${JSON.stringify(entry)};\n`;
}

/** `demo/digits.js`: the first `count` images of `digits` as 8-bit base64 plus labels. */
export function digitsScript(digits: LabeledImages, count: number): string {
  const n = Math.min(count, digits.count);
  const size = digits.height * digits.width;
  const bytes = new Uint8Array(n * size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(digits.data[i] * 255);
  return `(function () {
  var raw = atob(${JSON.stringify(encodeBase64(bytes))});
  var pixels = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) pixels[i] = raw.charCodeAt(i);
  window.DENOISER_DIGITS = { count: ${n}, labels: ${
    JSON.stringify(Array.from(digits.labels.subarray(0, n)))
  }, pixels: pixels };
})();
`;
}

/**
 * The label of a model in the page's menu, short and in words: "trained at f = 0.5, 10
 * epochs (notebooks 3–4)"; the run's name is the option's tooltip.
 */
export function modelLabel(m: Pick<DemoModel, "noise" | "epochs" | "note">): string {
  const epochs = `${m.epochs} epoch${m.epochs === 1 ? "" : "s"}`;
  const trained = m.noise === 0 ? "trained on clean digits" : `trained at f = ${m.noise}`;
  return `${trained}, ${epochs}${m.note ? ` (${m.note})` : ""}`;
}

/** File name of a model's script inside the report: the run name is already file-safe. */
function modelFile(m: DemoModel): string {
  return `demo/models/${m.name}.js`;
}

/** The page's HTML: controls, the three images, the test digits, and the scripts. */
export function demoHtml(models: DemoModel[], options: DemoOptions = {}): string {
  const { title = "Denoising autoencoder: live demo", back = "index.html" } = options;
  const catalog = models.map((m) => ({
    name: m.name,
    noise: m.noise,
    epochs: m.epochs,
    label: modelLabel(m),
    file: modelFile(m),
  }));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:62em;margin:1.5em auto;padding:0 1em;color:#222}
.row{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}
figure{margin:0}figcaption{font-size:.9em;color:#555;margin-top:.3em;text-align:center}
canvas.big{width:280px;height:280px;image-rendering:pixelated;border:1px solid #888;background:#000}
#pad{cursor:crosshair;touch-action:none}
.controls{display:flex;gap:1em;flex-wrap:wrap;align-items:center;margin:1em 0}
#digits{display:flex;flex-wrap:wrap;gap:3px;max-height:12em;overflow:auto}
#digits canvas{width:36px;height:36px;image-rendering:pixelated;cursor:pointer;border:2px solid #fff}
#digits canvas.picked{border-color:#d33}
#status.error{color:#b00;font-weight:bold}
</style></head>
<body>
<p><a href="${escapeHtml(back)}">← report</a></p>
<h1>${escapeHtml(title)}</h1>
<p>Draw a digit in the left square (mouse or finger) or pick a test digit below. The model
sees the noisy middle image, x̃ = clip(x + f·ε, 0, 1) with ε ~ N(0, 1), and answers with the
right one. Everything runs in this page with TensorFlow.js; nothing leaves your machine.</p>
<div class="controls">
<label>Model <select id="model"></select></label>
<label>Noise factor f <input id="noise" type="range" min="0" max="1" step="0.01" value="0.5">
<span id="noise-value">0.50</span></label>
<button id="new-noise" type="button">New noise</button>
<button id="clear" type="button">Clear</button>
</div>
<p id="status">Loading…</p>
<div class="row">
<figure><canvas id="pad" class="big" width="280" height="280"></canvas>
<figcaption id="pad-caption">clean (draw here)</figcaption></figure>
<figure><canvas id="noisy" class="big" width="28" height="28"></canvas>
<figcaption>noisy input</figcaption></figure>
<figure><canvas id="output" class="big" width="28" height="28"></canvas>
<figcaption>model output</figcaption></figure>
</div>
<p id="picked"></p>
<p id="metrics"></p>
<h2>Test digits</h2>
<div id="digits"></div>
<script>window.DENOISER_CATALOG = ${JSON.stringify(catalog).replaceAll("<", "\\u003c")};</script>
<script src="assets/tf.min.js"></script>
<script src="demo/digits.js"></script>
<script src="assets/demo.js"></script>
</body></html>
`;
}

/**
 * Writes the demo into report folder `dir`. A model that is missing or corrupt does not stop
 * it: its entry makes the page say so, and {@linkcode DemoResult.broken} names the run.
 */
export async function writeDemo(
  dir: string,
  models: DemoModel[],
  digits: LabeledImages,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const { count = DEMO_DIGITS } = options;
  await Deno.mkdir(join(dir, "demo", "models"), { recursive: true });
  await Deno.mkdir(join(dir, "assets"), { recursive: true });
  await Deno.copyFile(
    fileURLToPath(import.meta.resolve(TFJS_BUNDLE)),
    join(dir, "assets/tf.min.js"),
  );
  await Deno.copyFile(fileURLToPath(APP), join(dir, "assets", "demo.js"));
  await Deno.writeTextFile(join(dir, "demo", "digits.js"), digitsScript(digits, count));
  const broken: string[] = [];
  for (const m of models) {
    let script: string;
    try {
      script = await modelScript(m);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      broken.push(e.message);
      script = defineModel(m.name, { error: e.message.replace(/^run \S+: /, "") });
    }
    await Deno.writeTextFile(join(dir, modelFile(m)), script);
  }
  const page = join(dir, "demo.html");
  await Deno.writeTextFile(page, demoHtml(models, options));
  return { page, broken };
}
