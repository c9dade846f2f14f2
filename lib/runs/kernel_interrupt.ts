/**
 * The Jupyter kernel's interrupt (SIGINT, which by default kills the Deno kernel,
 * denoland/deno#24491) as an `AbortSignal`, so training stops at a checkpoint instead.
 *
 * @module
 */
import { jupyter } from "../train/log.ts";

/** Runs `body` with `signal`, else in the Jupyter kernel with one fired by SIGINT, else none. */
export async function withKernelInterrupt<T>(
  signal: AbortSignal | undefined,
  body: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (signal || !jupyter()) return await body(signal);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await body(controller.signal);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
