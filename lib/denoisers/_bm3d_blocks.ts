/**
 * Private building blocks of lib/denoisers/bm3d.ts (see its module doc for the notation):
 * the orthonormal DCT and Kaiser window of a k×k block, the reference-block grid, the
 * Walsh–Hadamard transform along a group, block spectra, block matching and aggregation.
 *
 * @module
 */

/** Orthonormal DCT-II matrix, C[u·k + y] = c(u) cos(π(2y + 1)u / 2k). */
export function dctMatrix(k: number): Float64Array {
  const c = new Float64Array(k * k);
  for (let u = 0; u < k; u++) {
    const scale = Math.sqrt((u === 0 ? 1 : 2) / k);
    for (let y = 0; y < k; y++) {
      c[u * k + y] = scale * Math.cos((Math.PI * (2 * y + 1) * u) / (2 * k));
    }
  }
  return c;
}

/** Modified Bessel function I₀ by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let j = 1; j < 50; j++) {
    term *= (x / (2 * j)) ** 2;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** k×k Kaiser window, the outer product of the 1-D window I₀(β√(1 − (2i/(k−1) − 1)²)) / I₀(β). */
export function kaiserWindow(k: number, beta: number): Float64Array {
  const w1 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const r = k === 1 ? 0 : (2 * i) / (k - 1) - 1;
    w1[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta);
  }
  const w = new Float64Array(k * k);
  for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) w[y * k + x] = w1[y] * w1[x];
  return w;
}

/** Reference positions along one axis of `n` block positions: 0, s, 2s, … and n − 1. */
export function gridPositions(n: number, step: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < n - 1; p += step) out.push(p);
  out.push(n - 1);
  return out;
}

/** to[toOffset + i] = from[fromOffset + i] for i < length, without a subarray view. */
export function copyBlock(
  from: Float64Array,
  fromOffset: number,
  to: Float64Array,
  toOffset: number,
  length: number,
): void {
  for (let i = 0; i < length; i++) to[toOffset + i] = from[fromOffset + i];
}

/** Largest power of 2 ≤ n (n ≥ 1). */
function powerOfTwoFloor(n: number): number {
  let m = 1;
  while (m * 2 <= n) m *= 2;
  return m;
}

/**
 * In-place orthonormal Walsh–Hadamard transform along the group of `m` blocks of `k2`
 * coefficients each (m a power of 2). It is its own inverse.
 */
export function walshHadamard(g: Float64Array, m: number, k2: number): void {
  if (m === 1) return;
  for (let h = 1; h < m; h *= 2) {
    for (let i = 0; i < m; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = j * k2;
        const b = (j + h) * k2;
        for (let c = 0; c < k2; c++) {
          const x = g[a + c];
          const y = g[b + c];
          g[a + c] = x + y;
          g[b + c] = x - y;
        }
      }
    }
  }
  const norm = 1 / Math.sqrt(m);
  for (let i = 0; i < m * k2; i++) g[i] *= norm;
}

/** Reusable work space of one {@linkcode bm3d} call. */
export interface Workspace {
  k: number;
  dct: Float64Array;
  kaiser: Float64Array;
  tmp: Float64Array;
  block: Float64Array;
  index: Int32Array;
  dist: Float64Array;
  g1: Float64Array;
  g2: Float64Array;
}

/** A workspace for k×k blocks and groups of at most `maxBlocks` blocks. */
export function newWorkspace(k: number, kaiserBeta: number, maxBlocks: number): Workspace {
  const k2 = k * k;
  return {
    k,
    dct: dctMatrix(k),
    kaiser: kaiserWindow(k, kaiserBeta),
    tmp: new Float64Array(k2),
    block: new Float64Array(k2),
    index: new Int32Array(maxBlocks),
    dist: new Float64Array(maxBlocks),
    g1: new Float64Array(maxBlocks * k2),
    g2: new Float64Array(maxBlocks * k2),
  };
}

/** spectra[q·k² + u·k + v] = T₂ of the block with top-left q = (py, px), for every block. */
export function blockSpectra(
  img: ArrayLike<number>,
  offset: number,
  W: number,
  PH: number,
  PW: number,
  ws: Workspace,
  spectra: Float64Array,
): void {
  const { k, dct, tmp } = ws;
  const k2 = k * k;
  for (let py = 0; py < PH; py++) {
    for (let px = 0; px < PW; px++) {
      // tmp[u, x] = Σ_y C[u, y] X[y, x]
      for (let u = 0; u < k; u++) {
        for (let x = 0; x < k; x++) {
          let t = 0;
          for (let y = 0; y < k; y++) t += dct[u * k + y] * img[offset + (py + y) * W + px + x];
          tmp[u * k + x] = t;
        }
      }
      // out[u, v] = Σ_x tmp[u, x] C[v, x]
      const o = (py * PW + px) * k2;
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          let t = 0;
          for (let x = 0; x < k; x++) t += tmp[u * k + x] * dct[v * k + x];
          spectra[o + u * k + v] = t;
        }
      }
    }
  }
}

/**
 * Fills ws.index with the group of reference block r: r first, then the nearest blocks with
 * d ≤ tau (raster order among ties), at most maxBlocks in all. Returns the power-of-2 size.
 */
export function matchBlocks(
  spectra: Float64Array,
  ry: number,
  rx: number,
  PH: number,
  PW: number,
  radius: number,
  tau: number,
  maxBlocks: number,
  ws: Workspace,
): number {
  const { index, dist, k } = ws;
  const k2 = k * k;
  const r = ry * PW + rx;
  const ro = r * k2;
  const inv = 1 / k2;
  index[0] = r;
  dist[0] = 0;
  let count = 1;
  const y0 = Math.max(0, ry - radius);
  const y1 = Math.min(PH - 1, ry + radius);
  const x0 = Math.max(0, rx - radius);
  const x1 = Math.min(PW - 1, rx + radius);
  for (let qy = y0; qy <= y1; qy++) {
    for (let qx = x0; qx <= x1; qx++) {
      const q = qy * PW + qx;
      if (q === r) continue;
      const qo = q * k2;
      // The sum only grows, so stop once it is past τ or (group full) past the worst kept;
      // checked after each row of the spectrum, whose energy sits mostly in the first rows.
      const full = count === maxBlocks;
      const worst = dist[count - 1];
      let s = 0;
      let rejected = false;
      for (let c = 0; c < k2;) {
        for (const end = c + k; c < end; c++) {
          const d = spectra[ro + c] - spectra[qo + c];
          s += d * d;
        }
        const partial = s * inv;
        if (!(partial <= tau) || (full && !(partial < worst))) {
          rejected = true;
          break;
        }
      }
      if (rejected) continue;
      const d = s * inv;
      // Insert after every kept block at distance ≤ d (slot 0, the reference, stays first).
      let j = full ? count - 1 : count;
      while (j > 1 && dist[j - 1] > d) {
        dist[j] = dist[j - 1];
        index[j] = index[j - 1];
        j--;
      }
      dist[j] = d;
      index[j] = q;
      if (count < maxBlocks) count++;
    }
  }
  return powerOfTwoFloor(count);
}

/** Adds w · kaiser · T₂⁻¹(spectrum) to num and w · kaiser to den at block q. */
export function aggregateBlock(
  spectrum: Float64Array,
  so: number,
  q: number,
  PW: number,
  W: number,
  w: number,
  ws: Workspace,
  num: Float64Array,
  den: Float64Array,
): void {
  const { k, dct, tmp, block, kaiser } = ws;
  // tmp[y, v] = Σ_u C[u, y] S[u, v]
  for (let y = 0; y < k; y++) {
    for (let v = 0; v < k; v++) {
      let t = 0;
      for (let u = 0; u < k; u++) t += dct[u * k + y] * spectrum[so + u * k + v];
      tmp[y * k + v] = t;
    }
  }
  // block[y, x] = Σ_v tmp[y, v] C[v, x]
  for (let y = 0; y < k; y++) {
    for (let x = 0; x < k; x++) {
      let t = 0;
      for (let v = 0; v < k; v++) t += tmp[y * k + v] * dct[v * k + x];
      block[y * k + x] = t;
    }
  }
  const py = Math.floor(q / PW);
  const px = q - py * PW;
  for (let y = 0; y < k; y++) {
    const row = (py + y) * W + px;
    for (let x = 0; x < k; x++) {
      const kw = w * kaiser[y * k + x];
      num[row + x] += kw * block[y * k + x];
      den[row + x] += kw;
    }
  }
}
