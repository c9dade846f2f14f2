import { assembleModule, Func, i32, ifElse } from "./wasm_asm.ts";

/** Instantiates `bytes` on a fresh one-page memory. */
function instantiate(bytes: Uint8Array<ArrayBuffer>): {
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
} {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { exports: instance.exports, memory };
}

Deno.test("an assembled module runs its loops, branches and memory accesses as written", () => {
  // sumTo(n, out): memory[out] = 0 + 1 + … + (n − 1), or −1 when n is negative.
  const f = new Func([["n", "i32"], ["out", "i32"]], [["i", "i32"], ["s", "i32"]]);
  const body = ifElse(
    i32.ltS(f.get("n"), i32.const(0)),
    i32.store(f.get("out"), i32.const(-1)),
    [
      ...f.for("i", i32.const(0), f.get("n"), 1, f.inc("s", f.get("i"))),
      ...i32.store(f.get("out"), f.get("s")),
    ],
  );
  const { exports, memory } = instantiate(assembleModule([{ func: f, body, exportAs: "sumTo" }]));
  const sumTo = exports.sumTo as (n: number, out: number) => void;
  const view = new Int32Array(memory.buffer);
  const results = [1000, 0, -5].map((n) => (sumTo(n, 64), view[16]));
  if (String(results) !== "499500,0,-1") throw new Error(`sumTo gave ${results}`);
});

Deno.test("the assembler encodes large and negative constants as LEB128", () => {
  const f = new Func([["out", "i32"]]);
  const body = [
    ...i32.store(f.get("out"), i32.const(-123_456_789)),
    ...i32.store(f.get("out"), i32.const(2_000_000_000), 4),
  ];
  const { exports, memory } = instantiate(assembleModule([{ func: f, body, exportAs: "write" }]));
  (exports.write as (out: number) => void)(8);
  const view = new Int32Array(memory.buffer, 8, 2);
  if (view[0] !== -123_456_789 || view[1] !== 2_000_000_000) throw new Error(`wrote ${view}`);
});

Deno.test("a module assembled for a shared memory imports only a shared one", () => {
  const f = new Func([["out", "i32"]]);
  const bytes = assembleModule([{
    func: f,
    body: i32.store(f.get("out"), i32.const(7)),
    exportAs: "w",
  }], true);
  const module = new WebAssembly.Module(bytes);
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory: shared } });
  (instance.exports.w as (out: number) => void)(4);
  if (new Int32Array(shared.buffer)[1] !== 7) throw new Error("did not write the shared memory");
  let refused = false;
  try {
    new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
  } catch {
    refused = true;
  }
  if (!refused) throw new Error("accepted an unshared memory");
});
