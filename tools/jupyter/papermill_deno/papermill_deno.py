"""Papermill parameters for notebooks on the Deno kernel (TypeScript).

The cell this translator writes after the one tagged `parameters` (`const params = {...}`)
assigns the values as JSON to `params`, which the notebook validates (`notebookSettings`).
The engine, papermill's default, starts a Deno kernel in the notebook's folder (so
`../lib/mod.ts` resolves as in JupyterLab) unless `--cwd` moved papermill elsewhere.
"""
import json
import os

from papermill.engines import NBClientEngine, papermill_engines
from papermill.translators import Translator, papermill_translators

# Papermill loads this module as it starts, before any `--cwd` takes effect.
_STARTED_IN = os.getcwd()


class TypeScriptTranslator(Translator):
    """Writes papermill's parameters as `Object.assign(params, {...})`."""

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        body = "".join(f"  {json.dumps(str(k))}: {json.dumps(v)},\n" for k, v in parameters.items())
        # `typed` keeps what the parameter cell held, so notebookSettings still checks it:
        # a bad value typed there fails the notebook instead of being silently replaced.
        return (
            f"// {comment}\n"
            f"Object.assign(params, {{ typed: {{ ...params }} }}, {{\n{body}}});\n"
        )

    @classmethod
    def inspect(cls, parameters_cell):
        return []  # the parameters cell holds a typed object, not one assignment per name


class DenoEngine(NBClientEngine):
    """Papermill's nbclient engine; a Deno kernel starts in the notebook's folder."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        source = nb_man.nb.metadata.get("papermill", {}).get("input_path")
        local = isinstance(source, str) and "://" not in source
        moved = "resources" in kwargs or os.getcwd() != _STARTED_IN
        if kernel_name == "deno" and local and not moved:
            folder = os.path.dirname(os.path.abspath(source))
            kwargs["resources"] = {"metadata": {"path": folder}}
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(None, DenoEngine)
papermill_translators.register("deno", TypeScriptTranslator)
papermill_translators.register("typescript", TypeScriptTranslator)
