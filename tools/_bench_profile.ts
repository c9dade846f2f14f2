/**
 * Where a training step's time goes, for `deno task bench --profile`: each tfjs kernel's
 * milliseconds per step (tfjs's own profiler, `tf.profile`), its multiply-adds and GFLOP/s
 * where it is a convolution or a matrix product, whether it runs on the kernel pool
 * (lib/kernels/kernel_pool.ts), and how long a Worker takes to wake and answer.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { CallRecorder, kernelThreads, runOnThreads } from "../lib/kernels/kernel_pool.ts";
import { trainBatch } from "../lib/train/train_step.ts";

/** Kernels whose large calls the pool splits over its threads (lib/kernels/). */
const POOLED = new Set([
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
  "Add",
  "Multiply",
  "GreaterEqual",
  "Relu",
  "Step",
  "BatchMatMul",
]);

/** What {@linkcode opLines} prints from a bench row. */
export interface OpRow {
  /** The backend that ran. */
  active: string;
  /** Images per batch. */
  batch_size: number;
  /** Kernel threads. */
  threads: number;
  /** Milliseconds a profiled step took, kernels and all. */
  step_ms?: number;
  /** The step's kernels, slowest first. */
  ops?: OpProfile[];
  /** Worker wake-up, µs. */
  wake_us?: number | null;
}

/** One kernel's share of a training step. */
export interface OpProfile {
  /** tfjs kernel name. */
  op: string;
  /** Calls per step. */
  calls: number;
  /** Milliseconds per step, all calls. */
  ms: number;
  /** Share of the step's kernel time, in [0, 1]. */
  share: number;
  /** GFLOP/s (2 FLOP a multiply-add) of a convolution or matrix product, else null. */
  gflops: number | null;
  /** Whether the kernel pool splits this op over threads. */
  pooled: boolean;
}

const size = (shape: number[] | undefined) => (shape ?? []).reduce((a, b) => a * b, 1);

/**
 * Multiply-adds of one kernel call from its shapes, or 0 for kernels that are not a
 * convolution or a matrix product.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { multiplyAdds } from "./_bench_profile.ts";
 * // A 3×3 convolution, 1 → 32 channels, 14×14 outputs of 2 images.
 * assertEquals(multiplyAdds("Conv2D", [[2, 28, 28, 1], [3, 3, 1, 32]], [[2, 14, 14, 32]]), 2 * 14 * 14 * 32 * 9);
 * ```
 */
export function multiplyAdds(op: string, inputs: number[][], outputs: number[][]): number {
  const [a, b] = inputs;
  const out = outputs[0];
  switch (op) {
    case "Conv2D":
    case "FusedConv2D": // filter [kh, kw, in, out]: every output value sums kh·kw·in products
      return size(out) * b[0] * b[1] * b[2];
    case "Conv2DBackpropInput": // (dy, filter): every dy value meets kh·kw·in weights
      return size(a) * b[0] * b[1] * b[2];
    case "Conv2DBackpropFilter": // (x, dy) → filter [kh, kw, in, out]
      return size(b) * out[0] * out[1] * out[2];
    case "BatchMatMul":
    case "_FusedMatMul": { // a holds M·K values per batch, the output M·N
      const m = out.at(-2)!;
      return size(out) * (size(a) / (a[0] * m));
    }
    default:
      return 0;
  }
}

/**
 * Profiles `steps` training steps (after the caller's warm-up): each kernel's time per
 * step, slowest first, and the milliseconds a profiled step took.
 */
export async function profileStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  input: tf.Tensor,
  target: tf.Tensor,
  steps = 3,
): Promise<{ ops: OpProfile[]; step_ms: number }> {
  const totals = new Map<string, { calls: number; ms: number; macs: number }>();
  let wall = 0;
  for (let s = 0; s < steps; s++) {
    const start = performance.now();
    const info = await tf.profile(() => {
      trainBatch(model, optimizer, input, target);
    });
    wall += performance.now() - start;
    for (const k of info.kernels) {
      // "…__op" entries wrap the kernels they call, which are listed too.
      if (k.name.endsWith("__op")) continue;
      const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
      const t = totals.get(k.name) ?? { calls: 0, ms: 0, macs: 0 };
      t.calls++;
      t.ms += ms;
      t.macs += multiplyAdds(k.name, k.inputShapes as number[][], k.outputShapes as number[][]);
      totals.set(k.name, t);
    }
  }
  const all = [...totals.values()].reduce((sum, t) => sum + t.ms, 0);
  const ops = [...totals.entries()].map(([op, t]) => ({
    op,
    calls: t.calls / steps,
    ms: round(t.ms / steps),
    share: round(t.ms / all),
    gflops: t.macs > 0 && t.ms > 0 ? round((2 * t.macs) / (t.ms * 1e6)) : null,
    pooled: POOLED.has(op),
  })).sort((x, y) => y.ms - x.ms);
  return { ops, step_ms: round(wall / steps) };
}

/**
 * Median microseconds for the main thread to hand an empty job to a kernel Worker and
 * see it done (wake-up and answer), or null without a Worker.
 */
export function wakeMicroseconds(memory: WebAssembly.Memory, rounds = 200): number | null {
  if (kernelThreads(memory) < 2) return null;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    runOnThreads([new CallRecorder()], () => {});
    times.push((performance.now() - start) * 1000);
    // Let the Worker go back to sleep, as it does between a step's kernels.
    const until = performance.now() + 0.2;
    while (performance.now() < until) { /* wait */ }
  }
  times.sort((a, b) => a - b);
  return round(times[times.length >> 1]);
}

/**
 * A row's training step split by kernel, for stderr: the step's time and the Worker
 * wake-up, one line per kernel with ms per step, share, GFLOP/s and whether the kernel
 * pool runs it, then the time outside tfjs's kernels (its dispatch and gradient tape, the
 * fused Adam update, JavaScript such as dropout's random numbers).
 */
export function opLines(r: OpRow): string[] {
  if (!r.ops) return [];
  const stepMs = r.step_ms ?? NaN;
  const kernelMs = r.ops.reduce((sum, o) => sum + o.ms, 0);
  const head = `step profile: ${r.active}, batch ${r.batch_size}, ${r.threads} thread(s), ` +
    `${stepMs} ms a step` + (r.wake_us != null ? `, Worker wake-up ${r.wake_us} µs` : "");
  return [
    head,
    ...r.ops.filter((o) => o.share >= 0.005).map((o) =>
      `  ${o.op.padEnd(22)} ${String(o.calls).padStart(4)}×  ${o.ms.toFixed(2).padStart(7)} ms ` +
      `${(100 * o.share).toFixed(1).padStart(5)}%  ${
        o.gflops === null ? "" : `${o.gflops} GFLOP/s`.padEnd(14)
      }${o.pooled ? " pool" : ""}`
    ),
    `  ${"outside kernels".padEnd(28)} ${(stepMs - kernelMs).toFixed(2).padStart(7)} ms`,
  ];
}

function round(x: number): number {
  return Number(x.toPrecision(3));
}
