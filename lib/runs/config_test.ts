import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import {
  DEFAULT_CONFIG,
  defaultRunName,
  MAX_SEED,
  parseBoolean,
  parseNumber,
  validateConfig,
  validateName,
  withReportProfile,
} from "./config.ts";
import { InputError } from "../errors.ts";

Deno.test("validateConfig() takes train and test sizes from the dataset unless given", () => {
  assertEquals([DEFAULT_CONFIG.train, DEFAULT_CONFIG.test], [60000, 10000]);
  const quick = validateConfig({ dataset: "mnist10k" });
  assertEquals([quick.train, quick.test], [9000, 1000]);
  const given = validateConfig({ dataset: "mnist10k", train: 100 });
  assertEquals([given.train, given.test], [100, 1000]);
});

Deno.test("validateConfig() checks the data seed and the validation set", () => {
  const p = validateConfig({ dataSeed: "2", validation: "test", validationSplit: "0.3" });
  assertEquals([p.dataSeed, p.validation, p.validationSplit], [2, "test", 0.3]);
  assertThrows(() => validateConfig({ validation: "nope" }), InputError, "validation");
  assertThrows(() => validateConfig({ dataSeed: "-1" }), InputError, "data-seed must be");
  assertThrows(() => validateConfig({ dataSeed: String(MAX_SEED + 1) }), InputError, "at most");
  assertThrows(() => validateConfig({ validationSplit: "0x1" }), InputError, "decimal");
  assertThrows(() => validateConfig({ validationSplit: "1" }), InputError, "(0, 1), got 1");
  assertThrows(() => validateConfig({ validationSplit: "0" }), InputError, "(0, 1)");
});

Deno.test("defaultRunName() always names both seeds and a non-default validation set", () => {
  assertEquals(
    defaultRunName(DEFAULT_CONFIG),
    "autoencoder-mnist-gaussian0.5-e30-n60000-t10000-b32-l16-ds0-s0",
  );
  assertEquals(
    defaultRunName(validateConfig({ seed: 2, dataSeed: 1, validation: "test" })),
    "autoencoder-mnist-gaussian0.5-e30-n60000-t10000-b32-l16-valtest-ds1-s2",
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

Deno.test("parseNumber() takes decimal numbers only, within the documented range", async (t) => {
  await t.step("hexadecimal, octal and binary are refused, not read as 16", () => {
    for (const raw of ["0x10", "0o7", "0b1"]) {
      assertThrows(() => parseNumber("noise", raw), InputError, "noise must be a decimal number");
    }
  });
  await t.step(
    "a seed is an integer in [0, 2^32-1]: 4294967296 is refused, not wrapped to 0",
    () => {
      const seed = { min: 0, max: MAX_SEED, integer: true };
      assertEquals(parseNumber("seed", "4294967295", seed), 4294967295);
      assertThrows(
        () => parseNumber("seed", "4294967296", seed),
        InputError,
        "seed must be at most",
      );
      assertThrows(() => validateConfig({ seed: "4294967296" }), InputError, "seed");
    },
  );
  await t.step("1e21 is a number out of range, not a run-name error", () => {
    assertThrows(() => validateConfig({ noise: "1e21" }), InputError, "noise must be at most 10");
  });
  await t.step("validateConfig() names the variable a value came from", () => {
    assertThrows(
      () => validateConfig({ noise: "x" }, { noise: "NOISE_FACTOR" }),
      InputError,
      'NOISE_FACTOR must be a number, got "x"',
    );
  });
});

Deno.test("the default epochs are documented as chosen, no longer pending", async () => {
  const source = await Deno.readTextFile(new URL("./config.ts", import.meta.url));
  const defaults = source.slice(source.indexOf("const DEFAULTS"));
  const block = defaults.slice(0, defaults.indexOf("};"));
  assert(!/pending/i.test(block), block);
  assert(block.includes(`epochs: ${DEFAULT_CONFIG.epochs}`), block);
});

Deno.test("defaultRunName() keeps derived names within 128 characters, still distinct", () => {
  const long = (noise: number) =>
    defaultRunName(validateConfig({
      noise,
      noiseMean: 0.12345678901234567,
      dropout: 0.12345678901234567,
      validationSplit: 0.12345678901234567,
      seed: 4294967295,
      dataSeed: 4294967295,
    }));
  const [a, b] = [long(0.12345678901234567), long(0.22345678901234567)];
  assert(a.length <= 128 && b.length <= 128, `${a.length}, ${b.length}`);
  assert(a !== b);
  // A name typed too long is told so, not called a bad character.
  const e = assertThrows(() => validateName("run", "a".repeat(129)), InputError);
  assert(e.message.includes("129 characters long; at most 128"), e.message);
});

Deno.test("withReportProfile() fills the report profile's size and epochs; parseBoolean() reads off", () => {
  assertEquals(withReportProfile({}), { train: 12000, epochs: 10 });
  assertEquals(withReportProfile({ dataset: "mnist10k", epochs: 3 }).train, 9000);
  assertEquals([parseBoolean("x", "off"), parseBoolean("x", true)], [false, true]);
});
