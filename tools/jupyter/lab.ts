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

if (import.meta.main) {
  await runMain(async () => {
    await ensurePrerequisites("report");
    const child = new Deno.Command(jupyterBin("jupyter"), {
      // As root, JupyterLab asks for --allow-root.
      args: [
        "lab",
        `--ServerApp.root_dir=${NOTEBOOKS_DIR}`,
        ...(Deno.uid() === 0 ? ["--allow-root"] : []),
        ...Deno.args,
      ],
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    // The terminal's Ctrl-C reaches JupyterLab too; it decides, this process waits for it.
    Deno.addSignalListener("SIGINT", () => {});
    return (await child.status).code;
  });
}
