"""Where the project keeps things: which project ``hz`` works in, and its folders.

A project is a folder marked by a ``hzproject.toml`` at its top (``hz init`` makes one; this
repository is one, the bundled example). It holds ``params/plans/``, ``params/scoring/``,
``params/scenarios/``, ``data/<plan>/``, ``notebooks/`` and ``reports/``. The project is found
lazily, the first time a folder is asked for, like git finds its repository:

1. ``--project DIR`` (:func:`set_project`, which also sets ``HZ_PROJECT`` for child processes);
2. the environment variable ``HZ_PROJECT`` (kernels started by ``hz run`` or papermill);
3. the working folder or the nearest folder above it holding ``hzproject.toml``;
4. the bundled example, when hzlib runs from its repository (an editable install).

Otherwise asking for a folder is a :class:`hzlib.errors.UsageError` saying how to make or name
a project. Every default path of the library comes from :func:`project`; commands take options to
point elsewhere (``--data``, ``--out``, ``--seeds``). Nothing heavy is imported here.

>>> p = Project.at(Path("office"))
>>> (p.plans_dir.parent.name, p.plans_dir.name), p.data_dir.name, p.notebook_dir.name
(('params', 'plans'), 'data', 'notebooks')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

__all__ = [
    "MARKER",
    "ENV_VAR",
    "Project",
    "project",
    "set_project",
    "find_project",
    "bundled_root",
    "package_dir",
    "suite_files",
    "example",
    "seeds_dir",
]

#: The file that marks a project's top folder.
MARKER = "hzproject.toml"
#: The environment variable naming the project (set by ``--project``; read by kernels).
ENV_VAR = "HZ_PROJECT"

#: Names the old module-level constants had → :class:`Project` fields (``from hzlib.paths import DATA_DIR``).
_LEGACY = {
    "ROOT": "root",
    "PARAMS_DIR": "params_dir",
    "PLANS_DIR": "plans_dir",
    "SAMPLES_DIR": "samples_dir",
    "SCORING_DIR": "scoring_dir",
    "SCENARIOS_DIR": "scenarios_dir",
    "DATA_DIR": "data_dir",
    "NOTEBOOK_DIR": "notebook_dir",
    "REPORTS_DIR": "reports_dir",
}


@dataclass(frozen=True)
class Project:
    """One project's folders (fields may be replaced, e.g. by tests: ``dataclasses.replace``)."""

    root: Path
    params_dir: Path
    plans_dir: Path
    samples_dir: Path
    scoring_dir: Path
    scenarios_dir: Path
    data_dir: Path
    notebook_dir: Path
    reports_dir: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """The standard layout under ``root``."""
        params = root / "params"
        return cls(
            root, params, params / "plans", params / "samples", params / "scoring", params / "scenarios", root / "data", root / "notebooks", root / "reports"
        )

    @property
    def marker(self) -> Path:
        return self.root / MARKER


def package_dir() -> Path:
    """The installed ``hzlib`` package folder."""
    return Path(__file__).resolve().parent


def bundled_root() -> Path | None:
    """This repository's top folder when hzlib runs from it (editable install), else None."""
    top = package_dir().parent
    return top if (top / MARKER).is_file() and (top / "notebooks").is_dir() else None


def find_project(start: Path) -> Path | None:
    """``start`` or the nearest folder above it holding :data:`MARKER`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


_override: Project | None = None


def set_project(root: str | Path | Project | None) -> None:
    """Work in ``root`` from now on (``--project``); child processes inherit it through ``HZ_PROJECT``.
    ``None`` returns to discovery. A folder without :data:`MARKER` is a UsageError."""
    global _override
    if root is None or isinstance(root, Project):
        _override = root
        return
    folder = Path(root).expanduser().resolve()
    if not (folder / MARKER).is_file():
        hint = f"文件夹 {folder} 不存在" if not folder.exists() else f"{folder} 中没有 {MARKER}，不是 hz 项目"
        raise UsageError(f"--project {root}：{hint}；新建项目请用 hz init {root} / not an hz project")
    _override = Project.at(folder)
    os.environ[ENV_VAR] = str(folder)


def project() -> Project:
    """The project ``hz`` works in (see the module's docstring for the order)."""
    if _override is not None:
        return _override
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        folder = Path(env).expanduser()
        if not (folder / MARKER).is_file():
            raise UsageError(f"环境变量 {ENV_VAR}={env} 指向的文件夹中没有 {MARKER}，不是 hz 项目 / not an hz project")
        return Project.at(folder.resolve())
    found = find_project(Path.cwd())
    if found is None:
        found = bundled_root()
    if found is None:
        raise UsageError(
            f"当前文件夹 {Path.cwd()} 及其上级都不是 hz 项目（没有 {MARKER}）：请进入项目文件夹，"
            "或用 hz --project 目录 指定，或用 hz init 目录 新建 / not inside an hz project"
        )
    return Project.at(found)


def _suite() -> tuple[Path, Path]:
    """Where the suite's notebooks and the bundled example are: ``hzlib/suite/`` in an installed
    package (copied there when the wheel is built, see ``setup.py``), else this repository."""
    suite = package_dir() / "suite"
    if (suite / "notebooks").is_dir():
        return suite, suite / "example"
    top = bundled_root()
    if top is None:  # pragma: no cover - a broken installation
        raise UsageError(f"安装的 hzlib 缺少 notebook 模板（{suite}）：请重新安装 hzlib / the installation lacks its suite")
    return top, top


def suite_files() -> dict[str, Path]:
    """The suite's files a project gets, by their path in the project → where they are now:
    the notebooks (with the outputs computed on the bundled example), their ``matplotlibrc``
    and ``jupyter_config.py``."""
    top, _ = _suite()
    files = {f"notebooks/{p.name}": p for p in sorted((top / "notebooks").glob("*.ipynb"))}
    for rel, path in (("notebooks/matplotlibrc", top / "notebooks" / "matplotlibrc"), ("jupyter_config.py", top / "jupyter_config.py")):
        if path.is_file():  # settings, not needed to run: a partial copy of the repository may lack them
            files[rel] = path
    return files


def example() -> Project:
    """The bundled example project's folders (its plans, scoring rules, scenarios and data)."""
    return Project.at(_suite()[1])


def seeds_dir() -> Path | None:
    """The plan documents' texts (``../shared/seeds`` beside the project), when present (none outside a project)."""
    try:
        d = project().root.parent / "shared" / "seeds"
    except UsageError:
        return None
    return d if d.is_dir() else None


def __getattr__(name: str) -> Path:
    """``ROOT``, ``PLANS_DIR``, ``DATA_DIR`` … : the current project's folders, looked up when asked for."""
    if name in _LEGACY:
        folder: Path = getattr(project(), _LEGACY[name])
        return folder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
