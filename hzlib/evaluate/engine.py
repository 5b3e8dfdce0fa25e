"""Evaluate every target of a plan at a period end: actual, checkpoint, gap, status.

Pure computation on normalised frames (see :mod:`hzlib.contracts`). Each target's
actual comes from the measure registry (:mod:`.measures`) on exactly its basis and
scope, or its status is ``no_data`` and ``note`` says why; nothing is guessed and
nothing is silently taken from another basis. The status rule is :mod:`.status`.
Targets checked only at year end, or deadlines not yet due, are ``pending``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..arithmetic import Status, required_growth
from ..periods import Period
from ..plan.schema import Measure, Plan, Target
from ..targets import checkpoint as make_checkpoint
from ..targets import cumulative_profile_share, quarter_period
from . import projects as pj
from .classify import classify_projects
from .coverage import Coverage, data_coverage
from .measures import MeasureContext, effective_basis, is_flow, measure
from .scope import filled_columns
from .status import judge

__all__ = ["EvaluationData", "Evaluation", "evaluate", "RESULT_COLUMNS", "status_of"]

#: Stable English columns of the evaluation table (csv/json).
RESULT_COLUMNS = [
    "target_id",
    "label",
    "indicator",
    "measure",
    "comparator",
    "scope",
    "period",
    "checkpoint",
    "checkpoint_count",
    "actual",
    "actual_count",
    "denominator",
    "gap",
    "gap_unit",
    "unit",
    "status",
    "status_zh",
    "annual_value",
    "projection",
    "projection_method",
    "required_growth",
    "derivation",
    "basis",
    "basis_zh",
    "aspiration",
    "is_checkpoint",
    "note",
]



@dataclass
class EvaluationData:
    """The normalised inputs of one evaluation (any may be empty)."""

    ledger: pd.DataFrame = field(default_factory=pd.DataFrame)
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # reported values, in each target's unit
    illustrative: bool = False  # sample data: every report says so


@dataclass
class Evaluation:
    plan: Plan
    period: Period
    targets: pd.DataFrame
    status: pd.DataFrame  # per-project status at the period end (key projects under way)
    units: pd.DataFrame  # rates per responsible unit
    totals: pd.Series
    illustrative: bool
    status_all: pd.DataFrame = field(default_factory=pd.DataFrame)  # including 谋划/储备 rows
    project_list: pd.DataFrame = field(default_factory=pd.DataFrame)  # the plan's list classes (empty without a rule)
    coverage: Coverage | None = None  # how far each data source reaches

    def summary(self) -> dict[str, int]:
        counts = self.targets["status"].value_counts()
        return {s.value: int(counts.get(s.value, 0)) for s in Status}


def status_of(t: Target, plan: Plan, actual: float, cp: float, *, is_checkpoint: bool) -> tuple[float, Status]:
    """Gap and status of ``actual`` against checkpoint ``cp`` for target ``t`` (see :mod:`.status`)."""
    j = judge(actual, cp, t.comparator, percent=t.is_percent, tolerances=plan.tolerances, tolerance=t.tolerance, is_checkpoint=is_checkpoint)
    return j.gap, j.status


def _profile(data: EvaluationData, jurisdiction: str, indicator: str, year: int) -> list[float] | None:
    pr = data.profiles
    if pr.empty:
        return None
    sel = pr[(pr["jurisdiction"] == jurisdiction) & (pr["indicator"] == indicator) & (pr["year"].astype(int) == year - 1)]
    if sel.empty:
        return None
    row = sel.iloc[-1]
    vals = [float(row[q]) for q in ("q1", "q2", "q3", "q4")]
    if any(np.isnan(vals)) or sum(vals) <= 0:
        return None
    return vals


def _projection(t: Target, actual: float, period: Period, profile: list[float] | None) -> tuple[float | None, str]:
    """Year-end value of a flow if the pace so far holds: by last year's seasonal profile
    (its cumulative share at the period end) or, without one, by time progress."""
    if period.end_month == 12 or not is_flow(t) or t.year is not None:
        return None, ""
    if profile:
        share = cumulative_profile_share(profile, period.end_month)
        if share > 0:
            return actual / share, f"按上年季度分布（截至本期占全年{share:.1%}）推算"
    return actual / float(period.progress), f"按时序进度（{float(period.progress):.0%}）推算"


def evaluate(plan: Plan, quarter: str | Period, data: EvaluationData, *, coverage: Coverage | None = None) -> Evaluation:
    """Evaluate every target of ``plan`` at the end of ``quarter`` (any month end of the plan year).

    Each figure is measured on exactly its target's basis and scope by the measure
    registry (:mod:`.measures`), or is 无数据 with the reason. The caller decides the
    period (see :func:`.coverage.resolve_period`); ``coverage`` defaults to what ``data`` holds.
    """
    period = quarter_period(plan.year, quarter)
    cov = coverage if coverage is not None else data_coverage(data, plan.year)
    status_all = pj.project_status(data.ledger, data.progress, period) if not data.ledger.empty else pd.DataFrame()
    if not status_all.empty and "batch" in status_all.columns:
        status = status_all[~status_all["batch"].isin(["plan", "reserve"])]
    else:
        status = status_all
    units = pj.unit_rates(status, period) if not status.empty and "unit" in status.columns else pd.DataFrame()
    totals = pj.totals(status, period) if not status.empty else pd.Series(dtype=float)
    ctx = MeasureContext(plan, period, status_all, data.indicators, data.tasks, cov, filled_columns(status_all))
    fai_profile = _profile(data, plan.jurisdiction, "fai", plan.year) or plan.seasonal_profile
    base_counts = {t.id: int(t.value) for t in plan.targets if t.measure is Measure.COUNT and t.value is not None}
    rows = []
    for t in plan.targets:
        cp = make_checkpoint(t, plan.year, period, plan_id=plan.id, profile=plan.seasonal_profile, base_counts=base_counts, source_file=plan.source_file or "")
        m = measure(t, ctx)
        actual = m.value
        note = m.reason
        gap = math.nan
        if actual is not None and t.measure is Measure.DEADLINE and t.value is None:
            # a task with a deadline and no number ("完成…调整"): a reported achievement above 0 means done
            st = (Status.MET if actual > 0 else Status.MISSED) if cp.is_checkpoint else Status.PENDING
            note = "未定数量的限期任务：报送值大于0即为完成"
        elif actual is None or cp.checkpoint is None:
            st = Status.PENDING if not cp.is_checkpoint else Status.NO_DATA
        else:
            gap, st = status_of(t, plan, actual, cp.checkpoint, is_checkpoint=cp.is_checkpoint)
        req = math.nan
        if t.measure is Measure.GROWTH and actual is not None and t.value is not None and period.end_month < 12 and period.is_quarter_end:
            profile = _profile(data, t.scope.jurisdiction, t.indicator, plan.year)
            if profile:
                req = required_growth(t.value / 100.0, profile, actual / 100.0, period.quarter) * 100.0
        proj, proj_how = (None, "")
        if actual is not None:
            own = _profile(data, t.scope.jurisdiction, t.indicator, plan.year)
            proj, proj_how = _projection(t, actual, period, own or fai_profile)
        basis = effective_basis(t)
        rows.append(
            {
                "target_id": t.id,
                "label": t.label,
                "indicator": t.indicator,
                "measure": t.measure.value,
                "comparator": t.comparator.value,
                "scope": t.scope.describe(),
                "period": period.label(),
                "checkpoint": cp.checkpoint,
                "checkpoint_count": cp.checkpoint_count,
                "actual": actual,
                "actual_count": m.count,
                "denominator": m.denominator,
                "gap": gap,
                "gap_unit": "pp" if t.is_percent else t.unit,
                "unit": t.unit,
                "status": st.value,
                "status_zh": st.zh,
                "annual_value": t.value,
                "projection": proj,
                "projection_method": proj_how,
                "required_growth": req,
                "derivation": cp.derivation,
                "basis": basis.value if basis is not None else "",
                "basis_zh": m.basis_zh,
                "aspiration": t.aspiration,
                "is_checkpoint": cp.is_checkpoint,
                "note": note,
            }
        )
    df = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    for c in ("checkpoint", "actual", "denominator", "gap", "annual_value", "projection", "required_growth"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in ("checkpoint_count", "actual_count"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    project_list = pd.DataFrame()
    if plan.project_list is not None and not data.ledger.empty:
        project_list = classify_projects(data.ledger, plan.project_list, plan.year, cny_per_usd=plan.cny_per_usd)
    return Evaluation(plan, period, df, status, units, totals, data.illustrative, status_all, project_list, cov)
