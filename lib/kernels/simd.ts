/**
 * Instantiates {@linkcode ./simd_module.ts} on tfjs-backend-wasm's memory and gives its
 * kernels typed signatures. All pointers are byte addresses on that memory.
 *
 * @module
 */
import { kernelOptions } from "./kernel_options.ts";
import { simdModuleBytes } from "./simd_module.ts";

/** An element-wise binary kernel over `[rows, cols]` with per-operand row strides (bytes). */
export type BinaryKernel = (
  a: number,
  aRowBytes: number,
  b: number,
  bRowBytes: number,
  out: number,
  rows: number,
  cols: number,
) => void;

/** An element-wise unary kernel over `n` floats with an f32 parameter given by its bits. */
export type UnaryKernel = (x: number, out: number, n: number, parameterBits: number) => void;

/** The kernels of {@linkcode ./simd_module.ts}; see there for their contracts. */
export interface SimdKernels {
  /** `a + b`. */
  add: BinaryKernel;
  /** `a · b`. */
  mul: BinaryKernel;
  /** `max(x, 0)`. */
  relu: UnaryKernel;
  /** `x > 0 ? 1 : parameter` (NaN for NaN). */
  step: UnaryKernel;
  /** `a ≥ b` as bytes 0/1. */
  greaterEqual: BinaryKernel;
  /** Whether the module uses fused multiply-add (relaxed SIMD). */
  readonly fma: boolean;
  /** Convolution, 6 pixels × 8 output channels per register tile. */
  convGemm(
    ind: number,
    outp: number,
    npix: number,
    taps: number,
    cin: number,
    w: number,
    bias: number,
    cout: number,
    relu: number,
  ): void;
  /** {@linkcode SimdKernels.convGemm} for exactly 1 input channel. */
  convGemmC1: SimdKernels["convGemm"];
  /** {@linkcode SimdKernels.convGemm} for exactly 2 input channels. */
  convGemmC2: SimdKernels["convGemm"];
  /** {@linkcode SimdKernels.convGemm} for exactly 3 input channels. */
  convGemmC3: SimdKernels["convGemm"];
  /** Convolution to few output channels, vectorised along `cin` (a multiple of 4). */
  convDot(
    ind: number,
    outp: number,
    npix: number,
    taps: number,
    cin: number,
    w: number,
    bias: number,
    cout: number,
    relu: number,
  ): void;
  /** {@linkcode SimdKernels.filterGrad} with register tiles spanning taps. */
  filterGradTaps: SimdKernels["filterGrad"];
  /**
   * Accumulates the filter gradient over positions (`cout` a multiple of 4), in register
   * tiles of `rowTile` × `vectorTile` vectors (6 × 2 or 3 × 4).
   */
  filterGrad(
    ind: number,
    npos: number,
    taps: number,
    cin: number,
    dy: number,
    cout: number,
    dw: number,
    rowTile: number,
    vectorTile: number,
  ): void;
  /** Adam's update of `n` floats: weights `w` to `out`, moments `m`, `v` in place. */
  adam(
    w: number,
    m: number,
    v: number,
    g: number,
    n: number,
    constants: number,
    out: number,
  ): void;
  /** Column sums of a `[rows, cols]` matrix (`cols` a multiple of 4). */
  colSum(x: number, rows: number, cols: number, out: number): void;
  /** Fills an indirection table. */
  indirection(
    ind: number,
    x: number,
    zero: number,
    n: number,
    oh: number,
    ow: number,
    ih: number,
    iw: number,
    cin: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    kh: number,
    kw: number,
    dh: number,
    dw: number,
    npix: number,
  ): void;
  /** Fills an output-pointer table. */
  outputs(
    outp: number,
    base: number,
    n: number,
    oh: number,
    ow: number,
    imgb: number,
    rowb: number,
    pixb: number,
    npix: number,
    sink: number,
  ): void;
}

const instances = new WeakMap<WebAssembly.Memory, Map<boolean, SimdKernels>>();
const modules = new Map<string, WebAssembly.Module>();
let relaxed: boolean | undefined;

/** Whether this runtime validates relaxed-SIMD instructions. */
export function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(simdModuleBytes(true));
  return relaxed;
}

/**
 * The compiled kernel module: with fused multiply-add when `fma` and supported, for a
 * shared memory when `shared`. Compiled once per combination (~10 KB, milliseconds).
 */
export function simdModule(
  fma: boolean,
  shared: boolean,
): { module: WebAssembly.Module; fma: boolean } {
  const useFma = fma && relaxedSimdSupported();
  const key = `${useFma}/${shared}`;
  let module = modules.get(key);
  if (module === undefined) {
    module = new WebAssembly.Module(simdModuleBytes(useFma, shared));
    modules.set(key, module);
  }
  return { module, fma: useFma };
}

/**
 * The kernels on `memory` (tfjs-backend-wasm's `asm.memory`, shared or not), on the path
 * {@linkcode kernelOptions} selects (`KERNEL_FMA`): fused multiply-add where supported,
 * else multiply then add. Instantiated once per memory and path.
 */
export function simdKernels(memory: WebAssembly.Memory): SimdKernels {
  const fma = kernelOptions().fma;
  let byPath = instances.get(memory);
  if (byPath === undefined) instances.set(memory, byPath = new Map());
  const cached = byPath.get(fma);
  if (cached !== undefined) return cached;
  const compiled = simdModule(fma, memory.buffer instanceof SharedArrayBuffer);
  const instance = new WebAssembly.Instance(compiled.module, { env: { memory } });
  const kernels = { ...instance.exports, fma: compiled.fma } as unknown as SimdKernels;
  byPath.set(fma, kernels);
  return kernels;
}
