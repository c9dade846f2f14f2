import { assertEquals, assertThrows } from "./_assert.ts";
import {
  configFromEnv,
  DEFAULT_CONFIG,
  defaultRunName,
  experimentHelp,
  parseExperimentArgs,
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
