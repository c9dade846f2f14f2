/**
 * The report's landing page (`index.html`), the story on one screen: the headline numbers
 * against the report's (lower is better) with their profile, the five claims' verdicts with
 * theirs, the live demo, one card per notebook with a thumbnail and links to its page,
 * slides, PDF, page with code and notebook, and a table of this report's runs only.
 *
 * @module
 */
import { basename, join } from "node:path";
import type { Run } from "../lib/runs/run_folder.ts";
import type { ExperimentConfig } from "../lib/runs/config.ts";
import { formatCell, type NotebookSettings, notebookSweep } from "../lib/notebook.ts";
import { profileName } from "../lib/notebook_setup.ts";
import { sweepDir } from "../lib/sweep/plan.ts";
import { plural } from "../lib/text.ts";
import { REPORT_TEST_MSE, REPORT_TRAIN_IMAGES } from "../lib/claims/run_claims.ts";
import { escapeHtml } from "../lib/text.ts";

/** A notebook of the report, as the landing page shows it. */
export interface NotebookCard {
  /** File name of the executed notebook, e.g. `04_results.ipynb`. */
  file: string;
  /** Its first heading. */
  title: string;
  /** A small picture of it: an `<img>` or inline `<svg>`, or "" for none. */
  thumbnail: string;
  /** Seconds it took to run. */
  seconds: number;
}

/** Folder of the code-free pages inside the report. */
export const CODE_FREE_DIR = "code-free";

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
}

/**
 * A thumbnail for an executed notebook: its first PNG output as an `<img>` (its alt text
 * names the notebook `title`), else its first SVG chart, else "".
 */
export function thumbnail(nb: { cells: { outputs?: Output[] }[] }, title = "notebook"): string {
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const join = (v: string | string[] | undefined) => Array.isArray(v) ? v.join("") : v ?? "";
  for (const o of outputs) {
    const png = join(o.data?.["image/png"]).replace(/\s/g, "");
    if (png) {
      return `<img alt="${
        escapeHtml(`First figure of ${title}`)
      }" src="data:image/png;base64,${png}">`;
    }
  }
  for (const o of outputs) {
    const svg = join(o.data?.["image/svg+xml"] ?? o.data?.["text/html"]);
    const m = /<svg[\s\S]*<\/svg>/.exec(svg);
    if (m) return m[0];
  }
  return "";
}

/** One of the report's primary comparisons with the verdict its sweep gave it. */
export interface Verdict {
  /** The claim part, e.g. "1a. Autoencoders beat other methods". */
  claim: string;
  /** What it compares, e.g. "autoencoder vs DnCNN" (empty where the table has no such column). */
  comparison: string;
  /** One of lib/claims/verdict.ts's verdicts: "supported", "contradicted", "not resolved", … */
  verdict: string;
}

/**
 * The verdicts of a sweep's `claims.md`: its Markdown table's rows, read by the header's
 * `claim`, `comparison` and `verdict` columns (an optional profile line may come first).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { parseClaims } from "./_report_index.ts";
 * const md = "Profile: p.\n\n| claim | comparison | verdict | why |\n| --- | --- | --- | --- |\n" +
 *   "| 1a. A | x vs y | supported | a \\| b |\n";
 * assertEquals(parseClaims(md), [{ claim: "1a. A", comparison: "x vs y", verdict: "supported" }]);
 * ```
 */
export function parseClaims(markdown: string): Verdict[] {
  const rows = markdown.split("\n").filter((l) => l.startsWith("|")).map((l) =>
    l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim())
  );
  if (rows.length < 2) return [];
  const [header] = rows;
  const at = (name: string) => header.indexOf(name);
  return rows.slice(2).map((r) => ({
    claim: r[at("claim")] ?? "",
    comparison: at("comparison") >= 0 ? r[at("comparison")] : "",
    verdict: r[at("verdict")] ?? "",
  }));
}

/** What the landing page says about a run's setup: its profile and sizes. */
export interface Profiled {
  /** The profile's name (lib/notebook_setup.ts). */
  profile: string;
  /** The run or sweep in words: images, epochs. */
  setup: string;
}

/**
 * The profile of a run's settings and its sizes in words (`sweep`: a noise-sweep model).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../lib/_assert.ts";
 * import { DEFAULT_CONFIG } from "../lib/runs/config.ts";
 * import { profiled } from "./_report_index.ts";
 * assertEquals(profiled({ ...DEFAULT_CONFIG, train: 12000, epochs: 10 }), {
 *   profile: "report profile",
 *   setup: "12,000 training images, 10 epochs, 10,000 test images",
 * });
 * ```
 */
export function profiled(config: ExperimentConfig, sweep = false): Profiled {
  const n = (v: number) => v.toLocaleString("en-US");
  return {
    profile: profileName(config, sweep),
    setup: `${n(config.train)} training images, ${plural(config.epochs, "epoch")}` +
      `${sweep ? " per model" : ""}, ${n(config.test)} test images`,
  };
}

/**
 * The verdicts of the sweep notebook 6 ran with `settings` (its `claims.md`, under the output
 * root), with the sweep's profile; `undefined` when that sweep saved none.
 */
export async function readVerdicts(
  settings: NotebookSettings,
): Promise<({ verdicts: Verdict[] } & Profiled) | undefined> {
  const sweep = notebookSweep(settings);
  let markdown: string;
  try {
    markdown = await Deno.readTextFile(join(sweepDir(sweep.name, settings.out), "claims.md"));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return { verdicts: parseClaims(markdown), ...profiled(sweep.config, true) };
}

/** The headline: the main run's numbers against the report's test MSE. */
function headline(main: Run, profile: Profiled): string {
  const m = main.metrics;
  const ratio = m.test_mse / REPORT_TEST_MSE;
  return `<div class="headline">
<div><b>${formatCell(m.test_mse)}</b><span>test MSE here (lower is better)</span></div>
<div><b>${formatCell(REPORT_TEST_MSE)}</b><span>test MSE in the report</span></div>
<div><b>${ratio.toFixed(2)}×</b><span>here ÷ report</span></div>
<div><b>${formatCell(m.noisy_mse)}</b><span>noisy input: doing nothing</span></div>
<div><b>${formatCell(m.test_psnr)} dB</b><span>PSNR (noisy input: ${
    formatCell(m.noisy_psnr)
  } dB)</span></div>
</div>
<p class="small">From the <b>${escapeHtml(profile.profile)}</b>: ${escapeHtml(profile.setup)} ` +
    `(the report: ${formatCell(REPORT_TRAIN_IMAGES)} training images).</p>`;
}

function verdictList(verdicts: Verdict[], profile: Profiled): string {
  const items = verdicts.map((v) =>
    `<li><span class="verdict ${v.verdict.replace(/\s+/g, "-")}">${escapeHtml(v.verdict)}</span> ` +
    `${escapeHtml(v.claim)}${v.comparison ? ` (${escapeHtml(v.comparison)})` : ""}</li>`
  );
  return `<h2>The report's claims, tested: ${verdicts.length} primary comparisons</h2>
<ul class="verdicts">${items.join("\n")}</ul>
<p class="small">Verdicts of notebook 6's sweep, on the <b>${escapeHtml(profile.profile)}</b>: ${
    escapeHtml(profile.setup)
  }.</p>`;
}

/** What {@linkcode landingPage} shows. */
export interface LandingOptions {
  /** Report name (`--name`). */
  name: string;
  /** Every setting in one line, for the foot of the page. */
  settings: string;
  /** The notebooks, in order. */
  notebooks: NotebookCard[];
  /** The main run (notebooks 3 and 4), with its profile. */
  main?: Run & Profiled;
  /** The report's runs, each with its profile. */
  runs: (Run & { profile: string })[];
  /** The claims' verdicts from notebook 6's sweep, with its profile; unset: none saved. */
  verdicts?: { verdicts: Verdict[] } & Profiled;
  /** Whether `demo.html` was written. */
  demo: boolean;
  /** Whether the PDFs were written (`NN_*.pdf` per deck, `report.pdf` of them all). */
  pdfs?: boolean;
}

/** `index.html` of a report (see the module doc). */
export function landingPage(options: LandingOptions): string {
  const { name, settings, notebooks, main, runs, demo, verdicts, pdfs = false } = options;
  const cards = notebooks.map((n) => {
    const stem = basename(n.file, ".ipynb");
    const links = [
      `<a href="${CODE_FREE_DIR}/${stem}.html">page</a>`,
      `<a href="${stem}.slides.html">slides</a>`,
      ...(pdfs ? [`<a href="${stem}.pdf">PDF</a>`] : []),
      `<a href="${stem}.html">page with code</a>`,
      `<a href="${n.file}">notebook</a>`,
    ];
    if (demo && stem.startsWith("04")) links.push(`<a href="demo.html">live demo</a>`);
    return `<div class="card"><a class="thumb" href="${CODE_FREE_DIR}/${stem}.html">${n.thumbnail}</a>
<h3>${escapeHtml(n.title)}</h3><p>${links.join(" · ")}</p>
<p class="small">ran in ${n.seconds.toFixed(0)} s</p></div>`;
  });
  const rows = runs.map(({ name: run, config: c, metrics: m, profile }) =>
    `<tr><td>${escapeHtml(run)}</td><td>${escapeHtml(profile)}</td>` +
    [c.noise, m.epochs, c.train, c.test, m.test_mse, m.noisy_mse, m.test_psnr, m.test_ssim]
      .map((v) => `<td>${formatCell(v)}</td>`).join("") +
    `<td>${formatCell(Math.round(m.train_images_per_second))}</td>` +
    `<td>${escapeHtml(m.backend)}</td></tr>`
  );
  const whole = pdfs
    ? ` · <a href="report.pdf">the whole report as one PDF</a> (every deck, one page per slide)`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Denoising autoencoder report: ${escapeHtml(name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.15em;margin:.8em 0 .3em}
.headline{display:flex;gap:.6em;flex-wrap:wrap}.headline div{background:#f3f5f8;padding:.4em .8em;border-radius:6px}
.headline b{display:block;font-size:1.4em}.headline span{font-size:.85em;color:#555}
.verdicts{margin:.2em 0;padding-left:1.6em}.verdicts li{margin:.15em 0}
.verdict{display:inline-block;min-width:7.5em;font-weight:600}
.supported{color:#176b2c}.contradicted{color:#a1261b}.not-resolved{color:#8a6100}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:.8em}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em}.card h3{margin:.3em 0;font-size:1em}.card p{margin:.2em 0}
.thumb{display:block;height:10em;overflow:hidden;background:#fafafa;text-align:center}
.thumb img,.thumb svg{height:100%;width:100%;object-fit:contain;image-rendering:pixelated}
.small{font-size:.85em;color:#555}.demo{font-size:1.1em}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9em}
td,th{padding:.2em .5em;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}
td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}</style></head>
<body>
<h1>Denoising autoencoder on MNIST: the report, reproduced <span class="small">(${
    escapeHtml(name)
  })</span></h1>
${main ? headline(main, main) : "<p>No trained run for the headline numbers.</p>"}
${verdicts ? verdictList(verdicts.verdicts, verdicts) : ""}
${
    demo
      ? `<p class="demo">▶ <a href="demo.html">Live demo</a>: draw a digit, move the noise slider, and watch each trained model clean it up in your browser${whole}.</p>`
      : pdfs
      ? `<p>${whole.slice(3)}.</p>`
      : ""
  }
<h2>Notebooks</h2>
<div class="cards">
${cards.join("\n")}
</div>
<h2>Runs of this report</h2>
<div class="scroll"><table>
<tr><th>run</th><th>profile</th><th>noise</th><th>epochs</th><th>training images</th><th>test images</th><th>test MSE</th><th>noisy MSE</th><th>PSNR (dB)</th><th>SSIM</th><th>img/s</th><th>backend</th></tr>
${rows.join("\n")}
</table></div>
<p class="small">Settings: ${escapeHtml(settings)}</p>
</body></html>
`;
}
