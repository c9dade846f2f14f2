import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import type { Images } from "../data/images.ts";
import { nonLocalMeans } from "./non_local_means.ts";
import { createRng } from "../data/random.ts";
import { assertClose, image, mse, random } from "./_test_images.ts";
import { bm3d, type Bm3dOptions } from "./bm3d.ts";

interface RefParams {
  sigma: number;
  k: number;
  step: number;
  radius: number;
  nHard: number;
  nWien: number;
  lambda3d: number;
  lambda2d: number;
  tauHard: number;
  tauWien: number;
  beta: number;
  stages: 1 | 2;
}

/**
 * The module's equations written out group by group with nothing shared between groups:
 * the 2-D DCT from its cosine formula, the Hadamard matrix from (−1)^popcount(i & j), the
 * 3-D transform and its inverse as full sums, matching by sorting every candidate.
 */
function referenceBm3d(images: Images, P: RefParams): Float32Array {
  const { count, height: H, width: W } = images;
  const { k, sigma } = P;
  const out = new Float32Array(images.data.length);
  const dct = (u: number, y: number) =>
    Math.sqrt((u === 0 ? 1 : 2) / k) * Math.cos((Math.PI * (2 * y + 1) * u) / (2 * k));
  const hadamard = (m: number, i: number, j: number) => {
    let bits = i & j;
    let sign = 1;
    while (bits) {
      if (bits & 1) sign = -sign;
      bits >>= 1;
    }
    return sign / Math.sqrt(m);
  };
  const i0 = (x: number) => {
    let sum = 0;
    let fact = 1;
    for (let j = 0; j < 60; j++) {
      if (j > 0) fact *= j;
      sum += (x / 2) ** (2 * j) / (fact * fact);
    }
    return sum;
  };
  const kaiser1 = (i: number) =>
    i0(P.beta * Math.sqrt(1 - ((2 * i) / (k - 1) - 1) ** 2)) / i0(P.beta);
  const positions = (n: number) => {
    const ps: number[] = [];
    for (let p = 0; p < n - 1; p += P.step) ps.push(p);
    ps.push(n - 1);
    return ps;
  };
  const spectrum = (img: (y: number, x: number) => number, py: number, px: number) => {
    const s: number[][] = [];
    for (let u = 0; u < k; u++) {
      s.push([]);
      for (let v = 0; v < k; v++) {
        let t = 0;
        for (let y = 0; y < k; y++) {
          for (let x = 0; x < k; x++) t += dct(u, y) * dct(v, x) * img(py + y, px + x);
        }
        s[u].push(t);
      }
    }
    return s;
  };
  /** The group of (ry, rx): itself, then blocks with d ≤ tau sorted by (d, raster order). */
  const group = (
    dist: (ay: number, ax: number, by: number, bx: number) => number,
    ry: number,
    rx: number,
    tau: number,
    maxN: number,
  ) => {
    const cands: { y: number; x: number; d: number; order: number }[] = [];
    for (let y = 0; y <= H - k; y++) {
      for (let x = 0; x <= W - k; x++) {
        if (Math.abs(y - ry) > P.radius || Math.abs(x - rx) > P.radius) continue;
        if (y === ry && x === rx) continue;
        const d = dist(ry, rx, y, x);
        if (d <= tau) cands.push({ y, x, d, order: y * W + x });
      }
    }
    cands.sort((a, b) => a.d - b.d || a.order - b.order);
    const all = [{ y: ry, x: rx }, ...cands.slice(0, maxN - 1)];
    let m = 1;
    while (2 * m <= all.length) m *= 2;
    return all.slice(0, m);
  };
  /** G[i][u][v] = Σ_j H[i][j] T₂(block j)[u][v]. */
  const forward3d = (img: (y: number, x: number) => number, blocks: { y: number; x: number }[]) => {
    const m = blocks.length;
    const spectra = blocks.map((b) => spectrum(img, b.y, b.x));
    return spectra.map((_, i) =>
      spectra[0].map((row, u) =>
        row.map((_, v) => spectra.reduce((t, s, j) => t + hadamard(m, i, j) * s[u][v], 0))
      )
    );
  };
  /** Block j pixel (y, x) = Σ_i Σ_u Σ_v H[i][j] C[u][y] C[v][x] G[i][u][v]. */
  const inverse3d = (G: number[][][], j: number, y: number, x: number) => {
    let t = 0;
    for (let i = 0; i < G.length; i++) {
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          t += hadamard(G.length, i, j) * dct(u, y) * dct(v, x) * G[i][u][v];
        }
      }
    }
    return t;
  };

  for (let n = 0; n < count; n++) {
    const noisy = (y: number, x: number) => images.data[n * H * W + y * W + x];
    const hardDist = (ay: number, ax: number, by: number, bx: number) => {
      let s = 0;
      if (P.lambda2d === 0) {
        for (let y = 0; y < k; y++) {
          for (let x = 0; x < k; x++) s += (noisy(ay + y, ax + x) - noisy(by + y, bx + x)) ** 2;
        }
      } else {
        const cut = (c: number) => Math.abs(c) <= P.lambda2d * sigma ? 0 : c;
        const a = spectrum(noisy, ay, ax);
        const b = spectrum(noisy, by, bx);
        for (let u = 0; u < k; u++) {
          for (let v = 0; v < k; v++) s += (cut(a[u][v]) - cut(b[u][v])) ** 2;
        }
      }
      return s / (k * k);
    };
    // Stage 1.
    let num = new Float64Array(H * W);
    let den = new Float64Array(H * W);
    for (const ry of positions(H - k + 1)) {
      for (const rx of positions(W - k + 1)) {
        const blocks = group(hardDist, ry, rx, P.tauHard, P.nHard);
        const G = forward3d(noisy, blocks);
        let kept = 0;
        for (const s of G) {
          for (const row of s) {
            for (let v = 0; v < k; v++) {
              if (Math.abs(row[v]) <= P.lambda3d * sigma) row[v] = 0;
              else kept++;
            }
          }
        }
        const w = kept >= 1 ? 1 / kept : 1;
        blocks.forEach((b, j) => {
          for (let y = 0; y < k; y++) {
            for (let x = 0; x < k; x++) {
              const kw = w * kaiser1(y) * kaiser1(x);
              num[(b.y + y) * W + b.x + x] += kw * inverse3d(G, j, y, x);
              den[(b.y + y) * W + b.x + x] += kw;
            }
          }
        });
      }
    }
    const basicData = num.map((v, i) => v / den[i]);
    if (P.stages === 1) {
      for (let i = 0; i < H * W; i++) out[n * H * W + i] = basicData[i];
      continue;
    }
    // Stage 2.
    const basic = (y: number, x: number) => basicData[y * W + x];
    const wienDist = (ay: number, ax: number, by: number, bx: number) => {
      let s = 0;
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) s += (basic(ay + y, ax + x) - basic(by + y, bx + x)) ** 2;
      }
      return s / (k * k);
    };
    num = new Float64Array(H * W);
    den = new Float64Array(H * W);
    for (const ry of positions(H - k + 1)) {
      for (const rx of positions(W - k + 1)) {
        const blocks = group(wienDist, ry, rx, P.tauWien, P.nWien);
        const B = forward3d(basic, blocks);
        const G = forward3d(noisy, blocks);
        let energy = 0;
        for (let i = 0; i < G.length; i++) {
          for (let u = 0; u < k; u++) {
            for (let v = 0; v < k; v++) {
              const omega = B[i][u][v] ** 2 / (B[i][u][v] ** 2 + sigma * sigma);
              G[i][u][v] *= omega;
              energy += omega ** 2;
            }
          }
        }
        const w = energy > 0 ? 1 / energy : 1;
        blocks.forEach((b, j) => {
          for (let y = 0; y < k; y++) {
            for (let x = 0; x < k; x++) {
              const kw = w * kaiser1(y) * kaiser1(x);
              num[(b.y + y) * W + b.x + x] += kw * inverse3d(G, j, y, x);
              den[(b.y + y) * W + b.x + x] += kw;
            }
          }
        });
      }
    }
    for (let i = 0; i < H * W; i++) {
      out[n * H * W + i] = Math.min(1, Math.max(0, num[i] / den[i]));
    }
  }
  return out;
}

/** Options of the fast function for the reference's parameters. */
function fastOptions(P: RefParams): Bm3dOptions {
  return {
    sigma: P.sigma,
    blockSize: P.k,
    step: P.step,
    searchRadius: P.radius,
    maxBlocksHard: P.nHard,
    maxBlocksWiener: P.nWien,
    lambda3d: P.lambda3d,
    lambda2d: P.lambda2d,
    matchThresholdHard: P.tauHard,
    matchThresholdWiener: P.tauWien,
    kaiserBeta: P.beta,
    stages: P.stages,
  };
}

/** Clean image plus seeded N(0, σ²) noise, clipped to [0, 1]. */
function addSeededNoise(clean: Images, sigma: number, seed: number): Images {
  const rng = createRng(seed);
  const data = clean.data.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
  return { ...clean, data };
}

/** A blocky test image with repeated structure (so blocks do match) plus seeded noise. */
function stripes(size: number, sigma: number, seed: number): Images {
  const clean = image(
    size,
    size,
    (y, x) => ((Math.floor(x / 3) + Math.floor(y / 4)) % 2 ? 0.8 : 0.2),
  );
  return addSeededNoise(clean, sigma, seed);
}

/** A noiseless 4×4 random tile repeated, with one odd column: many blocks tie exactly. */
function tiles(height: number, width: number): Images {
  const tile = random(1, 4, 4, 41).data;
  return image(height, width, (y, x) => x === 5 ? 0.9 : tile[(y % 4) * 4 + (x % 4)]);
}

const BASE: RefParams = {
  sigma: 0.1,
  k: 4,
  step: 2,
  radius: 5,
  nHard: 8,
  nWien: 16,
  lambda3d: 2.7,
  lambda2d: 0,
  tauHard: 0.05,
  tauWien: 0.02,
  beta: 2,
  stages: 2,
};

Deno.test("bm3d() matches its equations computed group by group", async (t) => {
  const cases: [string, Images, Partial<RefParams>][] = [
    ["12×12, 4×4 blocks, both stages", stripes(12, 0.1, 1), {}],
    ["12×12, stage 1 only", stripes(12, 0.1, 2), { stages: 1 }],
    ["16×16, 5×5 blocks, step 3, small groups", stripes(16, 0.1, 3), {
      k: 5,
      step: 3,
      nHard: 4,
      nWien: 8,
      radius: 4,
    }],
    ["12×12 random pixels, λ₂ᴰ pre-filter, σ = 0.3", random(1, 12, 12, 4), {
      sigma: 0.3,
      lambda2d: 2,
      tauHard: 0.08,
      tauWien: 0.06,
    }],
    ["14×16 tiled random pattern: exact ties in matching, groups cut to 4", tiles(14, 16), {
      nHard: 4,
      nWien: 4,
      tauWien: 0.05,
    }],
    ["16×16, 8×8 blocks, step 3, radius 16", stripes(16, 0.15, 5), {
      k: 8,
      step: 3,
      radius: 16,
      nHard: 16,
      nWien: 32,
      sigma: 0.15,
      tauHard: 5000 / 255 ** 2,
      tauWien: 3500 / 255 ** 2,
    }],
  ];
  for (const [name, images, overrides] of cases) {
    await t.step(name, () => {
      const P = { ...BASE, ...overrides };
      const fast = bm3d(images, fastOptions(P));
      assertClose(fast.data, referenceBm3d(images, P), 1e-5);
    });
  }
});

Deno.test("bm3d() beats non-local means on a smooth image with Gaussian noise σ = 0.1", () => {
  // Sum of low-frequency sinusoids in [0.1, 0.9], 64×64, as in the BM3D paper's smooth regions.
  const clean = image(
    64,
    64,
    (y, x) => 0.5 + 0.25 * Math.sin(x / 5) * Math.cos(y / 7) + 0.15 * Math.sin((x + y) / 11),
  );
  const noisy = addSeededNoise(clean, 0.1, 7);
  const psnr = (x: Images) => 10 * Math.log10(1 / mse(x, clean));
  const nlmBest = Math.max(
    ...[0.02, 0.05, 0.1, 0.15, 0.2, 0.3].flatMap((h) =>
      [0, 0.1].map((sigma) => psnr(nonLocalMeans(noisy, { h, sigma })))
    ),
  );
  // The default 4×4 blocks and the published 8×8 ones.
  for (const blockSize of [undefined, 8]) {
    const ours = psnr(bm3d(noisy, { sigma: 0.1, blockSize }));
    const label = `BM3D (k = ${blockSize ?? "default"}) ${ours.toFixed(2)} dB`;
    assert(ours > nlmBest, `${label} ≤ best NLM ${nlmBest.toFixed(2)} dB`);
    assert(ours > psnr(noisy) + 8, `${label} vs noisy ${psnr(noisy).toFixed(2)} dB`);
  }
});

Deno.test("bm3d() keeps the shape and [0, 1] range, and filters each image of a batch alone", () => {
  const a = random(1, 14, 14, 11);
  const b = stripes(14, 0.4, 12);
  const c = random(1, 14, 14, 13);
  const batch: Images = {
    data: new Float32Array([...a.data, ...b.data, ...c.data]),
    count: 3,
    height: 14,
    width: 14,
  };
  const before = batch.data.slice();
  const out = bm3d(batch, { sigma: 0.3 });
  assertEquals([out.count, out.height, out.width, out.data.length], [3, 14, 14, 3 * 196]);
  assert(out.data.every((v) => v >= 0 && v <= 1));
  assertEquals(batch.data, before);
  [a, b, c].forEach((one, i) => {
    assertEquals(out.data.subarray(i * 196, (i + 1) * 196), bm3d(one, { sigma: 0.3 }).data);
  });
  // Heavy noise (σ > 40/255) at the defaults still changes the image, and stage 1 alone differs.
  assert(mse(out, batch) > 0);
  assert(mse(bm3d(b, { sigma: 0.3, stages: 1 }), bm3d(b, { sigma: 0.3 })) > 0);
});

Deno.test("bm3d() is deterministic and leaves a constant image unchanged", () => {
  const images = stripes(20, 0.2, 21);
  assertEquals(bm3d(images, { sigma: 0.2 }).data, bm3d(images, { sigma: 0.2 }).data);
  const flat: Images = {
    data: new Float32Array(2 * 400).fill(0.6),
    count: 2,
    height: 20,
    width: 20,
  };
  // Only the Wiener stage moves it: ω = B²/(B² + σ²) < 1 shrinks the DC term by ≈ σ²/B² ≈ 1e-5.
  assertClose(bm3d(flat, { sigma: 0.05, stages: 1 }).data, flat.data, 1e-6);
  assertClose(bm3d(flat, { sigma: 0.05 }).data, flat.data, 2e-5);
});

Deno.test("bm3d() rejects bad options and images smaller than a block", () => {
  const images = random(1, 10, 10, 1);
  assertThrows(() => bm3d(images, { sigma: 0 }), RangeError, "sigma");
  assertThrows(() => bm3d(images, { sigma: 0.1, step: 9, blockSize: 8 }), RangeError, "step");
  assertThrows(() => bm3d(images, { sigma: 0.1, blockSize: 11 }), RangeError, "smaller");
  assertThrows(() => bm3d(images, { sigma: 0.1, maxBlocksHard: 0 }), RangeError, "maxBlocksHard");
});
