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
import { withKernelInterrupt } from "./kernel_interrupt.ts";
import { join } from "node:path";
import {
  DiskFullError,
  isDiskFull,
  pathExists as exists,
  writeFileAtomic,
  writeJsonAtomic,
} from "./atomic.ts";
import { activeThreads, selectBackend } from "../train/backend.ts";
import { defaultRunName, type ExperimentConfig, validateRunName } from "./config.ts";
import { type Dataset, loadDataset } from "../data/datasets.ts";
import { buildDnCNN } from "../model/dncnn.ts";
import { InputError } from "../errors.ts";
import { lossChart } from "../figures/charts.ts";
import { svgString } from "../figures/svg.ts";
import { imageGridPng } from "../figures/image_grid.ts";
import { type Images, pickSamples, take } from "../data/images.ts";
import { DEFAULT_SSIM_WINDOW, mse, psnr, ssim } from "../eval/metrics.ts";
import { DATASET_SHA256_KEY, identityDifferences, savedConfig } from "./identity.ts";
import { appendProgress, logLine } from "../train/log.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { acquireLock, type FileLock } from "./lock.ts";
import { saveModel } from "../model/model_io.ts";
import { addNoise } from "../data/noise.ts";
import { predictImages } from "../model/predict.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { type EpochLog, type TrainCallbacks, trainDenoiser } from "../train/train.ts";
import { readRun, readSaved, type Run, runDir, type RunMetrics, runStatus } from "./run_folder.ts";

/**
 * SHA-256 (hex) of the images' float32 pixels and their shape, so that equal digests mean
 * bit-identical images.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
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
 * import { assert } from "../_assert.ts";
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

/**
 * What may start: refuses a resume of a missing, complete or differently-set run, or one with
 * no checkpoint, and a plain start over an existing run without `force`. Returns the settings
 * to train with (on resume, the saved ones with the caller's given flags).
 */
async function startingConfig(
  config: ExperimentConfig,
  options: RunOptions & { name: string },
  dir: string,
  status: "complete" | "incomplete" | "missing",
): Promise<ExperimentConfig> {
  const { name, out = "outputs", force = false, resume = false } = options;
  const root = join(out, "runs");
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
    return asked as unknown as ExperimentConfig;
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

  return config;
}

/**
 * Scores a trained model once on the test set and writes the run's files: history, samples,
 * loss chart, model, and `metrics.json` last (from then on the run counts as complete).
 */
async function finishRun(
  dir: string,
  config: ExperimentConfig,
  data: ExperimentData,
  model: tf.LayersModel,
  history: EpochLog[],
  stats: { backend: string; trainSeconds: number; imagesPerSecond: number },
): Promise<RunMetrics> {
  const { dataset } = data;
  const output = await predictImages(model, data.noisyTest);
  const metrics: RunMetrics = {
    ...denoisingMetrics(dataset.test, data.noisyTest, output),
    epochs: history.length,
    train_seconds: stats.trainSeconds,
    train_images_per_second: stats.imagesPerSecond,
    backend: stats.backend,
    threads: await activeThreads(),
    test_inputs_sha256: await imagesDigest(data.noisyTest),
  };
  const picks = pickSamples(dataset.test.count, SAMPLE_COUNT, config.dataSeed);
  await writeJsonAtomic(join(dir, "history.json"), history);
  await writeFileAtomic(
    join(dir, "samples.png"),
    imageGridPng([take(dataset.test, picks), take(data.noisyTest, picks), take(output, picks)]),
  );
  await writeFileAtomic(join(dir, "loss.svg"), svgString(lossChart(history)));
  await saveModel(model, join(dir, "model"));
  // Last: from here on the run counts as complete.
  await writeJsonAtomic(join(dir, "metrics.json"), metrics);
  await Deno.remove(join(dir, "checkpoint"), { recursive: true }).catch(() => {});
  return metrics;
}

async function runLocked(
  config: ExperimentConfig,
  options: RunOptions & { name: string },
): Promise<RunOutcome> {
  const { name, out = "outputs", resume = false, callbacks = [], signal } = options;
  const log = options.log ?? logLine;
  const dir = runDir(name, out);
  const status = await runStatus(dir);
  config = await startingConfig(config, options, dir, status);

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
    const metrics = await finishRun(dir, config, data, model, result.history, {
      backend,
      trainSeconds: result.trainSeconds,
      imagesPerSecond: result.imagesPerSecond,
    });
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
  // In a notebook, the kernel's interrupt stops training at a checkpoint, not the kernel.
  const outcome = await withKernelInterrupt(options.signal, (signal) =>
    runLocked(config, {
      ...options,
      signal,
      name,
      resume,
      force: status === "incomplete" && !resume,
      given: undefined,
    }));
  if (outcome.status !== "completed") {
    throw new InputError(
      `run "${name}" was interrupted after ${outcome.epochsDone} epochs; run it again ` +
        `to continue from its last checkpoint`,
    );
  }
  return outcome;
}
