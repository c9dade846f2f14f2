/**
 * One job process of a parallel sweep or learning curve (started by jobs.ts): options as JSON
 * in its argument, lines on stderr.
 * SIGTERM stops it after the current batch (exit 130); the end of stdin (the parent died) ends
 * it at once; bad input is one `error:` line and exit 2.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { consoleProgress, setProgressFile } from "../train/log.ts";
import { setKernelOptions } from "../kernels/kernel_options.ts";
import { JOB_INTERRUPTED, type JobInput } from "./jobs.ts";
import { runSweep } from "./sweep.ts";
import { trainCurveJob } from "./learning_curve.ts";

async function main(): Promise<number> {
  // The parent keeps stdin open while it lives: its end means the parent died.
  void new Response(Deno.stdin.readable).arrayBuffer().then(() => Deno.exit(137));
  const { fma, progressFile, ...options }: JobInput = JSON.parse(Deno.args[0]);
  setKernelOptions({ fma });
  setProgressFile(progressFile);
  const controller = new AbortController();
  Deno.addSignalListener("SIGTERM", () => controller.abort());
  const { signal } = controller;
  const callbacks = [consoleProgress({ live: false })];
  const log = (line: string) => console.error(line);
  if ("curve" in options) {
    return await trainCurveJob(options.curve, { callbacks, log, signal }) ? 0 : JOB_INTERRUPTED;
  }
  const result = await runSweep({ ...options, jobs: 1, job: true, callbacks, log, signal });
  return result.status === "interrupted" ? JOB_INTERRUPTED : 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`error: ${e.message}`);
    code = 2;
  }
  Deno.exit(code);
}
