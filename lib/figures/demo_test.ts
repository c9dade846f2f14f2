/**
 * The live demo as an audience uses it, in headless Chromium from file://: the slider, a stroke
 * drawn with pointer events, the model menu, and broken or missing models.
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { assert, assertEquals } from "../_testing_assert.ts";
import { type Browser, launchChromium } from "../_chromium.ts";
import { loadDataset } from "../data/datasets.ts";
import { type DemoModel, writeDemo } from "./demo.ts";
import { buildAutoencoder } from "../model/autoencoder.ts";
import { loadModel, saveModel } from "../model/model_io.ts";

interface PageState {
  noise: number;
  clean: number[];
  eps: number[];
  noisy: number[];
  output: number[];
  canvas: number[];
  status: string;
  statusClass: string;
  metrics: string;
}

const READ_STATE = `(async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const d = window.demo;
  const out = document.getElementById("output");
  const px = out.getContext("2d").getImageData(0, 0, 28, 28).data;
  return {
    noise: d.noise,
    clean: Array.from(d.clean),
    eps: Array.from(d.eps),
    noisy: Array.from(d.noisy),
    output: d.output ? Array.from(d.output) : [],
    canvas: Array.from(px).filter((_, i) => i % 4 === 0),
    status: document.getElementById("status").textContent,
    statusClass: document.getElementById("status").className,
    metrics: document.getElementById("metrics").textContent,
  };
})()`;

async function readyPage(browser: Browser, url: string): Promise<void> {
  await browser.goto(url);
  await browser.evaluate(`new Promise((resolve) => {
    const poll = () => (window.demo && window.demo.ready) ? resolve(true) : setTimeout(poll, 20);
    poll();
  })`);
}

/** Drags the mouse across the drawing pad: pointerdown, moves, pointerup. */
async function stroke(browser: Browser, points: [number, number][]): Promise<void> {
  const r = await browser.evaluate<{ x: number; y: number }>(
    `(() => { const r = document.getElementById("pad").getBoundingClientRect(); return { x: r.left, y: r.top }; })()`,
  );
  const at = ([x, y]: [number, number]) => ({ x: r.x + x, y: r.y + y });
  const send = (type: string, p: [number, number]) =>
    browser.send("Input.dispatchMouseEvent", {
      type,
      ...at(p),
      button: "left",
      buttons: type === "mouseReleased" ? 0 : 1,
      clickCount: 1,
    });
  await send("mousePressed", points[0]);
  for (const p of points.slice(1)) await send("mouseMoved", p);
  await send("mouseReleased", points.at(-1)!);
}

async function denoPredict(dir: string, noisy: number[]): Promise<Float32Array> {
  const model = await loadModel(dir);
  const x = tf.tensor4d(noisy, [1, 28, 28, 1]);
  const y = model.predict(x) as tf.Tensor;
  const out = await y.data() as Float32Array;
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

Deno.test({
  name: "the demo page denoises drawn strokes and test digits like Deno does, from file://",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await tf.setBackend("cpu");
    const root = await Deno.makeTempDir();
    const models: DemoModel[] = [];
    for (const [i, noise] of [0.5, 0.3, 0.7].entries()) {
      const { autoencoder, decoder } = buildAutoencoder({ seed: 20 + i });
      // Untrained outputs all sit near 0.5; a bias per model makes them tell apart.
      const last = decoder.layers.at(-1)!;
      const [kernel, bias] = last.getWeights();
      const shifted = tf.fill(bias.shape, i - 1);
      last.setWeights([kernel, shifted]);
      shifted.dispose();
      const modelDir = join(root, "runs", `r${i}`, "model");
      await saveModel(autoencoder, modelDir);
      autoencoder.dispose();
      models.push({ name: `r${i}`, noise, epochs: i + 1, modelDir });
    }
    // Run r2's weights are damaged on disk.
    const bytes = await Deno.readFile(join(models[2].modelDir, "weights.bin"));
    bytes[10] ^= 0xff;
    await Deno.writeFile(join(models[2].modelDir, "weights.bin"), bytes);
    const { test } = await loadDataset("mnist", { train: 10, test: 30, seed: 0 });
    const dir = join(root, "report");
    const broken = await writeDemo(dir, models, test);
    assertEquals(broken.length, 1);
    assert(broken[0].startsWith("run r2: ") && broken[0].includes("corrupt"));

    const browser = await launchChromium({ size: [1100, 900] });
    try {
      await readyPage(browser, `file://${join(dir, "demo.html")}`);

      await t.step("it starts on the first model and a test digit, with metrics", async () => {
        const s = await browser.evaluate<PageState>(READ_STATE);
        assert(s.status.includes("run r0"), s.status);
        assertEquals(s.noise, 0.5);
        assertEquals(maxDiff(s.clean, test.data.subarray(0, 784)), 0);
        assert(/PSNR/.test(s.metrics), s.metrics);
        assert(maxDiff(s.output, await denoPredict(models[0].modelDir, s.noisy)) <= 1e-3);
      });

      await t.step("slider and a drawn stroke: the output matches Deno's to 1e-3", async () => {
        await browser.evaluate(`(() => {
          document.getElementById("clear").click();
          const s = document.getElementById("noise");
          s.value = "0.3";
          s.dispatchEvent(new Event("input"));
        })()`);
        await stroke(browser, [[80, 60], [120, 100], [160, 160], [150, 220], [100, 230]]);
        const s = await browser.evaluate<PageState>(READ_STATE);
        assertEquals(s.noise, 0.3);
        const inked = s.clean.filter((v) => v > 0.5).length;
        assert(inked > 20 && inked < 400, `${inked} inked pixels`);
        const expectedNoisy = s.clean.map((c, i) => Math.min(1, Math.max(0, c + 0.3 * s.eps[i])));
        assert(maxDiff(s.noisy, expectedNoisy) <= 1e-6, "noisy = clip(x + f·ε, 0, 1)");
        const deno = await denoPredict(models[0].modelDir, s.noisy);
        const worst = maxDiff(s.output, deno);
        assert(worst <= 1e-3, `largest difference ${worst}`);
        // The canvas shows the same output, to the 8-bit level.
        assert(maxDiff(s.canvas, Array.from(deno, (v) => Math.round(v * 255))) <= 1);
        const dirOut = Deno.env.get("SCREENSHOT_DIR");
        if (dirOut) await Deno.writeFile(join(dirOut, "demo.png"), await browser.screenshot());
      });

      await t.step(
        "the menu names models in words; the caption follows Clear and a stroke",
        async () => {
          const labels = await browser.evaluate<string[]>(
            `[...document.querySelectorAll("#model option")].map((o) => o.textContent)`,
          );
          models.forEach((m, i) => {
            assert(labels[i].startsWith(`trained at f = ${m.noise}, ${m.epochs} epoch`), labels[i]);
            assert(labels[i].length <= 40 && !labels[i].includes(m.name), labels[i]);
          });
          const text = (id: string) =>
            browser.evaluate<string>(`document.getElementById("${id}").textContent`);
          await browser.evaluate(`document.getElementById("clear").click()`);
          assert((await text("picked")).startsWith("Cleared"), await text("picked"));
          assert((await text("pad-caption")).startsWith("empty"), await text("pad-caption"));
          assertEquals(await text("metrics"), "");
          await stroke(browser, [[80, 60], [120, 100], [160, 160]]);
          assertEquals(await text("picked"), "Your drawing.");
          assert(/PSNR/.test(await text("metrics")), await text("metrics"));
        },
      );

      await t.step("another model from the menu answers with its own output", async () => {
        await browser.evaluate(`(async () => {
          const s = document.getElementById("model");
          s.value = "1";
          s.dispatchEvent(new Event("change"));
          await new Promise((r) => setTimeout(r, 300));
        })()`);
        const s = await browser.evaluate<PageState>(READ_STATE);
        assert(s.status.includes("run r1"), s.status);
        assert(maxDiff(s.output, await denoPredict(models[1].modelDir, s.noisy)) <= 1e-3);
        assert(maxDiff(s.output, await denoPredict(models[0].modelDir, s.noisy)) > 0.1);
        assertEquals(browser.errors, []);
      });

      await t.step("a corrupt model makes the page say so, naming the run", async () => {
        await browser.evaluate(`(async () => {
          const s = document.getElementById("model");
          s.value = "2";
          s.dispatchEvent(new Event("change"));
          await new Promise((r) => setTimeout(r, 200));
        })()`);
        const s = await browser.evaluate<PageState>(READ_STATE);
        assertEquals(s.statusClass, "error");
        assert(s.status.includes("run r2") && s.status.includes("corrupt"), s.status);
      });

      await t.step("a model file missing from the folder makes the page say so", async () => {
        await Deno.remove(join(dir, "demo", "models", "r0.js"));
        await readyPage(browser, `file://${join(dir, "demo.html")}`);
        const s = await browser.evaluate<PageState>(READ_STATE);
        assertEquals(s.statusClass, "error");
        assert(s.status.includes("run r0") && s.status.includes("missing"), s.status);
      });
    } finally {
      await browser.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
