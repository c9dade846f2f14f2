/**
 * Helpers for the command-line tests: run an entry point as a user would, in a child process,
 * and compare the `results.csv` of two sweeps.
 *
 * @module
 */
import { assert, assertEquals } from "../lib/_testing_assert.ts";

/** Exit code and decoded output of a finished command. */
export interface CommandResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Options of {@linkcode runScript}. */
export interface RunScriptOptions {
  /** Environment of the child. @default { NO_COLOR: "1" } added to the parent's */
  env?: Record<string, string>;
  /** Start from an empty environment (only `env`). @default false */
  clearEnv?: boolean;
}

/** Runs `deno run -A script ...args` to completion and returns its exit code and output. */
export async function runScript(
  script: string,
  args: string[],
  options: RunScriptOptions = {},
): Promise<CommandResult> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    clearEnv: options.clearEnv ?? false,
    env: options.env ?? { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: r.code, stdout: d.decode(r.stdout), stderr: d.decode(r.stderr) };
}

/** Columns of `results.csv` that measure time, not results. */
const TIMING = ["train_seconds", "denoise_seconds", "seconds_per_image"];

/** A sweep's `results.csv` as rows of cells by column, timing columns dropped. */
export async function csvRows(path: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await Deno.readTextFile(path)).trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(
      columns.map((c, i) => [c, cells[i]]).filter(([c]) => !TIMING.includes(c)),
    );
  });
}

/** Asserts that two sweeps' `results.csv` rows match: numbers to 1e-6, text exactly. */
export async function assertSameResults(got: string, expected: string): Promise<void> {
  const [a, b] = [await csvRows(got), await csvRows(expected)];
  assertEquals(a.length, b.length, `${got}: ${a.length} rows, ${expected}: ${b.length}`);
  for (const [i, row] of b.entries()) {
    for (const [column, value] of Object.entries(row)) {
      const [x, y] = [Number(value), Number(a[i][column])];
      const same = value === "" || Number.isNaN(x)
        ? a[i][column] === value
        : Math.abs(x - y) <= 1e-6;
      assert(same, `row ${i} ${column}: ${a[i][column]} ≠ ${value}`);
    }
  }
}
