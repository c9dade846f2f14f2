/**
 * The project's training kernels for tfjs-backend-wasm.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { aliasConfigs } from "./alias.ts";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { conv2dConfigs } from "./conv2d.ts";
import { conv2DBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2DBackpropInputConfig } from "./conv2d_backprop_input.ts";
import { elementwiseConfigs } from "./elementwise.ts";
import { sumConfig } from "./sum.ts";
import { stockKernel } from "./wasm_heap.ts";
export { applyGradients } from "./adam.ts";
export { startKernelThreads, stopKernelThreads } from "./kernel_pool.ts";
export { type KernelOptions, kernelOptionsFromEnv, parseThreads } from "./kernel_options.ts";

/** Names of the kernels {@linkcode registerWasmTrainingKernels} installs. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  tf.Add,
  tf.BatchMatMul,
  tf.Cast,
  tf.Conv2D,
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.FusedConv2D,
  tf.GreaterEqual,
  tf.Identity,
  tf.Multiply,
  tf.Relu,
  tf.Step,
  tf.Sum,
];

let registered = false;

/**
 * Replaces or adds the wasm kernels in {@linkcode WASM_TRAINING_KERNELS}; the replaced
 * stock kernels stay reachable as fallbacks. Needs `@tensorflow/tfjs-backend-wasm`
 * imported; works before or after the backend initialises. Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const stock = {
    batchMatMul: stockKernel(tf.BatchMatMul),
    transpose: stockKernel(tf.Transpose),
    conv2d: stockKernel(tf.Conv2D),
    fusedConv2d: stockKernel(tf.FusedConv2D),
    conv2DBackpropInput: stockKernel(tf.Conv2DBackpropInput),
    sum: stockKernel(tf.Sum),
    identity: stockKernel(tf.Identity),
    cast: stockKernel(tf.Cast),
    add: stockKernel(tf.Add),
    greaterEqual: stockKernel(tf.GreaterEqual),
    multiply: stockKernel(tf.Multiply),
    relu: stockKernel(tf.Relu),
    step: stockKernel(tf.Step),
  };
  const configs = [
    ...aliasConfigs(stock),
    batchMatMulConfig(stock),
    ...conv2dConfigs(stock),
    conv2DBackpropFilterConfig(),
    conv2DBackpropInputConfig(stock.conv2DBackpropInput),
    sumConfig(stock.sum),
    ...elementwiseConfigs(stock),
  ];
  for (const config of configs) {
    const replaced = tf.getKernel(config.kernelName, "wasm");
    if (replaced !== undefined) tf.unregisterKernel(config.kernelName, "wasm");
    // The stock kernel's setup (binding its wasm export) still has to run when the
    // backend initialises, since the replacement may fall back to it.
    tf.registerKernel({ ...config, setupFunc: replaced?.setupFunc });
  }
  registered = true;
}
