"""Ledger-derived scoring inputs, read from the evaluation: the one vocabulary a rules file names.

A rules file's ``origin: ledger`` input says which figure it is (``ledger: start_rate``)
and, when the rule looks at an earlier checkpoint, the quarter (``at: Q2``). The figure
is read from the evaluation of that period (:class:`hzlib.evaluate.engine.Evaluation`:
its units table and its project status): scores never recompute what the evaluation computed.

>>> sorted(LEDGER_MEASURES)[:4]
['annual_plan', 'completed_investment', 'due_completed', 'due_completions']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pandas as pd

from ..evaluate.engine import Evaluation

__all__ = ["LEDGER_MEASURES", "PROJECT_MEASURES", "LedgerMeasure", "unit_values", "project_values"]

LedgerMeasure = Literal[
    "projects",
    "new_starts",
    "new_started",
    "start_rate",
    "procedure_rate",
    "completed_investment",
    "annual_plan",
    "scheduled_investment",
    "invest_completion",
    "due_completions",
    "due_completed",
    "missed_completions",
    "project_completion",
]


def _units(col: str) -> Callable[[Evaluation], pd.Series]:
    return lambda ev: ev.units[col].astype(float)


#: Per-unit figures (index: the unit) and where in the evaluation's units table they come from.
LEDGER_MEASURES: dict[str, Callable[[Evaluation], pd.Series]] = {
    "projects": _units("projects"),  # key projects in the ledger
    "new_starts": _units("new_starts"),  # planned new starts
    "new_started": _units("new_started"),  # of those, started by the period end
    "start_rate": _units("start_rate"),  # fraction
    "procedure_rate": _units("procedure_rate"),  # fraction
    "completed_investment": _units("completed_cum"),  # 万元 since January
    "annual_plan": _units("annual_plan"),  # 万元
    "scheduled_investment": lambda ev: ev.units["annual_plan"].astype(float) * float(ev.period.progress),  # 万元
    "invest_completion": _units("invest_completion"),  # fraction
    "due_completions": _units("due_completions"),  # planned to complete by the period end
    "due_completed": _units("due_completed"),  # of those, completed
    "missed_completions": lambda ev: (ev.units["due_completions"] - ev.units["due_completed"]).astype(float),
}
#: Per-project figures: (unit, project_id) → value.
PROJECT_MEASURES: dict[str, str] = {"project_completion": "completion_ratio"}


def unit_values(ev: Evaluation, measure: str) -> pd.Series:
    """The figure ``measure`` per unit of the evaluation (empty when it has no units table)."""
    if ev.units.empty:
        return pd.Series(dtype=float)
    return LEDGER_MEASURES[measure](ev)


def project_values(ev: Evaluation, measure: str) -> pd.DataFrame:
    """``unit, project_id, value`` of a per-project measure (key projects of the evaluation)."""
    st = ev.status
    if st.empty:
        return pd.DataFrame(columns=["unit", "project_id", "value"])
    return pd.DataFrame({"unit": st["unit"].astype(str), "project_id": st["project_id"].astype(str), "value": st[PROJECT_MEASURES[measure]].astype(float)})
