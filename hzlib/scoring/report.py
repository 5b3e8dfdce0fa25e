"""Scores of a period: ledger-derived inputs are read from the evaluation, never recomputed.

:func:`score_evaluations` takes the scoring period and a way to get the evaluation of that
period or of an earlier quarter (for checkpoints such as 安康's 上半年 opening rate), reads
every ``origin: ledger`` input from those evaluations (:mod:`.ledger`), adds the plan's and
the reported inputs, and scores them with the engine. The report model calls it with the
evaluation it holds and builds the evaluation of an earlier quarter when a rule asks for one
(:func:`hzlib.report.model.build_report`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Problem
from ..evaluate.engine import Evaluation
from ..periods import Period
from .engine import PROJECT_INPUT_COLUMNS, UNIT_INPUT_COLUMNS, ScoreResult, ScoringInputs, combine_inputs, score
from .inputs import reported_for_period
from .ledger import PROJECT_MEASURES, project_values, unit_values
from .rules import ScoringRules

__all__ = ["ScoringSetup", "Scores", "ledger_inputs", "score_evaluations"]

_QUARTER_END = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}


@dataclass(frozen=True)
class ScoringSetup:
    """A plan's scoring rules and the inputs no ledger has (``scoring_inputs.csv``, may be empty)."""

    rules: ScoringRules
    reported: ScoringInputs
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, eq=False)
class Scores:
    """The scores of one period, and where each ledger input was read."""

    rules: ScoringRules
    period: Period
    result: ScoreResult
    sources: dict[str, str] = field(default_factory=dict)  # input id → the period whose evaluation it was read from
    reported: pd.DataFrame = field(default_factory=pd.DataFrame)  # the period's reported rows, with their file and row (溯源)

    @property
    def basis(self) -> str:
        return f"按《{self.rules.label}》评分（{self.rules.source.section}）"


def _model_period(input_at: str | None, period: Period) -> Period | None:
    """The period an input is read at; None when its checkpoint is after the scoring period."""
    if input_at is None:
        return period
    month = _QUARTER_END[input_at]
    return None if month > period.end_month else Period(period.year, month, "quarter")


def ledger_inputs(rules: ScoringRules, period: Period, evaluation_at: Callable[[Period], Evaluation]) -> tuple[ScoringInputs, dict[str, str]]:
    """Every ``origin: ledger`` input of ``rules``, read from the evaluation of its period.

    Units the rules score but the ledger does not have get 0 for counts and amounts (they have no
    projects) and no value for rates (nothing to measure).
    """
    kinds = rules.unit_kinds()
    units = list(kinds)
    unit_rows: list[pd.DataFrame] = []
    project_rows: list[pd.DataFrame] = []
    sources: dict[str, str] = {}
    for d in rules.inputs:
        if d.origin != "ledger" or d.ledger is None:
            continue
        at = _model_period(d.at, period)
        if at is None:
            continue  # a checkpoint not yet due
        ev = evaluation_at(at)
        sources[d.id] = at.label()
        if d.ledger in PROJECT_MEASURES:
            pv = project_values(ev, d.ledger)
            pv = pv[pv["unit"].isin(units)]
            project_rows.append(pd.DataFrame({"unit": pv["unit"], "project_id": pv["project_id"], "input_id": d.id, "value": pv["value"]}))
            continue
        values = unit_values(ev, d.ledger)
        values.index = values.index.astype(str)
        filled = values.reindex(units)
        if d.is_count or d.is_money:
            filled = filled.fillna(0.0)
        frame = pd.DataFrame({"unit": units, "unit_kind": [kinds[u] for u in units], "input_id": d.id, "value": filled.to_numpy(dtype=float)})
        unit_rows.append(frame[~np.isnan(frame["value"].to_numpy(dtype=float))])
    u = pd.concat(unit_rows, ignore_index=True) if unit_rows else pd.DataFrame(columns=list(UNIT_INPUT_COLUMNS))
    p = pd.concat(project_rows, ignore_index=True) if project_rows else pd.DataFrame(columns=list(PROJECT_INPUT_COLUMNS))
    return ScoringInputs(u, p, period.label()), sources


def score_evaluations(setup: ScoringSetup, period: Period, evaluation_at: Callable[[Period], Evaluation]) -> Scores:
    """Score ``period``: ledger inputs from ``evaluation_at(period)`` (and earlier checkpoints), plus the reported ones.

    Only the reported rows of ``period`` are used; a file without a 期别 column, or without rows
    for ``period``, is refused (:func:`~hzlib.scoring.inputs.reported_for_period`).
    """
    ledger, sources = ledger_inputs(setup.rules, period, evaluation_at)
    rows = reported_for_period(setup.reported.units, period)
    reported = ScoringInputs(rows[list(UNIT_INPUT_COLUMNS)], setup.reported.projects, period.label())
    result = score(setup.rules, combine_inputs(ledger, reported))
    return Scores(setup.rules, period, result, sources, rows)
