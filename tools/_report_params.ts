/**
 * Report parameters, papermill-style: the report writes its settings into the executed copy
 * of a notebook, as a new cell tagged `injected-parameters` right after the cell tagged
 * `parameters` (which holds `const params: NotebookParams = {};`). The injected cell runs
 * `Object.assign(params, {...})`, so the report's values replace the cell's defaults, and
 * the executed notebook shows exactly what it ran with. What the cell held is kept as
 * `params.typed`, which `notebookSettings` still validates: a bad value typed there fails
 * the notebook naming it, instead of being silently replaced.
 *
 * @module
 */

/** Tag of the cell whose `params` object the report fills. */
export const PARAMETERS_TAG = "parameters";
/** Tag of the cell the report inserts after it. */
export const INJECTED_TAG = "injected-parameters";

/** The parts of a notebook cell this module reads and writes. */
export interface ParamCell {
  cell_type: string;
  id?: string;
  metadata?: { tags?: string[]; [key: string]: unknown };
  source: string | string[];
  [key: string]: unknown;
}

/** A notebook, as far as this module is concerned. */
export interface ParamNotebook {
  cells: ParamCell[];
  [key: string]: unknown;
}

/** The source of the injected cell for `params` (JSON values, in key order). */
export function injectedSource(params: Record<string, unknown>): string {
  const body = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
    .join("\n");
  // `typed` keeps what the parameter cell held, so notebookSettings still checks it.
  return `// Parameters injected by deno task report.\n` +
    `Object.assign(params, { typed: { ...params } }, {\n${body}\n});`;
}

/**
 * A copy of `nb` with the injected-parameters cell after its `parameters` cell (replacing an
 * earlier injected cell), or `undefined` when no code cell is tagged `parameters`.
 */
export function injectParameters(
  nb: ParamNotebook,
  params: Record<string, unknown>,
): ParamNotebook | undefined {
  const cells = nb.cells.filter((c) => !c.metadata?.tags?.includes(INJECTED_TAG));
  const at = cells.findIndex((c) =>
    c.cell_type === "code" && (c.metadata?.tags ?? []).includes(PARAMETERS_TAG)
  );
  if (at < 0) return undefined;
  const injected: ParamCell = {
    cell_type: "code",
    id: "injected-parameters",
    metadata: { tags: [INJECTED_TAG] },
    source: injectedSource(params),
    execution_count: null,
    outputs: [],
  };
  return { ...nb, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}
