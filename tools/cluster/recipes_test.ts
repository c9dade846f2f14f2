/**
 * The cluster recipes (a Slurm job array and a Kubernetes indexed Job) still match the sweep
 * command: its `--shard` flag as the flag table spells it, the Deno version of the README's
 * commands, and a Slurm array task that really runs its shard.
 */
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { FLAGS } from "../_flag_table.ts";

const dir = new URL(".", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;
const SBATCH = `${dir}sweep.sbatch`;
const JOB = `${dir}sweep-job.yaml`;

function shardFlag(): string {
  const spec = FLAGS.find((f) => f.key === "shard");
  assert(spec && spec.commands.includes("sweep"), "the flag table has no sweep shard flag");
  return `--${spec.flag}`;
}

/** The `npx --yes deno@X` version of the README's two commands. */
async function readmeDeno(): Promise<string> {
  const readme = await Deno.readTextFile(`${root}README.md`);
  const m = /npx --yes deno@(\d+\.\d+\.\d+) task report/.exec(readme);
  assert(m, "README.md lacks `npx --yes deno@X task report`");
  return m[1];
}

Deno.test("the sbatch script and the Job manifest call `task sweep` with the shard flag", async () => {
  const flag = shardFlag();
  const version = await readmeDeno();
  for (const file of [SBATCH, JOB]) {
    const text = await Deno.readTextFile(file);
    assert(text.includes(`npx --yes deno@${version} task sweep`), `${file}: deno@${version}`);
    assert(new RegExp(`${flag} "\\$\\{`).test(text), `${file} lacks ${flag} "\${...}"`);
  }
  const sbatch = await Deno.readTextFile(SBATCH);
  assert(
    sbatch.includes(`${flag} "\${SLURM_ARRAY_TASK_ID}/\${SHARDS:-\${SLURM_ARRAY_TASK_COUNT}}"`),
  );
  const job = await Deno.readTextFile(JOB);
  assert(/^\s*completionMode: Indexed$/m.test(job), "the Job is not Indexed");
  assert(job.includes(`${flag} "\${JOB_COMPLETION_INDEX}/\${SHARDS}"`));
  assert(/accessModes: \[ReadWriteMany\]/.test(job), "the volume is not ReadWriteMany");
  assert(/mountPath: \/outputs$/m.test(job) && job.includes("--out /outputs"));
  // N of --shard K/N is SHARDS: it must equal the Job's completions.
  const completions = /^\s*completions: (\d+)$/m.exec(job)?.[1];
  const shards = /name: SHARDS\n\s*value: "(\d+)"/.exec(job)?.[1];
  assert(completions !== undefined && completions === shards, `${completions} ≠ ${shards}`);
  assertEquals((await new Deno.Command("bash", { args: ["-n", SBATCH] }).output()).code, 0);
});

Deno.test("a Slurm array task of sweep.sbatch runs its shard into the shared folder", async () => {
  const version = await readmeDeno();
  // `npx --yes deno@X` started as this very Deno (same version): no download in the test.
  assertEquals(Deno.version.deno, version);
  const bin = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${bin}/npx`,
    `#!/bin/sh\n[ "$1" = --yes ] && [ "$2" = deno@${version} ] || exit 97\nshift 2\n` +
      `exec "${Deno.execPath()}" "$@"\n`,
  );
  await Deno.chmod(`${bin}/npx`, 0o755);
  const out = await Deno.makeTempDir();
  const args = ["--out", out, "--name", "c", "--noise", "0.5", "--methods", "median"];
  const sizes = ["--dataset", "mnist10k", "--train", "64", "--test", "16", "--tune", "16"];
  const r = await new Deno.Command("bash", {
    args: [SBATCH, ...args, ...sizes],
    env: {
      PATH: `${bin}:${Deno.env.get("PATH")}`,
      NO_COLOR: "1",
      SLURM_SUBMIT_DIR: root,
      SLURM_ARRAY_TASK_ID: "1",
      SLURM_ARRAY_TASK_COUNT: "2",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  assertEquals(r.code, 0, d.decode(r.stderr));
  // Cells: noisy at 0.5 (shard 0), median at 0.5 (shard 1).
  const rows = JSON.parse(await Deno.readTextFile(`${out}/sweeps/c/results.json`));
  assertEquals(rows.map((x: { method: string }) => x.method), ["median"]);
  assert(d.decode(r.stdout).includes("shard 1/2 is done"));
});

Deno.test("sweep.sbatch submitted outside the project folder stops with one line and exit 2", async () => {
  const elsewhere = await Deno.makeTempDir();
  const r = await new Deno.Command("bash", {
    args: [SBATCH, "--name", "x"],
    env: { SLURM_SUBMIT_DIR: elsewhere, SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "2" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 2, stderr);
  assertEquals(stderr.trim().split("\n").length, 1, stderr);
  assert(stderr.startsWith(`error: run sbatch from the project folder (${elsewhere} `), stderr);
  await Deno.remove(elsewhere);
});
