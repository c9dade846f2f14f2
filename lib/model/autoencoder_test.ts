import { assert, assertEquals } from "../_testing_assert.ts";
import {
  buildAutoencoder,
  denseComparison,
  layerTable,
  representationFlow,
} from "./autoencoder.ts";

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

Deno.test("denseComparison() on the autoencoder", () => {
  const { autoencoder } = buildAutoencoder();
  const rows = denseComparison(autoencoder, layerTable(autoencoder));
  assert(rows.length > 0 && rows.every((r) => r.dense > r.conv));
  autoencoder.dispose();
});
