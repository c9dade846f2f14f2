import { assert, assertEquals } from "../_testing_assert.ts";
import { jupyter } from "../train/log.ts";
import { withKernelInterrupt } from "./kernel_interrupt.ts";

Deno.test("withKernelInterrupt() passes a given signal on, and outside the kernel adds none", async () => {
  assert(!jupyter());
  const given = new AbortController().signal;
  assertEquals(await withKernelInterrupt(given, (s) => Promise.resolve(s === given)), true);
  assertEquals(await withKernelInterrupt(undefined, (s) => Promise.resolve(s)), undefined);
});
