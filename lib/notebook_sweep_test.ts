import { assert, assertEquals } from "./_assert.ts";
import { notebookSettings } from "./notebook.ts";
import { noiseFactorSweep, notebookSweep, sweepProfile } from "./notebook_sweep.ts";
import { DEFAULT_CONFIG } from "./runs/config.ts";
import { DEFAULT_SWEEP_METHODS, sweepSettings } from "./sweep/plan.ts";
import { planCells } from "./sweep/cells.ts";

Deno.test("sweepProfile() is the one place the sweep profile is derived", () => {
  const tiny = { ...DEFAULT_CONFIG, train: 256, test: 64 };
  assertEquals([sweepProfile(tiny).train, sweepProfile(tiny).test], [256, 64]);
  assertEquals([sweepProfile(DEFAULT_CONFIG).train, sweepProfile(DEFAULT_CONFIG).epochs], [
    3000,
    5,
  ]);
  assertEquals(sweepProfile(DEFAULT_CONFIG, { epochs: 2, train: 500 }), {
    ...DEFAULT_CONFIG,
    epochs: 2,
    train: 500,
    test: 1000,
  });
  assertEquals(
    notebookSettings({ sweepEpochs: 3 }).sweep,
    sweepProfile(notebookSettings().config, { epochs: 3 }),
  );
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
