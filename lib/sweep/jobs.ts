/**
 * A sweep, or a learning curve's models, in job processes (sweep_job.ts), sharing the kernel
 * threads.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { SweepOptions } from "./sweep.ts";
import { kernelOptions } from "../kernels/kernel_options.ts";
import { progressFile } from "../train/log.ts";
import type { CurveJob } from "./learning_curve.ts";

/** What a job process does: a sweep's options (less the callbacks), or a curve's models. */
type JobWork = Omit<SweepOptions, "callbacks" | "signal" | "log" | "jobs"> | { curve: CurveJob };

/** A job's argument, as JSON: its work, and this process's kernel `fma` and progress feed. */
export type JobInput = JobWork & { fma?: boolean; progressFile?: string };

/** Exit code of a job stopped by SIGTERM after its current batch. */
export const JOB_INTERRUPTED = 130;

/** Kernel threads of each of `jobs` jobs sharing `threads` threads: at least 1. */
export function threadsPerJob(threads: number, jobs: number): number {
  return Math.max(1, Math.floor(threads / jobs));
}

/**
 * Runs `count` job processes of the sweep `input` (which must name it) or of a learning curve
 * (`{ curve }`) and waits for them; `log` gets their lines prefixed `[job K/N]`, aborting
 * `signal` sends them SIGTERM.
 *
 * @throws {InputError} with a job's own `error:` line when a job refused its input.
 */
export async function runJobs(
  input: JobWork,
  count: number,
  { log, signal }: { log: (line: string) => void; signal?: AbortSignal },
): Promise<{ interrupted: boolean }> {
  const script = new URL("./sweep_job.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const given: JobInput = { ...input, fma: kernelOptions().fma, progressFile: progressFile() };
  const jobs = Array.from({ length: count }, (_, k) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", config, script, JSON.stringify(given)],
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const errors: string[] = [];
    const lines = forwardLines(child.stderr, (line) => {
      if (line.startsWith("error: ")) errors.push(line.slice("error: ".length));
      log(`[job ${k + 1}/${count}] ${line}`);
    });
    return { child, errors, lines };
  });
  const stop = () => {
    for (const { child } of jobs) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already ended
      }
    }
  };
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const statuses = await Promise.all(jobs.map(async (j) => {
      await j.lines;
      return await j.child.status;
    }));
    for (const [k, { code }] of statuses.entries()) {
      const error = jobs[k].errors.at(-1);
      if (code === 2 && error) throw new InputError(error);
      if (code !== 0 && code !== JOB_INTERRUPTED) {
        const why = error ?? "see its lines above";
        throw new Error(`sweep job ${k + 1}/${count} failed (exit ${code}): ${why}`);
      }
    }
    return { interrupted: statuses.some((s) => s.code === JOB_INTERRUPTED) };
  } finally {
    signal?.removeEventListener("abort", stop);
    // Open until the jobs end: its end tells a job that this process died.
    for (const { child } of jobs) await child.stdin.close().catch(() => {});
  }
}

/** Calls `line` with each line of `stream` (a job's stderr), `\r` redraws dropped. */
async function forwardLines(
  stream: ReadableStream<Uint8Array>,
  line: (text: string) => void,
): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const part of parts) {
      // deno-lint-ignore no-control-regex -- a job's terminal escapes are dropped
      const text = part.split("\r").at(-1)!.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trimEnd();
      if (text) line(text);
    }
  }
  if (rest.trim()) line(rest.trimEnd());
}
