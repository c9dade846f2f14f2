/**
 * Chooses and initialises the TensorFlow.js backend for training and inference.
 *
 * - `wasm`: tfjs-backend-wasm plus the project's kernels (`lib/kernels/`), which add the
 *   missing Conv2DBackpropFilter and replace the slow convolution kernels, so that the
 *   denoisers train at hundreds of images per second on one CPU core.
 * - `cpu`: tfjs's plain-JavaScript backend; always works, ~1000× slower to train.
 * - `webgpu`: only on request, and only where Deno finds a GPU adapter and
 *   `@tensorflow/tfjs-backend-webgpu` is in the import map (it is not by default). Its
 *   training has not been checked here, so `auto` never picks it.
 * - `auto`: `wasm`, else `cpu`.
 *
 * Importing this module changes nothing; {@linkcode selectBackend} does the work.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { logLine } from "./log.ts";

/** A backend choice: a concrete backend, or `auto` to let {@linkcode selectBackend} pick. */
export type BackendName = "auto" | "wasm" | "cpu" | "webgpu";

/** Every accepted {@linkcode BackendName}, `auto` first. */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "wasm", "cpu", "webgpu"];

/**
 * Checks a user-supplied backend name (e.g. a CLI flag).
 *
 * @throws {RangeError} a one-line message listing the accepted names.
 *
 * @example
 * ```ts
 * import { parseBackendName } from "./backend.ts";
 * console.assert(parseBackendName("wasm") === "wasm");
 * ```
 */
export function parseBackendName(name: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new RangeError(`unknown backend "${name}"; expected one of ${BACKEND_NAMES.join(", ")}`);
}

/** Options of {@linkcode selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Receives one line naming the backend chosen.
   * @default logLine (stderr, or a collapsed note in a notebook)
   */
  log?: (line: string) => void;
}

/**
 * Makes `name` the active tfjs backend and returns the name of the backend actually
 * active (`"wasm"`, `"cpu"` or `"webgpu"`). With `wasm` (and `auto`), it also registers
 * the project's training kernels. Idempotent: calling it again re-activates the backend
 * without re-initialising anything.
 *
 * @param name the backend to use. @default "auto"
 * @throws {Error} when an explicitly named backend cannot be initialised.
 *
 * @example
 * ```ts ignore
 * import { selectBackend } from "./backend.ts";
 * const active = await selectBackend("auto", { log: () => {} });
 * console.assert(active === "wasm");
 * ```
 */
export async function selectBackend(
  name: BackendName = "auto",
  options: SelectBackendOptions = {},
): Promise<string> {
  const log = options.log ?? logLine;
  parseBackendName(name);
  if (name === "cpu") return await useCpu(log);
  if (name === "webgpu") return await useWebGpu(log);
  try {
    return await useWasm(log);
  } catch (error) {
    if (name === "wasm") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    log(`backend: wasm unavailable (${reason.split("\n")[0]}); falling back to cpu`);
    return await useCpu(log);
  }
}

/** Activates wasm with the project's kernels. */
async function useWasm(log: (line: string) => void): Promise<string> {
  // Imported here, not at the top: the import registers the backend with tfjs.
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs-backend-wasm failed to initialise");
  const { registerWasmTrainingKernels } = await import("./kernels/mod.ts");
  registerWasmTrainingKernels();
  log("backend: wasm (+ project training kernels)");
  return tf.getBackend();
}

/**
 * Activates cpu without tfjs's "looks like you are running TensorFlow.js in Node.js"
 * banner. The banner fires on the backend's first write when `IS_NODE` is set; the flag
 * is cleared only around that write because tfjs-backend-wasm reads it to decide
 * whether to start (unworkable, under Deno) worker threads.
 */
async function useCpu(log: (line: string) => void): Promise<string> {
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
  return tf.getBackend();
}

/** What {@linkcode useWebGpu} reads from a WebGPU adapter. */
interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; description?: string };
}

/**
 * Activates webgpu if a hardware GPU adapter and the backend package are present. A
 * fallback adapter is refused: it is a software rasteriser (Deno offers llvmpipe on
 * GPU-less machines), far slower than wasm.
 */
async function useWebGpu(log: (line: string) => void): Promise<string> {
  const adapter = (await navigator.gpu?.requestAdapter().catch(() => null)) as
    | GpuAdapterLike
    | null
    | undefined;
  if (adapter == null) throw new Error("backend webgpu: no GPU adapter found");
  if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) {
    const what = adapter.info?.description ?? "software";
    throw new Error(`backend webgpu: only a fallback adapter (${what}), no GPU`);
  }
  if (tf.findBackendFactory("webgpu") === null) {
    // Resolved at run time so that type-checking does not need the optional package.
    const specifier = "@tensorflow/tfjs-backend-webgpu";
    try {
      await import(specifier);
    } catch {
      throw new Error(`backend webgpu: add ${specifier} to the import map to use the GPU`);
    }
  }
  if (!(await tf.setBackend("webgpu"))) throw new Error("backend webgpu failed to initialise");
  log("backend: webgpu");
  return tf.getBackend();
}
