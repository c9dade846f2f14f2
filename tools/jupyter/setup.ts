/**
 * `deno task setup [--for report|test]`: installs what the notebooks and tests need: the
 * project's own Jupyter, a Python virtual environment `.venv-jupyter/` at the repository root
 * (git-ignored; it needs only a Python 3.9+ with `venv`) with the pins of `requirements.txt`
 * from PyPI and the papermill plugin `papermill_deno/`; the Deno kernelspec inside it; and for
 * tests headless Chromium and Fashion-MNIST (Debian packages, with apt-get as root; otherwise
 * setup prints the command and exits 2). Every command and test runs Jupyter from that
 * environment ({@linkcode jupyterBin}).
 *
 * The kernelspec runs setup's own Deno (a hard link to, or copy of, the one running setup, in
 * `~/.local/share/denoising-notebooks/`), which survives npx's cache being cleared.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { dirname, join } from "node:path";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { pathExists, writeFileAtomic } from "../../lib/runs/atomic.ts";
import { InputError } from "../../lib/errors.ts";
import { runMain } from "../_main.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

const ENV_DIR = join(REPO, ".venv-jupyter");
export const REQUIREMENTS_FILE = join(REPO, "tools", "jupyter", "requirements.txt");
export const NOTEBOOKS_DIR = join(REPO, "notebooks");
const PAPERMILL_PLUGIN_DIR = join(REPO, "tools", "jupyter", "papermill_deno");
/** Jupyter's data folder inside the environment, where the Deno kernelspec goes. */
const JUPYTER_ENV_DATA_DIR = join(ENV_DIR, "share", "jupyter");

/** The path of `name` (`jupyter`, `papermill`, `python`) in the environment. */
export function jupyterBin(name: string): string {
  return join(ENV_DIR, "bin", name);
}

/** Runs `cmd args` with its output shown; throws {@linkcode InputError} when it fails. */
async function runChecked(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  const r = await tryOutput(new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }));
  if (!r?.success) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
}

/** `command`'s result, or `undefined` when it is not there (Deno throws NotFound at once). */
async function tryOutput(command: Deno.Command): Promise<Deno.CommandOutput | undefined> {
  try {
    return await command.output();
  } catch {
    return undefined;
  }
}

/** The standard output of `cmd args`, or `undefined` when it fails or is not there. */
export async function output(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await tryOutput(new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }));
  return r?.success ? new TextDecoder().decode(r.stdout) : undefined;
}

async function findPython(): Promise<string> {
  const args = ["-c", "import venv, ensurepip, sys; assert sys.version_info >= (3, 9)"];
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (await output(python, args) !== undefined) return python;
  }
  throw new InputError(
    "no Python 3.9+ with venv found for Jupyter; install Python 3 " +
      "(Debian/Ubuntu: apt-get install python3-venv)",
  );
}

/**
 * Creates or updates the environment unless it holds what the requirements and the plugin ask
 * for (their text, stamped into `.installed` last); one whose Python is gone is made again.
 */
export async function ensureJupyterEnv(): Promise<void> {
  const plugin = ["pyproject.toml", "papermill_deno.py"].map((f) => join(PAPERMILL_PLUGIN_DIR, f));
  const texts = [REQUIREMENTS_FILE, ...plugin].map((f) => Deno.readTextFile(f));
  const want = (await Promise.all(texts)).join("\n");
  const python = jupyterBin("python");
  const stamp = join(ENV_DIR, ".installed");
  const have = await Deno.readTextFile(stamp).catch(() => undefined);
  const hasPython = await pathExists(python);
  if (have === want && hasPython && await pathExists(jupyterBin("papermill"))) return;
  if (!hasPython) {
    await Deno.remove(ENV_DIR, { recursive: true }).catch(() => {});
    console.error(`setup: creating the Jupyter environment ${ENV_DIR} (Python packages from PyPI)`);
    await runChecked(await findPython(), ["-m", "venv", ENV_DIR]);
  }
  await Deno.remove(stamp).catch(() => {});
  const pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"];
  await runChecked(python, [...pip, "-r", REQUIREMENTS_FILE, PAPERMILL_PLUGIN_DIR]);
  await writeFileAtomic(stamp, want);
}

/** Debian packages the tests need besides Jupyter (which comes from PyPI). */
const TEST_PACKAGES = ["chromium", "dataset-fashion-mnist"];

/** Installs what `purpose` needs (see the module doc). */
export async function ensurePrerequisites(purpose: "report" | "test"): Promise<void> {
  const missing: string[] = [];
  if (purpose === "test" && await output("apt-get", ["--version"]) !== undefined) {
    for (const p of TEST_PACKAGES) {
      const status = await output("dpkg-query", ["-W", "-f=${Status}", p]);
      if (!status?.includes("install ok installed")) missing.push(p);
    }
  }
  if (missing.length > 0) {
    const install = ["install", "-y", "-q", "--no-install-recommends", ...missing];
    if (Deno.uid() !== 0) {
      const run = `apt-get update && apt-get ${install.join(" ")}`;
      throw new InputError(`missing Debian packages; run: sudo sh -c '${run}'`);
    }
    await runChecked("apt-get", ["update", "-q"]);
    await runChecked("apt-get", install);
  }
  await ensureJupyterEnv();
  await ensureKernelspec();
}

/** Where setup keeps its own Deno for the kernel, under `home`. */
export function stableDenoPath(home: string): string {
  return join(home, ".local", "share", "denoising-notebooks", `deno-${Deno.version.deno}`, "deno");
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
 * Makes the `deno` kernelspec run the stable Deno with {@linkcode KERNEL_ARGS}, placing that
 * Deno and rewriting `argv` as needed (see the module doc). Returns the binary. Options
 * default to the user's home, `.venv-jupyter/share/jupyter` and the Deno running this.
 */
export async function ensureKernelspec(
  options: { home?: string; jupyterDataDir?: string; deno?: string } = {},
): Promise<string> {
  const source = await Deno.realPath(options.deno ?? Deno.execPath());
  const stable = stableDenoPath(options.home ?? homedir());
  if (!(await sameFile(source, stable))) {
    await Deno.mkdir(dirname(stable), { recursive: true });
    const tmp = `${stable}.${Deno.pid}.tmp`;
    await Deno.remove(tmp).catch(() => {});
    // A hard link survives the npx cache being cleared; across file systems, copy.
    await Deno.link(source, tmp).catch(() => Deno.copyFile(source, tmp));
    await Deno.chmod(tmp, 0o755);
    await Deno.rename(tmp, stable);
  }
  const dataDir = options.jupyterDataDir ?? JUPYTER_ENV_DATA_DIR;
  const specPath = join(dataDir, "kernels", "deno", "kernel.json");
  // Missing, not JSON or not an object: written afresh.
  const parsed = await Deno.readTextFile(specPath).then(JSON.parse).catch(() => undefined);
  const spec: Record<string, unknown> = parsed?.constructor === Object ? parsed : {};
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
