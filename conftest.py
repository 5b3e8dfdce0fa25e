"""pytest anywhere: pyproject's ``--nbval-sanitize-with tests/nbval_sanitize.cfg`` is relative to the
project, so ``pytest --nbval /path/to/project/notebooks/x.ipynb`` works from any working folder."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """A relative sanitiser file that is not in the working folder is taken from the project (rootdir)."""
    given = getattr(config.option, "nbval_sanitize_with", None)
    if not given or Path(given).is_absolute() or Path(given).exists():
        return
    in_project = config.rootpath / given
    if in_project.exists():
        config.option.nbval_sanitize_with = str(in_project)
