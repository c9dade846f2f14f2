/**
 * Running one notebook for the report: nbconvert as a child whose whole process tree a signal
 * can stop, the parameters injected papermill-style, and a failure named by its cell.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../lib/errors.ts";
import { injectParameters, type ParamNotebook } from "./_report_params.ts";

/** Seconds one cell may run before nbconvert gives up: a full training run fits easily. */
export const CELL_TIMEOUT_SECONDS = 24 * 3600;

/** A notebook failed: the message names the notebook and the cell. */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

export interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: {
    output_type: string;
    name?: string;
    text?: string | string[];
    ename?: string;
    evalue?: string;
  }[];
}

export interface Notebook {
  cells: Cell[];
}

/**
 * Reads notebook file `path`, checking that it is one: JSON with a list of cells, each with a
 * `cell_type` and a `source`. Throws {@linkcode InputError} with one line naming the file.
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let nb: unknown;
  try {
    nb = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    const why = (e as Error).message.replace(/ \(os error \d+\).*$/, "").replace(/\s+/g, " ");
    throw new InputError(`notebook ${path} is not readable JSON: ${why}`);
  }
  const cells = (nb as Partial<Notebook> | null)?.cells;
  if (!Array.isArray(cells)) {
    throw new InputError(`notebook ${path} is not a notebook: it has no list of cells`);
  }
  const bad = cells.findIndex((c: Partial<Cell> | null) =>
    typeof c?.cell_type !== "string" ||
    !(typeof c.source === "string" || Array.isArray(c.source))
  );
  if (bad >= 0) {
    throw new InputError(
      `notebook ${path} is not a notebook: cell ${bad + 1} lacks a cell_type or source`,
    );
  }
  return nb as Notebook;
}

export function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

function cellName(cells: Cell[], index: number): string {
  const codeIndex = cells.slice(0, index + 1).filter((c) => c.cell_type === "code").length;
  const first = text(cells[index].source).trim().split("\n")[0];
  return `cell ${index + 1} (code cell ${codeIndex}: \`${first}\`)`;
}

/**
 * Problems in an executed notebook: every `error` output, and stderr output with a line
 * starting "error" or "Uncaught" (what Deno prints for a failure outside a cell's result).
 */
export function notebookProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") {
        problems.push(`${cellName(nb.cells, i)}: ${o.ename}: ${o.evalue}`);
      } else if (o.output_type === "stream" && o.name === "stderr") {
        const line = text(o.text).split("\n").find((l) => /^\s*(error|uncaught)\b/i.test(l));
        if (line) problems.push(`${cellName(nb.cells, i)}: ${line.trim()}`);
      }
    }
  });
  return problems;
}

const FAILED_CELL =
  /An error occurred while executing the following cell:\n-+\n([\s\S]*?)\n-+\n([\s\S]*)$/;

/**
 * Names the cell of a failed `nbconvert --execute` from its stderr, which quotes the cell's
 * source and the error but not the cell's number.
 */
export function describeFailure(stderr: string, nb: Notebook): string {
  const m = FAILED_CELL.exec(stderr);
  if (!m) {
    const tail = stderr.trim().split("\n").slice(-8).join("\n  ");
    return `nbconvert failed:\n  ${tail}`;
  }
  const source = m[1].trim();
  const index = nb.cells.findIndex((c) =>
    c.cell_type === "code" && text(c.source).trim() === source
  );
  const where = index >= 0
    ? cellName(nb.cells, index)
    : `the cell starting \`${source.split("\n")[0]}\``;
  const error = m[2].trim().split("\n").filter((l) => l.trim() !== "").at(-1) ?? "unknown error";
  return `${where}: ${error}`;
}

/** What the signal handler needs: the running child, and the signal once one came. */
export interface Stopper {
  child?: Deno.ChildProcess;
  signal?: string;
}

/** The report was stopped by SIGINT or SIGTERM. */
export class ReportInterrupted extends Error {
  constructor(signal: string, where: string) {
    super(`stopped by ${signal} during ${where}`);
    this.name = "ReportInterrupted";
  }
}

/** The watchdog every `jupyter` child runs under (see `_watchdog.ts`). */
const WATCHDOG = new URL("./_watchdog.ts", import.meta.url).pathname;

/**
 * Runs `jupyter ARGS` (stdin from `input` when given, in `cwd`), remembering the child in
 * `stopper` so a signal can stop it with everything it started. It runs under a watchdog
 * that stops it, kernel included, if this process dies without a chance to (`kill -9`).
 */
export async function run(
  args: string[],
  env: Record<string, string>,
  stopper: Stopper,
  options: { input?: string; cwd?: string } = {},
): Promise<{ ok: boolean; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WATCHDOG, String(Deno.pid), "--", "jupyter", ...args],
    env,
    cwd: options.cwd,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  stopper.child = child;
  if (options.input !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.input)).catch(() => {});
    await w.close().catch(() => {});
  }
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  stopper.child = undefined;
  return { ok: status.success, stderr };
}

/**
 * Executes `src` into `dir` (same file name); throws {@linkcode NotebookError} on any error.
 * A notebook with a `parameters` cell gets `params` injected after it and runs from stdin
 * in the notebook's folder (so its relative imports still resolve).
 */
export async function executeNotebook(
  src: string,
  dir: string,
  env: Record<string, string>,
  params: Record<string, unknown> = {},
  stopper: Stopper = {},
): Promise<void> {
  const file = basename(src);
  const original = await readNotebook(src);
  const injected = injectParameters(original as unknown as ParamNotebook, params) as
    | Notebook
    | undefined;
  const common = [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_SECONDS}`,
    "--ExecutePreprocessor.startup_timeout=300",
    "--output-dir",
    dir,
    "--output",
    basename(file, ".ipynb"),
  ];
  const r = injected
    ? await run([...common, "--stdin"], env, stopper, {
      input: JSON.stringify(injected),
      cwd: dirname(src),
    })
    : await run([...common, src], env, stopper);
  if (stopper.signal) return;
  if (!r.ok) throw new NotebookError(`${file}: ${describeFailure(r.stderr, injected ?? original)}`);
  const executed = JSON.parse(await Deno.readTextFile(join(dir, file))) as Notebook;
  const problems = notebookProblems(executed);
  if (problems.length > 0) throw new NotebookError(`${file}: ${problems.join("; ")}`);
}
