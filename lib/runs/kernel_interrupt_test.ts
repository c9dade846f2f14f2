import { assert, assertEquals } from "../_assert.ts";
import { inJupyterKernel, withKernelInterrupt } from "./kernel_interrupt.ts";

Deno.test("withKernelInterrupt() passes a given signal on, and outside the kernel adds none", async () => {
  assert(!inJupyterKernel());
  const given = new AbortController().signal;
  assertEquals(await withKernelInterrupt(given, (s) => Promise.resolve(s === given)), true);
  assertEquals(await withKernelInterrupt(undefined, (s) => Promise.resolve(s)), undefined);
});
