"""Re-execute the committed notebooks with their default parameters and strip volatile metadata.

``python -m hzlib.nbclean`` refreshes every notebook under ``notebooks/`` so the
committed outputs match what nbval will compute; execution times and papermill's
run metadata are removed so the files only change when outputs change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

__all__ = ["strip_volatile_metadata", "refresh"]

from .kernels import kernel_options
from .paths import project


def strip_volatile_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata.pop("papermill", None)
    nb.metadata.get("widgets", None) and nb.metadata.pop("widgets")
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    return nb


def refresh(paths: list[Path]) -> None:
    import papermill as pm  # lazy: papermill costs 250 ms at import of hzlib.nbclean, which only refresh() needs

    for path in paths:
        pm.execute_notebook(str(path), str(path), kernel_name="python3", progress_bar=False, cwd=str(path.parent), **kernel_options())
        nb = strip_volatile_metadata(nbformat.read(path, as_version=4))
        nbformat.write(nb, path)
        print(f"refreshed {path.name}")


if __name__ == "__main__":  # pragma: no cover
    args = [Path(a) for a in sys.argv[1:]] or sorted(project().notebook_dir.glob("*.ipynb"))
    refresh(args)
