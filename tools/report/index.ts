/**
 * The report's landing page (`index.html`): the main run's headline numbers against the
 * report's, the claims' verdicts, the demo, a card per notebook and a table of the runs, read
 * from what the notebooks wrote.
 *
 * @module
 */
import { basename, join } from "node:path";
import type { ExperimentConfig } from "../../lib/runs/config.ts";
import { InputError } from "../../lib/errors.ts";
import { readModelFiles } from "../../lib/model/model_io.ts";
import { readRun, type Run, runDir, runStatus } from "../../lib/runs/run_folder.ts";
import { pathExists } from "../../lib/runs/atomic.ts";
import { formatCell, type NotebookSettings, profileName } from "../../lib/notebook.ts";
import { noiseFactorSweep, notebookSweep, REPORT_TEST_MSE } from "../../lib/mod.ts";
import { sweepDir } from "../../lib/sweep/plan.ts";
import { readSweep } from "../../lib/sweep/files.ts";
import { escapeHtml, plural, thousands } from "../../lib/text.ts";
import { type Notebook, text } from "./exec.ts";
import { CODE_FREE_DIR } from "./pages.ts";

/** A notebook of the report: its file, first heading, {@linkcode thumbnail}, run time. */
export interface NotebookCard {
  file: string;
  title: string;
  thumbnail: string;
  seconds: number;
}

/** An executed notebook's first PNG output as an `<img>`, else its first SVG, else "". */
export function thumbnail(nb: Notebook, title: string): string {
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const png = outputs.map((o) => text(o.data?.["image/png"]).replace(/\s/g, "")).find(Boolean);
  if (png) {
    const alt = escapeHtml(`First figure of ${title}`);
    return `<img alt="${alt}" src="data:image/png;base64,${png}">`;
  }
  const svgs = outputs.map((o) => text(o.data?.["image/svg+xml"] ?? o.data?.["text/html"]));
  return svgs.map((s) => /<svg[\s\S]*<\/svg>/.exec(s)?.[0]).find(Boolean) ?? "";
}

/** A row of `claims.md`: "1b. …", "autoencoder vs DnCNN" (or ""), "contradicted". */
export type Verdict = Record<"claim" | "comparison" | "verdict", string>;

/** The rows of a sweep's `claims.md` table, by its `claim`, `comparison`, `verdict` columns. */
export function parseClaims(markdown: string): Verdict[] {
  const rows = markdown.split("\n").filter((l) => l.startsWith("|")).map((l) =>
    l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim())
  );
  const cell = (r: string[], name: string) => r[rows[0].indexOf(name)] ?? "";
  return rows.slice(2).map((r) => ({
    claim: cell(r, "claim"),
    comparison: cell(r, "comparison"),
    verdict: cell(r, "verdict"),
  }));
}

/** A run's or a sweep's profile name (lib/notebook.ts) and its sizes in words. */
export type Profiled = { profile: string; setup: string };

/** A sweep's verdicts and its profile. */
type Verdicts = { verdicts: Verdict[] } & Profiled;

/** The profile of `config` and its sizes in words (`sweep`: a noise-sweep model). */
export function profiled(config: ExperimentConfig, sweep = false): Profiled {
  return {
    profile: profileName(config, sweep),
    setup: `${thousands(config.train)} training images, ${plural(config.epochs, "epoch")}` +
      `${sweep ? " per model" : ""}, ${thousands(config.test)} test images`,
  };
}

/** The verdicts of notebook 6's sweep with its profile; `undefined` when it saved none. */
export async function readVerdicts(settings: NotebookSettings): Promise<Verdicts | undefined> {
  const sweep = notebookSweep(settings);
  const path = join(sweepDir(sweep.name, settings.out), "claims.md");
  if (!await pathExists(path)) return undefined;
  return { verdicts: parseClaims(await Deno.readTextFile(path)), ...profiled(sweep.config, true) };
}

/** A run of the report, as the landing page lists it. */
export type ReportRun = Run & Profiled & { role: "main" | "noise sweep" };

/**
 * The runs of a report: notebooks 3–4's main run when trained, its model checked against its
 * digests, then notebook 5's noise-sweep runs but that one, by noise and seed. Throws
 * {@linkcode InputError} naming a damaged run.
 */
export async function reportRuns(settings: NotebookSettings): Promise<ReportRun[]> {
  const main: ReportRun[] = [];
  if (await runStatus(runDir(settings.name, settings.out)) !== "missing") {
    const run = await readRun(settings.name, settings.out);
    try {
      await readModelFiles(join(run.dir, "model"));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(
        `run "${run.name}" cannot give the headline numbers: ${e.message}; ` +
          `delete its folder to train it again`,
      );
    }
    main.push({ ...run, ...profiled(run.config), role: "main" });
  }
  const sweep = await readSweep(noiseFactorSweep(settings).name, settings.out);
  const names = new Set(sweep?.rows.map((r) => r.run).filter((n) => n && n !== main[0]?.name));
  const swept: ReportRun[] = [];
  for (const name of names) {
    const run = await readRun(name, settings.out);
    swept.push({ ...run, ...profiled(run.config, true), role: "noise sweep" });
  }
  swept.sort((a, b) => a.config.noise - b.config.noise || a.config.seed - b.config.seed);
  return [...main, ...swept];
}

/**
 * What {@linkcode landingPage} shows: `settings` in one line, the headline from the run whose
 * role is "main"; `demo` and `pdfs`: whether those were written.
 */
export interface LandingOptions {
  name: string;
  settings: string;
  notebooks: NotebookCard[];
  runs: ReportRun[];
  verdicts?: Verdicts;
  demo: boolean;
  pdfs: boolean;
}

function headline({ metrics: m, profile, setup }: ReportRun): string {
  const box = (value: string, label: string) => `<div><b>${value}</b><span>${label}</span></div>`;
  return `<div class="headline">
${box(formatCell(m.test_mse), "test MSE here (lower is better)")}
${box(formatCell(REPORT_TEST_MSE), "test MSE in the report")}
${box(`${(m.test_mse / REPORT_TEST_MSE).toFixed(2)}×`, "here ÷ report")}
${box(formatCell(m.noisy_mse), "noisy input: doing nothing")}
${box(`${formatCell(m.test_psnr)} dB`, `PSNR (noisy input: ${formatCell(m.noisy_psnr)} dB)`)}
</div>
<p class="small">From the <b>${escapeHtml(profile)}</b>: ${escapeHtml(setup)} ` +
    `(the report: 60,000 training images).</p>`;
}

function verdictList({ verdicts, profile, setup }: Verdicts): string {
  const items = verdicts.map((v) =>
    `<li><span class="verdict ${v.verdict.replace(/\s+/g, "-")}">${escapeHtml(v.verdict)}</span> ` +
    `${escapeHtml(v.claim)}${v.comparison ? ` (${escapeHtml(v.comparison)})` : ""}</li>`
  );
  return `<h2>The report's claims, tested: ${verdicts.length} primary comparisons</h2>
<ul class="verdicts">${items.join("\n")}</ul>
<p class="small">Verdicts of notebook 6's sweep, on the <b>${escapeHtml(profile)}</b>: ${
    escapeHtml(setup)
  }.</p>`;
}

/** `index.html` of a report. */
export function landingPage(options: LandingOptions): string {
  const { name, notebooks, runs, verdicts, demo, pdfs } = options;
  const main = runs.find((r) => r.role === "main");
  const cards = notebooks.map((n) => {
    const stem = basename(n.file, ".ipynb");
    const links = [
      `<a href="${CODE_FREE_DIR}/${stem}.html">page</a>`,
      `<a href="${stem}.slides.html">slides</a>`,
      ...(pdfs ? [`<a href="${stem}.pdf">PDF</a>`] : []),
      `<a href="${stem}.html">page with code</a>`,
      `<a href="${n.file}">notebook</a>`,
      ...(demo && stem.startsWith("04") ? [`<a href="demo.html">live demo</a>`] : []),
    ];
    return `<div class="card"><a class="thumb" href="${CODE_FREE_DIR}/${stem}.html">${n.thumbnail}</a>
<h3>${escapeHtml(n.title)}</h3><p>${links.join(" · ")}</p>
<p class="small">ran in ${n.seconds.toFixed(0)} s</p></div>`;
  });
  const rows = runs.map(({ name: run, config: c, metrics: m, profile }) =>
    `<tr><td>${escapeHtml(run)}</td><td>${escapeHtml(profile)}</td>` +
    [c.noise, m.epochs, c.train, c.test, m.test_mse, m.noisy_mse, m.test_psnr, m.test_ssim]
      .map((v) => `<td>${formatCell(v)}</td>`).join("") +
    "</tr>"
  );
  const links = [
    demo && `▶ <a href="demo.html">Live demo</a>: draw a digit, move the noise slider, and ` +
      "watch each trained model clean it up in your browser",
    pdfs && `<a href="report.pdf">the whole report as one PDF</a> (every deck, one page per slide)`,
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="assets/index.css">
<title>Denoising autoencoder report: ${escapeHtml(name)}</title></head>
<body>
<h1>Denoising autoencoder on MNIST: the report, reproduced <span class="small">(${
    escapeHtml(name)
  })</span></h1>
${main ? headline(main) : "<p>No trained run for the headline numbers.</p>"}
${verdicts ? verdictList(verdicts) : ""}
${links.length > 0 ? `<p class="demo">${links.join(" · ")}.</p>` : ""}
<h2>Notebooks</h2>
<div class="cards">
${cards.join("\n")}
</div>
<h2>Runs of this report</h2>
<div class="scroll"><table>
<tr><th>run</th><th>profile</th><th>noise</th><th>epochs</th><th>training images</th><th>test images</th><th>test MSE</th><th>noisy MSE</th><th>PSNR (dB)</th><th>SSIM</th></tr>
${rows.join("\n")}
</table></div>
<p class="small">Settings: ${escapeHtml(options.settings)}</p>
</body></html>
`;
}
