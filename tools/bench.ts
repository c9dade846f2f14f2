/**
 * `deno task bench`: training and inference throughput of the report's autoencoder per
 * backend, batch size and thread count, one subprocess (and peak memory) per row; one JSON
 * line per row, each wasm row's step profile on stderr. See `--help`.
 *
 * ```sh
 * deno run -A tools/bench.ts --backend auto,cpu --batches 20 --native
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, selectBackend } from "../lib/train/backend.ts";
import { BACKEND_CHOICES, parseNumber } from "../lib/runs/config.ts";
import { InputError } from "../lib/errors.ts";
import { buildAutoencoder } from "../lib/model/autoencoder.ts";
import { createRng } from "../lib/data/random.ts";
import { trainBatch } from "../lib/train/train_step.ts";
import { runMain } from "./_main.ts";
import { defaultOf, helpText, perCoreSetting, readSettings } from "./_flags.ts";
import { FLAGS } from "./_flag_table.ts";
import { opLines, type OpProfile, profileStep, significant } from "./_bench_profile.ts";
import { measureNative } from "./_bench_native.ts";

const DATA_BATCHES = 4;
const CPU_WARMUP_IMAGES = 8;
/** Timed `model.predict` batches; cpu, at seconds a batch, times 1 training and 2 predicts. */
const PREDICT_BATCHES = 32;
const CPU_BATCHES = { train: 1, predict: 2 };

/** Options of one benchmark run; the defaults are the flag table's (tools/_flag_table.ts). */
export interface BenchOptions {
  backends: BackendName[];
  /** Timed training batches on backends other than cpu. */
  batches: number;
  seed: number;
  /** Images per batch, one row each. */
  batchSizes: number[];
  /** Threads of the "all threads" rows (rows also run at 1). */
  threads: number;
  /** Also run the same model in PyTorch. */
  native: boolean;
}

/** One row's measurements; throughputs in images per second. */
export interface BenchResult {
  /** The backend requested. */
  backend: string;
  /** The backend that ran. */
  active: string;
  threads: number;
  batch_size: number;
  /** Forward, backward and Adam update. */
  train_images_per_second: number;
  predict_images_per_second: number;
  peak_rss_mb: number | null;
  /** CPU ms of the main thread per training step (Linux; else null). */
  main_cpu_ms_per_step?: number | null;
  /** Not on cpu: a step's kernel time by tfjs kernel, and its ms. */
  ops?: OpProfile[];
  step_ms?: number;
}

/** The `--help` text (flags from tools/_flags.ts). */
export function benchHelp(): string {
  return helpText(
    "bench",
    "Usage: deno task bench [flags]",
    "",
    "Trains the report's autoencoder on random 28×28 images and times training and",
    "model.predict for each backend, batch size and thread count (wasm at 1 thread and at",
    "--threads), one subprocess per row. Prints one JSON line per row; throughputs are",
    "medians over the timed batches: --batches training batches after a warm-up step and",
    `${PREDICT_BATCHES} of model.predict (cpu: ${CPU_BATCHES.train} and ${CPU_BATCHES.predict}).`,
  );
}

/** Parses `args`; throws {@linkcode InputError}. */
export function parseBenchArgs(
  args: string[],
  env?: Record<string, string | undefined>,
): BenchOptions {
  const settings = readSettings("bench", args, env);
  const v = settings.values;
  const given = (key: string) =>
    String(v[key] ?? defaultOf(FLAGS.find((f) => f.key === key)!, "bench"));
  const backends = given("backend").split(",").map((b) => b.trim());
  const bad = backends.find((b) => !(BACKEND_CHOICES as readonly string[]).includes(b));
  if (bad !== undefined) {
    throw new InputError(
      `backend must be a comma-separated list of ${BACKEND_CHOICES.join(", ")}; got "${bad}"`,
    );
  }
  const label = settings.labels.batchSizes ?? "batch-sizes";
  const range = { min: 1, max: 100_000, integer: true };
  return {
    batches: Number(given("batches")),
    backends: backends as BackendName[],
    seed: Number(given("seed")),
    batchSizes: given("batchSizes").split(",").map((b) => parseNumber(label, b.trim(), range)),
    threads: perCoreSetting(settings, "threads"),
    native: v.native === true,
  };
}

/** `count` random batches `[batch, 28, 28, 1]`: clean targets in [0, 1] and noisy inputs. */
function randomBatches(count: number, batch: number, seed: number) {
  const rng = createRng(seed);
  const shape: [number, number, number, number] = [batch, 28, 28, 1];
  return Array.from({ length: count }, () => {
    const clean = Float32Array.from({ length: batch * 28 * 28 }, () => rng.next());
    const noisy = clean.map((c) => Math.min(1, Math.max(0, c + 0.5 * rng.normal())));
    return { input: tf.tensor4d(noisy, shape), target: tf.tensor4d(clean, shape) };
  });
}

/** The number `pattern` captures in the /proc file `path`, or null. */
function procNumber(path: string, pattern: RegExp): number | null {
  try {
    const n = Number(pattern.exec(Deno.readTextFileSync(path))?.[1]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** Measures one row (backend, `batchSizes[0]`, `threads`) in this process. */
async function measureBackend(name: BackendName, options: BenchOptions): Promise<BenchResult> {
  const active = await selectBackend(name, { threads: options.threads });
  const batch = options.batchSizes[0];
  const isCpu = active === "cpu";
  const batches = isCpu ? CPU_BATCHES.train : options.batches;
  const predictBatches = isCpu ? CPU_BATCHES.predict : PREDICT_BATCHES;
  const { autoencoder } = buildAutoencoder({ seed: options.seed });
  const optimizer = tf.train.adam(1e-3);
  const data = randomBatches(DATA_BATCHES, batch, options.seed + 1);
  const cpuMs = () => procNumber("/proc/thread-self/schedstat", /^(\d+)/);
  try {
    // Warm-up: heap growth and JIT on wasm; on cpu, tfjs's first-use costs (a few images).
    const warmup = isCpu ? Math.min(CPU_WARMUP_IMAGES, batch) : batch;
    const [input, target] = [data[0].input, data[0].target].map((t) => t.slice(0, warmup));
    trainBatch(autoencoder, optimizer, input, target);
    tf.dispose([input, target]);
    const cpu0 = cpuMs();
    const trainSeconds = medianSeconds(batches, (b) => {
      const { input, target } = data[b % data.length];
      const loss = trainBatch(autoencoder, optimizer, input, target);
      if (!Number.isFinite(loss)) throw new Error(`training diverged on ${active}: loss ${loss}`);
    });
    const cpu1 = cpuMs();
    const predict = (b: number) => {
      const x = data[b % data.length].input;
      tf.tidy(() => void (autoencoder.predict(x, { batchSize: batch }) as tf.Tensor).dataSync());
    };
    predict(0);
    const predictSeconds = medianSeconds(predictBatches, predict);
    const profile = isCpu
      ? {}
      : await profileStep(autoencoder, optimizer, data[0].input, data[0].target);
    const rssKb = procNumber("/proc/self/status", /^VmHWM:\s+(\d+)\s+kB/m);
    return {
      backend: name,
      active,
      threads: active === "wasm" ? options.threads : 1,
      batch_size: batch,
      train_images_per_second: significant(batch / trainSeconds),
      predict_images_per_second: significant(batch / predictSeconds),
      peak_rss_mb: rssKb === null ? null : Math.round(rssKb / 102.4) / 10,
      // schedstat counts nanoseconds.
      main_cpu_ms_per_step: cpu0 === null || cpu1 === null
        ? null
        : significant((cpu1 - cpu0) / 1e6 / batches),
      ...profile,
    };
  } finally {
    for (const { input, target } of data) tf.dispose([input, target]);
    optimizer.dispose();
    autoencoder.dispose(); // also disposes the nested encoder and decoder
  }
}

/** The median seconds of `f(0)` … `f(count - 1)`, which another process's burst moves less. */
function medianSeconds(count: number, f: (i: number) => void): number {
  const seconds = Array.from({ length: count }, (_, i) => {
    const start = performance.now();
    f(i);
    return (performance.now() - start) / 1000;
  }).sort((a, b) => a - b);
  const mid = count >> 1;
  return count % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
}

/** Runs one row in a subprocess (`--child ROW_JSON`); exits 2 when it did. */
async function measureInSubprocess(
  name: BackendName,
  batch: number,
  threads: number,
  o: BenchOptions,
): Promise<BenchResult> {
  const row = JSON.stringify({ ...o, backends: [name], batchSizes: [batch], threads });
  const config = new URL("../deno.json", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, new URL(import.meta.url).pathname, "--child", row],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  // Bad input: the child printed its one line. Any other failure is a bug, with a stack trace.
  if (output.code === 2) Deno.exit(2);
  if (!output.success) throw new Error(`benchmark ${row} failed (exit ${output.code})`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
}

/** With PyTorch's rows: each row's throughput ratios to PyTorch's best of its batch size. */
export function withTorchRatios(results: BenchResult[], native: BenchResult[]) {
  const ratio = (r: BenchResult, key: "train_images_per_second" | "predict_images_per_second") => {
    const values = native.filter((o) => o.batch_size === r.batch_size).map((o) => o[key]);
    return values.length ? significant(r[key] / Math.max(...values)) : null;
  };
  return [...results, ...native].map((r) => ({
    ...r,
    ...(native.length > 0 && {
      train_vs_pytorch: ratio(r, "train_images_per_second"),
      predict_vs_pytorch: ratio(r, "predict_images_per_second"),
    }),
  }));
}

async function main(args: string[]): Promise<number> {
  if (args[0] === "--child") {
    const row: BenchOptions = JSON.parse(args[1]);
    console.log(JSON.stringify(await measureBackend(row.backends[0], row)));
    return 0;
  }
  const options = parseBenchArgs(args);
  const threadCounts = [...new Set([1, options.threads])];
  const largest = Math.max(...options.batchSizes);
  const results: BenchResult[] = [];
  // Each backend × batch size × thread count; cpu at the largest batch and 1 thread only.
  for (const name of options.backends) {
    const cpu = name === "cpu";
    for (const batch of cpu ? [largest] : options.batchSizes) {
      for (const threads of cpu ? [1] : threadCounts) {
        results.push(await measureInSubprocess(name, batch, threads, options));
      }
    }
  }
  const native = options.native
    ? await measureNative(options)
    : { anchor: [], other: [], lines: [] };
  for (const line of native.lines) console.error(line);
  for (const r of results) for (const line of opLines(r)) console.error(line);
  for (const row of [...withTorchRatios(results, native.anchor), ...native.other]) {
    console.log(JSON.stringify(row));
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args), benchHelp);
