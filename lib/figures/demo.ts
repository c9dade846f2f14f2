/**
 * The report's live demo page: draw a digit or pick a test digit, move the noise slider, and
 * watch a trained model clean it up, in the browser, offline, with the stock TensorFlow.js
 * bundle. Chromium refuses `fetch()` from `file://`, so every file is a script: each model its
 * stock `model.json` topology and base64 weights (loaded with `tf.io.fromMemory`). Files
 * written into the report folder `dir`:
 *
 * ```
 * demo.html                 the page
 * assets/tf.min.js          TensorFlow.js 4.22 (UMD bundle from node_modules)
 * assets/demo.js            the page's script (lib/figures/demo_app.js)
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

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Denoising autoencoder: live demo</title>
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
<p><a href="index.html">← report</a></p>
<h1>Denoising autoencoder: live demo</h1>
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
<script src="assets/tf.min.js"></script>
<script src="demo/data.js"></script>
<script src="assets/demo.js"></script>
</body></html>
`;

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** A script that sets `window[key]` (`window.DENOISER_MODELS[name]` with `name`) to `value`. */
function script(key: string, value: unknown, name?: string): string {
  const json = JSON.stringify(value).replaceAll("<", "\\u003c");
  if (name === undefined) return `window.${key} = ${json};\n`;
  return `(window.${key} = window.${key} || {})[${JSON.stringify(name)}] = ${json};\n`;
}

/**
 * The model's stock topology and base64 weights, checked against its `sha256.json`, or the
 * reason it cannot be used ("its model is missing (…)", "its model is corrupt (…)").
 */
async function modelEntry(m: DemoModel): Promise<Record<string, unknown>> {
  try {
    const { json, weights } = await readModelFiles(m.modelDir);
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
    return { modelTopology: json.modelTopology, weightSpecs, weights: base64(weights) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const why = /^no model at|are missing$/.test(e.message) ? "missing" : "corrupt";
    return { error: `its model is ${why} (${e.message})` };
  }
}

/** The menu's words for a model: "trained at f = 0.5, 10 epochs (notebooks 3–4)". */
function modelLabel(m: DemoModel): string {
  const epochs = `${m.epochs} epoch${m.epochs === 1 ? "" : "s"}`;
  const trained = m.noise === 0 ? "trained on clean digits" : `trained at f = ${m.noise}`;
  return `${trained}, ${epochs}${m.note ? ` (${m.note})` : ""}`;
}

/**
 * Writes the demo into report folder `dir`, with the first {@linkcode DEMO_DIGITS} of
 * `digits` (pixels in [0, 1]). A model that is missing or corrupt does not stop it: its entry
 * makes the page say so, and `broken` holds "run NAME: why" for each. `page` is `demo.html`'s
 * path.
 */
export async function writeDemo(
  dir: string,
  models: DemoModel[],
  digits: LabeledImages,
): Promise<{ page: string; broken: string[] }> {
  await Deno.mkdir(join(dir, "demo", "models"), { recursive: true });
  await Deno.mkdir(join(dir, "assets"), { recursive: true });
  const tfjs = import.meta.resolve("@tensorflow/tfjs/dist/tf.min.js");
  await Deno.copyFile(fileURLToPath(tfjs), join(dir, "assets", "tf.min.js"));
  await Deno.copyFile(
    fileURLToPath(new URL("./demo_app.js", import.meta.url)),
    join(dir, "assets", "demo.js"),
  );
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
    await Deno.writeTextFile(join(dir, catalog[i].file), script("DENOISER_MODELS", entry, m.name));
  }
  const page = join(dir, "demo.html");
  await Deno.writeTextFile(page, PAGE);
  return { page, broken };
}
