/**
 * `deno task report`: runs every notebook `notebooks/NN_*.ipynb` in order, headless, through
 * papermill, with the experiment's settings as papermill parameters (injected after each
 * notebook's `parameters` cell, see `_report_exec.ts`), and writes `OUT/report/NAME/`:
 *
 * ```
 * index.html           landing page: headline numbers, a card per notebook, this report's runs
 * NN_*.ipynb           the executed notebook, outputs included
 * NN_*.html            the same as a web page with its code: PNGs as data URIs, charts as SVG
 * code-free/NN_*.html  the page without code (nbconvert's exclude_input), for presenting
 * NN_*.slides.html     reveal.js slides, code-free, 1280×720 (see _report_deck.ts)
 * NN_*.pdf             each deck as a PDF, one page per slide (when Chromium is installed)
 * report.slides.html   every deck in one, and report.pdf of it
 * demo.html, demo/     the live demo: every trained model of the report in the browser
 * assets/              require.js, reveal.js, TensorFlow.js, so everything works offline
 * ```
 *
 * While a notebook trains, each epoch is printed (notebook, run, epoch k/N, loss, img/s, ETA);
 * an estimate comes first and a table of seconds per notebook last. The folder is filled
 * beside the old one and swapped in at the end, so a failed or interrupted report never looks
 * complete; SIGINT or SIGTERM stops papermill or nbconvert and its kernel, removes the temp folder and
 * exits 130. Any error in any cell fails the report, naming the notebook and the cell.
 * See `--help`.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFolder, replaceDirAtomic, writeFileAtomic } from "../lib/runs/atomic.ts";
import {
  type ExperimentConfig,
  validateConfig,
  validateRunName,
  withReportProfile,
} from "../lib/runs/config.ts";
import { DATASET_NAMES } from "../lib/data/datasets.ts";
import { InputError } from "../lib/errors.ts";
import { loadDataset } from "../lib/data/datasets.ts";
import { type DemoModel, writeDemo } from "../lib/figures/demo.ts";
import { type Run, runDir, runStatus } from "../lib/runs/run_folder.ts";
import { PROGRESS_FILE_VARIABLE } from "../lib/train/log.ts";
import { killTree, removeStaleTemps } from "./_process_tree.ts";
import {
  CODE_FREE_DIR,
  landingPage,
  type NotebookCard,
  profiled,
  readVerdicts,
  thumbnail,
} from "./_report_index.ts";
import { copyDeckAssets, HIDE_PLUMBING } from "./_report_deck.ts";
import { CHROMIUM, writePdfs } from "./_report_pdf.ts";
import { finishPages } from "./_report_pages.ts";
import {
  executeNotebook,
  type Notebook,
  NotebookError,
  readNotebook,
  ReportInterrupted,
  run,
  type Stopper,
  text,
} from "./_report_exec.ts";
import { followProgress, timingTable } from "./_report_progress.ts";
import {
  calibrateSpeed,
  estimate,
  measuredSpeed,
  readReportRun,
  reportRuns,
} from "./_report_runs.ts";
import { defaultOutputRoot, notebookSettings } from "../lib/notebook.ts";
import { runMain } from "./_main.ts";
import { configPart, flagBoolean, helpText, readSettings } from "./_flags.ts";
import { ensurePrerequisites } from "./jupyter/setup.ts";

export { codeFreeLinks } from "./_report_pages.ts";
export {
  CELL_TIMEOUT_SECONDS,
  executeNotebook,
  NotebookError,
  notebookProblems,
  ReportInterrupted,
} from "./_report_exec.ts";

/** The notebooks folder of this repository. */
export const NOTEBOOKS_DIR = fileURLToPath(new URL("../notebooks", import.meta.url));

/** The report's nbconvert templates (offline variants of nbconvert's `lab` and `reveal`). */
const TEMPLATES_DIR = fileURLToPath(new URL("./nbconvert", import.meta.url));

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
  /** The sweep notebook 06 reads (or runs); unset: named by its settings. */
  sweepName?: string;
  /** Noise factors of notebook 06's sweep, as given; unset: its default. */
  sweepNoise?: string;
  /** Print help and exit. */
  help: boolean;
  /** Threads of the wasm kernels (`--threads`, else `THREADS`); unset: every core. */
  threads?: number;
  /** Processes of the notebooks' sweeps (`--jobs`, else `JOBS`); unset: every core. */
  jobs?: number;
}

/** `--help` text (flags from tools/_flags.ts). */
export function reportHelp(): string {
  return helpText(
    "report",
    [
      "Usage: deno task report [flags]",
      "",
      "Runs every notebooks/NN_*.ipynb in order, headless, with these settings, and writes",
      "OUT/report/NAME/: each executed notebook, its HTML page (with and without code), its",
      "code-free slides, a live demo page (demo.html) and the landing page index.html.",
      "Settings reach each notebook as papermill parameters, after its `parameters` cell.",
      "Ctrl-C or SIGTERM stops the notebooks and their kernels, leaves the last report, exits 130.",
      "Notebooks reuse trained runs under OUT/runs/ and train only the missing ones.",
      "Unset flags fall back to the environment variables below (NOISE_FACTOR, EPOCHS, …), then",
      "to the report's defaults.",
    ].join("\n"),
  );
}

/**
 * Parses the report's flags over `env`: a flag replaces its variable before validation.
 * Bad input throws {@linkcode InputError} with one line naming the flag or the variable.
 */
export function parseReportArgs(
  args: string[],
  env?: Record<string, string | undefined>,
): ReportCommand {
  const settings = readSettings("report", args, env);
  const values = settings.values as Record<string, string | undefined>;
  const config = validateConfig(withReportProfile(configPart(settings)), settings.labels);
  // A dataset folder must survive the kernel's working directory (notebooks/).
  if (!(DATASET_NAMES as readonly string[]).includes(config.dataset)) {
    config.dataset = resolve(config.dataset);
  }
  const { out, name, notebooks } = values;
  const sweepTrain = settings.values.sweepTrain as number | undefined;
  if (sweepTrain !== undefined && sweepTrain > config.train) {
    throw new InputError(
      `${settings.labels.sweepTrain} ${sweepTrain} exceeds the ${config.train} training images ` +
        `of the report's runs (${
          settings.labels.train ?? "train"
        }); the sweep trains on a part of them`,
    );
  }
  return {
    config,
    name: validateRunName(name ?? "default"),
    out: out ? resolve(out) : defaultOutputRoot(),
    notebooks: resolve(notebooks ?? NOTEBOOKS_DIR),
    sweepEpochs: settings.values.sweepEpochs as number | undefined,
    sweepTrain,
    sweepName: values.sweepName,
    sweepNoise: values.sweepNoise,
    help: flagBoolean(settings, "help"),
    threads: settings.values.threads as number | undefined,
    jobs: settings.values.jobs as number | undefined,
  };
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
    if (e instanceof Deno.errors.NotADirectory) {
      throw new InputError(`--notebooks ${dir} is a file, not a folder of notebooks`);
    }
    throw e;
  }
  if (files.length === 0) throw new InputError(`no NN_*.ipynb notebooks in ${dir}`);
  return files.sort().map((f) => join(dir, f));
}

/**
 * Settings the report passes to every notebook as papermill parameters: they land in the
 * notebook's `params`, which `notebookSettings` validates (unset ones are left out; the
 * output root is taken out of the executed notebooks again, see `executeNotebook`).
 */
export function notebookParams(cmd: ReportCommand): Record<string, unknown> {
  const { sweepEpochs, sweepTrain, sweepName, sweepNoise, threads, jobs, out } = cmd;
  return { ...cmd.config, sweepEpochs, sweepTrain, sweepName, sweepNoise, threads, jobs, out };
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
  await copyDeckAssets(join(dir, "assets"));
}

/**
 * HTML pages (with code, and code-free in `code-free/`) and code-free reveal.js slides of the
 * executed notebooks in `dir`. Input cells are left out by nbconvert's own options.
 */
export async function convertNotebooks(
  dir: string,
  files: string[],
  titles: string[],
  env: Record<string, string>,
  stopper: Stopper,
) {
  const paths = files.map((f) => join(dir, f));
  // nbconvert's own input exclusion: no code, no prompts (the code-free pages and slides).
  const codeFree = [
    "--TemplateExporter.exclude_input=True",
    "--TemplateExporter.exclude_input_prompt=True",
    "--TemplateExporter.exclude_output_prompt=True",
    // Parameters, settings, notes on the code and logs leave code-free pages and slides.
    ...HIDE_PLUMBING,
  ];
  // nbconvert 7's templates without the MathJax (and jQuery) they load from a CDN.
  const page = `--HTMLExporter.template_file=${join(TEMPLATES_DIR, "offline.html.j2")}`;
  const exports: [what: string, args: string[]][] = [
    ["HTML", [
      "--to",
      "html",
      "--output-dir",
      dir,
      page,
      "--HTMLExporter.require_js_url=assets/require.js",
    ]],
    ["code-free", [
      ...["--to", "html", "--output-dir", join(dir, CODE_FREE_DIR), page],
      "--HTMLExporter.require_js_url=../assets/require.js",
      ...codeFree,
    ]],
    ["slides", [
      ...["--to", "slides", "--output-dir", dir],
      `--SlidesExporter.template_file=${join(TEMPLATES_DIR, "offline.slides.html.j2")}`,
      "--SlidesExporter.require_js_url=assets/require.js",
      "--SlidesExporter.reveal_url_prefix=assets/reveal.js",
      "--SlidesExporter.reveal_theme=simple",
      ...codeFree,
    ]],
  ];
  for (const [what, args] of exports) {
    const r = await run("jupyter", ["nbconvert", ...args, ...paths], env, stopper);
    if (stopper.signal) return;
    if (!r.ok) {
      throw new NotebookError(`${what} export failed: ${r.stderr.trim().split("\n").at(-1)}`);
    }
  }
  await finishPages(dir, files, titles);
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

/** The lighter settings of notebook 5's noise sweep for this command. */
function sweepConfigOf(cmd: ReportCommand): ExperimentConfig {
  return notebookSettings(notebookParams(cmd)).sweep;
}

/**
 * The report's runs that exist, read back: a missing run is skipped (a custom notebooks folder
 * may not train it); a present but damaged one is an error naming it.
 */
async function readReportRuns(cmd: ReportCommand): Promise<{ run: Run; role: string }[]> {
  const found: { run: Run; role: string }[] = [];
  for (const r of reportRuns(cmd.config, sweepConfigOf(cmd))) {
    if (await runStatus(runDir(r.name, cmd.out)) === "missing") continue;
    found.push({ run: await readReportRun(r.name, cmd.out), role: r.role });
  }
  return found;
}

/** Prints the up-front estimate of the training still to do. */
async function printEstimate(cmd: ReportCommand, say: (line: string) => void): Promise<void> {
  if (cmd.notebooks !== NOTEBOOKS_DIR) return;
  const runs = reportRuns(cmd.config, sweepConfigOf(cmd));
  let speed = await measuredSpeed(cmd.out, say);
  let source = "median of the trained runs";
  const pending = await estimate(runs, cmd.out, speed ?? 1);
  if (pending.toTrain.length > 0 && speed === undefined) {
    speed = await calibrateSpeed(cmd.config, cmd.threads);
    source = "measured now on 256 images";
  }
  const e = await estimate(runs, cmd.out, speed ?? 1);
  say(`report: ${e.line}${e.toTrain.length > 0 ? ` (speed: ${source})` : ""}`);
}

/** Runs the whole report into a fresh folder `dir` (see the module doc). */
async function writeReport(cmd: ReportCommand, dir: string, stopper: Stopper): Promise<void> {
  const say = (line: string) => console.error(line);
  const sources = await findNotebooks(cmd.notebooks);
  // Every notebook is read before the first runs: a damaged one is one error, not a late failure.
  for (const src of sources) await readNotebook(src);
  const feed = join(dir, ".progress.jsonl");
  // Not settings (those are parameters): where the kernels report their epochs.
  const env = { NO_COLOR: "1", [PROGRESS_FILE_VARIABLE]: feed };
  const params = notebookParams(cmd);
  await printEstimate(cmd, say);
  const cards: NotebookCard[] = [];
  const interrupted = (where: string) => new ReportInterrupted(stopper.signal!, where);
  for (const src of sources) {
    const file = basename(src);
    say(`report: running ${file}`);
    const t0 = performance.now();
    // Each notebook starts a fresh feed, so the follower prints only its own lines.
    await Deno.remove(feed).catch(() => {});
    const follower = followProgress(feed, file);
    try {
      await executeNotebook(src, dir, env, params, stopper);
    } finally {
      await follower.stop();
    }
    if (stopper.signal) throw interrupted(follower.where());
    const seconds = (performance.now() - t0) / 1000;
    const nb = JSON.parse(await Deno.readTextFile(join(dir, file))) as Notebook;
    const title = notebookTitle(nb, file);
    cards.push({ file, title, thumbnail: thumbnail(nb, title), seconds });
    say(`report: ${file} done in ${seconds.toFixed(0)} s`);
  }
  await Deno.remove(feed).catch(() => {});
  say("report: writing HTML pages, code-free pages and slides");
  await copyAssets(dir);
  await convertNotebooks(dir, cards.map((n) => n.file), cards.map((n) => n.title), env, stopper);
  if (stopper.signal) throw interrupted("the HTML export");
  const pdfs = await writePdfs(dir, cards.map((n) => basename(n.file, ".ipynb")));
  if (!pdfs) say(`report: no Chromium at ${CHROMIUM}, so no PDFs of the slides`);
  if (stopper.signal) throw interrupted("the PDF export");
  const runs = await readReportRuns(cmd);
  let demo = false;
  if (runs.length > 0) {
    const { test } = await loadDataset(cmd.config.dataset, {
      train: cmd.config.train,
      test: cmd.config.test,
      seed: cmd.config.seed,
    });
    // One model per setting: the claims' extra seeds (notebook 5) would only repeat a label.
    const firstSeed = runs.filter(({ run }) => run.config.seed === cmd.config.seed);
    const models: DemoModel[] = firstSeed.map(({ run, role }) => ({
      name: run.name,
      noise: run.config.noise,
      epochs: run.metrics.epochs,
      modelDir: join(run.dir, "model"),
      note: role === "main" ? "notebooks 3–4" : "notebook 5",
    }));
    const { broken } = await writeDemo(dir, models, test);
    for (const line of broken) say(`report: warning: ${line}; the demo page says so`);
    demo = true;
  }
  const settings = Object.entries(cmd.config).map(([k, v]) => `${k} ${v}`).join(", ");
  const sweep = sweepConfigOf(cmd);
  const mainRun = runs.find((r) => r.role === "main")?.run;
  // Last: a report folder with index.html is a complete one.
  await writeFileAtomic(
    join(dir, "index.html"),
    landingPage({
      name: cmd.name,
      settings:
        `${settings}; noise sweep: ${sweep.epochs} epoch(s) on ${sweep.train} images per run`,
      notebooks: cards,
      main: mainRun && { ...mainRun, ...profiled(mainRun.config) },
      runs: runs.map((r) => ({ ...r.run, ...profiled(r.run.config, r.role !== "main") })),
      verdicts: await readVerdicts(notebookSettings(params)),
      demo,
      pdfs,
    }),
  );
  say(`report: seconds per notebook\n${timingTable(cards)}`);
}

async function main(): Promise<number> {
  const cmd = parseReportArgs(Deno.args);
  if (cmd.help) {
    console.log(reportHelp());
    return 0;
  }
  await ensurePrerequisites("report");
  const target = join(cmd.out, "report", cmd.name);
  await ensureFolder(dirname(target));
  for (const stale of await removeStaleTemps(dirname(target))) {
    const restored = stale.startsWith("restored ");
    console.error(
      restored
        ? `report: ${stale}: the previous report, set aside by a report that was stopped`
        : `report: removed ${stale}, left by a report that no longer runs`,
    );
  }
  const stopper: Stopper = {};
  const onSignal = (signal: Deno.Signal) => () => {
    if (stopper.signal) return;
    stopper.signal = signal;
    if (stopper.child) void killTree(stopper.child.pid);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, onSignal(sig));
  try {
    await replaceDirAtomic(target, (dir) => writeReport(cmd, dir, stopper));
  } catch (e) {
    if (e instanceof ReportInterrupted) {
      console.error(`report: ${e.message}; ${target} is unchanged`);
      return 130;
    }
    if (!(e instanceof NotebookError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  console.log(join(target, "index.html"));
  return 0;
}

if (import.meta.main) await runMain(main);
