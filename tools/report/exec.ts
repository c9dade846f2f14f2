/**
 * Running one notebook for the report: papermill under the watchdog (`tools/_process_tree.ts`),
 * one line per epoch from the kernel's progress feed (lib/train/log.ts) meanwhile, and a
 * failure named by its cell.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../../lib/errors.ts";
import { formatDuration, type ProgressRecord } from "../../lib/train/log.ts";
import { jupyterBin } from "../jupyter/setup.ts";
import { killTree } from "../_process_tree.ts";

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

const WATCHDOG = new URL("../_process_tree.ts", import.meta.url).pathname;

/** Runs `tool args` from the Jupyter environment under the watchdog, killed by `signal`. */
export async function run(
  tool: "jupyter" | "papermill",
  args: string[],
  signal: AbortSignal,
): Promise<{ ok: boolean; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WATCHDOG, String(Deno.pid), "--", jupyterBin(tool), ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = () => void killTree(child.pid);
  // A stop that came before the spawn stops it at once: the listener would never fire.
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop);
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  signal.removeEventListener("abort", stop);
  return { ok: status.success, stderr };
}

/**
 * Executes `src` into `dir` with papermill in the notebook's folder, `params` injected after
 * its `parameters` cell, printing its progress ({@linkcode followProgress}). Throws
 * {@linkcode NotebookError} on any error, {@linkcode ReportInterrupted} once stopped.
 */
export async function executeNotebook(
  src: string,
  dir: string,
  params: Record<string, unknown>,
  signal: AbortSignal,
): Promise<void> {
  const file = basename(src);
  const target = join(dir, file);
  // Plumbing, not a setting: where the kernels report their log lines and epochs.
  const progress = join(dir, ".progress.jsonl");
  const hasParameters = (await readNotebook(src)).cells.some((c) =>
    c.cell_type === "code" && c.metadata?.tags?.includes("parameters")
  );
  const args = [
    ...[src, target, "--cwd", dirname(src), "--no-progress-bar", "--log-level", "WARNING"],
    // A cell may run for a day: a full training run fits easily.
    ...["--execution-timeout", String(24 * 3600), "--start-timeout", "300"],
    // JSON is YAML: papermill reads the values with their types.
    ...(hasParameters ? ["-y", JSON.stringify({ ...params, progress })] : []),
  ];
  const follower = followProgress(progress, file);
  const r = await run("papermill", args, signal).finally(() => {
    follower.stop();
    return Deno.remove(progress).catch(() => {});
  });
  if (signal.aborted) throw new ReportInterrupted(signal.reason, follower.where());
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

/** Options of {@linkcode followProgress}. */
export interface FollowOptions {
  /** Where each line goes. @default console.error */
  write?: (line: string) => void;
  /** Milliseconds between reads of the feed. @default 250 */
  intervalMs?: number;
}

/** Follows feed `path` until `stop()`; `where()` names the run and epoch last seen. */
export function followProgress(path: string, notebook: string, options: FollowOptions = {}) {
  const write = options.write ?? console.error;
  let offset = 0;
  let rest = "";
  // Per writing process (a sweep's jobs share the feed): its run, and whether the training
  // about to start was announced by name.
  const runs = new Map<number | undefined, { run: string; named: boolean }>();
  let last = "";
  function handle(r: ProgressRecord & { pid?: number }) {
    if (!runs.has(r.pid)) runs.set(r.pid, { run: "-", named: false });
    const p = runs.get(r.pid)!;
    if (r.kind === "log") {
      write(`  ${notebook}: ${r.text}`);
    } else if (r.kind === "run") {
      [p.run, p.named] = [r.name, true];
    } else if (r.kind === "begin") {
      if (!p.named) p.run = "(unnamed)";
      p.named = false;
    } else if (r.kind === "epoch") {
      const w = String(r.epochs).length;
      const line = `${notebook}  run ${p.run}  epoch ${String(r.epoch).padStart(w)}/${r.epochs}  ` +
        `loss ${r.loss.toFixed(5)}  ${Math.round(r.images_per_second)} img/s  ` +
        `ETA ${formatDuration(r.eta)}`;
      last = `${p.run}, epoch ${r.epoch}/${r.epochs}`;
      write(line);
    }
  }
  function read() {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(path);
    } catch {
      return;
    }
    if (bytes.length <= offset) return;
    rest += new TextDecoder().decode(bytes.subarray(offset));
    offset = bytes.length;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const l of lines) {
      try {
        if (l.trim()) handle(JSON.parse(l));
      } catch {
        // Appends under PIPE_BUF are never torn; skip anything else.
      }
    }
  }
  const timer = setInterval(read, options.intervalMs ?? 250);
  return {
    stop() {
      clearInterval(timer);
      read();
    },
    where: () => last === "" ? notebook : `${notebook} (run ${last})`,
  };
}
