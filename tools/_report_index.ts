/**
 * The report's landing page (`index.html`): the headline numbers against the report's, one
 * card per notebook with a thumbnail and links to its page, code-free page, slides and
 * notebook, the live demo, and a table of this report's runs only.
 *
 * @module
 */
import { basename } from "node:path";
import type { Run } from "../lib/runs/run_folder.ts";
import { formatCell } from "../lib/notebook.ts";
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
 * A thumbnail for an executed notebook: its first PNG output as an `<img>`, else its first
 * SVG chart, else "".
 */
export function thumbnail(nb: { cells: { outputs?: Output[] }[] }): string {
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const join = (v: string | string[] | undefined) => Array.isArray(v) ? v.join("") : v ?? "";
  for (const o of outputs) {
    const png = join(o.data?.["image/png"]).replace(/\s/g, "");
    if (png) return `<img alt="" src="data:image/png;base64,${png}">`;
  }
  for (const o of outputs) {
    const svg = join(o.data?.["image/svg+xml"] ?? o.data?.["text/html"]);
    const m = /<svg[\s\S]*<\/svg>/.exec(svg);
    if (m) return m[0];
  }
  return "";
}

/** The headline: the main run's numbers against the report's test MSE. */
function headline(main: Run): string {
  const m = main.metrics;
  const ratio = m.test_mse / REPORT_TEST_MSE;
  return `<div class="headline">
<div><b>${formatCell(m.test_mse)}</b><span>test MSE here</span></div>
<div><b>${formatCell(REPORT_TEST_MSE)}</b><span>test MSE in the report</span></div>
<div><b>${ratio.toFixed(2)}×</b><span>here ÷ report</span></div>
<div><b>${formatCell(m.test_psnr)} dB</b><span>PSNR (noisy input: ${
    formatCell(m.noisy_psnr)
  } dB)</span></div>
<div><b>${formatCell(m.test_ssim)}</b><span>SSIM (noisy input: ${
    formatCell(m.noisy_ssim)
  })</span></div>
</div>
<p>Run <code>${escapeHtml(main.name)}</code>: noise factor ${main.config.noise}, ${
    formatCell(main.config.train)
  } training images (the report: ${formatCell(REPORT_TRAIN_IMAGES)}), ${m.epochs} epochs, ` +
    `${formatCell(main.config.test)} test images.</p>`;
}

/** `index.html` of a report (see the module doc). */
export function landingPage(options: {
  name: string;
  settings: string;
  notebooks: NotebookCard[];
  main?: Run;
  runs: Run[];
  demo: boolean;
}): string {
  const { name, settings, notebooks, main, runs, demo } = options;
  const cards = notebooks.map((n) => {
    const stem = basename(n.file, ".ipynb");
    const links = [
      `<a href="${CODE_FREE_DIR}/${stem}.html">page</a>`,
      `<a href="${stem}.slides.html">slides</a>`,
      `<a href="${stem}.html">page with code</a>`,
      `<a href="${n.file}">notebook</a>`,
    ];
    if (demo && stem.startsWith("04")) links.push(`<a href="demo.html">live demo</a>`);
    return `<div class="card"><a class="thumb" href="${CODE_FREE_DIR}/${stem}.html">${n.thumbnail}</a>
<h3>${escapeHtml(n.title)}</h3><p>${links.join(" · ")}</p>
<p class="small">${escapeHtml(n.file)}, ran in ${n.seconds.toFixed(0)} s</p></div>`;
  });
  const rows = runs.map(({ name: run, config: c, metrics: m }) =>
    `<tr><td>${escapeHtml(run)}</td>` +
    [
      c.noise,
      m.epochs,
      c.train,
      m.test_mse,
      m.noisy_mse,
      m.test_psnr,
      m.test_ssim,
      Math.round(
        m.train_images_per_second,
      ),
    ].map((v) => `<td>${formatCell(v)}</td>`).join("") +
    `<td>${escapeHtml(m.backend)}</td></tr>`
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Denoising autoencoder report: ${escapeHtml(name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:66em;margin:2em auto;padding:0 1em;color:#222}
.headline{display:flex;gap:1em;flex-wrap:wrap}.headline div{background:#f3f5f8;padding:.6em 1em;border-radius:6px}
.headline b{display:block;font-size:1.6em}.headline span{font-size:.85em;color:#555}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(19em,1fr));gap:1em}
.card{border:1px solid #ddd;border-radius:6px;padding:.8em}.card h3{margin:.4em 0;font-size:1.05em}
.thumb{display:block;height:9em;overflow:hidden;background:#fafafa;text-align:center}
.thumb img,.thumb svg{height:100%;width:auto;max-width:100%}
.small{font-size:.85em;color:#666}.demo{font-size:1.15em}
table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}</style></head>
<body>
<h1>Denoising autoencoder report: ${escapeHtml(name)}</h1>
${main ? headline(main) : "<p>No trained run for the headline numbers.</p>"}
${
    demo
      ? `<p class="demo">▶ <a href="demo.html">Live demo</a>: draw a digit, move the noise slider, and watch each trained model clean it up in your browser.</p>`
      : ""
  }
<h2>Notebooks</h2>
<div class="cards">
${cards.join("\n")}
</div>
<h2>Runs of this report</h2>
<table>
<tr><th>run</th><th>noise</th><th>epochs</th><th>train</th><th>test MSE</th><th>noisy MSE</th><th>PSNR (dB)</th><th>SSIM</th><th>img/s</th><th>backend</th></tr>
${rows.join("\n")}
</table>
<p class="small">Settings: ${escapeHtml(settings)}</p>
</body></html>
`;
}
