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
  /** Job number the Worker has begun, set by the Worker. */
  started: 5,
  /** 1 while the main thread is awake during a job (0 once it sleeps waiting for it). */
  mainAwake: 6,
  /** First call: function index, argument count, arguments. */
  calls: 7,
} as const;

/** Int32s in a control block (64 KiB). */
export const CTRL_INTS = 1 << 14;

/**
 * Milliseconds a thread polls a control field before it sleeps in `Atomics.wait`. Waking
 * a sleeping thread can take ~100 µs on a virtual machine; polling briefly skips that
 * when calls follow each other closely.
 */
export const SPIN_MS = 0.05;

/** Rounds a {@linkcode Poller} skips at most after polls that found nothing. */
const MAX_SKIPPED_ROUNDS = 64;

/**
 * Polls a control field before its thread sleeps, while polling pays. When the thread
 * it waits for shares its core (a loaded machine), polling only delays that thread and
 * finds nothing, so each fruitless poll doubles the rounds that sleep at once (up to
 * {@linkcode MAX_SKIPPED_ROUNDS}); a poll that finds the change resets that.
 */
export class Poller {
  #skip = 0;
  #penalty = 1;

  /**
   * Polls `ctrl[index]` for up to {@linkcode SPIN_MS} unless this round is skipped; true
   * as soon as it differs from `value`, false when the caller should wait.
   */
  poll(ctrl: Int32Array, index: number, value: number): boolean {
    if (this.#skip > 0) {
      this.#skip--;
      return false;
    }
    const until = performance.now() + SPIN_MS;
    do {
      for (let i = 0; i < 64; i++) {
        if (Atomics.load(ctrl, index) !== value) {
          this.#penalty = 1;
          return true;
        }
      }
    } while (performance.now() < until);
    this.#skip = this.#penalty;
    this.#penalty = Math.min(2 * this.#penalty, MAX_SKIPPED_ROUNDS);
    return false;
  }
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
