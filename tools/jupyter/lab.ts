/**
 * `deno task lab [JUPYTER LAB FLAGS]`: JupyterLab from the project's Jupyter environment
 * (`setup.ts`) on `notebooks/`, with the Deno kernel; flags go to `jupyter lab` (e.g.
 * `--port 8890 --no-browser`). Ctrl-C is JupyterLab's own: it asks before it stops.
 *
 * @module
 */
import { runMain } from "../_main.ts";
import { ensurePrerequisites, jupyterBin, NOTEBOOKS_DIR } from "./setup.ts";

if (import.meta.main) {
  await runMain(async () => {
    await ensurePrerequisites("report");
    // As root, JupyterLab asks for --allow-root.
    const root = Deno.uid() === 0 ? ["--allow-root"] : [];
    const args = ["lab", `--ServerApp.root_dir=${NOTEBOOKS_DIR}`, ...root, ...Deno.args];
    const child = new Deno.Command(jupyterBin("jupyter"), { args }).spawn();
    // The terminal's Ctrl-C reaches JupyterLab too; it decides, this process waits for it.
    Deno.addSignalListener("SIGINT", () => {});
    return (await child.status).code;
  });
}
