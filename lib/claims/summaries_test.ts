import { assert, assertEquals } from "../_assert.ts";
import type { LabeledImages } from "../data/images.ts";
import { buildAutoencoder, layerTable } from "../model/autoencoder.ts";
import {
  classAverages,
  denseComparison,
  noiseFactorTable,
  representationFlow,
} from "./summaries.ts";
import { testRow } from "../sweep/_test_rows.ts";

Deno.test("layerTable() gives each layer's values per image; the summaries read them, no strings", () => {
  const { autoencoder } = buildAutoencoder();
  const layers = layerTable(autoencoder);
  const conv1 = layers.find((l) => l.layer === "enc_conv1")!;
  assertEquals([conv1.output, conv1.values], ["14×14×32", 14 * 14 * 32]);
  const flow = representationFlow(autoencoder, layers);
  assertEquals(flow[0], { label: "input", value: 784 });
  assertEquals(layers.reduce((sum, l) => sum + l.params, 0), autoencoder.countParams());
  autoencoder.dispose();
});

Deno.test("classAverages() gives each test image its label's mean training image", () => {
  const train: LabeledImages = {
    data: Float32Array.from([0, 1, 0.5]),
    labels: new Uint8Array([0, 0, 1]),
    count: 3,
    height: 1,
    width: 1,
  };
  const clean: LabeledImages = {
    data: new Float32Array(2),
    labels: new Uint8Array([1, 0]),
    count: 2,
    height: 1,
    width: 1,
  };
  assertEquals([...classAverages(train, clean).data], [0.5, 0.5]);
});

Deno.test("noiseFactorTable() reads the sweep's rows", () => {
  const rows = [0.1, 0.5].flatMap((f) => [
    testRow({ method: "noisy", train_noise_factor: null, noise_factor: f, mse: f }),
    testRow({ method: "ae", train_noise_factor: f, noise_factor: f, mse: f / 10 }),
    ...(f === 0.5 ? [] : [testRow({ method: "ae", train_noise_factor: 0.5, noise_factor: f })]),
  ]);
  assertEquals(noiseFactorTable(rows).map((r) => r["noise factor"]), [0.1, 0.5]);
  assertEquals(noiseFactorTable(rows).map((r) => r["noisy MSE"] / r["test MSE"]), [10, 10]);
  // Three seeds at 0.5 (claim 2's arm): one line per factor, the mean over its seeds.
  const seeded = [
    ...rows.filter((r) => !(r.method === "ae" && r.noise_factor === 0.5)),
    ...[0.04, 0.05, 0.06].map((mse, seed) =>
      testRow({ method: "ae", train_noise_factor: 0.5, noise_factor: 0.5, mse, seed })
    ),
  ];
  const t = noiseFactorTable(seeded);
  assertEquals(t.map((r) => [r["noise factor"], r.seeds]), [[0.1, 1], [0.5, 3]]);
  assert(Math.abs(t[1]["test MSE"] - 0.05) < 1e-12);
});

Deno.test("denseComparison() on the autoencoder", () => {
  const { autoencoder } = buildAutoencoder();
  const rows = denseComparison(autoencoder, layerTable(autoencoder));
  assert(rows.length > 0 && rows.every((r) => r.dense > r.conv));
  autoencoder.dispose();
});
