/**
 * The numbers and tables the notebooks show about data, model, training and results.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { predictWithRun, readRun } from "../runs/run_folder.ts";
import { prepareData } from "../runs/experiment_data.ts";
import type { BarRow } from "../figures/charts.ts";
import { type Images, type LabeledImages, pickSamples, take } from "../data/images.ts";
import type { LayerRow } from "../model/autoencoder.ts";
import type { SweepRow } from "../sweep/plan.ts";

/** Values per image entering each layer: the input's, then each previous layer's output. */
function inputsOf(model: tf.LayersModel, layers: readonly LayerRow[]): number[] {
  const input = (model.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  return [input, ...layers.map((l) => l.values)];
}

/**
 * Each convolution of `model` against a dense layer with the same inputs and outputs: its
 * `layer`, values `in` and `out` per image, its parameters `conv`, and a dense layer's `dense`.
 */
export function denseComparison(model: tf.LayersModel, layers: readonly LayerRow[]) {
  const inputs = inputsOf(model, layers);
  return layers.flatMap((l, i) =>
    l.type.startsWith("Conv")
      ? [{
        layer: l.layer,
        in: inputs[i],
        out: l.values,
        conv: l.params,
        dense: (inputs[i] + 1) * l.values,
      }]
      : []
  );
}

/** The size of the representation through the network: the input, then each conv and dense. */
export function representationFlow(model: tf.LayersModel, layers: readonly LayerRow[]): BarRow[] {
  return [
    { label: "input", value: inputsOf(model, layers)[0] },
    ...layers.filter((l) => l.type.startsWith("Conv") || l.type === "Dense")
      .map((l) => ({ label: l.layer, value: l.values })),
  ];
}

/** Images shaped like `clean`, image i the mean training image of label `clean.labels[i]`. */
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

/** Rows by increasing test factor, with mean MSE, PSNR and SSIM over seeds. */
function byFactor(rows: readonly SweepRow[]) {
  const factors = [...new Set(rows.map((r) => r.noise_factor))].sort((a, b) => a - b);
  return factors.map((f) => {
    const at = rows.filter((r) => r.noise_factor === f);
    const avg = (k: "mse" | "psnr" | "ssim") => at.reduce((sum, r) => sum + r[k], 0) / at.length;
    return { f, seeds: at.length, mse: avg("mse"), psnr: avg("psnr"), ssim: avg("ssim") };
  });
}

/** The autoencoder trained and tested at each factor against the noisy input, means over seeds. */
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
 * Original, noisy and each run's (read from `out`) reconstruction of up to 10 seeded test
 * images of the `focus` labels; the first run's config fixes the data.
 */
export async function runsGrid(
  runs: readonly { run: string; label: string }[],
  focus: readonly number[],
  names: readonly string[],
  out: string,
): Promise<{ rows: Images[]; rowLabels: string[]; colLabels: string[] }> {
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
