import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals } from "../_testing_assert.ts";
import { svgString } from "../figures/svg.ts";
import {
  encodeImages,
  latentScatter,
  latentSweep,
  pca,
  project,
  symmetricEigen,
} from "./latent.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { createRng } from "../data/random.ts";

/** An orthonormal basis of R^d from a seeded Gram–Schmidt. */
function basis(d: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const out: Float64Array[] = [];
  while (out.length < d) {
    const v = Float64Array.from({ length: d }, () => rng.next() - 0.5);
    for (const u of out) {
      const dot = v.reduce((s, x, i) => s + x * u[i], 0);
      for (let i = 0; i < d; i++) v[i] -= dot * u[i];
    }
    const norm = Math.hypot(...v);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

Deno.test("symmetricEigen() recovers a matrix built from known eigenpairs", () => {
  const d = 6;
  const vectors = basis(d, 3);
  const values = [9, 5, 3, 2, 1, 0.5];
  const m = Array.from(
    { length: d },
    (_, i) =>
      Array.from(
        { length: d },
        (_, j) => values.reduce((s, l, k) => s + l * vectors[k][i] * vectors[k][j], 0),
      ),
  );
  const e = symmetricEigen(m);
  e.values.forEach((v, k) => assertAlmostEquals(v, values[k], 1e-9));
  e.vectors.forEach((v, k) => {
    const dot = v.reduce((s, x, i) => s + x * vectors[k][i], 0);
    assertAlmostEquals(Math.abs(dot), 1, 1e-9);
  });
});

Deno.test("pca() finds the directions and variances of data drawn along known axes", () => {
  const d = 16;
  const n = 4000;
  const axes = basis(d, 7);
  const sds = Array.from({ length: d }, (_, k) => 4 / (k + 1));
  const rng = createRng(11);
  const gauss = () => {
    const u = 1 - rng.next(), v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const c = gauss() * sds[k];
      for (let j = 0; j < d; j++) data[i * d + j] += c * axes[k][j] + (k === 0 ? 0.1 * j : 0) / d;
    }
  }
  const p = pca({ data, n, dim: d });
  for (let k = 0; k < 2; k++) {
    const dot = p.components[k].reduce((s, x, j) => s + x * axes[k][j], 0);
    assert(Math.abs(dot) > 0.995, `direction ${k}: |cos| = ${Math.abs(dot)}`);
    assertAlmostEquals(p.variances[k] / sds[k] ** 2, 1, 0.08);
  }
  assertAlmostEquals(p.explained.reduce((s, x) => s + x, 0), 1, 1e-9);
  // Projections are centred and their variance is the component's.
  const xy = project({ data, n, dim: d }, p);
  const mean = xy.reduce((s, r) => s + r[0], 0) / n;
  assertAlmostEquals(mean, 0, 1e-3);
  const variance = xy.reduce((s, r) => s + r[0] ** 2, 0) / (n - 1);
  assertAlmostEquals(variance / p.variances[0], 1, 1e-3);
});

Deno.test("encodeImages(), latentSweep() and latentScatter() give codes, a grid and a chart", async () => {
  await tf.setBackend("cpu");
  const { encoder, decoder, autoencoder } = buildAutoencoder({ seed: 2 });
  const rng = createRng(5);
  const count = 30;
  const images = {
    data: Float32Array.from({ length: count * 784 }, () => rng.next()),
    count,
    height: 28,
    width: 28,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
  };
  const before = tf.memory().numTensors;
  const codes = await encodeImages(encoder, images);
  assertEquals([codes.n, codes.dim], [count, 16]);
  const p = pca(codes);
  const rows = await latentSweep(decoder, p, { directions: 2, steps: 5 });
  assertEquals(tf.memory().numTensors, before, "no tensor leaks");
  assertEquals(rows.map((r) => r.count), [5, 5]);
  // The middle of each row decodes the mean code.
  const mid = decoder.predict(tf.tensor2d(Array.from(p.mean), [1, 16])) as tf.Tensor;
  const expected = await mid.data();
  mid.dispose();
  const got = rows[0].data.subarray(2 * 784, 3 * 784);
  assert(got.every((v, i) => Math.abs(v - expected[i]) < 1e-5));
  const svg = svgString(latentScatter(project(codes, p), images.labels, p));
  assertEquals((svg.match(/<circle/g) ?? []).length, count);
  // Plot's legend names the ten classes.
  assertEquals((svg.match(/class="chart-swatch"/g) ?? []).length, 10);
  assert(svg.includes("principal direction 1"));
  autoencoder.dispose();
});
