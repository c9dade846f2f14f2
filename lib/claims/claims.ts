/**
 * The report's claims, tested on a sweep's rows: the one place where claim tables and
 * sentences are computed. Each claim compares two arms (e.g. the autoencoder with and
 * without dropout) by the paired difference of their test MSE, with a 95% Student-t interval
 * over training seeds and a paired bootstrap over test images (lib/claims/stats.ts); its verdict is
 * what lib/claims/verdict.ts's {@linkcode verdict} (and, over several comparisons,
 * {@linkcode combineVerdicts}) returns. Notebook 06 and the README only show these results.
 *
 * @module
 */
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { classNames } from "../data/datasets.ts";
import { barChart, metricChart } from "../figures/charts.ts";
import { type Interval, mean, pairedBootstrap, tInterval } from "./stats.ts";
import type { ChartElement } from "../figures/svg.ts";
import {
  METHOD_LABELS,
  type PerImageScores,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepRow,
} from "../sweep/plan.ts";
import { db, plural } from "../text.ts";
import { combineVerdicts, type Verdict, verdict, type VerdictResult } from "./verdict.ts";

/** Per-image scores of a sweep's rows, keyed by the rows' `per_image` path. */
export type PerImageLookup = ReadonlyMap<string, PerImageScores>;

/** One paired comparison of two arms: `A − B` in test MSE. */
export interface Comparison {
  /** What is compared, e.g. "autoencoder − BM3D at f = 0.5". */
  label: string;
  /** Seeds paired (the rows of A, or of B when A is not learned). */
  seeds: number;
  /** Mean MSE of arm A over its paired seeds. */
  mseA: number;
  /** Mean MSE of arm B. */
  mseB: number;
  /** Mean PSNR difference A − B (dB). */
  psnrDiff: number;
  /** 95% t-interval over seeds of the MSE difference; null with one seed. */
  seedInterval: Interval | null;
  /** 95% paired bootstrap over test images of the MSE difference; null without per-image scores. */
  imageInterval: Interval | null;
  /** What {@linkcode verdict} says about the claimed sign. */
  result: VerdictResult;
}

/** A claim tested on the numbers. */
export interface ClaimResult {
  /** The claim's comparisons as table rows: difference, intervals and each one's verdict. */
  table: Record<string, string | number>[];
  /** The arms' means over seeds, as table rows. */
  means: Record<string, string | number>[];
  /** The comparisons behind the verdict. */
  comparisons: Comparison[];
  /** From {@linkcode verdict} / {@linkcode combineVerdicts} only. */
  verdict: Verdict;
  /** Sentences computed from the numbers, ending with the verdict's reason. */
  text: string;
  /** The chart that tests the claim, when a table alone does not show it. */
  chart?: ChartElement;
}

function findRows(
  rows: readonly SweepRow[],
  method: SweepMethod,
  noise: number,
  variant = "",
  trainNoise: number | null | "matched" = "matched",
): SweepRow[] {
  return rows.filter((r) =>
    r.method === method && r.variant === variant && r.noise_factor === noise &&
    (trainNoise === "matched"
      ? r.train_noise_factor === null || r.train_noise_factor === noise
      : r.train_noise_factor === trainNoise)
  );
}

/**
 * Pairs two arms and judges `A − B` (test MSE) with {@linkcode verdict}. Learned arms pair
 * by training seed; a classical arm (one row, seed null) pairs with every seed of the other.
 * The bootstrap uses each image's MSE averaged over the paired seeds. Throws when the arms'
 * rows scored different noisy test images.
 *
 * @param direction `"less"` when the claim says A's MSE is lower.
 */
export function compareArms(
  label: string,
  a: readonly SweepRow[],
  b: readonly SweepRow[],
  direction: "less" | "greater",
  perImage: PerImageLookup = new Map(),
  imagesOf: (s: PerImageScores) => number[] = (s) => s.mse,
): Comparison {
  const pairs: [SweepRow, SweepRow][] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.seed === null || y.seed === null || x.seed === y.seed) pairs.push([x, y]);
    }
  }
  const hashes = new Set(pairs.flat().map((r) => r.test_inputs_sha256).filter((h) => h !== ""));
  if (hashes.size > 1) {
    throw new Error(`${label}: the arms scored different noisy test images`);
  }
  const diffs = pairs.map(([x, y]) => x.mse - y.mse);
  const seedInterval = tInterval(diffs);
  const scores = pairs.map(([x, y]) => [perImage.get(x.per_image), perImage.get(y.per_image)]);
  let imageInterval: Interval | null = null;
  if (pairs.length > 0 && scores.every(([x, y]) => x && y)) {
    const avg = (k: 0 | 1) => {
      const lists = scores.map((s) => imagesOf(s[k]!));
      return lists[0].map((_, i) => mean(lists.map((l) => l[i])));
    };
    imageInterval = pairedBootstrap(avg(0), avg(1), { seed: 0 });
  }
  return {
    label,
    seeds: pairs.length,
    mseA: mean(pairs.map(([x]) => x.mse)),
    mseB: mean(pairs.map(([, y]) => y.mse)),
    psnrDiff: mean(pairs.map(([x, y]) => x.psnr - y.psnr)),
    seedInterval,
    imageInterval,
    result: verdict({ direction, seeds: seedInterval, images: imageInterval }),
  };
}

function interval(i: Interval | null): string {
  if (i === null) return "—";
  return `[${i.low.toExponential(2)}, ${i.high.toExponential(2)}]`;
}

/** Table rows of comparisons. */
export function comparisonTable(comparisons: readonly Comparison[]): ClaimResult["table"] {
  return comparisons.map((c) => ({
    comparison: c.label,
    seeds: c.seeds,
    "Δ mse": c.seedInterval?.estimate ?? c.mseA - c.mseB,
    "95% t over seeds": interval(c.seedInterval),
    "95% bootstrap over images": interval(c.imageInterval),
    "Δ psnr (dB)": Number(c.psnrDiff.toFixed(3)),
    verdict: c.result.verdict,
  }));
}

/** Means over seeds of some arms, as table rows. */
function meansTable(arms: { label: string; rows: readonly SweepRow[] }[]): ClaimResult["means"] {
  return arms.filter((x) => x.rows.length > 0).map(({ label, rows }) => ({
    arm: label,
    seeds: rows.length,
    mse: mean(rows.map((r) => r.mse)),
    psnr: mean(rows.map((r) => r.psnr)),
    ssim: mean(rows.map((r) => r.ssim)),
  }));
}

function untested(what: string): ClaimResult {
  return {
    table: [],
    means: [],
    comparisons: [],
    verdict: "not resolved",
    text: `Not tested: the sweep has no ${what}.`,
  };
}

function label(method: SweepMethod): string {
  return METHOD_LABELS[method];
}

/**
 * Claim 1, "given enough images, autoencoders beat any other denoising method": at every
 * noise factor, the autoencoder trained at that factor against every other method in the
 * sweep, learned and classical (the noisy input included). Its verdict at a factor combines
 * the comparisons there; the claim's combines the factors.
 */
export function claimBeatsClassical(
  rows: readonly SweepRow[],
  perImage: PerImageLookup = new Map(),
): ClaimResult {
  const factors = [...new Set(rows.filter((r) => r.method === "ae").map((r) => r.noise_factor))]
    .sort((x, y) => x - y).filter((f) => findRows(rows, "ae", f, "", f).length > 0);
  if (factors.length === 0) return untested("autoencoder trained at a test factor");
  const comparisons: Comparison[] = [];
  const byFactor: { f: number; verdict: Verdict; beatenBy: string[] }[] = [];
  const means: ClaimResult["means"] = [];
  for (const f of factors) {
    const ae = findRows(rows, "ae", f, "", f);
    const others = SWEEP_METHODS.filter((m) => m !== "ae")
      .map((m) => ({ m, rows: findRows(rows, m, f) }))
      .filter((x) => x.rows.length > 0);
    const here = others.map(({ m, rows: r }) =>
      compareArms(`autoencoder − ${label(m)} at f = ${f}`, ae, r, "less", perImage)
    );
    comparisons.push(...here);
    byFactor.push({
      f,
      verdict: combineVerdicts(here.map((c) => c.result.verdict)),
      beatenBy: others.filter((_, i) => here[i].mseA > here[i].mseB).map(({ m }) => label(m)),
    });
    for (
      const line of meansTable([
        { label: "autoencoder", rows: ae },
        ...others.map((o) => ({ label: label(o.m), rows: o.rows })),
      ])
    ) {
      means.push({ "noise factor": f, ...line });
    }
  }
  const overall = combineVerdicts(byFactor.map((x) => x.verdict));
  const list = (v: Verdict) => byFactor.filter((x) => x.verdict === v).map((x) => x.f).join(", ");
  const parts = [
    list("supported") && `best at f = ${list("supported")}`,
    list("contradicted") && `not best at f = ${list("contradicted")}`,
    list("not resolved") && `not resolved at f = ${list("not resolved")}`,
  ].filter(Boolean);
  const beaten = byFactor.filter((x) => x.beatenBy.length > 0)
    .map((x) => `at f = ${x.f} by ${x.beatenBy.join(", ")}`);
  const text =
    `Against every other method in the sweep (${
      SWEEP_METHODS.filter((m) => m !== "ae").filter((m) => rows.some((r) => r.method === m)).map(
        label,
      ).join(", ")
    }), ` +
    `the autoencoder is ${parts.join("; ")}. ` +
    (beaten.length > 0 ? `Lower mean MSE than the autoencoder: ${beaten.join("; ")}. ` : "") +
    `Verdict: ${overall}.`;
  const ref = factors.includes(0.5) ? 0.5 : factors[0];
  const at = means.filter((m) => m["noise factor"] === ref).sort((x, y) =>
    (y.psnr as number) - (x.psnr as number)
  );
  const chart = barChart(at.map((r) => ({ label: String(r.arm), value: r.psnr as number })), {
    yLabel: "PSNR (dB)",
    title: `Mean PSNR of each method at f = ${ref}`,
    format: (v) => v.toFixed(2),
  });
  return { table: comparisonTable(comparisons), means, comparisons, verdict: overall, text, chart };
}

/**
 * Claim 2, "training on noisy inputs is what makes it work and generalise": against the
 * control trained on clean inputs (f = 0), at every test factor, the autoencoder trained at
 * that factor and the one trained at `trainNoise` (cross-noise) should have the lower MSE.
 */
export function claimNoiseRobustness(
  rows: readonly SweepRow[],
  trainNoise = 0.5,
  perImage: PerImageLookup = new Map(),
): ClaimResult {
  const clean = rows.filter((r) =>
    r.method === "ae" && r.variant === "" && r.train_noise_factor === 0 && r.noise_factor > 0
  );
  const factors = [...new Set(clean.map((r) => r.noise_factor))].sort((a, b) => a - b);
  if (factors.length === 0) {
    return untested("autoencoder trained on clean inputs (f = 0) tested on noisy ones");
  }
  const comparisons: Comparison[] = [];
  const means: ClaimResult["means"] = [];
  const points: { x: number; y: number; series: string }[] = [];
  for (const f of factors) {
    const control = findRows(rows, "ae", f, "", 0);
    const matched = findRows(rows, "ae", f, "", f);
    const cross = f === trainNoise ? [] : findRows(rows, "ae", f, "", trainNoise);
    const noisy = findRows(rows, "noisy", f);
    if (matched.length > 0) {
      comparisons.push(
        compareArms(
          `trained at ${f} − trained clean, at f = ${f}`,
          matched,
          control,
          "less",
          perImage,
        ),
      );
    }
    if (cross.length > 0) {
      comparisons.push(
        compareArms(
          `trained at ${trainNoise} − trained clean, at f = ${f}`,
          cross,
          control,
          "less",
          perImage,
        ),
      );
    }
    const arms = [
      { label: "noisy input", rows: noisy },
      { label: "trained clean (f = 0)", rows: control },
      { label: `trained at ${trainNoise}`, rows: f === trainNoise ? matched : cross },
      { label: "trained at f", rows: matched },
    ];
    for (const line of meansTable(arms)) means.push({ "noise factor": f, ...line });
    for (const arm of arms) {
      if (arm.rows.length > 0) {
        points.push({ x: f, y: mean(arm.rows.map((r) => r.psnr)), series: arm.label });
      }
    }
  }
  const overall = combineVerdicts(comparisons.map((c) => c.result.verdict));
  const count = (v: Verdict) => comparisons.filter((c) => c.result.verdict === v).length;
  const text = `Of ${comparisons.length} comparisons with the clean-trained control, training ` +
    `on noisy inputs lowers the MSE with both intervals below zero in ${count("supported")}, ` +
    `raises it in ${count("contradicted")}, and is not resolved in ${count("not resolved")}. ` +
    `Verdict: ${overall}.`;
  const chart = metricChart(points, {
    xLabel: "noise factor of the test images",
    yLabel: "PSNR (dB)",
    title: "Trained clean, trained noisy",
  });
  return { table: comparisonTable(comparisons), means, comparisons, verdict: overall, text, chart };
}

/** Claims 3 and 4: the reference autoencoder against one ablation, over seeds. */
function ablation(
  rows: readonly SweepRow[],
  variant: string,
  noise: number,
  perImage: PerImageLookup,
  direction: "less" | "greater",
  labelText: string,
): { base: SweepRow[]; other: SweepRow[]; comparison: Comparison } | undefined {
  const base = findRows(rows, "ae", noise, "", noise);
  const other = findRows(rows, "ae", noise, variant, noise);
  if (base.length === 0 || other.length === 0) return undefined;
  return { base, other, comparison: compareArms(labelText, base, other, direction, perImage) };
}

function seedList(rows: readonly SweepRow[]): string {
  return rows.map((r) => r.seed).join(", ");
}

/**
 * Claim 3, "ReduceLROnPlateau brought no real gain": the report's autoencoder (schedule on)
 * against the same model at a fixed rate, `schedule − fixed` in MSE. The claim is
 * contradicted when the schedule's MSE is lower beyond both intervals, supported when it is
 * higher beyond both; the text states how often the schedule fired, seed by seed.
 */
export function claimLrSchedule(
  rows: readonly SweepRow[],
  noise = 0.5,
  perImage: PerImageLookup = new Map(),
): ClaimResult {
  // The "lr schedule" arm trains as long as "no lr schedule"; older sweeps have only "".
  const arm = rows.some((r) => r.variant === "lr schedule") ? "lr schedule" : "";
  const base = findRows(rows, "ae", noise, arm, noise);
  const other = findRows(rows, "ae", noise, "no lr schedule", noise);
  if (base.length === 0 || other.length === 0) {
    return untested(`"no lr schedule" ablation at noise factor ${noise}`);
  }
  const comparison = compareArms(
    `schedule − fixed rate at f = ${noise}`,
    base,
    other,
    "greater",
    perImage,
  );
  const fired = base.map((r) =>
    `seed ${r.seed}: ${r.lr_drops === null ? "unknown" : `${r.lr_drops}×`}`
  ).join(", ");
  const never = base.every((r) => r.lr_drops === 0);
  const text = `Over ${plural(base.length, "seed")} (${seedList(base)}), ` +
    `${plural(base[0].epochs, "epoch")} each, ` +
    `the schedule lowered the rate ${fired}. ` +
    (never
      ? "It never fired, so both arms trained alike and the sweep does not test the claim. "
      : "") +
    `Schedule − fixed rate: ${db(comparison.psnrDiff, true)} PSNR. ` +
    `Verdict: ${comparison.result.verdict} (${comparison.result.reason}).`;
  return {
    table: comparisonTable([comparison]),
    means: meansTable([{ label: "schedule (report)", rows: base }, {
      label: "fixed rate",
      rows: other,
    }]).map((m, i) => ({
      ...m,
      "lr drops": (i === 0 ? base : other).map((r) => r.lr_drops ?? "?").join(", "),
    })),
    comparisons: [comparison],
    verdict: comparison.result.verdict,
    text,
  };
}

/**
 * Claim 4, "the 0.2 dropout helped": the report's autoencoder against the same model
 * without dropout, `dropout − none` in MSE, claimed below zero.
 */
export function claimDropout(
  rows: readonly SweepRow[],
  noise = 0.5,
  perImage: PerImageLookup = new Map(),
): ClaimResult {
  const pair = ablation(
    rows,
    "dropout 0",
    noise,
    perImage,
    "less",
    `dropout 0.2 − none at f = ${noise}`,
  );
  if (!pair) return untested(`"dropout 0" ablation at noise factor ${noise}`);
  const { base, other, comparison } = pair;
  const text = `Over ${plural(comparison.seeds, "paired seed")}, dropout changes the PSNR by ` +
    `${db(comparison.psnrDiff, true)}. Verdict: ${comparison.result.verdict} ` +
    `(${comparison.result.reason}).`;
  return {
    table: comparisonTable([comparison]),
    means: meansTable([{ label: "dropout 0.2 (report)", rows: base }, {
      label: "no dropout",
      rows: other,
    }]),
    comparisons: [comparison],
    verdict: comparison.result.verdict,
    text,
  };
}

/** Result of {@linkcode claimLatent}: the claim plus MSE per class and latent size. */
export interface LatentClaimResult extends ClaimResult {
  /** MSE per class: `{ class, "latent 2": …, "latent 16": …, "latent 64": … }`. */
  classTable: Record<string, string | number>[];
  /** The runs compared (first seed), smallest code first (to show their reconstructions). */
  runs: { latent: number; run: string }[];
  /** Labels to look at: the named classes found, else the two worst at latent 16. */
  focusLabels: number[];
}

/**
 * Claim 5, "the 16-number latent loses detail, e.g. in 6s and 9s": latent 64 against the
 * report's 16, `64 − 16` in MSE claimed below zero, over all test images (the verdict) and
 * over the images of each named class (shown beside it).
 */
export function claimLatent(
  rows: readonly SweepRow[],
  noise = 0.5,
  focus: readonly string[] = ["6", "9"],
  perImage: PerImageLookup = new Map(),
): LatentClaimResult {
  const base = findRows(rows, "ae", noise, "", noise);
  const byLatent: [number, SweepRow[]][] = [
    [2, findRows(rows, "ae", noise, "latent 2", noise)],
    [DEFAULT_CONFIG.latent, base],
    [64, findRows(rows, "ae", noise, "latent 64", noise)],
  ];
  const present = byLatent.filter(([, r]) => r.length > 0);
  const big = byLatent[2][1];
  if (base.length === 0 || big.length === 0) {
    return {
      ...untested(`"latent 64" ablation at noise factor ${noise}`),
      classTable: [],
      runs: [],
      focusLabels: [],
    };
  }
  const main = compareArms(`latent 64 − latent 16 at f = ${noise}`, big, base, "less", perImage);
  const names = classNames(base[0].dataset);
  const classMean = (r: SweepRow[], c: number) => {
    const v = r.flatMap((x) => (x.class_mse[c] == null ? [] : [x.class_mse[c]!]));
    return v.length > 0 ? mean(v) : NaN;
  };
  const classTable = base[0].class_mse.map((_, c) => {
    const line: Record<string, string | number> = { class: names[c] ?? String(c) };
    for (const [latent, r] of present) line[`latent ${latent}`] = classMean(r, c);
    return line;
  });
  const focusLabels = focus.map((n) => names.indexOf(n)).filter((c) => c >= 0);
  const order = base[0].class_mse.map((_, c) => c).filter((c) => !Number.isNaN(classMean(base, c)))
    .sort((x, y) => classMean(base, y) - classMean(base, x));
  const looked = focusLabels.length > 0 ? focusLabels : order.slice(0, 2);
  const perClass = looked.map((c) =>
    compareArms(
      `latent 64 − latent 16 on class ${names[c] ?? c}`,
      big,
      base,
      "less",
      perImage,
      // Only this class's images: other images count as no difference, so restrict instead.
      (s) => s.mse.filter((_, i) => s.labels[i] === c),
    )
  );
  // The per-class t-intervals use the class MSE of each seed, not the overall MSE.
  const classComparisons = perClass.map((cmp, k) => {
    const c = looked[k];
    const pairs = big.flatMap((x) => base.filter((y) => y.seed === x.seed).map((y) => [x, y]));
    const seeds = tInterval(pairs.map(([x, y]) => x.class_mse[c]! - y.class_mse[c]!));
    return {
      ...cmp,
      seedInterval: seeds,
      result: verdict({ direction: "less", seeds, images: cmp.imageInterval }),
    };
  });
  const ranks = looked.map((c) => `${names[c] ?? c} is #${order.indexOf(c) + 1}`).join(", ");
  const text =
    `A 64-number code changes the MSE by ${
      main.seedInterval?.estimate.toExponential(2) ?? (main.mseA - main.mseB).toExponential(2)
    } ` +
    `(${db(main.psnrDiff, true)} PSNR) against the report's 16, over ${
      plural(main.seeds, "paired seed")
    }. ` +
    `Ranked by error at latent 16 (1 = worst of ${order.length}), ${ranks}. ` +
    `Verdict: ${main.result.verdict} (${main.result.reason}).`;
  const chart = metricChart(
    present.flatMap(([latent, r]) =>
      classTable.map((line, c) => ({
        x: c,
        y: line[`latent ${latent}`] as number,
        series: `latent ${latent}`,
      }))
        .filter((p) => Number.isFinite(p.y) && r.length > 0)
    ),
    { xLabel: "class (label)", yLabel: "MSE", title: `Error per class at f = ${noise}` },
  );
  const runs = present.map(([latent, r]) => ({ latent, run: r[0].run }));
  const comparisons = [main, ...classComparisons];
  return {
    table: comparisonTable(comparisons),
    means: meansTable(present.map(([latent, r]) => ({ label: `latent ${latent}`, rows: r }))),
    comparisons,
    verdict: main.result.verdict,
    text,
    classTable,
    chart,
    runs,
    focusLabels: looked,
  };
}
