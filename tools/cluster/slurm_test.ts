/**
 * `tools/cluster/sweep.sbatch` on a real Slurm (Debian's slurm-wlm, one node on localhost,
 * started by the test as root): `sbatch --array=0-1 --wait` runs the two shards into one folder
 * with the same rows as an unsharded sweep; a failing array task shows in its log and its job
 * state, and a plain rerun completes the sweep.
 */
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { assertSameResults, csvRows, runScript } from "../_testing.ts";
import { type LocalSlurm, slurmSkipReason, withLocalSlurm } from "./_testing_slurm.ts";

const root = new URL("../..", import.meta.url).pathname;
const SBATCH = "tools/cluster/sweep.sbatch";
const SWEEP = `${root}tools/sweep.ts`;
// Four cells (noisy and median at 0.3 and 0.5): two per shard, no training.
const SIZES = ["--dataset", "mnist10k", "--train", "64", "--test", "16", "--tune", "16"];
const ARGS = ["--noise", "0.3,0.5", "--methods", "median", ...SIZES];
const CELLS = 4;

const SKIP = await slurmSkipReason();

interface Submitted {
  code: number;
  job: string;
  stderr: string;
}

/** `sbatch --wait` from the project folder; gives up (and kills sbatch) after 150 s. */
async function sbatch(slurm: LocalSlurm, args: string[], env = {}): Promise<Submitted> {
  const r = await new Deno.Command("sbatch", {
    args: ["--wait", ...args],
    cwd: root,
    env: { ...slurm.env, ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(150_000),
  }).output();
  const d = new TextDecoder();
  const job = /Submitted batch job (\d+)/.exec(d.decode(r.stdout))?.[1];
  assert(job, `sbatch printed no job id: ${d.decode(r.stdout)} ${d.decode(r.stderr)}`);
  return { code: r.code, job, stderr: d.decode(r.stderr) };
}

/** `scontrol show job ID -o` (one array task `JOB_K`, or a job) as its `Key=value` fields. */
async function jobFields(slurm: LocalSlurm, id: string): Promise<Record<string, string>> {
  const text = await slurm.command("scontrol", ["show", "job", id, "-o"]);
  const pairs = text.trim().split(/\s+/).map((kv) => kv.split(/=(.*)/s, 2));
  return Object.fromEntries(pairs);
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test({
  name: `sweep.sbatch runs on a real Slurm: an array job, a failed task and its rerun${
    SKIP ? ` (skipped: ${SKIP})` : ""
  }`,
  ignore: SKIP !== null,
  async fn() {
    const out = await Deno.makeTempDir();
    const reference = await runScript(SWEEP, ["--out", out, "--name", "ref", ...ARGS]);
    assertEquals(reference.code, 0, reference.stderr);
    const expected = `${out}/sweeps/ref/results.csv`;
    assertEquals((await csvRows(expected)).length, CELLS);
    const job = (name: string) => [SBATCH, "--out", out, "--name", name, ...ARGS];
    const t0 = Date.now();
    let pids: number[] = [];
    try {
      await withLocalSlurm(async (slurm) => {
        pids = slurm.pids;
        console.log(`${slurm.version}, node ${slurm.node}, daemons ${pids.join(" ")}`);
        const log = async (id: string) => {
          const path = (await jobFields(slurm, id)).StdOut;
          assert(path.startsWith(root), `${id} logs to ${path}, not the project folder`);
          return await Deno.readTextFile(path);
        };

        // Both tasks at once, one CPU each: --cpus-per-task sets the sweep's threads.
        const ok = await sbatch(slurm, ["-c", "1", "--array=0-1", ...job("a")]);
        assertEquals(ok.code, 0, ok.stderr);
        const okLogs = [await log(`${ok.job}_0`), await log(`${ok.job}_1`)];
        for (const [k, text] of okLogs.entries()) {
          assert(text.includes(`sweep "a" shard ${k}/2`), text);
          assert(text.includes("2 cells computed, 0 reused"), text);
          assertEquals((await jobFields(slurm, `${ok.job}_${k}`)).JobState, "COMPLETED");
        }
        await assertSameResults(`${out}/sweeps/a/results.csv`, expected);
        assert(await exists(`${out}/sweeps/a/complete`));
        // Exactly one task found every cell finished and wrote the marker.
        const partial = okLogs.filter((t) => t.includes("writes the complete marker when"));
        assertEquals(partial.length, 1, okLogs.join("\n"));

        // Task 1 gets a bad flag from a Deno wrapper (the script runs $DENO when set).
        const bin = await Deno.makeTempDir();
        const deno = `${bin}/deno`;
        await Deno.writeTextFile(
          deno,
          `#!/bin/sh\necho "THREADS=$THREADS"\n` +
            `[ "$SLURM_ARRAY_TASK_ID" = 1 ] && set -- "$@" --bogus\nexec "${Deno.execPath()}" "$@"\n`,
        );
        await Deno.chmod(deno, 0o755);
        const bad = await sbatch(slurm, ["-c", "1", "--array=0-1", ...job("f")], { DENO: deno });
        await Deno.remove(bin, { recursive: true });
        assertEquals(bad.code, 2, "sbatch --wait exits with the failed task's code");
        const [good, failed] = [await log(`${bad.job}_0`), await log(`${bad.job}_1`)];
        assert(good.includes("THREADS=1") && good.includes("2 cells computed"), good);
        assert(failed.includes("error: Unknown option '--bogus'"), failed);
        const [state0, state1] = [
          await jobFields(slurm, `${bad.job}_0`),
          await jobFields(slurm, `${bad.job}_1`),
        ];
        assertEquals([state0.JobState, state0.ExitCode], ["COMPLETED", "0:0"]);
        assertEquals([state1.JobState, state1.ExitCode], ["FAILED", "2:0"]);
        const queue = await slurm.command("squeue", [
          "-h",
          "-t",
          "all",
          "-j",
          bad.job,
          "-o",
          "%i %T",
        ]);
        assert(queue.includes(`${bad.job}_1 FAILED`), queue);
        assertEquals(await exists(`${out}/sweeps/f/complete`), false);

        // A plain rerun (one job, no --array, so no --shard) computes the failed task's cells.
        const rerun = await sbatch(slurm, job("f"));
        assertEquals(rerun.code, 0, rerun.stderr);
        const text = await log(rerun.job);
        assert(text.includes("2 cells computed, 2 reused"), text);
        assert(!text.includes("writes the complete marker when"), text);
        assert(await exists(`${out}/sweeps/f/complete`));
        await assertSameResults(`${out}/sweeps/f/results.csv`, expected);

        // One task resubmitted alone keeps its shard when given the array's size in SHARDS.
        const alone = await sbatch(slurm, ["-c", "1", "--array=1", ...job("r")], { SHARDS: "2" });
        assertEquals(alone.code, 0, alone.stderr);
        const one = await log(`${alone.job}_1`);
        assert(one.includes('sweep "r" shard 1/2') && one.includes("2 cells computed"), one);
        assertEquals(await exists(`${out}/sweeps/r/complete`), false);
      });
      // Every daemon the test started has stopped (withLocalSlurm also found no process naming
      // its folder, jobs included).
      assertEquals(pids.length, 3);
      for (const pid of pids) assertEquals(await exists(`/proc/${pid}`), false, `${pid} runs`);
    } finally {
      // The jobs' logs, in the project folder: Slurm's default names, written during the test.
      for (const e of Deno.readDirSync(root)) {
        if (!/^slurm-\d+(_\d+)?\.out$/.test(e.name)) continue;
        const made = Deno.statSync(`${root}${e.name}`).mtime?.getTime() ?? 0;
        if (made >= t0) Deno.removeSync(`${root}${e.name}`);
      }
      await Deno.remove(out, { recursive: true });
    }
  },
});
