/**
 * The report command as a user runs it: flags, a failing notebook named by its cell, and the
 * whole report on a tiny profile, down to what headless Chromium renders of notebook 4.
 * The notebooks' code is type-checked too (Jupyter's kernel does not check types).
 */
import { join } from "node:path";
import { decode } from "fast-png";
import { assert, assertEquals, assertThrows } from "../lib/_testing_assert.ts";
import { DEFAULT_CONFIG, defaultRunName, REPORT_PROFILE } from "../lib/runs/config.ts";
import { isAlive, pathExists as exists } from "../lib/runs/atomic.ts";
import { InputError } from "../lib/errors.ts";
import { notebookSettings } from "../lib/notebook.ts";
import { type CommandResult, runScript } from "./_testing.ts";
import { launchChromium } from "../lib/_chromium.ts";
import {
  checkDecks,
  checkLanding,
  checkPages,
  checkPdfs,
  checkPlumbing,
  fakeRun,
} from "./report/_testing.ts";
import { notebookProblems } from "./report/exec.ts";
import { descendants } from "./_process_tree.ts";
import { findNotebooks, notebookParams, parseReportArgs } from "./report.ts";
import { NOTEBOOKS_DIR } from "./jupyter/setup.ts";

const SCRIPT = new URL("./report.ts", import.meta.url).pathname;
const REPO = new URL("..", import.meta.url).pathname;
const TINY = ["--train", "256", "--test", "64", "--epochs", "1", "--sweep-epochs", "1"];

/** Only what the tools need from the environment, so stray NOISE_FACTOR etc. cannot leak in. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (/^(PATH|HOME|LANG|TMPDIR|DENO_DIR|XDG_.*|JUPYTER_.*)$/.test(k)) env[k] = v;
  }
  return env;
}

function report(args: string[]): Promise<CommandResult> {
  return runScript(SCRIPT, args, { clearEnv: true, env: cleanEnv() });
}

function notebook(...sources: (string | [string, string[]])[]) {
  return JSON.stringify({
    cells: [
      { cell_type: "markdown", id: "title", metadata: {}, source: "# A test notebook" },
      ...sources.map((s) => [s].flat() as [string, string[]?]).map(([source, tags], i) => ({
        cell_type: "code",
        id: `c${i}`,
        metadata: tags ? { tags } : {},
        source,
        execution_count: null,
        outputs: [],
      })),
    ],
    metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test("parseReportArgs() takes flags over environment variables over the defaults", () => {
  const cmd = parseReportArgs(["--epochs", "2", "--name", "tiny"], {
    EPOCHS: "5",
    NOISE_FACTOR: "0.3",
  });
  assertEquals([cmd.config.epochs, cmd.config.noise, cmd.name], [2, 0.3, "tiny"]);
  assertEquals(cmd.sweepEpochs, undefined);
  assertEquals(parseReportArgs([], { SWEEP_EPOCHS: "4" }).sweepEpochs, 4);
  assertEquals(cmd.notebooks, NOTEBOOKS_DIR);
  const defaults = parseReportArgs([], {});
  // The report profile: the defaults but for the training size and epochs.
  assertEquals([defaults.config, defaults.name], [
    { ...DEFAULT_CONFIG, ...REPORT_PROFILE },
    "default",
  ]);
  assert(defaults.out.endsWith("/outputs"));
});

Deno.test("parseReportArgs() resolves paths so they survive the kernel's working directory", () => {
  const cmd = parseReportArgs(["--out", "o", "--dataset", "data/mnist", "--sweep-epochs", "3"], {});
  assertEquals(cmd.out, join(Deno.cwd(), "o"));
  assertEquals(cmd.config.dataset, join(Deno.cwd(), "data/mnist"));
  assertEquals(cmd.sweepEpochs, 3);
});

Deno.test("parseReportArgs() rejects bad input with one line", () => {
  for (
    const [args, includes] of [
      [["--noise", "x"], "noise must be a number"],
      [["--bogus"], "Unknown option"],
      [["--name", "a/b"], "run name"],
      [["--sweep-epochs", "0"], "sweep-epochs must be"],
      [["extra"], "positional"],
      [["--train", "500", "--sweep-train", "900"], "sweep-train 900 exceeds the 500 training"],
    ] as [string[], string][]
  ) {
    const e = assertThrows(() => parseReportArgs(args, {}), InputError, includes);
    assert(!e.message.includes("\n"), e.message);
  }
});

Deno.test("notebookParams() hands every setting, the sweep's and the output root over", () => {
  const params = notebookParams(parseReportArgs(["--noise", "0.3", "--out", "/tmp/r"], {}));
  for (const key of Object.keys(DEFAULT_CONFIG)) assert(key in params, key);
  // The output root is a parameter too; executeNotebook takes it out of the executed notebook.
  assertEquals([params.noise, params.out, params.sweepEpochs], [0.3, "/tmp/r", undefined]);
  assertEquals(notebookParams(parseReportArgs(["--sweep-epochs", "2"], {})).sweepEpochs, 2);
  const named = parseReportArgs(["--sweep-name", "mine"], { SWEEP_NOISE: "0.1,0.5" });
  assertEquals([notebookParams(named).sweepName, notebookParams(named).sweepNoise], [
    "mine",
    "0.1,0.5",
  ]);
});

Deno.test("deno task report --noise 0.3 reaches the notebooks' settings as their params", () => {
  const cmd = parseReportArgs(["--noise", "0.3", "--sweep-epochs", "2", "--out", "/tmp/r"], {});
  // What the injected cell does: Object.assign(params, …).
  const settings = notebookSettings(Object.assign({ noise: 0.7 }, notebookParams(cmd)));
  assertEquals([settings.config.noise, settings.sweep.epochs, settings.out], [0.3, 2, "/tmp/r"]);
  assertEquals(settings.config, cmd.config);
});

Deno.test("findNotebooks() runs NN_*.ipynb in order and nothing else", async () => {
  const dir = await Deno.makeTempDir();
  for (const f of ["10_b.ipynb", "02_a.ipynb", "notes.ipynb", "03_c.txt"]) {
    await Deno.writeTextFile(join(dir, f), "{}");
  }
  assertEquals(await findNotebooks(dir), [join(dir, "02_a.ipynb"), join(dir, "10_b.ipynb")]);
  const repo = (await findNotebooks(NOTEBOOKS_DIR)).map((p) => p.split("/").at(-1));
  assertEquals(repo.slice(0, 5), [
    "01_data_and_noise.ipynb",
    "02_autoencoder.ipynb",
    "03_training.ipynb",
    "04_results.ipynb",
    "05_noise_factors.ipynb",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("notebookProblems() finds error outputs and error lines on stderr", () => {
  const nb = JSON.parse(notebook("const a = 1;", "f()", "g()"));
  nb.cells[2].outputs = [{
    output_type: "error",
    ename: "ReferenceError",
    evalue: "f is not defined",
  }];
  nb.cells[3].outputs = [
    { output_type: "stream", name: "stderr", text: ["Warning: fine\n", "error: disk full\n"] },
  ];
  assertEquals(notebookProblems(nb), [
    "cell 3 (code cell 2: `f()`): ReferenceError: f is not defined",
    "cell 4 (code cell 3: `g()`): error: disk full",
  ]);
  nb.cells[3].outputs[0].text = "Warning: the implicit z channel…\nusing the trained run\n";
  nb.cells[2].outputs = [];
  assertEquals(notebookProblems(nb), []);
});

Deno.test("every notebook's code type-checks", async () => {
  const dir = await Deno.makeTempDir();
  const files: string[] = [];
  for (const path of await findNotebooks(NOTEBOOKS_DIR)) {
    const nb = JSON.parse(await Deno.readTextFile(path));
    const code = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string | string[] }) => [c.source].flat().join(""))
      .join("\n")
      .replaceAll('"../lib/', `"${REPO}lib/`);
    const file = join(dir, path.split("/").at(-1)!.replace(".ipynb", ".ts"));
    await Deno.writeTextFile(file, code);
    files.push(file);
  }
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--config", join(REPO, "deno.json"), ...files],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("deno task report: --help, and bad flags exit 2 with one line", async () => {
  const help = await report(["--help"]);
  assertEquals(help.code, 0);
  assert(help.stdout.includes("--sweep-epochs") && help.stdout.includes("--noise"));
  const bad = await report(["--epochs", "zero"]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stderr.trim().split("\n"), ['error: epochs must be a number, got "zero"']);
});

Deno.test("deno task report: bad output and notebook paths exit 2 with one line, no stack", async (t) => {
  const root = await Deno.makeTempDir();
  const file = join(root, "a-file");
  await Deno.writeTextFile(file, "x");
  const notJson = join(root, "nb1");
  const noCells = join(root, "nb2");
  for (const [dir, text] of [[notJson, "not json\n{"], [noCells, '{"cells": 5}']]) {
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "01_a.ipynb"), text);
  }
  const cases: [string, string[], Record<string, string>, string][] = [
    ["--out /proc/x", ["--out", "/proc/x"], {}, "cannot create folder /proc/x/report"],
    ["OUTPUT_DIR=/proc/x", [], { OUTPUT_DIR: "/proc/x" }, "cannot create folder /proc/x/report"],
    ["--out a file", ["--out", file], {}, "a file is in the way of a folder"],
    ["a notebook that is not JSON", ["--notebooks", notJson], {}, "is not readable JSON"],
    ['{"cells": 5}', ["--notebooks", noCells], {}, "has no list of cells"],
    ["--notebooks a file", ["--notebooks", file], {}, "is a file, not a folder of notebooks"],
  ];
  for (const [what, args, env, message] of cases) {
    await t.step(what, async () => {
      const out = args.includes("--out") || env.OUTPUT_DIR ? [] : ["--out", join(root, "o")];
      const r = await runScript(SCRIPT, [...out, ...args], {
        clearEnv: true,
        env: { ...cleanEnv(), ...env },
      });
      assertEquals(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      assert(lines[0].startsWith("error: ") && lines[0].includes(message), lines[0]);
    });
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("deno task report: a failing cell fails the report by name, leaving the last report", async () => {
  const root = await Deno.makeTempDir();
  const notebooks = join(root, "notebooks");
  const out = join(root, "out");
  await Deno.mkdir(notebooks);
  await Deno.writeTextFile(join(notebooks, "01_ok.ipynb"), notebook('console.log("fine");'));
  const first = await report(["--notebooks", notebooks, "--out", out]);
  assertEquals(first.code, 0, first.stderr);
  const index = join(out, "report", "default", "index.html");
  const before = await Deno.readTextFile(index);

  await Deno.writeTextFile(
    join(notebooks, "02_fail.ipynb"),
    notebook("const x = 1;", 'throw new RangeError("boom " + x);'),
  );
  const failed = await report(["--notebooks", notebooks, "--out", out]);
  assertEquals(failed.code, 1);
  assert(
    failed.stderr.includes(
      'error: 02_fail.ipynb: cell 3 (code cell 2: `throw new RangeError("boom " + x);`): ' +
        "RangeError: boom 1",
    ),
    failed.stderr,
  );
  assertEquals(await Deno.readTextFile(index), before);
  assertEquals([...Deno.readDirSync(join(out, "report"))].map((e) => e.name), ["default"]);
  await Deno.remove(root, { recursive: true });
});

/** Runs headless Chromium on a page; `args` add --screenshot=… or --dump-dom. */
async function chromium(url: string, args: string[]): Promise<string> {
  const profile = await Deno.makeTempDir();
  const r = await new Deno.Command("chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--window-size=1200,3000",
      "--virtual-time-budget=10000",
      ...args,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(profile, { recursive: true });
  assert(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout);
}

/** Counts what a browser actually rendered: images with a size, charts with a size. */
const RENDER_CHECK = `<script>
addEventListener("load", () => {
  const images = [...document.images];
  const charts = [...document.querySelectorAll("svg")].filter((s) => s.querySelector("rect, path"));
  document.body.setAttribute("data-check", JSON.stringify({
    images: images.length,
    loaded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    charts: charts.length,
    drawn: charts.filter((s) => s.getBoundingClientRect().width > 0).length,
  }));
});
</script>`;

Deno.test({
  name: "deno task report: every notebook runs headless on a tiny profile and renders",
  // Notebook 5 trains four tiny models; the whole report takes well under a minute here.
  sanitizeResources: false,
  async fn(t) {
    const out = await Deno.makeTempDir();
    const dir = join(out, "report", "default");
    const shots = Deno.env.get("SCREENSHOT_DIR") ?? join(out, "screenshots");
    await Deno.mkdir(shots, { recursive: true });
    // An unrelated run, damaged: no notebook wrote it, so the report never reads or lists it.
    const stray = join(out, "runs", "stray-run");
    await Deno.mkdir(stray, { recursive: true });
    await Deno.writeTextFile(join(stray, "config.json"), "{}");
    await Deno.writeTextFile(join(stray, "history.json"), "[]");
    await Deno.writeTextFile(join(stray, "metrics.json"), '{"test_mse": 0.0');
    const r = await report([...TINY, "--out", out]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.trim(), join(dir, "index.html"));
    const stems = (await findNotebooks(NOTEBOOKS_DIR)).map((p) =>
      p.split("/").at(-1)!.replace(".ipynb", "")
    );

    await t.step("it prints every epoch and each notebook's seconds, then the total", () => {
      const lines = r.stderr.split("\n");
      // Notebook 3 trains one run, notebook 5 three more (0.5 is notebook 3's): a line each.
      const { config } = parseReportArgs(TINY, {});
      for (const [nb, noise] of [["03", 0.5], ["05", 0.1], ["05", 0.3], ["05", 0.7]] as const) {
        const name = defaultRunName({ ...config, noise });
        const re = new RegExp(`^${nb}_\\S+  run ${name}  epoch 1/1  loss [\\d.]+  \\d+ img/s  ETA`);
        assert(lines.some((l) => re.test(l)), `${nb} ${name}\n${r.stderr}`);
      }
      // Notebook 4 trains nothing: it prints no epoch line (nor notebook 3's again).
      assert(!lines.some((l) => /^04_\S+ .* epoch /.test(l)), r.stderr);
      assert(/^report: 01_\S+ done in \d+ s$/m.test(r.stderr), r.stderr);
      assert(/^report: \d+ notebooks ran in \d+ s$/m.test(r.stderr), "it ends with the total");
    });

    await t.step(
      "each notebook has its executed .ipynb, pages and slides, all linked",
      async () => {
        const index = await Deno.readTextFile(join(dir, "index.html"));
        assert(!index.includes("stray-run"), "only the report's runs are listed");
        assert(index.includes('href="demo.html"'));
        for (const stem of stems) {
          for (const ext of [".ipynb", ".html", ".slides.html"]) {
            assert(await exists(join(dir, stem + ext)), stem + ext);
            assert(index.includes(`href="${stem}${ext}"`), stem + ext);
          }
          assert(index.includes(`href="code-free/${stem}.html"`), stem);
          const free = await Deno.readTextFile(join(dir, "code-free", `${stem}.html`));
          const full = await Deno.readTextFile(join(dir, `${stem}.html`));
          assert(full.includes("highlight hl-"), "the full page shows code");
          assert(!free.includes("highlight hl-"), `${stem}: the code-free page has code`);
          const slides = await Deno.readTextFile(join(dir, `${stem}.slides.html`));
          assert(!slides.includes("highlight hl-"), `${stem}: the slides have code`);
          const nb = JSON.parse(await Deno.readTextFile(join(dir, `${stem}.ipynb`)));
          assertEquals(notebookProblems(nb), []);
          // Log lines are folded <details>, never stderr boxes.
          const stderr = nb.cells.flatMap((c: { outputs?: { name?: string; text?: string[] }[] }) =>
            (c.outputs ?? []).filter((o) => o.name === "stderr").map((o) =>
              [o.text].flat().join("")
            )
          ).join("");
          assert(!/backend: |using the trained run|^data: /m.test(stderr), `${stem}: ${stderr}`);
        }
        // A line per run: notebook 3's run and notebook 5's (0.5 is shared), and any others.
        const { config } = parseReportArgs(TINY, {});
        for (const noise of [0.1, 0.3, 0.5, 0.7]) {
          const name = defaultRunName({ ...config, noise });
          assert(index.includes(`<tr><td>${name}</td>`), name);
        }
      },
    );

    await t.step(
      "the page of notebook 4 embeds grids as PNG data URIs and charts as SVG",
      async () => {
        const html = await Deno.readTextFile(join(dir, "04_results.html"));
        const pngs = html.match(/<img [^>]*src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g) ?? [];
        assert(pngs.length >= 3 * 10, `${pngs.length} PNG images`);
        const charts =
          html.match(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*?<\/svg>/g) ?? [];
        assert(charts.filter((c) => c.includes("<rect")).length >= 3, `${charts.length} charts`);
        assert(!/src="https?:/.test(html), "the page loads nothing from the network");
      },
    );

    await t.step(
      "screenshots: landing page, code-free notebook 4, demo after a stroke",
      async () => {
        const browser = await launchChromium({ size: [1200, 1000] });
        try {
          for (
            const [page, file] of [["index.html", "landing"], ["code-free/04_results.html", "04"]]
          ) {
            await browser.goto(`file://${join(dir, page)}`);
            await Deno.writeFile(join(shots, `${file}.png`), await browser.screenshot());
          }
          await browser.goto(`file://${join(dir, "demo.html")}`);
          const options = await browser.evaluate<string[]>(`new Promise((resolve) => {
          const poll = () => window.demo && window.demo.ready && window.demo.output
            ? resolve([...document.querySelectorAll("#model option")].map((o) => o.textContent))
            : setTimeout(poll, 20);
          poll();
        })`);
          // The main run, notebook 5's four factors (0.5 is shared) and its clean-trained control.
          assertEquals(options.length, 5, options.join("; "));
          const pad = await browser.evaluate<{ x: number; y: number }>(
            `(() => { const r = document.getElementById("pad").getBoundingClientRect(); return { x: r.left, y: r.top }; })()`,
          );
          const mouse = (type: string, x: number, y: number) =>
            browser.send("Input.dispatchMouseEvent", {
              type,
              x: pad.x + x,
              y: pad.y + y,
              button: "left",
              buttons: 1,
              clickCount: 1,
            });
          await mouse("mousePressed", 60, 60);
          await mouse("mouseMoved", 200, 200);
          await mouse("mouseReleased", 200, 200);
          await browser.evaluate(
            `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`,
          );
          const picked = await browser.evaluate<string>(
            `document.getElementById("picked").textContent`,
          );
          assertEquals(picked, "Your drawing.");
          await Deno.writeFile(join(shots, "demo.png"), await browser.screenshot());
          assertEquals(browser.errors.filter((e) => !e.includes("mathjax")), []);
        } finally {
          await browser.close();
        }
        for (const f of ["landing", "04", "demo"]) {
          const png = decode(await Deno.readFile(join(shots, `${f}.png`)));
          assertEquals([png.width, png.height], [1200, 1000]);
        }
      },
    );

    await t.step(
      "every slide of every deck fits 1280×720, with no console error and nothing from outside",
      () => checkDecks(dir, stems, shots),
    );

    await t.step(
      "each deck's PDF has a page per slide, and report.pdf one per slide of all",
      () => checkPdfs(dir, stems, shots),
    );

    await t.step(
      "no exported file names the output root; pages without code show no plumbing",
      () => checkPlumbing(dir, out, parseReportArgs(TINY, {})),
    );

    await t.step(
      "the landing page: headline, the five verdicts with their profile, runs",
      () => checkLanding(dir, out, stems, parseReportArgs(TINY, {})),
    );

    await t.step(
      "every page has lang, a real title, alt text and previous/index/next links",
      () => checkPages(dir, stems),
    );

    await t.step("headless Chromium renders notebook 4: a screenshot with content", async () => {
      const shot = join(out, "04.png");
      await chromium(`file://${join(dir, "04_results.html")}`, [`--screenshot=${shot}`]);
      const png = decode(await Deno.readFile(shot));
      const data = png.data as Uint8Array;
      const values = new Set<number>();
      let dark = 0;
      for (let i = 0; i < data.length; i += png.channels) {
        values.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        if (data[i] < 128) dark++;
      }
      assert(values.size > 100, `${values.size} distinct colours`);
      assert(dark / (data.length / png.channels) > 0.02, `${dark} dark pixels`);
    });

    await t.step(
      "in Chromium, every image of notebook 4 decodes and every chart has a size",
      async () => {
        const page = join(dir, "04_results.check.html");
        const html = await Deno.readTextFile(join(dir, "04_results.html"));
        await Deno.writeTextFile(page, html.replace("</body>", `${RENDER_CHECK}</body>`));
        const dom = await chromium(`file://${page}`, ["--dump-dom"]);
        const m = /data-check="([^"]*)"/.exec(dom);
        assert(m, "the check script ran");
        const check = JSON.parse(m[1].replaceAll("&quot;", '"'));
        assert(check.images >= 30 && check.loaded === check.images, JSON.stringify(check));
        assert(check.charts >= 3 && check.drawn === check.charts, JSON.stringify(check));
      },
    );

    await Deno.remove(out, { recursive: true });
  },
});

/** A cell that prints `expr` as JSON and waits for the kernel to send it (see lib/notebook.ts). */
function printCell(expr: string): string {
  return `console.log(JSON.stringify(${expr}));\nawait new Promise((r) => setTimeout(r, 300));`;
}

function streamText(nb: { cells: { outputs?: { text?: string | string[] }[] }[] }): string {
  return nb.cells.flatMap((c) => c.outputs ?? []).map((o) => [o.text ?? ""].flat().join("")).join(
    "",
  );
}

Deno.test("deno task report: --noise reaches a notebook through its injected parameters cell", async () => {
  const root = await Deno.makeTempDir();
  const notebooks = join(root, "notebooks");
  await Deno.mkdir(notebooks);
  await Deno.writeTextFile(
    join(notebooks, "01_params.ipynb"),
    notebook(
      ["const params: Record<string, unknown> = { noise: 0.9, mine: 1 };", ["parameters"]],
      printCell("{ noise: params.noise, epochs: params.epochs, mine: params.mine }"),
    ),
  );
  const r = await report(["--notebooks", notebooks, "--out", join(root, "out"), "--noise", "0.3"]);
  assertEquals(r.code, 0, r.stderr);
  const nb = JSON.parse(
    await Deno.readTextFile(join(root, "out", "report", "default", "01_params.ipynb")),
  );
  assertEquals(nb.cells[2].metadata.tags, ["injected-parameters"]);
  const expected = `{"noise":0.3,"epochs":${REPORT_PROFILE.epochs},"mine":1}`;
  assert(streamText(nb).includes(expected), streamText(nb));
  await Deno.remove(root, { recursive: true });
});

Deno.test("deno task report: a damaged run or a tampered headline model is one error naming it", async (t) => {
  const root = await Deno.makeTempDir();
  const notebooks = join(root, "notebooks");
  const out = join(root, "out");
  await Deno.mkdir(notebooks);
  await Deno.writeTextFile(join(notebooks, "01_ok.ipynb"), notebook('console.log("fine");'));
  const { config } = parseReportArgs([], {});
  const name = defaultRunName(config);
  const run = await fakeRun(out, name, config);
  const index = join(out, "report", "default", "index.html");
  const first = await report(["--notebooks", notebooks, "--out", out]);
  assertEquals(first.code, 0, first.stderr);
  const before = await Deno.readTextFile(index);
  assert(before.includes("lower is better"), "the headline of the verified run");
  // Changed weights and a missing digest: tools/report/index_test.ts.
  const cases: [string, string, string, string][] = [
    ["a changed model.json", "model/model.json", " ", "cannot give the headline numbers"],
    ["{} as metrics.json", "metrics.json", "{}", "is damaged"],
  ];
  for (const [what, file, change, message] of cases) {
    await t.step(what, async () => {
      const path = join(run, file);
      const saved = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, change === "{}" ? change : saved + change);
      const r = await report(["--notebooks", notebooks, "--out", out]);
      assertEquals(r.code, 2, r.stderr);
      const last = r.stderr.trim().split("\n").at(-1)!;
      assert(last.startsWith(`error: run "${name}" ${message}`), last);
      assertEquals(await Deno.readTextFile(index), before, "the last report stays as it was");
      await Deno.writeTextFile(path, saved);
    });
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test({
  name: "deno task report: SIGTERM stops papermill and its kernel, cleans up, exits 130",
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir();
    const notebooks = join(root, "notebooks");
    const out = join(root, "out");
    await Deno.mkdir(notebooks);
    await Deno.mkdir(join(out, "report", `.default.${2 ** 22 + 9}.0.tmp`), { recursive: true });
    await Deno.writeTextFile(
      join(notebooks, "01_slow.ipynb"),
      notebook("await new Promise((r) => setTimeout(r, 120_000));"),
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, "--notebooks", notebooks, "--out", out],
      clearEnv: true,
      env: cleanEnv(),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const stdout = new Response(child.stdout).text();
    // Wait until the kernel (a grandchild: report → papermill → deno) runs the cell.
    let tree: number[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      tree = descendants(child.pid);
      const kernel = tree.some((p) => {
        try {
          return Deno.readTextFileSync(`/proc/${p}/cmdline`).includes("jupyter\0--kernel");
        } catch {
          return false;
        }
      });
      if (kernel) break;
    }
    assert(tree.length >= 2, `report tree: ${tree}`);
    await new Promise((r) => setTimeout(r, 1000));
    tree = descendants(child.pid);
    child.kill("SIGTERM");
    const status = await child.status;
    const [err] = await Promise.all([stderr, stdout]);
    assertEquals(status.code, 130, err);
    assert(err.includes("report: stopped by SIGTERM during 01_slow.ipynb"), err);
    await new Promise((r) => setTimeout(r, 200));
    const alive = tree.filter(isAlive);
    assertEquals(alive, [], `still running: ${alive}`);
    assertEquals([...Deno.readDirSync(join(out, "report"))].map((e) => e.name), []);
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "deno task report: kill -9 of the report leaves no nbconvert or kernel running",
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir();
    const notebooks = join(root, "notebooks");
    await Deno.mkdir(notebooks);
    await Deno.writeTextFile(
      join(notebooks, "01_slow.ipynb"),
      notebook("await new Promise((r) => setTimeout(r, 120_000));"),
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, "--notebooks", notebooks, "--out", join(root, "out")],
      clearEnv: true,
      env: cleanEnv(),
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Wait until the kernel (report → watchdog → jupyter → kernel) runs the cell.
    let tree: number[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      tree = descendants(child.pid);
      const kernel = tree.some((p) => {
        try {
          return Deno.readTextFileSync(`/proc/${p}/cmdline`).includes("jupyter\0--kernel");
        } catch {
          return false;
        }
      });
      if (kernel) break;
    }
    assert(tree.length >= 3, `report tree: ${tree}`);
    await new Promise((r) => setTimeout(r, 1000));
    tree = descendants(child.pid);
    child.kill("SIGKILL");
    await child.status;
    // The watchdog sees the report gone and stops the rest within its poll and grace time.
    let alive = tree;
    for (let i = 0; i < 100 && alive.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alive = tree.filter(isAlive);
    }
    assertEquals(alive, [], `still running: ${alive}`);
    await Deno.remove(root, { recursive: true });
  },
});
