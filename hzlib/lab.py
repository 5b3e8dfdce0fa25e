"""JupyterLab on the project: saving a project notebook keeps it what ``make test`` compares.

The project's Jupyter settings are in ``jupyter_config.py`` at the project top (the file
every Jupyter application reads under that name: JupyterLab, ``jupyter server``,
``jupyter nbconvert``). Jupyter does not look in the working folder, so ``make`` links
it into the virtual environment (``.venv/etc/jupyter/jupyter_config.py``,
:func:`install_config`), where every Jupyter program of the environment reads it.

It installs :func:`pre_save_hook`. When JupyterLab saves a notebook of the project's
``notebooks/`` folder (:class:`HzLab` ``notebook_dirs``), the hook removes the state that
only lives while a kernel runs, and nothing a user wrote (:func:`clean_notebook`):

- widget state (``metadata.widgets``): the sliders of ``05_whatif`` exist only in a kernel;
- live widget views (``application/vnd.jupyter.widget-view+json`` outputs): replaced by the
  static output the same cell shows without a front end, when the display carried one
  (:func:`static_fallback`), else by their plain-text form, else removed;
- execution timing and papermill metadata of cells; execution counts are renumbered
  1, 2, … in cell order, as a run of the whole notebook writes them;
- the kernelspec: always :data:`KERNELSPEC`, the environment's kernel as JupyterLab writes it.

Cell sources, markdown, tags and every other output are kept as they are. Notebooks
elsewhere are saved untouched.

>>> nb = {"metadata": {"widgets": {}, "kernelspec": {"name": "other"}}, "nbformat": 4, "nbformat_minor": 5,
...       "cells": [{"cell_type": "code", "id": "a", "source": "1", "metadata": {}, "execution_count": 7,
...                  "outputs": [{"output_type": "execute_result", "execution_count": 7, "metadata": {},
...                               "data": {"text/plain": "1"}}]}]}
>>> out = clean_notebook(nb)
>>> "widgets" in out["metadata"], out["metadata"]["kernelspec"]["display_name"], out["cells"][0]["execution_count"]
(False, 'Python 3 (ipykernel)', 1)
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from traitlets import List, Unicode, default
from traitlets.config import Configurable

from .errors import UsageError
from .paths import project

__all__ = [
    "KERNELSPEC",
    "WIDGET_VIEW",
    "STATIC_KEY",
    "config_file",
    "HzLab",
    "static_fallback",
    "clean_notebook",
    "in_scope",
    "pre_save_hook",
    "install_config",
]

#: The kernelspec of the project's notebooks: the environment's ``python3`` kernel
#: (ipykernel's kernel.json), written as JupyterLab writes it when it starts the kernel.
KERNELSPEC: dict[str, str] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: The mime type of a live widget view.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Output metadata key holding the mime bundle a widget display stands for without a front end.
STATIC_KEY = "hzlib/static"


def config_file() -> Path:
    """The project's Jupyter settings (``jupyter_config.py`` at the project's top)."""
    return project().root / "jupyter_config.py"


def __getattr__(name: str) -> Path:
    """``CONFIG_FILE``: :func:`config_file`, looked up when asked for."""
    if name == "CONFIG_FILE":
        return config_file()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class HzLab(Configurable):
    """Settings of the pre-save hook (``c.HzLab.notebook_dirs`` in a Jupyter config file)."""

    notebook_dirs = List(
        Unicode(),
        help="Folders whose notebooks are cleaned on save; relative ones are taken from the server's root folder.",
    ).tag(config=True)

    @default("notebook_dirs")
    def _default_notebook_dirs(self) -> list[str]:
        """The project's ``notebooks/`` (none outside a project)."""
        try:
            return [str(project().notebook_dir)]
        except UsageError:
            return []


def static_fallback(obj: Any) -> dict[str, Any]:
    """Output metadata for ``display(widget, metadata=static_fallback(obj))``: the mime bundle
    of ``obj`` (what the cell shows without a front end), which :func:`clean_notebook` puts in
    place of the widget view when the notebook is saved."""
    from IPython import get_ipython  # lazy: IPython costs 28 ms at import of hzlib.lab (the JupyterLab server's pre-save hook), which never needs it
    from IPython.core.formatters import DisplayFormatter  # lazy: as above, with IPython

    shell = get_ipython()
    formatter = shell.display_formatter if shell is not None else DisplayFormatter()
    data, _meta = formatter.format(obj)
    return {STATIC_KEY: data}


def _clean_output(output: dict[str, Any]) -> dict[str, Any] | None:
    """One output without its live widget view: the static fallback, the rest of the bundle, or None."""
    data = output.get("data")
    if not isinstance(data, dict) or WIDGET_VIEW not in data:
        return output
    out = dict(output)
    meta = dict(out.get("metadata") or {})
    static = meta.pop(STATIC_KEY, None)
    out["metadata"] = meta
    out["data"] = dict(static) if isinstance(static, dict) and static else {k: v for k, v in data.items() if k != WIDGET_VIEW}
    return out if out["data"] else None


def _renumber(cells: Iterable[dict[str, Any]]) -> None:
    """Execution counts 1, 2, … over the executed code cells, in cell order (results too)."""
    count = 0
    for cell in cells:
        if cell.get("cell_type") != "code" or cell.get("execution_count") is None:
            continue
        count += 1
        cell["execution_count"] = count
        for out in cell.get("outputs") or []:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = count


def clean_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """A copy of notebook content (nbformat 4 as JSON) without widget state, live widget views,
    execution timing and papermill metadata, with renumbered execution counts and
    :data:`KERNELSPEC` (see the module docstring)."""
    nb = copy.deepcopy(nb)
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    meta.pop("papermill", None)
    meta["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.get("cells") or []:
        cell_meta = cell.get("metadata")
        if isinstance(cell_meta, dict):
            cell_meta.pop("execution", None)
            cell_meta.pop("papermill", None)
        if cell.get("cell_type") == "code":
            outputs = (_clean_output(o) for o in cell.get("outputs") or [])
            cell["outputs"] = [o for o in outputs if o is not None]
    _renumber(nb.get("cells") or [])
    return nb


def in_scope(os_path: Path, dirs: Iterable[str], root_dir: Path) -> bool:
    """Whether the notebook at ``os_path`` is directly in one of ``dirs`` (relative ones under ``root_dir``)."""
    folder = os_path.resolve().parent
    return any(folder == (root_dir / d).resolve() for d in dirs)


def pre_save_hook(model: dict[str, Any], path: str, contents_manager: Any, **_kwargs: Any) -> None:
    """``ContentsManager.pre_save_hook``: clean a project notebook before it is written (in place)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = Path(getattr(contents_manager, "root_dir", "") or ".")
    dirs = HzLab(config=getattr(contents_manager, "config", None)).notebook_dirs
    if in_scope(root / path.strip("/"), dirs, root):
        model["content"] = clean_notebook(model["content"])


def install_config(prefix: Path | None = None) -> str:
    """Link :func:`config_file` as ``<prefix>/etc/jupyter/jupyter_config.py`` (default: this
    environment), where Jupyter reads it; a file there that is not the link is left alone.
    Returns what was done, in Chinese."""
    target = Path(prefix or sys.prefix) / "etc" / "jupyter" / "jupyter_config.py"
    config = config_file()
    if target.is_symlink() and target.resolve() == config.resolve():
        return f"Jupyter 设置已生效 / Jupyter settings in place: {target.name}"
    if target.exists() or target.is_symlink():
        return (
            f"未改动 / left alone: 环境中已有自己的 {target.name}；如需本项目的 Jupyter 设置，"
            f"请在其中加入 jupyter_config.py 的内容 / add the project's jupyter_config.py settings to it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(os.path.relpath(config, target.parent))
    return f"已启用本项目的 Jupyter 设置 / project Jupyter settings linked: {target} → {config.name}"


def unclean(paths: Iterable[Path]) -> list[Path]:
    """The notebooks among ``paths`` that saving through JupyterLab would change (:func:`clean_notebook`)."""
    out = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if clean_notebook(copy.deepcopy(nb)) != nb:
            out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover - `python -m hzlib.lab install` (make), `--check FILES` (pre-commit)
    if sys.argv[1:2] == ["--check"]:
        bad = unclean(Path(a) for a in sys.argv[2:])
        for path in bad:
            print(f"{path}: 含运行时状态（控件状态、运行计时或内核名），请在 JupyterLab 中保存或运行 make notebooks / has live state")
        sys.exit(1 if bad else 0)
    if sys.argv[1:] != ["install"]:
        print("用法 / usage: python -m hzlib.lab install | python -m hzlib.lab --check NOTEBOOK...", file=sys.stderr)
        sys.exit(2)
    print(install_config())
