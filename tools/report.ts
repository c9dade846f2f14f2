/**
 * `deno task report`: runs every `notebooks/NN_*.ipynb` through papermill and writes
 * `OUT/report/NAME/` (notebooks, pages, slides, PDFs, demo, `index.html`, `assets/`), filled
 * beside the old one and swapped in at the end. The parts live in `tools/report/`; see `--help`.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { ensureFolder, replaceDirAtomic, writeFileAtomic } from "../lib/runs/atomic.ts";
import {
  type ExperimentConfig,
  validateConfig,
  validateName,
  withReportProfile,
} from "../lib/runs/config.ts";
import { DATASET_NAMES, loadDataset } from "../lib/data/datasets.ts";
import { CHROMIUM } from "../lib/_chromium.ts";
import { InputError } from "../lib/errors.ts";
import { writeDemo } from "../lib/figures/demo.ts";
import { defaultOutputRoot, type NotebookParams, notebookSettings } from "../lib/notebook.ts";
import { removeStaleTemps } from "./_process_tree.ts";
import { interruptSignal, runMain } from "./_main.ts";
import { configPart, helpText, readSettings } from "./_flags.ts";
import { ensurePrerequisites, NOTEBOOKS_DIR } from "./jupyter/setup.ts";
import {
  executeNotebook,
  NotebookError,
  readNotebook,
  ReportInterrupted,
  text,
} from "./report/exec.ts";
import {
  landingPage,
  type NotebookCard,
  readVerdicts,
  reportRuns,
  thumbnail,
} from "./report/index.ts";
import { convertNotebooks, copyAssets, writePdfs } from "./report/pages.ts";

/** The notebooks' own parameters the report passes on when given (lib/notebook.ts). */
const OWN = ["sweepEpochs", "sweepTrain", "sweepName", "sweepNoise", "threads", "jobs"] as const;

/** What the report command was asked to do; unset own parameters take the notebooks' defaults. */
export type ReportCommand = Pick<NotebookParams, (typeof OWN)[number]> & {
  config: ExperimentConfig;
  /** Report name: the folder under `OUT/report/`. */
  name: string;
  /** Output root and notebooks folder, absolute. */
  out: string;
  notebooks: string;
};

/** `--help` text (flags from tools/_flags.ts). */
export function reportHelp(): string {
  return helpText(
    "report",
    "Usage: deno task report [flags]",
    "",
    "Runs every notebooks/NN_*.ipynb in order, headless, and writes OUT/report/NAME/: each",
    "executed notebook, its pages with and without code, its slides, a live demo page and",
    "index.html. Settings reach the notebooks as papermill parameters; they reuse trained",
    "runs under OUT/runs/. Ctrl-C or SIGTERM stops them and their kernels, leaves the last",
    "report and exits 130. Unset flags fall back to the variables below, then the defaults.",
  );
}

/** Parses the report's flags over `env`; bad input throws {@linkcode InputError}. */
export function parseReportArgs(
  args: string[],
  env?: Record<string, string | undefined>,
): ReportCommand {
  const settings = readSettings("report", args, env);
  const config = validateConfig(withReportProfile(configPart(settings)), settings.labels);
  // A dataset folder must survive the kernel's working directory (notebooks/).
  if (!(DATASET_NAMES as readonly string[]).includes(config.dataset)) {
    config.dataset = resolve(config.dataset);
  }
  const { out, name, notebooks } = settings.values as Record<string, string | undefined>;
  const sweepTrain = settings.values.sweepTrain as number | undefined;
  if (sweepTrain !== undefined && sweepTrain > config.train) {
    const train = settings.labels.train ?? "train";
    throw new InputError(
      `${settings.labels.sweepTrain} ${sweepTrain} exceeds the ${config.train} training images ` +
        `of the report's runs (${train}); the sweep trains on a part of them`,
    );
  }
  return {
    ...Object.fromEntries(OWN.map((k) => [k, settings.values[k]])),
    config,
    name: validateName("run", name ?? "default"),
    out: out ? resolve(out) : defaultOutputRoot(),
    notebooks: resolve(notebooks ?? NOTEBOOKS_DIR),
  };
}

/** Notebooks to run, `NN_*.ipynb` in `dir`, in file-name order. */
export async function findNotebooks(dir: string): Promise<string[]> {
  let files: string[];
  try {
    files = (await Array.fromAsync(Deno.readDir(dir)))
      .filter((e) => e.isFile && /^\d{2,}_.+\.ipynb$/.test(e.name)).map((e) => e.name);
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

/** The papermill parameters of every notebook, which `notebookSettings` validates. */
export function notebookParams(cmd: ReportCommand): NotebookParams {
  return { ...cmd.config, ...Object.fromEntries(OWN.map((k) => [k, cmd[k]])), out: cmd.out };
}

/** Runs the whole report into a fresh folder `dir` (see the module doc). */
async function writeReport(cmd: ReportCommand, dir: string, signal: AbortSignal): Promise<void> {
  const sources = await findNotebooks(cmd.notebooks);
  // Every notebook is read before the first runs: a damaged one is one error, not a late failure.
  for (const src of sources) await readNotebook(src);
  const params = notebookParams(cmd);
  const cards: NotebookCard[] = [];
  for (const src of sources) {
    const file = basename(src);
    console.error(`report: running ${file}`);
    const t0 = performance.now();
    await executeNotebook(src, dir, params, signal);
    const seconds = (performance.now() - t0) / 1000;
    const nb = await readNotebook(join(dir, file));
    const heading = nb.cells.filter((c) => c.cell_type === "markdown")
      .flatMap((c) => text(c.source).split("\n")).find((l) => l.startsWith("#"));
    const title = heading?.replace(/^#+\s*/, "") ?? file;
    cards.push({ file, title, thumbnail: thumbnail(nb, title), seconds });
    console.error(`report: ${file} done in ${seconds.toFixed(0)} s`);
  }
  console.error("report: writing HTML pages, code-free pages and slides");
  await copyAssets(dir);
  await convertNotebooks(dir, cards.map((n) => n.file), cards.map((n) => n.title), signal);
  if (signal.aborted) throw new ReportInterrupted(signal.reason, "the HTML export");
  const pdfs = await writePdfs(dir, cards.map((n) => basename(n.file, ".ipynb")));
  if (!pdfs) console.error(`report: no Chromium at ${CHROMIUM}, so no PDFs of the slides`);
  if (signal.aborted) throw new ReportInterrupted(signal.reason, "the PDF export");
  const settings = notebookSettings(params);
  const runs = await reportRuns(settings);
  if (runs.length > 0) {
    const { dataset, train, test, seed } = cmd.config;
    const digits = (await loadDataset(dataset, { train, test, seed })).test;
    // One model per setting: the claims' extra seeds would only repeat a label.
    const models = runs.filter((r) => r.config.seed === seed).map((r) => ({
      name: r.name,
      noise: r.config.noise,
      epochs: r.metrics.epochs,
      modelDir: join(r.dir, "model"),
      note: r.role === "main" ? "notebooks 3–4" : "notebook 5",
    }));
    for (const line of await writeDemo(dir, models, digits)) {
      console.error(`report: warning: ${line}; the demo page says so`);
    }
  }
  const index = landingPage({
    name: cmd.name,
    settings: Object.entries(cmd.config).map(([k, v]) => `${k} ${v}`).join(", ") +
      `; noise sweep: ${settings.sweep.epochs} epoch(s) on ${settings.sweep.train} images per run`,
    notebooks: cards,
    runs,
    verdicts: await readVerdicts(settings),
    demo: runs.length > 0,
    pdfs,
  });
  // Last: a report folder with index.html is a complete one.
  await writeFileAtomic(join(dir, "index.html"), index);
  const total = cards.reduce((sum, n) => sum + n.seconds, 0);
  console.error(`report: ${cards.length} notebooks ran in ${total.toFixed(0)} s`);
}

async function main(): Promise<number> {
  const cmd = parseReportArgs(Deno.args);
  await ensurePrerequisites("report");
  const target = join(cmd.out, "report", cmd.name);
  await ensureFolder(dirname(target));
  for (const stale of await removeStaleTemps(dirname(target))) {
    console.error(`report: ${stale}, left by a report that was stopped`);
  }
  const signal = interruptSignal();
  try {
    await replaceDirAtomic(target, (dir) => writeReport(cmd, dir, signal));
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

if (import.meta.main) await runMain(main, reportHelp);
