/**
 * Intra-op parallelism for the project's wasm kernels: `threads − 1` Workers
 * ({@linkcode ./kernel_worker.ts}) instantiate the same kernels on tfjs-backend-wasm's
 * heap, which {@linkcode ./shared_heap.ts} makes a shared `WebAssembly.Memory`. A kernel
 * call is split by images: the main thread runs the first share while each Worker runs
 * a recorded list of calls on its share, then the main thread waits for them. A thread
 * that sees the other running polls for a few tens of µs (`SPIN_MS` in
 * {@linkcode ./kernel_pool_protocol.ts}) before it sleeps in `Atomics.wait`, so an idle
 * Worker never holds a core for long.
 *
 * Workers are started by {@linkcode startKernelThreads} (the backend selection calls it)
 * and are `unref`ed, so they never keep the process alive.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { type KernelOptions, kernelOptions, setKernelOptions } from "./kernel_options.ts";
import {
  CTRL,
  CTRL_INTS,
  Poller,
  POOL_FUNCTIONS,
  type PoolFunction,
} from "./kernel_pool_protocol.ts";

/** Int32s a {@linkcode CallRecorder} may hold for one job. */
export const MAX_JOB_INTS: number = CTRL_INTS - CTRL.calls;

/** Records kernel calls for a Worker; same argument order as {@linkcode ./simd.ts}. */
export class CallRecorder {
  /** The encoded calls: function index, argument count, arguments. */
  readonly ints: number[] = [];

  /** Appends one call of `name` with `args`. */
  call(name: PoolFunction, ...args: number[]): void {
    this.ints.push(POOL_FUNCTIONS.indexOf(name), args.length, ...args);
  }
}

interface PoolWorker {
  worker: Worker;
  ctrl: Int32Array;
  /** Polls for this Worker to finish. */
  poller: Poller;
}

/** Running Workers and the memory they work on. */
let pool: { memory: WebAssembly.Memory; workers: PoolWorker[] } | undefined;

/**
 * Sets the kernel options and starts Workers until `threads` threads can share the
 * kernels on `memory` (Workers on another memory are stopped first; surplus ones are
 * kept, idle, since a blocked Worker costs nothing). Without a shared memory no Worker
 * runs. Resolves when every Worker is ready.
 *
 * @throws {InputError} when `options.threads` is not a whole number ≥ 1.
 */
export async function startKernelThreads(
  memory: WebAssembly.Memory,
  options: Partial<KernelOptions> = {},
): Promise<void> {
  setKernelOptions(options);
  const wanted = memory.buffer instanceof SharedArrayBuffer ? kernelOptions().threads - 1 : 0;
  if (pool !== undefined && pool.memory !== memory) stopKernelThreads();
  // Idle Workers block in Atomics.wait and cost nothing, so fewer threads keep them.
  const running = pool?.workers ?? [];
  if (running.length >= wanted) return;
  const more = await Promise.all(
    Array.from({ length: wanted - running.length }, () => startWorker(memory)),
  );
  pool = { memory, workers: [...running, ...more] };
}

/** Terminates the Workers, if any; kernels then run on the main thread alone. */
export function stopKernelThreads(): void {
  for (const { worker } of pool?.workers ?? []) worker.terminate();
  pool = undefined;
}

async function startWorker(memory: WebAssembly.Memory): Promise<PoolWorker> {
  const worker = new Worker(new URL("./kernel_worker.ts", import.meta.url));
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.postMessage({ memory, control: ctrl.buffer });
  });
  worker.unref();
  return { worker, ctrl, poller: new Poller() };
}

/**
 * Threads sharing kernel calls on `memory` right now: the `threads` option, capped at
 * 1 + the running Workers (1 when they run on another memory).
 */
export function kernelThreads(memory: WebAssembly.Memory): number {
  const running = pool !== undefined && pool.memory === memory ? pool.workers.length : 0;
  return Math.min(kernelOptions().threads, running + 1);
}

/**
 * Runs `jobs[i]` on Worker `i` while `main` runs on this thread, and returns when all are
 * done. `jobs.length` must not exceed {@linkcode kernelThreads} − 1.
 *
 * @throws {Error} when a Worker's calls trapped.
 */
export function runOnThreads(jobs: CallRecorder[], main: () => void): void {
  const workers = pool?.workers ?? [];
  if (jobs.length > workers.length) throw new Error("more jobs than kernel Workers");
  const fma = kernelOptions().fma ? 1 : 0;
  if (jobs.some((job) => job.ints.length > MAX_JOB_INTS)) throw new Error("kernel job too long");
  const started = jobs.map((job, i) => {
    const { ctrl } = workers[i];
    ctrl.set(job.ints, CTRL.calls);
    ctrl[CTRL.length] = job.ints.length;
    ctrl[CTRL.fma] = fma;
    Atomics.store(ctrl, CTRL.mainAwake, 1);
    const seq = ctrl[CTRL.seq] + 1;
    Atomics.store(ctrl, CTRL.seq, seq);
    Atomics.notify(ctrl, CTRL.seq);
    return seq;
  });
  let mainError: unknown;
  try {
    main();
  } catch (error) {
    mainError = error;
  }
  let failed = false;
  for (const [i, seq] of started.entries()) {
    const { ctrl, poller } = workers[i];
    for (
      let done = Atomics.load(ctrl, CTRL.done);
      done !== seq;
      done = Atomics.load(ctrl, CTRL.done)
    ) {
      // Poll only for a Worker running now; else sleep at once, handing it this core.
      const running = Atomics.load(ctrl, CTRL.started) === seq;
      if (running && poller.poll(ctrl, CTRL.done, done)) continue;
      Atomics.store(ctrl, CTRL.mainAwake, 0);
      Atomics.wait(ctrl, CTRL.done, done);
      Atomics.store(ctrl, CTRL.mainAwake, 1);
    }
    failed ||= ctrl[CTRL.failed] === 1;
  }
  if (mainError !== undefined) throw mainError;
  if (failed) throw new Error("a kernel Worker failed");
}
