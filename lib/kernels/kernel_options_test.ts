import { InputError } from "../errors.ts";
import {
  allCores,
  kernelOptionsFromEnv,
  MIN_PARALLEL_MACS,
  parseThreads,
} from "./kernel_options.ts";

/** Throws unless `f` throws an InputError with a one-line message containing `part`. */
function assertRefused(f: () => unknown, part: string): void {
  try {
    f();
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof InputError && !message.includes("\n") && message.includes(part)) return;
    throw new Error(`wrong error: ${error}`);
  }
  throw new Error(`accepted (${part})`);
}

Deno.test("parseThreads accepts whole numbers ≥ 1 and refuses the rest in one line", () => {
  if (parseThreads("1") !== 1 || parseThreads("16") !== 16) throw new Error("rejected a count");
  for (const bad of ["0", "abc", "-2", "1.5", "", "2x"]) {
    assertRefused(() => parseThreads(bad), "--threads");
  }
});

Deno.test("THREADS and KERNEL_FMA are read from the environment, with defaults", () => {
  const defaults = kernelOptionsFromEnv({});
  if (defaults.threads !== allCores() || !defaults.fma) throw new Error(JSON.stringify(defaults));
  if (defaults.minParallelMacs !== MIN_PARALLEL_MACS) throw new Error("threshold changed");
  const set = kernelOptionsFromEnv({ THREADS: "3", KERNEL_FMA: "0" });
  if (set.threads !== 3 || set.fma) throw new Error(JSON.stringify(set));
  assertRefused(() => kernelOptionsFromEnv({ THREADS: "0" }), "THREADS");
  assertRefused(() => kernelOptionsFromEnv({ KERNEL_FMA: "yes" }), "KERNEL_FMA");
});
