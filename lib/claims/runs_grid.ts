/**
 * Claim 5's image grid (notebook 6): original, noisy, then each latent size's reconstruction.
 *
 * @module
 */
import { predictWithRun, readRun } from "../runs/run_folder.ts";
import { prepareData } from "../runs/experiment_data.ts";
import { type Images, pickSamples, take } from "../data/images.ts";

/**
 * Original, noisy and each run's (read from `out`) reconstruction of up to 10 seeded test
 * images of the `focus` labels; the first run's config fixes the data.
 */
export async function runsGrid(
  runs: readonly { run: string; label: string }[],
  focus: readonly number[],
  names: readonly string[],
  out: string,
): Promise<{ rows: Images[]; rowLabels: string[]; colLabels: string[] }> {
  const read = await Promise.all(runs.map((r) => readRun(r.run, out)));
  const { dataset, noisyTest } = await prepareData(read[0].config);
  const labels = dataset.test.labels;
  const members = [...labels.keys()].filter((i) => focus.includes(labels[i]));
  const picks = pickSamples(members.length, Math.min(10, members.length), read[0].config.seed)
    .map((i) => members[i]);
  const noisy = take(noisyTest, picks);
  const outputs: Images[] = [];
  for (const run of read) outputs.push(await predictWithRun(run, noisy));
  return {
    rows: [take(dataset.test, picks), noisy, ...outputs],
    rowLabels: ["original", `noisy (f = ${read[0].config.noise})`, ...runs.map((r) => r.label)],
    colLabels: picks.map((i) => names[labels[i]] ?? String(labels[i])),
  };
}
