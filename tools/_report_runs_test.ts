import { assertEquals } from "../lib/_assert.ts";
import { defaultRunName } from "../lib/runs/config.ts";
import { noiseFactorSweep, notebookSettings } from "../lib/notebook.ts";
import { sweepSettings } from "../lib/sweep/plan.ts";
import { planCells } from "../lib/sweep/cells.ts";
import { reportRuns } from "./_report_runs.ts";

Deno.test("reportRuns() names exactly the runs notebooks 3–5 train, even with a non-default latent size", () => {
  for (const params of [{}, { latent: 8, dropout: 0, noise: 0.2 }]) {
    const settings = notebookSettings(params);
    const plan = noiseFactorSweep(settings);
    const cells = planCells(sweepSettings(plan.config, plan), {
      noise: plan.noise,
      methods: plan.methods!,
      ablations: plan.ablations!,
      cross: true,
      backend: plan.config.backend,
    });
    const trained = new Set([
      settings.name,
      ...cells.filter((c) => c.config).map((c) => defaultRunName(c.config!)),
    ]);
    const counted = reportRuns(settings.config, settings.sweep).map((r) => r.name);
    assertEquals(new Set(counted), trained);
  }
});
