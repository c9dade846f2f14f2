/**
 * One experiment end to end and its run folder (docs/commands.md): `metrics.json`, written
 * last, marks it complete; `out/runs/.NAME.lock` is held while a process writes it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import {
  DiskFullError,
  ensureFolder,
  isDiskFull,
  pathExists as exists,
  writeFileAtomic,
  writeJsonAtomic,
} from "./atomic.ts";
import { activeThreads, selectBackend } from "../train/backend.ts";
import { defaultRunName, type ExperimentConfig, validateName } from "./config.ts";
import { InputError } from "../errors.ts";
import { lossChart } from "../figures/charts.ts";
import { svgString } from "../figures/svg.ts";
import { imageGridPng } from "../figures/image_grid.ts";
import { type Images, imagesDigest, pickSamples, predictImages, take } from "../data/images.ts";
import {
  buildModel,
  denoisingMetrics,
  type ExperimentData,
  prepareData,
} from "./experiment_data.ts";
import { DATASET_SHA256_KEY, identityDifferences, savedConfig } from "./identity.ts";
import { appendProgress, jupyter, logLine } from "../train/log.ts";
import { acquireLock, type FileLock, waitWhileLocked } from "./lock.ts";
import { saveModel } from "../model/model_io.ts";
import { ReduceLROnPlateau } from "../train/reduce_lr_on_plateau.ts";
import { type EpochLog, type TrainCallbacks, trainDenoiser } from "../train/train.ts";
import { readRun, readSaved, type Run, runDir, type RunMetrics, runStatus } from "./run_folder.ts";

/** How trainings run (a run's, a sweep's, a learning curve's). */
export interface TrainingOptions {
  /** Output root; runs go under `out/runs/`. @default "outputs" */
  out?: string;
  /** Progress displays of each training. @default [] */
  callbacks?: TrainCallbacks[];
  /** Aborting stops a training after its current batch, keeping its checkpoint. */
  signal?: AbortSignal;
  /** Status lines. @default logLine (stderr, or a collapsed note in a notebook) */
  log?: (line: string) => void;
  /** Threads of the wasm kernels (not part of any identity). @default every core */
  threads?: number;
}

/** Options of {@linkcode runExperiment} and {@linkcode ensureRun}. */
export interface RunOptions extends TrainingOptions {
  /** Run name. @default defaultRunName(config) */
  name?: string;
  /** Replace an existing run of the same name. @default false */
  force?: boolean;
  /** Continue an interrupted run of this name from its checkpoint. @default false */
  resume?: boolean;
  /** With `resume`: the keys the caller chose, which must equal the saved ones. @default all */
  given?: readonly string[];
}

/** Result of {@linkcode runExperiment}: a complete run, or an interrupted one to resume. */
export type RunOutcome =
  | ({ status: "completed" } & Run)
  | { status: "interrupted"; name: string; dir: string; epochsDone: number };

/** The checkpoint folder of the run folder `dir`. */
const checkpointOf = (dir: string) => join(dir, "checkpoint");

/** Takes the one-writer lock of run `name`. */
async function lockRun(name: string, out = "outputs"): Promise<FileLock> {
  const root = join(out, "runs");
  await ensureFolder(root);
  return await acquireLock(join(root, `.${validateName("run", name)}.lock`), `run "${name}"`);
}

/** Trains, evaluates and writes the run folder under the run's lock (InputError on bad input). */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const name = options.name ?? defaultRunName(config);
  using _lock = await lockRun(name, options.out);
  return await runLocked(config, { ...options, name });
}

/** What may start, and with which settings (on resume, the saved ones); else one-line errors. */
async function startingConfig(
  config: ExperimentConfig,
  options: RunOptions & { name: string },
  dir: string,
  status: "complete" | "incomplete" | "missing",
): Promise<ExperimentConfig> {
  const { name, out = "outputs", force = false, resume = false } = options;
  const root = join(out, "runs");
  if (resume) {
    if (status === "missing") throw new InputError(`no run "${name}" in ${root} to resume`);
    if (status === "complete") {
      throw new InputError(`run "${name}" is already complete; nothing to resume`);
    }
    const saved = await readSaved(dir, name);
    const given = options.given ?? Object.keys(config);
    const asked: Record<string, unknown> = { ...saved };
    delete asked[DATASET_SHA256_KEY];
    for (const k of given) asked[k] = (config as unknown as Record<string, unknown>)[k];
    const diffs = identityDifferences(saved, asked);
    if (diffs.length > 0) {
      throw new InputError(
        `run "${name}" was started with other settings: ${diffs.join(", ")}; ` +
          `resume it without those flags, or start it again with --force`,
      );
    }
    if (!(await exists(checkpointOf(dir)))) {
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

/** Scores the trained model once on the test set and writes the run's files, metrics last; returns both. */
async function finishRun(
  dir: string,
  config: ExperimentConfig,
  data: ExperimentData,
  model: tf.LayersModel,
  history: EpochLog[],
  backend: string,
): Promise<{ metrics: RunMetrics; output: Images }> {
  const { dataset } = data;
  const output = await predictImages(model, data.noisyTest);
  const seconds = history.reduce((sum, h) => sum + h.seconds, 0);
  const metrics: RunMetrics = {
    ...denoisingMetrics(dataset.test, data.noisyTest, output),
    epochs: history.length,
    train_seconds: seconds,
    train_images_per_second: (history.length * dataset.train.count) / seconds,
    backend,
    threads: await activeThreads(),
    test_inputs_sha256: imagesDigest(data.noisyTest),
  };
  const picks = pickSamples(dataset.test.count, Math.min(10, dataset.test.count), config.dataSeed);
  await writeJsonAtomic(join(dir, "history.json"), history);
  await writeFileAtomic(
    join(dir, "samples.png"),
    imageGridPng([take(dataset.test, picks), take(data.noisyTest, picks), take(output, picks)]),
  );
  await writeFileAtomic(join(dir, "loss.svg"), svgString(lossChart(history)));
  await saveModel(model, join(dir, "model"));
  await writeJsonAtomic(join(dir, "metrics.json"), metrics);
  await Deno.remove(checkpointOf(dir), { recursive: true }).catch(() => {});
  return { metrics, output };
}

async function runLocked(
  config: ExperimentConfig,
  options: RunOptions & { name: string },
): Promise<RunOutcome> {
  const { name, out = "outputs", resume = false, callbacks = [], signal, log = logLine } = options;
  const dir = runDir(name, out);
  const existing = await runStatus(dir);
  config = await startingConfig(config, options, dir, existing);

  // Refused before the old run is removed or a folder made.
  const backend = await selectBackend(config.backend, { log, threads: options.threads });
  const data = await prepareData(config);
  const { dataset } = data;
  const validated = dataset.validation?.count ?? "the test images as";
  log(
    `data: ${dataset.source}: ${dataset.train.count} train, ${validated} validation, ` +
      `${dataset.test.count} test images`,
  );
  if (!resume && existing !== "missing") await Deno.remove(dir, { recursive: true });

  const model = buildModel(config, dataset.train.height);
  try {
    await ensureFolder(dir);
    if (!resume) await writeJsonAtomic(join(dir, "config.json"), savedConfig(config));
    appendProgress({ kind: "run", name });
    log(`run: ${name}`); // the name, not the folder: no page names a path of this machine
    const { history, status } = await trainDenoiser(model, {
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
      checkpointDir: checkpointOf(dir),
      signal,
    });
    if (status === "interrupted") {
      return { status: "interrupted", name, dir, epochsDone: history.length };
    }
    const { metrics, output } = await finishRun(dir, config, data, model, history, backend);
    return { status: "completed", name, dir, config, history, metrics, testOutput: output };
  } catch (e) {
    if (!isDiskFull(e)) throw e;
    const path = e instanceof DiskFullError ? e.path : dir;
    const next = await exists(checkpointOf(dir))
      ? `continue with --resume ${name}`
      : `start it again with --force`;
    throw new InputError(`disk full while writing ${path}; free space and ${next}`, { cause: e });
  } finally {
    model.dispose();
  }
}

/** The complete run for `config`: read back without a lock, else trained or resumed. */
export async function ensureRun(config: ExperimentConfig, options: RunOptions = {}): Promise<Run> {
  const { out = "outputs", signal, log = logLine } = options;
  const name = options.name ?? defaultRunName(config);
  const dir = runDir(name, out);
  const reuse = async () => {
    await refuseOtherRun(dir, name, out, config);
    log(`using the trained run "${name}" (delete its folder to retrain)`);
    return await readRun(name, out);
  };
  // A complete run is never written again (only --force replaces it): readers take no lock.
  if (await runStatus(dir) === "complete") return await reuse();
  using _lock = await waitWhileLocked(() => lockRun(name, out), { signal, log });
  const status = await runStatus(dir);
  if (status === "complete") return await reuse();
  if (await exists(join(dir, "config.json"))) await refuseOtherRun(dir, name, out, config);
  const resume = status === "incomplete" && await exists(checkpointOf(dir));
  if (resume) log(`run "${name}" is incomplete; resuming it`);
  else if (status === "incomplete") {
    log(`run "${name}" stopped before its first checkpoint; starting it again`);
  }
  // In a notebook, the kernel's interrupt stops training at a checkpoint, not the kernel.
  const outcome = await withKernelInterrupt(
    signal,
    (signal) => runLocked(config, { ...options, signal, name, resume, force: true }),
  );
  if (outcome.status !== "completed") {
    throw new InputError(
      `run "${name}" was interrupted after ${outcome.epochsDone} epochs; run it again ` +
        `to continue from its last checkpoint`,
    );
  }
  return outcome;
}

/** Throws InputError naming every difference when run `name` holds other settings. */
async function refuseOtherRun(dir: string, name: string, out: string, config: ExperimentConfig) {
  const diffs = identityDifferences(await readSaved(dir, name), { ...config });
  if (diffs.length > 0) {
    throw new InputError(
      `run "${name}" in ${join(out, "runs")} holds other settings: ${diffs.join(", ")}; ` +
        `delete that folder or choose another name`,
    );
  }
}

/**
 * Runs `body` with `signal`, else in the Jupyter kernel with one fired by SIGINT (which by
 * default kills the Deno kernel, denoland/deno#24491), so training stops at a checkpoint.
 */
export async function withKernelInterrupt<T>(
  signal: AbortSignal | undefined,
  body: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (signal || !jupyter()) return await body(signal);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await body(controller.signal);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
