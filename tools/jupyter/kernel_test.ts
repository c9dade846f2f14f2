/**
 * The notebooks as a person steps through them in JupyterLab: a real Deno kernel driven cell by
 * cell through jupyter_client (not nbconvert). Also: every notebook validates with nbformat.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { jupyterBin, NOTEBOOKS_DIR } from "./setup.ts";

const DRIVER = fileURLToPath(new URL("./_testing_kernel.py", import.meta.url));
/** The project's Jupyter environment's Python (`deno task setup` makes it). */
const PYTHON = jupyterBin("python");

interface Message {
  type: string;
  content: { data?: Record<string, string>; transient?: { display_id?: string } };
}

async function drive(cells: string[]): Promise<{ status: string; messages: Message[] }[]> {
  const child = new Deno.Command(PYTHON, {
    args: [DRIVER, NOTEBOOKS_DIR],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(cells)));
  await w.close();
  const r = await child.output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

function texts(messages: Message[]): string {
  return messages.map((m) => m.content.data?.["text/plain"] ?? "").join("\n");
}

Deno.test({
  name: "a kernel driven cell by cell shows live progress and retrains when the noise changes",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir();
    const settle = "\nawait new Promise((r) => setTimeout(r, 300));";
    const train = (noise: number) =>
      `const run${noise * 10} = await ensureRun({ ...base, noise: ${noise} }, { out, ` +
      `callbacks: [notebookProgress()] });${settle}`;
    const results = await drive([
      `import { ensureRun, notebookProgress, notebookSettings } from "../lib/mod.ts";\n` +
      `const out = ${JSON.stringify(out)};\n` +
      `const base = notebookSettings({ train: 64, test: 16, epochs: 2 }).config;`,
      train(0.5),
      train(0.3),
      train(0.5).replace("run5", "again5"),
    ]);
    assertEquals(results.map((r) => r.status), ["ok", "ok", "ok", "ok"]);
    for (const [i, noise] of [[1, "0.5"], [2, "0.3"]] as const) {
      const { messages } = results[i];
      const id = messages.find((m) => m.type === "display_data" && m.content.transient?.display_id)
        ?.content.transient?.display_id;
      assert(id?.startsWith("train-progress-"), JSON.stringify(messages.map((m) => m.type)));
      const updates = messages.filter((m) =>
        m.type === "update_display_data" && m.content.transient?.display_id === id
      );
      assert(updates.length >= 2, `${updates.length} updates of the progress display`);
      assert(texts(messages).includes(`gaussian${noise}-e2-n64-t16`), texts(messages));
      // Log lines are display data (folded <details>), not stderr streams.
      assert(
        !messages.some((m) =>
          m.type === "stream" && (m.content as { name?: string }).name === "stderr"
        ),
      );
    }
    const again = results[3].messages;
    assert(
      texts(again).includes('using the trained run "autoencoder-mnist-gaussian0.5-e2'),
      texts(again),
    );
    assert(!again.some((m) => m.type === "update_display_data"), "nothing retrained");
    await Deno.remove(out, { recursive: true });
  },
});

Deno.test("every notebook validates with nbformat", async () => {
  const files = [...Deno.readDirSync(NOTEBOOKS_DIR)].map((e) => join(NOTEBOOKS_DIR, e.name))
    .filter((f) => f.endsWith(".ipynb"));
  const r = await new Deno.Command(PYTHON, {
    args: [
      "-c",
      "import sys, nbformat\nfor f in sys.argv[1:]: nbformat.validate(nbformat.read(f, as_version=4))",
      ...files,
    ],
    stderr: "piped",
  }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  assert(files.length >= 7 && files.some((f) => f.endsWith(join("07_latent_space.ipynb"))));
});
