/**
 * `deno task setup [--for report|test]`: makes sure what the notebooks and tests need is
 * installed: Jupyter from PyPI in the project's own virtual environment (`.venv-jupyter/`,
 * see `_jupyter_env.ts`; no root needed), the Deno kernelspec inside it, and for tests also
 * headless Chromium and Fashion-MNIST (Debian packages: installed with apt-get as root;
 * otherwise setup prints the exact command and exits 2).
 *
 * The kernelspec points at a Deno that setup owns, `~/.local/share/denoising-notebooks/
 * deno-VERSION/deno` (a hard link to, or copy of, the Deno running setup), not into npx's
 * cache, so clearing that cache or npx picking another folder does not break the notebooks.
 * A kernelspec whose binary is gone is repaired.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../lib/runs/atomic.ts";
import { InputError } from "../lib/errors.ts";
import { runMain } from "./_main.ts";
import { ensureJupyterEnv, JUPYTER_ENV_DATA_DIR } from "./_jupyter_env.ts";

/** Debian packages the tests need besides Jupyter (which comes from PyPI). */
export const DEBIAN_PACKAGES = {
  report: [],
  test: ["chromium", "dataset-fashion-mnist"],
} as const;

async function output(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return r.success ? new TextDecoder().decode(r.stdout) : undefined;
  } catch {
    return undefined;
  }
}

async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of packages) {
    const s = await output("dpkg-query", ["-W", "-f=${Status}", p]);
    if (!s?.includes("install ok installed")) missing.push(p);
  }
  return missing;
}

async function run(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  const r = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).output();
  if (!r.success) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
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
    await run("apt-get", ["update", "-q"]);
    await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing]);
  }
  await ensureJupyterEnv();
  await ensureKernelspec();
}

/** Options of {@linkcode ensureKernelspec}. */
export interface KernelspecOptions {
  /** Home folder holding the stable Deno. @default $HOME */
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

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Makes the `deno` kernelspec run a stable Deno (see the module doc): places it when missing,
 * and rewrites `kernels/deno/kernel.json` when its binary is not that one or is gone.
 * Returns the kernelspec's binary.
 */
export async function ensureKernelspec(options: KernelspecOptions = {}): Promise<string> {
  const home = options.home ?? Deno.env.get("HOME") ?? "/root";
  const dataDir = options.jupyterDataDir ?? JUPYTER_ENV_DATA_DIR;
  const source = await Deno.realPath(options.deno ?? Deno.execPath());
  const stable = stableDenoPath(home);
  if (!(await isFile(stable))) {
    await Deno.mkdir(dirname(stable), { recursive: true });
    const tmp = `${stable}.${Deno.pid}.tmp`;
    await Deno.remove(tmp).catch(() => {});
    // A hard link survives the npx cache being cleared; across file systems, copy.
    await Deno.link(source, tmp).catch(() => Deno.copyFile(source, tmp));
    await Deno.chmod(tmp, 0o755);
    await Deno.rename(tmp, stable);
  }
  const specPath = join(dataDir, "kernels", "deno", "kernel.json");
  let argv0: string | undefined;
  try {
    argv0 = JSON.parse(await Deno.readTextFile(specPath)).argv?.[0];
  } catch {
    argv0 = undefined;
  }
  if (argv0 !== stable || !(await isFile(argv0))) {
    const spec = {
      argv: [stable, "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
      interrupt_mode: "signal",
      env: {},
      metadata: {},
    };
    await Deno.mkdir(dirname(specPath), { recursive: true });
    await writeFileAtomic(specPath, JSON.stringify(spec, null, 2) + "\n");
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
