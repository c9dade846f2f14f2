/**
 * Helpers for the command-line tests: run an entry point as a user would, in a child process.
 *
 * @module
 */

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
