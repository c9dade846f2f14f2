import { assert, assertEquals, assertThrows } from "./_testing_assert.ts";
import { DEFAULT_CONFIG, defaultRunName, REPORT_PROFILE } from "./runs/config.ts";
import { InputError } from "./errors.ts";
import { barChart } from "./figures/charts.ts";
import { imageGridPng } from "./figures/image_grid.ts";
import {
  defaultOutputRoot,
  formatCell,
  html,
  mimeBundle,
  noiseFactorSweep,
  notebookSettings,
  notebookSweep,
  profileName,
  settingsTable,
  setupLine,
  show,
  sweepSettingsTable,
  sweepSetupLine,
  table,
} from "./notebook.ts";
import { DEFAULT_SWEEP_METHODS, sweepSettings } from "./sweep/plan.ts";
import { planCells } from "./sweep/cells.ts";

Deno.test("notebookSettings() gives the report's defaults and outputs/ at the repository root", () => {
  const { config, out, name } = notebookSettings({});
  // The report profile: the defaults but for the training size and epochs.
  const profile = { ...DEFAULT_CONFIG, ...REPORT_PROFILE };
  assertEquals(config, profile);
  assertEquals(name, defaultRunName(profile));
  assert(out.endsWith("/outputs") && !out.includes("/lib/"), out);
  assertEquals(out, defaultOutputRoot());
});

Deno.test("notebookSettings() reads its parameters only, never the environment", () => {
  const { config, out, sweep } = notebookSettings({ noise: 0.3, sweepEpochs: 4, out: "o" });
  assertEquals([config.noise, config.epochs, out, sweep.epochs], [0.3, 10, `${Deno.cwd()}/o`, 4]);
  // A variable that once set a parameter is ignored: one way in, the parameter cell.
  Deno.env.set("NOISE_FACTOR", "0.7");
  try {
    assertEquals(notebookSettings({}).config.noise, DEFAULT_CONFIG.noise);
  } finally {
    Deno.env.delete("NOISE_FACTOR");
  }
});

Deno.test("notebookSettings() refuses a bad or unknown parameter with one line naming it", () => {
  for (
    const [params, start] of [
      [{ epochs: 0 }, "epochs"],
      [{ noiseType: "pink" }, "noiseType"],
      [{ sweepTrain: 0 }, "sweepTrain"],
      [{ threads: 0 }, "threads"],
      [{ epoch: 3 }, 'unknown parameter "epoch"'],
    ] as [Record<string, unknown>, string][]
  ) {
    const e = assertThrows(() => notebookSettings(params), InputError);
    assert(e.message.startsWith(start) && !e.message.includes("\n"), e.message);
  }
});

Deno.test("mimeBundle() maps strings, PNG bytes, charts and bundles", async (t) => {
  await t.step("a string is Markdown", () => {
    assertEquals(mimeBundle("*x*")["text/markdown"], "*x*");
  });
  await t.step("PNG bytes are base64 image/png", () => {
    const png = imageGridPng([{ data: new Float32Array(4), count: 1, height: 2, width: 2 }]);
    const b64 = mimeBundle(png)["image/png"];
    assertEquals(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), png);
  });
  await t.step(
    "a chart is standalone SVG, also as HTML (which nbconvert does not sanitize)",
    () => {
      const bundle = mimeBundle(barChart([{ label: "a", value: 1 }]));
      const svg = bundle["image/svg+xml"];
      assert(svg.startsWith("<svg") && svg.includes('xmlns="http://www.w3.org/2000/svg"'));
      assertEquals(bundle["text/html"], svg);
      // A chart with a title is Plot's <figure>: HTML for pages, standalone SVG for files.
      const titled = mimeBundle(barChart([{ label: "a", value: 1 }], { title: "T" }));
      assert(titled["text/html"].startsWith("<figure") && titled["text/html"].includes(">T</h2>"));
      assert(titled["image/svg+xml"].startsWith("<svg") && titled["image/svg+xml"].includes("T"));
    },
  );
  await t.step("a bundle passes through", () => {
    const bundle = html("<i>x</i>");
    assertEquals(mimeBundle(bundle), bundle);
    assertEquals(bundle["text/plain"], "x");
  });
});

Deno.test("formatCell() groups integers and rounds other numbers to 4 significant digits", () => {
  assertEquals(formatCell(178001), "178,001");
  assertEquals(formatCell(0.013719023205339909), "0.01372");
  assertEquals(formatCell(21.456789), "21.46");
  assertEquals(formatCell("conv"), "conv");
  assertEquals(formatCell(true), "true");
});

Deno.test("table() escapes HTML, right-aligns numbers and keeps the first row's columns", () => {
  const t = table([{ name: "<a>", n: 1234 }, { name: "b", n: 0.5 }]);
  assert(t["text/html"].includes("<th>name</th><th>n</th>"));
  assert(t["text/html"].includes("&lt;a&gt;"));
  assert(t["text/html"].includes('<td style="text-align: right">1,234</td>'));
  assertEquals(t["text/plain"], "name\tn\n<a>\t1,234\nb\t0.5");
});

Deno.test("settingsTable() lists every setting and the run name, never the output root", () => {
  const t = settingsTable(notebookSettings({ out: "/tmp/o" }))["text/plain"];
  for (const key of Object.keys(DEFAULT_CONFIG)) assert(t.includes(`\n${key}\t`), key);
  assert(t.includes(`run name\t${defaultRunName({ ...DEFAULT_CONFIG, ...REPORT_PROFILE })}`));
  assert(!t.includes("/tmp/o"), t);
});

Deno.test("every notebook's first code cell is its parameter cell, tagged `parameters`", async () => {
  const dir = new URL("../notebooks/", import.meta.url);
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"));
  assert(files.length >= 6, files.join());
  for (const file of files) {
    const nb = JSON.parse(await Deno.readTextFile(new URL(file, dir)));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    const first = code[0];
    assertEquals(first.metadata.tags, ["parameters"], file);
    const source = [first.source].flat().join("");
    assert(source.includes("const params: NotebookParams = {};"), `${file}: ${source}`);
    // The next cell reads the parameters through notebookSettings, which validates them.
    assert([code[1].source].flat().join("").includes("notebookSettings(params)"), file);
    // Notebooks tell the story: short code cells, a short setup cell, no outputs committed.
    for (const c of code) {
      const lines = [c.source].flat().join("").split("\n").length;
      assert(lines <= 15, `${file}: a code cell of ${lines} lines`);
      assertEquals(c.outputs, [], file);
    }
    assert([code[1].source].flat().join("").split("\n").length <= 6, `${file}: setup cell`);
    // Pages without code leave the settings cell out (its tag) and say the setup in words;
    // the last cell's one-line answer goes on the title slide.
    assertEquals(code[1].metadata.tags, ["settings"], file);
    assert([code[2].source].flat().join("").includes("lib.setupLine(settings)"), file);
    assertEquals(code.at(-1).metadata.tags, ["answer"], file);
  }
});

Deno.test("notebook 4 scores on test images, not on the images it validated on", async () => {
  const nb = JSON.parse(
    await Deno.readTextFile(new URL("../notebooks/04_results.ipynb", import.meta.url)),
  ) as { cells: { source: string[] }[] };
  const text = nb.cells.map((c) => c.source.join("")).join("\n");
  // The default validation set is a hold-out of the training images (not the test set).
  assertEquals(DEFAULT_CONFIG.validation, "split");
  assert(!/test images it was validated on/.test(text));
  assert(text.includes("neither its training nor its validation used"));
});

Deno.test("notebook 6 shows its sweep's own settings, not the main run's", () => {
  const plan = notebookSweep(notebookSettings({}));
  const t = sweepSettingsTable(plan)["text/plain"];
  assert(t.includes("training images per model\t2,700") && t.includes("test images\t1,000"), t);
  assert(t.includes("seeds of the primary arms\t0, 1, 2"), t);
});

Deno.test("notebookSettings(): a bad sweepNoise is named as such; sweepTrain above train is refused", () => {
  const p = assertThrows(() => notebookSettings({ sweepNoise: "0.1,x" }), InputError);
  assert(p.message.startsWith("sweepNoise") && !p.message.includes("\n"), p.message);
  const t = assertThrows(() => notebookSettings({ train: 500, sweepTrain: 900 }), InputError);
  assert(t.message.startsWith("sweepTrain 900 exceeds the 500 training"), t.message);
});

Deno.test("show() outside Jupyter prints each item's text/plain", async () => {
  const printed: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(...args);
  try {
    await show("*x*", table([{ a: 1 }]), { "text/html": "<b>y</b>" });
  } finally {
    console.log = log;
  }
  assertEquals(printed, ["*x*", "a\n1", "text/html"]);
});

Deno.test("profileName() names the report profile, the full protocol and the sweep profile", () => {
  const report = notebookSettings({});
  assertEquals(profileName(report.config), "report profile");
  assertEquals(profileName(report.sweep, true), "sweep profile");
  assertEquals(
    profileName(notebookSettings({ train: 60000, epochs: 30 }).config),
    "full protocol",
  );
  assertEquals(profileName(DEFAULT_CONFIG), "full protocol");
  // The report profile on a smaller dataset is still the report profile (its training size is capped).
  assertEquals(profileName(notebookSettings({ dataset: "mnist10k" }).config), "report profile");
  const tiny = notebookSettings({ train: 256, epochs: 1, sweepEpochs: 1 });
  assertEquals([profileName(tiny.config), profileName(tiny.sweep, true)], [
    "custom setup",
    "custom setup",
  ]);
});

Deno.test("setupLine() and sweepSetupLine() say the setup in words, with no path or flag", () => {
  const s = notebookSettings({ noise: 0.3, seed: 2, out: "/tmp/somewhere" });
  const line = setupLine(s);
  assertEquals(
    line,
    `**Setup** (report profile): 12,000 training images, 10 epochs, Gaussian noise at f = 0.3, ` +
      `10,000 test images, seed 2, data seed ${s.config.dataSeed}.`,
  );
  const sweep = sweepSetupLine(notebookSweep(s));
  // Notebook 6's default sweep: the primary comparisons' factor only.
  assert(sweep.startsWith("**Noise sweep** (sweep profile): noise factors 0.5;"), sweep);
  assert(sweep.endsWith("seeds 2, 3, 4 for the claims' arms."), sweep);
  assert(sweepSetupLine(noiseFactorSweep(s)).endsWith("seed 2."));
  for (const l of [line, sweep]) assert(!/\/tmp|SWEEP_|--|`/.test(l), l);
});

Deno.test("notebookSettings() derives the sweep profile from the notebook's config", () => {
  const tiny = notebookSettings({ train: 256, test: 64 }).sweep;
  assertEquals([tiny.train, tiny.test], [256, 64]);
  const report = notebookSettings();
  assertEquals([report.sweep.train, report.sweep.epochs], [3000, 5]);
  assertEquals(notebookSettings({ sweepEpochs: 2, sweepTrain: 500 }).sweep, {
    ...report.config,
    epochs: 2,
    train: 500,
    test: 1000,
  });
});

Deno.test("notebookSweep() and noiseFactorSweep() take the sweep from the notebook's settings", () => {
  const settings = notebookSettings({ sweepNoise: "0.9,0.1", sweepName: "mine" });
  const sweep = notebookSweep(settings);
  // The notebooks hand their sweeps `jobs` processes: the parameter, else every core.
  assertEquals(notebookSweep(notebookSettings({ jobs: 3 })).jobs, 3);
  assertEquals(noiseFactorSweep(notebookSettings({ jobs: 1 })).jobs, 1);
  assertEquals([sweep.name, sweep.noise, sweep.config.train], ["mine", [0.1, 0.9], 3000]);
  const factors = noiseFactorSweep(notebookSettings({ noise: 0.5, sweepEpochs: 2 }));
  assertEquals([factors.noise, factors.config.epochs, factors.methods], [[0.1, 0.3, 0.5, 0.7], 2, [
    "ae",
  ]]);
  assert(factors.name !== notebookSweep(notebookSettings({ sweepEpochs: 2 })).name);
  // The notebook's own factor joins notebook 5's, and is the reference of the cross-noise model.
  const own = noiseFactorSweep(notebookSettings({ noise: 0.2 }));
  assertEquals([own.noise, own.referenceNoise], [[0.1, 0.2, 0.3, 0.5, 0.7], 0.2]);
  assert(own.name.startsWith("factors-"), own.name);
});

Deno.test("notebook 6's sweep at the defaults: ≤ 400,000 training images, ≤ 1,000 test images", () => {
  const plan = notebookSweep(notebookSettings({}));
  const settings = sweepSettings(plan.config);
  const cells = planCells(settings, {
    noise: plan.noise,
    methods: DEFAULT_SWEEP_METHODS,
    ablations: true,
    cross: true,
    backend: "cpu",
  });
  // Each distinct config trains once (cross-noise cells reuse the run of their config).
  const configs = new Map(
    cells.flatMap((c) => c.config ? [[JSON.stringify(c.config), c.config]] : []),
  );
  const images = [...configs.values()].reduce(
    (sum, c) => sum + c.epochs * Math.round(c.train * (1 - c.validationSplit)),
    0,
  );
  // At f = 0.5 only: the autoencoder and its dropout-0, no-schedule and latent-64 variants, the
  // clean-trained control and the DnCNN, 3 seeds each, and latent 2 with one seed.
  assertEquals(configs.size, 6 * 3 + 1);
  assert(images <= 400_000, `${images} training images`);
  assertEquals(settings.test, 1000);
  // Every claim's arms have three seeds: claims 3–5's variants, claim 2's clean-trained
  // control and claim 1's DnCNN at the reference factor.
  const arms: [string, string, number][] = [
    ["ae", "", 0.5],
    ["ae", "dropout 0", 0.5],
    ["ae", "no lr schedule", 0.5],
    ["ae", "latent 64", 0.5],
    ["ae", "", 0],
    ["dncnn", "", 0.5],
  ];
  for (const [method, variant, trainNoise] of arms) {
    const arm = cells.filter((c) =>
      c.method === method && c.variant === variant && c.train_noise_factor === trainNoise &&
      c.noise_factor === 0.5
    );
    assertEquals(arm.map((c) => c.seed), [0, 1, 2], `${method} ${variant} ${trainNoise}`);
  }
});
