/**
 * Test helper: what tools/report_test.ts checks on one finished tiny report, a function per
 * step, so the report runs once: every slide of every deck in headless Chromium at 1280×720
 * (nothing sticks out, no console error, nothing loaded from outside the report), the PDFs'
 * page counts, the plumbing left out of pages without code, the landing page, and each page's
 * language, title, alt text and links.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { type Browser, launchChromium } from "../../lib/_chromium.ts";
import { escapeHtml } from "../../lib/text.ts";
import { notebookSettings } from "../../lib/notebook.ts";
import { notebookSweep } from "../../lib/notebook.ts";
import { profileName } from "../../lib/notebook.ts";
import { MODEL_DIGEST_JSON, sha256Hex } from "../../lib/model/model_io.ts";
import { parseClaims } from "./index.ts";
import { DECK_READY } from "./pages.ts";
import { notebookParams, type ReportCommand } from "../report.ts";

/** Pages of a PDF as Chromium writes it: its `/Type /Page` objects. */
export function pdfPages(pdf: Uint8Array): number {
  const text = new TextDecoder("latin1").decode(pdf);
  return text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

/** Shows slide `i` and returns what sticks out of it, or "" when it fits. */
const OVERFLOW = (i: number) =>
  `(async () => {
  const slide = window.deck.getSlides()[${i}];
  const { h, v } = window.deck.getIndices(slide);
  window.deck.slide(h, v);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const { width, height } = window.deck.getConfig();
  if (slide.scrollHeight > height + 1 || slide.scrollWidth > width + 1) {
    return slide.scrollWidth + "×" + slide.scrollHeight + " px";
  }
  const box = document.querySelector(".reveal .slides").getBoundingClientRect();
  for (const el of slide.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 ||
      r.bottom > box.bottom + 1) {
      return "<" + el.tagName.toLowerCase() + "> outside the slide";
    }
  }
  return "";
})()`;

/** The deck at `url`, a `file://` URL inside the report folder `root`: its slides and problems. */
async function checkDeck(browser: Browser, url: string, root: string) {
  browser.errors.length = 0;
  browser.requests.length = 0;
  await browser.goto(url);
  await browser.evaluate(DECK_READY);
  const slides = await browser.evaluate<number>("window.deck.getTotalSlides()");
  const problems: string[] = [];
  for (let i = 0; i < slides; i++) {
    const overflow = await browser.evaluate<string>(OVERFLOW(i));
    if (overflow) problems.push(`slide ${i + 1}: ${overflow}`);
  }
  for (const e of browser.errors) problems.push(`console: ${e}`);
  const inside = `file://${root.replace(/\/$/, "")}/`;
  for (const r of browser.requests) {
    if (!r.startsWith(inside) && !r.startsWith("data:")) {
      problems.push(`request outside the bundle: ${r}`);
    }
  }
  return { slides, problems };
}

/** Every file under `dir`, at any depth. */
async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) files.push(...await filesUnder(path));
    else if (e.isFile) files.push(path);
  }
  return files;
}

/** Every slide of every deck fits 1280×720, with no console error and nothing from outside. */
export async function checkDecks(dir: string, stems: string[], shots: string): Promise<void> {
  const browser = await launchChromium({ size: [1280, 720] });
  try {
    for (const stem of stems) {
      const url = `file://${join(dir, `${stem}.slides.html`)}`;
      const { slides, problems } = await checkDeck(browser, url, dir);
      assert(slides >= 3, `${stem}: ${slides} slides`);
      assertEquals(problems, [], stem);
      // The title slide: the notebook's heading, its question and its one-line answer.
      const title = await browser.evaluate<string[]>(`(() => {
        const s = deck.getSlides()[0];
        return [s.querySelector("h1")?.textContent ?? "", s.querySelector(".deck-answer")?.textContent ?? ""];
      })()`);
      assert(title[0].startsWith(stem.slice(1, 2) + "."), `${stem}: title ${title[0]}`);
      assert(/\d/.test(title[1]), `${stem}: no answer with a number on the title slide`);
      if (stem.startsWith("06")) {
        // The summary: the slide with the claims table.
        await browser.evaluate(`(() => {
          const s = deck.getSlides().findLast((s) => [...s.querySelectorAll("th")].some((th) => th.textContent === "verdict"));
          const { h, v } = deck.getIndices(s);
          deck.slide(h, v);
        })()`);
        await Deno.writeFile(join(shots, "06_summary_slide.png"), await browser.screenshot());
      }
    }
  } finally {
    await browser.close();
  }
}

/** Each deck's PDF has a page per slide, and report.pdf one per slide of all. */
export async function checkPdfs(dir: string, stems: string[], shots: string): Promise<void> {
  const browser = await launchChromium({ size: [1280, 720] });
  let total = 0;
  try {
    for (const stem of stems) {
      await browser.goto(`file://${join(dir, `${stem}.slides.html`)}`);
      await browser.evaluate(DECK_READY);
      const slides = await browser.evaluate<number>("deck.getTotalSlides()");
      assertEquals(pdfPages(await Deno.readFile(join(dir, `${stem}.pdf`))), slides, stem);
      total += slides;
    }
    assertEquals(pdfPages(await Deno.readFile(join(dir, "report.pdf"))), total, "report.pdf");
    // What a PDF page shows: the print view the PDF is made from, notebook 4's first page.
    await browser.goto(`file://${join(dir, "04_results.slides.html")}?print-pdf`);
    await browser.evaluate(DECK_READY);
    await browser.evaluate(`new Promise((r) => setTimeout(r, 500))`);
    // The first page, as large as reveal.js makes it (the slide and its margin).
    const page = await browser.evaluate<{ width: number; height: number }>(
      `({ width: parseFloat(document.body.style.width), height: parseFloat(document.body.style.height) })`,
    );
    const shot = await browser.send("Page.captureScreenshot", {
      format: "png",
      clip: { x: 0, y: 0, ...page, scale: 1 },
      captureBeyondViewport: true,
    });
    const png = Uint8Array.from(atob(shot.data as string), (c) => c.charCodeAt(0));
    await Deno.writeFile(join(shots, "04_pdf_page.png"), png);
  } finally {
    await browser.close();
  }
}

/** No exported file names the output root; pages without code show no plumbing. */
export async function checkPlumbing(dir: string, out: string, cmd: ReportCommand): Promise<void> {
  const roots = [out, await Deno.realPath(out)];
  // The names of the hidden cells' variables: the injected parameters and settings.
  const { config } = cmd;
  const hidden = [
    ...Object.keys(config).filter((k) => /[A-Z]/.test(k)),
    "sweepEpochs",
    "Object.assign(params",
    "run name",
  ];
  const plumbing = /\blib\/\S+\.ts\b|\bSWEEP_[A-Z]+|\bensureRun\b|deno task|sweep log|this cell/;
  for (const file of await filesUnder(dir)) {
    const text = new TextDecoder().decode(await Deno.readFile(file));
    for (const root of roots) assert(!text.includes(root), `${file} names ${root}`);
    const page = file.includes("/code-free/") || file.endsWith(".slides.html");
    if (!page) continue;
    for (const name of hidden) assert(!text.includes(name), `${file}: ${name}`);
    // The words a reader sees, without scripts and styles.
    const words = text.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]*>/g, " ");
    assert(!plumbing.test(words), `${file}: ${plumbing.exec(words)?.[0]}`);
    assert(!text.includes('class="log"'), `${file}: a log line`);
    assert(!text.includes("train-progress"), `${file}: a training progress table`);
    assert(words.includes("Setup"), `${file}: no setup line`);
  }
}

/** The landing page: headline, the five claims' verdicts with their profile, runs. */
export async function checkLanding(
  dir: string,
  out: string,
  stems: string[],
  cmd: ReportCommand,
): Promise<void> {
  const index = await Deno.readTextFile(join(dir, "index.html"));
  assert(index.includes('<meta name="viewport"'));
  assert(index.includes("lower is better"));
  const { config } = cmd;
  const settings = notebookSettings({ ...notebookParams(cmd), out });
  assert(index.includes(`From the <b>${profileName(config)}</b>`), "the headline's profile");
  // The verdicts notebook 6's sweep wrote, each on the page, and the sweep's profile.
  const sweep = notebookSweep(settings);
  const claims = parseClaims(
    await Deno.readTextFile(join(out, "sweeps", sweep.name, "claims.md")),
  );
  // Every claim of the five has its primary comparisons (1a, 1b, 2, 3, 4, 5a, 5b) on the page.
  assertEquals(new Set(claims.map((c) => c.claim.replace(/^(\d).*/, "$1"))).size, 5);
  for (const { claim, verdict } of claims) {
    const item = `${verdict}</span> ${escapeHtml(claim)}`;
    assert(index.includes(item), item);
  }
  assert(index.includes(`sweep, on the <b>${profileName(sweep.config, true)}</b>`));
  for (const head of ["epochs", "training images", "test images"]) {
    assert(index.includes(`<th>${head}</th>`), head);
  }
  for (const stem of [...stems, "report"]) assert(index.includes(`href="${stem}.pdf"`), stem);
}

/** Every page has lang, a real title, alt text and previous/index/next links. */
export async function checkPages(dir: string, stems: string[]): Promise<void> {
  const titles: string[] = [];
  for (const [i, stem] of stems.entries()) {
    for (const page of [`code-free/${stem}.html`, `${stem}.html`, `${stem}.slides.html`]) {
      const html = await Deno.readTextFile(join(dir, page));
      assert(html.includes('<html lang="en">'), page);
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
      assert(!title.includes(stem) && /^\d\. /.test(title), `${page}: title ${title}`);
      if (page.startsWith("code-free")) titles.push(title);
      const imgs = html.match(/<img\b[^>]*>/g) ?? [];
      const bare = imgs.filter((img) => !/\balt="[^"]+"/.test(img));
      assertEquals(
        bare.length,
        0,
        `${page}: ${bare.length} of ${imgs.length} images without alt`,
      );
      const nav = /<nav class="report-nav[^"]*"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
      assert(nav.includes("index.html"), `${page}: no index link`);
      assertEquals(nav.includes('rel="prev"'), i > 0, `${page}: previous link`);
      assertEquals(nav.includes('rel="next"'), i < stems.length - 1, `${page}: next link`);
    }
  }
  assertEquals(new Set(titles).size, stems.length, titles.join("; "));
}

/**
 * Writes a complete run `name` of `config` under `out` with made-up metrics and a model folder
 * whose `sha256.json` matches its `model.json` and `weights.bin`; returns the run folder.
 */
export async function fakeRun(out: string, name: string, config: object): Promise<string> {
  const dir = join(out, "runs", name);
  await Deno.mkdir(join(dir, "model"), { recursive: true });
  const metrics = Object.fromEntries(
    ["test_mse", "noisy_mse", "test_psnr", "noisy_psnr", "test_ssim", "noisy_ssim", "epochs"]
      .map((k, i) => [k, i + 1]),
  );
  const files: [string, string][] = [
    ["config.json", JSON.stringify(config)],
    ["history.json", "[]"],
    ["metrics.json", JSON.stringify(metrics)],
    ["model/model.json", '{"modelTopology":{},"weightsManifest":[]}'],
    ["model/weights.bin", "0123"],
  ];
  for (const [file, content] of files) await Deno.writeTextFile(join(dir, file), content);
  const digest = async (file: string) =>
    await sha256Hex(await Deno.readFile(join(dir, "model", file)));
  await Deno.writeTextFile(
    join(dir, "model", MODEL_DIGEST_JSON),
    JSON.stringify({
      "model.json": await digest("model.json"),
      "weights.bin": await digest("weights.bin"),
    }),
  );
  return dir;
}
