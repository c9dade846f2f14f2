/**
 * Where a bench row's training step goes: each tfjs kernel's ms per step (`tf.profile`) and
 * GFLOP/s of convolutions and matrix products.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { trainBatch } from "../lib/train/train_step.ts";
import type { BenchResult } from "./bench.ts";

/**
 * One tfjs kernel's share of a training step: calls and ms per step, share of the step's
 * kernel time in [0, 1], and GFLOP/s (2 FLOP a multiply-add) of a convolution or matrix
 * product, else null.
 */
export interface OpProfile {
  op: string;
  calls: number;
  ms: number;
  share: number;
  gflops: number | null;
}

const size = (shape: number[] | undefined) => (shape ?? []).reduce((a, b) => a * b, 1);

/** Multiply-adds of one kernel call from its shapes; 0 unless a convolution or matrix product. */
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

/** Profiles `steps` training steps after the caller's warm-up: kernels slowest first. */
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
    const info = await tf.profile(() => void trainBatch(model, optimizer, input, target));
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
    ms: significant(t.ms / steps),
    share: significant(t.ms / all),
    gflops: t.macs > 0 && t.ms > 0 ? significant((2 * t.macs) / (t.ms * 1e6)) : null,
  })).sort((x, y) => y.ms - x.ms);
  return { ops, step_ms: significant(wall / steps) };
}

/** A row's step profile for stderr: one line per kernel, then the time outside kernels. */
export function opLines(
  r: Pick<BenchResult, "active" | "batch_size" | "threads" | "step_ms" | "ops">,
): string[] {
  if (!r.ops) return [];
  const stepMs = r.step_ms ?? NaN;
  const kernelMs = r.ops.reduce((sum, o) => sum + o.ms, 0);
  return [
    `step profile: ${r.active}, batch ${r.batch_size}, ${r.threads} thread(s), ${stepMs} ms a step`,
    ...r.ops.filter((o) => o.share >= 0.005).map((o) => {
      const gflops = o.gflops === null ? "" : `${o.gflops} GFLOP/s`;
      return `  ${o.op.padEnd(22)} ${String(o.calls).padStart(4)}×  ` +
        `${o.ms.toFixed(2).padStart(7)} ms ${(100 * o.share).toFixed(1).padStart(5)}%  ${gflops}`;
    }),
    `  ${"outside kernels".padEnd(28)} ${(stepMs - kernelMs).toFixed(2).padStart(7)} ms`,
  ];
}

/** `x` to 4 significant digits: enough for a throughput, and the cpu's stays visible. */
export function significant(x: number): number {
  return Number(x.toPrecision(4));
}
