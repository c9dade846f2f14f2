import { measureNative, type NativeInfo, newerTorch, newestTorch } from "./_bench_native.ts";
import { parseBenchArgs, withTorchRatios } from "./bench.ts";
import { runScript } from "./_testing.ts";
import { multiplyAdds, opLines } from "./_bench_profile.ts";

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
  const options = parseBenchArgs(["--threads", "3", "--batch-sizes", "32,128", "--native"]);
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
  const missing = await measureNative(parseBenchArgs([]), ["/nonexistent/python3"]);
  if (missing.lines.length !== 1 || missing.anchor.length + missing.other.length !== 0) {
    throw new Error(JSON.stringify(missing));
  }
});

Deno.test("ratios compare each row with PyTorch's best row of its batch size, and none without it", () => {
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
  const rows = withTorchRatios(
    [row("wasm", 128, 2, 1000, 4000), row("cpu", 128, 1, 10, 40)],
    [row("pytorch", 128, 1, 500, 1000), row("pytorch", 128, 2, 250, 2000)],
  );
  const wasm = rows[0];
  if (wasm.train_vs_pytorch !== 2 || wasm.predict_vs_pytorch !== 2) {
    throw new Error(JSON.stringify(wasm));
  }
  const alone = withTorchRatios([row("wasm", 128, 2, 1000, 4000)], [])[0];
  if ("train_vs_pytorch" in alone) throw new Error(JSON.stringify(alone));
});

/** A fake interpreter: `--info` prints `info`, a benchmark run prints one row. */
async function fakePython(dir: string, name: string, info: Partial<NativeInfo>): Promise<string> {
  const path = `${dir}/${name}`;
  const full = { python: path, blas_info: "BLAS_INFO=x", blas_libraries: [], ...info };
  const row = {
    backend: "pytorch",
    active: `pytorch ${info.torch}`,
    threads: 1,
    batch_size: 32,
    train_images_per_second: 100,
    predict_images_per_second: 400,
    peak_rss_mb: 1,
  };
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nif [ "$2" = "--info" ]; then echo '${JSON.stringify(full)}'; ` +
      `else echo '${JSON.stringify(row)}'; fi\n`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

Deno.test("--native measures with the newest PyTorch among the interpreters", async () => {
  const dir = await Deno.makeTempDir();
  const old = await fakePython(dir, "old", { torch: "1.13.0a0", reference: false });
  const nu = await fakePython(dir, "new", { torch: "2.13.0+cpu", reference: false });
  const info = await newestTorch([old, "/nonexistent/python3", nu, old]);
  if (info?.python !== nu || !newerTorch("2.10.0", "2.9.1") || newerTorch("1.13.0", "1.13.0")) {
    throw new Error(JSON.stringify(info));
  }
  const measured = await measureNative(parseBenchArgs(["--batch-sizes", "32"]), [old, nu]);
  if (measured.anchor[0]?.active !== "pytorch 2.13.0+cpu") {
    throw new Error(JSON.stringify(measured));
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a reference BLAS gets no ratio, only one line on how to install OpenBLAS", async () => {
  const dir = await Deno.makeTempDir();
  const python = await fakePython(dir, "ref", { torch: "1.13.0a0", reference: true });
  const checked = await measureNative(parseBenchArgs([]), [python]);
  const refusals = checked.lines.filter((l) => l.includes("libopenblas0-pthread"));
  if (checked.anchor.length !== 0 || checked.other.length === 0 || refusals.length !== 1) {
    throw new Error(JSON.stringify(checked));
  }
  const good = await fakePython(dir, "good", { torch: "1.13.0a0", reference: false });
  const fair = await measureNative(parseBenchArgs([]), [good]);
  if (fair.anchor.length === 0 || !fair.lines[0].includes("PyTorch 1.13.0a0")) {
    throw new Error(JSON.stringify(fair));
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("multiplyAdds() counts each convolution's and matrix product's multiply-adds", () => {
  // Backprop-input and -filter of a convolution do the forward convolution's work.
  const x = [2, 14, 14, 32], w = [3, 3, 32, 64], dy = [2, 7, 7, 64];
  const forward = multiplyAdds("Conv2D", [x, w], [dy]);
  if (forward !== 2 * 7 * 7 * 64 * 9 * 32) throw new Error(String(forward));
  if (multiplyAdds("Conv2DBackpropInput", [dy, w], [x]) !== forward) throw new Error("input");
  if (multiplyAdds("Conv2DBackpropFilter", [x, dy], [w]) !== forward) throw new Error("filter");
  if (
    multiplyAdds("BatchMatMul", [[1, 32, 3136], [1, 3136, 16]], [[1, 32, 16]]) !== 32 * 16 * 3136
  ) {
    throw new Error("matmul");
  }
  if (multiplyAdds("Relu", [x], [x]) !== 0) throw new Error("relu");
});

Deno.test("opLines() prints each kernel's time, share, and GFLOP/s, and the rest", () => {
  const lines = opLines({
    active: "wasm",
    batch_size: 32,
    threads: 2,
    step_ms: 20,
    ops: [
      { op: "Conv2D", calls: 5, ms: 10, share: 0.8, gflops: 30 },
      { op: "Add", calls: 60, ms: 2.5, share: 0.2, gflops: null },
      { op: "Tiny", calls: 1, ms: 0, share: 0.001, gflops: null },
    ],
  });
  if (
    lines.length !== 4 || !lines[0].includes("20 ms a step") || !lines[1].includes("30 GFLOP/s")
  ) {
    throw new Error(lines.join("\n"));
  }
  // 20 ms a step, 12.5 ms of it in kernels.
  if (!/outside kernels\s+7\.50 ms$/.test(lines[3])) throw new Error(lines[3]);
});
