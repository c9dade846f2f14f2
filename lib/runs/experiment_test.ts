/**
 * The conductor as the notebooks and the sweep call it: seeded data preparation, cached runs
 * reused only when their settings match, and damaged runs skipped in listings but named when
 * needed.
 */
import nodeAssert from "node:assert/strict";
import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { defaultRunName, validateConfig } from "./config.ts";
import { InputError } from "../errors.ts";
import { ensureRun, runExperiment, withKernelInterrupt } from "./experiment.ts";
import { jupyter } from "../train/log.ts";
import { noiseSeeds, prepareData } from "./experiment_data.ts";
import { imagesDigest } from "../data/images.ts";
import { readRun } from "./run_folder.ts";

const DATA = { train: 200, test: 50 };

Deno.test("prepareData() gives runs with different training seeds bit-identical validation and test inputs", async () => {
  const a = await prepareData(validateConfig({ ...DATA, seed: 0, dataSeed: 4 }));
  const b = await prepareData(validateConfig({ ...DATA, seed: 1, dataSeed: 4 }));
  assertEquals(b.dataset.test.data, a.dataset.test.data);
  assertEquals(b.noisyTest.data, a.noisyTest.data);
  assertEquals(b.validation.data, a.validation.data);
  assertEquals(b.noisyValidation.data, a.noisyValidation.data);
  assertEquals(b.dataset.train.data, a.dataset.train.data);
  assertEquals(imagesDigest(b.noisyTest), imagesDigest(a.noisyTest));
  // The training seed still owns the training noise.
  nodeAssert.notDeepStrictEqual(b.noisyTrain.data, a.noisyTrain.data);
});

Deno.test("prepareData() draws another split, hold-out and test noise for another data seed", async () => {
  const a = await prepareData(validateConfig({ ...DATA, dataSeed: 0 }));
  const b = await prepareData(validateConfig({ ...DATA, dataSeed: 1 }));
  nodeAssert.notDeepStrictEqual(b.dataset.test.data, a.dataset.test.data);
  nodeAssert.notDeepStrictEqual(b.validation.data, a.validation.data);
  nodeAssert.notDeepStrictEqual(imagesDigest(b.noisyTest), imagesDigest(a.noisyTest));
  // Same test images, different data seed: only the noise differs.
  const full = { train: 20, test: 10000, validation: "test" } as const;
  const c = await prepareData(validateConfig({ ...full, dataSeed: 0 }));
  const d = await prepareData(validateConfig({ ...full, dataSeed: 1 }));
  assertEquals(d.dataset.test.data, c.dataset.test.data);
  nodeAssert.notDeepStrictEqual(d.noisyTest.data, c.noisyTest.data);
});

Deno.test("prepareData() validates on a hold-out of the training images, or on the test set when asked", async () => {
  const split = await prepareData(validateConfig(DATA));
  assertEquals([split.dataset.train.count, split.validation.count], [180, 20]);
  assertEquals(split.validation, split.dataset.validation);
  nodeAssert.notDeepStrictEqual(split.noisyValidation.data, split.validation.data);
  const test = await prepareData(validateConfig({ ...DATA, validation: "test" }));
  assertEquals(test.dataset.train.count, 200);
  assertEquals(test.validation, test.dataset.test);
  assertEquals(test.noisyValidation, test.noisyTest);
  // The test images and their noise do not depend on where validation comes from.
  assertEquals(test.noisyTest.data, split.noisyTest.data);
});

Deno.test("noiseSeeds() never gives two noise draws the same seed", () => {
  const seen = new Map<number, string>();
  for (let seed = 0; seed < 20; seed++) {
    for (let dataSeed = 0; dataSeed < 20; dataSeed++) {
      const s = noiseSeeds({ seed, dataSeed });
      for (const [stream, value] of Object.entries(s)) {
        const key = `${stream} of seed ${stream === "train" ? seed : dataSeed}`;
        const before = seen.get(value);
        if (before !== undefined && before !== key) {
          throw new Error(`${key} and ${before} share noise seed ${value}`);
        }
        seen.set(value, key);
      }
    }
  }
  // The streams the project used before the seeds were split.
  assertEquals(noiseSeeds({ seed: 0, dataSeed: 0 }), { train: 1, validation: -1, test: 2 });
});

Deno.test("imagesDigest() changes with one pixel and with the shape", () => {
  const a = { data: new Float32Array([0, 0.25, 0.5, 1]), count: 1, height: 2, width: 2 };
  const base = imagesDigest(a);
  assertEquals(imagesDigest({ ...a, data: a.data.slice() }), base);
  const changed = a.data.slice();
  changed[2] = Math.fround(0.5 + 1e-7);
  nodeAssert.notEqual(imagesDigest({ ...a, data: changed }), base);
  nodeAssert.notEqual(imagesDigest({ ...a, height: 1, width: 4 }), base);
});

const TINY = validateConfig({ train: 64, test: 16, batch: 64, epochs: 1, backend: "wasm" });
const quiet = () => {};

Deno.test("ensureRun() refuses a run of its default name trained at another noise, and reuses a matching one", async () => {
  const out = await Deno.makeTempDir();
  // A run trained at noise 0.9, saved under the name the default 0.5 settings would use.
  const name = defaultRunName(TINY);
  const trained = await runExperiment({ ...TINY, noise: 0.9 }, {
    name,
    out,
    log: quiet,
    threads: 2,
  });
  assertEquals(trained.status, "completed");
  // metrics.json records the threads used (main thread + 1 Worker).
  assertEquals(trained.status === "completed" && trained.metrics.threads, 2);
  const before = await Deno.readTextFile(`${out}/runs/${name}/metrics.json`);
  await assertRejects(
    () => ensureRun(TINY, { out, log: quiet }),
    InputError,
    `run "${name}" in ${out}/runs holds other settings: noise 0.9 (saved) ≠ 0.5 (asked)`,
  );
  assertEquals(await Deno.readTextFile(`${out}/runs/${name}/metrics.json`), before);
  // The same settings on another backend or thread count are the same run: read back, not
  // retrained.
  const lines: string[] = [];
  const run = await ensureRun({ ...TINY, noise: 0.9, backend: "cpu" }, {
    name,
    out,
    log: (l) => lines.push(l),
    threads: 1,
  });
  assertEquals(run.config.noise, 0.9);
  assert(lines.some((l) => l.startsWith(`using the trained run "${name}"`)), lines.join("\n"));
  assertEquals(await Deno.readTextFile(`${out}/runs/${name}/metrics.json`), before);
});

Deno.test("a run folder from before the seed split (no dataSeed) is refused in one line", async () => {
  const out = await Deno.makeTempDir();
  const config = validateConfig({ ...TINY, dataset: "mnist10k" });
  const name = "old";
  await runExperiment(config, { name, out, log: quiet });
  const path = `${out}/runs/${name}/config.json`;
  const stored = JSON.parse(await Deno.readTextFile(path));
  delete stored.dataSeed;
  await Deno.writeTextFile(path, JSON.stringify(stored));
  const why = "config.json holds no dataSeed: empty, or from an older version";
  const error = await assertRejects(() => readRun(name, out), InputError, why);
  assert(!error.message.includes("\n"), error.message);
  await assertRejects(() => ensureRun(config, { name, out, log: quiet }), InputError, why);
});

Deno.test("ensureRun() reads a complete run without the writer lock: two processes share it while a third holds the lock", async () => {
  const out = await Deno.makeTempDir();
  const config = validateConfig({ train: 64, test: 16, batch: 32, epochs: 1, seed: 3 });
  const name = defaultRunName(config);
  await ensureRun(config, { out, log: () => {} });
  const lockUrl = new URL("./lock.ts", import.meta.url).href;
  const ensureUrl = new URL("./experiment.ts", import.meta.url).href;
  // A real process holds the run's writer lock for the whole test.
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { acquireLock } from ${JSON.stringify(lockUrl)};
await acquireLock(${JSON.stringify(`${out}/runs/.${name}.lock`)});
console.log("locked");
await new Promise((r) => setTimeout(r, 600_000));`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assertEquals((await reader.read()).value?.trim(), "locked");
    reader.releaseLock();
    // Two readers at once, each its own process, as two reports over the same cached runs.
    const read = `import { ensureRun } from ${JSON.stringify(ensureUrl)};
const run = await ensureRun(${JSON.stringify(config)}, { out: ${
      JSON.stringify(out)
    }, log: () => {} });
console.log(run.metrics.test_mse);`;
    const readers = [0, 1].map(() =>
      new Deno.Command(Deno.execPath(), { args: ["eval", read], stdout: "piped", stderr: "piped" })
        .output()
    );
    const expected = (await readRun(name, out)).metrics.test_mse;
    for (const r of await Promise.all(readers)) {
      const err = new TextDecoder().decode(r.stderr);
      assertEquals(r.code, 0, err);
      assert(!err.includes("in use by"), err);
      assertEquals(Number(new TextDecoder().decode(r.stdout).trim()), expected);
    }
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
    await holder.stdout.cancel().catch(() => {});
  }
});

Deno.test("a garbage metrics.json is one line naming the run and the file", async () => {
  const out = await Deno.makeTempDir();
  const config = validateConfig({ train: 64, test: 16, batch: 32, epochs: 1, seed: 5 });
  const run = await ensureRun(config, { out, log: () => {} });
  await Deno.writeTextFile(`${run.dir}/metrics.json`, 'garbage\n"more"\n{');
  const e = await assertRejects(() => readRun(run.name, out), InputError);
  assert(!e.message.includes("\n"), e.message);
  assert(e.message.startsWith(`run "${run.name}" is damaged: cannot read ${run.dir}/metrics.json`));
});

Deno.test("runExperiment() completes a run of fewer than 10 test images (samples.png shows them all)", async () => {
  const out = await Deno.makeTempDir();
  const run = await runExperiment({ ...TINY, test: 4 }, { name: "few", out, log: quiet });
  assertEquals(run.status, "completed");
  assertEquals(run.status === "completed" && run.metrics.epochs, 1);
});

Deno.test("withKernelInterrupt() passes a given signal on, and outside the kernel adds none", async () => {
  assert(!jupyter());
  const given = new AbortController().signal;
  assertEquals(await withKernelInterrupt(given, (s) => Promise.resolve(s === given)), true);
  assertEquals(await withKernelInterrupt(undefined, (s) => Promise.resolve(s)), undefined);
});
