/**
 * The layout of the control block a {@linkcode ./kernel_pool.ts} pool shares with each
 * of its Workers ({@linkcode ./kernel_worker.ts}): an `Int32Array` over a
 * `SharedArrayBuffer`.
 *
 * @module
 */

/** Indices of the control block's fields; recorded calls start at `calls`. */
export const CTRL = {
  /** Job number, bumped by the main thread to start a job. */
  seq: 0,
  /** Last job finished, set by the Worker. */
  done: 1,
  /** 1 when the last job threw. */
  failed: 2,
  /** 1 for the fused multiply-add kernels. */
  fma: 3,
  /** Int32s of recorded calls. */
  length: 4,
  /** First call: function index, argument count, arguments. */
  calls: 5,
} as const;

/** Int32s in a control block (64 KiB). */
export const CTRL_INTS = 1 << 14;

/**
 * Milliseconds a thread polls a control field before it sleeps in `Atomics.wait`: a
 * Worker for its next job, the main thread for a Worker to finish. Waking a sleeping
 * thread can take ~100 µs on a virtual machine; polling briefly skips that when calls
 * follow each other closely, and an idle Worker sleeps again within this time.
 */
export const SPIN_MS = 0.05;

/**
 * Polls `ctrl[index]` for up to {@linkcode SPIN_MS}; true as soon as it differs from
 * `value`, false when it still holds `value` (the caller then waits).
 */
export function spinWhileEqual(ctrl: Int32Array, index: number, value: number): boolean {
  const until = performance.now() + SPIN_MS;
  do {
    for (let i = 0; i < 64; i++) {
      if (Atomics.load(ctrl, index) !== value) return true;
      // A spin-wait hint: spares the other hardware thread of a shared core.
      Atomics.pause();
    }
  } while (performance.now() < until);
  return false;
}

/** The kernel exports a Worker can run, by index. */
export const POOL_FUNCTIONS = [
  "indirection",
  "outputs",
  "convGemm",
  "convGemmC1",
  "convGemmC2",
  "convGemmC3",
  "convDot",
  "filterGrad",
  "filterGradTaps",
  "adam",
  "add",
  "mul",
  "greaterEqual",
  "relu",
  "step",
] as const;

/** The name of a kernel a Worker can run. */
export type PoolFunction = typeof POOL_FUNCTIONS[number];
