/**
 * Convolutions and their filter gradients on the wasm heap, driving the SIMD kernels of
 * {@linkcode ./simd_module.ts}: builds the indirection and output tables, packs the
 * filter, runs the kernel and frees its scratch memory. Shared by the Conv2D,
 * Conv2DBackpropInput and Conv2DBackpropFilter kernels.
 *
 * @module
 */
import { CHANNEL_TILE, PIXEL_TILE } from "./simd_module.ts";
import { type SimdKernels, simdKernels } from "./simd.ts";
import { CallRecorder, kernelThreads, MAX_JOB_INTS, runOnThreads } from "./kernel_pool.ts";
import type { PoolFunction } from "./kernel_pool_protocol.ts";
import { kernelOptions } from "./kernel_options.ts";
import type { WasmBackend } from "./wasm_heap.ts";

/**
 * Where a convolution reads: an NHWC tensor and the grid of output pixels over it.
 * Output pixel `(b, oy, ox)`, tap `(jy, jx)` reads input pixel
 * `(oy·strideY − padTop + jy·dilationY, ox·strideX − padLeft + jx·dilationX)`, or zero
 * outside the image. Pads may be negative.
 */
export interface ConvGeometry {
  /** Byte address of the input `[batch, inHeight, inWidth, inChannels]`. */
  input: number;
  /** Images. */
  batch: number;
  /** Input rows. */
  inHeight: number;
  /** Input columns. */
  inWidth: number;
  /** Input channels. */
  inChannels: number;
  /** Output rows. */
  outHeight: number;
  /** Output columns. */
  outWidth: number;
  /** Vertical stride. */
  strideY: number;
  /** Horizontal stride. */
  strideX: number;
  /** Input rows before the image (negative: rows skipped). */
  padTop: number;
  /** Input columns before the image (negative: columns skipped). */
  padLeft: number;
  /** Filter rows. */
  tapsY: number;
  /** Filter columns. */
  tapsX: number;
  /** Vertical dilation. */
  dilationY: number;
  /** Horizontal dilation. */
  dilationX: number;
}

/**
 * Where a convolution's weights come from: a float32 filter `[kh, kw, a, b]` on the heap,
 * of which the convolution uses taps `taps[jy·tapsX + jx]` (flat `ky·kw + kx`), reading
 * `[a = in, b = out]` channels, or `[a = out, b = in]` when `swapChannels`.
 */
export interface FilterSource {
  /** Byte address of the filter. */
  address: number;
  /** Size of the filter's third axis. */
  axis2: number;
  /** Size of the filter's fourth axis. */
  axis3: number;
  /** Flat filter tap of each convolution tap, row-major over `tapsY × tapsX`. */
  taps: number[];
  /** Whether the third axis holds output channels (transposed convolutions). */
  swapChannels: boolean;
}

/** Where a convolution writes: pixel `(b, y, x)` starts at `base + b·image + y·row + x·pixel`. */
export interface OutputLayout {
  /** Byte address of pixel (0, 0, 0). */
  base: number;
  /** Bytes between images. */
  imageBytes: number;
  /** Bytes between rows. */
  rowBytes: number;
  /** Bytes between pixels of a row. */
  pixelBytes: number;
}

/** Options of {@linkcode convolve}. */
export interface ConvolveOptions {
  /** Byte address of `outChannels` biases; none when absent. */
  bias?: number;
  /** Apply ReLU to the output. @default false */
  relu?: boolean;
}

/** Input channels below which filter-gradient register tiles span taps, not channels. */
const TAP_ROWS_BELOW = 6;

/** Output channels up to which {@linkcode convolve} vectorises along input channels. */
const MAX_DOT_CHANNELS = 2;

/**
 * Indirection-table entries per chunk of images: bounds the scratch memory (4 bytes an
 * entry) whatever the batch, and keeps the table in cache while it is used.
 */
const TABLE_ENTRIES = 1 << 16;

/** Images per chunk so that a chunk's table has at most {@linkcode TABLE_ENTRIES} entries. */
function imagesPerChunk(g: ConvGeometry, taps: number): number {
  return Math.max(
    1,
    Math.min(g.batch, Math.floor(TABLE_ENTRIES / (g.outHeight * g.outWidth * taps))),
  );
}

/** `g` restricted to images `first … first + count − 1`. */
function chunkOf(g: ConvGeometry, first: number, count: number): ConvGeometry {
  return { ...g, batch: count, input: g.input + first * g.inHeight * g.inWidth * g.inChannels * 4 };
}

/**
 * One heap allocation split into float32 regions, each 16-byte aligned. Sized from all
 * regions up front, so a region can never overrun the block.
 */
class Scratch {
  /** Byte address of each region, in the order requested. */
  readonly regions: number[];
  readonly #backend: WasmBackend;
  readonly #block: number;

  /** Allocates regions of `floats[i]` floats; throws if the heap cannot grow. */
  constructor(backend: WasmBackend, floats: number[]) {
    const sizes = floats.map((n) => Math.ceil(n / 4) * 16);
    const bytes = sizes.reduce((a, b) => a + b, 0) + 16;
    this.#backend = backend;
    this.#block = backend.wasm._malloc(bytes) >>> 0;
    if (this.#block === 0) throw new RangeError(`wasm heap exhausted (${bytes} bytes)`);
    let next = (this.#block + 15) & ~15;
    this.regions = sizes.map((size) => (next += size) - size);
  }

  /** Returns the block to the heap. */
  free(): void {
    this.#backend.wasm._free(this.#block);
  }
}

/** The SIMD kernels on `backend`'s memory. */
export function kernelsOf(backend: WasmBackend): SimdKernels {
  return simdKernels(backend.wasm.asm.memory);
}

/** Something that runs (or records, for a Worker) kernel calls. */
interface Runner {
  call(name: PoolFunction, ...args: number[]): void;
}

/**
 * How a call over `batch` images costing `macs` multiply-adds is shared: the image
 * ranges `[first, end)` of the main thread (first) and of each Worker. One range when
 * no Worker runs or the call is small; the split depends only on the shapes and the
 * thread count, so a fixed count always splits alike.
 */
function imageShares(backend: WasmBackend, batch: number, macs: number): [number, number][] {
  return evenRanges(batch, threadsFor(backend, batch, macs));
}

/** Threads a call over `items` independent pieces costing `macs` multiply-adds runs on. */
function threadsFor(backend: WasmBackend, items: number, macs: number): number {
  return macs < kernelOptions().minParallelMacs
    ? 1
    : Math.min(items, kernelThreads(backend.wasm.asm.memory));
}

/** `count` ranges `[first, end)` splitting `0 … total − 1` as evenly as whole numbers allow. */
function evenRanges(total: number, count: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => [
    Math.floor(total * i / count),
    Math.floor(total * (i + 1) / count),
  ]);
}

/**
 * Partial sums a filter gradient is split into, whatever the thread count: each sums its
 * own images, and they are added in a fixed order, so 1, 2, 3 or 4 threads give the same bits.
 */
const GRADIENT_PARTS = 4;

/**
 * Runs `share(runner, part, first, end)` for each image share: part 0 directly on this
 * thread, the others recorded and run on the Workers at the same time.
 */
function runShares(
  backend: WasmBackend,
  shares: [number, number][],
  share: (runner: Runner, part: number, first: number, end: number) => void,
): void {
  const simd = kernelsOf(backend) as unknown as Record<string, (...args: number[]) => void>;
  const direct: Runner = { call: (name, ...args) => simd[name](...args) };
  const jobs = shares.slice(1).map(([first, end], i) => {
    const recorder = new CallRecorder();
    share(recorder, i + 1, first, end);
    return recorder;
  });
  const [first, end] = shares[0];
  if (jobs.length > 0 && jobs.every((job) => job.ints.length <= MAX_JOB_INTS)) {
    runOnThreads(jobs, () => share(direct, 0, first, end));
  } else {
    // Too many calls to record (huge batches): the same shares, one after another.
    for (const [part, [a, b]] of shares.entries()) share(direct, part, a, b);
  }
}

/** One convolution of {@linkcode convolveAll}: what {@linkcode convolve} takes. */
export interface Convolution {
  /** Where it reads. */
  geometry: ConvGeometry;
  /** Its weights. */
  filter: FilterSource;
  /** Output channels written per pixel. */
  outChannels: number;
  /** Where it writes. */
  output: OutputLayout;
  /** Bias and activation. */
  options?: ConvolveOptions;
}

/**
 * Runs one convolution: for every output pixel of `geometry` and output channel `co`,
 * `out = act(bias[co] + Σ taps, in-channels of input · weight)`, written through `output`.
 * With several threads, each computes whole images exactly as one thread would, so the
 * output is bit-identical whatever the thread count.
 *
 * @param outChannels output channels written per pixel.
 */
export function convolve(
  backend: WasmBackend,
  geometry: ConvGeometry,
  filter: FilterSource,
  outChannels: number,
  output: OutputLayout,
  options: ConvolveOptions = {},
): void {
  convolveAll(backend, [{ geometry, filter, outChannels, output, options }]);
}

/**
 * Runs several convolutions over the same images (equal `geometry.batch`), as
 * {@linkcode convolve} would one after another, in one round of the kernel pool: each
 * thread runs every convolution on its share of the images. A transposed convolution's
 * phase classes (lib/kernels/conv2d_backprop_input.ts) go through here, so its threads
 * meet once per call rather than once per class.
 */
export function convolveAll(backend: WasmBackend, convolutions: Convolution[]): void {
  const batch = convolutions[0].geometry.batch;
  const plans = convolutions.map((c) => {
    const { inChannels: cin, outHeight, outWidth } = c.geometry;
    const taps = c.filter.taps.length;
    const images = imagesPerChunk(c.geometry, taps);
    const dot = cin % 4 === 0 && c.outChannels <= MAX_DOT_CHANNELS;
    const paddedOut = dot ? c.outChannels : Math.ceil(c.outChannels / CHANNEL_TILE) * CHANNEL_TILE;
    const maxPixels = Math.ceil(images * outHeight * outWidth / PIXEL_TILE) * PIXEL_TILE;
    const macs = batch * outHeight * outWidth * taps * cin * c.outChannels;
    return { ...c, cin, taps, images, dot, paddedOut, maxPixels, macs };
  });
  const shares = imageShares(backend, batch, plans.reduce((sum, p) => sum + p.macs, 0));
  const scratch = new Scratch(backend, [
    ...plans.flatMap((p) => [p.paddedOut * p.taps * p.cin, p.paddedOut, p.cin + 4]),
    ...shares.flatMap(() => plans.flatMap((p) => [p.maxPixels * p.taps, p.maxPixels, p.paddedOut])),
  ]);
  try {
    const regions = scratch.regions;
    const heap = backend.wasm.HEAPF32;
    const fixed = plans.map((p, i) => {
      const [w, bias, zero] = regions.slice(3 * i, 3 * i + 3);
      packWeights(heap, p.filter, p.cin, p.outChannels, w >>> 2, p.dot);
      heap.fill(0, bias >>> 2, (bias >>> 2) + p.paddedOut);
      if (p.options?.bias !== undefined) {
        const b = p.options.bias >>> 2;
        heap.copyWithin(bias >>> 2, b, b + p.outChannels);
      }
      heap.fill(0, zero >>> 2, (zero >>> 2) + p.cin + 4);
      const run: PoolFunction = p.dot
        ? "convDot"
        : p.cin === 1
        ? "convGemmC1"
        : p.cin === 2
        ? "convGemmC2"
        : p.cin === 3
        ? "convGemmC3"
        : "convGemm";
      return { w, bias, zero, run };
    });
    const perShare = regions.slice(3 * plans.length);
    runShares(backend, shares, (runner, part, start, end) => {
      for (const [i, p] of plans.entries()) {
        const at = 3 * (part * plans.length + i);
        const [ind, outp, sink] = perShare.slice(at, at + 3);
        const { w, bias, zero, run } = fixed[i];
        const { outHeight, outWidth } = p.geometry;
        for (let first = start; first < end; first += p.images) {
          const count = Math.min(p.images, end - first);
          const npix = Math.ceil(count * outHeight * outWidth / PIXEL_TILE) * PIXEL_TILE;
          fillIndirection(runner, ind, zero, chunkOf(p.geometry, first, count), npix);
          runner.call(
            "outputs",
            outp,
            p.output.base + first * p.output.imageBytes,
            count,
            outHeight,
            outWidth,
            p.output.imageBytes,
            p.output.rowBytes,
            p.output.pixelBytes,
            npix,
            sink,
          );
          const relu = p.options?.relu ? 1 : 0;
          runner.call(run, ind, outp, npix, p.taps, p.cin, w, bias, p.outChannels, relu);
        }
      }
    });
  } finally {
    scratch.free();
  }
}

function fillIndirection(
  runner: Runner,
  ind: number,
  zero: number,
  g: ConvGeometry,
  npix: number,
): void {
  runner.call(
    "indirection",
    ind,
    g.input,
    zero,
    g.batch,
    g.outHeight,
    g.outWidth,
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.strideY,
    g.strideX,
    g.padTop,
    g.padLeft,
    g.tapsY,
    g.tapsX,
    g.dilationY,
    g.dilationX,
    npix,
  );
}

/**
 * Packs weights for `convGemm` (`[ceil(cout/8)][taps][cin][8]`, zero-padded channels) or
 * for `convDot` (`[cout][taps][cin]`), starting at float index `dst`.
 */
function packWeights(
  heap: Float32Array,
  filter: FilterSource,
  cin: number,
  cout: number,
  dst: number,
  dot: boolean,
): void {
  const { axis2, axis3, taps, swapChannels } = filter;
  const start = filter.address >>> 2;
  const tapSize = axis2 * axis3;
  // Strides of the input and output channel inside one filter tap.
  const inStride = swapChannels ? 1 : axis3;
  const outStride = swapChannels ? axis3 : 1;
  let d = dst;
  if (dot) {
    for (let o = 0; o < cout; o++) {
      for (const tap of taps) {
        const s = start + tap * tapSize + o * outStride;
        for (let c = 0; c < cin; c++) heap[d++] = heap[s + c * inStride];
      }
    }
    return;
  }
  for (let o0 = 0; o0 < cout; o0 += CHANNEL_TILE) {
    const width = Math.min(CHANNEL_TILE, cout - o0);
    for (const tap of taps) {
      for (let c = 0; c < cin; c++) {
        const s = start + tap * tapSize + c * inStride + o0 * outStride;
        for (let j = 0; j < width; j++) heap[d + j] = heap[s + j * outStride];
        for (let j = width; j < CHANNEL_TILE; j++) heap[d + j] = 0;
        d += CHANNEL_TILE;
      }
    }
  }
}

/**
 * Adds each `[rows, cols]` partial gradient (row stride `stride` floats) into `dw`
 * (`[rows, outChannels]`), in the order given, so the bits depend only on that order;
 * with unpadded rows (`stride = outChannels`), in one SIMD call per partial.
 */
function addPartials(
  backend: WasmBackend,
  partials: number[],
  dw: number,
  rows: number,
  outChannels: number,
  stride: number,
): void {
  const { add } = kernelsOf(backend);
  const view = backend.wasm.HEAPF32;
  const d = dw >>> 2;
  for (const partial of partials) {
    if (stride === outChannels) {
      add(dw, 0, partial, 0, dw, 1, rows * outChannels);
      continue;
    }
    const s = partial >>> 2;
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < outChannels; o++) {
        view[d + r * outChannels + o] += view[s + r * stride + o];
      }
    }
  }
}

/**
 * Accumulates the filter gradient of the convolution `geometry` (all `tapsY × tapsX`
 * taps, output channels = `dy`'s) into `dw`: `dw[t][ci][co] += Σ_p in(p, t)[ci] · dy[p][co]`.
 * The images are split into {@linkcode GRADIENT_PARTS} parts whatever the thread count;
 * each part is summed into its own buffer (the first into `dw` itself) and the buffers are
 * added in part order, so the result is bit-identical for any thread count up to the
 * number of parts; threads only decide which parts run where.
 *
 * @param dy byte address of `dy`, `[batch·outHeight·outWidth, outChannels]`.
 * @param dw byte address of the gradient `[tapsY·tapsX, inChannels, outChannels]`, which
 * must be zeroed (or hold a sum to add to).
 */
export function filterGradient(
  backend: WasmBackend,
  geometry: ConvGeometry,
  dy: number,
  outChannels: number,
  dw: number,
): void {
  const { inChannels: cin, outHeight, outWidth } = geometry;
  const taps = geometry.tapsY * geometry.tapsX;
  const images = imagesPerChunk(geometry, taps);
  const imagePositions = outHeight * outWidth;
  const maxPositions = images * imagePositions;
  // The kernel reads dy four channels at a time; other widths go through padded copies.
  const cout4 = Math.ceil(outChannels / 4) * 4;
  const padded = cout4 !== outChannels;
  // Register tiles: see FILTER_TILES in simd_module.ts.
  const tapRows = cin < TAP_ROWS_BELOW;
  const [rowTile, vectorTile] = tapRows && cout4 % 16 === 0 ? [3, 4] : [6, 2];
  const dwFloats = taps * cin * cout4;
  const parts = evenRanges(geometry.batch, Math.min(geometry.batch, GRADIENT_PARTS));
  const threads = threadsFor(
    backend,
    parts.length,
    geometry.batch * imagePositions * taps * cin * cout4,
  );
  // Each thread's share: a run of consecutive parts.
  const shares = evenRanges(parts.length, threads);
  const positions = geometry.batch * imagePositions;
  const scratch = new Scratch(backend, [
    cin + 4,
    padded ? positions * cout4 : 0,
    ...shares.map(() => maxPositions * taps),
    ...parts.map((_, part) => padded || part > 0 ? dwFloats : 0),
  ]);
  try {
    const [zero, dyPadded, ...rest] = scratch.regions;
    const tables = rest.slice(0, shares.length);
    const partials = rest.slice(shares.length);
    const heap = backend.wasm.HEAPF32;
    heap.fill(0, zero >>> 2, (zero >>> 2) + cin + 4);
    if (padded) {
      const d = dyPadded >>> 2;
      const src = dy >>> 2;
      heap.fill(0, d, d + positions * cout4);
      for (let p = 0; p < positions; p++) {
        for (let o = 0; o < outChannels; o++) {
          heap[d + p * cout4 + o] = heap[src + p * outChannels + o];
        }
      }
    }
    for (let part = 0; part < parts.length; part++) {
      if (padded || part > 0) {
        heap.fill(0, partials[part] >>> 2, (partials[part] >>> 2) + dwFloats);
      }
    }
    const dySource = padded ? dyPadded : dy;
    runShares(backend, shares, (runner, thread, firstPart, endPart) => {
      const ind = tables[thread];
      for (let part = firstPart; part < endPart; part++) {
        const [start, end] = parts[part];
        for (let first = start; first < end; first += images) {
          const count = Math.min(images, end - first);
          const chunkPositions = count * imagePositions;
          fillIndirection(runner, ind, zero, chunkOf(geometry, first, count), chunkPositions);
          runner.call(
            tapRows ? "filterGradTaps" : "filterGrad",
            ind,
            chunkPositions,
            taps,
            cin,
            dySource + first * imagePositions * cout4 * 4,
            cout4,
            padded || part > 0 ? partials[part] : dw,
            rowTile,
            vectorTile,
          );
        }
      }
    });
    addPartials(backend, partials.slice(padded ? 0 : 1), dw, taps * cin, outChannels, cout4);
  } finally {
    scratch.free();
  }
}
