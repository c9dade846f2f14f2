/**
 * Seeded pseudo-random numbers: every random choice (noise, splits, picks) draws from here.
 *
 * @module
 */

/** A seeded generator. */
export interface Rng {
  /** Next uniform float in [0, 1). */
  next(): number;
  /** Next standard normal N(0, 1) (Box–Muller). */
  normal(): number;
}

/** A mulberry32 generator: the same seed gives the same sequence on every platform. */
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
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * next();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }
  return { next, normal };
}

/** A seeded Fisher–Yates permutation of `0 … n-1`. */
export function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
