/**
 * Running one notebook for the report: papermill (from the project's Jupyter environment,
 * `jupyter/env.ts`) as a child whose whole process tree a signal can stop, with the
 * settings as papermill parameters (the plugin `tools/jupyter/papermill_deno/` writes them
 * into the notebook's `params`), and a failure named by its cell.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../lib/errors.ts";
import { jupyterBin } from "./jupyter/env.ts";

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
  metadata?: { tags?: string[]; [key: string]: unknown };
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
  metadata?: Record<string, unknown>;
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

/** Tag of the cells papermill adds to a failed notebook to point at the failure. */
export const PAPERMILL_ERROR_TAG = "papermill-error-cell-tag";
/** Tag of the cell holding the parameters (the notebooks' `const params = {...}`). */
export const PARAMETERS_TAG = "parameters";

/**
 * Problems in an executed notebook: every `error` output, and stderr output with a line
 * starting "error" or "Uncaught" (what Deno prints for a failure outside a cell's result).
 * The markers papermill adds to a failed notebook are not counted as cells.
 */
export function notebookProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  const cells = nb.cells.filter((c) => !c.metadata?.tags?.includes(PAPERMILL_ERROR_TAG));
  cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") {
        problems.push(`${cellName(cells, i)}: ${o.ename}: ${o.evalue}`);
      } else if (o.output_type === "stream" && o.name === "stderr") {
        const line = text(o.text).split("\n").find((l) => /^\s*(error|uncaught)\b/i.test(l));
        if (line) problems.push(`${cellName(cells, i)}: ${line.trim()}`);
      }
    }
  });
  return problems;
}

/** The last lines of a failed tool's stderr, indented, for an error message. */
function tail(stderr: string): string {
  return stderr.trim().split("\n").slice(-8).join("\n  ");
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
 * Runs `TOOL ARGS` from the project's Jupyter environment (`tool` is `jupyter` or
 * `papermill`), remembering the child in `stopper` so a signal can stop it with everything
 * it started. It runs under a watchdog that stops it, kernel included, if this
 * process dies without a chance to (`kill -9`).
 */
export async function run(
  tool: "jupyter" | "papermill",
  args: string[],
  env: Record<string, string>,
  stopper: Stopper,
): Promise<{ ok: boolean; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WATCHDOG, String(Deno.pid), "--", jupyterBin(tool), ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  stopper.child = child;
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  stopper.child = undefined;
  return { ok: status.success, stderr };
}

/**
 * Executes `src` into `dir` (same file name) with papermill, in the notebook's folder (so
 * its relative imports resolve); throws {@linkcode NotebookError} on any error. A notebook
 * with a cell tagged `parameters` gets `params` (the defined ones) injected after it.
 */
export async function executeNotebook(
  src: string,
  dir: string,
  env: Record<string, string>,
  params: Record<string, unknown> = {},
  stopper: Stopper = {},
): Promise<void> {
  const file = basename(src);
  const target = join(dir, file);
  const original = await readNotebook(src);
  const hasParameters = original.cells.some((c) =>
    c.cell_type === "code" && (c.metadata?.tags ?? []).includes(PARAMETERS_TAG)
  );
  const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  const r = await run(
    "papermill",
    [
      src,
      target,
      ...["--cwd", dirname(src), "--no-progress-bar", "--log-level", "WARNING"],
      ...["--execution-timeout", String(CELL_TIMEOUT_SECONDS), "--start-timeout", "300"],
      // JSON is YAML: papermill reads the values with their types.
      ...(hasParameters ? ["-y", JSON.stringify(defined)] : []),
    ],
    env,
    stopper,
  );
  if (stopper.signal) return;
  let executed: Notebook | undefined;
  try {
    executed = JSON.parse(await Deno.readTextFile(target)) as Notebook;
  } catch {
    executed = undefined;
  }
  const problems = executed ? notebookProblems(executed) : [];
  if (problems.length > 0) throw new NotebookError(`${file}: ${problems.join("; ")}`);
  if (!r.ok) throw new NotebookError(`${file}: papermill failed:\n  ${tail(r.stderr)}`);
  // Papermill records the absolute paths it read and wrote, and the output root parameter;
  // the exported files name no folder of this machine, so they keep only the file names.
  const meta = (executed?.metadata as { papermill?: Record<string, unknown> } | undefined)
    ?.papermill;
  if (meta) {
    meta.input_path = file;
    meta.output_path = file;
    delete (meta.parameters as Record<string, unknown> | undefined)?.out;
    for (const c of executed!.cells) {
      if (!(c.metadata?.tags ?? []).includes("injected-parameters")) continue;
      c.source = text(c.source).split("\n").filter((l) => !l.startsWith('  "out": ')).join("\n");
      c.outputs = []; // the kernel's echo of `params`, output root included
    }
    await Deno.writeTextFile(target, JSON.stringify(executed, null, 1) + "\n");
  }
}
