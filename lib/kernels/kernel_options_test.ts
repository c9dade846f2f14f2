import { InputError } from "../errors.ts";
import {
  allCores,
  kernelOptionsFromEnv,
  maxThreads,
  MIN_PARALLEL_MACS,
  parseThreads,
  THREADS_PER_CORE,
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
  const max = maxThreads();
  if (parseThreads("1") !== 1 || parseThreads(String(max)) !== max) {
    throw new Error("rejected a count");
  }
  for (const bad of ["0", "abc", "-2", "1.5", "", "2x", String(max + 1), "4096"]) {
    assertRefused(() => parseThreads(bad), "--threads");
  }
  // The cap follows the core count.
  if (max !== THREADS_PER_CORE * allCores()) throw new Error(`cap ${max}`);
  assertRefused(() => kernelOptionsFromEnv({ THREADS: "512" }), "THREADS must be at most");
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
