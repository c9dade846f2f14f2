/**
 * `deno task report`: runs every notebook `notebooks/NN_*.ipynb` in order, headless, with the
 * experiment's settings as environment variables, and writes `OUT/report/NAME/`:
 *
 * ```
 * index.html           links to each notebook and a line of metrics per run (written last)
 * NN_*.ipynb           the executed notebook, outputs included
 * NN_*.html            the same as a web page: PNGs as data URIs, charts as inline SVG
 * NN_*.slides.html     reveal.js slides (markdown and outputs; code hidden)
 * assets/              require.js and reveal.js, so the slides work offline
 * ```
 *
 * The folder is filled beside the old one and swapped in at the end, so a failed or
 * interrupted report never looks complete. Any error in any cell fails the report, naming
 * the notebook and the cell. See `--help`.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { replaceDirAtomic, writeFileAtomic } from "../atomic.ts";
import {
  defaultRunName,
  type ExperimentConfig,
  validateConfig,
  validateRunName,
} from "../config.ts";
import { DATASET_NAMES } from "../data.ts";
import { InputError } from "../errors.ts";
import { listRuns, readRun, type Run } from "../experiment.ts";
import {
  defaultOutputRoot,
  formatCell,
  OUTPUT_DIR_VARIABLE,
  SWEEP_EPOCHS_VARIABLE,
  SWEEP_TRAIN_VARIABLE,
  sweepProfile,
} from "../notebook.ts";
import { escapeHtml } from "../text.ts";
import { runMain } from "./_main.ts";
import { CONFIG_ENV_VARIABLES, configPart, flagBoolean, helpText, readSettings } from "./_flags.ts";
import { ensurePrerequisites } from "./setup.ts";

/** The notebooks folder of this repository. */
export const NOTEBOOKS_DIR = fileURLToPath(new URL("../../notebooks", import.meta.url));

/** Seconds one cell may run before nbconvert gives up: a full training run fits easily. */
export const CELL_TIMEOUT_SECONDS = 24 * 3600;

/** A notebook file the report runs: two or more digits, an underscore, a name. */
const NOTEBOOK_FILE = /^\d{2,}_.+\.ipynb$/;

/** What the report command was asked to do. */
export interface ReportCommand {
  /** Settings passed to the notebooks. */
  config: ExperimentConfig;
  /** Report name: the folder under `OUT/report/`. */
  name: string;
  /** Output root, absolute: runs in `OUT/runs/`, the report in `OUT/report/NAME/`. */
  out: string;
  /** Folder holding the notebooks, absolute. */
  notebooks: string;
  /** Epochs of each run of the noise sweeps (notebooks 5 and 6); unset: their default. */
  sweepEpochs?: number;
  /** Training images of each run of the noise sweeps; unset: their default. */
  sweepTrain?: number;
  /** Print help and exit. */
  help: boolean;
}

/** `--help` text (flags from lib/cli/_flags.ts). */
export function reportHelp(): string {
  return helpText(
    "report",
    [
      "Usage: deno task report [flags]",
      "",
      "Runs every notebooks/NN_*.ipynb in order, headless, with these settings, and writes",
      "OUT/report/NAME/: each executed notebook, its HTML page and slides, and index.html.",
      "Notebooks reuse trained runs under OUT/runs/ and train only the missing ones.",
      "Unset flags fall back to the notebooks' environment variables (NOISE_FACTOR, EPOCHS, …),",
      "then to the report's defaults.",
    ].join("\n"),
  );
}

/**
 * Parses the report's flags over `env`: a flag replaces its variable before validation.
 * Bad input throws {@linkcode InputError} with one line naming the flag or the variable.
 */
export function parseReportArgs(
  args: string[],
  env: Record<string, string | undefined> = Deno.env.toObject(),
): ReportCommand {
  const settings = readSettings("report", args, env);
  const values = settings.values as Record<string, string | undefined>;
  const config = validateConfig(configPart(settings), settings.labels);
  // A dataset folder must survive the kernel's working directory (notebooks/).
  if (!(DATASET_NAMES as readonly string[]).includes(config.dataset)) {
    config.dataset = resolve(config.dataset);
  }
  const { out, name, notebooks } = values;
  return {
    config,
    name: validateRunName(name ?? "default"),
    out: out ? resolve(out) : defaultOutputRoot(),
    notebooks: resolve(notebooks ?? NOTEBOOKS_DIR),
    sweepEpochs: settings.values.sweepEpochs as number | undefined,
    sweepTrain: settings.values.sweepTrain as number | undefined,
    help: flagBoolean(settings, "help"),
  };
}

/** The environment variables that hand the command's settings to every notebook. */
export function notebookEnv(cmd: ReportCommand): Record<string, string> {
  const env: Record<string, string> = { [OUTPUT_DIR_VARIABLE]: cmd.out, NO_COLOR: "1" };
  if (cmd.sweepEpochs !== undefined) env[SWEEP_EPOCHS_VARIABLE] = String(cmd.sweepEpochs);
  if (cmd.sweepTrain !== undefined) env[SWEEP_TRAIN_VARIABLE] = String(cmd.sweepTrain);
  for (const [variable, key] of Object.entries(CONFIG_ENV_VARIABLES)) {
    env[variable] = String(cmd.config[key]);
  }
  return env;
}

/** Notebooks to run, `NN_*.ipynb` in `dir`, in file-name order. */
export async function findNotebooks(dir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && NOTEBOOK_FILE.test(e.name)) files.push(e.name);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new InputError(`no notebooks folder ${dir}`);
    throw e;
  }
  if (files.length === 0) throw new InputError(`no NN_*.ipynb notebooks in ${dir}`);
  return files.sort().map((f) => join(dir, f));
}

/** A notebook failed: the message names the notebook and the cell. */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

interface Cell {
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

interface Notebook {
  cells: Cell[];
}

function text(value: string | string[] | undefined): string {
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

async function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ ok: boolean; stderr: string }> {
  const r = await new Deno.Command("jupyter", { args, env, stdout: "piped", stderr: "piped" })
    .output();
  return { ok: r.success, stderr: new TextDecoder().decode(r.stderr) };
}

/** Executes `src` into `dir` (same file name); throws {@linkcode NotebookError} on any error. */
export async function executeNotebook(
  src: string,
  dir: string,
  env: Record<string, string>,
): Promise<void> {
  const file = basename(src);
  const r = await run([
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
    src,
  ], env);
  if (!r.ok) {
    const nb = JSON.parse(await Deno.readTextFile(src)) as Notebook;
    throw new NotebookError(`${file}: ${describeFailure(r.stderr, nb)}`);
  }
  const executed = JSON.parse(await Deno.readTextFile(join(dir, file))) as Notebook;
  const problems = notebookProblems(executed);
  if (problems.length > 0) throw new NotebookError(`${file}: ${problems.join("; ")}`);
}

/** Files copied from npm packages into `assets/` so the slides need no network. */
const ASSETS: [specifier: string, target: string][] = [
  ["requirejs/require.js", "require.js"],
  ["reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"],
  ["reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"],
  ["reveal.js/dist/theme/simple.css", "reveal.js/dist/theme/simple.css"],
  ["reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"],
];

async function copyAssets(dir: string): Promise<void> {
  for (const [specifier, target] of ASSETS) {
    const path = join(dir, "assets", target);
    await Deno.mkdir(dirname(path), { recursive: true });
    let source: string;
    try {
      source = fileURLToPath(import.meta.resolve(specifier));
    } catch {
      throw new InputError(
        `cannot find ${specifier}: deno.json must map "reveal.js" and "requirejs"`,
      );
    }
    let content = await Deno.readTextFile(source);
    // The theme imports web fonts from Google; offline they only delay the page.
    if (target.endsWith(".css")) content = content.replace(/^@import url\(https?:[^)]*\);\n/gm, "");
    await Deno.writeTextFile(path, content);
  }
}

/** HTML pages and reveal.js slides of the executed notebooks in `dir`. */
async function convertNotebooks(dir: string, files: string[], env: Record<string, string>) {
  const paths = files.map((f) => join(dir, f));
  const common = ["--output-dir", dir, "--HTMLExporter.require_js_url=assets/require.js"];
  const html = await run(["nbconvert", "--to", "html", ...common, ...paths], env);
  if (!html.ok) {
    throw new NotebookError(`HTML export failed: ${html.stderr.trim().split("\n").at(-1)}`);
  }
  const slides = await run([
    "nbconvert",
    "--to",
    "slides",
    ...common,
    "--SlidesExporter.require_js_url=assets/require.js",
    "--SlidesExporter.reveal_url_prefix=assets/reveal.js",
    "--SlidesExporter.reveal_theme=simple",
    "--SlidesExporter.exclude_input=True",
    "--SlidesExporter.exclude_input_prompt=True",
    "--SlidesExporter.exclude_output_prompt=True",
    ...paths,
  ], env);
  if (!slides.ok) {
    throw new NotebookError(`slides export failed: ${slides.stderr.trim().split("\n").at(-1)}`);
  }
}

/** The notebook's title: its first Markdown heading, else its file name. */
function notebookTitle(nb: Notebook, file: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const heading = text(c.source).split("\n").find((l) => l.startsWith("#"));
    if (heading) return heading.replace(/^#+\s*/, "");
  }
  return file;
}

/** `index.html`: the notebooks with their pages, and one line of metrics per complete run. */
export function indexHtml(
  cmd: ReportCommand,
  notebooks: { file: string; title: string }[],
  runs: Run[],
): string {
  const settings = Object.entries(cmd.config).map(([k, v]) => `${k} ${v}`).join(", ");
  const sweep = sweepProfile(cmd.config, {
    [SWEEP_EPOCHS_VARIABLE]: cmd.sweepEpochs?.toString(),
    [SWEEP_TRAIN_VARIABLE]: cmd.sweepTrain?.toString(),
  });
  const items = notebooks.map(({ file, title }) => {
    const stem = basename(file, ".ipynb");
    return `<li>${escapeHtml(title)}: <a href="${stem}.html">page</a> · ` +
      `<a href="${stem}.slides.html">slides</a> · <a href="${file}">notebook</a></li>`;
  });
  const rows = runs.map(({ name, config: c, metrics: m }) =>
    `<tr><td>${escapeHtml(name)}</td>` +
    [
      c.noise,
      m.epochs,
      c.train,
      m.test_mse,
      m.noisy_mse,
      m.test_psnr,
      m.test_ssim,
      Math.round(m.train_images_per_second),
    ].map((v) => `<td>${formatCell(v)}</td>`).join("") + `<td>${escapeHtml(m.backend)}</td></tr>`
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Denoising autoencoder report: ${
    escapeHtml(cmd.name)
  }</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}</style></head>
<body>
<h1>Denoising autoencoder report: ${escapeHtml(cmd.name)}</h1>
<p>Settings: ${escapeHtml(settings)}; noise sweeps: ${sweep.epochs} epoch(s) on ${sweep.train}
images per run.</p>
<h2>Notebooks</h2>
<ol>
${items.join("\n")}
</ol>
<h2>Runs in ${escapeHtml(join(cmd.out, "runs"))}</h2>
<p>The trained model of notebooks 3 and 4: ${escapeHtml(defaultRunName(cmd.config))}.</p>
<table>
<tr><th>run</th><th>noise</th><th>epochs</th><th>train</th><th>test MSE</th><th>noisy MSE</th><th>PSNR (dB)</th><th>SSIM</th><th>img/s</th><th>backend</th></tr>
${rows.join("\n")}
</table>
</body></html>
`;
}

/** Runs the whole report into a fresh folder `dir` (see the module doc). */
async function writeReport(cmd: ReportCommand, dir: string): Promise<void> {
  const sources = await findNotebooks(cmd.notebooks);
  const env = notebookEnv(cmd);
  const notebooks: { file: string; title: string }[] = [];
  for (const src of sources) {
    const file = basename(src);
    console.error(`report: running ${file}`);
    const t0 = performance.now();
    await executeNotebook(src, dir, env);
    const nb = JSON.parse(await Deno.readTextFile(join(dir, file))) as Notebook;
    notebooks.push({ file, title: notebookTitle(nb, file) });
    console.error(`report: ${file} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  console.error("report: writing HTML pages and slides");
  await copyAssets(dir);
  await convertNotebooks(dir, notebooks.map((n) => n.file), env);
  const runs: Run[] = [];
  for (const r of await listRuns(cmd.out)) {
    if (r.status === "complete") runs.push(await readRun(r.name, cmd.out));
  }
  // Last: a report folder with index.html is a complete one.
  await writeFileAtomic(join(dir, "index.html"), indexHtml(cmd, notebooks, runs));
}

async function main(): Promise<number> {
  const cmd = parseReportArgs(Deno.args);
  if (cmd.help) {
    console.log(reportHelp());
    return 0;
  }
  await ensurePrerequisites("report");
  const target = join(cmd.out, "report", cmd.name);
  await Deno.mkdir(dirname(target), { recursive: true });
  try {
    await replaceDirAtomic(target, (dir) => writeReport(cmd, dir));
  } catch (e) {
    if (!(e instanceof NotebookError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  console.log(join(target, "index.html"));
  return 0;
}

if (import.meta.main) await runMain(main);
