/**
 * Where each setting comes from (docs/model.md): what the report states, what the project
 * uses, read from the live defaults, and the source of the project's value.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { markdown } from "../text.ts";
import { DEFAULT_CONFIG, type ExperimentConfig } from "../runs/config.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { DEFAULT_LEARNING_RATE } from "../train/train.ts";

/** One layer of the built network: its name, class and Keras config (`getConfig()`). */
export interface LayerSetting {
  name: string;
  type: string;
  config: Record<string, unknown>;
}

/** The project's live settings that {@linkcode provenanceRows} renders. */
export interface ProjectSettings {
  config: ExperimentConfig;
  /** Encoder then decoder layers of the network built at `config`'s latent size and dropout. */
  layers: LayerSetting[];
  /** Trainable parameters of that network. */
  parameters: number;
  /** Adam's initial learning rate. */
  learningRate: number;
  schedule: Pick<ReduceLROnPlateau, "patience" | "factor" | "minLr" | "minDelta" | "cooldown">;
}

/** Reads the live settings from `config`; the network is built and disposed here. */
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

/** One row of the provenance table: the setting, what the report says, the project's value, its source. */
export interface ProvenanceRow {
  setting: string;
  report: string;
  project: string;
  source: string;
}

const A = "Atienza ch. 3";
const NOT_STATED = "not stated";
const fmt = (n: number) => n.toLocaleString("en-US");
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

/** The provenance table, one plain-text row per setting, from `settings` (the live defaults). */
export function provenanceRows(settings: ProjectSettings = projectSettings()): ProvenanceRow[] {
  const { config: c, layers, schedule: s } = settings;
  const convs = layers.filter((l) => /Conv2D/.test(l.type));
  const [out] = convs.slice(-1);
  const hidden = convs.slice(0, -1);
  const denses = layers.filter((l) => l.type === "Dense");
  const [latent, expand] = denses;
  const dropAt = layers.findIndex((l) => /Dropout/.test(l.type));
  const rows: [string, string, string, string][] = [
    [
      "training / test images",
      "«60,000 imágenes con ruido para entrenar … y 10,000 para probar» (MNIST)",
      markdown`${fmt(c.train)} / ${fmt(c.test)} (${c.dataset}: MNIST's training and ` +
      `official test files); ${fmt(Math.round(c.train * c.validationSplit))} of the training ` +
      "images validate",
      "the report",
    ],
    [
      "validation set",
      "not stated; it monitors «val_loss» while training on all 60,000, so most likely the " +
      "test set",
      c.validation === "split"
        ? `a seeded ${100 * c.validationSplit}% hold-out of the training images ` +
          "(--validation test uses the test set)"
        : "the test set",
      "project's choice (Keras's validation_split habit, so epochs are not chosen on the test " +
      `set); ${A} validates on the test set, as --validation test does`,
    ],
    [
      "noise formula",
      "«un factor de ruido que multiplica una distribución normal»: factor × normal draw; mean " +
      "and clipping not stated",
      `x̃ = clip(x + μ + f·ε, 0, 1), ε ~ N(0, 1), μ = ${c.noiseMean} (${c.noiseType}), drawn ` +
      "once per image from a seed",
      `the report (f·ε); clipping and one draw per image from ${A}, whose noise N(0.5, 0.5) is ` +
      "a mean shift μ = 0.5 (--noise-mean 0.5)",
    ],
    ["noise factor f", NOT_STATED, `${c.noise}`, `${A} (standard deviation 0.5)`],
    [
      "conv filters",
      "«2 capas convolucionales en el codificador»; counts not stated",
      `encoder ${
        layers.filter((l) => l.type === "Conv2D").map((l) => l.config.filters).join(", ")
      }; ` +
      `decoder ${
        hidden.filter((l) => l.type !== "Conv2D").map((l) => l.config.filters).join(", ")
      }`,
      `${A} (layer_filters = [32, 64], mirrored)`,
    ],
    [
      "kernel size",
      NOT_STATED,
      `${uniq(convs.map((l) => sides(l.config.kernelSize)))} in every convolution`,
      A,
    ],
    [
      "strides",
      NOT_STATED,
      `${uniq(hidden.map((l) => stride(l.config.strides)))} in the ${hidden.length} hidden ` +
      `convolutions, ${stride(out.config.strides)} in the output layer`,
      A,
    ],
    [
      "padding",
      "«En todo ocupamos 'same'»",
      `${uniq(convs.map((l) => l.config.padding))} in every convolution`,
      "the report",
    ],
    [
      "activations",
      "«ocupamos ReLU»; sigmoid at the output",
      `${uniq(hidden.map(act))} in the hidden convolutions, ${act(out)} at the output`,
      "the report",
    ],
    [
      "latent size",
      "«Con 16 (valor de latent_dim)»",
      `Dense ${latent.config.units}, ${act(latent)} activation`,
      `the report (size); the linear activation as in ${A}`,
    ],
    [
      "decoder Dense (before the Reshape)",
      "«una capa Dense para … expandirlo para coincidir con la forma antes de la capa plana»; " +
      "activation not stated",
      `Dense ${fmt(Number(expand.config.units))}, ${act(expand)} activation`,
      "project's choice (ReLU, reading the report's «ocupamos ReLU» as every hidden layer), not " +
      `measured against the alternative; ${A} uses a linear Dense here`,
    ],
    [
      "dropout",
      "«un pequeño Dropout de .2», one layer «en el decodificador»; place not stated",
      dropAt >= 0
        ? `rate ${layers[dropAt].config.rate}, after ${layers[dropAt - 1].name} (the first ` +
          "transposed convolution)"
        : "none",
      `the report (rate, one layer in the decoder); its place is the project's choice (${A} ` +
      "has no dropout)",
    ],
    [
      "output layer",
      "«otra capa deconvolucionale de salida que utiliza una función de activación sigmoide con " +
      "1 neurona»",
      `${out.type} ${out.config.filters} filter, ${sides(out.config.kernelSize)}, stride ` +
      `${stride(out.config.strides)}, ${act(out)}`,
      `the report; kernel and stride from ${A}`,
    ],
    [
      "weight initialisation",
      NOT_STATED,
      `${uniq(convs.concat(denses).map(initializerName))}, seeded by the training seed`,
      `Keras's default (as in ${A}), seeded by the project`,
    ],
    [
      "parameters",
      NOT_STATED,
      fmt(settings.parameters),
      `follows from the rows above; ${A}'s network has the same count (dropout and ` +
      "activations add none)",
    ],
    [
      "optimizer",
      "«el optimizador Adam»; learning rate not stated",
      `Adam, learning rate ${settings.learningRate}`,
      `the report (Adam); the rate is Keras's default, as in ${A}`,
    ],
    [
      "loss",
      "«Means Square Error como función de perdida»",
      "mean squared error against the clean image",
      "the report",
    ],
    [
      "ReduceLROnPlateau",
      "«val_loss … patience=3 … factor=0.2 … min_lr=0.0001»",
      `val_loss, patience ${s.patience}, factor ${s.factor}, min_lr ${s.minLr}, min_delta ` +
      `${s.minDelta}, cooldown ${s.cooldown}`,
      "the report; min_delta and cooldown are Keras's defaults",
    ],
    [
      "epochs",
      NOT_STATED,
      `${c.epochs} (from the validation curve on full MNIST: lowest at epoch 22, within 0.7% ` +
      "of it to 30; see README)",
      `project's choice; ${A} trains 20`,
    ],
    [
      "batch size",
      NOT_STATED,
      `${c.batch}`,
      `${A} (batch_size = 32, also Keras's fit default); measured: at 128 a 2,000-image run ` +
      "stays on the mean-digit plateau for six epochs (see README)",
    ],
    [
      "seeds",
      NOT_STATED,
      `data seed ${c.dataSeed}, training seed ${c.seed}; every random choice seeded`,
      `project's choice (${A} sets np.random.seed(1337))`,
    ],
  ];
  return rows.map(([setting, report, project, source]) => ({ setting, report, project, source }));
}

/** The provenance table as Markdown (docs/model.md's section, kept equal by a test). */
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
