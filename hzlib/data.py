"""Find and read a plan's input files (the I/O edge of evaluation).

A data folder (``data/<plan-id>/`` by default) holds any of ``ledger``,
``progress``, ``indicators``, ``profiles`` and ``tasks`` as ``.csv`` or ``.xlsx``, and
optionally the office's ``mapping.yaml`` (its own headers and words, see
``docs/data.md``). A ``ledger.xlsx`` may be the office's own progress sheet: its
cumulative completed-investment column is read as monthly progress; where a
``progress`` file has the same project and month, the two must agree. Every
problem of every file is collected; errors stop the run with all of them listed,
warnings (and what the reader did to meet the sheets) travel with the data into
the report. A folder without any data file is an error, never an empty evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import ingest
from .errors import ERROR, DataError, Problem
from .ingest.combine import PROGRESS_TOLERANCE, fill_level, merge_progress
from .ingest.evaluation_data import EvaluationData
from .ingest.provenance import attach as attach_provenance
from .ingest.provenance import header_map
from .inputs import KINDS, data_dir_for, data_files
from .plan import load_plan
from .plan.schema import Level, Plan
from .tasks import check_against_plan
from .yamldoc import display_path

if TYPE_CHECKING:
    from .ingest import MappingFile, ReadResult

__all__ = [
    "LoadedData",
    "load_data",
    "data_dir_for",
    "data_files",
    "plan_level",
    "merge_progress",
    "fill_level",
    "check_tasks_against_plan",
    "KINDS",
    "PROGRESS_TOLERANCE",
]


@dataclass
class LoadedData:
    data: EvaluationData
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    excluded: list[object] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def plan_level(plan: Plan) -> str | None:
    """The one project level the plan's project targets are scoped to (None when none or several).

    A ledger without a 项目级别 column whose title names none is read at this level (reported).
    """
    levels = {t.scope.level.value for t in plan.targets if t.scope.level is not Level.ALL}
    return levels.pop() if len(levels) == 1 else None


def check_tasks_against_plan(result: ReadResult, plan: Plan) -> None:
    """Check a read tasks file against ``plan`` in place, even when some cells were unreadable,
    so that every problem of the file is reported at once (file-level and row-level together)."""
    if result.kind != "tasks" or result.frame.empty:
        return
    result.frame, more = check_against_plan(result.frame, result.rows, result.where, plan, result.columns)
    result.problems += more


def load_data(
    plan_id: str,
    data_dir: str | Path | None = None,
    *,
    year: int | None = None,
    plan: Plan | None = None,
    sheet: str | Mapping[str, str] | None = None,
    mapping: str | Path | MappingFile | None = None,
    month: str | int | None = None,
) -> LoadedData:
    """Read every input file of a plan; raise :class:`DataError` with all errors at once.

    ``plan`` (default: read by id when needed) checks a tasks file against the plan's
    targets and gives a ledger without a level column its level. ``sheet``: the ledger
    workbook's sheet (a name), or a sheet per kind (``{"ledger": "1-6月"}``); ``mapping``:
    the office's mapping file (default ``mapping.yaml`` in the data folder); ``month``:
    the month a ledger sheet's cumulative column runs to when its header and title do
    not say (``2019-06``).
    """
    folder = data_dir_for(plan_id, data_dir)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "找不到数据目录 / data folder not found")], what="数据目录")
    files = data_files(folder)
    if not files:
        names = "、".join(f"{k}.csv" for k in KINDS)
        raise DataError(
            [
                Problem(
                    display_path(folder),
                    None,
                    None,
                    f"数据目录中没有数据文件：应有 {names}（或 .xlsx）中的至少一个；单位自己的进度表可用 "
                    f"hz import 表格.xlsx --plan {plan_id} 转换后放入 / no data file in the folder",
                )
            ],
            what="数据目录",
        )
    the_map = ingest.mapping_for(mapping, folder)
    sheets = {"ledger": sheet} if isinstance(sheet, str) else dict(sheet or {})

    def the_plan() -> Plan:
        nonlocal plan
        if plan is None:
            plan = load_plan(plan_id)
        return plan

    frames: dict[str, pd.DataFrame] = {}
    results: dict[str, ingest.ReadResult] = {}
    problems: list[Problem] = []
    excluded: list[object] = []
    source_columns: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        path = files.get(kind)
        if path is None:
            frames[kind] = pd.DataFrame()
            continue
        result = ingest.read_data(
            path, kind, sheet=sheets.get(kind), year=year if kind == "ledger" else None, month=month if kind == "ledger" else None, mapping=the_map
        )
        attach_provenance(result)
        if kind == "ledger" and "level" not in result.columns and not result.frame.empty:
            fill_level(result, plan_level(the_plan()))
        if kind == "tasks":
            check_tasks_against_plan(result, the_plan())
        source_columns[result.file] = {**source_columns.get(result.file, {}), **header_map(result)}
        if result.progress is not None:  # a ledger sheet's cumulative column, read as monthly progress (derived)
            sheet_cols = header_map(result.progress)
            if "completed_cum" in sheet_cols:
                sheet_cols["completed_cum"] += "（台账累计列，读作月度进度）"
            source_columns[result.progress.file] = {**source_columns.get(result.progress.file, {}), **sheet_cols}
        results[kind] = result
        frames[kind] = result.frame
        problems += result.problems
        excluded += list(result.excluded)
    sheet_progress = results["ledger"].progress if "ledger" in results else None
    if sheet_progress is not None:
        frames["progress"], disagree = merge_progress(sheet_progress, results.get("progress"))
        problems += disagree
        files.setdefault("progress", files["ledger"])
    if "progress" in results and not frames["ledger"].empty and not results["progress"].frame.empty:
        known = set(frames["ledger"]["project_id"].astype(str))
        p = results["progress"].frame
        unknown = p.loc[~p["project_id"].astype(str).isin(known), "project_id"]
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
        source_columns=source_columns,
    )
    return LoadedData(data, files, problems, excluded)
