/**
 * The experiment command as a user runs it: bad input, a complete run folder, refusal to
 * overwrite, SIGINT and SIGKILL followed by --resume, and a corrupt checkpoint.
 */
import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";
import { pathExists as exists } from "../atomic.ts";
import { encodeIdx } from "../idx.ts";
import { type CommandResult, runScript } from "./_testing.ts";

const SCRIPT = new URL("./experiment.ts", import.meta.url).pathname;
const TINY = ["--train", "256", "--test", "64", "--batch", "64", "--seed", "1"];

function experiment(args: string[], out: string): Promise<CommandResult> {
  return runScript(SCRIPT, ["--out", out, ...args]);
}

function spawn(args: string[], out: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, "--out", out, ...args],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function waitFor(path: string, timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!(await exists(path))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readMetrics(dir: string) {
  return JSON.parse(await Deno.readTextFile(`${dir}/metrics.json`));
}

const RUN_FILES = [
  "config.json",
  "history.json",
  "loss.svg",
  "metrics.json",
  "model",
  "samples.png",
];

async function listing(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("experiment rejects bad input with one line, exit code 2 and no run folder", async (t) => {
  const out = await Deno.makeTempDir();
  const cases: [string[], string][] = [
    [["--bogus"], "Unknown option '--bogus'"],
    [["--noise", "abc"], "noise must be a number"],
    [["--noise", "-0.5"], "noise must be ≥ 0"],
    [["--epochs", "0"], "epochs must be a whole number ≥ 1"],
    [["--batch", "0"], "batch must be a whole number ≥ 1"],
    [["--latent", "0"], "latent must be a whole number ≥ 1"],
    [["--train", "60001"], "exceeds"],
    [["--dataset", "mnist10k", "--train", "9500", "--test", "1000"], "exceeds"],
    [["--validation", "bogus"], "validation must be one of split, test"],
    [["--validation-split", "1"], "leaves no training images"],
    [["--train", "1", "--test", "1"], "leaves no training images"],
    [["--dataset", "nosuch"], "nosuch"],
    [["--backend", "tpu"], "backend must be one of"],
    [["--resume", "ghost"], 'no run "ghost"'],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const r = await experiment(args, out);
      assertEquals(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
      assertEquals(lines.length, 1, r.stderr);
      assert(lines[0].includes(message), lines[0]);
      assert(!r.stderr.includes("    at "), `stack trace printed: ${r.stderr}`);
    });
  }
  const runs = await exists(`${out}/runs`) ? await listing(`${out}/runs`) : [];
  for (const name of runs) assert(!(await exists(`${out}/runs/${name}/metrics.json`)));
});

Deno.test("experiment writes a complete run that beats the noisy input, and refuses to overwrite it", async () => {
  const out = await Deno.makeTempDir();
  // The foundation issue's smoke command, with the default batch size.
  const smoke = ["--epochs", "2", "--train", "512", "--test", "128", "--name", "smoke"];
  const r = await experiment(smoke, out);
  assertEquals(r.code, 0, r.stderr);
  assert(/epoch 1\/2 .*loss .*val_loss .*lr .*img\/s .*ETA/.test(r.stderr), r.stderr);
  const dir = `${out}/runs/smoke`;
  assertEquals(await listing(dir), RUN_FILES);
  const m = await readMetrics(dir);
  assert(m.test_mse < m.noisy_mse, JSON.stringify(m));
  for (
    const k of [
      "test_mse",
      "noisy_mse",
      "test_psnr",
      "noisy_psnr",
      "test_ssim",
      "epochs",
      "train_seconds",
      "train_images_per_second",
    ]
  ) assert(Number.isFinite(m[k]), `${k} = ${m[k]}`);
  const history = JSON.parse(await Deno.readTextFile(`${dir}/history.json`));
  assertEquals(history.map((h: { epoch: number }) => h.epoch), [1, 2]);
  assert(history[1].loss < history[0].loss);

  const again = await experiment(smoke, out);
  assertEquals(again.code, 2);
  assert(again.stderr.includes("already exists"), again.stderr);
  assertEquals(await readMetrics(dir), m);

  const forced = await experiment([...smoke, "--force"], out);
  assertEquals(forced.code, 0, forced.stderr);
  // Same seed, same backend: same result.
  assertAlmostEquals((await readMetrics(dir)).test_mse, m.test_mse, 5e-7);
});

Deno.test("experiment killed with SIGKILL resumes to the same result as an uninterrupted run", async () => {
  const out = await Deno.makeTempDir();
  const args = [...TINY, "--epochs", "3"];
  const ref = await experiment([...args, "--name", "ref"], out);
  assertEquals(ref.code, 0, ref.stderr);

  const child = spawn([...args, "--name", "killed"], out);
  const dir = `${out}/runs/killed`;
  await waitFor(`${dir}/checkpoint/checkpoint.json`);
  child.kill("SIGKILL");
  await child.status;
  await child.stderr.cancel();
  assert(!(await exists(`${dir}/metrics.json`)), "a killed run must not look complete");

  const refused = await experiment([...args, "--name", "killed"], out);
  assertEquals(refused.code, 2);
  assert(refused.stderr.includes("--resume killed"), refused.stderr);

  const resumed = await experiment(["--resume", "killed"], out);
  assertEquals(resumed.code, 0, resumed.stderr);
  assert(resumed.stderr.includes("resuming after epoch"), resumed.stderr);
  assertEquals(await listing(dir), RUN_FILES);
  const a = await readMetrics(`${out}/runs/ref`);
  const b = await readMetrics(dir);
  for (const k of ["test_mse", "noisy_mse", "test_psnr", "test_ssim"]) {
    assertAlmostEquals(b[k], a[k], 1e-6, `${k}: ${b[k]} vs ${a[k]}`);
  }
});

Deno.test("experiment stops cleanly on SIGINT and says how to resume", async () => {
  const out = await Deno.makeTempDir();
  const child = spawn([...TINY, "--epochs", "50", "--name", "int"], out);
  await waitFor(`${out}/runs/int/checkpoint/checkpoint.json`);
  child.kill("SIGINT");
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  assertEquals(status.code, 130, stderr);
  assert(stderr.includes("deno task experiment --resume int"), stderr);
  assert(!(await exists(`${out}/runs/int/metrics.json`)));
});

Deno.test("experiment reports a corrupt checkpoint instead of loading it", async () => {
  const out = await Deno.makeTempDir();
  const child = spawn([...TINY, "--epochs", "50", "--name", "bad"], out);
  const ckpt = `${out}/runs/bad/checkpoint`;
  await waitFor(`${ckpt}/checkpoint.json`);
  child.kill("SIGKILL");
  await child.status;
  await child.stderr.cancel();
  const bytes = await Deno.readFile(`${ckpt}/tensors.bin`);
  bytes[bytes.length >> 1] ^= 0x55;
  await Deno.writeFile(`${ckpt}/tensors.bin`, bytes);
  const r = await experiment(["--resume", "bad"], out);
  assertEquals(r.code, 2, r.stderr);
  assert(r.stderr.includes("corrupt"), r.stderr);
});

Deno.test("experiment rejects images the autoencoder cannot take, in one line", async () => {
  // A valid IDX dataset of 30×30 images: the data layer reads it truthfully, the experiment
  // refuses it (the decoder doubles 7 → 14 → 28, so sides must be divisible by 4).
  const dir = await Deno.makeTempDir();
  for (const [prefix, n] of [["train", 8], ["t10k", 4]] as const) {
    await Deno.writeFile(
      `${dir}/${prefix}-images-idx3-ubyte`,
      encodeIdx([n, 30, 30], new Uint8Array(n * 900)),
    );
    await Deno.writeFile(`${dir}/${prefix}-labels-idx1-ubyte`, encodeIdx([n], new Uint8Array(n)));
  }
  const out = await Deno.makeTempDir();
  const r = await experiment(["--dataset", dir, "--train", "8", "--test", "4"], out);
  assertEquals(r.code, 2, r.stderr);
  assert(r.stderr.includes("30×30") && r.stderr.includes("divisible by 4"), r.stderr);
  assert(!(await exists(`${out}/runs`)) || (await listing(`${out}/runs`)).length === 0);
});

Deno.test("experiment runs with different training seeds score the same noisy test images", async () => {
  const out = await Deno.makeTempDir();
  const base = [
    "--train",
    "128",
    "--test",
    "32",
    "--batch",
    "64",
    "--epochs",
    "1",
    "--data-seed",
    "3",
  ];
  const runs: Record<string, { test_inputs_sha256: string; noisy_mse: number; test_mse: number }> =
    {};
  for (
    const [name, extra] of [["s1", ["--seed", "1"]], ["s2", ["--seed", "2"]], ["d4", [
      "--seed",
      "1",
      "--data-seed",
      "4",
    ]]] as const
  ) {
    const r = await experiment([...base, ...extra, "--name", name], out);
    assertEquals(r.code, 0, r.stderr);
    assert(/115 train, 13 validation, 32 test images/.test(r.stderr), r.stderr);
    runs[name] = await readMetrics(`${out}/runs/${name}`);
  }
  assertEquals(runs.s2.test_inputs_sha256, runs.s1.test_inputs_sha256);
  assertEquals(runs.s2.noisy_mse, runs.s1.noisy_mse);
  assert(runs.s2.test_mse !== runs.s1.test_mse, "another training seed trains another model");
  assert(runs.d4.test_inputs_sha256 !== runs.s1.test_inputs_sha256, "the data seed draws the test");
});
