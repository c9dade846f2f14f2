import { assert, assertEquals } from "../_testing_assert.ts";
import { runSweep, type SweepOptions } from "./sweep.ts";
import { threadsPerJob } from "./jobs.ts";
import type { SweepRow } from "./plan.ts";

/** Columns that time the work: they differ between any two runs. */
const TIMING = ["train_seconds", "denoise_seconds", "seconds_per_image"];

/**
 * Two learned models (one shared by two cells) and a classical filter, on tiny data; on 2
 * kernel threads, which 2 jobs split into 1 each (the kernels give the same bits).
 */
const TINY_SWEEP: SweepOptions = {
  noise: [0.3, 0.5],
  methods: ["ae", "median"],
  config: { train: 64, test: 16, epochs: 1, seed: 1, dataset: "mnist10k" },
  seeds: [1],
  ablations: false,
  control: false,
  tune: 16,
  threads: 2,
};

function comparable(row: SweepRow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !TIMING.includes(k)));
}

Deno.test("a sweep in 2 job processes gives the rows of a sequential one, and names each job", async () => {
  const [a, b] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const lines: string[] = [];
  const parallel = await runSweep({ ...TINY_SWEEP, out: a, jobs: 2, log: (l) => lines.push(l) });
  const sequential = await runSweep({ ...TINY_SWEEP, out: b, jobs: 1, log: () => {} });
  assertEquals([parallel.status, sequential.status], ["complete", "complete"]);
  assertEquals(parallel.computed, sequential.computed);
  assertEquals(parallel.rows.length, sequential.rows.length);
  assert(parallel.rows.some((r) => r.method === "ae" && r.train_noise_factor !== r.noise_factor));
  for (const [i, p] of parallel.rows.entries()) {
    const [x, y] = [comparable(p), comparable(sequential.rows[i])];
    for (const key of Object.keys(y)) {
      const [u, v] = [x[key], y[key]];
      if (typeof v === "number" && typeof u === "number") {
        assert(Math.abs(u - v) <= 1e-6, `row ${i} ${key}: ${u} vs ${v}`);
      } else if (key !== "class_mse") assertEquals(u, v, `row ${i} ${key}`);
    }
    const [cu, cv] = [p.class_mse, sequential.rows[i].class_mse];
    assert(
      cu.every((c, k) => Math.abs((c ?? NaN) - (cv[k] ?? NaN)) <= 1e-6 || c === cv[k]),
      `row ${i}`,
    );
  }
  // Both jobs worked, and the progress names every trained run.
  for (const job of ["[job 1/2]", "[job 2/2]"]) {
    assert(lines.some((l) => l.startsWith(job)), `no line from ${job}:\n${lines.join("\n")}`);
  }
  for (const run of new Set(parallel.rows.map((r) => r.run).filter((r) => r))) {
    assert(lines.some((l) => l.includes(run)), `run ${run} never named:\n${lines.join("\n")}`);
  }
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});

Deno.test("threadsPerJob() shares the threads, at least 1 each", () => {
  assertEquals([threadsPerJob(2, 2), threadsPerJob(8, 2), threadsPerJob(2, 1)], [1, 4, 2]);
});
