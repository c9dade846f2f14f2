import { assert, assertEquals } from "../_testing_assert.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { buildAutoencoder, layerTable } from "../model/autoencoder.ts";
import { provenanceRows } from "./provenance.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { DEFAULT_LEARNING_RATE } from "../train/train.ts";

const rows = provenanceRows();
const checked = new Set<string>();

/** The "project uses" cell of `setting`, which this test then counts as checked. */
function project(setting: string): string {
  const r = rows.find((x) => x.setting === setting);
  assert(r, `no row "${setting}"`);
  checked.add(setting);
  return r.project;
}

Deno.test("provenanceRows(): every 'project uses' cell of docs/model.md is the live default", () => {
  const c = DEFAULT_CONFIG;
  const fmt = (n: number) => n.toLocaleString("en-US");
  assertEquals(
    project("training / test images"),
    `${fmt(c.train)} / ${fmt(c.test)} (${c.dataset}: MNIST's training and official test ` +
      `files); ${fmt(Math.round(c.train * c.validationSplit))} of the training images validate`,
  );
  assert(project("validation set").startsWith(`a seeded ${100 * c.validationSplit}% hold-out`));
  assert(project("noise formula").includes(`μ = ${c.noiseMean} (${c.noiseType})`));
  assertEquals(project("noise factor f"), `${c.noise}`);
  assertEquals(project("batch size"), `${c.batch}`);
  assert(project("epochs").startsWith(`${c.epochs} `));
  assertEquals(project("optimizer"), `Adam, learning rate ${DEFAULT_LEARNING_RATE}`);
  assertEquals(project("loss"), "mean squared error against the clean image");
  const s = new ReduceLROnPlateau();
  assertEquals(
    project("ReduceLROnPlateau"),
    `val_loss, patience ${s.patience}, factor ${s.factor}, min_lr ${s.minLr}, ` +
      `min_delta ${s.minDelta}, cooldown ${s.cooldown}`,
  );
  assert(project("seeds").startsWith(`data seed ${c.dataSeed}, training seed ${c.seed};`));
  // The network, read independently of the table: its layers, their configs and parameters.
  const net = buildAutoencoder({ latentDim: c.latent, dropout: c.dropout });
  const table = layerTable(net.autoencoder);
  const params = net.autoencoder.countParams();
  const layers = [net.encoder, net.decoder].flatMap((m) =>
    m.layers.map((l) => ({ name: l.name, type: l.getClassName(), config: l.getConfig() }))
  );
  net.autoencoder.dispose();
  assertEquals(project("parameters"), fmt(params));
  const convs = layers.filter((l) => /Conv2D/.test(l.type));
  const out = convs.at(-1)!;
  const one = (key: string) => {
    const values = new Set(convs.map((l) => String(l.config[key])));
    assertEquals(values.size, 1, key);
    return [...values][0];
  };
  assertEquals(one("kernelSize"), "3,3");
  assertEquals(project("kernel size"), "3×3 in every convolution");
  assertEquals(project("padding"), `${one("padding")} in every convolution`);
  assertEquals(
    project("activations"),
    `${
      convs[0].config.activation
    } in the hidden convolutions, ${out.config.activation} at the output`,
  );
  assertEquals(
    project("output layer"),
    `${out.type} ${out.config.filters} filter, 3×3, stride 1, ${out.config.activation}`,
  );
  assertEquals(String(out.config.strides), "1,1");
  const [latent, expand] = layers.filter((l) => l.type === "Dense");
  assertEquals(project("latent size"), `Dense ${c.latent}, ${latent.config.activation} activation`);
  assertEquals(
    project("decoder Dense (before the Reshape)"),
    `Dense ${fmt(Number(expand.config.units))}, ${expand.config.activation} activation`,
  );
  const drop = layers.findIndex((l) => /Dropout/.test(l.type));
  assert(
    project("dropout").startsWith(`rate ${c.dropout}, after ${layers[drop - 1].name} (the first`),
  );
  const [c1, c2] = ["enc_conv1", "enc_conv2"].map((n) => table.find((l) => l.layer === n)!);
  // 28 → 14 → 7: stride 2 in each encoder convolution, channels = filters.
  assertEquals([c1.output, c2.output], ["14×14×32", "7×7×64"]);
  assertEquals(project("conv filters"), "encoder 32, 64; decoder 64, 32");
  assertEquals(project("strides"), "2 in the 4 hidden convolutions, 1 in the output layer");
  const glorot = [...convs, latent, expand].every((l) => {
    const init = l.config.kernelInitializer as {
      className: string;
      config: Record<string, unknown>;
    };
    return init.className === "VarianceScaling" && init.config.scale === 1 &&
      init.config.mode === "fanAvg" && init.config.distribution === "uniform";
  });
  assert(glorot, "a layer does not start from Glorot uniform weights");
  assertEquals(project("weight initialisation"), "Glorot uniform, seeded by the training seed");
  assertEquals(rows.map((r) => r.setting).filter((x) => !checked.has(x)), [], "unchecked rows");
});

Deno.test("provenanceRows(): the report's column says 'not stated' for what it does not give", () => {
  const row = (s: string) => rows.find((r) => r.setting === s)!;
  for (const s of ["noise factor f", "kernel size", "strides", "epochs", "batch size", "seeds"]) {
    assertEquals(row(s).report, "not stated", s);
    assert(!row(s).source.startsWith("the report"), s);
  }
  for (const s of ["padding", "activations", "loss", "ReduceLROnPlateau"]) {
    assert(row(s).source.startsWith("the report"), s);
    assert(row(s).report !== "not stated", s);
  }
});
