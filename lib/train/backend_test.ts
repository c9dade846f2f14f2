import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "./backend.ts";

Deno.test("selectBackend picks wasm with the project's kernels for auto and logs one line", async () => {
  const lines: string[] = [];
  const active = await selectBackend("auto", { log: (line) => lines.push(line) });
  if (active !== "wasm" || tf.getBackend() !== "wasm") throw new Error(`auto chose ${active}`);
  if (lines.length !== 1 || !lines[0].includes("wasm")) throw new Error(`logged ${lines}`);
  if (tf.getKernel(tf.Conv2DBackpropFilter, "wasm") === undefined) {
    throw new Error("the filter-gradient kernel is missing");
  }
});

Deno.test("selectBackend switches between cpu and wasm repeatedly", async () => {
  const log = () => {};
  for (const name of ["cpu", "wasm", "cpu", "auto"] as const) {
    const active = await selectBackend(name, { log });
    const expected = name === "auto" ? "wasm" : name;
    if (active !== expected || tf.getBackend() !== expected) {
      throw new Error(`${name} gave ${active}`);
    }
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (sum !== 3) throw new Error(`1 + 2 = ${sum} on ${active}`);
  }
});

Deno.test("selectBackend rejects webgpu without a hardware GPU instead of falling back", async () => {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  const info = (adapter as { info?: { isFallbackAdapter?: boolean } } | null | undefined)?.info;
  if (adapter && !info?.isFallbackAdapter) return; // a real GPU: nothing to check here
  try {
    await selectBackend("webgpu", { log: () => {} });
  } catch (error) {
    if (!(error as Error).message.includes("webgpu")) throw error;
    return;
  }
  throw new Error("webgpu was selected without a GPU");
});

Deno.test("webgpu without a hardware adapter is refused in one line, as bad input", async () => {
  const { InputError } = await import("../errors.ts");
  const adapters = [
    null,
    { isFallbackAdapter: true },
    { info: { isFallbackAdapter: true, description: "llvmpipe (LLVM 19.1.7, 256 bits)" } },
  ];
  for (const adapter of adapters) {
    const gpu = { requestAdapter: () => Promise.resolve(adapter) };
    try {
      await selectBackend("webgpu", { log: () => {}, gpu });
    } catch (error) {
      const message = (error as Error).message;
      if (!(error instanceof InputError) || message.includes("\n") || !message.includes("webgpu")) {
        throw new Error(`adapter ${JSON.stringify(adapter)}: ${error}`);
      }
      continue;
    }
    throw new Error(`adapter ${JSON.stringify(adapter)} was accepted`);
  }
  if (tf.getBackend() === "webgpu") throw new Error("webgpu became active");
});

Deno.test("wasm runs on a shared heap and starts the requested kernel threads", async () => {
  const lines: string[] = [];
  await selectBackend("wasm", { log: (line) => lines.push(line), threads: 2 });
  const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } })
    .wasm.asm.memory;
  if (!(memory.buffer instanceof SharedArrayBuffer)) throw new Error("the wasm heap is not shared");
  if (!lines[0]?.includes("2 threads")) throw new Error(`logged ${lines}`);
  await selectBackend("wasm", { log: (line) => lines.push(line), threads: 1 });
  if (!lines[1]?.includes("1 thread)")) throw new Error(`logged ${lines}`);
});

Deno.test("selectBackend refuses a thread count below 1 as bad input, even for auto", async () => {
  const { InputError } = await import("../errors.ts");
  for (const name of ["wasm", "auto"] as const) {
    try {
      await selectBackend(name, { log: () => {}, threads: 0 });
    } catch (error) {
      if (error instanceof InputError && !(error as Error).message.includes("\n")) continue;
      throw error;
    }
    throw new Error(`${name} accepted threads: 0`);
  }
});
