import { assert, assertEquals } from "../_testing_assert.ts";
import { mse } from "../eval/metrics.ts";
import { addNoise } from "../data/noise.ts";
import { bm3d, DEFAULT_BM3D_SIGMA_CANDIDATES } from "./bm3d.ts";
import { CLASSICAL_METHODS, DENOISERS, fitNonLocalMeans } from "./registry.ts";
import { smooth } from "./_test_images.ts";

Deno.test("every registered denoiser maps images to new images of the same shape", () => {
  const clean = smooth(4, 16);
  const noisy = addNoise(clean, 0.3, { seed: 1 });
  for (const method of CLASSICAL_METHODS) {
    const fitted = DENOISERS[method].fit({ noisy, clean });
    const out = fitted.apply(noisy);
    assertEquals([out.count, out.height, out.width], [noisy.count, noisy.height, noisy.width]);
    assert(out.data !== noisy.data, `${method} must not return its input's pixels`);
    // A tuned denoiser names the parameter it chose; "noisy" is the input itself.
    assertEquals(DENOISERS[method].tuned, fitted.parameter.includes("="), method);
    if (method === "noisy") assertEquals(mse(out, noisy), 0);
  }
});

Deno.test("fitNonLocalMeans() tunes h and σ to beat the noisy input on its training images", () => {
  const clean = smooth(6, 16);
  const noisy = addNoise(clean, 0.3, { seed: 2 });
  const nlm = fitNonLocalMeans({ noisy, clean });
  assert(/^h=[\d.]+ sigma=[\d.]+$/.test(nlm.parameter), nlm.parameter);
  assert(mse(clean, nlm.apply(noisy)) < mse(clean, noisy));
});

Deno.test("the registered BM3D runs with the grid σ of lowest MSE on its training images", () => {
  assert(CLASSICAL_METHODS.includes("bm3d"));
  const clean = smooth(4, 16);
  const noisy = addNoise(clean, 0.3, { seed: 3 });
  const fitted = DENOISERS.bm3d.fit({ noisy, clean });
  const errors = DEFAULT_BM3D_SIGMA_CANDIDATES.map((sigma) => mse(clean, bm3d(noisy, { sigma })));
  const best = DEFAULT_BM3D_SIGMA_CANDIDATES[errors.indexOf(Math.min(...errors))];
  assertEquals(fitted.parameter, `sigma=${best}`);
  assert(mse(clean, fitted.apply(noisy)) < mse(clean, noisy));
});
