import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { InputError } from "../errors.ts";
import { ensureSweep, runSweep } from "./sweep.ts";
import { readSweep } from "./files.ts";
import type { PerImageScores, SweepRow } from "./plan.ts";
import { cellKey } from "./cells.ts";
import { claimCell } from "./files.ts";
import { countLrDrops } from "../train/reduce_lr_on_plateau.ts";
import type { SummaryRow } from "./files.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { ensureRun } from "../runs/experiment.ts";
import { readRun } from "../runs/run_folder.ts";

/** Tiny profile: every classical cell on 32 test images takes milliseconds. */
const TINY = { train: 64, test: 32, epochs: 1, seed: 1 };

function quiet(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}

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
    "claims.md",
    "complete",
    "per_image",
    "psnr.svg",
    "results.csv",
    "results.json",
    "ssim.svg",
    "summary.csv",
    "summary.json",
    "sweep.json",
  ]);
  // claims.md: the sweep, then each primary comparison with the verdict lib/claims/verdict.ts
  // gives (no learned arms here, so none is tested).
  const claims = (await Deno.readTextFile(`${r.dir}/claims.md`)).trim().split("\n");
  assert(claims[0].startsWith("Claims of sweep `"), claims[0]);
  // Sweep, blank, header, rule, 7 rows.
  assertEquals(claims.length, 2 + 2 + 7);
  assert(claims.slice(4, 11).every((l) => l.includes("| not tested |")), claims.join("\n"));
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
    "median 0.1 0.1",
    "median 0.5 0.5",
    "gaussian 0.1 0.1",
    "gaussian 0.5 0.5",
  ]);
  // Every method saw the same noisy images: the noisy row is the baseline of its factor.
  const noisy = r.rows.find((x) => x.method === "noisy" && x.noise_factor === 0.5)!;
  const median = r.rows.find((x) => x.method === "median" && x.noise_factor === 0.5)!;
  assert(median.psnr > noisy.psnr, "median filtering should help at f = 0.5");
  // Every filter is tuned, or at least bias-corrected, on training images; `noisy` is not.
  assertEquals(r.rows.find((x) => x.method === "gaussian")!.train_seconds > 0, true);
  assert(median.train_seconds > 0 && median.parameter.includes(" a="), median.parameter);
  assertEquals(noisy.train_seconds, 0);
  const svg = await Deno.readTextFile(`${r.dir}/psnr.svg`);
  assert(svg.includes("median 3×3") && svg.includes("Gaussian blur"));
  const back = await readSweep(r.name, out);
  assertEquals(back?.complete, true);
  assertEquals(back?.rows, r.rows);
});

Deno.test("runSweep() resumes: finished cells are skipped and logged, never recomputed", async (t) => {
  const out = await Deno.makeTempDir();
  const options = {
    methods: ["median"] as const,
    config: TINY,
    tune: 16,
    out,
    name: "resume",
    noise: [0.3, 0.5, 0.7],
  };
  let before = "";

  await t.step("an aborted sweep stops after its current cell, with no marker", async () => {
    const controller = new AbortController();
    const { lines } = quiet();
    const r = await runSweep({
      ...options,
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        if (line.includes("median at noise 0.5")) controller.abort();
      },
    });
    assertEquals(r.status, "interrupted");
    assertEquals([r.computed, r.skipped], [4, 0]);
    assertEquals(await Deno.stat(`${r.dir}/complete`).then(() => true, () => false), false);
    assertEquals((await readSweep("resume", out))?.complete, false);
    before = await Deno.readTextFile(`${r.dir}/results.json`);
  });

  await t.step("the rerun computes only the missing cells and keeps the old rows", async () => {
    const { log, lines } = quiet();
    const r = await runSweep({ ...options, log });
    assertEquals(r.status, "complete");
    assertEquals([r.computed, r.skipped], [2, 4]);
    assert(lines.some((l) => l.includes("4 of 6 cells already finished")), lines.join("\n"));
    assert(!lines.some((l) => l.includes("at noise 0.3 (")), "a finished cell was recomputed");
    const old = JSON.parse(before) as SweepRow[];
    for (const o of old) assertEquals(r.rows.find((x) => cellKey(x) === cellKey(o)), o);
  });

  await t.step("a complete sweep does nothing", async () => {
    const { log, lines } = quiet();
    const r = await runSweep({ ...options, log });
    assertEquals([r.computed, r.skipped], [0, 6]);
    assert(lines.some((l) => l.includes("is complete: nothing to do")));
  });

  await t.step("other settings, methods or factors under the same name are refused", async () => {
    const cases = [
      [{ config: { ...TINY, test: 16 } }, "test 32 (saved) ≠ 16 (asked)"],
      [{ noise: [0.3] }, "noise [0.3,0.5,0.7] (saved) ≠ [0.3] (asked)"],
      [{ methods: ["gaussian"] as const }, 'methods ["median"] (saved) ≠ ["gaussian"] (asked)'],
    ] as const;
    for (const [change, message] of cases) {
      await assertRejects(
        () => runSweep({ ...options, ...change, log: quiet().log }),
        InputError,
        message,
      );
      // ensureSweep never takes the complete sweep for another one.
      await assertRejects(
        () => ensureSweep({ ...options, ...change, log: quiet().log }),
        InputError,
        message,
      );
    }
  });
});

Deno.test("ensureSweep() runs a missing sweep, resumes it, then reads it", async () => {
  const out = await Deno.makeTempDir();
  const options = { noise: [0.3, 0.5], methods: ["median"] as const, out, name: "ens" };
  const controller = new AbortController();
  await runSweep({
    ...options,
    config: TINY,
    signal: controller.signal,
    log: (line) => line.includes("median at noise 0.3") && controller.abort(),
  });
  const { log, lines } = quiet();
  const sweep = await ensureSweep({ ...options, config: TINY, log });
  assertEquals([sweep.complete, sweep.rows.length, sweep.settings.test], [true, 4, 32]);
  assert(lines.some((l) => l.includes("2 of 4 cells already finished")), lines.join("\n"));
  const again = quiet();
  assertEquals((await ensureSweep({ ...options, config: TINY, log: again.log })).rows, sweep.rows);
  const done = again.lines.some((l) => l.includes('sweep "ens" is complete: nothing to do'));
  assert(done, again.lines.join("\n"));
});

Deno.test("runSweep() leaves a cell another process holds for last, waits for it, then computes it", async () => {
  const out = await Deno.makeTempDir();
  const dir = `${out}/sweeps/held`;
  await Deno.mkdir(dir, { recursive: true });
  const { dataset, noiseType: noise_type } = DEFAULT_CONFIG;
  const first = { dataset, noise_type, method: "noisy", variant: "", noise_factor: 0.3 } as const;
  const claim = await claimCell(dir, cellKey({ ...first, train_noise_factor: null }));
  const { log, lines } = quiet();
  const r = await runSweep({
    noise: [0.3, 0.5],
    methods: ["median"],
    config: TINY,
    tune: 16,
    out,
    name: "held",
    // The holder (say, a job its killed sweep left running) exits while this process waits.
    log: (line) => {
      log(line);
      if (line.startsWith("waiting: cell")) claim.release();
    },
  });
  assertEquals([r.status, r.computed], ["complete", 4], lines.join("\n"));
  const waited = lines.findIndex((l) => l.startsWith("waiting: cell"));
  const before = lines.slice(0, waited).filter((l) => l.startsWith('sweep "held": '));
  assert(waited > 0 && before.length === 3, lines.join("\n"));
  assert(
    lines.slice(waited).some((l) => l.includes(": noisy at noise 0.3 (1/4)")),
    lines.join("\n"),
  );
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
    seeds: [1],
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
    "ae||0|0.3",
    "ae||0|0.5",
    "ae||0.3|0.3",
    "ae||0.5|0.3",
    "ae||0.5|0.5",
    "ae|dropout 0|0.5|0.5",
    "ae|lr schedule|0.5|0.5",
    "ae|no lr schedule|0.5|0.5",
    "ae|latent 2|0.5|0.5",
    "ae|latent 64|0.5|0.5",
  ]);
  const runs = [...Deno.readDirSync(`${out}/runs`)].map((e) => e.name).sort();
  // 6 models: the fixed-rate arm reuses the schedule arm's run, whose schedule never fired.
  assertEquals(runs.length, 6, runs.join());
  const arm = (variant: string) => r.rows.find((x) => x.variant === variant)!;
  assertEquals(arm("lr schedule").lr_drops, 0);
  assertEquals(arm("no lr schedule").run, arm("lr schedule").run);
  // What makes that sound: trained at a fixed rate, the same model comes out identical.
  const twin = await ensureRun(
    { ...DEFAULT_CONFIG, ...options.config, noise: 0.5, lrSchedule: false },
    { out, log: () => {} },
  );
  assert(twin.name.includes("nolr"), twin.name);
  const scheduled = await readRun(arm("lr schedule").run, out);
  assertEquals(twin.metrics.test_mse, scheduled.metrics.test_mse);
  const ae = r.rows.find((x) =>
    x.method === "ae" && x.noise_factor === 0.5 && x.variant === "" && x.train_noise_factor === 0.5
  )!;
  assertEquals(ae.epochs, 1);
  assert(ae.run.startsWith("autoencoder-mnist-gaussian0.5-e1-n128-t32"), ae.run);
  assertEquals(ae.class_mse.length, 10);

  // The same cells again from scratch (rows deleted): every model comes from its run folder.
  await Deno.remove(`${r.dir}/results.json`);
  const again = quiet();
  const r2 = await runSweep({ ...options, log: again.log });
  assertEquals(r2.computed, 12);
  assert(!again.lines.some((l) => l.startsWith("run: ")), "a model was retrained");
  assert(again.lines.some((l) => l.includes("using the trained run")));
  for (const x of r.rows) {
    const y = r2.rows.find((z) => cellKey(z) === cellKey(x))!;
    assertEquals([y.mse, y.psnr, y.ssim], [x.mse, x.psnr, x.ssim]);
  }
});

Deno.test("runSweep() runs BM3D as a tuned method and records every method's time per image", async () => {
  const out = await Deno.makeTempDir();
  const r = await runSweep({
    noise: [0.5],
    methods: ["median", "bm3d"],
    config: { ...TINY, test: 8 },
    tune: 4,
    out,
    log: quiet().log,
  });
  assertEquals(r.rows.map((x) => x.method), ["noisy", "median", "bm3d"]);
  const bm3d = r.rows.find((x) => x.method === "bm3d")!;
  const noisy = r.rows.find((x) => x.method === "noisy")!;
  assertEquals([bm3d.train_noise_factor, bm3d.parameter.startsWith("sigma=")], [0.5, true]);
  assert(bm3d.train_seconds > 0, "BM3D tunes its σ");
  assert(bm3d.mse < noisy.mse, "BM3D should help at f = 0.5");
  for (const row of r.rows) {
    assertEquals(row.seconds_per_image, row.denoise_seconds / 8, row.method);
  }
  assert(bm3d.seconds_per_image > 0);
  const csv = (await Deno.readTextFile(`${r.dir}/results.csv`)).trim().split("\n");
  const column = csv[0].split(",").indexOf("seconds_per_image");
  assert(column >= 0, "results.csv has seconds_per_image");
  const line = csv.find((l) => l.split(",")[csv[0].split(",").indexOf("method")] === "bm3d")!;
  assertEquals(Number(line.split(",")[column]), bm3d.seconds_per_image);
});

Deno.test("runSweep() with seeds: same noisy test images, per-image scores, lr drops, summary", async () => {
  const out = await Deno.makeTempDir();
  // 36 training images in batches of 8: val_loss stalls on the mean-image plateau and
  // ReduceLROnPlateau fires within 22 epochs (a few seconds of training).
  const r = await runSweep({
    noise: [0.5],
    methods: ["ae"],
    ablations: false,
    cross: false,
    seeds: [0, 1],
    config: { train: 40, test: 16, epochs: 22, batch: 8 },
    out,
    log: quiet().log,
  });
  const ae = r.rows.filter((x) => x.method === "ae");
  assertEquals(ae.map((x) => x.seed), [0, 1]);
  assert(ae[0].run !== ae[1].run, "two seeds, two runs");
  const noisy = r.rows.find((x) => x.method === "noisy")!;
  assertEquals(noisy.seed, null);
  // Every seed (and the classical rows) scored the very same noisy test images.
  assert(noisy.test_inputs_sha256.length === 64);
  assertEquals(ae.map((x) => x.test_inputs_sha256), [1, 1].map(() => noisy.test_inputs_sha256));
  for (const row of r.rows) {
    const scores = JSON.parse(
      await Deno.readTextFile(`${r.dir}/${row.per_image}`),
    ) as PerImageScores;
    assertEquals(scores.mse.length, 16);
    assertEquals(scores.labels.length, 16);
    assertEquals(scores.test_inputs_sha256, row.test_inputs_sha256);
    const m = scores.mse.reduce((a, b) => a + b, 0) / 16;
    assert(Math.abs(m - row.mse) < 1e-6 * row.mse, `${row.per_image}: ${m} vs ${row.mse}`);
  }
  for (const row of ae) {
    const history = JSON.parse(await Deno.readTextFile(`${out}/runs/${row.run}/history.json`));
    assert(row.lr_drops! > 0, `the schedule should fire: ${row.lr_drops}`);
    assertEquals(row.lr_drops, countLrDrops(history));
  }
  const summary = JSON.parse(await Deno.readTextFile(`${r.dir}/summary.json`)) as SummaryRow[];
  const line = summary.find((x) => x.method === "ae")!;
  assertEquals([line.n, line.seeds], [2, [0, 1]]);
  assert(line.mse.low <= line.mse.mean && line.mse.mean <= line.mse.high);
  assert((await Deno.readTextFile(`${r.dir}/summary.csv`)).includes("ae,,0.5,0.5,2,0;1,"));
  const back = await readSweep(r.name, out);
  assertEquals(back?.rows, r.rows);
});

Deno.test("damaged sweep files are validated on read and their cells computed again", async (t) => {
  const out = await Deno.makeTempDir();
  const options = {
    noise: [0.3, 0.5],
    methods: ["median"] as const,
    config: TINY,
    out,
    name: "dmg",
  };
  const first = await runSweep({ ...options, log: quiet().log });
  assertEquals(first.status, "complete");
  const dir = first.dir;
  const target = first.rows.find((r) => r.method === "median" && r.noise_factor === 0.5)!;
  const file = `${dir}/${target.per_image}`;
  const original = await Deno.readTextFile(file);
  /** ensureSweep after `damage`: the damaged cell is recomputed, the sweep complete again. */
  const recovers = async (damage: () => Promise<void>, says: string, cells = 1) => {
    await damage();
    const { log, lines } = quiet();
    const sweep = await ensureSweep({ ...options, log });
    assertEquals([sweep.complete, sweep.rows.length], [true, 4]);
    assert(lines.some((l) => l.includes(says)), lines.join("\n"));
    const skipped = lines.some((l) => l.includes(`${4 - cells} of 4 cells already finished`));
    assert(skipped || cells === 4, lines.join("\n"));
    const again = JSON.parse(await Deno.readTextFile(file)) as PerImageScores;
    assertEquals(again.mse.length, TINY.test);
  };
  await t.step(
    "a missing per-image file",
    () =>
      recovers(
        () => Deno.remove(file),
        "per-image file per_image/median-train0.5-test0.5.json is missing",
      ),
  );
  await t.step("a shortened per-image list", () =>
    recovers(async () => {
      const s = JSON.parse(original) as PerImageScores;
      s.mse = s.mse.slice(1);
      await Deno.writeTextFile(file, JSON.stringify(s));
    }, "does not match its SHA-256"));
  await t.step("altered per-image values", () =>
    recovers(async () => {
      const s = JSON.parse(original) as PerImageScores;
      s.mse = s.mse.map((x) => x / 2);
      await Deno.writeTextFile(file, JSON.stringify(s, null, 2) + "\n");
    }, "does not match its SHA-256"));
  await t.step("results.json set to {}", () =>
    recovers(
      () => Deno.writeTextFile(`${dir}/results.json`, "{}"),
      "results.json is not a list of rows",
      4,
    ));
  await t.step("a row gone from results.json, the marker still there", () =>
    recovers(async () => {
      const rows = JSON.parse(await Deno.readTextFile(`${dir}/results.json`)) as SweepRow[];
      await Deno.writeTextFile(`${dir}/results.json`, JSON.stringify(rows.slice(1)));
    }, "3 of 4 cells already finished"));
});
