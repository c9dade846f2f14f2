import { assert, assertEquals, assertThrows } from "./_assert.ts";
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
  settingsTable,
  sweepEpochs,
  sweepSettingsTable,
  table,
} from "./notebook.ts";
import { DEFAULT_SWEEP_METHODS, sweepSettings } from "./sweep/plan.ts";
import { planCells } from "./sweep/cells.ts";

Deno.test("notebookSettings() gives the report's defaults and outputs/ at the repository root", () => {
  const { config, out, name } = notebookSettings({}, {});
  // The report profile: the defaults but for the training size and epochs.
  const profile = { ...DEFAULT_CONFIG, ...REPORT_PROFILE };
  assertEquals(config, profile);
  assertEquals(name, defaultRunName(profile));
  assert(out.endsWith("/outputs") && !out.includes("/lib/"), out);
  assertEquals(out, defaultOutputRoot());
});

Deno.test("notebookSettings(): an edit in the parameter cell wins over an environment variable", () => {
  const env = { NOISE_FACTOR: "0.7", EPOCHS: "3", OUTPUT_DIR: "/tmp/x", SWEEP_EPOCHS: "2" };
  const { config, out, sweep } = notebookSettings({ noise: 0.3, sweepEpochs: 4 }, env);
  // The cell's noise and sweep epochs win; the variables fill what the cell leaves unset.
  assertEquals([config.noise, config.epochs, out, sweep.epochs], [0.3, 3, "/tmp/x", 4]);
  assertEquals(notebookSettings({}, env).config.noise, 0.7);
});

Deno.test("notebookSettings() names the variable or parameter at fault", () => {
  assertThrows(() => notebookSettings({}, { NOISE_FACTOR: "x" }), InputError, "NOISE_FACTOR");
  assertThrows(() => notebookSettings({ epochs: 0 }, { EPOCHS: "3" }), InputError, "epochs");
  assertThrows(() => notebookSettings({}, { SWEEP_TRAIN_SIZE: "0" }), InputError, "SWEEP_TRAIN");
});

Deno.test("notebookSettings() resolves a relative OUTPUT_DIR against the working directory", () => {
  assertEquals(notebookSettings({}, { OUTPUT_DIR: "o" }).out, `${Deno.cwd()}/o`);
});

Deno.test("notebookSettings() rejects a bad variable with a one-line InputError", () => {
  assertThrows(() => notebookSettings({}, { EPOCHS: "many" }), InputError, "EPOCHS");
});

Deno.test("sweepEpochs() defaults to the config's epochs and validates SWEEP_EPOCHS", () => {
  assertEquals(sweepEpochs({ ...DEFAULT_CONFIG, epochs: 7 }, {}), 7);
  assertEquals(sweepEpochs(DEFAULT_CONFIG, { SWEEP_EPOCHS: "3" }), 3);
  for (const bad of ["0", "1.5", "x"]) {
    assertThrows(() => sweepEpochs(DEFAULT_CONFIG, { SWEEP_EPOCHS: bad }), InputError, "SWEEP");
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
  const t = settingsTable(notebookSettings({}, { OUTPUT_DIR: "/tmp/o" }))["text/plain"];
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
    // The next cell reads the parameters through notebookSettings, so the cell wins over env.
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

Deno.test("notebookSweep() and noiseFactorSweep() take the sweep from the notebook's settings", () => {
  const settings = notebookSettings({ sweepNoise: "0.9,0.1", sweepName: "mine" }, {});
  const sweep = notebookSweep(settings);
  // The notebooks hand their sweeps `jobs` processes: the parameter, else JOBS, else every core.
  assertEquals(notebookSweep(notebookSettings({ jobs: 3 }, { JOBS: "2" })).jobs, 3);
  assertEquals(noiseFactorSweep(notebookSettings({}, { JOBS: "1" })).jobs, 1);
  assertThrows(() => notebookSettings({}, { JOBS: "0" }), Error, "JOBS must be a whole number");
  assertEquals([sweep.name, sweep.noise, sweep.config.train], ["mine", [0.1, 0.9], 3000]);
  const factors = noiseFactorSweep(notebookSettings({ noise: 0.5 }, { SWEEP_EPOCHS: "2" }));
  assertEquals([factors.noise, factors.config.epochs, factors.methods], [[0.1, 0.3, 0.5, 0.7], 2, [
    "ae",
  ]]);
  assert(factors.name !== notebookSweep(notebookSettings({}, { SWEEP_EPOCHS: "2" })).name);
});

Deno.test("notebook 6's sweep at the defaults: ≤ 400,000 training images, ≤ 1,000 test images", () => {
  const plan = notebookSweep(notebookSettings({}, {}));
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
  assertEquals(configs.size, 27);
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
      c.method === method && c.variant === variant && c.trainNoise === trainNoise &&
      c.noise === 0.5
    );
    assertEquals(arm.map((c) => c.seed), [0, 1, 2], `${method} ${variant} ${trainNoise}`);
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
  const plan = notebookSweep(notebookSettings({}, {}));
  const t = sweepSettingsTable(plan)["text/plain"];
  assert(t.includes("training images per model\t2,700") && t.includes("test images\t1,000"), t);
  assert(t.includes("seeds of the primary arms\t0, 1, 2"), t);
});

Deno.test("notebookSettings(): a bad SWEEP_NOISE is named as such; SWEEP_TRAIN_SIZE above TRAIN_SIZE is refused", () => {
  const e = assertThrows(() => notebookSettings({}, { SWEEP_NOISE: "0.1,x" }), InputError);
  assert(e.message.startsWith("SWEEP_NOISE") && !e.message.includes("\n"), e.message);
  const p = assertThrows(() => notebookSettings({ sweepNoise: "" }, {}), InputError);
  assert(p.message.startsWith("sweepNoise"), p.message);
  const t = assertThrows(
    () => notebookSettings({}, { TRAIN_SIZE: "500", SWEEP_TRAIN_SIZE: "900" }),
    InputError,
  );
  assert(t.message.startsWith("SWEEP_TRAIN_SIZE 900 exceeds the 500 training"), t.message);
});
