/**
 * The experiment command as a user runs it: bad input, a complete run folder, refusal to
 * overwrite, SIGINT and SIGKILL followed by --resume, and a corrupt checkpoint.
 */
import { assert, assertAlmostEquals, assertEquals } from "../lib/_testing_assert.ts";
import { pathExists as exists } from "../lib/runs/atomic.ts";
import { defaultRunName, validateConfig } from "../lib/runs/config.ts";
import { encodeIdx } from "../lib/data/_testing.ts";
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

/** Asserts that `stderr` holds exactly one `error:` line, containing `message`, and no stack. */
function assertOneErrorLine(stderr: string, message: string): string {
  const lines = stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
  assertEquals(lines.length, 1, stderr);
  assert(lines[0].includes(message), lines[0]);
  assert(!stderr.includes("    at "), `stack trace printed: ${stderr}`);
  return lines[0];
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
    [["--validation-split", "1"], "validation-split must be in (0, 1), got 1"],
    [["--train", "1", "--test", "1"], "leaves no training images"],
    [["--dataset", "nosuch"], "nosuch"],
    [["--backend", "tpu"], "backend must be one of"],
    [["--resume", "ghost"], 'no run "ghost"'],
    [["--no-dropout"], "Unknown option '--no-dropout'"],
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

  // --resume with flags that differ from the saved settings is refused, listing them.
  const conflicting = await experiment(
    ["--resume", "killed", "--noise", "0.9", "--epochs", "5"],
    out,
  );
  assertEquals(conflicting.code, 2, conflicting.stderr);
  assertOneErrorLine(
    conflicting.stderr,
    "epochs 3 (saved) ≠ 5 (asked), noise 0.5 (saved) ≠ 0.9 (asked)",
  );

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

  // Without its checkpoint the run cannot be resumed: said so, not restarted from epoch 1.
  await Deno.remove(`${out}/runs/int/checkpoint`, { recursive: true });
  const r = await experiment(["--resume", "int"], out);
  assertEquals(r.code, 2, r.stderr);
  assertOneErrorLine(r.stderr, 'run "int" has no checkpoint to resume from');
  assert(r.stderr.includes("start it again with --force"), r.stderr);
  assert(!(await exists(`${out}/runs/int/history.json`)), "nothing was trained");
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

/** A valid IDX dataset of 8 train and 4 test `side`×`side` images, in a new temp folder. */
async function idxFolder(side: number): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const [prefix, n] of [["train", 8], ["t10k", 4]] as const) {
    await Deno.writeFile(
      `${dir}/${prefix}-images-idx3-ubyte`,
      encodeIdx([n, side, side], new Uint8Array(n * side * side)),
    );
    await Deno.writeFile(`${dir}/${prefix}-labels-idx1-ubyte`, encodeIdx([n], new Uint8Array(n)));
  }
  return dir;
}

Deno.test("experiment rejects images the autoencoder cannot take, in one line, before training", async (t) => {
  // Valid IDX datasets: the data layer reads them truthfully, the experiment refuses them.
  // 30: the decoder doubles 7 → 14 → 28, so sides must be divisible by 4; 4, 8 and 0 are, but
  // are smaller than the 11×11 SSIM window (they used to train, then crash in SSIM).
  for (
    const [side, message] of [[30, "divisible by 4"], [8, "at least 12"], [4, "at least 12"], [
      0,
      "at least 12",
    ]] as const
  ) {
    await t.step(`${side}×${side}`, async () => {
      const dir = await idxFolder(side);
      const out = await Deno.makeTempDir();
      const r = await experiment(["--dataset", dir, "--train", "8", "--test", "4"], out);
      assertEquals(r.code, 2, r.stderr);
      assertOneErrorLine(r.stderr, `images are ${side}×${side}`);
      assert(r.stderr.includes(message), r.stderr);
      assert(!r.stderr.includes("epoch 1/"), `trained before refusing: ${r.stderr}`);
      assertEquals(await exists(`${out}/runs`) ? await listing(`${out}/runs`) : [], []);
    });
  }
});

Deno.test("experiment refuses output folders it cannot create, in one line", async (t) => {
  await t.step("--out /proc/x", async () => {
    const r = await experiment([...TINY, "--epochs", "1"], "/proc/x");
    assertEquals(r.code, 2, r.stderr);
    assertOneErrorLine(r.stderr, "cannot create folder /proc/x/runs");
  });
  await t.step("a file where outputs/runs should be a folder", async () => {
    const out = await Deno.makeTempDir();
    await Deno.writeTextFile(`${out}/runs`, "not a folder");
    const r = await experiment([...TINY, "--epochs", "1"], out);
    assertEquals(r.code, 2, r.stderr);
    assertOneErrorLine(r.stderr, `cannot create folder ${out}/runs: a file is in the way`);
    assertEquals(await Deno.readTextFile(`${out}/runs`), "not a folder");
  });
});

Deno.test("experiment refuses a lock file that is a symbolic link or a folder, in one line", async (t) => {
  const out = await Deno.makeTempDir();
  await Deno.mkdir(`${out}/runs`);
  await t.step("a link to a file outside the project", async () => {
    const outside = await Deno.makeTempFile({ dir: await Deno.makeTempDir() });
    await Deno.writeTextFile(outside, "precious\n");
    await Deno.symlink(outside, `${out}/runs/.sym.lock`);
    const r = await experiment([...TINY, "--epochs", "1", "--name", "sym"], out);
    assertEquals(r.code, 2, r.stderr);
    assertOneErrorLine(r.stderr, "is a symbolic link; never followed");
    assertEquals(await Deno.readTextFile(outside), "precious\n");
    assertEquals(await exists(`${out}/runs/sym`), false);
  });
  await t.step("a folder", async () => {
    await Deno.mkdir(`${out}/runs/.dir.lock`);
    const r = await experiment([...TINY, "--epochs", "1", "--name", "dir"], out);
    assertEquals(r.code, 2, r.stderr);
    assertOneErrorLine(r.stderr, "is a folder");
  });
});

Deno.test("experiment refuses to reuse a run name that holds other settings, naming them", async () => {
  const out = await Deno.makeTempDir();
  const small = ["--train", "64", "--test", "16", "--batch", "64", "--epochs", "1"];
  // A run at noise 0.9 saved under the name the default (0.5) settings would use.
  const name = defaultRunName(validateConfig({ train: 64, test: 16, batch: 64, epochs: 1 }));
  const trained = await experiment([...small, "--noise", "0.9", "--name", name], out);
  assertEquals(trained.code, 0, trained.stderr);
  const metrics = await readMetrics(`${out}/runs/${name}`);
  const r = await experiment(small, out);
  assertEquals(r.code, 2, r.stderr);
  assertOneErrorLine(r.stderr, "noise 0.9 (saved) ≠ 0.5 (asked)");
  assertEquals(await readMetrics(`${out}/runs/${name}`), metrics);
});

Deno.test("experiment allows one writer per run: a second one, plain, --force or --resume, is refused naming the holder's PID", async (t) => {
  const out = await Deno.makeTempDir();
  const small = ["--train", "128", "--test", "32", "--batch", "64"];
  // Long enough to outlive the checks below; it is killed afterwards.
  const holder = spawn([...small, "--epochs", "1000", "--name", "same"], out);
  try {
    const lock = `${out}/runs/.same.lock`;
    const t0 = Date.now();
    while ((await Deno.readTextFile(lock).catch(() => "")) !== `${holder.pid}\n`) {
      if (Date.now() - t0 > 120_000) throw new Error("the first writer never took the lock");
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds: [string, string[]][] = [
      ["plain", [...small, "--epochs", "3", "--name", "same"]],
      ["--force", [...small, "--epochs", "1", "--noise", "0.9", "--name", "same", "--force"]],
      ["--resume", ["--resume", "same"]],
    ];
    for (const [label, args] of seconds) {
      await t.step(label, async () => {
        const r = await experiment(args, out);
        assertEquals(r.code, 2, r.stderr);
        assertOneErrorLine(
          r.stderr,
          `run "same" is in use by process ${holder.pid}`,
        );
      });
    }
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
    await holder.stderr.cancel();
  }
  // The killed writer's lock does not block the next one; the run is then all one writer's.
  const r = await experiment([...small, "--epochs", "1", "--name", "same", "--force"], out);
  assertEquals(r.code, 0, r.stderr);
  const config = JSON.parse(await Deno.readTextFile(`${out}/runs/same/config.json`));
  const history = JSON.parse(await Deno.readTextFile(`${out}/runs/same/history.json`));
  assertEquals([config.epochs, history.length, (await readMetrics(`${out}/runs/same`)).epochs], [
    1,
    1,
    1,
  ]);
  assert(!(await exists(`${out}/runs/.same.lock`)), "the lock file is removed on exit");
});

/** Mounts a tmpfs of `size` on a new temp folder; the reason as a string when that fails. */
async function mountTmpfs(
  size: string,
): Promise<string | { dir: string; unmount(): Promise<void> }> {
  const dir = await Deno.makeTempDir();
  let r: Deno.CommandOutput;
  try {
    r = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
      stdout: "null",
      stderr: "piped",
    }).output();
  } catch (e) {
    return `cannot run mount: ${(e as Error).message}`;
  }
  if (!r.success) return `mount -t tmpfs failed: ${new TextDecoder().decode(r.stderr).trim()}`;
  return {
    dir,
    async unmount() {
      await new Deno.Command("umount", { args: [dir] }).output();
    },
  };
}

// Probe once whether a small tmpfs can be mounted here (root in CI), so the test says why it skips.
const probe = await mountTmpfs("64k");
const TMPFS_SKIP = typeof probe === "string" ? probe : null;
if (typeof probe !== "string") await probe.unmount();

Deno.test({
  name: `experiment reports a full disk in one line and resumes once there is room${
    TMPFS_SKIP ? ` (skipped: ${TMPFS_SKIP})` : ""
  }`,
  ignore: TMPFS_SKIP !== null,
  async fn() {
    // 3 MiB holds one checkpoint of the 28×28 autoencoder (weights and Adam's moments, about
    // 2.2 MB) but not the next one beside it, so the disk fills at epoch 2.
    const disk = await mountTmpfs("3m");
    if (typeof disk === "string") throw new Error(disk);
    const args = ["--train", "128", "--test", "32", "--batch", "64", "--epochs", "3"];
    const roomy = await Deno.makeTempDir();
    try {
      const r = await experiment([...args, "--name", "full"], disk.dir);
      assertEquals(r.code, 2, r.stderr);
      const line = assertOneErrorLine(r.stderr, `disk full while writing ${disk.dir}/runs/full/`);
      assert(line.endsWith("; free space and continue with --resume full"), line);
      const files = await listing(`${disk.dir}/runs/full`);
      assert(!files.includes("metrics.json"), files.join());
      assert(!files.some((f) => f.endsWith(".tmp")), `temp files left: ${files}`);
      // Free space (here: move the run to a roomy disk) and continue as told.
      const cp = await new Deno.Command("cp", { args: ["-a", `${disk.dir}/runs`, roomy] }).output();
      assert(cp.success);
    } finally {
      await disk.unmount();
    }
    const resumed = await experiment(["--resume", "full"], roomy);
    assertEquals(resumed.code, 0, resumed.stderr);
    assert(resumed.stderr.includes("resuming after epoch 1"), resumed.stderr);
    assertEquals((await readMetrics(`${roomy}/runs/full`)).epochs, 3);
  },
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
