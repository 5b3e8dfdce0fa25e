"""Combine what two readers read: a ledger sheet's cumulative column with a progress file, and a
ledger without a level column with the plan's level (used by ``hz import`` and by :mod:`hzlib.data`).
"""

from __future__ import annotations

import pandas as pd

from ..contracts import LEVEL_ZH
from ..errors import WARNING, Problem
from .result import ReadResult

__all__ = ["PROGRESS_TOLERANCE", "merge_progress", "fill_level"]

#: 万元: a ledger sheet's cumulative column and a progress file agree when they differ by no more (rounding to whole 万元).
PROGRESS_TOLERANCE = 0.5


def merge_progress(sheet: ReadResult | None, file: ReadResult | None) -> tuple[pd.DataFrame, list[Problem]]:
    """A ledger sheet's progress and a progress file's, as one table; each disagreeing row is an error.

    Rows of the same project and month must agree within :data:`PROGRESS_TOLERANCE` 万元;
    the file's rows come first.
    """
    if sheet is None or sheet.frame.empty or file is None or file.frame.empty:
        either = sheet if sheet is not None and not sheet.frame.empty else file
        return (either.frame if either is not None else pd.DataFrame()), []
    a = file.frame.assign(_row=file.rows.to_numpy())
    b = sheet.frame.assign(
        _row=sheet.rows.to_numpy(), _label=(sheet.row_labels if sheet.row_labels is not None else pd.Series(sheet.where, index=sheet.frame.index)).to_numpy()
    )
    both = a.merge(b, on=["project_id", "month"], suffixes=("", "_sheet"))
    bad = both[(both["completed_cum"] - both["completed_cum_sheet"]).abs() > PROGRESS_TOLERANCE]
    h_file = file.columns.get("completed_cum", "累计完成投资（万元）")
    h_sheet = sheet.columns.get("completed_cum", "累计完成投资")
    problems = [
        Problem(
            file.where,
            int(r["_row"]),
            h_file,
            f"项目“{r['project_id']}”{r['month']} 的累计完成投资为 {r['completed_cum']:g} 万元，而 {r['_label']} 第{int(r['_row_sheet'])}行“{h_sheet}”为 "
            f"{r['completed_cum_sheet']:g} 万元：同一项目同一月份两处必须一致，请改正其中一处 / disagrees with the ledger sheet",
        )
        for _, r in bad.iterrows()
    ]
    key = ["project_id", "month"]
    extra = sheet.frame.merge(file.frame[key], on=key, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([file.frame, extra], ignore_index=True), problems


def fill_level(result: ReadResult, level: str | None) -> None:
    """A ledger without a level column (and no level in its title): the plan's level, reported."""
    if result.kind != "ledger" or result.frame.empty or "level" in result.columns:
        return
    if level is None:
        result.problems.append(
            Problem(result.where, None, "项目级别", "表中没有“项目级别”列，标题和计划也没有说明级别：按级别区分的目标将为无数据 / no level column", WARNING)
        )
        return
    result.frame["level"] = level
    result.columns["level"] = "项目级别（按计划）"
    result.did(
        Problem(
            result.where,
            None,
            "项目级别",
            f"表中没有“项目级别”列，标题也没有写明，按计划中重点项目目标的范围读作{LEVEL_ZH.get(level, level)}（{len(result.frame)}行） / level from the plan",
            WARNING,
        )
    )
