import { assert, assertEquals, assertThrows } from "../lib/_assert.ts";
import { InputError } from "../lib/errors.ts";
import { type NotebookParams, notebookSettings } from "../lib/notebook.ts";
import { INJECTED_TAG, injectedSource, injectParameters } from "./_report_params.ts";

function nb(...cells: [string, string[]][]) {
  return {
    cells: cells.map(([source, tags], i) => ({
      cell_type: i === 0 ? "markdown" : "code",
      id: `c${i}`,
      metadata: { tags },
      source,
    })),
    nbformat: 4,
  };
}

Deno.test("injectParameters() inserts one tagged cell right after the parameters cell", () => {
  const src = nb(["# t", []], ["import x;", []], ["const params = {};", ["parameters"]], [
    "go(params)",
    [],
  ]);
  const out = injectParameters(src, { noise: 0.3, epochs: 5, skipped: undefined })!;
  assertEquals(out.cells.length, 5);
  const cell = out.cells[3];
  assertEquals(cell.metadata?.tags, [INJECTED_TAG]);
  assert(
    String(cell.source).includes('{ typed: { ...params } }, {\n  "noise": 0.3,\n  "epochs": 5,'),
  );
  assert(!String(cell.source).includes("skipped"));
  assertEquals(out.cells[4].source, "go(params)");
  assertEquals(src.cells.length, 4, "the input is not changed");
  // Injecting again replaces the earlier injected cell.
  const again = injectParameters(out, { noise: 0.7 })!;
  assertEquals(again.cells.length, 5);
  assert(String(again.cells[3].source).includes('"noise": 0.7'));
});

Deno.test("injectParameters() leaves notebooks without a parameters cell alone", () => {
  assertEquals(injectParameters(nb(["# t", []], ["x", ["other"]]), { noise: 1 }), undefined);
  // A markdown cell tagged parameters does not count.
  assertEquals(injectParameters(nb(["# t", ["parameters"]]), { noise: 1 }), undefined);
});

Deno.test("a bad value typed in the parameter cell is still refused after the injection replaces it", () => {
  const source = injectedSource({ noise: 0.3 });
  const run = (params: NotebookParams) => {
    new Function("params", source)(params);
    return params;
  };
  const bad = run({ noise: "abc" as unknown as number });
  assertEquals(bad.noise, 0.3);
  const e = assertThrows(() => notebookSettings(bad, {}), InputError);
  assert(e.message.startsWith("in the parameter cell: noise must be a number"), e.message);
  // A good typed value is replaced quietly, as the report asks.
  assertEquals(notebookSettings(run({ noise: 0.9 }), {}).config.noise, 0.3);
});
