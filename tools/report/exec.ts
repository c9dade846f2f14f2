/**
 * Running one notebook for the report: papermill under the watchdog (`tools/_process_tree.ts`),
 * and a failure named by its cell.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../../lib/errors.ts";
import { jupyterBin } from "../jupyter/env.ts";

/** Seconds one cell may run: a full training run fits easily. */
const CELL_TIMEOUT_SECONDS = 24 * 3600;

/** A notebook failed: the message names the notebook and the cell. */
export class NotebookError extends Error {}

/** The report was stopped by SIGINT or SIGTERM. */
export class ReportInterrupted extends Error {
  constructor(signal: string, where: string) {
    super(`stopped by ${signal} during ${where}`);
  }
}

/** A notebook cell, as far as the report reads it. */
export interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: {
    output_type: string;
    name?: string;
    text?: string | string[];
    ename?: string;
    evalue?: string;
    data?: Record<string, string | string[]>;
  }[];
}

/** A notebook file, as far as the report reads it. */
export interface Notebook {
  cells: Cell[];
  metadata?: { papermill?: Record<string, unknown> };
}

/** A notebook's multi-line string (a string or a list of lines) as one string. */
export function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

/** Reads notebook file `path`; not JSON or without a list of cells: {@linkcode InputError}. */
export async function readNotebook(path: string): Promise<Notebook> {
  let nb: Partial<Notebook> | null;
  try {
    nb = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    const why = (e as Error).message.replace(/ \(os error \d+\).*$/, "").replace(/\s+/g, " ");
    throw new InputError(`notebook ${path} is not readable JSON: ${why}`);
  }
  if (!Array.isArray(nb?.cells)) {
    throw new InputError(`notebook ${path} is not a notebook: it has no list of cells`);
  }
  return nb as Notebook;
}

/** An executed notebook's `error` outputs and stderr lines starting "error" or "Uncaught". */
export function notebookProblems(nb: Notebook): string[] {
  const cells = nb.cells.filter((c) => !c.metadata?.tags?.includes("papermill-error-cell-tag"));
  const cellName = (i: number) => {
    const code = cells.slice(0, i + 1).filter((c) => c.cell_type === "code").length;
    return `cell ${i + 1} (code cell ${code}: \`${text(cells[i].source).trim().split("\n")[0]}\`)`;
  };
  return cells.flatMap((cell, i) =>
    (cell.outputs ?? []).flatMap((o) => {
      if (o.output_type === "error") return [`${cellName(i)}: ${o.ename}: ${o.evalue}`];
      if (o.output_type !== "stream" || o.name !== "stderr") return [];
      const line = text(o.text).split("\n").find((l) => /^\s*(error|uncaught)\b/i.test(l));
      return line ? [`${cellName(i)}: ${line.trim()}`] : [];
    })
  );
}

/** What the signal handler needs: the running child, and the signal once one came. */
export interface Stopper {
  child?: Deno.ChildProcess;
  signal?: string;
}

const WATCHDOG = new URL("../_process_tree.ts", import.meta.url).pathname;

/** Runs `tool args` from the Jupyter environment under the watchdog, the child in `stopper`. */
export async function run(
  tool: "jupyter" | "papermill",
  args: string[],
  stopper: Stopper,
): Promise<{ ok: boolean; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WATCHDOG, String(Deno.pid), "--", jupyterBin(tool), ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  stopper.child = child;
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  stopper.child = undefined;
  return { ok: status.success, stderr };
}

/**
 * Executes `src` into `dir` with papermill in the notebook's folder, `params` injected after
 * its `parameters` cell. Throws {@linkcode NotebookError} on any error.
 */
export async function executeNotebook(
  src: string,
  dir: string,
  params: Record<string, unknown>,
  stopper: Stopper,
): Promise<void> {
  const file = basename(src);
  const target = join(dir, file);
  const hasParameters = (await readNotebook(src)).cells.some((c) =>
    c.cell_type === "code" && c.metadata?.tags?.includes("parameters")
  );
  const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  const args = [
    ...[src, target, "--cwd", dirname(src), "--no-progress-bar", "--log-level", "WARNING"],
    ...["--execution-timeout", String(CELL_TIMEOUT_SECONDS), "--start-timeout", "300"],
    // JSON is YAML: papermill reads the values with their types.
    ...(hasParameters ? ["-y", JSON.stringify(defined)] : []),
  ];
  const r = await run("papermill", args, stopper);
  if (stopper.signal) return;
  const executed: Notebook | undefined = await Deno.readTextFile(target).then(JSON.parse)
    .catch(() => undefined);
  const problems = executed ? notebookProblems(executed) : [];
  if (problems.length > 0) throw new NotebookError(`${file}: ${problems.join("; ")}`);
  if (!r.ok || !executed) {
    const tail = r.stderr.trim().split("\n").slice(-8).join("\n  ");
    throw new NotebookError(`${file}: papermill failed:\n  ${tail}`);
  }
  // No exported file names a folder of this machine: not the paths, nor the kernel's echo.
  const meta = executed.metadata!.papermill!;
  meta.input_path = meta.output_path = file;
  const parameters = meta.parameters as Record<string, unknown> | undefined;
  for (const key of ["out", "progress"]) delete parameters?.[key];
  for (const c of executed.cells.filter((c) => c.metadata?.tags?.includes("injected-parameters"))) {
    const lines = text(c.source).split("\n");
    c.source = lines.filter((l) => !/^ {2}"(out|progress)": /.test(l)).join("\n");
    c.outputs = [];
  }
  await Deno.writeTextFile(target, JSON.stringify(executed, null, 1) + "\n");
}
