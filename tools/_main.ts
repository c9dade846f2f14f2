/**
 * Shared entry-point wrapper: bad input (and a full disk) is one line on stderr and exit
 * code 2; a diverged training run is one line and exit code 1; anything else is a bug and
 * keeps its stack trace.
 *
 * @module
 */
import { isDiskFull } from "../lib/runs/atomic.ts";
import { InputError } from "../lib/errors.ts";
import { DivergedError } from "../lib/train/train.ts";

/** Runs `main` and exits with its code, mapping errors as the module doc says. */
export async function runMain(main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`error: ${e.message}`);
      code = 2;
    } else if (isDiskFull(e)) {
      console.error(`error: disk full: ${(e as Error).message}`);
      code = 2;
    } else if (e instanceof DivergedError) {
      console.error(`error: ${e.message}`);
      code = 1;
    } else {
      throw e;
    }
  }
  Deno.exit(code);
}

/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM, so training stops after the
 * current batch with its checkpoint intact. A second SIGINT exits at once.
 */
export function interruptSignal(onFirst: (signal: string) => void): AbortSignal {
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      if (controller.signal.aborted) Deno.exit(130);
      onFirst(sig);
      controller.abort();
    });
  }
  return controller.signal;
}
