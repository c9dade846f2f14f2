import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import { InputError } from "../errors.ts";
import {
  isCorrected,
  METHOD_LABELS,
  parseMethods,
  parseNoiseFactors,
  parseSeeds,
  SWEEP_METHODS,
  sweepSettings,
} from "./plan.ts";
import { planCells } from "./cells.ts";
import { validateConfig } from "../runs/config.ts";
import { defaultSweepName as named, sweepPlan } from "./identity.ts";

const defaultSweepName = (s: ReturnType<typeof sweepSettings>) =>
  named(s, sweepPlan()).replace(/-h[0-9a-f]{8}$/, "");

Deno.test("parseMethods() and parseNoiseFactors() reject bad lists with one-line InputErrors", () => {
  assertEquals(parseMethods("nlm, median"), ["nlm", "median"]);
  assertEquals(parseMethods("median,ae,median"), ["median", "ae"]);
  assertEquals(parseNoiseFactors("0.5,0.1,0.5"), [0.1, 0.5]);
  assertEquals(parseNoiseFactors([0.9, "0.1"]), [0.1, 0.9]);
  for (const bad of ["", "median,,ae", "bm4d"]) {
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

Deno.test("a sweep's data seed and validation set reach its runs and its name", () => {
  const settings = sweepSettings({ dataSeed: 2, validation: "test" });
  assertEquals(defaultSweepName(settings), "mnist-gaussian-e10-n60000-t10000-b32-valtest-ds2-s0");
  assert(defaultSweepName(sweepSettings({ validationSplit: 0.2 })).endsWith("-val0.2-s0"));
  const config = validateConfig({ ...settings, noise: 0.3 });
  assertEquals([config.dataSeed, config.validation, config.noise], [2, "test", 0.3]);
});

Deno.test("planCells() lists each cell once, cheap ones first, as plain descriptors", () => {
  const settings = sweepSettings({ epochs: 2 });
  const cells = planCells(settings, {
    noise: [0.3, 0.5],
    methods: ["median", "ae"],
    ablations: true,
    cross: true,
    backend: "cpu",
  });
  const keys = cells.map((c) =>
    `${c.method}|${c.variant}|${c.train_noise_factor}|${c.noise_factor}|${c.seed}`
  );
  assertEquals(new Set(keys).size, keys.length);
  // Classical cells come first and carry no config; learned cells carry their run's config.
  const firstLearned = cells.findIndex((c) => c.config !== undefined);
  assert(cells.slice(0, firstLearned).every((c) => c.method === "noisy" || c.method === "median"));
  assert(
    cells.slice(firstLearned).every((c) => c.config?.epochs === 2 && c.config.backend === "cpu"),
  );
  // Matched ae at 0.3 and 0.5, cross at 0.3, the clean-trained control at 0.3 and 0.5, and
  // five ablations at 0.5; the claims' arms (the autoencoder trained at 0.5, also where it is
  // tested at 0.3, the control, dropout 0, lr schedule, no lr schedule, latent 64) with three
  // seeds, every other learned cell (ae trained at 0.3, latent 2) with the sweep's seed.
  const ae = cells.filter((c) => c.method === "ae");
  assertEquals(ae.length, 1 + 3 + 3 + 6 + 3 + 3 + 3 + 1 + 3);
  const seedsOf = (variant: string, train: number, noise: number) =>
    ae.filter((c) =>
      c.variant === variant && c.train_noise_factor === train && c.noise_factor === noise
    )
      .map((c) => [c.seed, c.config?.seed]);
  assertEquals(seedsOf("", 0.5, 0.5), [[0, 0], [1, 1], [2, 2]]);
  assertEquals(seedsOf("no lr schedule", 0.5, 0.5), [[0, 0], [1, 1], [2, 2]]);
  assertEquals(seedsOf("dropout 0", 0.5, 0.5).length, 3);
  assertEquals(seedsOf("latent 2", 0.5, 0.5), [[0, 0]]);
  assertEquals(seedsOf("", 0, 0.3), [[0, 0], [1, 1], [2, 2]]);
  assertEquals(seedsOf("", 0.3, 0.3), [[0, 0]]);
  assertEquals(ae.find((c) => c.train_noise_factor === 0)?.config?.noise, 0);
  // Every seed trains on the same data seed, so it scores the same noisy test images.
  assert(ae.every((c) => c.config?.dataSeed === settings.dataSeed));
  // A seed list trains every learned cell once per seed.
  const listed = planCells(settings, {
    noise: [0.3, 0.5],
    methods: ["ae"],
    ablations: true,
    cross: true,
    backend: "cpu",
    seeds: [5, 7],
  }).filter((c) => c.method === "ae");
  assertEquals(listed.length, 2 * (1 + 1 + 1 + 2 + 5));
  // Claim 3's arms train scheduleEpochs epochs; the other cells keep the sweep's.
  const long = planCells(sweepSettings({ epochs: 2 }, { scheduleEpochs: 9 }), {
    noise: [0.5],
    methods: ["ae"],
    ablations: true,
    cross: false,
    backend: "cpu",
  });
  const epochsOf = (v: string) =>
    long.find((c) => c.method === "ae" && c.variant === v)?.config?.epochs;
  assertEquals(
    ["lr schedule", "no lr schedule", "", "dropout 0"].map(epochsOf),
    [9, 9, 2, 2],
  );
  assertEquals(long.find((c) => c.variant === "lr schedule")?.config?.lrSchedule, true);
  assert(listed.every((c) => c.seed === 5 || c.seed === 7));
  const latent2 = cells.find((c) => c.variant === "latent 2");
  assertEquals([latent2?.config?.latent, latent2?.config?.noise], [2, 0.5]);
  const noCross = planCells(settings, {
    noise: [0.3, 0.5],
    methods: ["median"],
    ablations: true,
    cross: true,
    backend: "cpu",
  });
  assertEquals(noCross.length, 4);
});

Deno.test("a sweep's settings as a config keep every sweep setting and the report's model settings", () => {
  const settings = sweepSettings({ epochs: 3, train: 50, test: 20, batch: 8, seed: 4 });
  const c = validateConfig({ ...settings, noise: 0.7, model: "dncnn" });
  assertEquals(
    [c.epochs, c.train, c.test, c.batch, c.seed, c.noise, c.model, c.latent, c.lrSchedule],
    [3, 50, 20, 8, 4, 0.7, "dncnn", 16, true],
  );
  assertThrows(() => validateConfig({ ...settings, noise: -1 }), InputError);
});

Deno.test("the sweep's epochs are not justified by test-set scores", async () => {
  const source = await Deno.readTextFile(new URL("./plan.ts", import.meta.url));
  const doc = source.slice(0, source.indexOf("export const DEFAULT_SWEEP_EPOCHS"));
  const comment = doc.slice(doc.lastIndexOf("/**"));
  assert(comment.includes("never chosen on test scores"), comment);
  // A test score (dB, MSE) quoted as a reason would let the test images steer training.
  assert(!/\d+(\.\d+)? dB|test MSE|scores \d/.test(comment), comment);
});

Deno.test("every classical filter but the noisy input is bias-corrected, and labelled so", () => {
  for (const m of SWEEP_METHODS) {
    const corrected = m !== "noisy" && m !== "ae" && m !== "dncnn";
    assertEquals(isCorrected(m), corrected, m);
    assertEquals(METHOD_LABELS[m].endsWith(" + bias correction"), corrected, METHOD_LABELS[m]);
  }
  assertEquals(sweepSettings().biasCorrection, true);
});

Deno.test("sweepSettings() and parseSeeds() read a sweep's settings and seed list", () => {
  const s = sweepSettings({ epochs: 3 });
  assert(s.epochs === 3 && s.referenceNoise === 0.5 && s.train === 60000);
  assertEquals(parseSeeds("0, 1,2"), [0, 1, 2]);
});
