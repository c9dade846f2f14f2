import { measureNative, parseBenchArgs, withCpuRatios } from "./bench.ts";
import { runScript } from "./_testing.ts";

const BENCH = new URL("./bench.ts", import.meta.url).pathname;
const EXPERIMENT = new URL("./experiment.ts", import.meta.url).pathname;
const SWEEP = new URL("./sweep.ts", import.meta.url).pathname;
const REPORT = new URL("./report.ts", import.meta.url).pathname;

Deno.test("every command refuses --threads 0 and abc in one line with exit 2", async () => {
  for (const script of [BENCH, EXPERIMENT, SWEEP, REPORT]) {
    for (const bad of ["0", "abc"]) {
      const r = await runScript(script, ["--threads", bad]);
      const lines = r.stderr.trim().split("\n");
      if (r.code !== 2 || lines.length !== 1 || !lines[0].startsWith("error: threads ")) {
        throw new Error(`${script} --threads ${bad}: exit ${r.code}, stderr ${r.stderr}`);
      }
    }
  }
});

Deno.test("bench rejects a malformed THREADS in one line with exit 2", async () => {
  const r = await runScript(BENCH, [], { env: { NO_COLOR: "1", THREADS: "abc" } });
  if (r.code !== 2 || r.stderr.trim().split("\n").length !== 1 || !r.stderr.includes("THREADS")) {
    throw new Error(`exit ${r.code}, stderr ${r.stderr}`);
  }
});

Deno.test("bench's flags: threads, batch sizes and --native are parsed", () => {
  const { options } = parseBenchArgs(["--threads", "3", "--batch-sizes", "32,128", "--native"]);
  if (options.threads !== 3 || String(options.batchSizes) !== "32,128" || !options.native) {
    throw new Error(JSON.stringify(options));
  }
});

Deno.test("--backend webgpu without a GPU ends in one line and exit 2, in bench and experiment", async () => {
  for (const [script, args] of [[BENCH, ["--batches", "1"]], [EXPERIMENT, []]] as const) {
    const r = await runScript(script, ["--backend", "webgpu", ...args]);
    const lines = r.stderr.trim().split("\n").filter((l) => l.includes("webgpu"));
    if (r.code !== 2 || lines.length !== 1 || r.stderr.includes("    at ")) {
      throw new Error(`${script}: exit ${r.code}, stderr ${r.stderr}`);
    }
  }
});

Deno.test("--native without PyTorch is one line, not a failure", async () => {
  const missing = await measureNative(parseBenchArgs([]).options, ["/nonexistent/python3"]);
  if (typeof missing !== "string" || missing.includes("\n")) throw new Error(String(missing));
});

Deno.test("ratios compare each row with cpu and with PyTorch's best row of its batch size", () => {
  const row = (
    backend: string,
    batch: number,
    threads: number,
    train: number,
    predict: number,
  ) => ({
    backend,
    active: backend,
    threads,
    batch_size: batch,
    train_images_per_second: train,
    predict_images_per_second: predict,
    peak_rss_mb: null,
  });
  const rows = withCpuRatios(
    [row("wasm", 128, 2, 1000, 4000), row("cpu", 128, 1, 10, 40)],
    [row("pytorch", 128, 1, 500, 1000), row("pytorch", 128, 2, 250, 2000)],
  );
  const wasm = rows[0];
  if (wasm.train_vs_cpu !== 100 || wasm.train_vs_pytorch !== 2 || wasm.predict_vs_pytorch !== 2) {
    throw new Error(JSON.stringify(wasm));
  }
});
