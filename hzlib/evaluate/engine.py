"""Evaluate every target of a plan at a period end: actual, checkpoint, gap, status.

Pure computation on normalised frames (see :mod:`hzlib.contracts`). Each target's
actual comes from the measure registry (:mod:`.measures`) on exactly its basis and
scope, or its status is ``no_data`` and ``note`` says why; nothing is guessed and
nothing is silently taken from another basis. The status rule is :mod:`.status`.
Targets checked only at year end, or deadlines not yet due, are ``pending``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..arithmetic import EPS, ScheduleCheck, Status, required_growth
from ..glossary import NOT_THIS_YEAR
from ..ingest.evaluation_data import EvaluationData
from ..periods import Period
from ..plan.indicators import effective_basis
from ..plan.schema import Measure, Plan, Target
from ..targets import Checkpoint, checkpoints_table, cumulative_profile_share, plan_checkpoints, quarter_period
from ..textfmt import fmt_number
from ..units import from_percent, to_percent
from . import projects as pj
from .classify import classify_projects
from .coverage import Coverage, data_coverage
from .measures import MeasureContext, Measurement, is_discrete, is_flow, measure, projectable
from .scope import filled_columns
from .status import judge_target

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
    "remaining",
    "required_growth",
    "derivation",
    "basis",
    "basis_zh",
    "aspiration",
    "is_checkpoint",
    "note",
]


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
    #: Each target's measurement, with the rows it was computed from (see :mod:`.derivation`).
    measurements: dict[str, Measurement] = field(default_factory=dict, repr=False)
    #: Per data file, contract column id → the header its values were read from.
    source_columns: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    #: Last year's quarterly levels the projections and required growth read (see :func:`profile_row`).
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: Every target's checkpoint at the period (:data:`hzlib.targets.CHECKPOINT_COLUMNS`), computed once here.
    checkpoints: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every target's checkpoint at each quarter end of the year (index target_id, columns Q1..Q4; NaN: none).
    checkpoint_path: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: All key projects' completed investment against time progress (None when the ledger cannot tell).
    completion: ScheduleCheck | None = None
    #: The ledger start-rate target the units' start rates are judged against (``units["start_status"]``).
    start_target: str | None = None
    #: How each projected target's year-end projection was made (the table's ``projection`` and ``projection_method``).
    projections: dict[str, Projection] = field(default_factory=dict, repr=False)

    def summary(self) -> dict[str, int]:
        counts = self.targets["status"].value_counts()
        return {s.value: int(counts.get(s.value, 0)) for s in Status}


def status_of(t: Target, plan: Plan, actual: float | None, cp: float | None, *, is_checkpoint: bool) -> tuple[float, Status]:
    """Gap and status of ``actual`` against checkpoint ``cp`` for target ``t`` (:func:`.status.judge_target`)."""
    j = judge_target(t, actual, cp, is_checkpoint=is_checkpoint, tolerances=plan.tolerances)
    return j.gap, j.status


def _checkpoint_path(plan: Plan, period: Period, at_period: list[Checkpoint]) -> pd.DataFrame:
    """Every target's checkpoint at each quarter end of the plan year (index target_id, columns Q1..Q4)."""
    path: dict[str, list[float]] = {}
    for q in range(1, 5):
        cps = at_period if period.end_month == 3 * q else plan_checkpoints(plan, f"{plan.year}Q{q}")
        path[f"Q{q}"] = [math.nan if c.checkpoint is None else float(c.checkpoint) for c in cps]
    return pd.DataFrame(path, index=pd.Index([t.id for t in plan.targets], name="target_id"), dtype=float)


def _start_target(plan: Plan, targets: pd.DataFrame) -> tuple[str | None, float | None]:
    """The plan's ledger start-rate target that the units' start rates are judged against:
    the first one with a checkpoint this period (None when the plan sets none)."""
    for t in plan.targets:
        if t.indicator == "start_rate" and t.measure is Measure.RATE:
            row = targets[targets["target_id"] == t.id]
            if len(row) and row["basis"].iloc[0] == "ledger" and not pd.isna(row["checkpoint"].iloc[0]):
                return t.id, float(row["checkpoint"].iloc[0])
    return None, None


def profile_row(profiles: pd.DataFrame, jurisdiction: str, indicator: str, year: int) -> pd.Series | None:
    """The row of last year's quarterly levels (``profiles``) a figure of ``year`` uses, if usable."""
    pr = profiles
    if pr.empty:
        return None
    sel = pr[(pr["jurisdiction"] == jurisdiction) & (pr["indicator"] == indicator) & (pr["year"].astype(int) == year - 1)]
    if sel.empty:
        return None
    row = sel.iloc[-1]
    vals = [float(row[q]) for q in ("q1", "q2", "q3", "q4")]
    if any(np.isnan(vals)) or sum(vals) <= 0:
        return None
    return row


def _profile(data: EvaluationData, jurisdiction: str, indicator: str, year: int) -> list[float] | None:
    row = profile_row(data.profiles, jurisdiction, indicator, year)
    return None if row is None else [float(row[q]) for q in ("q1", "q2", "q3", "q4")]


@dataclass(frozen=True)
class Projection:
    """How a target's year-end projection was made: ``value`` = actual ÷ ``share``, the part of the
    year the actual covers: last year's cumulative quarterly share at the period end (``profile``:
    the profiles row read, as (jurisdiction, indicator); None with the plan's own seasonal profile)
    or, without a profile, time progress (``by_profile`` False)."""

    value: float
    share: float
    by_profile: bool
    profile: tuple[str, str] | None
    sentence: str


def _projection(t: Target, actual: float, period: Period, profiles: list[tuple[tuple[str, str] | None, list[float] | None]]) -> Projection | None:
    """Year-end value of an amount, quantity or count of many items if the pace so far holds: by
    the first usable of ``profiles`` (last year's seasonal profile, its cumulative share at the
    period end; each with the profiles row it came from) or, without one, by time progress. Rates,
    shares, growth and counts of discrete items are never projected (:func:`.measures.projectable`)."""
    if period.end_month == 12 or not projectable(t) or t.year is not None:
        return None
    for key, profile in profiles:
        if profile:
            share = cumulative_profile_share(profile, period.end_month)
            if share > 0:
                return Projection(actual / share, share, True, key, f"按上年季度分布（截至本期占全年{fmt_number(to_percent(share), 1)}%）推算")
            break
    tp = float(period.progress)
    return Projection(actual / tp, tp, False, None, f"按时序进度（{fmt_number(to_percent(tp), 2)}%）推算")  # as the heading writes it


def _remaining(t: Target, actual: float, count: int | None, period: Period) -> str:
    """What a count of discrete items (:func:`.measures.is_discrete`) shows instead of a projection:
    done, or the whole items still to do and the time left to the target's deadline (its ``due``,
    else 31 December). Empty at year end (the status says it) and for any other target.

    >>> from hzlib.plan.schema import Target
    >>> src = {"file": "x.txt", "section": "一", "quote": "认定高新技术企业5家"}
    >>> t = Target.model_validate({"id": "f", "label": "高新技术企业", "indicator": "high_tech_firm_count", "measure": "count",
    ...     "value": 5, "unit": "家", "basis": "report", "phasing": "year_end", "scope": {"jurisdiction": "镇巴县"}, "source": src})
    >>> _remaining(t, 4.0, 4, Period.parse("2024Q3"))
    '已完成4家（全年5家），尚差1家，剩余期限至12月31日（还有3个月）'
    >>> _remaining(t.model_copy(update={"value": 1.0}), 0.0, 0, Period.parse("2024Q2")), _remaining(t, 5.0, 5, Period.parse("2024Q3"))
    ('尚未完成，剩余期限至12月31日（还有6个月）', '已完成5家，达到全年5家')
    """
    if period.end_month == 12 or t.year is not None or t.value is None or not (is_flow(t) and is_discrete(t)):
        return ""
    target, unit = float(t.value), t.unit
    done = f"{count if count is not None else fmt_number(actual)}{unit}"
    if actual >= target - EPS:
        return (
            f"已完成（全年1{unit}）"
            if target == 1 and actual == 1
            else f"已完成{done}，{'达到' if actual <= target + EPS else '超过'}全年{fmt_number(target)}{unit}"
        )
    due = t.due or dt.date(period.year, 12, 31)
    if due <= period.end_date:
        left = f"完成期限（{due.month}月{due.day}日）已到"
    else:
        months = (due.year - period.year) * 12 + due.month - period.end_month
        when = f"{due.month}月{due.day}日" if due.year == period.year else f"{due.year}年{due.month}月{due.day}日"
        left = f"剩余期限至{when}（还有{months}个月）"
    if target == 1:
        return f"尚未完成，{left}"
    return f"已完成{done}（全年{fmt_number(target)}{unit}），尚差{fmt_number(target - actual)}{unit}，{left}"


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
        status = status_all[~status_all["batch"].isin(NOT_THIS_YEAR)]
    else:
        status = status_all
    units = pj.unit_rates(status, period) if not status.empty and "unit" in status.columns else pd.DataFrame()
    totals = pj.totals(status, period) if not status.empty else pd.Series(dtype=float)
    ctx = MeasureContext(plan, period, status_all, data.indicators, data.tasks, cov, filled_columns(status_all))
    fai_row = _profile(data, plan.jurisdiction, "fai", plan.year)
    fai_profile = ((plan.jurisdiction, "fai"), fai_row) if fai_row else (None, plan.seasonal_profile)
    projections: dict[str, Projection] = {}
    cps = plan_checkpoints(plan, period)  # every checkpoint of the evaluation, computed once
    rows = []
    measurements: dict[str, Measurement] = {}
    for t, cp in zip(plan.targets, cps, strict=True):
        m = measure(t, ctx)
        measurements[t.id] = m
        actual = m.value
        j = judge_target(t, actual, cp.checkpoint, is_checkpoint=cp.is_checkpoint, tolerances=plan.tolerances)
        gap, st, note = j.gap, j.status, j.note or m.reason
        req = math.nan
        target_fraction = t.fraction  # a growth target is in %, so this is None only when the plan gives no value
        if t.measure is Measure.GROWTH and actual is not None and target_fraction is not None and period.end_month < 12 and period.is_quarter_end:
            profile = _profile(data, t.scope.jurisdiction, t.indicator, plan.year)
            if profile:
                req = to_percent(required_growth(target_fraction, profile, from_percent(actual), period.quarter))
        proj, proj_how, remaining = (None, "", "")
        if actual is not None:
            own = _profile(data, t.scope.jurisdiction, t.indicator, plan.year)
            pr = _projection(t, actual, period, [((t.scope.jurisdiction, t.indicator), own), fai_profile] if own else [fai_profile])
            if pr is not None:
                projections[t.id] = pr
                proj, proj_how = pr.value, pr.sentence
            remaining = _remaining(t, actual, m.count, period)
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
                "remaining": remaining,
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
    start_id, start_cp = _start_target(plan, df)
    units = pj.unit_statuses(units, plan.tolerances.near_pp, start_cp)
    completion = pj.completion_check(totals, period, plan.tolerances.near_pp)
    return Evaluation(
        plan,
        period,
        df,
        status,
        units,
        totals,
        data.illustrative,
        status_all,
        project_list,
        cov,
        measurements,
        data.source_columns,
        profiles=data.profiles,
        checkpoints=checkpoints_table(cps),
        checkpoint_path=_checkpoint_path(plan, period, cps),
        completion=completion,
        projections=projections,
        start_target=start_id,
    )
