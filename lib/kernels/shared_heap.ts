/**
 * Makes tfjs-backend-wasm's heap a shared `WebAssembly.Memory`, so that Workers can run
 * the project's kernels on tensors in place (see {@linkcode ./kernel_pool.ts}).
 *
 * Under Deno, tfjs-backend-wasm loads its single-threaded SIMD binary, whose memory is
 * an ordinary one (256 pages to at most 65,536). This module reads that binary, sets the
 * `shared` flag of its memory's limits (1 → 3: a maximum is already declared; the
 * binary uses no atomics, so nothing else changes) and hands it to tfjs through
 * `setWasmPaths` as a `blob:` URL. Nothing happens on import.
 *
 * @module
 */

/** Where tfjs-backend-wasm's single-threaded SIMD binary lies. */
function simdBinaryUrl(): URL {
  const main = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  return new URL("tfjs-backend-wasm-simd.wasm", main);
}

function readUleb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/**
 * A copy of the wasm module `binary` whose one defined memory is shared. Returns
 * undefined when the module imports its memory, has none, or declares no maximum
 * (a shared memory needs one).
 */
export function withSharedMemory(binary: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  const bytes = Uint8Array.from(binary);
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    const [size, body] = readUleb(bytes, at);
    if (id === 5) {
      const [count, limits] = readUleb(bytes, body);
      if (count !== 1 || bytes[limits] !== 1) return undefined;
      bytes[limits] = 3;
      return bytes;
    }
    at = body + size;
  }
  return undefined;
}

let cachedUrl: string | undefined;

/**
 * A `blob:` URL of tfjs-backend-wasm's SIMD binary with a shared memory, for
 * `setWasmPaths(..., true)`; undefined when the binary cannot be read or patched.
 */
export function sharedHeapBinaryUrl(): string | undefined {
  if (cachedUrl !== undefined) return cachedUrl;
  let binary: Uint8Array;
  try {
    binary = Deno.readFileSync(simdBinaryUrl());
  } catch {
    return undefined;
  }
  const patched = withSharedMemory(binary);
  if (patched === undefined || !WebAssembly.validate(patched)) return undefined;
  cachedUrl = URL.createObjectURL(new Blob([patched], { type: "application/wasm" }));
  return cachedUrl;
}
