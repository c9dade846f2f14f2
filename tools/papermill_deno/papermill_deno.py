"""Papermill parameters for notebooks on the Deno kernel (TypeScript).

The notebooks' cell tagged `parameters` declares `const params: NotebookParams = {};`.
Papermill inserts the cell this translator writes right after it:

    // Parameters
    Object.assign(params, {
      "noise": 0.3,
      "epochs": 1,
    });

so the values given with `papermill -p NAME VALUE` replace the cell's defaults and the
notebook validates them once, in its next cell (`notebookSettings(params)` in lib/).
Values are written as JSON: numbers, strings, booleans, null, lists and objects.
"""
import json

from papermill.engines import NBClientEngine
from papermill.translators import Translator, papermill_translators


class TypeScriptTranslator(Translator):
    """Writes papermill's parameters as `Object.assign(params, {...})`."""

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        body = "".join(
            f"  {json.dumps(str(k))}: {json.dumps(v)},\n" for k, v in parameters.items()
        )
        return f"{cls.comment(comment)}\nObject.assign(params, {{\n{body}}});\n"

    @classmethod
    def inspect(cls, parameters_cell):
        # The parameters cell holds a typed object, not one assignment per name.
        return []


class DenoEngine(NBClientEngine):
    """Papermill's nbclient engine, under the name `deno` (see pyproject.toml)."""


papermill_translators.register("deno", TypeScriptTranslator)
papermill_translators.register("typescript", TypeScriptTranslator)
