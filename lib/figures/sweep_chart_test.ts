import { assert, assertEquals } from "../_assert.ts";
import { sweepChart } from "./sweep_chart.ts";
import { testRow } from "../sweep/_test_rows.ts";

Deno.test("sweepChart() draws one line per method plus the cross-noise model", () => {
  const rows = [0.1, 0.5].flatMap((f) => [
    testRow({ method: "noisy", train_noise_factor: null, noise_factor: f }),
    testRow({ train_noise_factor: f, noise_factor: f }),
    testRow({ train_noise_factor: 0.5, noise_factor: f }),
  ]);
  const chart = sweepChart(rows);
  const svg = chart.outerHTML;
  assert(svg.includes("noisy input") && svg.includes("autoencoder trained at 0.5"), svg);
  assertEquals(chart.getAttribute("width"), "640");
  const all = sweepChart([
    ...rows,
    ...(["median", "gaussian", "nlm", "dncnn"] as const).map((method) => testRow({ method })),
  ]);
  // Seven series: the chart widens so that its one-row legend keeps every name.
  assert(Number(all.getAttribute("width")) > 640, all.getAttribute("width") ?? "");
});
