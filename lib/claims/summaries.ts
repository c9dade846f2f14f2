/**
 * The numbers and sentences the notebooks show about data, model, training and results:
 * computed here, with tests, so each notebook cell only calls and shows.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import type { Dataset } from "../data/datasets.ts";
import { predictWithRun, readRun, type Run } from "../runs/run_folder.ts";
import { prepareData } from "../runs/experiment_data.ts";
import type { BarRow, MetricRow } from "../figures/charts.ts";
import { type Images, type LabeledImages, pickSamples, take } from "../data/images.ts";
import { classMse, mse } from "../eval/metrics.ts";
import type { LayerRow } from "../model/autoencoder.ts";
import { escapeHtml, markdown, plural } from "../text.ts";
import type { SweepRow } from "../sweep/plan.ts";

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Images per class, as bars: one per class name, in class order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { classCounts } from "./summaries.ts";
 * assertEquals(classCounts(new Uint8Array([0, 1, 1]), ["a", "b"]), [
 *   { label: "a", value: 1 }, { label: "b", value: 2 }]);
 * ```
 */
export function classCounts(labels: Uint8Array, names: readonly string[]): BarRow[] {
  return names.map((label, c) => ({ label, value: labels.filter((l) => l === c).length }));
}

/** "SOURCE: N training and M test images of H×W pixels." */
export function datasetSentence(dataset: Dataset): string {
  const { train, test } = dataset;
  return markdown`${dataset.source}: ${fmt(train.count)} training and ${
    fmt(test.count)
  } test images of ${train.height}×${train.width} pixels.`;
}

/**
 * How much of the clean and noisy pixels sit at exactly 0 and 1, and the noise's real RMS
 * after clipping, against the nominal factor `f`.
 */
export function clippingSentence(clean: Images, noisy: Images, f: number): string {
  const share = (v: Float32Array, x: number) => v.filter((p) => p === x).length / v.length;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rms = Math.sqrt(mse(clean, noisy));
  return `Clean images: ${pct(share(clean.data, 0))} of the pixels are exactly 0 (background) ` +
    `and ${pct(share(clean.data, 1))} exactly 1. Noisy images: ${pct(share(noisy.data, 0))} ` +
    `and ${pct(share(noisy.data, 1))}, the noise that clipping cut off. Because of that ` +
    `clipping, the noisy images differ from the clean ones by a root mean square of ` +
    `${rms.toFixed(3)} rather than the full noise scale f = ${f}.`;
}

/** "N parameters in all: E in the encoder and D in the decoder." */
export function parameterSentence(layers: readonly LayerRow[]): string {
  const of = (part: string) =>
    layers.filter((l) => l.model === part).reduce((s, l) => s + l.params, 0);
  const all = layers.reduce((s, l) => s + l.params, 0);
  return `${fmt(all)} parameters in all: ${fmt(of("encoder"))} in the encoder and ` +
    `${fmt(of("decoder"))} in the decoder.`;
}

/** A convolution against the dense layer that would map the same values in to out. */
export interface DenseComparison {
  /** Layer name. */
  layer: string;
  /** Values per image entering the layer. */
  in: number;
  /** Values per image leaving it. */
  out: number;
  /** The convolution's parameters. */
  conv: number;
  /** Parameters of a dense layer from `in` to `out` values: in·out + out. */
  dense: number;
}

/** Values per image entering each layer: the input's, then each previous layer's output. */
function inputsOf(model: tf.LayersModel, layers: readonly LayerRow[]): number[] {
  const input = (model.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  return [input, ...layers.map((l) => l.values)];
}

/**
 * Each convolution of `model` against a dense layer with the same inputs and outputs.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { buildAutoencoder, layerTable } from "../model/autoencoder.ts";
 * import { denseComparison } from "./summaries.ts";
 * const { autoencoder } = buildAutoencoder();
 * const rows = denseComparison(autoencoder, layerTable(autoencoder));
 * assert(rows.length > 0 && rows.every((r) => r.dense > r.conv));
 * autoencoder.dispose();
 * ```
 */
export function denseComparison(
  model: tf.LayersModel,
  layers: readonly LayerRow[],
): DenseComparison[] {
  const inputs = inputsOf(model, layers);
  return layers.flatMap((l, i) =>
    l.type.startsWith("Conv")
      ? [{ layer: l.layer, in: inputs[i], out: l.values, conv: l.params, dense: 0 }]
      : []
  ).map((r) => ({ ...r, dense: r.in * r.out + r.out }));
}

/** The size of the representation through the network: the input, then each conv and dense. */
export function representationFlow(model: tf.LayersModel, layers: readonly LayerRow[]): BarRow[] {
  return [
    { label: "input", value: inputsOf(model, layers)[0] },
    ...layers.filter((l) => l.type.startsWith("Conv") || l.type === "Dense")
      .map((l) => ({ label: l.layer, value: l.values })),
  ];
}

/** The compression of the code, the widest representation and the dense layers' share. */
export function architectureSentence(flow: readonly BarRow[], layers: readonly LayerRow[]) {
  const input = flow[0].value;
  const latent = layers.find((l) => l.layer.includes("latent"))?.values ?? NaN;
  const widest = flow.reduce((a, b) => (b.value > a.value ? b : a));
  const total = layers.reduce((s, l) => s + l.params, 0);
  const dense = layers.filter((l) => l.type === "Dense").reduce((s, l) => s + l.params, 0);
  const x = (v: number) => Number(v.toPrecision(3));
  return `The code holds ${latent} numbers for an image of ${input} pixels: a ` +
    `${x(input / latent)}× compression. The widest representation, after ${widest.label}, has ` +
    `${fmt(widest.value)} values (${x(widest.value / input)}× the input). The two dense ` +
    `layers around the code hold ${(100 * dense / total).toFixed(0)}% of the parameters.`;
}

/** "Run NAME: N epochs on M images, T of training at S images/s on the B backend." */
export function runSentence(run: Run, duration: (seconds: number) => string): string {
  const m = run.metrics;
  return markdown`Run \`${run.name}\`: ${plural(m.epochs, "epoch")} on ${
    fmt(run.config.train)
  } images, ${duration(m.train_seconds)} of training at ${
    Math.round(m.train_images_per_second)
  } images/s on the ${m.backend} backend.`;
}

/** The files of a run folder (and its `model/`), with their sizes, sorted by path. */
export async function runFiles(dir: string): Promise<{ file: string; bytes: number }[]> {
  const files: { file: string; bytes: number }[] = [];
  for (const sub of ["", "model"]) {
    for await (const e of Deno.readDir(join(dir, sub))) {
      if (!e.isFile) continue;
      const bytes = (await Deno.stat(join(dir, sub, e.name))).size;
      files.push({ file: join(sub, e.name), bytes });
    }
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** Rows original | noisy | reconstructed of the images at `idx`, for an image grid. */
export function tripleRows(clean: Images, noisy: Images, output: Images, idx: number[]): Images[] {
  return [take(clean, idx), take(noisy, idx), take(output, idx)];
}

/** Row labels of {@linkcode tripleRows}. */
export const TRIPLE_LABELS: readonly string[] = ["original", "noisy", "reconstructed"];

/** Test images ordered by per-image error, with the `k` best and worst. */
export function extremes(perImage: Float64Array | number[], k = 8) {
  const order = [...perImage.keys()].sort((a, b) => perImage[a] - perImage[b]);
  const n = Math.min(k, order.length);
  const best = order.slice(0, n);
  const worst = order.slice(-n).reverse();
  const sentence = `Per-image MSE runs from ${perImage[order[0]].toFixed(4)} to ` +
    `${perImage[order[order.length - 1]].toFixed(4)}, with a median of ` +
    `${perImage[order[order.length >> 1]].toFixed(4)}.`;
  return { order, best, worst, sentence };
}

/**
 * Mean per-image MSE per class (through {@linkcode classMse}), classes with no test image
 * left out, and the same rows hardest first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { classErrors } from "./summaries.ts";
 * const clean = { data: new Float32Array([0, 0]), labels: new Uint8Array([0, 1]), count: 2, height: 1, width: 1 };
 * const out = { data: new Float32Array([0, 0.5]), count: 2, height: 1, width: 1 };
 * assertEquals(classErrors(clean, out, ["a", "b", "c"]).ranked.map((r) => r.label), ["b", "a"]);
 * ```
 */
export function classErrors(clean: LabeledImages, output: Images, names: readonly string[]) {
  const errors = classMse(clean, output);
  const byClass = names.flatMap((label, c) =>
    errors[c] === null || errors[c] === undefined ? [] : [{ label, value: errors[c]! }]
  );
  const ranked = [...byClass].sort((a, b) => b.value - a.value);
  const listed = (rows: typeof ranked) =>
    rows.map((r) => `${r.label} (${r.value.toFixed(4)})`).join(", ");
  const sentence = `Hardest classes: ${listed(ranked.slice(0, 3))}. ` +
    `Easiest: ${listed(ranked.slice(-2).reverse())}.`;
  return { byClass, ranked, sentence };
}

/** Up to `n` seeded picks among the images of each named class, in order of `labels`. */
export function picksOfClasses(
  labels: Uint8Array,
  names: readonly string[],
  classes: readonly string[],
  n: number,
  seed: number,
): number[] {
  return classes.flatMap((name) => {
    const idx = [...labels.keys()].filter((i) => names[labels[i]] === name);
    return pickSamples(idx.length, Math.min(n, idx.length), seed).map((j) => idx[j]);
  });
}

/**
 * Each test digit's class average over the clean training digits: images shaped like
 * `clean`, image i the mean training image of label `clean.labels[i]`.
 */
export function classAverages(train: LabeledImages, clean: LabeledImages): Images {
  const px = train.height * train.width;
  const classes = Math.max(0, ...train.labels, ...clean.labels) + 1;
  const sums = Array.from({ length: classes }, () => new Float32Array(px));
  const counts = new Float64Array(classes);
  for (let i = 0; i < train.count; i++) {
    counts[train.labels[i]]++;
    const sum = sums[train.labels[i]];
    for (let p = 0; p < px; p++) sum[p] += train.data[i * px + p];
  }
  const data = new Float32Array(clean.count * px);
  clean.labels.forEach((c, i) => data.set(sums[c].map((v) => v / Math.max(1, counts[c])), i * px));
  return { data, count: clean.count, height: clean.height, width: clean.width };
}

/** Rows grouped by test factor, in increasing order, with their mean MSE, PSNR and SSIM over seeds. */
function byFactor(rows: readonly SweepRow[]) {
  const factors = [...new Set(rows.map((r) => r.noise_factor))].sort((a, b) => a - b);
  return factors.map((f) => {
    const at = rows.filter((r) => r.noise_factor === f);
    const avg = (k: "mse" | "psnr" | "ssim") => at.reduce((sum, r) => sum + r[k], 0) / at.length;
    return { f, seeds: at.length, mse: avg("mse"), psnr: avg("psnr"), ssim: avg("ssim") };
  });
}

/**
 * The matched rows of a noise sweep's autoencoder (trained and tested at each factor) against
 * the noisy input, one line per factor, averaged over the seeds the factor has.
 */
export function noiseFactorTable(rows: readonly SweepRow[]): Record<string, number>[] {
  const ae = rows.filter((r) =>
    r.method === "ae" && r.variant === "" &&
    r.train_noise_factor === r.noise_factor
  );
  return byFactor(ae).map((r) => {
    const noisy = rows.find((n) => n.method === "noisy" && n.noise_factor === r.f);
    return {
      "noise factor": r.f,
      seeds: r.seeds,
      "test MSE": r.mse,
      "noisy MSE": noisy?.mse ?? NaN,
      "PSNR (dB)": r.psnr,
      "noisy PSNR (dB)": noisy?.psnr ?? NaN,
      SSIM: r.ssim,
      "noisy SSIM": noisy?.ssim ?? NaN,
    };
  });
}

/**
 * How the errors grow with the factor, and at how many factors the model(s) beat the noisy
 * input (means over seeds).
 */
export function noiseFactorSentence(rows: readonly SweepRow[], trainNoise: number): string {
  const t = noiseFactorTable(rows);
  if (t.length < 2) return "Fewer than two noise factors: nothing to compare.";
  const [lo, hi] = [t[0], t[t.length - 1]];
  const wins = t.filter((r) => r["test MSE"] < r["noisy MSE"]).length;
  const cross = byFactor(rows.filter((r) =>
    r.method === "ae" && r.variant === "" &&
    r.train_noise_factor === trainNoise
  ));
  const noisyAt = (f: number) => rows.find((n) => n.method === "noisy" && n.noise_factor === f);
  const beats = cross.filter((r) => r.mse < (noisyAt(r.f)?.mse ?? -Infinity)).length;
  return `From f = ${lo["noise factor"]} to f = ${hi["noise factor"]}, the noisy input's MSE ` +
    `grows ${(hi["noisy MSE"] / lo["noisy MSE"]).toFixed(1)}-fold and the reconstruction's ` +
    `${(hi["test MSE"] / lo["test MSE"]).toFixed(1)}-fold. The autoencoder trained at each ` +
    `factor beats the noisy input at ${wins} of ${t.length}; the one trained at ` +
    `f = ${trainNoise} beats it at ${beats} of ${cross.length} factors.`;
}

/** A collapsible block with the lines of a log, HTML-escaped. */
export function logHtml(lines: readonly string[], title = "log"): string {
  return `<details><summary>${escapeHtml(title)} (${plural(lines.length, "line")})</summary>` +
    `<pre>${escapeHtml(lines.join("\n"))}</pre></details>`;
}

/** An image grid's rows and labels. */
export interface GridRows {
  /** One image batch per row. */
  rows: Images[];
  /** Row labels. */
  rowLabels: string[];
  /** Column labels. */
  colLabels: string[];
}

/**
 * Original, noisy and each run's reconstruction of up to 10 seeded test images of the
 * `focus` labels: the runs' first config fixes the data. Runs are read from `out`.
 */
export async function runsGrid(
  runs: readonly { run: string; label: string }[],
  focus: readonly number[],
  names: readonly string[],
  out: string,
): Promise<GridRows> {
  const read = await Promise.all(runs.map((r) => readRun(r.run, out)));
  const { dataset, noisyTest } = await prepareData(read[0].config);
  const labels = dataset.test.labels;
  const members = [...labels.keys()].filter((i) => focus.includes(labels[i]));
  const picks = pickSamples(members.length, Math.min(10, members.length), read[0].config.seed)
    .map((i) => members[i]);
  const noisy = take(noisyTest, picks);
  const outputs: Images[] = [];
  for (const run of read) outputs.push(await predictWithRun(run, noisy));
  return {
    rows: [take(dataset.test, picks), noisy, ...outputs],
    rowLabels: ["original", `noisy (f = ${read[0].config.noise})`, ...runs.map((r) => r.label)],
    colLabels: picks.map((i) => names[labels[i]] ?? String(labels[i])),
  };
}

/** Damage done by each noise factor: MSE of the noisy test images, one point per factor. */
export function noiseDamage(clean: Images, noisyAt: (f: number) => Images, factors: number[]) {
  return factors.map((f): MetricRow => ({
    x: f,
    y: mse(clean, noisyAt(f)),
    series: "noisy input",
  }));
}
