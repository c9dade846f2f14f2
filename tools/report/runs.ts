/**
 * The runs of a report, from what the notebooks wrote: notebooks 3–4's main run and the runs
 * of notebook 5's noise sweep.
 *
 * @module
 */
import { join } from "node:path";
import { InputError } from "../../lib/errors.ts";
import { readModelFiles } from "../../lib/model/model_io.ts";
import { noiseFactorSweep } from "../../lib/mod.ts";
import type { NotebookSettings } from "../../lib/notebook.ts";
import { readRun, runDir, runStatus } from "../../lib/runs/run_folder.ts";
import { readSweep } from "../../lib/sweep/files.ts";
import { profiled, type ReportRun } from "./index.ts";

/**
 * The main run of `settings`, its model checked against its digests; `undefined` when not
 * trained. Throws {@linkcode InputError} naming a damaged run.
 */
export async function mainRun(settings: NotebookSettings): Promise<ReportRun | undefined> {
  if (await runStatus(runDir(settings.name, settings.out)) === "missing") return undefined;
  const run = await readRun(settings.name, settings.out);
  try {
    await readModelFiles(join(run.dir, "model"));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      `run "${run.name}" cannot give the headline numbers: ${e.message}; ` +
        `delete its folder to train it again`,
    );
  }
  return { ...run, ...profiled(run.config), role: "main" };
}

/** The runs of notebook 5's sweep but run `except`; a damaged one throws {@linkcode InputError}. */
export async function sweepRuns(settings: NotebookSettings, except?: string): Promise<ReportRun[]> {
  const sweep = await readSweep(noiseFactorSweep(settings).name, settings.out);
  const names = new Set(sweep?.rows.map((r) => r.run).filter((n) => n && n !== except));
  const runs: ReportRun[] = [];
  for (const name of names) {
    const run = await readRun(name, settings.out);
    runs.push({ ...run, ...profiled(run.config, true), role: "noise sweep" });
  }
  return runs.sort((a, b) => a.config.noise - b.config.noise || a.config.seed - b.config.seed);
}
