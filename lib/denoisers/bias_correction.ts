/**
 * A bias correction for clipped noise. With x̃ = clip(x + f·ε, 0, 1) the noise is not
 * zero-mean: on a black pixel E[clip(0.5ε)] ≈ 0.195, on a white one −0.195, so a
 * mean-preserving filter leaves the background grey and the strokes dim. The correction is an
 * affine map of the filter's output, `a·y + b`, fitted by least squares of the clean training
 * pixels on the filter's output for the noisy training images (never the test set). It maps
 * the biased black and white levels back to 0 and 1; `a = 1, b = 0` is among the maps
 * considered, so on its training images it never does worse than the filter alone.
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import type { Denoiser, FittedDenoiser, TuningImages } from "./registry.ts";

/** A fitted denoiser with its bias correction, and the correction it applies. */
export interface CorrectedDenoiser extends FittedDenoiser {
  /** The affine map applied to the filter's output. */
  correction: AffineCorrection;
}

/** The affine map `a·y + b` of a bias correction. */
export interface AffineCorrection {
  /** Scale `a`. */
  scale: number;
  /** Offset `b`. */
  offset: number;
}

/**
 * Least-squares `a, b` minimising Σ (a·output + b − clean)² over every pixel. Falls back to
 * `a = 1` and the mean difference as `b` when the output is constant. Throws RangeError for
 * batches of different sizes.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "../_testing_assert.ts";
 * import { fitAffineCorrection } from "./bias_correction.ts";
 * const clean = { data: new Float32Array([0, 1, 0, 1]), count: 1, height: 2, width: 2 };
 * const output = { ...clean, data: new Float32Array([0.2, 0.8, 0.2, 0.8]) };
 * const { scale, offset } = fitAffineCorrection(output, clean);
 * assertAlmostEquals(scale * 0.2 + offset, 0, 1e-6);
 * ```
 */
export function fitAffineCorrection(output: Images, clean: Images): AffineCorrection {
  const y = output.data, x = clean.data;
  if (y.length !== x.length || y.length === 0) {
    throw new RangeError(
      `expected two batches of the same nonzero size, got ${y.length} and ${x.length}`,
    );
  }
  const n = y.length;
  let my = 0, mx = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    mx += x[i];
  }
  my /= n;
  mx /= n;
  let syy = 0, syx = 0;
  for (let i = 0; i < n; i++) {
    syy += (y[i] - my) ** 2;
    syx += (y[i] - my) * (x[i] - mx);
  }
  const scale = syy > 1e-12 * n ? syx / syy : 1;
  return { scale, offset: mx - scale * my };
}

/** Applies `a·y + b` to every pixel; returns new images. */
export function applyAffineCorrection(images: Images, { scale, offset }: AffineCorrection): Images {
  return { ...images, data: images.data.map((v) => scale * v + offset) };
}

/**
 * The denoiser followed by its bias correction: `fit` first fits (tunes) the denoiser as
 * usual on the noisy training images, then the affine correction of its output on the same
 * images. Its label gains "+ bias correction" and its parameter the fitted `a` and `b`.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { addNoise } from "../data/noise.ts";
 * import { mse } from "../eval/metrics.ts";
 * import { withBiasCorrection } from "./bias_correction.ts";
 * import { DENOISERS } from "./registry.ts";
 * const clean = { data: new Float32Array(64).map((_, i) => i % 3 === 0 ? 1 : 0), count: 1, height: 8, width: 8 };
 * const noisy = addNoise(clean, 0.5, { seed: 1 });
 * const fitted = withBiasCorrection(DENOISERS.median).fit({ noisy, clean });
 * assert(fitted.parameter.includes("a="));
 * ```
 */
export function withBiasCorrection(denoiser: Denoiser): Denoiser {
  return {
    label: `${denoiser.label} + bias correction`,
    tuned: true,
    fit: (training: TuningImages) => biasCorrect(denoiser.fit(training), training),
  };
}

/**
 * An already fitted denoiser followed by the affine correction of its output, fitted on
 * `training` (noisy training images and their clean originals, never the test set).
 */
export function biasCorrect(fitted: FittedDenoiser, training: TuningImages): CorrectedDenoiser {
  const correction = fitAffineCorrection(fitted.apply(training.noisy), training.clean);
  const ab = `a=${correction.scale.toPrecision(4)} b=${correction.offset.toPrecision(4)}`;
  return {
    apply: (x) => applyAffineCorrection(fitted.apply(x), correction),
    parameter: fitted.parameter ? `${fitted.parameter} ${ab}` : ab,
    correction,
  };
}
