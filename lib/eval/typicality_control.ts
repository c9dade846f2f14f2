/**
 * The control for notebook 4's remark that badly drawn digits come out better: does the
 * autoencoder pull atypical digits toward the typical shape more than the best classical
 * filter, which knows nothing about digits but also smooths? The filter is chosen by MSE on
 * validation images (never the test set), each candidate tuned on noisy training images.
 *
 * @module
 */
import { type ClassicalMethod, DENOISERS } from "../denoisers/registry.ts";
import type { ExperimentData } from "../runs/experiment_data.ts";
import { type Images, type LabeledImages, pickSamples, take } from "../data/images.ts";
import { mse, msePerImage } from "./metrics.ts";
import { mean } from "../claims/stats.ts";
import { verdict } from "../claims/verdict.ts";
import { markdown } from "../text.ts";

/** A copy of `images` with every value clipped to [0, 1]. */
export function clipUnit(images: Images): Images {
  return { ...images, data: images.data.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v)) };
}

/**
 * Tunes each candidate on a seeded 50 of the noisy training images and keeps the lowest MSE
 * on a seeded subset of the validation images (ties keep the earlier). `apply` clips to [0, 1];
 * `scores` holds every candidate in the order tried, with its MSE on the validation subset.
 *
 * @param options `methods` from `DENOISERS` @default all but "noisy"; `validation` images
 * @default 200; `seed` of both subsets @default 0.
 */
export function bestClassicalDenoiser(
  data: Pick<ExperimentData, "noisyTrain" | "validation" | "noisyValidation"> & {
    dataset: { train: Images };
  },
  options: { methods?: readonly ClassicalMethod[]; validation?: number; seed?: number } = {},
) {
  const {
    methods = (Object.keys(DENOISERS) as ClassicalMethod[]).filter((m) => m !== "noisy"),
    validation = 200,
    seed = 0,
  } = options;
  const t = pickSamples(data.noisyTrain.count, Math.min(50, data.noisyTrain.count), seed + 1);
  const training = { noisy: take(data.noisyTrain, t), clean: take(data.dataset.train, t) };
  const v = pickSamples(data.validation.count, Math.min(validation, data.validation.count), seed);
  const [noisyVal, cleanVal] = [take(data.noisyValidation, v), take(data.validation, v)];
  const fitted = methods.map((method) => {
    const { label, fit } = DENOISERS[method];
    const f = fit(training);
    const apply = (x: Images) => clipUnit(f.apply(x));
    return { method, label, parameter: f.parameter, apply, mse: mse(apply(noisyVal), cleanVal) };
  });
  const best = fitted.reduce((a, b) => (b.mse < a.mse ? b : a));
  return {
    ...best,
    scores: fitted.map((f) => ({
      method: f.label,
      parameter: f.parameter,
      "validation MSE": f.mse,
    })),
  };
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

/**
 * Does `output` pull the tenth farthest from their class average `typical` toward it?
 * `atypical`: the share of that tenth reconstructed closer to its class average; `others`: the
 * same share for the other digits; `pulls`: MSE(clean, average) − MSE(output, average) of each
 * digit of the tenth, farthest first, and `pull` their mean; `tidied`: the (up to 8) atypical
 * digits moved most toward it.
 */
export function typicality(clean: Images, output: Images, typical: Images) {
  const before = msePerImage(clean, typical);
  const after = msePerImage(output, typical);
  const byOddness = [...before.keys()].sort((a, b) => before[b] - before[a]);
  const nOdd = Math.max(1, Math.round(clean.count / 10));
  const closer = (idx: number[]) =>
    idx.filter((i) => after[i] < before[i]).length / Math.max(1, idx.length);
  const odd = byOddness.slice(0, nOdd);
  const [atypical, others] = [closer(odd), closer(byOddness.slice(nOdd))];
  const pulls = odd.map((i) => before[i] - after[i]);
  const pull = mean(pulls);
  const tidied = [...odd].sort((a, b) => (after[a] - before[a]) - (after[b] - before[b]))
    .slice(0, 8);
  return { atypical, others, pulls, pull, tidied };
}

/**
 * {@linkcode typicality} of the autoencoder's `output` and of `filter` on the same seeded test
 * digits, and `verdict()`'s verdict (Markdown) on the claim that the autoencoder pulls the
 * atypical tenth toward the class average more: autoencoder − filter pull, paired by digit. All
 * images are `[n, h, w, 1]` with the same n; `typical` holds each digit's class average.
 * `picked` is the filter's output on `picks`.
 *
 * @param options `picks` @default []; `count` test digits @default 1000; `seed` @default 0.
 */
export function typicalityControl(
  images: { clean: Images; noisy: Images; output: Images; typical: Images },
  filter: { label: string; apply: (images: Images) => Images },
  options: { picks?: readonly number[]; count?: number; seed?: number } = {},
) {
  const { picks = [], count = 1000, seed = 0 } = options;
  const { clean, noisy, output, typical } = images;
  const indices = pickSamples(clean.count, Math.min(count, clean.count), seed);
  const at = (x: Images) => take(x, indices);
  const a = typicality(at(clean), at(output), at(typical));
  const c = typicality(at(clean), clipUnit(filter.apply(at(noisy))), at(typical));
  const pct = (p: number) => `${(100 * p).toFixed(0)}%`;
  const row = (method: string, t: ReturnType<typeof typicality>) => ({
    method,
    "atypical tenth brought closer": pct(t.atypical),
    "other digits brought closer": pct(t.others),
    "mean pull (atypical tenth)": t.pull,
  });
  const { label } = filter;
  const differences = a.pulls.map((p, i) => p - c.pulls[i]);
  const result = verdict({ test: "greater", differences, pairs: "atypical digits" });
  return {
    indices,
    autoencoder: a,
    classical: c,
    picked: clipUnit(filter.apply(take(noisy, picks))),
    table: [row("autoencoder", a), row(label, c)],
    verdict: markdown`**The control: ${result.verdict}** (the autoencoder pulls the atypical ` +
      markdown`tenth toward the class average more than ${label}: ${result.reason}).`,
  };
}
