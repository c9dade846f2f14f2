import { assert, assertEquals } from "./_assert.ts";
import {
  claimBeatsClassical,
  claimDropout,
  claimLatent,
  claimLrSchedule,
  claimNoiseRobustness,
} from "./claims.ts";
import { testRow } from "./_test_rows.ts";

Deno.test("the claims' verdicts follow the numbers whichever way they fall", async (t) => {
  await t.step("claim 1: autoencoder against the classical filters", () => {
    const rows = (aePsnr: number, aeSsim: number) => [
      testRow({ method: "noisy", train_noise_factor: null, psnr: 9, ssim: 0.4 }),
      testRow({ method: "median", train_noise_factor: null, psnr: 14, ssim: 0.55 }),
      testRow({ method: "gaussian", psnr: 12, ssim: 0.45 }),
      testRow({ psnr: aePsnr, ssim: aeSsim }),
      testRow({ method: "dncnn", psnr: 20, ssim: 0.8 }),
    ];
    const win = claimBeatsClassical(rows(17, 0.7));
    assertEquals(win.holds, true);
    assertEquals(win.table[0].method, "DnCNN (residual)");
    assert(win.chart!.outerHTML.includes("median 3×3"));
    assert(win.verdict.includes("median 3×3") && win.verdict.includes("+3.00 dB"), win.verdict);
    assertEquals(claimBeatsClassical(rows(12, 0.5)).holds, false);
    assertEquals(claimBeatsClassical(rows(17, 0.5)).holds, null);
    assertEquals(claimBeatsClassical([testRow({})]).holds, null);
  });
  await t.step("claim 2: one model trained at 0.5 across noise levels", () => {
    const rows = (at01: number, matched01 = 24) => [
      testRow({
        method: "noisy",
        train_noise_factor: null,
        noise_factor: 0.1,
        psnr: 20,
        ssim: 0.8,
      }),
      testRow({ method: "noisy", train_noise_factor: null, noise_factor: 0.5, psnr: 9, ssim: 0.4 }),
      testRow({ train_noise_factor: 0.1, noise_factor: 0.1, psnr: matched01 }),
      testRow({ train_noise_factor: 0.5, noise_factor: 0.1, psnr: at01, ssim: 0.85 }),
      testRow({ train_noise_factor: 0.5, noise_factor: 0.5, psnr: 17 }),
    ];
    const good = claimNoiseRobustness(rows(21));
    assertEquals(good.holds, true);
    assert(good.verdict.includes("2 of 2") && good.verdict.includes("3.00 dB"), good.verdict);
    assert(good.chart!.outerHTML.includes("autoencoder trained at f"));
    const bad = claimNoiseRobustness(rows(19));
    assertEquals(bad.holds, false);
    assert(
      bad.verdict.includes("1 of 2 test factors by PSNR") && bad.verdict.includes("2 of 2 by SSIM"),
    );
    assert(bad.verdict.includes("at f = 0.1 it makes images worse"), bad.verdict);
    const bottleneck = claimNoiseRobustness(rows(19, 19.5));
    assertEquals(bottleneck.holds, null);
    assert(bottleneck.verdict.includes("bottleneck"), bottleneck.verdict);
    assertEquals(claimNoiseRobustness([testRow({})]).holds, null);
  });
  await t.step("claim 3: the learning-rate schedule", () => {
    const rows = (psnr: number, lr: number, epochs = 10) => [
      testRow({ psnr, final_lr: lr, epochs }),
      testRow({ variant: "no lr schedule", psnr: 17, epochs }),
    ];
    const idle = claimLrSchedule(rows(17, 0.001));
    assertEquals(idle.holds, null);
    assert(idle.verdict.includes("val_loss never stalled for 3 epochs"), idle.verdict);
    assert(claimLrSchedule(rows(17, 0.001, 1)).verdict.includes("fewer epochs than its patience"));
    const gain = claimLrSchedule(rows(18, 0.0002));
    assertEquals(gain.holds, false);
    assert(gain.verdict.includes("lowered the learning rate to 0.0002"), gain.verdict);
    assertEquals(claimLrSchedule(rows(17.05, 0.0002)).holds, true);
    assertEquals(claimLrSchedule([testRow({})]).holds, null);
  });
  await t.step("claim 4: dropout", () => {
    const rows = (psnr: number) => [testRow({ psnr }), testRow({ variant: "dropout 0", psnr: 17 })];
    assertEquals(claimDropout(rows(17.5)).holds, true);
    const worse = claimDropout(rows(16.5));
    assertEquals(worse.holds, false);
    assert(worse.verdict.includes("better without dropout"), worse.verdict);
    assertEquals(claimDropout(rows(17.05)).holds, false);
  });
  await t.step("claim 5: latent size and the digits 6 and 9", () => {
    const worst = (c: number) => Array.from({ length: 10 }, (_, i) => (i === c ? 0.05 : 0.01));
    const rows = (psnr64: number) => [
      testRow({ class_mse: worst(9) }),
      testRow({ variant: "latent 2", psnr: 12, class_mse: worst(9).map((v) => 2 * v) }),
      testRow({ variant: "latent 64", psnr: psnr64, class_mse: worst(9).map((v) => v / 2) }),
    ];
    const big = claimLatent(rows(18));
    assertEquals(big.holds, true);
    assert(big.verdict.includes("9 is #1") && big.verdict.includes("9 -50%"), big.verdict);
    assertEquals(big.classTable.length, 10);
    assert(big.chart!.outerHTML.includes("latent 64"));
    assertEquals(big.focusLabels, [6, 9]);
    assertEquals(big.runs.map((r) => r.latent), [2, 16, 64]);
    assertEquals(claimLatent(rows(18), 0.5, ["shoe"]).focusLabels, [9, 0]);
    assertEquals(Object.keys(big.classTable[0]), ["class", "latent 2", "latent 16", "latent 64"]);
    assertEquals(claimLatent(rows(17.05)).holds, false);
    assertEquals(claimLatent([testRow({})]).holds, null);
  });
});
