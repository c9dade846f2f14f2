import { assertEquals } from "../_testing_assert.ts";
import { sweepChart } from "./sweep_chart.ts";
import { testRow } from "../sweep/_testing.ts";
import type { ChartElement } from "./svg.ts";

function legend(chart: ChartElement): (string | null)[] {
  return Array.from(chart.querySelectorAll(".chart-swatch")).map((e) => e.textContent);
}

Deno.test("sweepChart() draws one line per method plus the cross-noise model", () => {
  const rows = [0.1, 0.5].flatMap((f) => [
    testRow({ method: "noisy", train_noise_factor: null, noise_factor: f }),
    testRow({ train_noise_factor: f, noise_factor: f }),
    testRow({ train_noise_factor: 0.5, noise_factor: f, psnr: 30 }),
    testRow({ train_noise_factor: 0.5, noise_factor: f, psnr: 34, seed: 2 }),
  ]);
  const chart = sweepChart(rows, { metric: "psnr", title: "PSNR" });
  assertEquals(legend(chart), ["noisy input", "autoencoder", "autoencoder trained at 0.5"]);
  const paths = chart.querySelectorAll('g[aria-label="line"] path');
  assertEquals(paths.length, 3);
  // One dot per series and factor: the mean over seeds.
  assertEquals(chart.querySelectorAll('g[aria-label="dot"] circle').length, 6);
  // deno-lint-ignore no-explicit-any
  const y = (chart as any).scale("y");
  assertEquals(y.type, "linear");
  assertEquals(Math.max(...y.domain), 32);
  // deno-lint-ignore no-explicit-any
  assertEquals((sweepChart(rows, { metric: "mse" }) as any).scale("y").type, "log");
});
