/**
 * The project's own Jupyter: a Python virtual environment in `.venv-jupyter/` at the
 * repository root (git-ignored) with the pinned Jupyter stack of `tools/jupyter_requirements.txt`
 * from PyPI (JupyterLab, nbconvert, nbclient, jupyter-client, papermill) and the papermill
 * plugin `tools/papermill_deno/`. No root, no system packages: it needs only a Python 3 with
 * `venv` (`python3` on PATH, else `/usr/bin/python3`).
 *
 * Every command and test that runs Jupyter runs this environment's executables
 * ({@linkcode jupyterBin}); the Deno kernelspec is registered inside it
 * (`.venv-jupyter/share/jupyter/kernels/deno`), which Jupyter in a virtual environment
 * prefers over the user's own kernelspecs.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../lib/errors.ts";
import { writeFileAtomic } from "../lib/runs/atomic.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** The environment's folder: `.venv-jupyter/` at the repository root. */
export const JUPYTER_ENV_DIR = join(REPO, ".venv-jupyter");
/** The pinned Jupyter stack. */
export const REQUIREMENTS_FILE = join(REPO, "tools", "jupyter_requirements.txt");
/** The papermill plugin for TypeScript parameters (a Python package). */
export const PAPERMILL_PLUGIN_DIR = join(REPO, "tools", "papermill_deno");
/** Jupyter's data folder inside the environment, where the Deno kernelspec goes. */
export const JUPYTER_ENV_DATA_DIR = join(JUPYTER_ENV_DIR, "share", "jupyter");

/** Written last by a complete install: what was installed, so a change reinstalls. */
const STAMP = ".installed";

/** The path of `name` (`jupyter`, `papermill`, `python`) in the environment `dir`. */
export function jupyterBin(name: string, dir: string = JUPYTER_ENV_DIR): string {
  return join(dir, "bin", name);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile; // follows the venv's python symlink
  } catch {
    return false;
  }
}

/** What the environment must hold: the requirements and the plugin's files, as one text. */
async function wanted(): Promise<string> {
  const parts = [await Deno.readTextFile(REQUIREMENTS_FILE)];
  for (const f of ["pyproject.toml", "papermill_deno.py"]) {
    parts.push(await Deno.readTextFile(join(PAPERMILL_PLUGIN_DIR, f)));
  }
  return parts.join("\n");
}

async function runChecked(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  let ok = false;
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).output();
    ok = r.success;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (!ok) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
}

async function findPython(): Promise<string> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const r = await new Deno.Command(python, {
        args: ["-c", "import venv, ensurepip, sys; assert sys.version_info >= (3, 9)"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (r.success) return python;
    } catch {
      // not installed: try the next one
    }
  }
  throw new InputError(
    "no Python 3.9+ with venv found for Jupyter; install Python 3 " +
      "(Debian/Ubuntu: apt-get install python3-venv)",
  );
}

/** Options of {@linkcode ensureJupyterEnv}. */
export interface JupyterEnvOptions {
  /** The environment's folder. @default {@linkcode JUPYTER_ENV_DIR} */
  dir?: string;
}

/**
 * Creates or updates the environment (see the module doc) unless it already holds what
 * `tools/jupyter_requirements.txt` and the plugin ask for, and returns its folder. An
 * environment whose Python is gone is made again.
 */
export async function ensureJupyterEnv(options: JupyterEnvOptions = {}): Promise<string> {
  const dir = options.dir ?? JUPYTER_ENV_DIR;
  const want = await wanted();
  const python = jupyterBin("python", dir);
  const stamp = join(dir, STAMP);
  const have = await Deno.readTextFile(stamp).catch(() => undefined);
  const intact = await isFile(python) && await isFile(jupyterBin("papermill", dir));
  if (have === want && intact) return dir;
  if (!(await isFile(python))) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    console.error(`setup: creating the Jupyter environment ${dir} (Python packages from PyPI)`);
    await runChecked(await findPython(), ["-m", "venv", dir]);
  }
  await Deno.remove(stamp).catch(() => {});
  await runChecked(python, [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    "-r",
    REQUIREMENTS_FILE,
    PAPERMILL_PLUGIN_DIR,
  ]);
  await writeFileAtomic(stamp, want);
  return dir;
}
