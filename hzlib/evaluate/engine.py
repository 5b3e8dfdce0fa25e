"""Evaluate every target of a plan at a quarter: actual, checkpoint, gap, status.

Pure computation on normalised frames (see :mod:`hzlib.contracts`). Where a
target's actual cannot be measured from the data, its status is ``no_data``
and ``note`` says why; nothing is guessed.

Status rules (tolerances from the plan file):

- percentages (growth, share, rate): gap in percentage points; ``at_least`` met
  when gap ≥ 0, near when gap ≥ −near_pp; ``more_than`` needs gap > 0;
  ``about`` is met down to −about_pp; ``at_most`` mirrors ``at_least``;
- amounts and counts: gap in the target's unit; near when the shortfall is at
  most ``near_ratio`` of the checkpoint;
- targets checked only at year end, or deadlines not yet due: ``pending``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..arithmetic import EPS, Status, required_growth
from ..periods import Period
from ..plan.schema import Comparator, Measure, Phasing, Plan, Target
from ..targets import checkpoint as make_checkpoint
from ..units import CNY_UNITS, from_wan
from . import projects as pj
from .classify import classify_projects

__all__ = ["EvaluationData", "Evaluation", "evaluate", "RESULT_COLUMNS", "status_of", "measured_from_ledger", "LEDGER_INDICATORS", "NEEDS_REPORT"]

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
    "gap",
    "gap_unit",
    "unit",
    "status",
    "status_zh",
    "annual_value",
    "projection",
    "required_growth",
    "basis",
    "data_source",
    "note",
]

_LEVEL_RANK = {"province": 3, "city": 2, "county": 1, "district": 1}


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

    def summary(self) -> dict[str, int]:
        counts = self.targets["status"].value_counts()
        return {s.value: int(counts.get(s.value, 0)) for s in Status}


def status_of(t: Target, plan: Plan, actual: float, cp: float, *, is_checkpoint: bool) -> tuple[float, Status]:
    """Gap and status of ``actual`` against checkpoint ``cp`` for target ``t``."""
    gap = actual - cp
    if not is_checkpoint:
        return gap, Status.PENDING
    tol = plan.tolerances
    if t.is_percent:
        near = t.tolerance if t.tolerance is not None else tol.near_pp
        about = tol.about_pp
    else:
        base = abs(cp) if cp else 1.0
        near = (t.tolerance if t.tolerance is not None else tol.near_ratio) * base
        about = 0.0
    g = -gap if t.comparator is Comparator.AT_MOST else gap
    if t.comparator is Comparator.MORE_THAN:
        met = g > EPS
    elif t.comparator is Comparator.ABOUT:
        met = g >= -about - EPS
    else:
        met = g >= -EPS
    if met:
        return gap, Status.MET
    if g >= -near - EPS:
        return gap, Status.NEAR
    return gap, Status.MISSED


def _scope_mask(status: pd.DataFrame, t: Target) -> tuple[pd.Series | None, str]:
    """Projects in the target's scope, or None with the reason it cannot be told."""
    mask = pd.Series(True, index=status.index)
    level = t.scope.level.value
    if level != "all" and "level" in status.columns:
        rank = status["level"].map(_LEVEL_RANK).fillna(0)
        mask &= rank >= _LEVEL_RANK[level]
    sub = t.scope.subset or ""
    if t.indicator in _BATCH_COUNTS or t.indicator in _BATCH_AMOUNTS:
        sub = ""  # the batch is the subset ("“四个一批”开工（在建）项目" is the 开工 batch, not only continuing projects)
    if sub:
        if "新开工" in sub or "新建" in sub:
            mask &= status.get("is_new_start", pd.Series(False, index=status.index)).fillna(False).astype(bool)
        elif "续建" in sub or "在建" in sub:
            mask &= ~status.get("is_new_start", pd.Series(False, index=status.index)).fillna(False).astype(bool)
        elif "招商" in sub or "签约" in sub:
            mask &= status.get("is_signed", pd.Series(False, index=status.index)).fillna(False).astype(bool)
        else:
            return None, f"台账无法区分“{sub}”"
    return mask, ""


_RATE_INDICATORS = {
    "start_rate": ("new_started", "new_starts"),
    "procedure_rate": ("new_procedures_done", "new_starts"),
    "invest_completion": ("completed_cum", "annual_plan"),
    "completion_rate": ("completions", "planned_completions"),
    "reserve_start_rate": ("reserve_started", "reserve"),
    "landing_rate": ("landed", "signed"),
}

_BATCH_COUNTS = {
    "four_batches_plan_count": "plan",
    "four_batches_reserve_count": "reserve",
    "four_batches_start_count": "start",
    "completed_project_count": "complete",
}
_BATCH_AMOUNTS = {
    "four_batches_plan_investment": ("plan", "total_investment"),
    "four_batches_reserve_investment": ("reserve", "total_investment"),
    "four_batches_start_investment": ("start", "annual_plan"),
    "completed_project_investment": ("complete", "total_investment"),
}


def _money_out(value_wan: float, unit: str) -> float:
    return from_wan(value_wan, unit) if unit in CNY_UNITS else value_wan


#: Indicators the project ledger measures (with the progress table).
LEDGER_INDICATORS = frozenset(
    {*_RATE_INDICATORS, *_BATCH_COUNTS, *_BATCH_AMOUNTS,
     "key_project_investment", "key_project_count", "new_start_count", "private_inv_share", "industry_inv_share"}
)
#: Note of a target that only a reported figure (tasks file) can measure.
NEEDS_REPORT = "数据中没有该指标（需另行报送）"


def measured_from_ledger(t: Target) -> bool:
    """Whether the project ledger can give ``t``'s actual (given a ledger).

    Growth needs last year's figure, which a ledger of this year does not have.
    """
    return t.indicator in LEDGER_INDICATORS and t.measure is not Measure.GROWTH


def _ledger_actual(t: Target, status: pd.DataFrame, period: Period) -> tuple[float | None, int | None, str]:
    """Actual value of ``t`` from the project ledger: (value in t.unit, count, note)."""
    if not measured_from_ledger(t):
        return None, None, NEEDS_REPORT
    if status.empty:
        return None, None, "无项目台账"
    mask, why = _scope_mask(status, t)
    if mask is None:
        return None, None, why
    s = status[mask]
    ind = t.indicator
    if t.measure is Measure.RATE and ind in _RATE_INDICATORS:
        if s.empty:
            return None, None, "范围内没有项目"
        r = pj.unit_rates(s.assign(_all="all"), period, by="_all").iloc[0]
        num, den = _RATE_INDICATORS[ind]
        if r[den] <= 0:
            return None, None, "分母为零（范围内没有相应项目）"
        value = float(r[num]) / float(r[den]) * 100.0
        count = int(r[num]) if num != "completed_cum" else None
        return value, count, ""
    if t.measure is Measure.AMOUNT and ind == "key_project_investment" and t.unit in CNY_UNITS:
        return _money_out(float(s["completed_cum"].sum()), t.unit), None, ""
    if t.measure is Measure.COUNT and ind in ("key_project_count", "new_start_count"):
        if ind == "new_start_count":
            s = s[s.get("is_new_start", pd.Series(False, index=s.index)).fillna(False).astype(bool)]
        return float(len(s)), len(s), "台账项目数"
    if t.measure is Measure.COUNT and ind in _BATCH_COUNTS and "batch" in s.columns:
        n = int(s["batch"].eq(_BATCH_COUNTS[ind]).sum())
        return float(n), n, "台账项目类别"
    if t.measure is Measure.AMOUNT and ind in _BATCH_AMOUNTS and "batch" in s.columns and t.unit in CNY_UNITS:
        b, col = _BATCH_AMOUNTS[ind]
        if _is_flow(t):  # a batch's planned investment tracked against time progress: what it has completed
            col = "completed_cum"
        v = float(s.loc[s["batch"].eq(b), col].sum()) if col in s.columns else math.nan
        return _money_out(v, t.unit), None, "台账项目类别" + ("（累计完成投资）" if col == "completed_cum" else "")
    if t.measure is Measure.SHARE and ind in ("private_inv_share", "industry_inv_share"):
        shares = pj.ownership_shares(s)
        key = "private_share" if ind == "private_inv_share" else "industry_share"
        v = shares[key]
        if math.isnan(v):
            return None, None, "范围内没有完成投资"
        return v * 100.0, None, "重点项目口径（台账完成投资）"
    return None, None, ""


def _period_labels(period: Period) -> set[str]:
    """The ways a file may write the cumulative period ending with ``period``."""
    return {period.label(), f"{period.year}-{period.end_month:02d}", f"{period.year}Q{period.quarter}"}


def _indicator_rows(ind: pd.DataFrame, jurisdiction: str, period: Period) -> pd.DataFrame:
    if ind.empty:
        return ind
    sel = ind[(ind["jurisdiction"] == jurisdiction)]
    if sel.empty:
        return sel
    return sel[sel["period"].astype(str).isin(_period_labels(period))]


def _task_actual(t: Target, tasks: pd.DataFrame, period: Period) -> tuple[float | None, int | None, str]:
    """A reported value of ``t`` for ``period`` (already in ``t.unit``): (value, count, source)."""
    if tasks.empty:
        return None, None, ""
    sel = tasks[(tasks["target_id"] == t.id) & tasks["period"].astype(str).isin(_period_labels(period)) & tasks["value"].notna()]
    if sel.empty:
        return None, None, ""
    r = sel.iloc[-1]
    v = float(r["value"])
    count = int(round(v)) if t.measure is Measure.COUNT and abs(v - round(v)) < EPS else None
    src = r.get("source")
    return v, count, "任务报送" + (f"（{src}）" if isinstance(src, str) and src else "")


def _indicator_actual(t: Target, plan: Plan, data: EvaluationData, period: Period) -> tuple[float | None, str]:
    rows = _indicator_rows(data.indicators, t.scope.jurisdiction, period)
    if rows.empty:
        return None, ""
    by = rows.drop_duplicates("indicator", keep="last").set_index("indicator")
    ind = t.indicator
    if t.measure is Measure.GROWTH and ind in by.index and pd.notna(by.at[ind, "cum_yoy"]):
        return float(by.at[ind, "cum_yoy"]) * 100.0, "统计数据（累计同比，以公布增速为准）"
    if t.measure is Measure.SHARE:
        if ind in by.index and "level" in by.columns and pd.notna(by.at[ind, "level"]) and ind.endswith("_share"):
            return float(by.at[ind, "level"]) * 100.0, "统计数据"
        part = ind.removesuffix("_share")
        if part in by.index and "fai" in by.index and "level" in by.columns:
            num, den = by.at[part, "level"], by.at["fai", "level"]
            if pd.notna(num) and pd.notna(den) and den > 0:
                return float(num) / float(den) * 100.0, "统计数据（同期累计值之比）"
    if t.measure is Measure.AMOUNT and ind in by.index and "level" in by.columns and pd.notna(by.at[ind, "level"]):
        if t.unit in CNY_UNITS:
            return _money_out(float(by.at[ind, "level"]), t.unit), "统计数据（累计值）"
    return None, ""


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


def _is_flow(t: Target) -> bool:
    """Whether ``t`` accumulates over the year (investment completed, events held), rather
    than being a stock counted at a date (projects in a batch, their total investment)."""
    if t.indicator in _BATCH_COUNTS or t.indicator in _BATCH_AMOUNTS:
        return t.effective_phasing is Phasing.TIME_PROGRESS and t.measure is Measure.AMOUNT
    return True


def _projection(t: Target, actual: float, period: Period) -> float | None:
    """Year-end value if the current pace holds (None for stocks and deadlines)."""
    if t.measure is Measure.GROWTH or t.measure is Measure.SHARE:
        return actual
    if not _is_flow(t):
        return None
    if t.measure is Measure.DEADLINE or (t.year is not None):
        return None
    phasing = t.effective_phasing
    if t.measure is Measure.RATE and phasing is not Phasing.TIME_PROGRESS:
        return None
    if t.measure is Measure.COUNT and phasing is Phasing.CONSTANT:
        return None
    tp = float(period.progress)
    return actual / tp if tp > 0 else None


def evaluate(plan: Plan, quarter: str | Period, data: EvaluationData) -> Evaluation:
    """Evaluate every target of ``plan`` at the end of ``quarter``."""
    from ..targets import quarter_period

    period = quarter_period(plan.year, quarter)
    status_all = pj.project_status(data.ledger, data.progress, period) if not data.ledger.empty else pd.DataFrame()
    # 谋划 and 储备 projects are tracked in the ledger but are not this year's key projects
    if not status_all.empty and "batch" in status_all.columns:
        status = status_all[~status_all["batch"].isin(["plan", "reserve"])]
    else:
        status = status_all
    units = pj.unit_rates(status, period) if not status.empty and "unit" in status.columns else pd.DataFrame()
    totals = pj.totals(status, period) if not status.empty else pd.Series(dtype=float)
    base_counts = {t.id: int(t.value) for t in plan.targets if t.measure is Measure.COUNT and t.value is not None}
    rows = []
    for t in plan.targets:
        cp = make_checkpoint(t, plan.year, period, plan_id=plan.id, profile=plan.seasonal_profile, base_counts=base_counts, source_file=plan.source_file)
        actual, note, source = None, "", ""
        actual_count: int | None = None
        # Where to look, in order: statistics first for jurisdiction-wide growth, shares and
        # amounts; the ledger first for project scopes, with statistics as a fallback for rates.
        indicators_first = t.scope.level.value == "all" and t.measure in (Measure.GROWTH, Measure.SHARE, Measure.AMOUNT)
        use_indicators = indicators_first or t.measure in (Measure.GROWTH, Measure.SHARE)
        sources = ["indicators", "ledger"] if indicators_first else ["ledger"] + (["indicators"] if use_indicators else [])
        # a figure the responsible department reported for this very target comes first
        for src in ["tasks", *sources]:
            if src == "tasks":
                v, n, why = _task_actual(t, data.tasks, period)
                if v is not None:
                    actual, actual_count, source = v, n, why
                    break
            elif src == "indicators":
                v, why = _indicator_actual(t, plan, data, period)
                if v is not None:
                    actual, source, note = v, why, ""
                    break
            else:
                pool = status_all if (t.indicator in _BATCH_COUNTS or t.indicator in _BATCH_AMOUNTS or t.indicator == "reserve_start_rate") else status
                v, n, why = _ledger_actual(t, pool, period)
                if v is not None:
                    actual, actual_count, source = v, n, why or "项目台账"
                    break
                note = why
        gap = math.nan
        if actual is not None and cp.checkpoint is None and t.measure is Measure.DEADLINE and t.value is None:
            # a task with a deadline and no number ("完成…调整"): any reported achievement means done
            st = (Status.MET if actual > 0 else Status.MISSED) if cp.is_checkpoint else Status.PENDING
            note = "未定数量的限期任务：报送值大于0即为完成"
        elif actual is None or cp.checkpoint is None:
            st = Status.PENDING if not cp.is_checkpoint else Status.NO_DATA
            if not note:
                note = NEEDS_REPORT if actual is None else ""
        else:
            gap, st = status_of(t, plan, actual, cp.checkpoint, is_checkpoint=cp.is_checkpoint)
        req = math.nan
        if t.measure is Measure.GROWTH and actual is not None and t.value is not None and period.quarter < 4:
            profile = _profile(data, t.scope.jurisdiction, t.indicator, plan.year)
            if profile:
                req = required_growth(t.value / 100.0, profile, actual / 100.0, period.quarter) * 100.0
        proj = _projection(t, actual, period) if actual is not None else None
        scope = t.scope.jurisdiction + (f"·{t.scope.level.zh}" if t.scope.level.value != "all" else "") + (f"·{t.scope.subset}" if t.scope.subset else "")
        rows.append(
            {
                "target_id": t.id,
                "label": t.label,
                "indicator": t.indicator,
                "measure": t.measure.value,
                "comparator": t.comparator.value,
                "scope": scope,
                "period": period.label(),
                "checkpoint": cp.checkpoint,
                "checkpoint_count": cp.checkpoint_count,
                "actual": actual,
                "actual_count": actual_count,
                "gap": gap,
                "gap_unit": "pp" if t.is_percent else t.unit,
                "unit": t.unit,
                "status": st.value,
                "status_zh": st.zh,
                "annual_value": t.value,
                "projection": proj,
                "required_growth": req,
                "basis": cp.basis,
                "data_source": source,
                "note": note,
            }
        )
    df = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    for c in ("checkpoint", "actual", "gap", "annual_value", "projection", "required_growth"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in ("checkpoint_count", "actual_count"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    project_list = pd.DataFrame()
    if plan.project_list is not None and not data.ledger.empty:
        project_list = classify_projects(data.ledger, plan.project_list, plan.year, cny_per_usd=plan.cny_per_usd)
    return Evaluation(plan, period, df, status, units, totals, data.illustrative, status_all, project_list)
