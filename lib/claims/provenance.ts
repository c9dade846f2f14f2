/**
 * Where each setting comes from (docs/model.md): what the report states, what the project
 * uses, read from the live defaults, and the source of the project's value.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { markdown, thousands } from "../text.ts";
import { DEFAULT_CONFIG, type ExperimentConfig } from "../runs/config.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { DEFAULT_LEARNING_RATE } from "../train/train.ts";

/** One layer of the built network: its name, class (`type`) and Keras config (`getConfig()`). */
type LayerSetting = Record<"name" | "type", string> & { config: Record<string, unknown> };

/**
 * Reads the live settings from `config`: the encoder then decoder `layers` of the network built
 * at its latent size and dropout (built and disposed here), its trainable `parameters`, Adam's
 * initial `learningRate`, and the ReduceLROnPlateau `schedule`.
 */
export function projectSettings(config: ExperimentConfig = DEFAULT_CONFIG) {
  const net = buildAutoencoder({ latentDim: config.latent, dropout: config.dropout });
  const layers: LayerSetting[] = [net.encoder, net.decoder].flatMap((m: tf.LayersModel) =>
    m.layers.map((l) => ({ name: l.name, type: l.getClassName(), config: l.getConfig() }))
  );
  const parameters = net.autoencoder.countParams();
  net.autoencoder.dispose();
  const { patience, factor, minLr, minDelta, cooldown } = new ReduceLROnPlateau();
  return {
    config: { ...config },
    layers,
    parameters,
    learningRate: DEFAULT_LEARNING_RATE,
    schedule: { patience, factor, minLr, minDelta, cooldown },
  };
}

const sides = (v: unknown) => Array.isArray(v) ? v.join("×") : `${v}×${v}`;
const stride = (v: unknown) => Array.isArray(v) ? Number(v[0]) : Number(v);
const act = (l: LayerSetting | undefined) => String(l?.config.activation ?? "none");
const uniq = (xs: unknown[]) => [...new Set(xs.map(String))].join(", ");

/** "Glorot uniform" for Keras's VarianceScaling(1, fan_avg, uniform); else its class name. */
function initializerName(l: LayerSetting): string {
  const init = l.config.kernelInitializer as
    | { className?: string; config?: Record<string, unknown> }
    | undefined;
  const c = init?.config ?? {};
  const glorot = init?.className === "VarianceScaling" && c.scale === 1 &&
    c.mode === "fanAvg" && c.distribution === "uniform";
  return glorot ? "Glorot uniform" : String(init?.className ?? "default");
}

/** The "project uses" value of each setting, from `settings` (the live defaults). */
function projectValues(settings: ReturnType<typeof projectSettings>): Record<string, string> {
  const { config: c, layers, schedule: s } = settings;
  const convs = layers.filter((l) => /Conv2D/.test(l.type));
  const [out] = convs.slice(-1);
  const hidden = convs.slice(0, -1);
  const denses = layers.filter((l) => l.type === "Dense");
  const [latent, expand] = denses;
  const dropAt = layers.findIndex((l) => /Dropout/.test(l.type));
  const filters = (ls: LayerSetting[]) => ls.map((l) => l.config.filters).join(", ");
  return {
    "training / test images":
      markdown`${thousands(c.train)} / ${thousands(c.test)} (${c.dataset}: ` +
      `MNIST's training and official test files); ` +
      `${thousands(Math.round(c.train * c.validationSplit))} of the training images validate`,
    "validation set": c.validation === "split"
      ? `a seeded ${100 * c.validationSplit}% hold-out of the training images ` +
        "(--validation test uses the test set)"
      : "the test set",
    "noise formula": `x̃ = clip(x + μ + f·ε, 0, 1), ε ~ N(0, 1), μ = ${c.noiseMean} ` +
      `(${c.noiseType}), drawn once per image from a seed`,
    "noise factor f": `${c.noise}`,
    "conv filters": `encoder ${filters(layers.filter((l) => l.type === "Conv2D"))}; decoder ` +
      filters(hidden.filter((l) => l.type !== "Conv2D")),
    "kernel size": `${uniq(convs.map((l) => sides(l.config.kernelSize)))} in every convolution`,
    strides: `${uniq(hidden.map((l) => stride(l.config.strides)))} in the ${hidden.length} ` +
      `hidden convolutions, ${stride(out.config.strides)} in the output layer`,
    padding: `${uniq(convs.map((l) => l.config.padding))} in every convolution`,
    activations: `${uniq(hidden.map(act))} in the hidden convolutions, ${act(out)} at the output`,
    "latent size": `Dense ${latent.config.units}, ${act(latent)} activation`,
    "decoder Dense (before the Reshape)": `Dense ${thousands(Number(expand.config.units))}, ` +
      `${act(expand)} activation`,
    dropout: dropAt >= 0
      ? `rate ${layers[dropAt].config.rate}, after ${layers[dropAt - 1].name} (the first ` +
        "transposed convolution)"
      : "none",
    "output layer": `${out.type} ${out.config.filters} filter, ${sides(out.config.kernelSize)}, ` +
      `stride ${stride(out.config.strides)}, ${act(out)}`,
    "weight initialisation": `${uniq(convs.concat(denses).map(initializerName))}, seeded by ` +
      "the training seed",
    parameters: thousands(settings.parameters),
    optimizer: `Adam, learning rate ${settings.learningRate}`,
    loss: "mean squared error against the clean image",
    ReduceLROnPlateau: `val_loss, patience ${s.patience}, factor ${s.factor}, min_lr ${s.minLr}, ` +
      `min_delta ${s.minDelta}, cooldown ${s.cooldown}`,
    epochs: `${c.epochs} (from the validation curve on full MNIST: lowest at epoch 22, within ` +
      "0.7% of it to 30; see README)",
    "batch size": `${c.batch}`,
    seeds: `data seed ${c.dataSeed}, training seed ${c.seed}; every random choice seeded`,
  };
}

/**
 * The provenance table, one row per setting: its setting, report and source columns are
 * docs/model.md's table (the one place for those words), its project column the live value
 * from `settings`. Throws if the two name different settings.
 */
export function provenanceRows(settings: ReturnType<typeof projectSettings> = projectSettings()) {
  const docs = Deno.readTextFileSync(new URL("../../docs/model.md", import.meta.url));
  const table = docs.slice(
    docs.indexOf("<!-- provenance:start -->"),
    docs.indexOf("<!-- provenance:end -->"),
  );
  const project = projectValues(settings);
  const rows = table.split("\n").filter((l) => l.startsWith("|")).slice(2).map((l) => {
    const [setting, report, , source] = l.slice(1, -1).split(/(?<!\\)\|/)
      .map((c) => c.trim().replaceAll("\\|", "|"));
    return { setting, report, project: project[setting], source };
  });
  const names = Object.keys(project);
  if (rows.length !== names.length || rows.some((r) => r.project === undefined)) {
    throw new Error(`docs/model.md's provenance rows are not the settings ${names.join(", ")}`);
  }
  return rows;
}
