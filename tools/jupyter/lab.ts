/**
 * `deno task lab [JUPYTER LAB FLAGS]`: JupyterLab from the project's Jupyter environment
 * (made on first use, see `env.ts`) on the `notebooks/` folder, with the Deno
 * kernel. Extra flags go to `jupyter lab` (e.g. `--port 8890 --no-browser`). Ctrl-C is
 * JupyterLab's own: it asks before it shuts the server down.
 *
 * @module
 */
import { jupyterBin, NOTEBOOKS_DIR } from "./env.ts";
import { runMain } from "../_main.ts";
import { ensurePrerequisites } from "./setup.ts";

/** The `jupyter lab` arguments of `deno task lab ARGS` (as root, `--allow-root` too). */
export function labArgs(args: string[], root = Deno.uid() === 0): string[] {
  return [
    "lab",
    `--ServerApp.root_dir=${NOTEBOOKS_DIR}`,
    ...(root ? ["--allow-root"] : []),
    ...args,
  ];
}

if (import.meta.main) {
  await runMain(async () => {
    await ensurePrerequisites("report");
    const child = new Deno.Command(jupyterBin("jupyter"), {
      args: labArgs(Deno.args),
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    // The terminal's Ctrl-C reaches JupyterLab too; it decides, this process waits for it.
    Deno.addSignalListener("SIGINT", () => {});
    return (await child.status).code;
  });
}
