import { assembleModule, Func } from "./wasm_asm.ts";
import { sharedHeapBinaryUrl, withSharedMemory } from "./shared_heap.ts";

/** A module that defines (not imports) a memory of 1 to 2 pages, with an empty body. */
function moduleWithMemory(limits: number[]): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    0x05,
    limits.length + 1,
    0x01,
    ...limits,
  ]);
}

Deno.test("withSharedMemory marks a defined memory with a maximum as shared", () => {
  const patched = withSharedMemory(moduleWithMemory([0x01, 0x01, 0x02]));
  if (patched === undefined) throw new Error("not patched");
  new WebAssembly.Instance(new WebAssembly.Module(patched)); // allocates a shared memory
  if (patched[11] !== 0x03) throw new Error(`limits flag ${patched[11]}`);
  if (!WebAssembly.validate(patched)) throw new Error("invalid module");
});

Deno.test("withSharedMemory leaves modules it cannot share alone", () => {
  if (withSharedMemory(moduleWithMemory([0x00, 0x01])) !== undefined) throw new Error("no maximum");
  const f = new Func([]);
  const imported = assembleModule([{ func: f, body: [], exportAs: "f" }]);
  if (withSharedMemory(imported) !== undefined) throw new Error("imported memory");
});

Deno.test("tfjs-backend-wasm's SIMD binary is found and patched", async () => {
  const url = sharedHeapBinaryUrl();
  if (url === undefined) throw new Error("no patched binary");
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  if (!WebAssembly.validate(bytes)) throw new Error("patched binary is invalid");
});
