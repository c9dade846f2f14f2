/**
 * The commands' entry point: the kernels take `KERNEL_FMA` (tools/_flags.ts); bad input and a
 * full disk are one line and exit 2, a diverged run one line and exit 1; anything else is a bug
 * and keeps its stack trace.
 *
 * @module
 */
import { isDiskFull } from "../lib/runs/atomic.ts";
import { InputError } from "../lib/errors.ts";
import { DivergedError } from "../lib/train/train.ts";
import { applyKernelFma } from "./_flags.ts";

/** Runs `main` and exits with its code, mapping errors as above; `--help` or `-h` prints `help()`. */
export async function runMain(main: () => Promise<number>, help?: () => string): Promise<never> {
  let code = 0;
  try {
    applyKernelFma();
    if (!help || !(Deno.args.includes("--help") || Deno.args.includes("-h"))) code = await main();
    else console.log(help());
  } catch (e) {
    const known = e instanceof InputError || e instanceof DivergedError;
    if (!known && !isDiskFull(e)) throw e;
    console.error(`error: ${known ? "" : "disk full: "}${(e as Error).message}`);
    code = e instanceof DivergedError ? 1 : 2;
  }
  Deno.exit(code);
}

/** Aborted by the first SIGINT or SIGTERM (reason: its name); a second one exits at once. */
export function interruptSignal(onFirst?: (signal: string) => void): AbortSignal {
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      if (controller.signal.aborted) Deno.exit(130);
      onFirst?.(sig);
      controller.abort(sig);
    });
  }
  return controller.signal;
}
