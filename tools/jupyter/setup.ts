/**
 * `deno task setup [--for report|test]`: makes sure what the notebooks and tests need is
 * installed: Jupyter from PyPI in the project's own virtual environment (`.venv-jupyter/`,
 * see `env.ts`; no root needed), the Deno kernelspec inside it, and for tests also
 * headless Chromium and Fashion-MNIST (Debian packages: installed with apt-get as root;
 * otherwise setup prints the exact command and exits 2).
 *
 * The kernelspec points at a Deno that setup owns, `~/.local/share/denoising-notebooks/
 * deno-VERSION/deno` (a hard link to, or copy of, the Deno running setup), not into npx's
 * cache, so clearing that cache or npx picking another folder does not break the notebooks.
 * A kernelspec whose binary is gone or wrong, or whose `argv` is bad, is repaired; a user's
 * own `env` and extra arguments in it are kept.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { dirname, join } from "node:path";
import { homedir } from "node:os";
import { writeFileAtomic } from "../../lib/runs/atomic.ts";
import { InputError } from "../../lib/errors.ts";
import { runMain } from "../_main.ts";
import { ensureJupyterEnv, JUPYTER_ENV_DATA_DIR, runChecked } from "./env.ts";

/** Debian packages the tests need besides Jupyter (which comes from PyPI). */
const DEBIAN_PACKAGES = {
  report: [],
  test: ["chromium", "dataset-fashion-mnist"],
} as const;

async function output(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output()
    .catch(() => undefined);
  return r?.success ? new TextDecoder().decode(r.stdout) : undefined;
}

async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of packages) {
    const s = await output("dpkg-query", ["-W", "-f=${Status}", p]);
    if (!s?.includes("install ok installed")) missing.push(p);
  }
  return missing;
}

/** Installs what `purpose` needs (see the module doc). */
export async function ensurePrerequisites(purpose: "report" | "test"): Promise<void> {
  const hasApt = (await output("apt-get", ["--version"])) !== undefined;
  const missing = hasApt ? await missingPackages(DEBIAN_PACKAGES[purpose]) : [];
  if (missing.length > 0) {
    const install = `apt-get update && apt-get install -y --no-install-recommends ${
      missing.join(" ")
    }`;
    if (Deno.uid() !== 0) {
      throw new InputError(`missing Debian packages; run: sudo sh -c '${install}'`);
    }
    await runChecked("apt-get", ["update", "-q"]);
    await runChecked("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing]);
  }
  await ensureJupyterEnv();
  await ensureKernelspec();
}

/** Options of {@linkcode ensureKernelspec}. */
export interface KernelspecOptions {
  /** Home folder holding the stable Deno. @default the user's */
  home?: string;
  /** Jupyter's data folder. @default the project's environment's, `.venv-jupyter/share/jupyter` */
  jupyterDataDir?: string;
  /** The Deno to install. @default Deno.execPath() */
  deno?: string;
}

/** Where setup keeps its own Deno for the kernel, under `home`. */
export function stableDenoPath(home: string, version = Deno.version.deno): string {
  return join(home, ".local", "share", "denoising-notebooks", `deno-${version}`, "deno");
}

/** Whether `copy` is a file with the bytes of `source` (a hard link to it, or a copy). */
async function sameFile(source: string, copy: string): Promise<boolean> {
  const [a, b] = await Promise.all([Deno.stat(source), Deno.stat(copy).catch(() => undefined)]);
  if (!b?.isFile || a.size !== b.size) return false;
  if (a.ino !== null && a.dev === b.dev && a.ino === b.ino) return true;
  const [x, y] = await Promise.all([Deno.readFile(source), Deno.readFile(copy)]);
  return Buffer.compare(x, y) === 0;
}

/** The kernel's arguments after the binary; `{connection_file}` is Jupyter's placeholder. */
const KERNEL_ARGS = ["jupyter", "--kernel", "--conn", "{connection_file}"];

/**
 * Makes the `deno` kernelspec run a stable Deno (see the module doc): places that Deno when it
 * is missing or another file stands at its path, and rewrites `kernels/deno/kernel.json`'s
 * `argv` when it does not run that Deno with {@linkcode KERNEL_ARGS}. Everything else of an
 * existing kernelspec (its `env`, extra arguments, display name) is kept. Returns the binary.
 */
export async function ensureKernelspec(options: KernelspecOptions = {}): Promise<string> {
  const home = options.home ?? homedir();
  const dataDir = options.jupyterDataDir ?? JUPYTER_ENV_DATA_DIR;
  const source = await Deno.realPath(options.deno ?? Deno.execPath());
  const stable = stableDenoPath(home);
  if (!(await sameFile(source, stable))) {
    await Deno.mkdir(dirname(stable), { recursive: true });
    const tmp = `${stable}.${Deno.pid}.tmp`;
    await Deno.remove(tmp).catch(() => {});
    // A hard link survives the npx cache being cleared; across file systems, copy.
    await Deno.link(source, tmp).catch(() => Deno.copyFile(source, tmp));
    await Deno.chmod(tmp, 0o755);
    await Deno.rename(tmp, stable);
  }
  const specPath = join(dataDir, "kernels", "deno", "kernel.json");
  let spec: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(await Deno.readTextFile(specPath));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) spec = parsed;
  } catch {
    // Missing or not JSON: written afresh.
  }
  const argv = Array.isArray(spec.argv) ? spec.argv.map(String) : [];
  // The user's own arguments stay; the binary, the required ones and a stale --conn value go.
  const extra = argv.slice(1).filter((a, i) => !KERNEL_ARGS.includes(a) && argv[i] !== "--conn");
  const wanted = [stable, ...KERNEL_ARGS, ...extra];
  if (JSON.stringify(spec.argv) !== JSON.stringify(wanted)) {
    const fresh = { display_name: "Deno", language: "typescript", interrupt_mode: "signal" };
    const written = { ...fresh, env: {}, metadata: {}, ...spec, argv: wanted };
    await Deno.mkdir(dirname(specPath), { recursive: true });
    await writeFileAtomic(specPath, JSON.stringify(written, null, 2) + "\n");
    console.error(`setup: the deno kernelspec now runs ${stable}`);
  }
  return stable;
}

if (import.meta.main) {
  await runMain(async () => {
    const i = Deno.args.indexOf("--for");
    const purpose = i >= 0 ? Deno.args[i + 1] : "report";
    if (purpose !== "report" && purpose !== "test") {
      throw new InputError(`--for must be report or test, got "${purpose}"`);
    }
    await ensurePrerequisites(purpose);
    return 0;
  });
}
