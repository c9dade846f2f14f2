/**
 * The Jupyter kernel's interrupt (SIGINT, which by default kills the Deno kernel,
 * denoland/deno#24491) as an `AbortSignal`, so training stops at a checkpoint instead.
 *
 * @module
 */

/** Whether this process is the Deno Jupyter kernel (outside it, `Deno.jupyter` throws). */
export function inJupyterKernel(): boolean {
  try {
    return (Deno as unknown as { jupyter?: unknown }).jupyter !== undefined;
  } catch {
    return false;
  }
}

/** Runs `body` with `signal`, else in the Jupyter kernel with one fired by SIGINT, else none. */
export async function withKernelInterrupt<T>(
  signal: AbortSignal | undefined,
  body: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (signal || !inJupyterKernel()) return await body(signal);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await body(controller.signal);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
