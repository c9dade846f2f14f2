import { assert, assertEquals } from "../_testing_assert.ts";
import { DEFAULT_CONFIG } from "../runs/config.ts";
import { buildAutoencoder, layerTable } from "../model/autoencoder.ts";
import { projectSettings, provenanceRows } from "./provenance.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { DEFAULT_LEARNING_RATE } from "../train/train.ts";

function row(rows: ReturnType<typeof provenanceRows>, setting: string) {
  const r = rows.find((x) => x.setting === setting);
  assert(r, `no row "${setting}"`);
  return r;
}

Deno.test("provenanceRows(): each 'project uses' value is the live default", () => {
  const rows = provenanceRows();
  const c = DEFAULT_CONFIG;
  const fmt = (n: number) => n.toLocaleString("en-US");
  assert(
    row(rows, "training / test images").project.startsWith(`${fmt(c.train)} / ${fmt(c.test)}`),
  );
  assertEquals(row(rows, "noise factor f").project, `${c.noise}`);
  assert(row(rows, "noise formula").project.includes(`μ = ${c.noiseMean}`));
  assertEquals(row(rows, "batch size").project, `${c.batch}`);
  assert(row(rows, "epochs").project.startsWith(`${c.epochs} `));
  assert(row(rows, "validation set").project.includes(`${100 * c.validationSplit}% hold-out`));
  assert(row(rows, "latent size").project.startsWith(`Dense ${c.latent},`));
  assert(row(rows, "dropout").project.startsWith(`rate ${c.dropout}, after dec_convT1`));
  assert(row(rows, "optimizer").project.endsWith(`${DEFAULT_LEARNING_RATE}`));
  const s = new ReduceLROnPlateau();
  assertEquals(
    row(rows, "ReduceLROnPlateau").project,
    `val_loss, patience ${s.patience}, factor ${s.factor}, min_lr ${s.minLr}, ` +
      `min_delta ${s.minDelta}, cooldown ${s.cooldown}`,
  );
  assert(row(rows, "seeds").project.startsWith(`data seed ${c.dataSeed}, training seed ${c.seed}`));
  // The network, read independently of provenance.ts: layer names, shapes and parameters.
  const { autoencoder } = buildAutoencoder();
  const layers = layerTable(autoencoder);
  const params = autoencoder.countParams();
  autoencoder.dispose();
  assertEquals(row(rows, "parameters").project, fmt(params));
  const units = layers.find((l) => l.layer === "dec_dense")!.values;
  assertEquals(
    row(rows, "decoder Dense (before the Reshape)").project,
    `Dense ${fmt(units)}, relu activation`,
  );
  const [c1, c2] = ["enc_conv1", "enc_conv2"].map((n) => layers.find((l) => l.layer === n)!);
  // 28 → 14 → 7: stride 2 in each encoder convolution, channels = filters.
  assertEquals([c1.output, c2.output], ["14×14×32", "7×7×64"]);
  assertEquals(row(rows, "conv filters").project, "encoder 32, 64; decoder 64, 32");
  assertEquals(
    row(rows, "strides").project,
    "2 in the 4 hidden convolutions, 1 in the output layer",
  );
});

Deno.test("provenanceRows() renders the settings it is given, so no value is retyped", () => {
  const base = projectSettings();
  const other = projectSettings({ ...DEFAULT_CONFIG, noise: 0.3, latent: 8, dropout: 0 });
  const rows = provenanceRows(other);
  assertEquals(row(rows, "noise factor f").project, "0.3");
  assert(row(rows, "latent size").project.startsWith("Dense 8,"));
  assertEquals(row(rows, "dropout").project, "none");
  assert(other.parameters < base.parameters);
  const lr = provenanceRows({ ...base, learningRate: 5e-4 });
  assert(row(lr, "optimizer").project.endsWith("0.0005"));
});

Deno.test("provenanceRows(): the report's column says 'not stated' for what it does not give", () => {
  const rows = provenanceRows();
  for (const s of ["noise factor f", "kernel size", "strides", "epochs", "batch size", "seeds"]) {
    assertEquals(row(rows, s).report, "not stated", s);
    assert(!row(rows, s).source.startsWith("the report"), s);
  }
  for (const s of ["padding", "activations", "loss", "ReduceLROnPlateau"]) {
    assert(row(rows, s).source.startsWith("the report"), s);
    assert(row(rows, s).report !== "not stated", s);
  }
});

/** Table rows as trimmed cells, separator rows dropped: `deno fmt` realigns the columns. */
function cells(markdown: string): string[][] {
  return markdown.split("\n").filter((l) => l.startsWith("|") && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

Deno.test("docs/model.md's provenance table shows the live 'project uses' values", async () => {
  const docs = await Deno.readTextFile(new URL("../../docs/model.md", import.meta.url));
  const start = docs.indexOf("<!-- provenance:start -->");
  const end = docs.indexOf("<!-- provenance:end -->");
  assert(start >= 0 && end > start, "docs file lacks the provenance:start/end markers");
  // Pipes the values took in unescaped (`markdown` escapes those of the values it took in).
  const cell = (v: string) => v.replace(/(?<!\\)\|/g, "\\|");
  assertEquals(
    cells(docs.slice(start, end)).slice(1).map((r) => r[2]),
    provenanceRows().map((r) => cell(r.project)),
    "docs/model.md's 'project uses' column differs from lib/claims/provenance.ts's live values",
  );
});
