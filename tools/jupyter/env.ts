/**
 * The project's own Jupyter: a Python virtual environment in `.venv-jupyter/` at the
 * repository root (git-ignored) with the pinned stack of `tools/jupyter/requirements.txt`
 * from PyPI (JupyterLab, nbconvert, nbclient, jupyter-client, papermill) and the papermill
 * plugin `tools/jupyter/papermill_deno/`. It needs only a Python 3.9+ with `venv`, no root.
 * Every command and test runs Jupyter from here ({@linkcode jupyterBin}); the Deno kernelspec
 * is registered inside it, which Jupyter in a virtual environment prefers over the user's own.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../lib/errors.ts";
import { writeFileAtomic } from "../../lib/runs/atomic.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** The environment's folder: `.venv-jupyter/` at the repository root. */
export const JUPYTER_ENV_DIR = join(REPO, ".venv-jupyter");
/** The pinned Jupyter stack. */
export const REQUIREMENTS_FILE = join(REPO, "tools", "jupyter", "requirements.txt");
/** The notebooks folder of this repository. */
export const NOTEBOOKS_DIR = join(REPO, "notebooks");
/** The papermill plugin for TypeScript parameters (a Python package). */
const PAPERMILL_PLUGIN_DIR = join(REPO, "tools", "jupyter", "papermill_deno");
/** Jupyter's data folder inside the environment, where the Deno kernelspec goes. */
export const JUPYTER_ENV_DATA_DIR = join(JUPYTER_ENV_DIR, "share", "jupyter");

/** The path of `name` (`jupyter`, `papermill`, `python`) in the environment `dir`. */
export function jupyterBin(name: string, dir: string = JUPYTER_ENV_DIR): string {
  return join(dir, "bin", name);
}

/** Whether `path` is a file (following links, as the venv's python is one). */
async function isFile(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => undefined))?.isFile ?? false;
}

/** Runs `cmd args` with its output shown; throws {@linkcode InputError} when it fails. */
export async function runChecked(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  const command = new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" });
  const r = await command.output().catch((e) => {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  });
  if (!r?.success) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
}

async function findPython(): Promise<string> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const check = "import venv, ensurepip, sys; assert sys.version_info >= (3, 9)";
    const r = await new Deno.Command(python, {
      args: ["-c", check],
      stdout: "null",
      stderr: "null",
    })
      .output().catch(() => undefined);
    if (r?.success) return python;
  }
  throw new InputError(
    "no Python 3.9+ with venv found for Jupyter; install Python 3 " +
      "(Debian/Ubuntu: apt-get install python3-venv)",
  );
}

/**
 * Creates or updates the environment `dir` unless it already holds what the requirements and
 * the plugin ask for (their text is stamped into `dir/.installed` last), and returns `dir`.
 * An environment whose Python is gone is made again.
 */
export async function ensureJupyterEnv(dir: string = JUPYTER_ENV_DIR): Promise<string> {
  const want = [
    await Deno.readTextFile(REQUIREMENTS_FILE),
    ...await Promise.all(
      ["pyproject.toml", "papermill_deno.py"].map((f) =>
        Deno.readTextFile(join(PAPERMILL_PLUGIN_DIR, f))
      ),
    ),
  ].join("\n");
  const python = jupyterBin("python", dir);
  const stamp = join(dir, ".installed");
  const have = await Deno.readTextFile(stamp).catch(() => undefined);
  if (have === want && await isFile(python) && await isFile(jupyterBin("papermill", dir))) {
    return dir;
  }
  if (!(await isFile(python))) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    console.error(`setup: creating the Jupyter environment ${dir} (Python packages from PyPI)`);
    await runChecked(await findPython(), ["-m", "venv", dir]);
  }
  await Deno.remove(stamp).catch(() => {});
  const pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"];
  await runChecked(python, [...pip, "-r", REQUIREMENTS_FILE, PAPERMILL_PLUGIN_DIR]);
  await writeFileAtomic(stamp, want);
  return dir;
}
