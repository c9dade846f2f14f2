/**
 * The setup a notebook ran with, in words, for its code-free page and slides (which leave
 * out the settings table): images, epochs, noise and seeds, under one name per profile.
 * The names are those of the README and the landing page.
 *
 * @module
 */
import { defaultSizes } from "./data/datasets.ts";
import { DEFAULT_CONFIG, type ExperimentConfig, REPORT_PROFILE } from "./runs/config.ts";
import { cellSeeds } from "./sweep/cells.ts";
import type { NotebookSettings } from "./notebook.ts";
import {
  NOTEBOOK_SWEEP_EPOCHS,
  NOTEBOOK_SWEEP_TRAIN,
  type NotebookSweep,
} from "./notebook_sweep.ts";
import { plural } from "./text.ts";

const count = (n: number) => n.toLocaleString("en-US");
const noiseWord = (type: string) => type === "gaussian" ? "Gaussian" : type;

/**
 * The profile `config` trains on, as every page and the README name it (`sweep`: a noise-sweep
 * model's config): "report profile", `deno task report`'s main run ({@linkcode REPORT_PROFILE});
 * "full protocol", all training digits for {@linkcode DEFAULT_CONFIG}'s epochs; "sweep profile",
 * the notebooks' sweeps; else "custom setup".
 */
export function profileName(config: ExperimentConfig, sweep = false): string {
  const own = defaultSizes(config.dataset).train;
  const is = (p: { train: number; epochs: number }) =>
    config.train === Math.min(p.train, own) && config.epochs === p.epochs;
  const swept = is({ train: NOTEBOOK_SWEEP_TRAIN, epochs: NOTEBOOK_SWEEP_EPOCHS });
  if (sweep) return swept ? "sweep profile" : "custom setup";
  if (is(REPORT_PROFILE)) return "report profile";
  if (is({ train: own, epochs: DEFAULT_CONFIG.epochs })) return "full protocol";
  return "custom setup";
}

/**
 * "**Setup** (report profile): 12,000 training images, 10 epochs, Gaussian noise at f = 0.5,
 * 10,000 test images, seed 0, data seed 0." (Markdown, one line.)
 */
export function setupLine(settings: NotebookSettings): string {
  const c = settings.config;
  return `**Setup** (${profileName(c)}): ${count(c.train)} training images, ` +
    `${plural(c.epochs, "epoch")}, ${noiseWord(c.noiseType)} noise at f = ${c.noise}, ` +
    `${count(c.test)} test images, seed ${c.seed}, data seed ${c.dataSeed}.`;
}

/**
 * "**Noise sweep** (sweep profile): noise factors 0.1, 0.3, …; each model 3,000 training
 * images, 5 epochs; 1,000 test images; seeds 0, 1, 2 for the claims' arms." (Markdown.)
 */
export function sweepSetupLine(sweep: NotebookSweep): string {
  const c = sweep.config;
  return `**Noise sweep** (${profileName(c, true)}): noise factors ${sweep.noise.join(", ")}; ` +
    `each model ${count(c.train)} training images, ${plural(c.epochs, "epoch")}; ` +
    `${count(c.test)} test images; ` +
    (sweep.ablations === false
      ? `seed ${c.seed}.`
      : `seeds ${cellSeeds(c.seed, null, true).join(", ")} for the claims' arms.`);
}
