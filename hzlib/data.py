"""Find and read a plan's input files (the I/O edge of evaluation).

A data folder (``data/<plan-id>/`` by default) holds any of ``ledger``,
``progress``, ``indicators``, ``profiles`` and ``tasks`` as ``.csv`` or ``.xlsx``. Every
problem of every file is collected; errors stop the run with all of them listed,
warnings and excluded rows travel with the data into the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ERROR, DataError, Problem
from .evaluate.engine import EvaluationData
from .paths import DATA_DIR as DEFAULT_DATA_DIR
from .plan.schema import Plan

__all__ = ["LoadedData", "load_data", "data_dir_for", "KINDS"]

KINDS = ("ledger", "progress", "indicators", "profiles", "tasks")


@dataclass
class LoadedData:
    data: EvaluationData
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    excluded: list[object] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def data_dir_for(plan_id: str, data_dir: str | Path | None = None) -> Path:
    """``data_dir`` if given (a folder holding the files, or a parent holding ``<plan-id>/``)."""
    from .safety import check_id

    check_id(plan_id, "plan")
    if data_dir is None:
        return DEFAULT_DATA_DIR / plan_id
    d = Path(data_dir)
    return d / plan_id if (d / plan_id).is_dir() else d


def _find(folder: Path, kind: str) -> Path | None:
    for ext in (".csv", ".xlsx"):
        p = folder / f"{kind}{ext}"
        if p.exists():
            return p
    return None


def load_data(plan_id: str, data_dir: str | Path | None = None, *, year: int | None = None, plan: Plan | None = None) -> LoadedData:
    """Read every input file of a plan; raise :class:`DataError` with all errors at once.

    ``plan`` (default: read by id) checks a tasks file against the plan's targets."""
    from . import ingest

    folder = data_dir_for(plan_id, data_dir)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "找不到数据目录 / data folder not found")], what="数据目录")
    readers = {
        "ledger": ingest.read_ledger,
        "progress": ingest.read_progress,
        "indicators": ingest.read_indicators,
        "profiles": ingest.read_profiles,
        "tasks": ingest.read_tasks,
    }
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    excluded: list[object] = []
    for kind in KINDS:
        path = _find(folder, kind)
        if path is None:
            frames[kind] = pd.DataFrame()
            continue
        files[kind] = path
        result = readers[kind](path, year=year if kind == "ledger" else None)
        if kind == "tasks":
            from .plan import load_plan
            from .tasks import check_read_tasks

            check_read_tasks(result, plan if plan is not None else load_plan(plan_id))
        frames[kind] = result.frame
        problems += result.problems
        excluded += list(result.excluded)
    if "progress" in files and not frames["ledger"].empty and not frames["progress"].empty:
        known = set(frames["ledger"]["project_id"].astype(str))
        unknown = frames["progress"].loc[~frames["progress"]["project_id"].astype(str).isin(known), "project_id"]
        for pid in sorted(set(unknown.astype(str)))[:50]:
            problems.append(Problem(files["progress"].name, None, "project_id", f"进度表中的项目编号 {pid} 不在项目台账中"))
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise DataError(problems, what=f"{plan_id} 的输入数据")
    readme = folder / "README.md"
    illustrative = readme.exists() and "示意数据" in readme.read_text(encoding="utf-8")
    data = EvaluationData(
        ledger=frames["ledger"],
        progress=frames["progress"],
        indicators=frames["indicators"],
        profiles=frames["profiles"],
        tasks=frames["tasks"],
        illustrative=illustrative,
    )
    return LoadedData(data, files, problems, excluded)
