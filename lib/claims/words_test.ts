import { assert, assertEquals } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import type { EpochLog } from "../train/train.ts";
import { verdict } from "./verdict.ts";
import {
  claimText,
  clippingSentence,
  partSentence,
  REPORT_TEST_MSE,
  reportComparison,
  reportMetrics,
  scheduleVerdict,
} from "./words.ts";

const PATIENCE = new ReduceLROnPlateau().patience;

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
    const h = history(Array(PATIENCE).fill(1e-3));
    assert(scheduleVerdict(h, true).includes(`patience ${PATIENCE}) had no chance`));
  });
  await t.step("never fired after the patience", () => {
    const h = history(Array(PATIENCE + 1).fill(1e-3));
    assert(scheduleVerdict(h, true).includes("never fired"));
  });
  await t.step("fired once, with the epoch and the lowest val_loss", () => {
    const v = scheduleVerdict(history([1e-3, 1e-3, 2e-4], (e) => [3, 1, 2][e - 1]), true);
    assert(v.includes("lowered the learning rate 1 time, at epoch 3"), v);
    assert(v.includes("came in epoch 2 of 3"), v);
  });
});

Deno.test("reportComparison() compares with the report's and the noisy input's MSE", () => {
  const m = { test_mse: 2 * REPORT_TEST_MSE, noisy_mse: 0.1, epochs: 1 };
  const v = reportComparison(m, { ...DEFAULT_CONFIG, train: 9000, test: 1000 });
  assert(v.includes("2.00 times the report's") && v.includes("1 epoch at f = 0.5"), v);
  assert(v.includes("9,000 mnist images") && v.includes("tested on 1,000."), v);
  const lower = reportComparison({ ...m, test_mse: REPORT_TEST_MSE / 2 }, DEFAULT_CONFIG);
  assert(lower.includes("2.00 times lower than the report's"), lower);
  const worse = reportComparison({ ...m, noisy_mse: m.test_mse }, DEFAULT_CONFIG);
  assert(worse.includes("no lower than the noisy input's"), worse);
});

Deno.test("clippingSentence() reports the clipped shares and the real noise RMS", () => {
  const clean: Images = { data: Float32Array.from([0, 0, 1, 0.5]), count: 1, height: 2, width: 2 };
  const noisy: Images = { ...clean, data: Float32Array.from([0, 0.5, 1, 0.5]) };
  const s = clippingSentence(clean, noisy, 0.5);
  assert(s.startsWith("Clean images: 50.0% of the pixels are exactly 0"), s);
  assert(s.includes("Root mean square of noisy − clean: 0.250, against f = 0.5."), s);
});

Deno.test("partSentence() and claimText() name each part's verdict, profile and reason, escaped", () => {
  const evidence = { test: "less" as const, differences: [-0.003, -0.002, -0.0025] };
  const comparison = { label: "a | b", profile: "P_1", psnrDiff: 1.234, result: verdict(evidence) };
  const seeds = [0, 1, 2];
  const part = {
    id: "4",
    title: "dropout 0.2 beats none",
    comparison: { ...comparison, role: "primary" as const, seeds, evidence },
  };
  const s = partSentence(part);
  assert(
    s.startsWith("4, dropout 0.2 beats none (a \\| b; P\\_1): +1.23 dB PSNR; **supported** ("),
    s,
  );
  // The interval's brackets are text, not a link.
  assert(s.includes("\\[") && !s.includes(" ["), s);
  const text = claimText({ parts: [part] });
  assertEquals(text, `**Verdict 4: supported.** ${s}`);
});

Deno.test("reportMetrics() sets the run's metrics beside the report's MSE", () => {
  const m = {
    test_mse: 0.02,
    noisy_mse: 0.1,
    test_psnr: 1,
    noisy_psnr: 0,
    test_ssim: 1,
    noisy_ssim: 0,
  };
  const { table, bars } = reportMetrics(m);
  assertEquals(bars.map((b) => b.value), [0.1, 0.02, REPORT_TEST_MSE]);
  assertEquals(table[0].autoencoder, 0.02);
});
