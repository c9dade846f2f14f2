/**
 * One trained run set against the report (notebook 4).
 *
 * @module
 */
import type { Images } from "../data/images.ts";
import { msePerImage } from "../eval/metrics.ts";
import type { RunMetrics } from "../runs/run_folder.ts";
import { REPORT_TEST_MSE, typicalityVerdict } from "./words.ts";

/** The run's test metrics beside the noisy input's and the report's: rows, and MSE bars. */
export function reportMetrics(
  m: Pick<
    RunMetrics,
    "test_mse" | "noisy_mse" | "test_psnr" | "noisy_psnr" | "test_ssim" | "noisy_ssim"
  >,
) {
  return {
    table: [
      {
        metric: "MSE",
        "noisy input": m.noisy_mse,
        autoencoder: m.test_mse,
        report: REPORT_TEST_MSE,
      },
      { metric: "PSNR (dB)", "noisy input": m.noisy_psnr, autoencoder: m.test_psnr, report: "—" },
      { metric: "SSIM", "noisy input": m.noisy_ssim, autoencoder: m.test_ssim, report: "—" },
    ],
    bars: [
      { label: "noisy input", value: m.noisy_mse },
      { label: "autoencoder (here)", value: m.test_mse },
      { label: "autoencoder (report)", value: REPORT_TEST_MSE },
    ],
  };
}

/** What {@linkcode typicality} found. */
export type Typicality = ReturnType<typeof typicality>;

/**
 * Does `output` pull the tenth farthest from their class average `typical` toward it?
 * `atypical`: the share of that tenth reconstructed closer to its class average; `others`: the
 * same share for the other digits; `pull`: the tenth's mean MSE(clean, average) − MSE(output,
 * average); `tidied`: the (up to 8) atypical digits moved most toward it; `verdict` in words.
 */
export function typicality(clean: Images, output: Images, typical: Images) {
  const before = msePerImage(clean, typical);
  const after = msePerImage(output, typical);
  const byOddness = [...before.keys()].sort((a, b) => before[b] - before[a]);
  const nOdd = Math.max(1, Math.round(clean.count / 10));
  const closer = (idx: number[]) =>
    idx.filter((i) => after[i] < before[i]).length / Math.max(1, idx.length);
  const odd = byOddness.slice(0, nOdd);
  const [atypical, others] = [closer(odd), closer(byOddness.slice(nOdd))];
  const pull = odd.reduce((sum, i) => sum + before[i] - after[i], 0) / odd.length;
  const tidied = [...odd].sort((a, b) => (after[a] - before[a]) - (after[b] - before[b]))
    .slice(0, 8);
  return { atypical, others, pull, tidied, verdict: typicalityVerdict(atypical, others) };
}
