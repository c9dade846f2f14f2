import { assert, assertEquals } from "./_assert.ts";
import { DEFAULT_CONFIG } from "./runs/config.ts";
import { notebookSettings } from "./notebook.ts";
import { noiseFactorSweep, notebookSweep } from "./notebook_sweep.ts";
import { profileName, setupLine, sweepSetupLine } from "./notebook_setup.ts";

Deno.test("profileName() names the report profile, the full protocol and the sweep profile", () => {
  const report = notebookSettings({});
  assertEquals(profileName(report.config), "report profile");
  assertEquals(profileName(report.sweep, true), "sweep profile");
  assertEquals(
    profileName(notebookSettings({ train: 60000, epochs: 30 }).config),
    "full protocol",
  );
  assertEquals(profileName(DEFAULT_CONFIG), "full protocol");
  // The report profile on a smaller dataset is still the report profile (its training size is capped).
  assertEquals(profileName(notebookSettings({ dataset: "mnist10k" }).config), "report profile");
  const tiny = notebookSettings({ train: 256, epochs: 1, sweepEpochs: 1 });
  assertEquals([profileName(tiny.config), profileName(tiny.sweep, true)], [
    "custom setup",
    "custom setup",
  ]);
});

Deno.test("setupLine() and sweepSetupLine() say the setup in words, with no path or flag", () => {
  const s = notebookSettings({ noise: 0.3, seed: 2, out: "/tmp/somewhere" });
  const line = setupLine(s);
  assertEquals(
    line,
    `**Setup** (report profile): 12,000 training images, 10 epochs, Gaussian noise at f = 0.3, ` +
      `10,000 test images, seed 2, data seed ${s.config.dataSeed}.`,
  );
  const sweep = sweepSetupLine(notebookSweep(s));
  // Notebook 6's default sweep: the primary comparisons' factor only.
  assert(sweep.startsWith("**Noise sweep** (sweep profile): noise factors 0.5;"), sweep);
  assert(sweep.endsWith("seeds 2, 3, 4 for the claims' arms."), sweep);
  assert(sweepSetupLine(noiseFactorSweep(s)).endsWith("seed 2."));
  for (const l of [line, sweep]) assert(!/\/tmp|SWEEP_|--|`/.test(l), l);
});
