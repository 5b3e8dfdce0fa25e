"""Ledger-derived scoring inputs, read from report models: the one vocabulary a rules file names.

A rules file's ``origin: ledger`` input says which figure it is (``ledger: start_rate``)
and, when the rule looks at an earlier checkpoint, the quarter (``at: Q2``). The figure
is read from the report model of that period (:class:`hzlib.report.ReportModel`):
scores never recompute what the evaluation computed.

>>> sorted(LEDGER_MEASURES)[:4]
['annual_plan', 'completed_investment', 'due_completed', 'due_completions']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import pandas as pd

if TYPE_CHECKING:
    from ..report.model import ReportModel

__all__ = ["LEDGER_MEASURES", "PROJECT_MEASURES", "LedgerMeasure", "unit_values", "project_values"]

LedgerMeasure = Literal[
    "projects", "new_starts", "new_started", "start_rate", "procedure_rate", "completed_investment", "annual_plan",
    "scheduled_investment", "invest_completion", "due_completions", "due_completed", "missed_completions",
    "project_completion",
]


def _units(col: str) -> Callable[[ReportModel], pd.Series]:
    return lambda m: m.units[col].astype(float)


#: Per-unit figures (index: the unit) and where in the report model they come from.
LEDGER_MEASURES: dict[str, Callable[[ReportModel], pd.Series]] = {
    "projects": _units("projects"),  # key projects in the ledger
    "new_starts": _units("new_starts"),  # planned new starts
    "new_started": _units("new_started"),  # of those, started by the period end
    "start_rate": _units("start_rate"),  # fraction
    "procedure_rate": _units("procedure_rate"),  # fraction
    "completed_investment": _units("completed_cum"),  # 万元 since January
    "annual_plan": _units("annual_plan"),  # 万元
    "scheduled_investment": lambda m: m.units["annual_plan"].astype(float) * float(m.period.progress),  # 万元
    "invest_completion": _units("invest_completion"),  # fraction
    "due_completions": _units("due_completions"),  # planned to complete by the period end
    "due_completed": _units("due_completed"),  # of those, completed
    "missed_completions": lambda m: (m.units["due_completions"] - m.units["due_completed"]).astype(float),
}
#: Per-project figures: (unit, project_id) → value.
PROJECT_MEASURES: dict[str, str] = {"project_completion": "completion_ratio"}


def unit_values(m: ReportModel, measure: str) -> pd.Series:
    """The figure ``measure`` per unit of the model (empty when the model has no units table)."""
    if m.units.empty:
        return pd.Series(dtype=float)
    return LEDGER_MEASURES[measure](m)


def project_values(m: ReportModel, measure: str) -> pd.DataFrame:
    """``unit, project_id, value`` of a per-project measure (key projects of the model)."""
    st = m.evaluation.status
    if st.empty:
        return pd.DataFrame(columns=["unit", "project_id", "value"])
    return pd.DataFrame({"unit": st["unit"].astype(str), "project_id": st["project_id"].astype(str),
                         "value": st[PROJECT_MEASURES[measure]].astype(float)})
