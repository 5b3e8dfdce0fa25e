"""Reported achievements (任务完成情况): targets that no ledger or statistics table measures.

Counts of events (观摩、督查、调度), kilometres built, 5G stations, foreign capital in
万美元, procedure percentages: the responsible departments report them, one row per
target and period (``data/<plan>/tasks.csv``, contract :data:`hzlib.contracts.TASK_COLUMNS`).

This module checks a tasks table against its plan (the ids exist, the unit is the
target's, the period is in the plan year, the area is the target's) and converts
convertible units into the target's unit; it also lists the targets a
statistician still has to collect (:func:`reportable_targets`, :func:`template`).

>>> same_unit("公里", "km"), same_unit("%", "％"), same_unit("个", "次")
(True, True, False)
>>> convert_value(2.5, "亿元", "万元")
25000.0
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .contracts import TASK_COLUMNS
from .errors import WARNING, Problem
from .ingest import ReadResult
from .ingest.aliases import normalise_value
from .ingest.table import find_header
from .plan.indicators import effective_basis
from .plan.schema import Basis, Plan, Target
from .safety import csv_safe
from .units import CNY_UNITS, USD_UNITS, convert_money, to_percent

if TYPE_CHECKING:
    from .templates import TemplateWrite

__all__ = [
    "same_unit",
    "convert_value",
    "check_against_plan",
    "fraction_suspect",
    "FRACTION_SUSPECT_TARGET",
    "check_read_tasks",
    "reportable_targets",
    "template",
    "TEMPLATE_KEY",
    "template_header",
    "write_template",
]

#: A tasks table's rows are one target in one period: the key ``--merge`` matches rows on.
TEMPLATE_KEY = ["target_id", "period"]

#: Unit spellings that mean the same unit (compared after NFKC, lower case).
_SYNONYMS: dict[str, str] = {
    "%": "%",
    "百分比": "%",
    "百分点": "%",
    "公里": "公里",
    "km": "公里",
    "千米": "公里",
    "米": "米",
    "m": "米",
    "平方米": "平方米",
    "㎡": "平方米",
    "m2": "平方米",
    "万平方米": "万平方米",
    "千瓦": "千瓦",
    "kw": "千瓦",
    "万千瓦": "万千瓦",
    "兆瓦": "兆瓦",
    "mw": "兆瓦",
}


def _norm(unit: object) -> str:
    u = normalise_value(unit)
    return _SYNONYMS.get(u, u)


def same_unit(a: object, b: object) -> bool:
    """Whether two unit spellings name the same unit (no conversion)."""
    return _norm(a) == _norm(b) != ""


def convert_value(value: float, src: str, dst: str) -> float | None:
    """``value`` in ``src`` expressed in ``dst``; None when the units do not convert."""
    s, d = _norm(src), _norm(dst)
    if s == d:
        return value
    if (s in CNY_UNITS and d in CNY_UNITS) or (s in USD_UNITS and d in USD_UNITS):
        return convert_money(value, s, d)
    return None


#: A percent target of at least this many points (10%) makes a reported 0 < x ≤ 1 look like a fraction.
FRACTION_SUSPECT_TARGET = 10.0


def fraction_suspect(value: float, target: Target) -> bool:
    """Whether a value reported in % for a % ``target`` looks like a fraction written for a percent:
    0 < value ≤ 1 while the target's annual value is at least :data:`FRACTION_SUSPECT_TARGET` points.

    0.992% against 100% is two orders of magnitude off; 0.5% against an 8% growth target is not suspect.
    """
    return target.is_percent and target.value is not None and target.value >= FRACTION_SUSPECT_TARGET and 0 < value <= 1


def check_against_plan(
    frame: pd.DataFrame, rows: pd.Series, file: str, plan: Plan, headers: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a read tasks table against ``plan``; values come back in each target's unit.

    Unknown target ids, units that neither match nor convert and areas other than
    the target's are errors; periods outside the plan year are warnings (the row
    is kept in the file and not used); a target measured on another basis is a
    warning: the reported value is not used (a figure is measured on exactly its basis).
    A % value in (0, 1] for a % target of at least 10% is a warning: it reads as it is
    written (the unit says %), but it looks like a fraction (0.992 for 99.2%).
    """
    headers = headers or {}
    h = {c: headers.get(c, z) for c, z in (("target_id", "目标编号"), ("value", "完成值"), ("unit", "计量单位"), ("period", "期别"), ("jurisdiction", "地区"))}
    by_id = {t.id: t for t in plan.targets}
    problems: list[Problem] = []
    out = frame.copy()
    values = out["value"].astype(float).tolist()
    for i, (tid, unit, period, area) in enumerate(zip(out["target_id"], out["unit"], out["period"], out.get("jurisdiction", pd.Series([None] * len(out))))):
        row = int(rows.iloc[i]) if len(rows) > i else None
        if tid is None or pd.isna(tid):
            continue
        t = by_id.get(str(tid))
        if t is None:
            problems.append(
                Problem(
                    file,
                    row,
                    h["target_id"],
                    f"计划 {plan.id} 中没有目标编号“{tid}”；可用 hz targets {plan.id} 或 hz tasks-template {plan.id} 查看 / unknown target id",
                )
            )
            continue
        if unit is not None and not pd.isna(unit):
            v = convert_value(values[i], str(unit), t.unit) if not pd.isna(values[i]) else values[i]
            if v is None:
                problems.append(
                    Problem(file, row, h["unit"], f"计量单位“{unit}”与目标“{t.label}”的单位“{t.unit}”不一致，且无法换算 / unit does not match the target")
                )
            else:
                values[i] = v
                if v is not None and not pd.isna(v) and fraction_suspect(v, t):
                    pct = to_percent(v)
                    problems.append(
                        Problem(
                            file,
                            row,
                            h["value"],
                            f"{h['value']} {v:g}% 与目标“{t.label}”的 {t.value:g}% 相差悬殊：如果是小数写法（{v:g} 表示 {pct:g}%），"
                            f"请写成 {pct:g}；如确为 {v:g}%，可不改 / a fraction for a percent target?",
                            WARNING,
                        )
                    )
        if isinstance(period, str) and not period.startswith(str(plan.year)):
            problems.append(Problem(file, row, h["period"], f"期别 {period} 不在 {plan.year} 年，不参与本计划评价 / period outside the plan year", WARNING))
        if isinstance(area, str) and area and area != t.scope.jurisdiction:
            problems.append(
                Problem(file, row, h["jurisdiction"], f"地区“{area}”不是目标“{t.label}”的范围“{t.scope.jurisdiction}” / area differs from the target's scope")
            )
        basis = effective_basis(t)
        if basis is not Basis.REPORT and t.fallback is not Basis.REPORT and basis is not None:
            problems.append(
                Problem(
                    file,
                    row,
                    h["target_id"],
                    f"目标“{t.label}”按{basis.zh}计算，报送值不采用（计划文件未允许以报送值代替）/ this target is measured on its own basis; the reported value is not used",
                    WARNING,
                )
            )
    out["value"] = pd.Series(values, index=out.index, dtype=float)
    out["unit"] = [by_id[str(tid)].unit if str(tid) in by_id else u for tid, u in zip(out["target_id"], out["unit"])]
    return out, problems


def check_read_tasks(r: ReadResult, plan: Plan) -> None:
    """Apply :func:`check_against_plan` to a read tasks file, in place (frame and problems)."""
    if r.kind != "tasks" or not r.ok or r.frame.empty:
        return
    r.frame, more = check_against_plan(r.frame, r.rows, r.file, plan, r.columns)
    r.problems += more


def reportable_targets(plan: Plan, available_indicators: Iterable[str] = ()) -> list[Target]:
    """Targets measured on reported figures (``basis: report``, or a report ``fallback``):
    the figures a statistician collects from departments each quarter.

    ``available_indicators`` is accepted for callers that pass the statistics at hand; a
    statistics target is never collected as a report.
    """
    return [t for t in plan.targets if effective_basis(t) is Basis.REPORT or t.fallback is Basis.REPORT]


def template(plan: Plan, period: str, available_indicators: Iterable[str] = ()) -> pd.DataFrame:
    """A blank tasks table (contract ids as columns) for ``period``, one row per reportable target.

    The table is written out for people to fill in a spreadsheet, so plan text that a spreadsheet
    would run as a formula is escaped (:func:`hzlib.safety.csv_safe`)."""
    rows = [
        {"target_id": t.id, "label": t.label, "period": period, "value": None, "unit": t.unit, "jurisdiction": t.scope.jurisdiction, "source": "", "note": ""}
        for t in reportable_targets(plan, available_indicators)
    ]
    return csv_safe(pd.DataFrame(rows, columns=["target_id", "label", "period", "value", "unit", "jurisdiction", "source", "note"]))


def template_header(cells: pd.DataFrame) -> tuple[int, dict[int, str]] | None:
    """(header row position, column position → contract id) of a tasks table, as the tasks reader finds it."""
    info = find_header(cells, "tasks")
    return (info.pos, dict(info.ids)) if info is not None else None


def write_template(frame: pd.DataFrame, path: Path, *, force: bool = False, merge: bool = False) -> TemplateWrite:
    """Write a :func:`template` to ``path``, never over reported values (see :mod:`hzlib.templates`)."""
    from .templates import write_template as write  # lazy: hzlib.templates (history) costs 8 ms at import of this module, which hzlib.data imports

    return write(path, frame, TASK_COLUMNS, find=template_header, key=TEMPLATE_KEY, value="value", command="tasks-template", force=force, merge=merge)
