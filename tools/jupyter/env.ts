/**
 * The project's own Jupyter: a Python virtual environment `.venv-jupyter/` at the repository
 * root (git-ignored) with the pins of `requirements.txt` from PyPI and the papermill plugin
 * `papermill_deno/`; it needs only a Python 3.9+ with `venv`. Every command and test runs
 * Jupyter from here ({@linkcode jupyterBin}), with the Deno kernelspec registered inside.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../lib/errors.ts";
import { pathExists, writeFileAtomic } from "../../lib/runs/atomic.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

const ENV_DIR = join(REPO, ".venv-jupyter");
export const REQUIREMENTS_FILE = join(REPO, "tools", "jupyter", "requirements.txt");
export const NOTEBOOKS_DIR = join(REPO, "notebooks");
const PAPERMILL_PLUGIN_DIR = join(REPO, "tools", "jupyter", "papermill_deno");
/** Jupyter's data folder inside the environment, where the Deno kernelspec goes. */
export const JUPYTER_ENV_DATA_DIR = join(ENV_DIR, "share", "jupyter");

/** The path of `name` (`jupyter`, `papermill`, `python`) in the environment. */
export function jupyterBin(name: string): string {
  return join(ENV_DIR, "bin", name);
}

/** Runs `cmd args` with its output shown; throws {@linkcode InputError} when it fails. */
export async function runChecked(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  const command = new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" });
  const r = await command.output().catch(() => undefined);
  if (!r?.success) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
}

/** The standard output of `cmd args`, or `undefined` when it fails or is not there. */
export async function output(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output()
    .catch(() => undefined);
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
