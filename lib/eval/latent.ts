/**
 * The latent space, as Keras's autoencoder examples show it: the encoder's codes, their PCA, a
 * scatter coloured by digit, and decoded sweeps along the top principal directions.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import * as tf from "@tensorflow/tfjs";
import { type ChartElement, plot } from "../figures/svg.ts";
import { type Images, type LabeledImages, toTensor } from "../data/images.ts";

/** `n` codes of size `dim`, row-major `[n, dim]`. */
export interface Codes {
  data: Float32Array;
  n: number;
  dim: number;
}

/** Encodes `images` with `encoder` ([n, s, s, 1] → [n, dim]); tensors are disposed here. */
export async function encodeImages(encoder: tf.LayersModel, images: Images): Promise<Codes> {
  const x = toTensor(images);
  const y = encoder.predict(x) as tf.Tensor2D;
  const data = new Float32Array(await y.data());
  const [n, dim] = y.shape;
  tf.dispose([x, y]);
  return { data, n, dim };
}

/** A principal component analysis. */
export interface Pca {
  /** Mean code, length `dim`. */
  mean: Float64Array;
  /** Unit principal directions, largest variance first. */
  components: Float64Array[];
  /** Variance along each direction (the covariance's eigenvalues), decreasing. */
  variances: number[];
  /** Share of the total variance along each direction. */
  explained: number[];
}

/** Eigenvalues and unit eigenvectors of a small symmetric matrix (cyclic Jacobi), largest first. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: Float64Array[] } {
  const n = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const v = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const turn = (x: number, y: number) => [c * x - s * y, s * x + c * y];
        for (let k = 0; k < n; k++) [a[k][p], a[k][q]] = turn(a[k][p], a[k][q]);
        for (let k = 0; k < n; k++) [a[p][k], a[q][k]] = turn(a[p][k], a[q][k]);
        // v's rows hold the eigenvectors: rotate rows p and q.
        for (let k = 0; k < n; k++) [v[p][k], v[q][k]] = turn(v[p][k], v[q][k]);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v[i]) };
}

/** PCA of `codes`: the eigen-decomposition of their covariance (divided by n − 1). */
export function pca(codes: Codes): Pca {
  const { data, n, dim } = codes;
  if (n < 2) throw new RangeError(`PCA needs at least 2 codes, got ${n}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j] / n;
  const cov = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const dj = data[i * dim + j] - mean[j];
      for (let k = j; k < dim; k++) cov[j][k] += dj * (data[i * dim + k] - mean[k]);
    }
  }
  for (let j = 0; j < dim; j++) {
    for (let k = j; k < dim; k++) cov[k][j] = cov[j][k] = cov[j][k] / (n - 1);
  }
  const { values, vectors } = symmetricEigen(cov);
  const variances = values.map((v) => Math.max(0, v));
  const total = variances.reduce((s, v) => s + v, 0) || 1;
  return { mean, components: vectors, variances, explained: variances.map((v) => v / total) };
}

/** Coordinates of `codes` along the first `k` principal directions: `[n][k]`. */
export function project(codes: Codes, p: Pca, k = 2): number[][] {
  return Array.from({ length: codes.n }, (_, i) =>
    p.components.slice(0, k).map((v) => {
      let s = 0;
      for (let j = 0; j < codes.dim; j++) s += (codes.data[i * codes.dim + j] - p.mean[j]) * v[j];
      return s;
    }));
}

/**
 * Decoded images along the top principal directions: row r holds `decoder(mean + t·σ_r·v_r)`
 * for `steps` values of t from −2 to +2 standard deviations, one {@linkcode Images} per row.
 * Tensors are disposed here. `directions` @default 2; `steps` @default 9.
 */
export async function latentSweep(
  decoder: tf.LayersModel,
  p: Pca,
  { directions = 2, steps = 9 }: { directions?: number; steps?: number } = {},
): Promise<Images[]> {
  const dim = p.mean.length;
  const rows: Images[] = [];
  for (let r = 0; r < directions; r++) {
    const codes = new Float32Array(steps * dim);
    const sd = Math.sqrt(p.variances[r]);
    for (let s = 0; s < steps; s++) {
      const t = steps === 1 ? 0 : -2 + (4 * s) / (steps - 1);
      for (let j = 0; j < dim; j++) codes[s * dim + j] = p.mean[j] + t * sd * p.components[r][j];
    }
    const z = tf.tensor2d(codes, [steps, dim]);
    const y = decoder.predict(z) as tf.Tensor4D;
    const [, height, width] = y.shape;
    rows.push({ data: new Float32Array(await y.data()), count: steps, height, width });
    tf.dispose([z, y]);
  }
  return rows;
}

/** A 520×440 scatter of the first two principal coordinates, a colour per class in Plot's legend. */
export function latentScatter(
  points: number[][],
  labels: LabeledImages["labels"],
  p: Pca,
): ChartElement {
  const rows = points.map(([x, y], i) => ({ x, y, digit: String(labels[i]) }));
  const pct = (i: number) => `${(100 * p.explained[i]).toFixed(0)}% of the variance`;
  return plot({
    width: 520,
    height: 440,
    x: { label: `principal direction 1 (${pct(0)})` },
    y: { label: `principal direction 2 (${pct(1)})` },
    color: { type: "categorical", scheme: "tableau10", legend: true },
    marks: [Plot.dot(rows, { x: "x", y: "y", fill: "digit", r: 2, fillOpacity: 0.7 })],
  });
}
