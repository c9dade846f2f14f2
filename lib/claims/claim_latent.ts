/**
 * Claim 5: 5a latent 64 against 16, 5b the same on the named classes' mean class MSE; and
 * notebook 6's image grid of the runs compared.
 *
 * @module
 */
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { predictWithRun, readRun } from "../runs/run_folder.ts";
import { prepareData } from "../runs/experiment_data.ts";
import { classNames } from "../data/datasets.ts";
import { type Images, pickSamples, take } from "../data/images.ts";
import { metricChart } from "../figures/charts.ts";
import type { SweepRow } from "../sweep/plan.ts";
import { mean } from "./stats.ts";
import {
  type ArmValue,
  type ClaimOptions,
  compareArms,
  findRows,
  finish,
  meansTable,
  primary,
} from "./compare.ts";

/** A row's mean class MSE over `classes`, and its PSNR. */
function classValue(classes: readonly number[]): (r: SweepRow) => ArmValue {
  return (r) => {
    const mse = mean(classes.map((c) => r.class_mse[c] ?? NaN));
    return { mse, psnr: -10 * Math.log10(mse) };
  };
}

/**
 * Claim 5; `focus` names 5b's classes (none found: 5b is "not tested"); its chart, MSE per
 * class and latent size. Beside the claim: `runs`, the runs compared (first seed), smallest
 * code first; `focusLabels`, the named classes found, else the two worst at latent
 * 16 (display only).
 */
export function claimLatent(
  rows: readonly SweepRow[],
  focus: readonly string[] = ["6", "9"],
  options: ClaimOptions = {},
) {
  const { noise: f = 0.5 } = options;
  const base = findRows(rows, "ae", f, "", f);
  const small = findRows(rows, "ae", f, "latent 2", f);
  const big = findRows(rows, "ae", f, "latent 64", f);
  const present = ([[2, small], [DEFAULT_CONFIG.latent, base], [64, big]] as const)
    .filter(([, r]) => r.length > 0);
  const names = classNames(base[0]?.dataset ?? "mnist");
  const focusLabels = focus.map((n) => names.indexOf(n)).filter((c) => c >= 0);
  const missing = `"latent 64" ablation at f = ${f}`;
  const named = focusLabels.map((c) => names[c]).join(" and ") || "(none in this dataset)";
  const parts = [
    {
      id: "5a",
      title: "latent 64 beats 16",
      comparison: primary(`latent 64 − latent 16 at f = ${f}`, big, base, "less", missing, options),
    },
    {
      id: "5b",
      title: `latent 64 beats 16 on the ${
        focus.map((n) => `${n}s`).join(" and ") || "named classes"
      }`,
      comparison: primary(`latent 64 − latent 16 on classes ${named}`, big, base, "less", missing, {
        ...options,
        value: classValue(focusLabels),
        ...(focusLabels.length === 0
          ? { untested: "this dataset has none of the classes the report names" }
          : {}),
      }),
    },
  ];
  const classes = (base[0]?.class_mse ?? []).map((_, c) => c);
  const classMean = (r: readonly SweepRow[], c: number) =>
    mean(r.map(classValue([c])).map((v) => v.mse));
  const secondary = big.length === 0 || base.length === 0 ? [] : [
    ...classes.map((c) =>
      compareArms(`latent 64 − latent 16 on class ${names[c] ?? c}`, big, base, "less", {
        ...options,
        value: classValue([c]),
      })
    ),
    ...(small.length > 0
      ? [compareArms(`latent 2 − latent 16 at f = ${f}`, small, base, "greater", options)]
      : []),
  ];
  const order = classes.filter((c) => Number.isFinite(classMean(base, c)))
    .sort((x, y) => classMean(base, y) - classMean(base, x));
  const looked = focusLabels.length > 0 ? focusLabels : order.slice(0, 2);
  const chart = metricChart(
    present.flatMap(([latent, r]) =>
      classes.map((c) => ({ x: c, y: classMean(r, c), series: `latent ${latent}` }))
        .filter((p) => Number.isFinite(p.y))
    ),
    { xLabel: "class (label)", yLabel: "MSE", title: `Error per class at f = ${f}` },
  );
  const means = meansTable(present.map(([latent, r]) => ({ label: `latent ${latent}`, rows: r })));
  return {
    ...finish(parts, secondary, { means, chart }),
    runs: present.map(([latent, r]) => ({ latent, run: r[0].run })),
    focusLabels: looked,
  };
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
