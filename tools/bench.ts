/**
 * Training and inference throughput of the report's autoencoder per backend.
 *
 * Each row (backend × batch size × thread count) runs in its own subprocess, so that its
 * peak resident memory (VmHWM) is its own and rows cannot disturb each other.
 * Throughputs are medians of per-batch timings, after a warm-up step. The wasm backend
 * is measured at 1 thread and at `--threads` (default: every core); cpu at 1 thread and
 * the largest batch size only (it takes minutes a batch). Prints
 * one JSON line per row: `{"backend", "active", "threads", "batch_size",
 * "train_images_per_second", "predict_images_per_second", "peak_rss_mb",
 * "train_vs_cpu", "predict_vs_cpu"}` (ratios against the cpu row of the same batch
 * size; null without one). With `--native`, the same model in PyTorch
 * (`tools/bench_native.py`, with the newest PyTorch among {@linkcode PYTHONS}, or
 * `--python`) adds rows with `"backend": "pytorch"` naming its version, BLAS and threads,
 * and every row gains `train_vs_pytorch` / `predict_vs_pytorch`: ratios against
 * PyTorch's best thread count at the same batch size. Against netlib's reference BLAS
 * (Debian's python3-torch without OpenBLAS) no ratio is printed, only a line saying how to
 * install OpenBLAS.
 *
 * ```sh
 * deno run -A tools/bench.ts --backend auto,cpu --batches 20 --native
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES, type BackendName, selectBackend } from "../lib/train/backend.ts";
import { parseNumber } from "../lib/runs/config.ts";
import { InputError } from "../lib/errors.ts";
import { buildAutoencoder } from "../lib/model/autoencoder.ts";
import { createRng } from "../lib/data/random.ts";
import { trainBatch } from "../lib/train/train_step.ts";
import { runMain } from "./_main.ts";
import { defaultOf, flagBoolean, helpText, readSettings, threadsSetting } from "./_flags.ts";
import { FLAGS } from "../lib/flag_table.ts";
import { opLines, type OpProfile, profileStep, wakeMicroseconds } from "./_bench_profile.ts";
import { measureNative, nativeAnchor, PYTHONS } from "./_bench_native.ts";

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
  /** Images per batch, one row each. @default [32, 128] */
  batchSizes: number[];
  /** Threads of the "all threads" rows (rows also run at 1). @default every core */
  threads: number;
  /** Also run the same model in PyTorch. @default false */
  native: boolean;
  /** The interpreter of `native`. @default the one with the newest PyTorch in PYTHONS */
  python?: string;
}

/** One backend's measurements. */
export interface BenchResult {
  /** The backend requested. */
  backend: string;
  /** The backend that ran. */
  active: string;
  /** Kernel threads (1 for cpu and for PyTorch's 1-thread row). */
  threads: number;
  /** Images per training and prediction batch. */
  batch_size: number;
  /** Training throughput (forward, backward and Adam update). */
  train_images_per_second: number;
  /** Inference throughput of `model.predict`. */
  predict_images_per_second: number;
  /** Peak resident memory of the process measuring this backend, or null if unknown. */
  peak_rss_mb: number | null;
  /**
   * CPU milliseconds the main thread spent per training step (Linux; else null): the
   * step's critical path, which other processes on the machine hardly move; with several
   * kernel threads, 1-thread CPU over this is the speed-up a quiet machine allows.
   */
  main_cpu_ms_per_step?: number | null;
  /** A training step's kernel time split by tfjs kernel, slowest first (not on cpu). */
  ops?: OpProfile[];
  /** Median µs to wake a kernel Worker and see its empty job done; null without one. */
  wake_us?: number | null;
}

/** The `--help` text (flags from tools/_flags.ts). */
export function benchHelp(): string {
  return helpText(
    "bench",
    [
      "Usage: deno task bench [flags]",
      "",
      "Trains the report's autoencoder on random 28×28 images and times training and",
      "model.predict for each backend, batch size and thread count (wasm at 1 thread and at",
      "--threads), one subprocess per row. Prints one JSON line per row; throughputs are",
      "medians over the timed batches.",
    ].join("\n"),
  );
}

/**
 * Parses `args` into options with the flag table; `child` is set for the internal
 * per-row mode. Bad input throws {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { parseBenchArgs } from "./bench.ts";
 * assertEquals(parseBenchArgs(["--backend", "cpu", "--batches", "2"]).options.batches, 2);
 * ```
 */
export function parseBenchArgs(
  args: string[],
  env: Record<string, string | undefined> = Deno.env.toObject(),
): { options: BenchOptions; child: boolean } {
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
  const sizes = String(v.batchSizes ?? defaultOf(spec("batchSizes"), "bench"));
  const batchSizes = sizes.split(",").map((b) =>
    parseNumber(settings.labels.batchSizes ?? "batch-sizes", b.trim(), {
      min: 1,
      max: 100_000,
      integer: true,
    })
  );
  return {
    options: {
      backends: backends as BackendName[],
      batches: count("batches"),
      cpuBatches: count("cpuBatches"),
      predictBatches: count("predictBatches"),
      cpuPredictBatches: count("cpuPredictBatches"),
      seed: count("seed"),
      batchSizes,
      threads: threadsSetting(settings, env),
      native: flagBoolean(settings, "native"),
      ...(v.python !== undefined && { python: String(v.python) }),
    },
    child: flagBoolean(settings, "child"),
  };
}

/** `count` random batches `[batch, 28, 28, 1]`: clean targets in [0, 1] and noisy inputs. */
function randomBatches(
  count: number,
  batch: number,
  seed: number,
): { input: tf.Tensor; target: tf.Tensor }[] {
  const rng = createRng(seed);
  const size = batch * 28 * 28;
  return Array.from({ length: count }, () => {
    const clean = new Float32Array(size);
    const noisy = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      clean[i] = rng.next();
      noisy[i] = Math.min(1, Math.max(0, clean[i] + 0.5 * rng.normal()));
    }
    return {
      input: tf.tensor4d(noisy, [batch, 28, 28, 1]),
      target: tf.tensor4d(clean, [batch, 28, 28, 1]),
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

/** Measures one row (backend, `batchSizes[0]`, `threads`) in this process. */
export async function measureBackend(
  name: BackendName,
  options: BenchOptions,
): Promise<BenchResult> {
  const active = await selectBackend(name, { threads: options.threads });
  const batch = options.batchSizes[0];
  const isCpu = active === "cpu";
  const batches = isCpu ? options.cpuBatches : options.batches;
  const predictBatches = isCpu ? options.cpuPredictBatches : options.predictBatches;
  const { autoencoder } = buildAutoencoder({ seed: options.seed });
  const optimizer = tf.train.adam(1e-3);
  const data = randomBatches(
    Math.min(DATA_BATCHES, Math.max(batches, predictBatches)),
    batch,
    options.seed + 1,
  );
  try {
    // Warm-up: heap growth and JIT on wasm. On cpu there is nothing to warm but tfjs's
    // first-use costs, so a few images suffice and the run stays short.
    const warmup = isCpu ? Math.min(CPU_WARMUP_IMAGES, batch) : batch;
    tf.tidy(() =>
      trainBatch(
        autoencoder,
        optimizer,
        data[0].input.slice(0, warmup),
        data[0].target.slice(0, warmup),
      )
    );
    const cpu0 = mainThreadCpuMs();
    const trainSeconds = timeEach(batches, (b) => {
      const { input, target } = data[b % data.length];
      const loss = trainBatch(autoencoder, optimizer, input, target);
      if (!Number.isFinite(loss)) throw new Error(`training diverged on ${active}: loss ${loss}`);
    });
    const cpu1 = mainThreadCpuMs();
    const predict = (b: number) => {
      const output = autoencoder.predict(data[b % data.length].input, {
        batchSize: batch,
      }) as tf.Tensor;
      output.dataSync();
      output.dispose();
    };
    predict(0);
    const predictSeconds = timeEach(predictBatches, predict);
    const memory = (tf.backend() as unknown as { wasm?: { asm: { memory: WebAssembly.Memory } } })
      .wasm?.asm.memory;
    const profile = isCpu ? {} : {
      ops: await profileStep(autoencoder, optimizer, data[0].input, data[0].target),
      wake_us: memory ? wakeMicroseconds(memory) : null,
    };
    return {
      backend: name,
      active,
      threads: active === "wasm" ? options.threads : 1,
      batch_size: batch,
      train_images_per_second: significant(batch / median(trainSeconds)),
      predict_images_per_second: significant(batch / median(predictSeconds)),
      peak_rss_mb: peakRssMb(),
      main_cpu_ms_per_step: cpu0 === null || cpu1 === null
        ? null
        : significant((cpu1 - cpu0) / batches),
      ...profile,
    };
  } finally {
    for (const { input, target } of data) tf.dispose([input, target]);
    optimizer.dispose();
    autoencoder.dispose(); // also disposes the nested encoder and decoder
  }
}

/** CPU milliseconds this thread has run (`/proc/thread-self/schedstat`), or null. */
function mainThreadCpuMs(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1e6;
  } catch {
    return null;
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

/** The arguments a `--child` needs to measure one row. */
function childArgs(name: BackendName, batch: number, threads: number, o: BenchOptions): string[] {
  return [
    ...["--backend", name, "--batch-sizes", String(batch), "--threads", String(threads)],
    ...["--batches", String(o.batches), "--cpu-batches", String(o.cpuBatches)],
    ...["--predict-batches", String(o.predictBatches)],
    ...["--cpu-predict-batches", String(o.cpuPredictBatches), "--seed", String(o.seed)],
    "--child",
  ];
}

/**
 * Runs one row in a subprocess (`--child`) and parses its JSON line.
 *
 * @throws {InputError} when the child refused its input (exit 2; it printed the line).
 */
async function measureInSubprocess(args: string[]): Promise<BenchResult> {
  const config = new URL("../deno.json", import.meta.url).pathname;
  const script = new URL(import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, script, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  if (output.code === 2) throw new InputError("");
  if (!output.success) throw new Error(`benchmark ${args.join(" ")} failed (exit ${output.code})`);
  return JSON.parse(line) as BenchResult;
}

/**
 * The rows to measure: each backend × batch size × (1 and `threads` threads); cpu, which
 * takes minutes a batch, only at the largest batch size and 1 thread.
 */
function rows(options: BenchOptions): { name: BackendName; batch: number; threads: number }[] {
  const largest = Math.max(...options.batchSizes);
  return options.backends.flatMap((name) =>
    (name === "cpu" ? [largest] : options.batchSizes).flatMap((batch) =>
      (name === "cpu" ? [1] : [...new Set([1, options.threads])]).map((threads) => ({
        name,
        batch,
        threads,
      }))
    )
  );
}

/** A result with its ratios to the cpu row and to PyTorch's best row of its batch size. */
export type BenchRow = BenchResult & {
  train_vs_cpu: number | null;
  predict_vs_cpu: number | null;
  train_vs_pytorch?: number | null;
  predict_vs_pytorch?: number | null;
};

/**
 * Adds each result's throughput relative to the cpu result of the same batch size, and,
 * when `native` rows exist, to PyTorch's best (highest) of that batch size.
 */
export function withCpuRatios(results: BenchResult[], native: BenchResult[] = []): BenchRow[] {
  const ratio = (a: number, b: number | undefined) => b === undefined ? null : significant(a / b);
  const best = (key: "train_images_per_second" | "predict_images_per_second", batch: number) => {
    const values = native.filter((n) => n.batch_size === batch).map((n) => n[key]);
    return values.length ? Math.max(...values) : undefined;
  };
  return [...results, ...native].map((r) => {
    const cpu = results.find((c) => c.active === "cpu" && c.batch_size === r.batch_size);
    const row: BenchRow = {
      ...r,
      train_vs_cpu: ratio(r.train_images_per_second, cpu?.train_images_per_second),
      predict_vs_cpu: ratio(r.predict_images_per_second, cpu?.predict_images_per_second),
    };
    if (native.length > 0) {
      row.train_vs_pytorch = ratio(
        r.train_images_per_second,
        best("train_images_per_second", r.batch_size),
      );
      row.predict_vs_pytorch = ratio(
        r.predict_images_per_second,
        best("predict_images_per_second", r.batch_size),
      );
    }
    return row;
  });
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
  const results: BenchResult[] = [];
  for (const { name, batch, threads } of rows(options)) {
    try {
      results.push(await measureInSubprocess(childArgs(name, batch, threads, options)));
    } catch (error) {
      // The child printed its one line already.
      if (error instanceof InputError) return 2;
      console.error(`error: ${(error as Error).message}`);
      return 1;
    }
  }
  let native: { anchor: BenchResult[]; other: BenchResult[] } = { anchor: [], other: [] };
  if (options.native) {
    const measured = await measureNative(options, options.python ? [options.python] : PYTHONS);
    const checked = nativeAnchor(measured, [...new Set([1, options.threads])]);
    for (const line of checked.lines) console.error(line);
    native = checked;
  }
  for (const r of results) for (const line of opLines(r)) console.error(line);
  for (const row of [...withCpuRatios(results, native.anchor), ...native.other]) {
    console.log(JSON.stringify(row));
  }
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
