/**
 * The Jupyter kernel's interrupt as an `AbortSignal`. Jupyter interrupts the Deno kernel
 * with SIGINT, which by default kills the kernel and everything it holds
 * (denoland/deno#24491). While a run trains in the kernel, {@linkcode withKernelInterrupt}
 * listens for SIGINT instead: training stops after the current batch with its last
 * checkpoint intact, the cell fails with one line, and the kernel lives on, so re-running
 * the cell continues the same run.
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

/**
 * Runs `body` with `signal` when given; otherwise, inside the Jupyter kernel, with a signal
 * that fires on the kernel's interrupt (SIGINT) while `body` runs; elsewhere with none.
 */
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
