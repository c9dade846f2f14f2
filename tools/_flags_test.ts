import { assert, assertEquals, assertThrows } from "../lib/_testing_assert.ts";
import { DEFAULT_CONFIG } from "../lib/runs/config.ts";
import { InputError } from "../lib/errors.ts";
import { benchHelp, parseBenchArgs } from "./bench.ts";
import { experimentHelp, parseExperimentArgs } from "./experiment.ts";
import { flagsOf, perCoreSetting, readSettings } from "./_flags.ts";
import { FLAGS } from "./_flag_table.ts";
import { parseReportArgs, reportHelp } from "./report.ts";
import { parseSweepArgs, sweepHelp } from "./sweep.ts";
import { runScript } from "./_testing.ts";

Deno.test("parseExperimentArgs() reads every flag", () => {
  const cmd = parseExperimentArgs([
    "--noise=0.3",
    "--epochs",
    "2",
    "--train",
    "512",
    "--test",
    "128",
    "--batch",
    "64",
    "--latent",
    "8",
    "--seed",
    "4",
    "--dataset",
    "fashion",
    "--backend",
    "cpu",
    "--out",
    "/tmp/o",
    "--name",
    "smoke",
    "--dropout",
    "0",
    "--lr-schedule",
    "false",
    "--force",
  ]);
  assertEquals(cmd.config, {
    ...DEFAULT_CONFIG,
    noise: 0.3,
    epochs: 2,
    train: 512,
    test: 128,
    batch: 64,
    latent: 8,
    seed: 4,
    dataset: "fashion",
    backend: "cpu",
    dropout: 0,
    lrSchedule: false,
  });
  assertEquals([cmd.name, cmd.out, cmd.force, cmd.resume], ["smoke", "/tmp/o", true, false]);
});

Deno.test("parseExperimentArgs() rejects bad input with one line", async (t) => {
  const cases: [string[], string][] = [
    [["--bogus"], "Unknown option '--bogus'"],
    [["--epochs", "x"], "epochs must be a number"],
    [["--epochs", "0"], "epochs must be a whole number ≥ 1"],
    [["--batch", "0"], "batch must be a whole number ≥ 1"],
    [["--latent", "0"], "latent must be a whole number ≥ 1"],
    [["--noise", "-1"], "noise must be ≥ 0"],
    [["--noise", "NaN"], "noise must be a number"],
    [["--backend", "gpu"], "backend must be one of"],
    [["--noise-type", "pink"], "noise-type must be one of"],
    [["--name", "../x"], "run name"],
    [["stray"], "Unexpected argument"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => {
      const e = assertThrows(() => parseExperimentArgs(args), InputError, message);
      assertEquals(e.message.includes("\n"), false);
    });
  }
});

Deno.test("experimentHelp() documents every flag with its default", () => {
  const help = experimentHelp();
  for (
    const flag of [
      "noise",
      "epochs",
      "train",
      "test",
      "batch",
      "latent",
      "seed",
      "dataset",
      "backend",
      "out",
      "name",
      "help",
      "resume",
      "force",
    ]
  ) {
    const line = help.split("\n").find((l) => l.trimStart().startsWith(`--${flag} `));
    if (!line) throw new Error(`--${flag} is not documented`);
    if (!["help", "force", "resume"].includes(flag) && !line.includes("default")) {
      throw new Error(`--${flag} has no default: ${line}`);
    }
  }
});

Deno.test("every command's --help lists exactly its flags from the one table", () => {
  const helps = {
    experiment: experimentHelp(),
    sweep: sweepHelp(),
    report: reportHelp(),
    bench: benchHelp(),
  };
  for (const [command, help] of Object.entries(helps)) {
    const listed = help.split("\n").filter((l) => l.startsWith("  --"))
      .map((l) => l.trim().split(/\s/)[0].slice(2));
    const table = flagsOf(command as keyof typeof helps).map((f) => f.flag);
    assertEquals(listed, table, command);
  }
});

/** The docs' parameter table: one row per flag, with its commands, variable and default. */
function flagTableMarkdown(): string {
  const rows = [
    "| flag | variable | default | commands | meaning |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const spec of FLAGS) {
    if (spec.flag === "help") continue;
    const d = spec.default === null ? "" : `\`${spec.default}\``;
    const env = spec.env ? `\`${spec.env}\`` : "";
    rows.push(
      `| \`--${spec.flag}\` | ${env} | ${d} | ${spec.commands.join(", ")} | ${spec.help} |`,
    );
  }
  return rows.join("\n");
}

/** Table rows as trimmed cells, separator rows dropped: `deno fmt` realigns the columns. */
function cells(markdown: string): string[][] {
  return markdown.split("\n").filter((l) => l.startsWith("|") && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) => l.slice(1, -1).split("|").map((c) => c.trim()));
}

Deno.test("docs/commands.md's parameter table is the flag table", async () => {
  const readme = await Deno.readTextFile(new URL("../docs/commands.md", import.meta.url));
  const start = readme.indexOf("<!-- flags:start -->");
  const end = readme.indexOf("<!-- flags:end -->");
  assert(start >= 0 && end > start, "docs file lacks the flags:start/end markers");
  assertEquals(
    cells(readme.slice(start, end)),
    cells(flagTableMarkdown()),
    "docs'  parameter table differs from the flag table: paste flagTableMarkdown()",
  );
});

Deno.test("every flag belongs to a command, and none says another's job twice", () => {
  for (const f of FLAGS) assert(f.commands.length > 0, f.flag);
  for (const gone of ["no-dropout", "no-lr-schedule"]) assert(!FLAGS.some((f) => f.flag === gone));
  assertEquals(parseExperimentArgs(["--lr-schedule", "false"]).config.lrSchedule, false);
});

Deno.test("only tools/_flags.ts reads the environment", async () => {
  const root = new URL("../", import.meta.url);
  const readers: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}${e.name}`;
      if (e.isDirectory) await walk(`${path}/`);
      else if (/\.(ts|js)$/.test(e.name) && !/(_test\.ts|_testing\.ts)$|\/_test/.test(path)) {
        const text = await Deno.readTextFile(new URL(path, root));
        if (/\bDeno\.env\b|\bprocess\.env\b/.test(text)) readers.push(path);
      }
    }
  };
  await walk("lib/");
  await walk("tools/");
  assertEquals(readers, ["tools/_flags.ts"]);
});

Deno.test("a variable's error names the variable; a flag's names the flag", () => {
  assertThrows(() => parseReportArgs([], { NOISE_FACTOR: "x" }), InputError, "NOISE_FACTOR");
  assertThrows(() => parseReportArgs([], { SEED: "-1" }), InputError, "SEED must be");
  assertThrows(() => parseReportArgs(["--noise", "x"], {}), InputError, "noise must be a number");
});

Deno.test("a flag replaces its variable before validation: EPOCHS=0 with --epochs 1 works", () => {
  assertEquals(parseReportArgs(["--epochs", "1"], { EPOCHS: "0" }).config.epochs, 1);
  assertEquals(readSettings("report", ["--seed", "2"], { SEED: "x" }).values.seed, 2);
});

Deno.test("--noise 0x10 is refused, not read as 16", () => {
  assertThrows(() => parseExperimentArgs(["--noise", "0x10"]), InputError, "decimal");
  assertThrows(() => parseSweepArgs(["--noise", "0x10"]), InputError, "decimal");
});

Deno.test("--seed 4294967296 is refused, not wrapped to seed 0", () => {
  const e = assertThrows(() => parseExperimentArgs(["--seed", "4294967296"]), InputError);
  assert(e.message.startsWith("seed must be at most 4294967295"), e.message);
  assertEquals(parseExperimentArgs(["--seed", "4294967295"]).config.seed, 4294967295);
});

Deno.test("--noise 1e21 is a number-range error, not a run-name error", () => {
  const e = assertThrows(() => parseExperimentArgs(["--noise", "1e21"]), InputError);
  assert(e.message.startsWith("noise must be at most 10"), e.message);
});

Deno.test("every config field has one flag and one variable in the table", () => {
  for (const key of Object.keys(DEFAULT_CONFIG)) {
    const specs = FLAGS.filter((f) => f.key === key);
    assertEquals(specs.length, 1, key);
    if (key !== "model") assert(specs[0].env, `${key} has no variable`);
  }
});

Deno.test("parseBenchArgs() reads the table; bench errors are one line with error: and exit 2", async () => {
  const options = parseBenchArgs(["--backend", "cpu", "--batch-sizes", "8,16", "--seed", "4"]);
  assertEquals([options.backends, options.batchSizes, options.seed], [["cpu"], [8, 16], 4]);
  assertThrows(() => parseBenchArgs(["--backend", "gpu"]), InputError, "backend");
  const bench = new URL("./bench.ts", import.meta.url).pathname;
  const bad = await runScript(bench, ["--batch-sizes", "0"]);
  assertEquals(bad.code, 2);
  const lines = bad.stderr.trim().split("\n");
  assertEquals(lines.length, 1, bad.stderr);
  assert(lines[0].startsWith("error: batch-sizes must be a whole number ≥ 1"), lines[0]);
  assertEquals(parseBenchArgs(["--batches", "3"]).batches, 3);
  // The bench's cpu and prediction counts and --child are its own, not the user-facing table's.
  for (const flag of ["cpu-batches", "predict-batches", "child"]) {
    assert(!FLAGS.some((f) => f.flag === flag), flag);
  }
});

Deno.test("--threads and THREADS: flag over variable over every core, strict numbers, every command", () => {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  assertEquals(
    perCoreSetting(readSettings("experiment", ["--threads", "3"], { THREADS: "2" }), "threads"),
    3,
  );
  assertEquals(perCoreSetting(readSettings("sweep", [], { THREADS: "2" }), "threads"), 2);
  assertEquals(perCoreSetting(readSettings("bench", [], {}), "threads"), cores);
  assertEquals(parseReportArgs(["--threads", "2"], {}).threads, 2);
  assertEquals(parseReportArgs([], { THREADS: "5" }).threads, 5);
  assertEquals(parseReportArgs([], {}).threads, undefined);
  assertEquals(parseBenchArgs(["--threads", "3"], {}).threads, 3);
  assertEquals(parseExperimentArgs(["--threads", "3"]).threads, 3);
  assertEquals(parseSweepArgs(["--threads", "4"]).threads, 4);
  // Past the cap, 4 threads per core: `--threads 512` once ran the process to 8.6 GB.
  for (const bad of ["0", "abc", "1.5", "-2", "0x10", "512", String(4 * cores + 1)]) {
    assertThrows(() => readSettings("sweep", ["--threads", bad]), InputError, "threads");
    assertThrows(
      () => perCoreSetting(readSettings("sweep", [], { THREADS: bad }), "threads"),
      InputError,
      "THREADS",
    );
  }
  // Speed only: the thread count is not part of a run's config (or identity).
  assert(!("threads" in parseExperimentArgs(["--threads", "3"]).config));
});
