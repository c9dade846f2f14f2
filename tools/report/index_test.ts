import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../lib/_testing_assert.ts";
import { InputError } from "../../lib/errors.ts";
import { notebookSettings } from "../../lib/notebook.ts";
import { DEFAULT_CONFIG } from "../../lib/runs/config.ts";
import type { Run, RunMetrics } from "../../lib/runs/run_folder.ts";
import { fakeRun } from "./_testing.ts";
import { landingPage, parseClaims, profiled, reportRuns } from "./index.ts";

const CLAIMS = `Profile: sweep s, 2,700 training images.

| claim | comparison | seeds | verdict | why |
| --- | --- | --- | --- | --- |
| 1b. Autoencoders beat other methods | autoencoder vs DnCNN | 3 | contradicted | DnCNN \\| wins. |
| 2. Noisy training makes it work | noisy vs clean | 3 | supported | Yes. |
`;

function run(noise: number, train: number, epochs: number): Run {
  const config = { ...DEFAULT_CONFIG, noise, train, epochs };
  const metrics = {
    test_mse: 0.0201,
    noisy_mse: 0.1157,
    test_psnr: 17.5,
    noisy_psnr: 9.4,
    test_ssim: 0.7,
    noisy_ssim: 0.3,
    epochs,
    train_seconds: 10,
    train_images_per_second: 1234.4,
    backend: "wasm",
  } as RunMetrics;
  return { name: `run-${noise}`, dir: "/x", config, history: [], metrics };
}

Deno.test("parseClaims() reads claim, comparison and verdict of each row by its header", () => {
  assertEquals(parseClaims(CLAIMS), [
    {
      claim: "1b. Autoencoders beat other methods",
      comparison: "autoencoder vs DnCNN",
      verdict: "contradicted",
    },
    {
      claim: "2. Noisy training makes it work",
      comparison: "noisy vs clean",
      verdict: "supported",
    },
  ]);
});

Deno.test("landingPage(): the headline with its profile, each verdict with its profile, the runs", () => {
  const main = run(0.5, 12000, 10);
  const sweep = run(0.3, 3000, 5);
  const html = landingPage({
    name: "default",
    settings: "noise 0.5",
    notebooks: [{ file: "04_results.ipynb", title: "4. Results", thumbnail: "", seconds: 3 }],
    runs: [
      { ...main, ...profiled(main.config), role: "main" },
      { ...sweep, ...profiled(sweep.config, true), role: "noise sweep" },
    ],
    verdicts: { verdicts: parseClaims(CLAIMS), ...profiled(sweep.config, true) },
    demo: true,
    pdfs: true,
  });
  assert(html.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
  assert(html.includes("test MSE here (lower is better)"));
  assert(html.includes("From the <b>report profile</b>: 12,000 training images, 10 epochs"));
  assert(
    html.includes('<span class="verdict contradicted">contradicted</span> 1b. Autoencoders beat'),
  );
  assert(html.includes("(autoencoder vs DnCNN)"));
  assert(html.includes('<span class="verdict supported">supported</span> 2. Noisy training'));
  assert(html.includes("sweep, on the <b>sweep profile</b>: 3,000 training images, 5 epochs per"));
  assert(
    html.includes("<td>run-0.3</td><td>sweep profile</td><td>0.3</td><td>5</td><td>3,000</td>"),
  );
  for (const href of ["04_results.pdf", "report.pdf", "demo.html", "code-free/04_results.html"]) {
    assert(html.includes(`href="${href}"`), href);
  }
  // Without verdicts or PDFs, the page says nothing of them.
  const bare = landingPage({
    name: "x",
    settings: "",
    notebooks: [],
    runs: [{ ...sweep, ...profiled(sweep.config, true), role: "noise sweep" }],
    demo: false,
    pdfs: false,
  });
  assert(!bare.includes("claims, tested") && !bare.includes(".pdf"), bare);
  // The headline comes from the main run alone, never from another run of the report.
  assert(bare.includes("No trained run for the headline") && !bare.includes("lower is better"));
});

Deno.test("reportRuns() gives the headline run only when its model passes the integrity check", async (t) => {
  const out = await Deno.makeTempDir();
  const settings = { ...notebookSettings({}), out };
  assertEquals(await reportRuns(settings), [], "no run and no sweep, no runs");
  const dir = await fakeRun(out, settings.name, settings.config);
  const [run] = await reportRuns(settings);
  assertEquals([run?.name, run?.role, run?.metrics.test_mse], [settings.name, "main", 1]);
  const cases: [string, string, string][] = [
    ["a changed model.json", "model.json", "model.json: SHA-256 mismatch"],
    ["changed weights", "weights.bin", "model weights in"],
    ["no digest", "sha256.json", "has no valid digest"],
  ];
  for (const [what, file, message] of cases) {
    await t.step(what, async () => {
      const path = join(dir, "model", file);
      const before = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, file === "sha256.json" ? "{}" : `${before} `);
      const e = await assertRejects(() => reportRuns(settings), InputError, message);
      assertEquals(e.message.startsWith(`run "${settings.name}" cannot give the headline`), true);
      await Deno.writeTextFile(path, before);
    });
  }
  await Deno.remove(out, { recursive: true });
});
