/**
 * `deno task setup [--for report|test]`: makes sure what the notebooks and tests need is
 * installed: Jupyter's nbconvert (Debian packages), the Deno Jupyter kernelspec, and for
 * tests also headless Chromium and Fashion-MNIST. On Debian as root it installs what is
 * missing with apt-get; elsewhere it prints the exact command and exits 2.
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

/** Debian packages per purpose. */
export const DEBIAN_PACKAGES = {
  report: ["jupyter-nbconvert", "python3-nbclient", "jupyter-client"],
  test: [
    "jupyter-nbconvert",
    "python3-nbclient",
    "jupyter-client",
    "chromium",
    "dataset-fashion-mnist",
  ],
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
  if ((await output("jupyter", ["nbconvert", "--version"])) === undefined) {
    throw new InputError(
      "jupyter nbconvert not found; on Debian/Ubuntu: apt-get install jupyter-nbconvert " +
        "python3-nbclient jupyter-client (or pip install nbconvert nbclient)",
    );
  }
  await ensureKernelspec();
}

/** Options of {@linkcode ensureKernelspec}. */
export interface KernelspecOptions {
  /** Home folder holding the stable Deno. @default $HOME */
  home?: string;
  /** Jupyter's data folder. @default $JUPYTER_DATA_DIR, else ~/.local/share/jupyter */
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
  const dataDir = options.jupyterDataDir ?? Deno.env.get("JUPYTER_DATA_DIR") ??
    join(home, ".local", "share", "jupyter");
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
