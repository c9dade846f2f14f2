import { assertEquals, assertThrows } from "./_assert.ts";
import { DEFAULT_CONFIG, defaultRunName, MAX_SEED, parseNumber, validateConfig } from "./config.ts";
import { InputError } from "./errors.ts";

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
