import { assert, assertEquals, assertNotEquals, assertRejects } from "../_testing_assert.ts";
import { InputError } from "../errors.ts";
import { encodeIdx } from "../data/_testing.ts";
import { sweepSettings } from "./plan.ts";
import { defaultSweepName, sweepPlan } from "./identity.ts";
import { ensureSweep, runSweep } from "./sweep.ts";

/** Writes a tiny IDX dataset (12×12 images, pixels from `seed`) into `dir`. */
async function writeIdxFolder(dir: string, seed: number): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [prefix, n] of [["train", 24], ["t10k", 8]] as const) {
    const pixels = Uint8Array.from({ length: n * 144 }, (_, i) => (i * 37 + seed * 101) % 256);
    await Deno.writeFile(`${dir}/${prefix}-images-idx3-ubyte`, encodeIdx([n, 12, 12], pixels));
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    await Deno.writeFile(`${dir}/${prefix}-labels-idx1-ubyte`, encodeIdx([n], labels));
  }
  return dir;
}

const quiet = () => {};

Deno.test("sweepPlan() keeps the methods in SWEEP_METHODS order", () => {
  const plan = sweepPlan({ methods: ["ae", "median"], noise: [0.5, 0.1] });
  assertEquals([plan.methods, plan.noise], [["median", "ae"], [0.1, 0.5]]);
});

Deno.test("defaultSweepName() differs for other methods, factors, plan flags and seeds", () => {
  const s = sweepSettings();
  const base = defaultSweepName(s, sweepPlan());
  assert(/^mnist-gaussian-e10-n60000-t10000-b32-s0-h[0-9a-f]{8}$/.test(base), base);
  const others = [
    sweepPlan({ methods: ["median"] }),
    sweepPlan({ noise: [0.5] }),
    sweepPlan({ ablations: false }),
    sweepPlan({ cross: false }),
    sweepPlan({ control: false }),
    sweepPlan({ seeds: [0, 1] }),
  ].map((p) => defaultSweepName(s, p));
  assertEquals(new Set([base, ...others]).size, others.length + 1, others.join("\n"));
  // The same plan written another way (order, duplicates) is the same sweep.
  assertEquals(
    defaultSweepName(
      s,
      sweepPlan({ methods: ["median", "gaussian", "median"], noise: [0.5, 0.1] }),
    ),
    defaultSweepName(s, sweepPlan({ methods: ["gaussian", "median"], noise: [0.1, 0.5] })),
  );
});

Deno.test("a sweep's folder dataset is its files: other files get another name, changed files are refused", async () => {
  const root = await Deno.makeTempDir();
  const a = await writeIdxFolder(`${root}/a/data`, 1);
  const b = await writeIdxFolder(`${root}/b/data`, 2);
  const plan = sweepPlan({ methods: ["median"], noise: [0.5] });
  const nameOf = (dataset: string) => defaultSweepName(sweepSettings({ dataset }), plan);
  assertNotEquals(nameOf(a), nameOf(b));
  assert(!nameOf(a).includes("custom"), nameOf(a));

  const out = `${root}/out`;
  const options = {
    methods: ["median"] as const,
    noise: [0.5],
    config: { dataset: a, train: 16, test: 8, epochs: 1 },
    tune: 8,
    out,
    name: "folder",
    log: quiet,
  };
  assertEquals((await runSweep(options)).status, "complete");
  // Folder B under the same name: refused, naming the dataset files' digests.
  await assertRejects(
    () => ensureSweep({ ...options, config: { ...options.config, dataset: b } }),
    InputError,
    "dataset files (SHA-256)",
  );
  // Folder A's files changed in place: never "complete: nothing to do".
  await writeIdxFolder(a, 3);
  await assertRejects(() => runSweep(options), InputError, "dataset files (SHA-256)");
  await assertRejects(() => ensureSweep(options), InputError, "dataset files (SHA-256)");
});

Deno.test("a sweep folder whose sweep.json is gone is never completed over its old rows", async () => {
  const out = await Deno.makeTempDir();
  const options = {
    methods: ["median"] as const,
    noise: [0.5],
    config: { dataset: "mnist10k", train: 16, test: 8, epochs: 1 },
    tune: 8,
    out,
    name: "lost",
    log: quiet,
  };
  await runSweep(options);
  await Deno.remove(`${out}/sweeps/lost/sweep.json`);
  await Deno.remove(`${out}/sweeps/lost/complete`);
  const other = { ...options, config: { ...options.config, seed: 7 } };
  await assertRejects(() => runSweep(other), InputError, "but no sweep.json");
  assert(!(await Deno.stat(`${out}/sweeps/lost/complete`).then(() => true, () => false)));
});
