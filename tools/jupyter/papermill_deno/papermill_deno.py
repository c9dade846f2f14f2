"""Papermill parameters for notebooks on the Deno kernel (TypeScript).

The notebooks' cell tagged `parameters` declares `const params: NotebookParams = {};`.
Papermill inserts the cell this translator writes right after it:

    // Parameters
    Object.assign(params, { typed: { ...params } }, {
      "noise": 0.3,
      "epochs": 1,
    });

so the values given with `papermill -p NAME VALUE` replace the cell's defaults and the
notebook validates them once, in its next cell (`notebookSettings(params)` in lib/).
Values are written as JSON: numbers, strings, booleans, null, lists and objects.

The notebooks import `../lib/mod.ts`, relative to the kernel's working folder, which
JupyterLab sets to the notebook's own folder. Papermill starts the kernel where it was
started; so this plugin's engine, which it makes papermill's default, starts a Deno kernel
in the notebook's folder unless `--cwd` moved papermill elsewhere. Other kernels run as
with papermill's own default engine.
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
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        body = "".join(
            f"  {json.dumps(str(k))}: {json.dumps(v)},\n" for k, v in parameters.items()
        )
        # `typed` keeps what the parameter cell held, so notebookSettings still checks it:
        # a bad value typed there fails the notebook instead of being silently replaced.
        return (
            f"{cls.comment(comment)}\n"
            f"Object.assign(params, {{ typed: {{ ...params }} }}, {{\n{body}}});\n"
        )

    @classmethod
    def inspect(cls, parameters_cell):
        # The parameters cell holds a typed object, not one assignment per name.
        return []


class DenoEngine(NBClientEngine):
    """Papermill's nbclient engine; a Deno kernel starts in the notebook's folder."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        source = nb_man.nb.metadata.get("papermill", {}).get("input_path")
        local = isinstance(source, str) and "://" not in source
        if kernel_name == "deno" and local and "resources" not in kwargs:
            if os.getcwd() == _STARTED_IN:
                folder = os.path.dirname(os.path.abspath(source))
                kwargs["resources"] = {"metadata": {"path": folder}}
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(None, DenoEngine)
papermill_translators.register("deno", TypeScriptTranslator)
papermill_translators.register("typescript", TypeScriptTranslator)
