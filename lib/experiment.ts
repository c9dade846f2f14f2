/**
 * One experiment end to end — data, noise, model, training, evaluation — and its run folder:
 *
 * ```
 * outputs/runs/NAME/
 *   config.json    settings (written first)
 *   checkpoint/    while training only: weights, optimizer and schedule state
 *   history.json   [{epoch, loss, val_loss, lr, …}]
 *   samples.png    rows: original | noisy | reconstructed, samples picked by seed
 *   loss.svg       loss and val_loss per epoch, learning-rate drops marked
 *   model/         model.json + weights.bin
 *   metrics.json   written last: its presence marks the run complete
 * outputs/runs/.NAME.lock  held while a process writes the run (see lock.ts)
 * ```
 *
 * The command line, the notebooks and the sweep all go through {@linkcode runExperiment}.
 * One process at a time writes a run folder; a cached run is reused only when its saved
 * config matches the requested one in every setting that changes the result (identity.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import {
  DiskFullError,
  isDiskFull,
  pathExists as exists,
  writeFileAtomic,
  writeJsonAtomic,
} from "./atomic.ts";
import { activeThreads, selectBackend } from "./backend.ts";
import {
  DEFAULT_CONFIG,
  defaultRunName,
  type ExperimentConfig,
  storedConfig,
  validateRunName,
} from "./config.ts";
import { type Dataset, defaultSizes, loadDataset } from "./data.ts";
import { buildDnCNN } from "./dncnn.ts";
import { InputError } from "./errors.ts";
import { lossChart } from "./figures.ts";
import { svgString } from "./svg.ts";
import { imageGridPng } from "./image_grid.ts";
import { type Images, pickSamples, take } from "./images.ts";
import { DEFAULT_SSIM_WINDOW, mse, psnr, ssim } from "./metrics.ts";
import { DATASET_SHA256_KEY, identityDifferences, savedConfig } from "./identity.ts";
import { appendProgress, logLine } from "./log.ts";
import { buildAutoencoder } from "./model.ts";
import { acquireLock, type FileLock } from "./lock.ts";
import { loadModel, saveModel } from "./model_io.ts";
import { addNoise } from "./noise.ts";
import { predictImages } from "./predict.ts";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
import { type EpochLog, type TrainCallbacks, trainDenoiser } from "./train.ts";

/** Contents of `metrics.json`. */
export interface RunMetrics {
  /** MSE of the reconstruction against the clean test images. */
  test_mse: number;
  /** MSE of the noisy input against the clean test images (doing nothing). */
  noisy_mse: number;
  /** Mean per-image PSNR (dB) of the reconstruction. */
  test_psnr: number;
  /** Mean per-image PSNR (dB) of the noisy input. */
  noisy_psnr: number;
  /** Mean SSIM (Gaussian 11×11, σ 1.5) of the reconstruction. */
  test_ssim: number;
  /** Mean SSIM of the noisy input. */
  noisy_ssim: number;
  /** Epochs trained. */
  epochs: number;
  /** Seconds spent in training batches. */
  train_seconds: number;
  /** Training throughput. */
  train_images_per_second: number;
  /** Backend that trained the model. */
  backend: string;
  /**
   * Threads it trained with (wasm: main thread + kernel Workers; 1 otherwise). Not part of
   * the run's identity; absent in runs saved before it was recorded.
   */
  threads?: number;
  /**
   * SHA-256 (hex) of the noisy test images' float32 pixels: two runs with the same digest
   * scored exactly the same inputs, so their per-image errors may be paired.
   */
  test_inputs_sha256: string;
}

/**
 * SHA-256 (hex) of the images' float32 pixels and their shape, so that equal digests mean
 * bit-identical images.
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { imagesDigest } from "./experiment.ts";
 * const a = { data: new Float32Array([0, 0.5]), count: 1, height: 1, width: 2 };
 * assert((await imagesDigest(a)).length === 64);
 * ```
 */
export async function imagesDigest(images: Images): Promise<string> {
  const { data, count, height, width } = images;
  const shape = new TextEncoder().encode(`${count}x${height}x${width}:`);
  const bytes = new Uint8Array(shape.length + data.byteLength);
  bytes.set(shape);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), shape.length);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A finished run, as read back from its folder. */
export interface Run {
  /** Run name. */
  name: string;
  /** Run folder. */
  dir: string;
  /** Settings. */
  config: ExperimentConfig;
  /** Per-epoch history. */
  history: EpochLog[];
  /** Final metrics. */
  metrics: RunMetrics;
}

/** Options of {@linkcode runExperiment}. */
export interface RunOptions {
  /** Run name. @default defaultRunName(config) */
  name?: string;
  /** Output root; runs go under `out/runs/`. @default "outputs" */
  out?: string;
  /** Replace an existing run of the same name. @default false */
  force?: boolean;
  /** Continue an interrupted run of this name from its checkpoint. @default false */
  resume?: boolean;
  /**
   * With `resume`: the settings the caller chose explicitly (the command-line flags given).
   * Those that change the result must equal the saved ones; the rest of the config comes from
   * the saved run. @default every key of `config`
   */
  given?: readonly string[];
  /** Progress displays. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops after the current batch; the checkpoint is kept. @default undefined */
  signal?: AbortSignal;
  /**
   * Status lines (backend, data, where results go).
   * @default logLine (stderr, or a collapsed note in a notebook)
   */
  log?: (line: string) => void;
  /**
   * Threads of the wasm kernels (speed only: not part of the run's identity).
   * @default `THREADS`, else every core (see lib/kernels/kernel_options.ts)
   */
  threads?: number;
}

/** Result of {@linkcode runExperiment}: a complete run, or an interrupted one to resume. */
export type RunOutcome =
  | ({ status: "completed" } & Run)
  | { status: "interrupted"; name: string; dir: string; epochsDone: number };

/** Folder of run `name` under output root `out`. */
export function runDir(name: string, out = "outputs"): string {
  return join(out, "runs", validateRunName(name));
}

/** "complete" (metrics.json present), "incomplete" (folder without it), or "missing". */
export async function runStatus(dir: string): Promise<"complete" | "incomplete" | "missing"> {
  if (await exists(join(dir, "metrics.json"))) return "complete";
  return (await exists(dir)) ? "incomplete" : "missing";
}

/** The noisy and clean images a config trains, validates and tests on; the noise is seeded. */
export interface ExperimentData {
  /** The loaded dataset (clean); `dataset.validation` is set when validation is "split". */
  dataset: Dataset;
  /** Noisy training images. */
  noisyTrain: Images;
  /** Clean validation images: the hold-out, or the test images when validation is "test". */
  validation: Images;
  /** Noisy validation images (the very `noisyTest` when validation is "test"). */
  noisyValidation: Images;
  /** Noisy test images. */
  noisyTest: Images;
}

/**
 * Seeds of the three noise draws. Training noise follows the training seed; validation and
 * test noise follow the data seed, so runs that differ only in `seed` validate and score on
 * bit-identical noisy images. Training seeds are odd, test seeds even and validation seeds
 * negative, so no two draws share a seed (and seed 0 / data seed 0 give the streams the
 * project always used: 1 and 2).
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { noiseSeeds } from "./experiment.ts";
 * const s = noiseSeeds({ ...DEFAULT_CONFIG, seed: 3 });
 * assert(s.train === 7 && s.test === 2 && s.validation === -1);
 * ```
 */
export function noiseSeeds(
  config: Pick<ExperimentConfig, "seed" | "dataSeed">,
): { train: number; validation: number; test: number } {
  return {
    train: config.seed * 2 + 1,
    validation: -(config.dataSeed + 1),
    test: config.dataSeed * 2 + 2,
  };
}

/**
 * Loads the dataset, holds out the validation images (validation "split") and adds the
 * config's noise, drawn once per image (as in Atienza's Keras example), from the seeds of {@linkcode noiseSeeds}.
 * The split, subsets and hold-out follow `config.dataSeed`.
 */
export async function prepareData(config: ExperimentConfig): Promise<ExperimentData> {
  const dataset = await loadDataset(config.dataset, {
    train: config.train,
    test: config.test,
    seed: config.dataSeed,
    validationSplit: config.validation === "split" ? config.validationSplit : 0,
  });
  checkImageSize(config, dataset.train.height, dataset.train.width);
  const noise = { type: config.noiseType, mean: config.noiseMean };
  const seeds = noiseSeeds(config);
  const noisyTest = addNoise(dataset.test, config.noise, { ...noise, seed: seeds.test });
  const validation = dataset.validation ?? dataset.test;
  return {
    dataset,
    noisyTrain: addNoise(dataset.train, config.noise, { ...noise, seed: seeds.train }),
    validation,
    noisyValidation: dataset.validation
      ? addNoise(dataset.validation, config.noise, { ...noise, seed: seeds.validation })
      : noisyTest,
    noisyTest,
  };
}

/**
 * The smallest image side the config's model and metrics take: the SSIM window (11), and for
 * the autoencoder a multiple of 4 (two stride-2 layers: 28 → 14 → 7), so 12.
 */
export function minImageSide(config: Pick<ExperimentConfig, "model">): number {
  return config.model === "autoencoder"
    ? Math.ceil(DEFAULT_SSIM_WINDOW / 4) * 4
    : DEFAULT_SSIM_WINDOW;
}

/**
 * Throws {@linkcode InputError} with one line unless `height`×`width` images fit the config's
 * model and the SSIM window (see {@linkcode minImageSide}).
 */
export function checkImageSize(
  config: Pick<ExperimentConfig, "model">,
  height: number,
  width: number,
): void {
  const min = minImageSide(config);
  const four = config.model === "autoencoder";
  if (height !== width || height < min || (four && height % 4 !== 0)) {
    const need = four
      ? `square images with a side divisible by 4 (two stride-2 layers) and at least ${min}`
      : `square images with a side of at least ${min}`;
    throw new InputError(
      `images are ${height}×${width}; the ${config.model} needs ${need} ` +
        `(the SSIM window is ${DEFAULT_SSIM_WINDOW}×${DEFAULT_SSIM_WINDOW})`,
    );
  }
}

/** Builds the config's learned model, untrained. The caller disposes it. */
export function buildModel(config: ExperimentConfig, imageSize = 28): tf.LayersModel {
  if (config.model === "dncnn") return buildDnCNN({ seed: config.seed, imageSize });
  return buildAutoencoder({
    latentDim: config.latent,
    dropout: config.dropout,
    seed: config.seed,
    imageSize,
  }).autoencoder;
}

/** MSE, PSNR and SSIM of `output` and of `noisy` against `clean`. */
export function denoisingMetrics(clean: Images, noisy: Images, output: Images) {
  return {
    test_mse: mse(clean, output),
    noisy_mse: mse(clean, noisy),
    test_psnr: psnr(clean, output),
    noisy_psnr: psnr(clean, noisy),
    test_ssim: ssim(clean, output),
    noisy_ssim: ssim(clean, noisy),
  };
}

/** Number of samples in `samples.png`. */
export const SAMPLE_COUNT = 10;

/**
 * Creates folder `path` (and its parents) or throws {@linkcode InputError} with one line: a
 * path that cannot hold folders (`/proc/x`), a file where a folder should be, no permission.
 */
export async function ensureFolder(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true });
  } catch (e) {
    if (isDiskFull(e)) throw new DiskFullError(path, e);
    let why = (e as Error).message.replace(/ \(os error \d+\).*$/, "");
    if (e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotADirectory) {
      why = "a file is in the way of a folder";
    }
    throw new InputError(`cannot create folder ${path}: ${why}`, { cause: e });
  }
  if (!(await Deno.stat(path)).isDirectory) {
    throw new InputError(`cannot create folder ${path}: a file is in the way of a folder`);
  }
}

/**
 * Takes the one-writer lock of run `name` (`out/runs/.NAME.lock`, see lock.ts), creating
 * `out/runs` if needed. Throws {@linkcode InputError} naming the holder's PID when another
 * process writes that run.
 */
export async function lockRun(name: string, out = "outputs"): Promise<FileLock> {
  const root = join(out, "runs");
  await ensureFolder(root);
  return await acquireLock(join(root, `.${validateRunName(name)}.lock`), {
    what: `run "${name}" in ${root}`,
  });
}

/**
 * Trains, evaluates and writes the run folder (see the module doc), holding the run's lock
 * throughout. Refuses to overwrite a run unless `force`; `resume` continues an interrupted
 * run from its checkpoint with that run's saved settings, and refuses settings in `given`
 * that differ from them. Bad data and image sizes are refused before anything is written.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const name = options.name ?? defaultRunName(config);
  using _lock = await lockRun(name, options.out);
  return await runLocked(config, { ...options, name });
}

async function hasCheckpoint(dir: string): Promise<boolean> {
  return await exists(join(dir, "checkpoint"));
}

async function runLocked(
  config: ExperimentConfig,
  options: RunOptions & { name: string },
): Promise<RunOutcome> {
  const { name, out = "outputs", force = false, resume = false, callbacks = [], signal } = options;
  const log = options.log ?? logLine;
  const dir = runDir(name, out);
  const root = join(out, "runs");
  const status = await runStatus(dir);
  if (resume) {
    if (status === "missing") {
      throw new InputError(`no run "${name}" in ${root} to resume`);
    }
    if (status === "complete") {
      throw new InputError(`run "${name}" is already complete; nothing to resume`);
    }
    const saved = await readSaved(dir, name);
    const given = options.given ?? Object.keys(config);
    const asked: Record<string, unknown> = { ...saved };
    delete asked[DATASET_SHA256_KEY];
    for (const k of given) asked[k] = (config as unknown as Record<string, unknown>)[k];
    const diffs = identityDifferences(saved, asked, [...given, DATASET_SHA256_KEY]);
    if (diffs.length > 0) {
      throw new InputError(
        `run "${name}" was started with other settings: ${diffs.join(", ")}; ` +
          `resume it without those flags, or start it again with --force`,
      );
    }
    if (!(await hasCheckpoint(dir))) {
      throw new InputError(
        `run "${name}" has no checkpoint to resume from (it stopped before its first epoch ` +
          `ended, or the checkpoint was removed); start it again with --force`,
      );
    }
    config = asked as unknown as ExperimentConfig;
  } else if (status !== "missing" && !force) {
    let hint = `it is incomplete: continue it with --resume ${name}, or overwrite it with --force`;
    if (status === "complete") {
      const saved = await readSaved(dir, name).catch(() => null);
      const diffs = saved ? identityDifferences(saved, { ...config }) : [];
      hint = diffs.length > 0
        ? `it was trained with other settings: ${diffs.join(", ")}; choose another --name, ` +
          `or overwrite it with --force`
        : "use --force to overwrite it";
    }
    throw new InputError(`run "${name}" already exists in ${root}; ${hint}`);
  }

  // Everything that can be refused is checked before the old run is removed or a folder made.
  const backend = await selectBackend(config.backend, { log, threads: options.threads });
  const data = await prepareData(config);
  const { dataset } = data;
  const validated = dataset.validation
    ? `${dataset.validation.count} validation`
    : "the test images as validation";
  log(
    `data: ${dataset.source}: ${dataset.train.count} train, ${validated}, ` +
      `${dataset.test.count} test images`,
  );
  if (!resume && status !== "missing") await Deno.remove(dir, { recursive: true });

  const model = buildModel(config, dataset.train.height);
  try {
    await ensureFolder(dir);
    if (!resume) await writeJsonAtomic(join(dir, "config.json"), savedConfig(config));
    // Named in the report's progress feed even when `log` goes elsewhere (a notebook's sweep).
    appendProgress({ kind: "run", name });
    log(`run: ${dir}`);
    const result = await trainDenoiser(model, {
      input: data.noisyTrain,
      target: dataset.train,
      valInput: data.noisyValidation,
      valTarget: data.validation,
    }, {
      epochs: config.epochs,
      batchSize: config.batch,
      seed: config.seed,
      schedule: config.lrSchedule ? new ReduceLROnPlateau() : null,
      callbacks,
      checkpointDir: join(dir, "checkpoint"),
      resume,
      signal,
    });
    if (result.status === "interrupted") {
      return { status: "interrupted", name, dir, epochsDone: result.history.length };
    }
    const output = await predictImages(model, data.noisyTest);
    const metrics: RunMetrics = {
      ...denoisingMetrics(dataset.test, data.noisyTest, output),
      epochs: result.history.length,
      train_seconds: result.trainSeconds,
      train_images_per_second: result.imagesPerSecond,
      backend,
      threads: await activeThreads(),
      test_inputs_sha256: await imagesDigest(data.noisyTest),
    };
    const picks = pickSamples(dataset.test.count, SAMPLE_COUNT, config.dataSeed);
    await writeJsonAtomic(join(dir, "history.json"), result.history);
    await writeFileAtomic(
      join(dir, "samples.png"),
      imageGridPng([take(dataset.test, picks), take(data.noisyTest, picks), take(output, picks)]),
    );
    await writeFileAtomic(join(dir, "loss.svg"), svgString(lossChart(result.history)));
    await saveModel(model, join(dir, "model"));
    // Last: from here on the run counts as complete.
    await writeJsonAtomic(join(dir, "metrics.json"), metrics);
    await Deno.remove(join(dir, "checkpoint"), { recursive: true }).catch(() => {});
    return { status: "completed", name, dir, config, history: result.history, metrics };
  } catch (e) {
    if (!isDiskFull(e)) throw e;
    const path = e instanceof DiskFullError ? e.path : dir;
    const next = await hasCheckpoint(dir)
      ? `continue with --resume ${name}`
      : `start it again with --force`;
    throw new InputError(`disk full while writing ${path}; free space and ${next}`, { cause: e });
  } finally {
    model.dispose();
  }
}

async function readJson<T>(path: string, name: string): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    const why = (e as Error).message.replace(/ \(os error \d+\).*$/, "");
    throw new InputError(`run "${name}" is damaged: cannot read ${path}: ${why}`);
  }
}

/**
 * A run's `config.json` as its identity is compared: read by {@linkcode storedConfig} (a
 * file from before the seed split keeps its old meaning), with the dataset fingerprint it
 * recorded. Throws {@linkcode InputError} naming the run when the file is damaged.
 */
async function readSaved(dir: string, name: string): Promise<Record<string, unknown>> {
  const raw = await readJson<unknown>(join(dir, "config.json"), name);
  const saved: Record<string, unknown> = { ...storedSettings(raw, dir, name) };
  const fingerprint = (raw as Record<string, unknown>)[DATASET_SHA256_KEY];
  if (fingerprint !== undefined) saved[DATASET_SHA256_KEY] = fingerprint;
  return saved;
}

/** {@linkcode storedConfig} of a run's `config.json`, or the one-line "damaged" error. */
function storedSettings(raw: unknown, dir: string, name: string): ExperimentConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError(
      `run "${name}" is damaged: ${join(dir, "config.json")} holds no settings; ` +
        `delete it or train it again with --force`,
    );
  }
  try {
    return storedConfig(raw as Record<string, unknown>);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      `run "${name}" is damaged: ${join(dir, "config.json")}: ${e.message}; ` +
        `delete it or train it again with --force`,
    );
  }
}

/** Metrics every complete run records; a `metrics.json` without them is damaged. */
const REQUIRED_METRICS = [
  "test_mse",
  "noisy_mse",
  "test_psnr",
  "noisy_psnr",
  "test_ssim",
  "noisy_ssim",
  "epochs",
] as const;

/**
 * Reads a complete run's settings, history and metrics. Throws {@linkcode InputError} for a
 * missing or incomplete run, and for a damaged one (unreadable JSON, metrics missing), naming
 * the run and the file.
 */
export async function readRun(name: string, out = "outputs"): Promise<Run> {
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  if (status !== "complete") {
    throw new InputError(`run "${name}" is ${status} in ${join(out, "runs")}`);
  }
  const raw = await readJson<unknown>(join(dir, "config.json"), name);
  const history = await readJson<EpochLog[]>(join(dir, "history.json"), name);
  const metrics = await readJson<RunMetrics>(join(dir, "metrics.json"), name);
  const missing = REQUIRED_METRICS.filter((k) =>
    typeof (metrics as unknown as Record<string, unknown> | null)?.[k] !== "number"
  );
  const fault: [file: string, problem: string] | null = !Array.isArray(history)
    ? ["history.json", "holds no epochs"]
    : missing.length > 0
    ? ["metrics.json", `lacks ${missing.join(", ")}`]
    : null;
  if (fault) {
    throw new InputError(
      `run "${name}" is damaged: ${join(dir, fault[0])} ${fault[1]}; ` +
        `delete it or train it again with --force`,
    );
  }
  return { name, dir, config: storedSettings(raw, dir, name), history, metrics };
}

/** Loads the trained model of a complete run. The caller disposes it. */
export async function loadRunModel(run: Run): Promise<tf.LayersModel> {
  return await loadModel(join(run.dir, "model"));
}

/**
 * The run's model applied to `images` (load, predict in batches, dispose): new images of the
 * same shape, values as the model outputs them (not clipped). No tensor outlives the call.
 */
export async function predictWithRun(run: Run, images: Images): Promise<Images> {
  const model = await loadRunModel(run);
  try {
    return await predictImages(model, images);
  } finally {
    model.dispose();
  }
}

/**
 * The complete run for `config` (named by {@linkcode defaultRunName}): read back when it
 * exists and its saved config matches `config` in every setting that changes the result,
 * trained first when it does not exist. An incomplete run of that name is resumed from its
 * checkpoint (or started again when it has none). Throws {@linkcode InputError} naming the
 * differing settings when a run of that name holds other settings, and when another process
 * writes the run. Never retrains a complete run; `log` says which happened.
 */
export async function ensureRun(config: ExperimentConfig, options: RunOptions = {}): Promise<Run> {
  const log = options.log ?? logLine;
  const name = options.name ?? defaultRunName(config);
  const out = options.out ?? "outputs";
  using _lock = await lockRun(name, out);
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  const hasConfig = await exists(join(dir, "config.json"));
  if (status === "complete" || hasConfig) {
    const diffs = identityDifferences(await readSaved(dir, name), { ...config });
    if (diffs.length > 0) {
      throw new InputError(
        `run "${name}" in ${join(out, "runs")} holds other settings: ${diffs.join(", ")}; ` +
          `delete that folder or choose another name`,
      );
    }
  }
  if (status === "complete") {
    log(`using the trained run "${name}" (delete its folder to retrain)`);
    return await readRun(name, out);
  }
  const resume = status === "incomplete" && await hasCheckpoint(dir);
  if (resume) log(`run "${name}" is incomplete; resuming it`);
  else if (status === "incomplete") {
    log(`run "${name}" stopped before its first checkpoint; starting it again`);
  }
  const outcome = await runLocked(config, {
    ...options,
    name,
    resume,
    force: status === "incomplete" && !resume,
    given: undefined,
  });
  if (outcome.status !== "completed") {
    throw new InputError(`run "${name}" was interrupted after ${outcome.epochsDone} epochs`);
  }
  return outcome;
}

/** Options of {@linkcode listRuns}. */
export interface ListRunsOptions {
  /** Where the one-line warning about each damaged run goes. @default console.error */
  warn?: (line: string) => void;
}

/**
 * Every run under `out/runs`, with its status; incomplete runs are listed, not read. A
 * damaged complete run (unreadable or incomplete `config.json`, `history.json` or
 * `metrics.json`) is left out with a one-line warning naming it.
 */
export async function listRuns(
  out = "outputs",
  options: ListRunsOptions = {},
): Promise<{ name: string; status: "complete" | "incomplete" }[]> {
  const warn = options.warn ?? ((line: string) => console.error(line));
  const root = join(out, "runs");
  if (!(await exists(root))) return [];
  const runs: { name: string; status: "complete" | "incomplete" }[] = [];
  for await (const e of Deno.readDir(root)) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const s = await runStatus(join(root, e.name));
    if (s === "missing") continue;
    if (s === "complete") {
      try {
        await readRun(e.name, out);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        warn(`warning: skipped: ${error.message}`);
        continue;
      }
    }
    runs.push({ name: e.name, status: s });
  }
  return runs.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The full-protocol twin of `config`: the same settings with the dataset's whole training
 * set and {@linkcode DEFAULT_CONFIG}'s epochs (what `deno task experiment` trains by default).
 */
export function fullProtocolConfig(config: ExperimentConfig): ExperimentConfig {
  return { ...config, train: defaultSizes(config.dataset).train, epochs: DEFAULT_CONFIG.epochs };
}

/**
 * The complete run of {@linkcode fullProtocolConfig}(`config`) under `out`, when one exists
 * with exactly those settings; `undefined` otherwise (nothing is trained). Lets a notebook
 * that trains a lighter profile show the full protocol's result beside its own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { findFullProtocolRun } from "./experiment.ts";
 * assertEquals(await findFullProtocolRun(DEFAULT_CONFIG, await Deno.makeTempDir()), undefined);
 * ```
 */
export async function findFullProtocolRun(
  config: ExperimentConfig,
  out = "outputs",
): Promise<Run | undefined> {
  const full = fullProtocolConfig(config);
  const name = defaultRunName(full);
  if ((await runStatus(runDir(name, out))) !== "complete") return undefined;
  try {
    const same = identityDifferences(await readSaved(runDir(name, out), name), { ...full });
    return same.length === 0 ? await readRun(name, out) : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}
