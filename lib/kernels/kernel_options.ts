/**
 * The two run-time choices of the project's wasm kernels: how many threads run them
 * (`THREADS`) and whether they use fused multiply-add (`KERNEL_FMA`). The commands read the
 * variables (tools/_flags.ts) and set the options here; a notebook sets its `threads`.
 *
 * - `THREADS=N`: the main thread plus `N − 1` Workers share each large convolution.
 *   Default: every core (`navigator.hardwareConcurrency`). A fixed count gives
 *   bit-identical results run to run; different counts agree to ~1e-6 (only filter
 *   gradients are summed in a different order).
 * - `KERNEL_FMA=0`: multiply then add, the path of machines without relaxed SIMD; `1`
 *   (or unset): fused multiply-add (`f32x4.relaxed_madd`) where the runtime validates it.
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** The kernels' settings. */
export interface KernelOptions {
  /** Threads sharing a kernel call (1 = main thread only). @default all cores */
  threads: number;
  /** Use fused multiply-add where supported. @default true */
  fma: boolean;
  /**
   * Multiply-adds below which a kernel call stays on the main thread (waking a Worker
   * costs ~50 µs). Tests set 0 to split even tiny calls. @default 2 ** 21
   */
  minParallelMacs: number;
}

/** Default of {@linkcode KernelOptions.minParallelMacs}. */
export const MIN_PARALLEL_MACS = 2 ** 21;

/** Every core this runtime reports, at least 1. */
export function allCores(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** Threads per core a thread count may ask for at most. */
export const THREADS_PER_CORE = 4;

/** The most threads a command takes: {@linkcode THREADS_PER_CORE} per core. */
export function maxThreads(): number {
  return THREADS_PER_CORE * allCores();
}

/**
 * Checks a user-supplied thread count (a CLI flag or `THREADS`): a whole number from 1 to
 * {@linkcode maxThreads}.
 *
 * @throws {InputError} one line, naming `what`.
 */
export function parseThreads(text: string, what = "--threads"): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InputError(`${what} must be a whole number ≥ 1, got "${text}"`);
  }
  if (n > maxThreads()) {
    throw new InputError(
      `${what} must be at most ${maxThreads()} (${THREADS_PER_CORE} per core, ` +
        `${allCores()} cores), got ${n}`,
    );
  }
  return n;
}

/**
 * The kernel options the variables `env` ask for: `THREADS` and `KERNEL_FMA` (see the
 * module doc); unset variables give the defaults.
 *
 * @throws {InputError} on a malformed value.
 */
export function kernelOptionsFromEnv(env: Record<string, string | undefined>): KernelOptions {
  const threads = env.THREADS === undefined || env.THREADS === ""
    ? allCores()
    : parseThreads(env.THREADS, "THREADS");
  const fmaText = env.KERNEL_FMA ?? "1";
  if (fmaText !== "0" && fmaText !== "1") {
    throw new InputError(`KERNEL_FMA must be 0 or 1, got "${fmaText}"`);
  }
  return { threads, fma: fmaText === "1", minParallelMacs: MIN_PARALLEL_MACS };
}

let current: KernelOptions | undefined;

/** The options in force: those last given to {@linkcode setKernelOptions}, else the defaults. */
export function kernelOptions(): KernelOptions {
  current ??= kernelOptionsFromEnv({});
  return current;
}

/**
 * Changes the options for subsequent kernel calls (unset fields keep their value). Takes
 * effect at once, except that more threads than there are running Workers + 1 need
 * `startKernelThreads` (`lib/kernels/kernel_pool.ts`; `selectBackend` calls it).
 *
 * @throws {InputError} when `threads` is not a whole number ≥ 1.
 */
export function setKernelOptions(options: Partial<KernelOptions>): void {
  const base = kernelOptions();
  if (
    options.threads !== undefined &&
    !(Number.isSafeInteger(options.threads) && options.threads >= 1)
  ) {
    throw new InputError(`threads must be a whole number ≥ 1, got ${options.threads}`);
  }
  current = {
    ...base,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
}
