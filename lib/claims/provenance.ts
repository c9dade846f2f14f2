/**
 * Where each setting comes from: what the report (in Spanish) states, what the project uses,
 * and the source of the project's value. The "project uses" column is read from the live
 * defaults ({@linkcode DEFAULT_CONFIG}, the network {@linkcode buildAutoencoder} builds, the
 * schedule's and optimizer's defaults), never retyped, so it cannot drift from the code.
 *
 * Named public source: Atienza, *Advanced Deep Learning with Keras*, ch. 3, the Keras example
 * `denoising-autoencoder-mnist-3.3.1.py`, the closest published source of the 32/64 stride-2
 * design. It adds noise N(0.5, 0.5) and clips, uses 3×3 kernels, stride 2, batch 32, 20
 * epochs, a linear Dense before the Reshape, no dropout, no schedule, and the test set as
 * validation data.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { markdown } from "../text.ts";
import { DEFAULT_CONFIG, type ExperimentConfig } from "../runs/config.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { DEFAULT_LEARNING_RATE } from "../train/train.ts";

/** One layer of the built network: its name, class and Keras config. */
export interface LayerSetting {
  /** Layer name, e.g. "enc_conv1". */
  name: string;
  /** Layer class, e.g. "Conv2D". */
  type: string;
  /** Its `getConfig()`: filters, kernelSize, strides, padding, activation, units, rate, … */
  config: Record<string, unknown>;
}

/** The project's live settings that {@linkcode provenanceRows} renders. */
export interface ProjectSettings {
  /** The experiment defaults. */
  config: ExperimentConfig;
  /** Encoder then decoder layers of the network built at `config`'s latent size and dropout. */
  layers: LayerSetting[];
  /** Trainable parameters of that network. */
  parameters: number;
  /** Adam's initial learning rate. */
  learningRate: number;
  /** The schedule's settings. */
  schedule: Pick<ReduceLROnPlateau, "patience" | "factor" | "minLr" | "minDelta" | "cooldown">;
}

/**
 * Reads the live settings: `config` (the defaults unless given), the network built from it
 * (built and disposed here), the learning rate and the schedule's defaults.
 */
export function projectSettings(config: ExperimentConfig = DEFAULT_CONFIG): ProjectSettings {
  const net = buildAutoencoder({ latentDim: config.latent, dropout: config.dropout });
  const layers = [net.encoder, net.decoder].flatMap((m: tf.LayersModel) =>
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

/** One row of the provenance table. */
export interface ProvenanceRow {
  /** The setting. */
  setting: string;
  /** What the report states (a short quote of the Spanish text), or "not stated". */
  report: string;
  /** What the project uses, rendered from {@linkcode ProjectSettings}. */
  project: string;
  /** Where the project's value came from: the report, a named source, or the project's choice. */
  source: string;
}

/**
 * Short name of the public source, for the table: Atienza, *Advanced Deep Learning with
 * Keras*, ch. 3, the Keras example `denoising-autoencoder-mnist-3.3.1.py`.
 */
export const ATIENZA = "Atienza ch. 3";

const NOT_STATED = "not stated";

function sides(v: unknown): string {
  return Array.isArray(v) ? v.join("×") : `${v}×${v}`;
}

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

function stride(v: unknown): number {
  return Array.isArray(v) ? Number(v[0]) : Number(v);
}

/**
 * The provenance table, one row per setting, from `settings` (the live defaults unless
 * given). Plain text in every cell, so the same rows serve the notebook and the README.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { provenanceRows } from "./provenance.ts";
 * const noise = provenanceRows().find((r) => r.setting === "noise factor f")!;
 * assert(noise.report === "not stated" && noise.project === "0.5");
 * ```
 */
export function provenanceRows(settings: ProjectSettings = projectSettings()): ProvenanceRow[] {
  return [
    ...dataRows(settings.config),
    ...convolutionRows(settings.layers),
    ...layerRows(settings),
    ...trainingRows(settings),
  ];
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function act(l: LayerSetting | undefined): string {
  return String(l?.config.activation ?? "none");
}

function uniq(xs: unknown[]): string {
  return [...new Set(xs.map(String))].join(", ");
}

/** The model's layers as the provenance rows name them. */
function layerParts(layers: LayerSetting[]) {
  const convs = layers.filter((l) => /Conv2D/.test(l.type));
  const [out] = convs.slice(-1);
  const hidden = convs.slice(0, -1);
  const encoderConvs = layers.filter((l) => l.type === "Conv2D");
  const denses = layers.filter((l) => l.type === "Dense");
  const [latent, expand] = denses;
  const dropAt = layers.findIndex((l) => /Dropout/.test(l.type));
  const drop = dropAt >= 0 ? layers[dropAt] : undefined;
  return { convs, out, hidden, encoderConvs, denses, latent, expand, dropAt, drop };
}

/** Rows of the data and the noise. */
function dataRows(c: ProjectSettings["config"]): ProvenanceRow[] {
  const held = Math.round(c.train * c.validationSplit);
  return [
    {
      setting: "training / test images",
      report: "«60,000 imágenes con ruido para entrenar … y 10,000 para probar» (MNIST)",
      project: markdown`${fmt(c.train)} / ${fmt(c.test)} (${c.dataset}: MNIST's training and ` +
        `official test files); ${fmt(held)} of the training images validate`,
      source: "the report",
    },
    {
      setting: "validation set",
      report: "not stated; it monitors «val_loss» while training on all 60,000, so most " +
        "likely the test set",
      project: c.validation === "split"
        ? `a seeded ${100 * c.validationSplit}% hold-out of the training images ` +
          "(--validation test uses the test set)"
        : "the test set",
      source: "project's choice (Keras's validation_split habit, so epochs are not chosen on " +
        `the test set); ${ATIENZA} validates on the test set, as --validation test does`,
    },
    {
      setting: "noise formula",
      report: "«un factor de ruido que multiplica una distribución normal»: factor × normal " +
        "draw; mean and clipping not stated",
      project: `x̃ = clip(x + μ + f·ε, 0, 1), ε ~ N(0, 1), μ = ${c.noiseMean} ` +
        `(${c.noiseType}), drawn once per image from a seed`,
      source: `the report (f·ε); clipping and one draw per image from ${ATIENZA}, whose ` +
        "noise N(0.5, 0.5) is a mean shift μ = 0.5 (--noise-mean 0.5)",
    },
    {
      setting: "noise factor f",
      report: NOT_STATED,
      project: `${c.noise}`,
      source: `${ATIENZA} (standard deviation 0.5)`,
    },
  ];
}

/** Rows of the convolutions: filters, kernel, strides, padding, activations. */
function convolutionRows(layers: LayerSetting[]): ProvenanceRow[] {
  const { convs, out, hidden, encoderConvs } = layerParts(layers);
  return [
    {
      setting: "conv filters",
      report: "«2 capas convolucionales en el codificador»; counts not stated",
      project: `encoder ${encoderConvs.map((l) => l.config.filters).join(", ")}; decoder ` +
        hidden.filter((l) => l.type !== "Conv2D").map((l) => l.config.filters).join(", "),
      source: `${ATIENZA} (layer_filters = [32, 64], mirrored)`,
    },
    {
      setting: "kernel size",
      report: NOT_STATED,
      project: `${uniq(convs.map((l) => sides(l.config.kernelSize)))} in every convolution`,
      source: ATIENZA,
    },
    {
      setting: "strides",
      report: NOT_STATED,
      project: `${uniq(hidden.map((l) => stride(l.config.strides)))} in the ${hidden.length} ` +
        `hidden convolutions, ${stride(out.config.strides)} in the output layer`,
      source: ATIENZA,
    },
    {
      setting: "padding",
      report: "«En todo ocupamos 'same'»",
      project: `${uniq(convs.map((l) => l.config.padding))} in every convolution`,
      source: "the report",
    },
    {
      setting: "activations",
      report: "«ocupamos ReLU»; sigmoid at the output",
      project: `${uniq(hidden.map(act))} in the hidden convolutions, ${act(out)} at the output`,
      source: "the report",
    },
  ];
}

/** Rows of the latent code, the decoder's Dense, dropout, the output layer and the weights. */
function layerRows(settings: ProjectSettings): ProvenanceRow[] {
  const { layers } = settings;
  const { convs, out, denses, latent, expand, dropAt, drop } = layerParts(layers);
  return [
    {
      setting: "latent size",
      report: "«Con 16 (valor de latent_dim)»",
      project: `Dense ${latent.config.units}, ${act(latent)} activation`,
      source: `the report (size); the linear activation as in ${ATIENZA}`,
    },
    {
      setting: "decoder Dense (before the Reshape)",
      report: "«una capa Dense para … expandirlo para coincidir con la forma antes de la capa " +
        "plana»; activation not stated",
      project: `Dense ${fmt(Number(expand.config.units))}, ${act(expand)} activation`,
      source: `project's choice (ReLU, reading the report's «ocupamos ReLU» as every hidden ` +
        `layer), not measured against the alternative; ${ATIENZA} uses a linear Dense here`,
    },
    {
      setting: "dropout",
      report: "«un pequeño Dropout de .2», one layer «en el decodificador»; place not stated",
      project: drop
        ? `rate ${drop.config.rate}, after ${layers[dropAt - 1].name} (the first transposed ` +
          "convolution)"
        : "none",
      source: `the report (rate, one layer in the decoder); its place is the project's ` +
        `choice (${ATIENZA} has no dropout)`,
    },
    {
      setting: "output layer",
      report: "«otra capa deconvolucionale de salida que utiliza una función de activación " +
        "sigmoide con 1 neurona»",
      project: `${out.type} ${out.config.filters} filter, ${sides(out.config.kernelSize)}, ` +
        `stride ${stride(out.config.strides)}, ${act(out)}`,
      source: `the report; kernel and stride from ${ATIENZA}`,
    },
    {
      setting: "weight initialisation",
      report: NOT_STATED,
      project: `${uniq(convs.concat(denses).map((l) => initializerName(l)))}, seeded by the ` +
        "training seed",
      source: `Keras's default (as in ${ATIENZA}), seeded by the project`,
    },
    {
      setting: "parameters",
      report: NOT_STATED,
      project: fmt(settings.parameters),
      source: `follows from the rows above; ${ATIENZA}'s network has the same count ` +
        "(dropout and activations add none)",
    },
  ];
}

/** Rows of the training: optimizer, loss, schedule, epochs, batch size, seeds. */
function trainingRows(settings: ProjectSettings): ProvenanceRow[] {
  const { config: c, schedule: s } = settings;
  return [
    {
      setting: "optimizer",
      report: "«el optimizador Adam»; learning rate not stated",
      project: `Adam, learning rate ${settings.learningRate}`,
      source: `the report (Adam); the rate is Keras's default, as in ${ATIENZA}`,
    },
    {
      setting: "loss",
      report: "«Means Square Error como función de perdida»",
      project: "mean squared error against the clean image",
      source: "the report",
    },
    {
      setting: "ReduceLROnPlateau",
      report: "«val_loss … patience=3 … factor=0.2 … min_lr=0.0001»",
      project: `val_loss, patience ${s.patience}, factor ${s.factor}, min_lr ${s.minLr}, ` +
        `min_delta ${s.minDelta}, cooldown ${s.cooldown}`,
      source: "the report; min_delta and cooldown are Keras's defaults",
    },
    {
      setting: "epochs",
      report: NOT_STATED,
      project: `${c.epochs} (from the validation curve on full MNIST: lowest at epoch 22, ` +
        "within 0.7% of it to 30; see README)",
      source: `project's choice; ${ATIENZA} trains 20`,
    },
    {
      setting: "batch size",
      report: NOT_STATED,
      project: `${c.batch}`,
      source: `${ATIENZA} (batch_size = 32, also Keras's fit default); measured: at 128 a ` +
        "2,000-image run stays on the mean-digit plateau for six epochs (see README)",
    },
    {
      setting: "seeds",
      report: NOT_STATED,
      project: `data seed ${c.dataSeed}, training seed ${c.seed}; every random choice seeded`,
      source: `project's choice (${ATIENZA} sets np.random.seed(1337))`,
    },
  ];
}

/**
 * The provenance table as Markdown (the README's section between `provenance:start` and
 * `provenance:end` is this text; a test keeps them equal).
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { provenanceMarkdown } from "./provenance.ts";
 * assert(provenanceMarkdown().startsWith("| setting |"));
 * ```
 */
export function provenanceMarkdown(rows: readonly ProvenanceRow[] = provenanceRows()): string {
  // Pipes not yet escaped (`markdown` escapes those of the values it took in).
  const cell = (s: string) => s.replace(/(?<!\\)\|/g, "\\|");
  return [
    "| setting | the report says | the project uses | source |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) =>
      `| ${cell(r.setting)} | ${cell(r.report)} | ${cell(r.project)} | ${cell(r.source)} |`
    ),
  ].join("\n");
}
