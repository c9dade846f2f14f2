/**
 * Training and inference throughput of the report's autoencoder per backend.
 *
 * Each backend runs in its own subprocess, so that its peak resident memory (VmHWM) is
 * its own and backends cannot disturb each other. Throughputs are medians of per-batch
 * timings (128 images a batch), after a warm-up step. Prints one JSON line per backend:
 * `{"backend", "active", "train_images_per_second", "predict_images_per_second",
 * "peak_rss_mb", "train_vs_cpu", "predict_vs_cpu"}` (ratios are null without a cpu run).
 *
 * ```sh
 * deno run -A lib/cli/bench.ts --backend auto,cpu --batches 20
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES, type BackendName, selectBackend } from "../backend.ts";
import { InputError } from "../errors.ts";
import { buildAutoencoder } from "../model.ts";
import { createRng } from "../random.ts";
import { trainBatch } from "../train_step.ts";
import { runMain } from "./_main.ts";
import { defaultOf, flagBoolean, FLAGS, helpText, readSettings } from "./_flags.ts";

/** Images per training batch: large enough that per-batch overhead does not dominate. */
const BATCH_SIZE = 128;
/** Distinct random batches cycled through while timing. */
const DATA_BATCHES = 4;
/** Images in the warm-up step on cpu. */
const CPU_WARMUP_IMAGES = 8;

/** Options of one benchmark run. */
export interface BenchOptions {
  /** Backends to measure, in order. @default ["auto", "cpu"] */
  backends: BackendName[];
  /** Timed training batches on backends other than cpu. @default 20 */
  batches: number;
  /** Timed training batches on cpu, which takes seconds per batch. @default 1 */
  cpuBatches: number;
  /** Timed `model.predict` batches of 128 on backends other than cpu. @default 32 */
  predictBatches: number;
  /** Timed `model.predict` batches of 128 on cpu. @default 2 */
  cpuPredictBatches: number;
  /** Seed of weights and data. @default 0 */
  seed: number;
}

/** One backend's measurements. */
export interface BenchResult {
  /** The backend requested. */
  backend: string;
  /** The backend that ran. */
  active: string;
  /** Training throughput (forward, backward and Adam update). */
  train_images_per_second: number;
  /** Inference throughput of `model.predict`. */
  predict_images_per_second: number;
  /** Peak resident memory of the process measuring this backend, or null if unknown. */
  peak_rss_mb: number | null;
}

/** The `--help` text (flags from lib/cli/_flags.ts). */
export function benchHelp(): string {
  return helpText(
    "bench",
    [
      "Usage: deno task bench [flags]",
      "",
      `Trains the report's autoencoder (batches of ${BATCH_SIZE} random 28×28 images) and times`,
      "training and model.predict on each backend, one subprocess per backend. Prints one JSON",
      "line per backend; throughputs are medians over the timed batches.",
    ].join("\n"),
  );
}

/**
 * Parses `args` into options with the flag table; `child` is set for the internal
 * per-backend mode. Bad input throws {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { parseBenchArgs } from "./bench.ts";
 * assertEquals(parseBenchArgs(["--backend", "cpu", "--batches", "2"]).options.batches, 2);
 * ```
 */
export function parseBenchArgs(args: string[]): { options: BenchOptions; child: boolean } {
  const settings = readSettings("bench", args);
  const v = settings.values;
  const spec = (key: string) => FLAGS.find((f) => f.key === key && f.commands.includes("bench"))!;
  const count = (key: string) => (v[key] ?? defaultOf(spec(key), "bench")) as number;
  const list = String(v.backend ?? defaultOf(spec("backend"), "bench"));
  const backends = list.split(",").map((b) => b.trim());
  const bad = backends.find((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
  if (bad !== undefined) {
    throw new InputError(
      `backend must be a comma-separated list of ${BACKEND_NAMES.join(", ")}; got "${bad}"`,
    );
  }
  return {
    options: {
      backends: backends as BackendName[],
      batches: count("batches"),
      cpuBatches: count("cpuBatches"),
      predictBatches: count("predictBatches"),
      cpuPredictBatches: count("cpuPredictBatches"),
      seed: count("seed"),
    },
    child: flagBoolean(settings, "child"),
  };
}

/** `count` random batches `[128, 28, 28, 1]`: clean targets in [0, 1] and noisy inputs. */
function randomBatches(count: number, seed: number): { input: tf.Tensor; target: tf.Tensor }[] {
  const rng = createRng(seed);
  const size = BATCH_SIZE * 28 * 28;
  return Array.from({ length: count }, () => {
    const clean = new Float32Array(size);
    const noisy = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      clean[i] = rng.next();
      noisy[i] = Math.min(1, Math.max(0, clean[i] + 0.5 * rng.normal()));
    }
    return {
      input: tf.tensor4d(noisy, [BATCH_SIZE, 28, 28, 1]),
      target: tf.tensor4d(clean, [BATCH_SIZE, 28, 28, 1]),
    };
  });
}

/** Peak resident set size of this process in MiB (Linux), else null. */
function peakRssMb(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Measures one backend in this process. */
export async function measureBackend(
  name: BackendName,
  options: BenchOptions,
): Promise<BenchResult> {
  const active = await selectBackend(name);
  const isCpu = active === "cpu";
  const batches = isCpu ? options.cpuBatches : options.batches;
  const predictBatches = isCpu ? options.cpuPredictBatches : options.predictBatches;
  const { autoencoder } = buildAutoencoder({ seed: options.seed });
  const optimizer = tf.train.adam(1e-3);
  const data = randomBatches(
    Math.min(DATA_BATCHES, Math.max(batches, predictBatches)),
    options.seed + 1,
  );
  try {
    // Warm-up: heap growth and JIT on wasm. On cpu there is nothing to warm but tfjs's
    // first-use costs, so a few images suffice and the run stays short.
    const warmup = isCpu ? CPU_WARMUP_IMAGES : BATCH_SIZE;
    tf.tidy(() =>
      trainBatch(
        autoencoder,
        optimizer,
        data[0].input.slice(0, warmup),
        data[0].target.slice(0, warmup),
      )
    );
    const trainSeconds = timeEach(batches, (b) => {
      const { input, target } = data[b % data.length];
      const loss = trainBatch(autoencoder, optimizer, input, target);
      if (!Number.isFinite(loss)) throw new Error(`training diverged on ${active}: loss ${loss}`);
    });
    const predict = (b: number) => {
      const output = autoencoder.predict(data[b % data.length].input, {
        batchSize: BATCH_SIZE,
      }) as tf.Tensor;
      output.dataSync();
      output.dispose();
    };
    predict(0);
    const predictSeconds = timeEach(predictBatches, predict);
    return {
      backend: name,
      active,
      train_images_per_second: significant(BATCH_SIZE / median(trainSeconds)),
      predict_images_per_second: significant(BATCH_SIZE / median(predictSeconds)),
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    for (const { input, target } of data) tf.dispose([input, target]);
    optimizer.dispose();
    autoencoder.dispose(); // also disposes the nested encoder and decoder
  }
}

/** Seconds taken by each of `count` calls of `f(i)`. */
function timeEach(count: number, f: (i: number) => void): number[] {
  return Array.from({ length: count }, (_, i) => {
    const start = performance.now();
    f(i);
    return (performance.now() - start) / 1000;
  });
}

/**
 * The median: throughputs are per-batch medians, so that a burst of work by another
 * process on the machine moves them less than it would move a mean.
 */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `x` to 4 significant digits: enough for a throughput, and the cpu's stays visible. */
function significant(x: number): number {
  return Number(x.toPrecision(4));
}

/** Runs `name` in a subprocess (`--child`) and parses its JSON line. */
async function measureInSubprocess(name: BackendName, args: string[]): Promise<BenchResult> {
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const script = new URL(import.meta.url).pathname;
  const childArgs = [
    "run",
    "-A",
    "--config",
    config,
    script,
    ...args,
    "--backend",
    name,
    "--child",
  ];
  const output = await new Deno.Command(Deno.execPath(), {
    args: childArgs,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  if (!output.success) throw new Error(`benchmark of ${name} failed (exit ${output.code})`);
  return JSON.parse(line) as BenchResult;
}

/** Adds each result's throughput relative to the cpu result, when there is one. */
export function withCpuRatios(
  results: BenchResult[],
): (BenchResult & { train_vs_cpu: number | null; predict_vs_cpu: number | null })[] {
  const cpu = results.find((r) => r.active === "cpu");
  return results.map((r) => ({
    ...r,
    train_vs_cpu: cpu ? significant(r.train_images_per_second / cpu.train_images_per_second) : null,
    predict_vs_cpu: cpu
      ? significant(r.predict_images_per_second / cpu.predict_images_per_second)
      : null,
  }));
}

async function main(args: string[]): Promise<number> {
  if (args.includes("-h")) args = ["--help"];
  const parsed = parseBenchArgs(args);
  if (args.includes("--help")) {
    console.log(benchHelp());
    return 0;
  }
  const { options, child } = parsed;
  if (child) {
    console.log(JSON.stringify(await measureBackend(options.backends[0], options)));
    return 0;
  }
  const passOn = args.filter((a, i) => a !== "--backend" && args[i - 1] !== "--backend")
    .filter((a) => !a.startsWith("--backend="));
  const results: BenchResult[] = [];
  for (const name of options.backends) {
    try {
      results.push(await measureInSubprocess(name, passOn));
    } catch (error) {
      console.error(`error: ${(error as Error).message}`);
      return 1;
    }
  }
  for (const result of withCpuRatios(results)) console.log(JSON.stringify(result));
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
