/**
 * The sweep command as a user runs it: bad input, and a sweep killed midway that the same
 * command resumes without redoing its finished cells.
 */
import { assert, assertEquals } from "../lib/_testing_assert.ts";
import { parseSweepArgs } from "./sweep.ts";
import { assertSameResults, type CommandResult, csvRows, runScript } from "./_testing.ts";

const SCRIPT = new URL("./sweep.ts", import.meta.url).pathname;

function sweep(args: string[], out: string): Promise<CommandResult> {
  return runScript(SCRIPT, ["--out", out, ...args]);
}

Deno.test("parseSweepArgs() reads lists, negative numbers and switches", () => {
  const cmd = parseSweepArgs(["--noise", "0.9,0.1", "--methods", "nlm,ae", "--no-cross"]);
  assertEquals(cmd.noise, [0.1, 0.9]);
  assertEquals(cmd.methods, ["nlm", "ae"]);
  assertEquals([cmd.cross, cmd.ablations], [false, true]);
  // The settings in words, then a digest of the whole identity (methods and factors included).
  assert(/^mnist-gaussian-e10-n60000-t10000-b32-s0-h[0-9a-f]{8}$/.test(cmd.name), cmd.name);
  assert(cmd.name !== parseSweepArgs(["--noise", "0.9,0.1", "--methods", "nlm"]).name);
  assertEquals(parseSweepArgs(["--noise-mean", "-0.5"]).config.noiseMean, -0.5);
  const ds = parseSweepArgs(["--data-seed", "3", "--validation", "test"]);
  assertEquals([ds.config.dataSeed, ds.config.validation], [3, "test"]);
  assert(/-valtest-ds3-s0-h[0-9a-f]{8}$/.test(ds.name), ds.name);
  assertEquals(parseSweepArgs(["--seeds", "0,1,2"]).seeds, [0, 1, 2]);
  assertEquals(parseSweepArgs([]).seeds, undefined);
  assertEquals(parseSweepArgs(["--jobs", "3"]).jobs, 3);
});

Deno.test("sweep rejects bad input with one line, exit code 2 and no output folder", async (t) => {
  const out = await Deno.makeTempDir();
  const cases: [string[], string][] = [
    [["--bogus"], "Unknown option '--bogus'"],
    [["--noise", "abc"], "noise must be a number"],
    [["--noise", "-0.5"], "noise must be ≥ 0"],
    [["--noise", "0.1,,0.5"], "comma-separated list"],
    [["--methods", "median,bm4d"], 'unknown method "bm4d"'],
    [["--epochs", "0"], "epochs must be a whole number ≥ 1"],
    [["--tune", "0"], "tune must be a whole number ≥ 1"],
    [["--noise-type", "salt-and-pepper", "--noise", "0.5,1.5"], "fraction in [0, 1]"],
    [["--backend", "tpu"], "backend must be one of"],
    [["--name", "../x"], "sweep name"],
    [["--methods", "median", "--dataset", "nosuch"], "nosuch"],
    [["--methods", "median", "--train", "60001"], "exceeds"],
    [["stray"], "Unexpected argument 'stray'"],
    [["--shard", "2/2"], 'shard must be K/N with whole numbers 0 ≤ K < N, e.g. 0/4 (got "2/2")'],
    [["--shard", "1/0"], 'shard must be K/N with whole numbers 0 ≤ K < N, e.g. 0/4 (got "1/0")'],
    [["--shard", "x"], 'shard must be K/N with whole numbers 0 ≤ K < N, e.g. 0/4 (got "x")'],
    [["--shard", "-1/2"], 'shard must be K/N with whole numbers 0 ≤ K < N, e.g. 0/4 (got "-1/2")'],
    [["--seeds", "0,1,0"], "seeds: 0 is listed twice"],
    [["--seeds", "0,1.5"], 'seeds: "1.5" is not an integer'],
    [["--seeds", "0,x"], 'seeds: "x" is not an integer'],
    [["--seeds", "-1"], 'seeds: "-1" is not an integer'],
    [["--seeds", "4294967296"], 'seeds: "4294967296" is not an integer'],
    [["--seeds", "0,,1"], "seeds must be a comma-separated list"],
    [["--seed", "4294967295"], "seed must be at most 4294967293 for a sweep"],
    [["--methods", "median", "--out", "/proc/x"], "cannot create folder /proc/x/sweeps/"],
    [["--jobs", "0"], "jobs must be a whole number ≥ 1, got 0"],
    [["--jobs", "x"], 'jobs must be a number, got "x"'],
    [["--jobs", "-1"], "jobs must be a whole number ≥ 1, got -1"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const r = await sweep(args, out);
      assertEquals(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      assert(lines[0].startsWith("error: ") && lines[0].includes(message), lines[0]);
    });
  }
  assertEquals([...Deno.readDirSync(out)], []);
});

Deno.test("sweep --help lists every flag and exits 0", async () => {
  const r = await sweep(["--help"], await Deno.makeTempDir());
  assertEquals(r.code, 0);
  for (const flag of ["--noise ", "--methods", "--no-ablations", "--no-cross", "--dataset"]) {
    assert(r.stdout.includes(flag), flag);
  }
});

Deno.test("a sweep killed midway resumes without redoing finished cells", async () => {
  const out = await Deno.makeTempDir();
  // Non-local-means tuning takes seconds per factor: time enough to kill after a few cells.
  const args = [
    "--noise",
    "0.2,0.6",
    "--methods",
    "median,nlm",
    "--train",
    "200",
    "--test",
    "16",
    "--tune",
    "40",
    "--name",
    "killed",
    // One process: a job outlives its killed sweep until its current cell's work yields, and may
    // still add that cell's row after the rows below were counted.
    "--jobs",
    "1",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, "--out", out, ...args],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const results = `${out}/sweeps/killed/results.json`;
  const t0 = Date.now();
  // Wait for the first two cells (noisy and median at 0.2), then kill during nlm's tuning.
  while (true) {
    const rows = await Deno.readTextFile(results).then((t) => JSON.parse(t).length, () => 0);
    if (rows >= 2) break;
    if (Date.now() - t0 > 60_000) throw new Error("the sweep wrote no rows within 60 s");
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGKILL");
  await child.status;
  const saved = JSON.parse(await Deno.readTextFile(results)) as unknown[];
  assert(saved.length >= 2 && saved.length < 6, `${saved.length} rows before the kill`);
  assertEquals(
    await Deno.stat(`${out}/sweeps/killed/complete`).then(() => true, () => false),
    false,
  );

  const r = await sweep(args, out);
  assertEquals(r.code, 0, r.stderr);
  assert(r.stderr.includes(`${saved.length} of 6 cells already finished`), r.stderr);
  assert(r.stdout.includes(`${6 - saved.length} cells computed, ${saved.length} reused`), r.stdout);
  const rows = JSON.parse(await Deno.readTextFile(results)) as unknown[];
  assertEquals(rows.length, 6);
  for (const old of saved) assert(rows.some((x) => JSON.stringify(x) === JSON.stringify(old)));
  await Deno.stat(`${out}/sweeps/killed/complete`);
});

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("two --shard processes at once into one folder equal one unsharded sweep", async () => {
  const [one, both] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const args = [
    ...["--dataset", "mnist10k", "--train", "128", "--test", "32", "--epochs", "1"],
    ...["--noise", "0.3,0.5", "--methods", "median,ae", "--tune", "16", "--no-ablations"],
    ...["--name", "s"],
  ];
  const single = await sweep(args, one);
  assertEquals(single.code, 0, single.stderr);
  // Both shards start together: the autoencoder at 0.5 and the cross-noise cell that reuses
  // it fall in different shards, so one shard may wait for the other's training.
  const [a, b] = await Promise.all([
    sweep([...args, "--shard", "0/2"], both),
    sweep([...args, "--shard", "1/2"], both),
  ]);
  assertEquals([a.code, b.code], [0, 0], a.stderr + b.stderr);
  await assertSameResults(`${both}/sweeps/s/results.csv`, `${one}/sweeps/s/results.csv`);
  // noisy and median at 2 factors, ae at 0.3 (1 seed) and 0.5 (3), ae at 0.5 on 0.3 (3), and
  // the f = 0 control at 2 (3 each): claim 2's arms train with 3 seeds without ablations too.
  assertEquals((await csvRows(`${one}/sweeps/s/results.csv`)).length, 17);
  assert(await exists(`${both}/sweeps/s/complete`));
  // Every cell was computed once, by one shard or the other.
  const computed = [a, b].map((r) => Number(/(\d+) cells computed/.exec(r.stdout)?.[1]));
  assertEquals(computed[0] + computed[1], 17, a.stdout + b.stdout);
  // No lock file is left behind.
  const hidden = [...Deno.readDirSync(`${both}/sweeps/s`)].filter((e) => e.name.startsWith("."));
  assertEquals(hidden, []);
  // A shard with other settings under that name is refused in one line.
  const other = await sweep([...args, "--epochs", "2", "--shard", "1/2"], both);
  assertEquals(other.code, 2);
  assertEquals(other.stderr.trim().split("\n").length, 1, other.stderr);
  assert(other.stderr.startsWith('error: sweep "s"') && other.stderr.includes("epochs"));
});

Deno.test("a sweep is complete only once its last shard has finished", async () => {
  const out = await Deno.makeTempDir();
  const args = ["--noise", "0.3,0.5", "--methods", "median", "--train", "64", "--test", "16"];
  const dir = `${out}/sweeps/p`;
  const first = await sweep([...args, "--tune", "16", "--name", "p", "--shard", "1/3"], out);
  assertEquals(first.code, 0, first.stderr);
  assert(first.stdout.includes("shard 1/3 is done"), first.stdout);
  assertEquals(await exists(`${dir}/complete`), false);
  assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/results.json`)).length, 1);
  const second = await sweep([...args, "--tune", "16", "--name", "p", "--shard", "0/3"], out);
  assertEquals(second.code, 0, second.stderr);
  assertEquals(await exists(`${dir}/complete`), false);
  assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/results.json`)).length, 3);
  // A plain rerun computes the missing shard's cell and completes the sweep.
  const rest = await sweep([...args, "--tune", "16", "--name", "p"], out);
  assertEquals(rest.code, 0, rest.stderr);
  assert(rest.stdout.includes("1 cells computed, 3 reused"), rest.stdout);
  assert(await exists(`${dir}/complete`));
});
