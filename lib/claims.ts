/**
 * The report's claims, tested on a sweep's rows: the one place where verdicts and claim
 * sentences are computed. Notebook 06 and the README only show what these functions return.
 *
 * @module
 */
import { DEFAULT_CONFIG } from "./config.ts";
import { classNames } from "./data.ts";
import { barChart, metricChart } from "./figures.ts";
import type { ChartElement } from "./svg.ts";
import { SCHEDULE_PATIENCE } from "./run_claims.ts";
import {
  LEARNED_METHODS,
  METHOD_LABELS,
  SWEEP_METHODS,
  type SweepMethod,
  type SweepRow,
} from "./sweep_plan.ts";
import { db, plural } from "./text.ts";

/**
 * PSNR differences below this are treated as no real difference. The sweep trains each
 * model once; the report's autoencoder trained with seeds 0, 1 and 2 at the sweep's default
 * settings (f = 0.5, 10 epochs) scored 17.99, 18.05 and 18.01 dB, a spread of 0.06 dB, so
 * smaller gaps cannot be told apart from the choice of seed.
 */
export const NEGLIGIBLE_PSNR_DB = 0.1;

/** A claim tested on the numbers: a table to show and a verdict computed from it. */
export interface ClaimResult {
  /** Rows to show as a table. */
  table: Record<string, string | number>[];
  /** One or two sentences, computed from the numbers whichever way they fall. */
  verdict: string;
  /**
   * True when the numbers support the claim; false when they contradict it or show no real
   * effect; null when they are mixed, support it only in part, or cannot test it.
   */
  holds: boolean | null;
  /** The chart that tests the claim, when a table alone does not show it. */
  chart?: ChartElement;
}

function epochs(n: number): string {
  return plural(n, "epoch");
}

function signedDb(x: number): string {
  return db(x, true);
}

function findRow(
  rows: readonly SweepRow[],
  method: SweepMethod,
  noise: number,
  variant = "",
  trainNoise: number | null | "matched" = "matched",
): SweepRow | undefined {
  return rows.find((r) =>
    r.method === method && r.variant === variant && r.noise_factor === noise &&
    (trainNoise === "matched"
      ? r.train_noise_factor === null || r.train_noise_factor === noise
      : r.train_noise_factor === trainNoise)
  );
}

function untested(what: string): ClaimResult {
  return { table: [], verdict: `Not tested: the sweep has no ${what}.`, holds: null };
}

/**
 * Claim 1, "given enough images, autoencoders beat any other denoising method": every
 * method at `noise`, best PSNR first, and whether the report's autoencoder beats the best
 * classical filter on both PSNR and SSIM.
 */
export function claimBeatsClassical(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const at = SWEEP_METHODS.map((m) => findRow(rows, m, noise)).filter((r) => r !== undefined);
  const ae = at.find((r) => r.method === "ae");
  const classical = at.filter((r) => !LEARNED_METHODS.includes(r.method) && r.method !== "noisy");
  if (!ae || classical.length === 0) {
    return untested(`autoencoder and classical rows at noise factor ${noise}`);
  }
  const table = [...at].sort((a, b) => b.psnr - a.psnr).map((r) => ({
    method: METHOD_LABELS[r.method],
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
    "train/tune s": Math.round(r.train_seconds),
    "denoise ms/image": Number((r.seconds_per_image * 1000).toPrecision(3)),
    parameter: r.parameter,
  }));
  const chart = barChart(
    table.map((r) => ({ label: r.method, value: r.psnr })),
    {
      yLabel: "PSNR (dB)",
      title: `PSNR of each method at f = ${noise}`,
      format: (v) => v.toFixed(2),
    },
  );
  const best = classical.reduce((a, b) => (b.psnr > a.psnr ? b : a));
  const gain = ae.psnr - best.psnr;
  const ssimBetter = ae.ssim > best.ssim;
  const holds = gain > NEGLIGIBLE_PSNR_DB && ssimBetter
    ? true
    : gain < -NEGLIGIBLE_PSNR_DB && !ssimBetter
    ? false
    : null;
  let verdict = `At f = ${noise}, trained on ${ae.train_images.toLocaleString("en-US")} images, ` +
    `the autoencoder reaches ${db(ae.psnr)} (SSIM ${ae.ssim.toFixed(3)}) against ` +
    `${db(best.psnr)} (SSIM ${best.ssim.toFixed(3)}) for the best classical method, ` +
    `${METHOD_LABELS[best.method]}: ${signedDb(gain)}. `;
  verdict += holds === true
    ? "The claim holds against every classical filter tested."
    : holds === false
    ? "The claim does not hold: a classical filter does better."
    : "The result is mixed or too close to call, so the claim is not supported.";
  const dncnn = at.find((r) => r.method === "dncnn");
  if (dncnn) {
    const d = dncnn.psnr - ae.psnr;
    verdict += ` The residual DnCNN reaches ${db(dncnn.psnr)} (SSIM ${dncnn.ssim.toFixed(3)}), ` +
      (d > NEGLIGIBLE_PSNR_DB
        ? `${
          signedDb(d)
        } above the autoencoder: a learned model without a bottleneck does better still.`
        : d < -NEGLIGIBLE_PSNR_DB
        ? `${signedDb(d)} below the autoencoder.`
        : "level with the autoencoder.");
  }
  return { table, verdict, holds, chart };
}

/**
 * Claim 2, "training on noisy inputs makes the model robust": the autoencoder trained at
 * `trainNoise`, tested at every factor, against the noisy input and the autoencoder trained
 * at each factor. It holds when the one model improves on the noisy input (PSNR) at every
 * factor, fails when it loses somewhere a model trained for that level wins, and holds only
 * in part (null) when it loses only where the model trained for that level loses too.
 */
export function claimNoiseRobustness(rows: readonly SweepRow[], trainNoise = 0.5): ClaimResult {
  const cross = rows.filter((r) =>
    r.method === "ae" && r.variant === "" && r.train_noise_factor === trainNoise
  ).sort((a, b) => a.noise_factor - b.noise_factor);
  if (cross.length < 2) {
    return untested(`autoencoder trained at ${trainNoise} tested at other factors`);
  }
  const fixed = `trained at ${trainNoise}`;
  const lines = cross.map((r) => ({
    f: r.noise_factor,
    cross: r,
    noisy: findRow(rows, "noisy", r.noise_factor),
    matched: findRow(rows, "ae", r.noise_factor, "", r.noise_factor),
  }));
  const table = lines.map(({ f, cross, noisy, matched }) => ({
    "noise factor": f,
    "noisy input psnr": noisy?.psnr ?? NaN,
    [`${fixed} psnr`]: cross.psnr,
    "trained at f psnr": matched?.psnr ?? NaN,
    "shortfall (dB)": matched ? matched.psnr - cross.psnr : NaN,
    [`${fixed} ssim`]: cross.ssim,
  }));
  const chart = metricChart(
    lines.flatMap(({ f, cross, noisy, matched }) => [
      ...(noisy ? [{ x: f, y: noisy.psnr, series: "noisy input" }] : []),
      { x: f, y: cross.psnr, series: `autoencoder ${fixed}` },
      ...(matched ? [{ x: f, y: matched.psnr, series: "autoencoder trained at f" }] : []),
    ]),
    {
      xLabel: "noise factor of the test images",
      yLabel: "PSNR (dB)",
      title: "One model, every noise level",
    },
  );
  const known = lines.filter((l) => l.noisy !== undefined);
  if (known.length === 0) return { ...untested("noisy-input rows"), table, chart };
  const gains = known.map((l) => l.cross.psnr - l.noisy!.psnr);
  const losses = known.filter((l) => l.cross.psnr <= l.noisy!.psnr);
  const ssimWins = known.filter((l) => l.cross.ssim > l.noisy!.ssim).length;
  // Where the one model loses to the input, does a model trained for that level win? If not,
  // the architecture cannot beat the input there at all, and robustness is not what fails.
  const fixable = losses.filter((l) => l.matched !== undefined && l.matched.psnr > l.noisy!.psnr);
  const holds = losses.length === 0 ? true : fixable.length > 0 ? false : null;
  let verdict = `The autoencoder trained only at f = ${trainNoise} improves on the noisy input ` +
    `at ${known.length - losses.length} of ${known.length} test factors by PSNR (smallest gain ` +
    `${signedDb(Math.min(...gains))}) and at ${ssimWins} of ${known.length} by SSIM. `;
  const behind = lines.filter((l) => l.matched !== undefined)
    .map((l) => ({ f: l.f, s: l.matched!.psnr - l.cross.psnr }))
    .sort((a, b) => b.s - a.s)[0];
  if (behind) {
    verdict += behind.s > NEGLIGIBLE_PSNR_DB
      ? `It trails a model trained at the test factor by up to ${
        db(behind.s)
      } (at f = ${behind.f}). `
      : "It matches a model trained at each test factor. ";
  }
  const at = (ls: typeof lines) => ls.map((l) => l.f).join(", ");
  verdict += holds === true
    ? "The claim holds: one model trained on noisy inputs denoises every noise level tested."
    : holds === false
    ? `The claim does not hold at every level: at f = ${at(fixable)} it makes images worse ` +
      "than the input, where a model trained for that level improves them."
    : `The claim holds only in part: at f = ${at(losses)} it scores below the input, but so ` +
      "does a model trained for that level; there the autoencoder's bottleneck, not its " +
      "training noise, is what limits it.";
  return { table, verdict, holds, chart };
}

function ablationPair(
  rows: readonly SweepRow[],
  variant: string,
  noise: number,
): { base: SweepRow; other: SweepRow; table: ClaimResult["table"] } | undefined {
  const base = findRow(rows, "ae", noise, "", noise);
  const other = findRow(rows, "ae", noise, variant, noise);
  if (!base || !other) return undefined;
  const line = (label: string, r: SweepRow) => ({
    model: label,
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
    "final lr": r.final_lr ?? NaN,
    epochs: r.epochs,
  });
  return { base, other, table: [line("report's autoencoder", base), line(variant, other)] };
}

/**
 * Claim 3, "ReduceLROnPlateau brought no real gain": the report's autoencoder against the
 * same model at a fixed learning rate. It holds when the schedule gains at most
 * {@linkcode NEGLIGIBLE_PSNR_DB}; it is untested (null) when the schedule never lowered the
 * rate, since both runs then train identically.
 */
export function claimLrSchedule(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const pair = ablationPair(rows, "no lr schedule", noise);
  if (!pair) return untested(`"no lr schedule" ablation at noise factor ${noise}`);
  const { base, other, table } = pair;
  const gain = base.psnr - other.psnr;
  const fired = base.final_lr !== null && other.final_lr !== null && base.final_lr < other.final_lr;
  if (!fired) {
    const why = base.epochs <= SCHEDULE_PATIENCE
      ? `fewer epochs than its patience of ${SCHEDULE_PATIENCE}`
      : `val_loss never stalled for ${SCHEDULE_PATIENCE} epochs`;
    return {
      table,
      verdict: `Not tested by this sweep: the schedule never lowered the learning rate in ` +
        `${epochs(base.epochs)} (${why}), so both runs trained identically ` +
        `(${signedDb(gain)}). A sweep with more epochs tests it, e.g. \`deno task sweep ` +
        `--noise ${noise} --methods ae --no-cross --epochs 30\`.`,
      holds: null,
    };
  }
  const holds = gain <= NEGLIGIBLE_PSNR_DB;
  const verdict = `The schedule lowered the learning rate to ${base.final_lr} within ` +
    `${epochs(base.epochs)}; with it the autoencoder scores ${signedDb(gain)} PSNR and ` +
    `${(base.ssim - other.ssim >= 0 ? "+" : "−") + Math.abs(base.ssim - other.ssim).toFixed(4)} ` +
    "SSIM. " +
    (holds
      ? `The claim holds: no gain above ${NEGLIGIBLE_PSNR_DB} dB.`
      : "The claim does not hold: the schedule gives a real gain here.");
  return { table, verdict, holds };
}

/**
 * Claim 4, "the 0.2 dropout helped": the report's autoencoder against the same model
 * without dropout. It holds when dropout gains more than {@linkcode NEGLIGIBLE_PSNR_DB}.
 */
export function claimDropout(rows: readonly SweepRow[], noise = 0.5): ClaimResult {
  const pair = ablationPair(rows, "dropout 0", noise);
  if (!pair) return untested(`"dropout 0" ablation at noise factor ${noise}`);
  const { base, other, table } = pair;
  const gain = base.psnr - other.psnr;
  const holds = gain > NEGLIGIBLE_PSNR_DB;
  const verdict = `With the 0.2 dropout the autoencoder reaches ${db(base.psnr)}, without it ` +
    `${db(other.psnr)} (${signedDb(gain)} for dropout; SSIM ${base.ssim.toFixed(3)} vs ` +
    `${other.ssim.toFixed(3)}). ` +
    (holds
      ? "The claim holds: dropout helped."
      : gain < -NEGLIGIBLE_PSNR_DB
      ? "The claim does not hold: the model does better without dropout."
      : `The claim is not supported: the difference is under ${NEGLIGIBLE_PSNR_DB} dB.`);
  return { table, verdict, holds };
}

/** Result of {@linkcode claimLatent}: the claim plus MSE per class and latent size. */
export interface LatentClaimResult extends ClaimResult {
  /** MSE per class: `{ class, "latent 2": …, "latent 16": …, "latent 64": … }`. */
  classTable: Record<string, string | number>[];
  /** The runs compared, smallest code first (to show their reconstructions). */
  runs: { latent: number; run: string }[];
  /** Labels to look at: the named classes found, else the two worst at latent 16. */
  focusLabels: number[];
}

/**
 * Claim 5, "the 16-number latent loses detail, e.g. in 6s and 9s": latent 2, 16 and 64
 * side by side, and MSE per class. It holds when a 64-number code beats the 16-number one
 * by more than {@linkcode NEGLIGIBLE_PSNR_DB}; the verdict also ranks the named classes by
 * error at latent 16.
 */
export function claimLatent(
  rows: readonly SweepRow[],
  noise = 0.5,
  focus: readonly string[] = ["6", "9"],
): LatentClaimResult {
  const base = findRow(rows, "ae", noise, "", noise);
  const byLatent: [number, SweepRow | undefined][] = [
    [2, findRow(rows, "ae", noise, "latent 2", noise)],
    [DEFAULT_CONFIG.latent, base],
    [64, findRow(rows, "ae", noise, "latent 64", noise)],
  ];
  const present = byLatent.filter((x): x is [number, SweepRow] => x[1] !== undefined);
  const big = byLatent[2][1];
  if (!base || !big) {
    return {
      ...untested(`"latent 64" ablation at noise factor ${noise}`),
      classTable: [],
      runs: [],
      focusLabels: [],
    };
  }
  const table = present.map(([latent, r]) => ({
    latent,
    psnr: r.psnr,
    ssim: r.ssim,
    mse: r.mse,
  }));
  const names = classNames(base.dataset);
  const classTable = base.class_mse.map((_, c) => {
    const line: Record<string, string | number> = { class: names[c] ?? String(c) };
    for (const [latent, r] of present) line[`latent ${latent}`] = r.class_mse[c] ?? NaN;
    return line;
  });
  const gain = big.psnr - base.psnr;
  const holds = gain > NEGLIGIBLE_PSNR_DB;
  let verdict = `A 64-number code scores ${signedDb(gain)} PSNR against the report's 16 ` +
    `(MSE ${base.mse.toFixed(5)} → ${big.mse.toFixed(5)}). ` +
    (holds
      ? "The claim holds: the 16-number bottleneck loses detail that a larger code keeps."
      : "The claim is not supported: a larger code recovers no real detail, so the bottleneck " +
        "is not what limits the reconstruction.");
  // Classes with test images, worst first at latent 16.
  const order = base.class_mse.flatMap((m, c) => (m === null ? [] : [{ c, m }]))
    .sort((a, b) => b.m - a.m);
  const ranked = focus.map((name) => ({ name, c: names.indexOf(name) }))
    .filter((x) => order.some((o) => o.c === x.c) && big.class_mse[x.c] != null);
  if (ranked.length > 0) {
    const ranks = ranked.map(({ name, c }) =>
      `${name} is #${order.findIndex((o) => o.c === c) + 1}`
    );
    const worst = order.slice(0, 3).map((o) => names[o.c] ?? String(o.c)).join(", ");
    const relief = ranked.map(({ name, c }) =>
      `${name} ${(100 * (big.class_mse[c]! / base.class_mse[c]! - 1)).toFixed(0)}%`
    ).join(", ");
    verdict +=
      ` Ranked by error at latent 16 (1 = worst of ${order.length}), ${ranks.join(", ")}; ` +
      `the worst are ${worst}. Latent 64 changes their MSE by ${relief}.`;
  }
  const chart = metricChart(
    present.flatMap(([latent, r]) =>
      r.class_mse.flatMap((
        m,
        c,
      ) => (m === null ? [] : [{ x: c, y: m, series: `latent ${latent}` }]))
    ),
    { xLabel: "class (label)", yLabel: "MSE", title: `Error per class at f = ${noise}` },
  );
  const runs = present.map(([latent, r]) => ({ latent, run: r.run }));
  const focusLabels = ranked.length > 0
    ? ranked.map((x) => x.c)
    : order.slice(0, 2).map((o) => o.c);
  return { table, verdict, holds, classTable, chart, runs, focusLabels };
}

/** A claim's outcome in one word: "supported", "not supported" or "inconclusive". */
export function claimStatus(holds: boolean | null): string {
  return holds === true ? "supported" : holds === false ? "not supported" : "inconclusive";
}

/** The five claims of the report's conclusion, tested. */
export interface Claims {
  /** Claim 1. */
  beatsClassical: ClaimResult;
  /** Claim 2. */
  noiseRobustness: ClaimResult;
  /** Claim 3. */
  lrSchedule: ClaimResult;
  /** Claim 4. */
  dropout: ClaimResult;
  /** Claim 5. */
  latent: LatentClaimResult;
}

/** Short titles of the claims, in the report's order. */
export const CLAIM_TITLES: Readonly<Record<keyof Claims, string>> = Object.freeze({
  beatsClassical: "1. Autoencoders beat other methods",
  noiseRobustness: "2. Noisy training makes it robust",
  lrSchedule: "3. ReduceLROnPlateau: no real gain",
  dropout: "4. Dropout 0.2 helped",
  latent: "5. 16-number latent loses detail",
});

/**
 * Every claim tested on a sweep at its reference factor. Claim 5 ranks the 6s and 9s the
 * report names, except on Fashion-MNIST, which has no digits.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { allClaims, claimStatus } from "./claims.ts";
 * const claims = allClaims({ rows: [], settings: { referenceNoise: 0.5, dataset: "mnist" } });
 * assertEquals(Object.values(claims).map((c) => claimStatus(c.holds)), Array(5).fill("inconclusive"));
 * ```
 */
export function allClaims(sweep: {
  rows: readonly SweepRow[];
  settings: { referenceNoise: number; dataset: string };
}): Claims {
  const { rows, settings: { referenceNoise: f, dataset } } = sweep;
  return {
    beatsClassical: claimBeatsClassical(rows, f),
    noiseRobustness: claimNoiseRobustness(rows, f),
    lrSchedule: claimLrSchedule(rows, f),
    dropout: claimDropout(rows, f),
    latent: claimLatent(rows, f, dataset === "fashion" ? [] : ["6", "9"]),
  };
}

/** The claims as table rows: claim, status and the verdict's sentences. */
export function claimsTable(claims: Claims): { claim: string; verdict: string; why: string }[] {
  return (Object.keys(CLAIM_TITLES) as (keyof Claims)[]).map((k) => ({
    claim: CLAIM_TITLES[k],
    verdict: claimStatus(claims[k].holds),
    why: claims[k].verdict,
  }));
}
