/**
 * Seeded pseudo-random numbers. Every random choice in the project (noise,
 * splits, sample picks, dropout masks) draws from here, so a seed fixes a run.
 *
 * @module
 */

/** A seeded generator of uniform floats in [0, 1). */
export interface Rng {
  /** Next uniform float in [0, 1). */
  next(): number;
  /** Next standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** Next integer in [0, n). */
  int(n: number): number;
}

/**
 * Creates a mulberry32 generator. Same seed ⇒ same sequence, on every platform.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { createRng } from "./random.ts";
 * const a = createRng(1).next();
 * const b = createRng(1).next();
 * assert(a === b);
 * ```
 */
export function createRng(seed: number): Rng {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  let spare: number | undefined;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function normal(): number {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  function int(n: number): number {
    return Math.floor(next() * n);
  }
  return { next, normal, int };
}

/**
 * A seeded Fisher–Yates permutation of `0 … n-1`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { permutation } from "./random.ts";
 * assert(permutation(5, 1).length === 5);
 * ```
 */
export function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
