/**
 * `deno task bench --native`: the same model in PyTorch (`tools/bench_native.py`) with the
 * newest PyTorch found, never compared against netlib's reference BLAS.
 *
 * @module
 */
import type { BenchOptions, BenchResult } from "./bench.ts";

/** Interpreters tried for `--native` (outputs/venv, PATH, Debian's); the newest PyTorch wins. */
const PYTHONS: readonly string[] = [
  new URL("../outputs/venv/bin/python3", import.meta.url).pathname,
  "python3",
  "/usr/bin/python3",
];

/** Which PyTorch and BLAS an interpreter has (`tools/bench_native.py --info`). */
export interface NativeInfo {
  /** PyTorch's version, e.g. `2.13.0+cpu`. */
  torch: string;
  python: string;
  /** `BLAS_INFO=…` from `torch.__config__.show()`, and the BLAS libraries loaded. */
  blas_info: string;
  blas_libraries: string[];
  /** Whether that BLAS is netlib's reference BLAS: no fair anchor. */
  reference: boolean;
}

/** Whether PyTorch version `a` is newer than `b` (`2.13.0+cpu` compares as 2.13.0, 13 > 9). */
export function newerTorch(a: string, b: string): boolean {
  const release = (v: string) => v.split(/[+a-z]/i)[0];
  return release(a).localeCompare(release(b), "en", { numeric: true }) > 0;
}

const SCRIPT = new URL("./bench_native.py", import.meta.url).pathname;

/** `python args`' exit, its last stdout line (`line`) and stderr line; null if it cannot start. */
async function pythonOutput(python: string, args: string[]) {
  const last = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim().split("\n").at(-1);
  try {
    const r = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
    return { ...r, line: last(r.stdout) ?? "", error: last(r.stderr) };
  } catch {
    return null;
  }
}

/** The interpreter among `pythons` with the newest PyTorch; undefined when none has one. */
export async function newestTorch(pythons: readonly string[]): Promise<NativeInfo | undefined> {
  let best: NativeInfo | undefined;
  for (const python of pythons) {
    const output = await pythonOutput(python, [SCRIPT, "--info"]);
    if (!output?.success) continue;
    // Run the rows with this very interpreter (a wrapper script may set up its environment).
    const info = { ...JSON.parse(output.line), python } as NativeInfo;
    if (best === undefined || newerTorch(info.torch, best.torch)) best = info;
  }
  return best;
}

/**
 * PyTorch's rows at 1 and `threads` threads per batch size: those to compare with (`anchor`;
 * none against a reference BLAS), those printed without ratios (`other`), lines for stderr.
 */
export async function measureNative(
  options: BenchOptions,
  pythons: readonly string[] = PYTHONS,
): Promise<{ anchor: BenchResult[]; other: BenchResult[]; lines: string[] }> {
  const none = (why: string) => ({ anchor: [], other: [], lines: [`warning: native: ${why}`] });
  const info = await newestTorch(pythons);
  if (info === undefined) {
    return none(
      "no python3 with PyTorch found; install Debian's python3-torch and " +
        "libopenblas0-pthread, or torch in outputs/venv; skipped",
    );
  }
  const threads = [...new Set([1, options.threads])];
  const counts = ["--batches", String(options.batches), "--seed", String(options.seed)];
  const rows: BenchResult[] = [];
  // One process per row, as the project's rows: its peak memory is its own.
  for (const batch of options.batchSizes) {
    for (const n of threads) {
      const output = await pythonOutput(info.python, [SCRIPT, "--one", `${batch},${n}`, ...counts]);
      if (!output?.success) {
        return none(`PyTorch benchmark failed (exit ${output?.code}): ${output?.error}`);
      }
      rows.push(JSON.parse(output.line));
    }
  }
  const libraries = info.blas_libraries.join(", ") || "linked into PyTorch";
  const lines = [
    `native: PyTorch ${info.torch} (${info.python}), ${info.blas_info}, BLAS library ` +
    `${libraries}, threads ${threads.join(",")}`,
  ];
  if (!info.reference) return { anchor: rows, other: [], lines };
  lines.push(
    `warning: native: PyTorch ${info.torch} uses netlib's reference BLAS, no fair anchor: no ` +
      "ratio printed; install OpenBLAS (apt-get install libopenblas0-pthread) or a PyTorch " +
      "wheel in a venv (python3 -m venv outputs/venv && outputs/venv/bin/pip install torch " +
      "--index-url https://download.pytorch.org/whl/cpu)",
  );
  return { anchor: [], other: rows, lines };
}
