/**
 * Typed access to the parts of tfjs-backend-wasm that the project's kernels use:
 * tensor memory on the wasm heap and the stock kernels they delegate to.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What tfjs-backend-wasm records for one tensor. */
export interface WasmTensorData {
  /** The id the C++ side knows the tensor by. */
  id: number;
  /** Byte offset of the first element on the wasm heap. */
  memoryOffset: number;
}

/**
 * The slice of tfjs-backend-wasm's `BackendWasm` that the kernels touch. Declared here
 * rather than imported so that type-checking a kernel does not load the backend.
 */
export interface WasmBackend {
  /** The Emscripten module. */
  wasm: {
    /** A view of the whole heap; replaced whenever the heap grows. */
    HEAPF32: Float32Array;
    /** The module's exports, including its memory. */
    asm: { memory: WebAssembly.Memory };
    /** Allocates `bytes` on the heap; returns the byte address. */
    _malloc(bytes: number): number;
    /** Frees a block from {@linkcode WasmBackend.wasm._malloc}. */
    _free(address: number): void;
  };
  /** Tensor bookkeeping, keyed by `TensorInfo.dataId`. */
  dataIdMap: { get(dataId: tf.DataId): WasmTensorData | undefined };
  /** Allocates an uninitialised output on the heap; the caller owns it. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** How many tensors share a tensor's memory. */
  refCount(dataId: tf.DataId): number;
  /** Adds a reference to a tensor's memory. */
  incRef(dataId: tf.DataId): void;
  /** Releases a tensor made by {@linkcode WasmBackend.makeOutput}. */
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** Arguments every kernel function receives. */
export interface KernelArgs {
  /** Named inputs. */
  inputs: tf.NamedTensorInfoMap;
  /** The backend running the kernel. */
  backend: WasmBackend;
  /** Op attributes. */
  attrs?: tf.NamedAttrMap;
}

/** A kernel function of the wasm backend with one output. */
export type WasmKernelFunc = (args: KernelArgs) => tf.TensorInfo;

/**
 * Byte address of the first element of `t` on the wasm heap (`>>> 2` for its index in
 * `HEAPF32`). Re-read `backend.wasm.HEAPF32` after any allocation: a growing heap
 * detaches the old view, though addresses stay valid.
 */
export function addressOf(backend: WasmBackend, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error("tensor is not on the wasm backend");
  return data.memoryOffset;
}

/**
 * The stock wasm kernel registered under `name`, captured before the project replaces
 * it. Throws when tfjs-backend-wasm has none.
 */
export function stockKernel(name: string): WasmKernelFunc {
  const config = tf.getKernel(name, "wasm");
  if (config === undefined) throw new Error(`wasm backend has no kernel ${name}`);
  return config.kernelFunc as unknown as WasmKernelFunc;
}
