import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./_assert.ts";
import { InputError } from "./errors.ts";
import {
  cellKey,
  claimBeatsClassical,
  claimDropout,
  claimLatent,
  claimLrSchedule,
  claimNoiseRobustness,
  classMse,
  defaultSweepName,
  ensureSweep,
  parseMethods,
  parseNoiseFactors,
  readSweep,
  runSweep,
  sweepChart,
  sweepCsv,
  type SweepRow,
  sweepSettings,
} from "./sweep.ts";

/** Tiny profile: every classical cell on 32 test images takes milliseconds. */
const TINY = { train: 64, test: 32, epochs: 1, seed: 1 };

function quiet(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}

function row(partial: Partial<SweepRow>): SweepRow {
  return {
    dataset: "mnist",
    noise_type: "gaussian",
    method: "ae",
    variant: "",
    train_noise_factor: 0.5,
    noise_factor: 0.5,
    mse: 0.02,
    psnr: 17,
    ssim: 0.7,
    train_seconds: 10,
    denoise_seconds: 0.1,
    epochs: 10,
    final_lr: 0.001,
    parameter: "",
    run: "r",
    train_images: 9000,
    test_images: 1000,
    class_mse: Array.from({ length: 10 }, (_, c) => 0.01 + c / 1000),
    ...partial,
  };
}

Deno.test("parseMethods() and parseNoiseFactors() reject bad lists with one-line InputErrors", () => {
  assertEquals(parseMethods("nlm, median"), ["nlm", "median"]);
  assertEquals(parseNoiseFactors([0.9, "0.1"]), [0.1, 0.9]);
  for (const bad of ["", "median,,ae", "bm3d"]) {
    assertThrows(() => parseMethods(bad), InputError);
  }
  for (const bad of ["", "0.1,", "x", "-0.5"]) {
    const e = assertThrows(() => parseNoiseFactors(bad), InputError);
    assert(!e.message.includes("\n"), e.message);
  }
  assertThrows(() => parseNoiseFactors("0.5,1.5", "salt-and-pepper"), InputError);
});

Deno.test("defaultSweepName() names every setting that changes the results", () => {
  const base = defaultSweepName(sweepSettings());
  assertEquals(base, "mnist-gaussian-e10-n60000-t10000-b32-s0");
  assertEquals(defaultSweepName(sweepSettings({}, { tune: 50 })), `${base.slice(0, -3)}-tune50-s0`);
  assert(defaultSweepName(sweepSettings({ dataset: "/data/x" })).startsWith("custom-"));
});

Deno.test("classMse() averages the per-image MSE over each label", () => {
  const clean = {
    data: new Float32Array([0, 0, 0, 1]),
    labels: new Uint8Array([2, 0, 2, 0]),
    count: 4,
    height: 1,
    width: 1,
  };
  const out = { data: new Float32Array([0.5, 0, 0, 0.5]), count: 4, height: 1, width: 1 };
  const m = classMse(clean, out);
  assertEquals(m.length, 3);
  assertAlmostEquals(m[0]!, 0.125);
  assertEquals(m[1], null);
  assertAlmostEquals(m[2]!, 0.125);
});

Deno.test("sweepCsv() writes one line per row, quotes commas and expands per-class MSE", () => {
  const csv = sweepCsv([row({ parameter: 'h=0.1, "x"', class_mse: [0.5, 0.25] })]);
  const [header, line] = csv.trim().split("\n");
  assert(header.endsWith(",mse_class_0,mse_class_1"), header);
  assert(line.includes('"h=0.1, ""x"""'), line);
  assert(line.endsWith(",0.5,0.25"), line);
});

Deno.test("runSweep() on a tiny classical profile writes the CSV, JSON, charts and marker", async () => {
  const out = await Deno.makeTempDir();
  const { log } = quiet();
  const r = await runSweep({
    noise: [0.5, 0.1],
    methods: ["median", "gaussian"],
    config: TINY,
    tune: 16,
    out,
    log,
  });
  assertEquals(r.status, "complete");
  assertEquals(r.computed, 6);
  const files = [...Deno.readDirSync(r.dir)].map((e) => e.name).sort();
  assertEquals(files, [
    "complete",
    "psnr.svg",
    "results.csv",
    "results.json",
    "ssim.svg",
    "sweep.json",
  ]);
  const lines = (await Deno.readTextFile(`${r.dir}/results.csv`)).trim().split("\n");
  const header = lines[0].split(",");
  for (
    const c of [
      "dataset",
      "variant",
      "method",
      "noise_type",
      "noise_factor",
      "train_noise_factor",
      "mse",
      "psnr",
      "ssim",
      "train_seconds",
    ]
  ) assert(header.includes(c), `missing column ${c}`);
  assertEquals(lines.length, 1 + 6);
  const cells = lines.slice(1).map((l) => l.split(",")).map((c) =>
    [
      c[header.indexOf("method")],
      c[header.indexOf("noise_factor")],
      c[header.indexOf("train_noise_factor")],
    ].join(" ")
  );
  assertEquals(cells, [
    "noisy 0.1 ",
    "noisy 0.5 ",
    "median 0.1 ",
    "median 0.5 ",
    "gaussian 0.1 0.1",
    "gaussian 0.5 0.5",
  ]);
  // Every method saw the same noisy images: the noisy row is the baseline of its factor.
  const noisy = r.rows.find((x) => x.method === "noisy" && x.noise_factor === 0.5)!;
  const median = r.rows.find((x) => x.method === "median" && x.noise_factor === 0.5)!;
  assert(median.psnr > noisy.psnr, "median filtering should help at f = 0.5");
  assertEquals(r.rows.find((x) => x.method === "gaussian")!.train_seconds > 0, true);
  assertEquals(median.train_seconds, 0);
  const svg = await Deno.readTextFile(`${r.dir}/psnr.svg`);
  assert(svg.includes("median 3×3") && svg.includes("Gaussian blur"));
  const back = await readSweep(r.name, out);
  assertEquals(back?.complete, true);
  assertEquals(back?.rows, r.rows);
});

Deno.test("runSweep() resumes: finished cells are skipped and logged, never recomputed", async (t) => {
  const out = await Deno.makeTempDir();
  const options = { methods: ["median"] as const, config: TINY, tune: 16, out, name: "resume" };
  const first = await runSweep({ ...options, noise: [0.3], log: quiet().log });
  assertEquals([first.computed, first.skipped], [2, 0]);
  const before = await Deno.readTextFile(`${first.dir}/results.json`);

  await t.step("an aborted sweep stops after its current cell, with no marker", async () => {
    const controller = new AbortController();
    const { lines } = quiet();
    const r = await runSweep({
      ...options,
      noise: [0.3, 0.5, 0.7],
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        if (line.includes("median at noise 0.5")) controller.abort();
      },
    });
    assertEquals(r.status, "interrupted");
    assertEquals([r.computed, r.skipped], [2, 2]);
    assert(lines.some((l) => l.includes("2 of 6 cells already finished")), lines.join("\n"));
    assertEquals(await Deno.stat(`${r.dir}/complete`).then(() => true, () => false), false);
    assertEquals((await readSweep("resume", out))?.complete, false);
  });

  await t.step("the rerun computes only the missing cells and keeps the old rows", async () => {
    const { log, lines } = quiet();
    const r = await runSweep({ ...options, noise: [0.3, 0.5, 0.7], log });
    assertEquals(r.status, "complete");
    assertEquals([r.computed, r.skipped], [2, 4]);
    assert(lines.some((l) => l.includes("4 of 6 cells already finished")));
    assert(!lines.some((l) => l.includes("at noise 0.3 (")), "a finished cell was recomputed");
    const old = JSON.parse(before) as SweepRow[];
    for (const o of old) assertEquals(r.rows.find((x) => cellKey(x) === cellKey(o)), o);
  });

  await t.step("a complete sweep does nothing", async () => {
    const { log, lines } = quiet();
    const r = await runSweep({ ...options, noise: [0.3, 0.5, 0.7], log });
    assertEquals([r.computed, r.skipped], [0, 6]);
    assert(lines.some((l) => l.includes("is complete: nothing to do")));
  });

  await t.step("other settings under the same name are refused", async () => {
    await assertRejects(
      () => runSweep({ ...options, config: { ...TINY, test: 16 }, noise: [0.3], log: quiet().log }),
      InputError,
      "was run with test 32, not 16",
    );
  });
});

Deno.test("ensureSweep() runs a missing sweep, resumes with its stored settings, then reads it", async () => {
  const out = await Deno.makeTempDir();
  const options = { noise: [0.3, 0.5], methods: ["median"] as const, out, name: "ens" };
  await runSweep({ ...options, noise: [0.3], config: TINY, log: quiet().log });
  await Deno.remove(`${out}/sweeps/ens/complete`);
  // Resumed with the settings stored in sweep.json, not the (different) ones passed here.
  const { log, lines } = quiet();
  const sweep = await ensureSweep({ ...options, config: { test: 16 }, log });
  assertEquals([sweep.complete, sweep.rows.length, sweep.settings.test], [true, 4, 32]);
  assert(lines.some((l) => l.includes("2 of 4 cells already finished")), lines.join("\n"));
  const again = quiet();
  assertEquals((await ensureSweep({ ...options, log: again.log })).rows, sweep.rows);
  assert(again.lines[0].startsWith('using the finished sweep "ens"'), again.lines[0]);
});

Deno.test("runSweep() rejects a bad dataset before creating any folder", async () => {
  const out = await Deno.makeTempDir();
  await assertRejects(
    () => runSweep({ methods: ["median"], config: { dataset: "nosuch" }, out, log: quiet().log }),
    InputError,
    "nosuch",
  );
  assertEquals([...Deno.readDirSync(out)], []);
});

Deno.test("runSweep() trains learned cells through cached runs, with cross and ablation rows", async () => {
  const out = await Deno.makeTempDir();
  const options = {
    noise: [0.3, 0.5],
    methods: ["ae"] as const,
    config: { train: 128, test: 32, epochs: 1, seed: 1 },
    out,
  };
  const first = quiet();
  const r = await runSweep({ ...options, log: first.log });
  assertEquals(r.status, "complete");
  const cells = r.rows.map((x) =>
    `${x.method}|${x.variant}|${x.train_noise_factor ?? "-"}|${x.noise_factor}`
  );
  assertEquals(cells, [
    "noisy||-|0.3",
    "noisy||-|0.5",
    "ae||0.3|0.3",
    "ae||0.5|0.3",
    "ae||0.5|0.5",
    "ae|dropout 0|0.5|0.5",
    "ae|no lr schedule|0.5|0.5",
    "ae|latent 2|0.5|0.5",
    "ae|latent 64|0.5|0.5",
  ]);
  const runs = [...Deno.readDirSync(`${out}/runs`)].map((e) => e.name).sort();
  assertEquals(runs.length, 6, runs.join());
  const ae = r.rows.find((x) => x.method === "ae" && x.noise_factor === 0.5 && x.variant === "")!;
  assertEquals(ae.epochs, 1);
  assert(ae.run.startsWith("autoencoder-mnist-gaussian0.5-e1-n128-t32"), ae.run);
  assertEquals(ae.class_mse.length, 10);

  // The same cells again from scratch (rows deleted): every model comes from its run folder.
  await Deno.remove(`${r.dir}/results.json`);
  const again = quiet();
  const r2 = await runSweep({ ...options, log: again.log });
  assertEquals(r2.computed, 9);
  assert(!again.lines.some((l) => l.startsWith("run: ")), "a model was retrained");
  assert(again.lines.some((l) => l.includes("using the trained run")));
  for (const x of r.rows) {
    const y = r2.rows.find((z) => cellKey(z) === cellKey(x))!;
    assertEquals([y.mse, y.psnr, y.ssim], [x.mse, x.psnr, x.ssim]);
  }
});

Deno.test("sweepChart() draws one line per method plus the cross-noise model", () => {
  const rows = [0.1, 0.5].flatMap((f) => [
    row({ method: "noisy", train_noise_factor: null, noise_factor: f }),
    row({ train_noise_factor: f, noise_factor: f }),
    row({ train_noise_factor: 0.5, noise_factor: f }),
  ]);
  const chart = sweepChart(rows);
  const svg = chart.outerHTML;
  assert(svg.includes("noisy input") && svg.includes("autoencoder trained at 0.5"), svg);
  assertEquals(chart.getAttribute("width"), "640");
  const all = sweepChart([
    ...rows,
    ...(["median", "gaussian", "nlm", "dncnn"] as const).map((method) => row({ method })),
  ]);
  // Seven series: the chart widens so that its one-row legend keeps every name.
  assert(Number(all.getAttribute("width")) > 640, all.getAttribute("width") ?? "");
});

Deno.test("the claims' verdicts follow the numbers whichever way they fall", async (t) => {
  await t.step("claim 1: autoencoder against the classical filters", () => {
    const rows = (aePsnr: number, aeSsim: number) => [
      row({ method: "noisy", train_noise_factor: null, psnr: 9, ssim: 0.4 }),
      row({ method: "median", train_noise_factor: null, psnr: 14, ssim: 0.55 }),
      row({ method: "gaussian", psnr: 12, ssim: 0.45 }),
      row({ psnr: aePsnr, ssim: aeSsim }),
      row({ method: "dncnn", psnr: 20, ssim: 0.8 }),
    ];
    const win = claimBeatsClassical(rows(17, 0.7));
    assertEquals(win.holds, true);
    assertEquals(win.table[0].method, "DnCNN (residual)");
    assert(win.chart!.outerHTML.includes("median 3×3"));
    assert(win.verdict.includes("median 3×3") && win.verdict.includes("+3.00 dB"), win.verdict);
    assertEquals(claimBeatsClassical(rows(12, 0.5)).holds, false);
    assertEquals(claimBeatsClassical(rows(17, 0.5)).holds, null);
    assertEquals(claimBeatsClassical([row({})]).holds, null);
  });
  await t.step("claim 2: one model trained at 0.5 across noise levels", () => {
    const rows = (at01: number, matched01 = 24) => [
      row({ method: "noisy", train_noise_factor: null, noise_factor: 0.1, psnr: 20, ssim: 0.8 }),
      row({ method: "noisy", train_noise_factor: null, noise_factor: 0.5, psnr: 9, ssim: 0.4 }),
      row({ train_noise_factor: 0.1, noise_factor: 0.1, psnr: matched01 }),
      row({ train_noise_factor: 0.5, noise_factor: 0.1, psnr: at01, ssim: 0.85 }),
      row({ train_noise_factor: 0.5, noise_factor: 0.5, psnr: 17 }),
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
    assertEquals(claimNoiseRobustness([row({})]).holds, null);
  });
  await t.step("claim 3: the learning-rate schedule", () => {
    const rows = (psnr: number, lr: number, epochs = 10) => [
      row({ psnr, final_lr: lr, epochs }),
      row({ variant: "no lr schedule", psnr: 17, epochs }),
    ];
    const idle = claimLrSchedule(rows(17, 0.001));
    assertEquals(idle.holds, null);
    assert(idle.verdict.includes("val_loss never stalled for 3 epochs"), idle.verdict);
    assert(claimLrSchedule(rows(17, 0.001, 1)).verdict.includes("fewer epochs than its patience"));
    const gain = claimLrSchedule(rows(18, 0.0002));
    assertEquals(gain.holds, false);
    assert(gain.verdict.includes("lowered the learning rate to 0.0002"), gain.verdict);
    assertEquals(claimLrSchedule(rows(17.05, 0.0002)).holds, true);
    assertEquals(claimLrSchedule([row({})]).holds, null);
  });
  await t.step("claim 4: dropout", () => {
    const rows = (psnr: number) => [row({ psnr }), row({ variant: "dropout 0", psnr: 17 })];
    assertEquals(claimDropout(rows(17.5)).holds, true);
    const worse = claimDropout(rows(16.5));
    assertEquals(worse.holds, false);
    assert(worse.verdict.includes("better without dropout"), worse.verdict);
    assertEquals(claimDropout(rows(17.05)).holds, false);
  });
  await t.step("claim 5: latent size and the digits 6 and 9", () => {
    const worst = (c: number) => Array.from({ length: 10 }, (_, i) => (i === c ? 0.05 : 0.01));
    const rows = (psnr64: number) => [
      row({ class_mse: worst(9) }),
      row({ variant: "latent 2", psnr: 12, class_mse: worst(9).map((v) => 2 * v) }),
      row({ variant: "latent 64", psnr: psnr64, class_mse: worst(9).map((v) => v / 2) }),
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
    assertEquals(claimLatent([row({})]).holds, null);
  });
});
