/**
 * The notebooks in JupyterLab itself, as their users step through them: a real `jupyter lab`
 * from the project's environment, driven in headless Chromium (playwright-core). Notebooks
 * 01 to 04 and 07 run all their cells on a tiny profile, typed into each notebook's
 * parameters cell as a person would (the notebooks read no environment variable); then
 * notebook 3's parameters cell is edited to another noise factor and re-run, and its training cell is interrupted through the kernel REST API: the
 * kernel survives (lib's `withKernelInterrupt`) and Run All continues the run.
 * A screenshot of notebook 4 goes to `outputs/jupyterlab/04_results.png`.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { notebookSettings } from "../../lib/notebook.ts";
import { type Lab, startLab } from "./_testing_lab.ts";
import { NOTEBOOKS_DIR } from "./setup.ts";

const REPO = join(NOTEBOOKS_DIR, "..");

/** What a notebook shows after running, read from JupyterLab's model and its DOM. */
interface Shown {
  /** Error outputs and stderr lines starting "error"/"Uncaught", per cell. */
  errors: string[];
  /** Outputs with an SVG / a PNG in the notebook's model. */
  modelSvg: number;
  modelPng: number;
  /** SVG elements and images in the rendered outputs. */
  domSvg: number;
  domImg: number;
  /** Every output's text/plain and text/html, joined. */
  text: string;
  /** Whether every code cell ran (has an execution count). */
  allRan: boolean;
}

// Page-side code: JupyterLab's app is exposed as `window.jupyterapp`; typed loosely here.
// deno-lint-ignore no-explicit-any
type Any = any;

/** Opens `path` (relative to the server's root) as the current notebook, kernel ready. */
async function open(lab: Lab, path: string): Promise<void> {
  await lab.page.evaluate(async (path) => {
    const app = (globalThis as Any).jupyterapp;
    const panel = await app.commands.execute("docmanager:open", { path, factory: "Notebook" });
    await panel.context.ready;
    await panel.sessionContext.ready;
    app.shell.activateById(panel.id);
  }, path);
  await waitIdle(lab);
}

/** Waits until the current notebook's kernel is connected and idle. */
async function waitIdle(lab: Lab): Promise<void> {
  await lab.page.waitForFunction(
    () => {
      const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
      const kernel = panel?.sessionContext?.session?.kernel;
      return kernel?.connectionStatus === "connected" && kernel.status === "idle";
    },
    undefined,
    { timeout: 300_000, polling: 100 },
  );
}

/** Runs every cell of the current notebook (JupyterLab's Run All) and waits until idle. */
async function runAll(lab: Lab): Promise<void> {
  await lab.page.evaluate(() =>
    (globalThis as Any).jupyterapp.commands.execute("notebook:run-all-cells")
  );
  await waitIdle(lab);
}

async function shown(lab: Lab): Promise<Shown> {
  return await lab.page.evaluate(() => {
    const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
    const errors: string[] = [];
    let modelSvg = 0, modelPng = 0, allRan = true;
    const texts: string[] = [];
    panel.content.widgets.forEach((cell: Any, i: number) => {
      if (cell.model.type !== "code") return;
      if (cell.model.executionCount === null) allRan = false;
      for (const o of cell.model.outputs.toJSON()) {
        const data = o.data ?? {};
        if (data["image/svg+xml"]) modelSvg++;
        if (data["image/png"]) modelPng++;
        for (const t of [data["text/plain"], data["text/html"], o.text]) {
          if (t) texts.push([t].flat().join(""));
        }
        if (o.output_type === "error") errors.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
        if (o.output_type === "stream" && o.name === "stderr") {
          const line = [o.text].flat().join("").split("\n")
            .find((l: string) => /^\s*(error|uncaught)\b/i.test(l));
          if (line) errors.push(`cell ${i + 1}: ${line}`);
        }
      }
    });
    const node = panel.content.node;
    return {
      errors,
      modelSvg,
      modelPng,
      domSvg: node.querySelectorAll(".jp-OutputArea-output svg").length,
      domImg: node.querySelectorAll(".jp-OutputArea-output img").length,
      text: texts.join("\n"),
      allRan,
    };
  });
}

/** Records each distinct text of the outputs of the cell whose source includes `marker`. */
async function watchOutputs(lab: Lab, marker: string): Promise<void> {
  await lab.page.evaluate((marker) => {
    const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
    const cell = panel.content.widgets.find((c: Any) =>
      c.model.sharedModel.getSource().includes(marker)
    );
    const snapshots: string[] = [];
    (globalThis as Any).snapshots = snapshots;
    const node = cell.outputArea.node;
    new (globalThis as Any).MutationObserver(() => {
      const now = node.textContent ?? "";
      if (now !== snapshots.at(-1)) snapshots.push(now);
    }).observe(node, { subtree: true, childList: true, characterData: true, attributes: true });
  }, marker);
}

/** Replaces the source of the current notebook's `parameters` cell by typing into its editor. */
async function editParameters(lab: Lab, source: string): Promise<void> {
  const index = await lab.page.evaluate(() => {
    const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
    return panel.content.widgets.findIndex((c: Any) =>
      (c.model.getMetadata("tags") ?? []).includes("parameters")
    );
  });
  assert(index >= 0, "no parameters cell");
  const editor = lab.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content");
  await editor.click();
  await lab.page.keyboard.press("Control+A");
  await lab.page.keyboard.insertText(source);
  const now = await lab.page.evaluate(
    (i) =>
      (globalThis as Any).jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel
        .getSource(),
    index,
  );
  assertEquals(now, source);
}

/** The source of a parameters cell setting `params`. */
function parametersCell(params: Record<string, unknown>): string {
  return 'import type { NotebookParams } from "../lib/mod.ts";\n' +
    `const params: NotebookParams = ${JSON.stringify(params)};`;
}

/** Closes the current notebook without saving and shuts its kernel down. */
async function closeNotebook(lab: Lab): Promise<void> {
  await lab.page.evaluate(async () => {
    const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
    await panel.sessionContext.shutdown();
    panel.dispose();
  });
}

/** The text/plain of evaluating `code` in the current notebook's kernel, as a cell would. */
async function evaluateInKernel(lab: Lab, code: string): Promise<string> {
  return await lab.page.evaluate(async (code) => {
    const kernel = (globalThis as Any).jupyterapp.shell.currentWidget.sessionContext.session
      .kernel;
    const future = kernel.requestExecute({ code });
    let result = "";
    future.onIOPub = (msg: Any) => {
      const plain = msg.content?.data?.["text/plain"];
      if (plain) result += plain;
    };
    await future.done;
    return result;
  }, code);
}

async function fileHashes(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    const bytes = e.isFile ? await Deno.readFile(join(dir, e.name)) : new Uint8Array();
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    hashes[e.name] = Array.from(new Uint8Array(digest), (b) => b.toString(16)).join("");
  }
  return hashes;
}

async function checkpointEpoch(runDir: string): Promise<number> {
  try {
    const file = JSON.parse(await Deno.readTextFile(join(runDir, "checkpoint", "checkpoint.json")));
    return file.state.epoch;
  } catch {
    return 0;
  }
}

/**
 * Notebook 3 (open) trains `target`; after its second checkpoint the kernel is interrupted
 * through the REST API, as JupyterLab's stop button does. The kernel survives, the cell
 * fails with one line, and Run All again continues the same run from its checkpoint.
 */
async function interruptTraining(lab: Lab, params: Record<string, unknown>) {
  const target = notebookSettings(params);
  const { epochs } = target.config;
  await editParameters(lab, parametersCell(params));
  const runDir = join(target.out, "runs", target.name);
  const id: string = await lab.page.evaluate(() => {
    const panel = (globalThis as Any).jupyterapp.shell.currentWidget;
    void (globalThis as Any).jupyterapp.commands.execute("notebook:run-all-cells");
    return panel.sessionContext.session.kernel.id;
  });
  for (let i = 0; await checkpointEpoch(runDir) < 2; i++) {
    assert(i < 3000, "no second checkpoint within 5 minutes");
    await new Promise((r) => setTimeout(r, 100));
  }
  await lab.api(`/api/kernels/${id}/interrupt`, "POST");
  await waitIdle(lab);
  const at = await checkpointEpoch(runDir);
  assert(at >= 2 && at < epochs, `stopped at epoch ${at} of ${epochs}`);
  // The same kernel, its state intact: `settings` from the notebook's second cell. Under load
  // the first request can come back empty while the kernel still aborts the queued cells; a
  // dead kernel stays empty, and a restarted one answers "undefined".
  let state = "";
  for (let i = 0; i < 10 && state === ""; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1000));
    state = await evaluateInKernel(lab, "typeof settings");
  }
  assertEquals(state, '"object"');
  const stopped = await shown(lab);
  assertEquals(stopped.errors.length, 1, stopped.errors.join("\n"));
  assert(stopped.errors[0].includes(`run "${target.name}" was interrupted`), stopped.errors[0]);
  // Run All again: the run resumes from its checkpoint, not from epoch 1.
  await watchOutputs(lab, "lib.notebookProgress()");
  await runAll(lab);
  const resumed = await shown(lab);
  assertEquals(resumed.errors, []);
  assert(resumed.text.includes(`run "${target.name}" is incomplete; resuming it`), resumed.text);
  const snapshots: string[] = await lab.page.evaluate(() => (globalThis as Any).snapshots);
  assert(
    snapshots.some((x) => x.includes(`resuming after epoch ${at}`)),
    JSON.stringify(snapshots.slice(0, 3)),
  );
  const history = JSON.parse(await Deno.readTextFile(join(runDir, "history.json")));
  assertEquals(history.length, epochs);
}

Deno.test({
  name:
    "JupyterLab runs notebooks 01-04 and 07; 3 re-runs at another noise and survives an interrupt",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const out = await Deno.makeTempDir();
    // The tiny profile, typed into each notebook's parameters cell.
    const tiny = { out, train: 256, test: 64, epochs: 2 };
    const before = await fileHashes(NOTEBOOKS_DIR);
    const lab = await startLab({ root: NOTEBOOKS_DIR });
    const settings = (params: Record<string, unknown>) => notebookSettings({ ...tiny, ...params });
    try {
      for (
        const file of [
          "01_data_and_noise.ipynb",
          "02_autoencoder.ipynb",
          "03_training.ipynb",
          "04_results.ipynb",
          "07_latent_space.ipynb",
        ]
      ) {
        await t.step(file, async () => {
          await open(lab, file);
          await editParameters(lab, parametersCell(tiny));
          if (file.startsWith("03")) await watchOutputs(lab, "lib.notebookProgress()");
          await runAll(lab);
          const s = await shown(lab);
          assertEquals(s.errors, [], file);
          assert(s.allRan, `${file}: not every cell ran`);
          assert(s.domSvg >= s.modelSvg && s.domImg >= s.modelPng, JSON.stringify(s));
          if (!file.startsWith("02")) assert(s.modelSvg + s.modelPng > 0, `${file}: no figure`);
          if (file.startsWith("04")) {
            // The image grids are HTML tables of <img> (lib/figures/image_grid.ts).
            assert(s.domImg > 0, "notebook 4 shows no image grid");
            await lab.page.locator(".jp-OutputArea-output img").first().scrollIntoViewIfNeeded();
            const shots = join(REPO, "outputs", "jupyterlab");
            await Deno.mkdir(shots, { recursive: true });
            await lab.page.screenshot({ path: join(shots, "04_results.png") });
          }
          if (file.startsWith("03")) {
            const snapshots: string[] = await lab.page.evaluate(() =>
              (globalThis as Any).snapshots
            );
            const live = snapshots.filter((x) => /epoch|batch/.test(x));
            assert(new Set(live).size >= 2, `live display: ${JSON.stringify(snapshots)}`);
            assert(s.text.includes(settings({}).name), "notebook 3 trained another run");
            await editParameters(lab, parametersCell({ ...tiny, noise: 0.3 }));
            await runAll(lab);
            const again = await shown(lab);
            assertEquals(again.errors, []);
            const name = settings({ noise: 0.3 }).name;
            assert(name.includes("gaussian0.3"), name);
            assert(again.text.includes(name), "the re-run did not show the f = 0.3 run");
            await interruptTraining(lab, { ...tiny, noise: 0.7, epochs: 12 });
          }
          await closeNotebook(lab);
        });
      }
    } finally {
      await lab.close();
    }
    assertEquals(await fileHashes(NOTEBOOKS_DIR), before, "JupyterLab wrote into notebooks/");
    await Deno.remove(out, { recursive: true });
  },
});
