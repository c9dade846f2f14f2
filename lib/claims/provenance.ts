/**
 * Where each setting comes from: docs/model.md's provenance table (the one place for its words),
 * one row per setting with what the report states, what the project uses and the source of the
 * project's value. lib/claims/provenance_test.ts checks every "project uses" cell against the
 * live defaults (`DEFAULT_CONFIG`, the network `buildAutoencoder` builds, the optimizer's and the
 * schedule's defaults).
 *
 * @module
 */

/** One setting of the provenance table, each cell as docs/model.md writes it, unescaped. */
export interface ProvenanceRow {
  setting: string;
  /** What the report says, quoted briefly, or "not stated". */
  report: string;
  /** The value the project uses at the defaults. */
  project: string;
  /** Where the project's value came from. */
  source: string;
}

/** The provenance table of docs/model.md, one row per setting; throws if its markers are gone. */
export function provenanceRows(): ProvenanceRow[] {
  const docs = Deno.readTextFileSync(new URL("../../docs/model.md", import.meta.url));
  const start = docs.indexOf("<!-- provenance:start -->");
  const end = docs.indexOf("<!-- provenance:end -->");
  if (start < 0 || end < start) throw new Error("docs/model.md lacks its provenance markers");
  return docs.slice(start, end).split("\n").filter((l) => l.startsWith("|")).slice(2).map((l) => {
    const [setting, report, project, source] = l.slice(1, -1).split(/(?<!\\)\|/)
      .map((c) => c.trim().replaceAll("\\|", "|"));
    return { setting, report, project, source };
  });
}
