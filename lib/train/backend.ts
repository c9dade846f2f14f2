/**
 * Chooses and initialises the TensorFlow.js backend for training and inference.
 *
 * - `wasm`: tfjs-backend-wasm plus the project's kernels (`lib/kernels/`), which add the
 *   missing Conv2DBackpropFilter and replace the slow convolution kernels, so that the
 *   denoisers train at hundreds of images per second on one CPU core. tfjs's heap is
 *   made a shared memory, and the convolutions are split by images between the main
 *   thread and `threads − 1` Workers (option `threads`, default every core; a command's
 *   `KERNEL_FMA=0` forces the multiply-then-add path: see
 *   `lib/kernels/kernel_options.ts`). A fixed thread count gives bit-identical results.
 * - `cpu`: tfjs's plain-JavaScript backend; always works, ~1000× slower to train.
 * - `webgpu`: only on request, where Deno finds a hardware GPU adapter and
 *   `@tensorflow/tfjs-backend-webgpu` is in the import map (it is not by default); otherwise
 *   a one-line {@linkcode InputError}. Its training is unmeasured, so `auto` never picks it.
 * - `auto`: `wasm`, else `cpu`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BACKEND_CHOICES } from "../runs/config.ts";
import { InputError } from "../errors.ts";
import { logLine } from "./log.ts";

/** A backend choice (validated where it is read): a concrete backend, or `auto`. */
export type BackendName = (typeof BACKEND_CHOICES)[number];

/** Options of {@linkcode selectBackend}. */
export interface SelectBackendOptions {
  /** Threads of the wasm kernels; ignored by other backends. @default the kernels' setting */
  threads?: number;
  /** Where `webgpu` looks for an adapter (tests pass a stand-in). @default navigator.gpu */
  gpu?: { requestAdapter(): Promise<unknown> };
  /** Receives one line naming the backend chosen. @default logLine */
  log?: (line: string) => void;
}

/**
 * Makes `name` the active tfjs backend and returns the one actually active (`"wasm"`, `"cpu"`
 * or `"webgpu"`); with `wasm` (and `auto`) it also registers the project's training kernels.
 * Calling it again re-activates the backend without re-initialising anything.
 *
 * @throws {InputError} one line, for `webgpu` without a hardware GPU adapter or its package,
 * or for a bad thread count.
 * @throws {Error} when an explicitly named backend cannot be initialised.
 */
export async function selectBackend(
  name: BackendName = "auto",
  options: SelectBackendOptions = {},
): Promise<string> {
  const log = options.log ?? logLine;
  if (name === "cpu") await useCpu(log);
  else if (name === "webgpu") await useWebGpu(log, options.gpu ?? navigator.gpu);
  else {
    await useWasm(log, options.threads).catch(async (error) => {
      if (name === "wasm" || error instanceof InputError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      log(`backend: wasm unavailable (${reason.split("\n")[0]}); falling back to cpu`);
      await useCpu(log);
    });
  }
  return tf.getBackend();
}

/**
 * Threads the active backend computes with: for wasm, the main thread plus the kernels'
 * running Workers; 1 for every other backend. Recorded in a run's `metrics.json`.
 */
export async function activeThreads(): Promise<number> {
  if (tf.getBackend() !== "wasm") return 1;
  const { kernelThreads } = await import("../kernels/kernel_pool.ts");
  return kernelThreads(wasmMemory());
}

/** The active wasm backend's heap. */
function wasmMemory(): WebAssembly.Memory {
  return (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm
    .memory;
}

/** Activates wasm with the project's kernels on a shared heap and starts their Workers. */
async function useWasm(log: (line: string) => void, threads?: number): Promise<void> {
  // Imported here, not at the top: the import registers the backend with tfjs.
  const wasmBackend = await import("@tensorflow/tfjs-backend-wasm");
  const { sharedHeapBinaryUrl } = await import("../kernels/shared_heap.ts");
  if (tf.findBackend("wasm") === null) {
    const url = sharedHeapBinaryUrl();
    if (url !== undefined) {
      // Deno has no threaded tfjs build; the single-threaded SIMD one, shared heap.
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
      wasmBackend.setWasmPaths({
        "tfjs-backend-wasm.wasm": url,
        "tfjs-backend-wasm-simd.wasm": url,
        "tfjs-backend-wasm-threaded-simd.wasm": url,
      }, true);
    }
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs-backend-wasm failed to initialise");
  const { registerWasmTrainingKernels, startKernelThreads } = await import("../kernels/mod.ts");
  registerWasmTrainingKernels();
  const { kernelOptions, setKernelOptions } = await import("../kernels/kernel_options.ts");
  // Bad input (threads < 1, a malformed THREADS) is an InputError, not a missing feature.
  if (threads !== undefined) setKernelOptions({ threads });
  kernelOptions();
  let note = "";
  try {
    await startKernelThreads(wasmMemory());
  } catch (error) {
    // Workers are an optimisation: without them the kernels run on this thread alone.
    note = `; Workers unavailable: ${String((error as Error)?.message ?? error).split("\n")[0]}`;
  }
  const n = await activeThreads();
  log(`backend: wasm (+ project training kernels, ${n} thread${n === 1 ? "" : "s"}${note})`);
}

/**
 * Activates cpu without tfjs's "looks like you are running TensorFlow.js in Node.js"
 * banner. The banner fires on the backend's first write when `IS_NODE` is set; the flag
 * is cleared only around that write because tfjs-backend-wasm reads it to decide
 * whether to start (unworkable, under Deno) worker threads.
 */
async function useCpu(log: (line: string) => void): Promise<void> {
  const env = tf.env();
  const wasNode = env.get("IS_NODE");
  env.set("IS_NODE", false);
  try {
    if (!(await tf.setBackend("cpu"))) throw new Error("tfjs cpu backend failed to initialise");
    tf.tidy(() => tf.scalar(0));
  } finally {
    env.set("IS_NODE", wasNode);
  }
  log("backend: cpu");
}

/**
 * Activates webgpu if a hardware GPU adapter and the backend package are present. A
 * fallback adapter is refused: it is a software rasteriser (Deno offers llvmpipe on
 * GPU-less machines), far slower than wasm.
 */
async function useWebGpu(
  log: (line: string) => void,
  gpu: { requestAdapter(): Promise<unknown> } | undefined,
): Promise<void> {
  const adapter = (await gpu?.requestAdapter().catch(() => null)) as
    | {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean; description?: string };
    }
    | null
    | undefined;
  if (!adapter || adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) {
    const what = (adapter?.info?.description || "software").split("\n")[0];
    const found = adapter ? `a software adapter (${what}), no GPU` : "no GPU adapter found";
    throw new InputError(`backend webgpu: ${found}; use --backend wasm`);
  }
  // Resolved at run time so that type-checking does not need the optional package.
  const specifier = "@tensorflow/tfjs-backend-webgpu";
  await import(specifier).catch(() => {
    throw new InputError(`backend webgpu: add ${specifier} to the import map to use the GPU`);
  });
  if (!(await tf.setBackend("webgpu"))) throw new Error("backend webgpu failed to initialise");
  log("backend: webgpu");
}
