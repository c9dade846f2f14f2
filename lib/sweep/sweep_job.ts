/**
 * One job process of a parallel sweep or learning curve (started by jobs.ts): options as JSON
 * on stdin, lines on stderr, `{"computed": N}` (the curve's: `{"trained": [...]}`) on stdout.
 * SIGTERM stops it after the current batch (exit 130); the end of stdin (the parent died) ends
 * it at once; bad input is one `error:` line and exit 2.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { consoleProgress } from "../train/progress.ts";
import { setProgressFile } from "../train/log.ts";
import { setKernelOptions } from "../kernels/kernel_options.ts";
import { JOB_INTERRUPTED, type JobInput } from "./jobs.ts";
import { runSweep } from "./sweep.ts";
import { curveModels } from "./learning_curve.ts";

/** The options: the first line on stdin. */
async function readOptions(): Promise<JobInput> {
  const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  void (async () => {
    while (!(await reader.read()).done) { /* the parent writes nothing more */ }
    Deno.exit(137);
  })();
  return JSON.parse(text);
}

async function main(): Promise<number> {
  const { fma, progressFile, ...options } = await readOptions();
  setKernelOptions({ fma });
  setProgressFile(progressFile);
  const controller = new AbortController();
  Deno.addSignalListener("SIGTERM", () => controller.abort());
  const { signal } = controller;
  const callbacks = [consoleProgress({ live: false })];
  const log = (line: string) => console.error(line);
  if ("curve" in options) {
    const result = await curveModels(options.curve, { callbacks, log, signal, claim: true });
    console.log(JSON.stringify({ trained: result ?? [] }));
    return result ? 0 : JOB_INTERRUPTED;
  }
  const result = await runSweep({ ...options, jobs: 1, job: true, callbacks, log, signal });
  console.log(JSON.stringify({ computed: result.computed }));
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
