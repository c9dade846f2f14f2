/**
 * Papermill runs the notebooks: the plugin `tools/jupyter/papermill_deno/` translates `-p NAME VALUE`
 * into the notebook's `params`, and bad values fail in the cell that validates them with the
 * project's one-line message. Uses the project's Jupyter environment (`deno task setup`).
 */
import { join } from "node:path";
import { assert, assertEquals, assertThrows } from "../../lib/_testing_assert.ts";
import { defaultRunName } from "../../lib/runs/config.ts";
import { type NotebookParams, notebookSettings } from "../../lib/notebook.ts";
import { InputError } from "../../lib/errors.ts";
import { jupyterBin, NOTEBOOKS_DIR } from "./setup.ts";

const TINY = { train: 256, test: 64, epochs: 1 };

interface Output {
  output_type: string;
  ename?: string;
  evalue?: string;
  data?: Record<string, string | string[]>;
}

interface Cell {
  cell_type: string;
  metadata: { tags?: string[] };
  source: string | string[];
  outputs?: Output[];
}

/**
 * Runs `papermill notebooks/NOTEBOOK OUT -p …` from the repository root, as the README's
 * reader would (no `--cwd`: the plugin starts the kernel in the notebook's folder), with
 * only PATH and HOME from this environment.
 */
async function papermill(notebook: string, params: [string, string][]) {
  const dir = await Deno.makeTempDir();
  const target = join(dir, "out.ipynb");
  const r = await new Deno.Command(jupyterBin("papermill"), {
    args: [
      join("notebooks", notebook),
      target,
      ...["--no-progress-bar", "--log-level", "ERROR"],
      ...params.flatMap(([k, v]) => ["-p", k, v]),
    ],
    cwd: join(NOTEBOOKS_DIR, ".."),
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const cells = JSON.parse(await Deno.readTextFile(target)).cells as Cell[];
  await Deno.remove(dir, { recursive: true });
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr), cells };
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert(e instanceof InputError, String(e));
    return e.message;
  }
  throw new Error("no error");
}

const plain = (c: Cell) =>
  (c.outputs ?? []).map((o) => [o.data?.["text/plain"] ?? ""].flat().join("")).join("\n");

/** The cell papermill's registered TypeScript translator writes for `values`. */
async function translate(values: Record<string, unknown>): Promise<string> {
  const r = await new Deno.Command(jupyterBin("python"), {
    args: [
      "-c",
      "import json, sys\nfrom papermill.translators import translate_parameters\n" +
      "print(translate_parameters('deno', 'typescript', json.loads(sys.argv[1])))",
      JSON.stringify(values),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout);
}

Deno.test("the TypeScript translator writes papermill's values into params, as JSON", async () => {
  const values = { noise: 0.3, epochs: 2, name: 'a "b"\n\\c', ok: true, none: null, l: [1, "x"] };
  const code = await translate(values);
  assert(code.includes("Object.assign(params, { typed: { ...params } }, {"), code);
  const params: Record<string, unknown> = { noise: 0.5, kept: 1 };
  new Function("params", code)(params);
  assertEquals(params, { ...values, kept: 1, typed: { noise: 0.5, kept: 1 } });
});

Deno.test("a bad value typed in the parameter cell is still refused after papermill replaces it", async () => {
  const code = await translate({ noise: 0.3 });
  const run = (params: NotebookParams) => {
    new Function("params", code)(params);
    return params;
  };
  const bad = run({ noise: "abc" as unknown as number });
  assertEquals(bad.noise, 0.3);
  const e = assertThrows(() => notebookSettings(bad), InputError);
  assert(e.message.startsWith("in the parameter cell: noise must be a number"), e.message);
  // A good typed value is replaced quietly, as papermill asks.
  assertEquals(notebookSettings(run({ noise: 0.9 })).config.noise, 0.3);
});

Deno.test({
  name: "papermill -p noise 0.3 trains notebook 3 at f = 0.3 on a tiny profile",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir();
    const r = await papermill("03_training.ipynb", [
      ["noise", "0.3"],
      ...Object.entries(TINY).map(([k, v]) => [k, String(v)] as [string, string]),
      ["out", out],
    ]);
    assertEquals(r.code, 0, r.stderr);
    const at = r.cells.findIndex((c) => c.metadata.tags?.includes("parameters"));
    assertEquals(r.cells[at + 1].metadata.tags, ["injected-parameters"]);
    const name = defaultRunName(notebookSettings({ ...TINY, noise: 0.3 }).config);
    assert(name.includes("gaussian0.3"), name);
    const text = r.cells.map(plain).join("\n");
    assert(text.includes(name), text.slice(0, 2000));
    assert((await Deno.stat(join(out, "runs", name, "metrics.json"))).isFile);
    await Deno.remove(out, { recursive: true });
  },
});

Deno.test("papermill with a bad parameter fails in the validating cell with one line naming it", async () => {
  for (const [key, value, typed] of [["noise", "abc", "abc"], ["epochs", "0", 0]] as const) {
    // The message the notebook's own validation gives for the value papermill passes.
    const expected = messageOf(() => notebookSettings({ [key]: typed }));
    assert(expected.startsWith(`${key} `), expected);
    const r = await papermill("01_data_and_noise.ipynb", [[key, value]]);
    assert(r.code !== 0, `papermill -p ${key} ${value} succeeded`);
    const errors = r.cells.flatMap((c) =>
      (c.outputs ?? []).filter((o) => o.output_type === "error")
    );
    assertEquals(errors.map((o) => `${o.ename}: ${o.evalue}`), [`InputError: ${expected}`]);
  }
});
