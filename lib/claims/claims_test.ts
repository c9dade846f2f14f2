import { assert, assertEquals, assertRejects, assertThrows } from "../_testing_assert.ts";
import {
  allClaims,
  claimBeatsClassical,
  claimDropout,
  claimLrSchedule,
  claimNoiseRobustness,
  claimParts,
  claimsMarkdown,
  claimsTable,
  writeClaims,
} from "./claims.ts";
import { claimLatent } from "./claim_latent.ts";
import { compareArms } from "./compare.ts";
import { claimText } from "./words.ts";
import type { LearningCurve } from "../sweep/learning_curve.ts";
import { testRow } from "../sweep/_testing.ts";
import { METHOD_LABELS, SWEEP_METHODS, type SweepRow } from "../sweep/plan.ts";

/** Seed-to-seed variation of a few 1e-4 around the level. */
const wobble = (s: number) => [0.0002, -0.0001, -0.0001, 0.00005, -0.00005][s] ?? 0;

/**
 * Rows of one arm, one per seed (null: a classical method): MSE `level + shift(seed)`, and
 * class c's MSE `level · classScale(c) + shift(seed)`.
 */
function arm(
  partial: Partial<SweepRow>,
  seeds: (number | null)[],
  level: number,
  shift: (seed: number) => number = wobble,
  classScale: (c: number) => number = () => 1,
): SweepRow[] {
  return seeds.map((seed) => {
    const mse = level + (seed === null ? 0 : shift(seed));
    return testRow({
      ...partial,
      seed,
      mse,
      psnr: -10 * Math.log10(mse),
      class_mse: Array.from(
        { length: 10 },
        (_, c) => level * classScale(c) + (seed === null ? 0 : shift(seed)),
      ),
    });
  });
}

const SEEDS = [0, 1, 2];

Deno.test("claim 4: the verdict flips as the paired difference crosses zero", () => {
  const verdictAt = (delta: number) =>
    claimDropout([...arm({}, SEEDS, 0.02 + delta), ...arm({ variant: "dropout 0" }, SEEDS, 0.02)])
      .parts[0].comparison;
  assertEquals(verdictAt(-0.002).result.verdict, "supported");
  assertEquals(verdictAt(0.002).result.verdict, "contradicted");
  // Equal arms, with the seeds' own jitter only: no difference to find.
  const none = claimDropout([
    ...arm({}, SEEDS, 0.02),
    ...arm({ variant: "dropout 0" }, SEEDS, 0.02, (s) => [0.0001, 0.0002, -0.0003][s]),
  ]);
  assertEquals(none.parts[0].comparison.result.verdict, "not resolved");
  const c = verdictAt(-0.002);
  assertEquals(c.seeds, SEEDS);
  assert(c.result.interval!.high < 0);
  assertEquals(
    c.profile,
    "8,100 training images (+900 validation), 10 epochs, seeds 0, 1, 2, 1,000 test images",
  );
});

Deno.test("a comparison with one seed a side says 'one seed', however large the effect", () => {
  const c = claimDropout([...arm({}, [0], 0.01), ...arm({ variant: "dropout 0" }, [0], 0.05)]);
  assertEquals(c.parts[0].comparison.result.verdict, "one seed");
  assert(claimText(c).includes("**one seed**"), claimText(c));
});

Deno.test("arms scored on different noisy test images are refused", () => {
  const a = [
    testRow({ seed: 0, test_inputs_sha256: "x" }),
    testRow({ seed: 1, test_inputs_sha256: "x" }),
  ];
  const b = [
    testRow({ seed: 0, test_inputs_sha256: "x" }),
    testRow({ seed: 1, test_inputs_sha256: "y" }),
  ];
  assertThrows(() => compareArms("a − b", a, b, "less"), Error, "different noisy test images");
});

/** Every method at 0.1 and 0.5: the autoencoder at `ae`, non-local means at `nlm(f)`, others 0.04. */
function sweep(ae: number, nlm: (f: number) => number, dncnn = 0.04): SweepRow[] {
  return [0.1, 0.5].flatMap((f) =>
    SWEEP_METHODS.flatMap((m) => {
      const learned = m === "ae" || m === "dncnn";
      const untuned = m === "noisy" || m === "median";
      const level = m === "ae" ? ae : m === "nlm" ? nlm(f) : m === "dncnn" ? dncnn : 0.04;
      const seeds = learned ? (f === 0.5 ? SEEDS : [0]) : [null];
      return arm(
        { method: m, noise_factor: f, train_noise_factor: untuned ? null : f },
        seeds,
        level,
      );
    })
  );
}

Deno.test("claim 1: 1a against the best classical filter, 1b against the DnCNN; the rest never decides", () => {
  // Non-local means is the best filter at 0.5 (0.03) and beats the autoencoder at 0.1.
  const c = claimBeatsClassical(sweep(0.02, (f) => (f === 0.1 ? 0.001 : 0.03)));
  const [a, b] = c.parts;
  assertEquals([a.id, b.id], ["1a", "1b"]);
  assertEquals(a.comparison.label, `autoencoder − ${METHOD_LABELS.nlm} at f = 0.5`);
  assertEquals([a.comparison.result.verdict, b.comparison.result.verdict], [
    "supported",
    "supported",
  ]);
  // Every other method, at every factor, is secondary.
  assert(c.secondary.every((x) => x.role === "secondary"));
  assertEquals(c.secondary.length, 2 * (SWEEP_METHODS.length - 1) - 2);
  const lost = c.secondary.find((x) =>
    x.label === `autoencoder − ${METHOD_LABELS.nlm} at f = 0.1`
  )!;
  assertEquals(lost.result.verdict, "one seed");
  assert(c.table.every((r, i) => (r.role === "primary") === (i < 2)));
  assert(c.table.slice(2).every((r) => r.role === "secondary, not claimed by the report"));
  // When the DnCNN wins, 1b is contradicted and 1a is unchanged.
  const d = claimBeatsClassical(sweep(0.02, () => 0.03, 0.01));
  assertEquals(d.parts.map((p) => p.comparison.result.verdict), ["supported", "contradicted"]);
});

Deno.test("claim 2: noisy- against clean-trained at 0.5 decides; a clean win at 0.1 does not", () => {
  const rows = [
    ...[0.1, 0.5].flatMap((f) =>
      arm({ noise_factor: f, train_noise_factor: 0.5 }, SEEDS, f === 0.5 ? 0.02 : 0.03)
    ),
    ...arm({ noise_factor: 0.1, train_noise_factor: 0.1 }, [0], 0.004),
    ...arm({ noise_factor: 0.1, train_noise_factor: 0 }, SEEDS, 0.005),
    ...arm({ noise_factor: 0.5, train_noise_factor: 0 }, SEEDS, 0.05),
  ];
  const c = claimNoiseRobustness(rows);
  assertEquals(c.parts[0].comparison.label, "trained at 0.5 − trained clean, at f = 0.5");
  assertEquals(c.parts[0].comparison.result.verdict, "supported");
  const cross = c.secondary.find((x) => x.label === "trained at 0.5 − trained clean, at f = 0.1")!;
  assertEquals(cross.result.verdict, "contradicted");
  assert(cross.evidence.adjustedP !== undefined, "secondary comparisons are Holm-adjusted");
  const matched = c.secondary.find((x) =>
    x.label === "trained at 0.1 − trained clean, at f = 0.1"
  )!;
  assertEquals(matched.result.verdict, "one seed");
  assertEquals(
    claimNoiseRobustness(rows.filter((r) => r.train_noise_factor !== 0)).parts[0].comparison.result
      .verdict,
    "not tested",
  );
});

Deno.test("claim 3: an equivalence test where the schedule fired in every seed, else 'not tested'", () => {
  const rows = (drops: number[], delta: number) => [
    ...arm({}, SEEDS, 0.02 + delta).map((r, i) => ({ ...r, lr_drops: drops[i] })),
    ...arm({ variant: "no lr schedule" }, SEEDS, 0.02),
  ];
  const verdictOf = (drops: number[], delta: number) =>
    claimLrSchedule(rows(drops, delta)).parts[0].comparison.result;
  // Paired differences with no spread: equal arms are equivalent, a 10% gain is not.
  assertEquals(verdictOf([1, 2, 1], 0).verdict, "supported");
  assertEquals(verdictOf([1, 2, 1], -0.002).verdict, "contradicted");
  assert(verdictOf([1, 2, 1], -0.002).reason.includes("a gain"));
  for (const drops of [[0, 0, 0], [1, 0, 2]]) {
    const idle = claimLrSchedule(rows(drops, 0));
    const r = idle.parts[0].comparison.result;
    assertEquals(r.verdict, "not tested");
    assert(r.reason.includes("25 epochs") && r.reason.includes("minutes"), r.reason);
    // The command itself is in notebook 6, not in the sentence slides show.
    assert(!r.reason.includes("deno task"), r.reason);
    assert(r.reason.includes(`fired in ${drops.filter((d) => d > 0).length} of 3 seeds`), r.reason);
    assertEquals(idle.table[0].verdict, "not tested");
  }
  // A sweep with claim 3's own "lr schedule" arm (trained --schedule-epochs) uses it, not "".
  const own = [
    ...rows([0, 0, 0], 0),
    ...arm({ variant: "lr schedule", epochs: 30 }, SEEDS, 0.02).map((r) => ({ ...r, lr_drops: 2 })),
  ];
  const long = claimLrSchedule(own).parts[0].comparison;
  assertEquals(long.result.verdict, "supported");
  assert(long.profile.includes("30/10 epochs"), long.profile); // With the schedule arm missing, the fixed rate's row shows its own drops, not the empty arm's.
  const fixedOnly = arm({ variant: "no lr schedule" }, SEEDS, 0.02).map((r) => ({
    ...r,
    lr_drops: 0,
  }));
  assertEquals(claimLrSchedule(fixedOnly).means?.map((m) => [m.arm, m["lr drops"]]), [
    ["fixed rate", "0, 0, 0"],
  ]);
});

Deno.test("claim 5: 5a overall, 5b on the 6s and 9s, each class with its own ΔPSNR", () => {
  // Latent 64 halves the error of the 6s and 9s only; elsewhere it is 10% better.
  const scale = (c: number) => (c === 6 || c === 9 ? 0.5 : 0.9);
  const rows = [
    ...arm({}, SEEDS, 0.02),
    ...arm({ variant: "latent 64" }, SEEDS, 0.018, wobble, scale),
  ];
  const c = claimLatent(rows);
  assertEquals(c.parts.map((p) => p.id), ["5a", "5b"]);
  assertEquals(c.parts.map((p) => p.comparison.result.verdict), ["supported", "supported"]);
  assertEquals(c.focusLabels, [6, 9]);
  const overall = c.parts[0].comparison.psnrDiff;
  const sixes = c.secondary.find((x) => x.label.endsWith("class 6"))!;
  const ones = c.secondary.find((x) => x.label.endsWith("class 1"))!;
  // Each class's ΔPSNR is its own: 10·log10(MSE_16 / MSE_64) of that class.
  const expected = (s: number) =>
    SEEDS.reduce(
      (sum, k) => sum + 10 * Math.log10((0.02 + wobble(k)) / (0.018 * s + wobble(k))),
      0,
    ) / 3;
  assert(Math.abs(sixes.psnrDiff - overall) > 1, `${sixes.psnrDiff} vs ${overall}`);
  assert(Math.abs(sixes.psnrDiff - expected(0.5)) < 0.01, `${sixes.psnrDiff}`);
  assert(Math.abs(ones.psnrDiff - expected(0.9)) < 0.01, `${ones.psnrDiff}`);
  const table = c.table.find((r) => String(r.comparison).endsWith("class 6"))!;
  assertEquals(table["Δ psnr (dB)"], Number(sixes.psnrDiff.toFixed(3)));
  assertEquals(claimLatent(rows, []).parts[1].comparison.result.verdict, "not tested");
});

Deno.test("allClaims on an empty sweep: every part not tested; claims.md names the sweep first", () => {
  const claims = allClaims({
    name: "a`b",
    rows: [],
    settings: { referenceNoise: 0.5, dataset: "mnist", train: 3000, epochs: 5, test: 1000 },
  });
  for (const p of claimParts(claims)) assertEquals(p.comparison.result.verdict, "not tested");
  assertEquals(claimsTable(claims).map((r) => String(r.claim).split(".")[0]), [
    "1a",
    "1b",
    "2",
    "3",
    "4",
    "5a",
    "5b",
  ]);
  const first = claimsMarkdown(claims).split("\n")[0];
  assertEquals(first, "Claims of sweep `` a`b ``, each row on its own profile.");
  // A part with no rows at all was measured on no profile.
  assert(claimsTable(claims).every((r) => r.profile === "—"));
});

/** A learning curve: the classical filter at 0.03, the autoencoder at 0.03 + gap(size), 3 seeds. */
function curveOf(gap: (size: number) => number): LearningCurve {
  const sizes = [250, 1000, 3000];
  const point = (
    size: number,
    method: "ae" | "dncnn" | "classical",
    mse: number,
    seed: number | null,
  ) => ({
    size,
    method,
    seed,
    epochs: 3000 / size,
    steps: 100,
    source: method,
    mse,
    psnr: -10 * Math.log10(mse),
  });
  const points = sizes.flatMap((size) => [
    point(size, "classical", 0.03, null),
    ...SEEDS.flatMap((s) => [
      point(size, "ae", 0.03 + gap(size) + wobble(s), s),
      point(size, "dncnn", 0.02 + wobble(s), s),
    ]),
  ]);
  return { noise: 0.5, steps: 100, sizes, test: 1000, points };
}

Deno.test("1c, claim 1's condition, is a row of claims.md with the learning curve's own profile", async () => {
  const settings = {
    referenceNoise: 0.5,
    dataset: "mnist" as const,
    train: 3000,
    epochs: 5,
    test: 1000,
  };
  const rowOf = (curve?: LearningCurve) =>
    claimsTable(allClaims({ name: "s", rows: [], settings }, curve)).find((r) =>
      String(r.claim).startsWith("1c.")
    )!;
  // Without a curve (a sweep's own claims.md) there is no row 1c.
  assertEquals(rowOf(), undefined);
  const overtakes = rowOf(curveOf((n) => (n >= 1000 ? -0.005 : 0.005)));
  assertEquals(overtakes.verdict, "supported");
  assert(
    String(overtakes.why).startsWith("the autoencoder from 1,000 training images on"),
    String(overtakes.why),
  );
  assertEquals(
    overtakes.profile,
    "250 to 3,000 training images, 100 optimiser steps per model (12 to 1 epochs), seeds 0, 1, 2, " +
      "1,000 test images",
  );
  assertEquals(overtakes.seeds, 3);
  const never = rowOf(curveOf(() => 0.005));
  assertEquals(never.verdict, "contradicted");
  assert(
    String(never.why).includes("never does up to the largest size tried (3,000 images)"),
    String(never.why),
  );
  // Notebook 6 writes claims.md again with 1c; an incomplete sweep gets none.
  const dir = await Deno.makeTempDir();
  try {
    const claims = allClaims({ name: "s", rows: [], settings }, curveOf(() => -0.005));
    await writeClaims({ dir, complete: false }, claims);
    await assertRejects(() => Deno.stat(`${dir}/claims.md`));
    await writeClaims({ dir, complete: true }, claims);
    assertEquals(await Deno.readTextFile(`${dir}/claims.md`), claimsMarkdown(claims));
    assert(claimsMarkdown(claims).includes("| 1c. given enough images"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notebooks 5 and 6 give claim 2 the same verdict: their sweeps share its primary arms", () => {
  // Notebook 6's sweep: every method; notebook 5's: the autoencoder (and the noisy input) only.
  const six = [
    ...sweep(0.02, () => 0.03),
    ...arm({ noise_factor: 0.5, train_noise_factor: 0 }, SEEDS, 0.05),
    ...arm({ noise_factor: 0.1, train_noise_factor: 0 }, SEEDS, 0.01),
  ];
  const five = six.filter((r) => (r.method === "ae" && r.variant === "") || r.method === "noisy");
  const settings = { referenceNoise: 0.5, dataset: "mnist" as const };
  const [a, b] = [six, five].map((rows) =>
    allClaims({ name: "s", rows, settings }).noiseRobustness.parts[0]
  );
  assertEquals(a.comparison.result, b.comparison.result);
  assertEquals(a.comparison.result.verdict, "supported");
  assertEquals(claimText({ parts: [a] }), claimText({ parts: [b] }));
});
