"""Build hook: the suite's notebooks and the bundled example go into the wheel as package data.

The repository keeps one copy of each (``notebooks/*.ipynb`` with the outputs nbval compares,
``params/`` and ``data/``); building the package copies them into ``hzlib/suite/`` of the built
package, where :mod:`hzlib.paths` and ``hz init`` find them. An editable install copies nothing:
hzlib then reads them from this repository. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: repository path → path under hzlib/suite/ in the built package
SUITE = {
    "notebooks": "notebooks",
    "jupyter_config.py": "jupyter_config.py",
    "params/plans": "example/params/plans",
    "params/scoring": "example/params/scoring",
    "params/scenarios": "example/params/scenarios",
    "data": "example/data",
}


def _skip(folder: str, names: list[str]) -> set[str]:
    """Hidden files and folders (.history, checkpoints), caches and kernel leftovers."""
    return {n for n in names if n.startswith(".") or n == "__pycache__" or n.startswith("kernel-")}


class BuildWithSuite(build_py):
    """``build_py`` that also copies the suite into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "hzlib" / "suite"
        shutil.rmtree(target, ignore_errors=True)
        for src, dst in SUITE.items():
            path = HERE / src
            if path.is_dir():
                shutil.copytree(path, target / dst, ignore=_skip)
            elif path.is_file():
                (target / dst).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / dst)


setup(cmdclass={"build_py": BuildWithSuite})
