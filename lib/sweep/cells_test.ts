import { assert, assertEquals } from "../_testing_assert.ts";
import { cellKey, cellSeeds, isClaimArm, perImageFile } from "./cells.ts";

Deno.test("cellSeeds(): the claims' arms get 3 seeds from the sweep's, others 1, a list all", () => {
  assertEquals(cellSeeds(4, undefined, true), [4, 5, 6]);
  assertEquals(cellSeeds(4, undefined, false), [4]);
  assertEquals(cellSeeds(4, [0, 1], false), [0, 1]);
});

Deno.test("isClaimArm() picks the primary comparisons' arms", () => {
  assert(isClaimArm("ae", "", 0, 0.5) && isClaimArm("dncnn", "", 0.5, 0.5));
  assert(!isClaimArm("dncnn", "", 0.3, 0.5) && !isClaimArm("ae", "latent 2", 0.5, 0.5));
});

Deno.test("cellKey() and perImageFile() name a cell by every column that tells cells apart", () => {
  const k = cellKey({
    dataset: "mnist",
    noise_type: "gaussian",
    method: "ae",
    variant: "",
    train_noise_factor: 0.5,
    noise_factor: 0.1,
  });
  assertEquals(k, '["mnist","gaussian","ae","",0.5,0.1,null]');
  const f = perImageFile({
    method: "ae",
    variant: "dropout 0",
    train_noise_factor: 0.5,
    noise_factor: 0.1,
    seed: 2,
  });
  assertEquals(f, "per_image/ae-dropout_0-train0.5-test0.1-s2.json");
});
