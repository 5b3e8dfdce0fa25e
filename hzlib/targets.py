"""Quarterly checkpoints (季度目标) of every target of a plan. Pure computation.

>>> from hzlib.plan.schema import Target
>>> t = Target.model_validate({
...     "id": "start_rate_new", "label": "新开工项目开工率", "indicator": "start_rate",
...     "measure": "rate", "value": 100, "unit": "%", "schedule": {"Q1": 56, "Q2": 90, "Q3": 100},
...     "base_count": 13, "scope": {"jurisdiction": "港务区", "level": "city"},
...     "source": {"section": "一、提升速度", "quote": "一、二季度开工率分别达到56%、90%以上"}})
>>> c = checkpoint(t, 2023, "2023Q1")
>>> c.checkpoint, c.checkpoint_count, c.derivation
(56.0, 8, '文本给定：一季度56%')
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from .arithmetic import milestone_count
from .errors import PlanError, Problem, UsageError
from .glossary import QUARTER_ZH, Status
from .periods import Period
from .plan.schema import QUARTER_KEYS, Measure, Period_, Phasing, Plan, Target
from .units import from_percent, to_percent

__all__ = ["Checkpoint", "checkpoint", "plan_checkpoints", "checkpoints_frame", "checkpoints_table", "CHECKPOINT_COLUMNS", "quarter_period"]

_QZH = QUARTER_ZH

#: Stable English columns of the checkpoint table (csv / json output).
CHECKPOINT_COLUMNS = [
    "plan",
    "target_id",
    "label",
    "indicator",
    "measure",
    "comparator",
    "jurisdiction",
    "level",
    "subset",
    "period",
    "annual_value",
    "checkpoint",
    "checkpoint_count",
    "unit",
    "is_checkpoint",
    "due",
    "phasing",
    "derivation",
    "aspiration",
    "responsible",
    "source_file",
    "source_section",
]


@dataclass(frozen=True)
class Checkpoint:
    """A target's value due at the end of one quarter."""

    plan: str
    target_id: str
    label: str
    indicator: str
    measure: str
    comparator: str
    jurisdiction: str
    level: str
    subset: str | None
    period: str
    annual_value: float | None
    checkpoint: float | None  # value due by the period end, in `unit`
    checkpoint_count: int | None  # for rates over a known number of projects
    unit: str
    is_checkpoint: bool  # False: shown for information (year-end only, or not yet due)
    due: str | None
    phasing: str
    derivation: str  # how the checkpoint was derived, in Chinese
    aspiration: bool
    responsible: str
    source_file: str
    source_section: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def quarter_period(plan_year: int, quarter: str | Period) -> Period:
    """Parse a period of the plan's year (a quarter, half-year or month end).

    >>> quarter_period(2024, "2024Q2").label(), quarter_period(2024, "2024-08").label()
    ('2024Q2', '2024-08')
    """
    p = Period.parse(quarter)
    if p.year != plan_year:
        raise UsageError(f"季度 {p.label()} 不在计划年度 {plan_year} 内 / quarter {p.label()} is outside plan year {plan_year}")
    return p


def _schedule_value(schedule: dict[str, float], months: int, unit: str) -> tuple[float, str]:
    """The schedule's value at the end of month ``months``: given points at quarter ends,
    linear in months between them, from zero before the first, the last after the last."""
    pts = {3 * (QUARTER_KEYS.index(q) + 1): v for q, v in schedule.items()}
    if months in pts:
        return pts[months], f"文本给定：{_QZH[months // 3]}{pts[months]:g}{unit}"
    ms = sorted(pts)
    if months < ms[0]:
        v = pts[ms[0]] * months / ms[0]
        return v, f"线性插值：{_QZH[ms[0] // 3]}{pts[ms[0]]:g}{unit} 之前按时间均匀推进"
    if months > ms[-1]:
        return pts[ms[-1]], f"沿用{_QZH[ms[-1] // 3]}目标 {pts[ms[-1]]:g}{unit}"
    lo = max(m for m in ms if m < months)
    hi = min(m for m in ms if m > months)
    v = pts[lo] + (pts[hi] - pts[lo]) * (months - lo) / (hi - lo)
    return v, f"线性插值：{_QZH[lo // 3]}与{_QZH[hi // 3]}之间"


def cumulative_profile_share(profile: list[float], months: int) -> float:
    """Cumulative share of the year's level by the end of month ``months`` (within a quarter: linear)."""
    total = sum(profile)
    full, part = divmod(months, 3)
    done = sum(profile[:full]) + (profile[full] * part / 3 if part else 0.0)
    return done / total


def _round_count(x: float) -> float:
    return float(math.ceil(x - 1e-7))


def periods_elapsed(per: Period_, start: dt.date, end: dt.date) -> int:
    """Whole periods of a recurring duty completed from ``start`` to ``end`` (inclusive).

    >>> periods_elapsed(Period_.MONTH, dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    6
    >>> periods_elapsed(Period_.QUARTER, dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    1
    >>> periods_elapsed(Period_.WEEK, dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    12
    >>> periods_elapsed(Period_.TWO_MONTHS, dt.date(2019, 8, 20), dt.date(2019, 12, 31))  # Sep–Oct, Nov–Dec (Jul–Aug began before)
    2
    """
    if end < start:
        return 0
    if per is Period_.WEEK:
        return ((end - start).days + 1) // 7
    months = {Period_.MONTH: 1, Period_.TWO_MONTHS: 2, Period_.QUARTER: 3, Period_.HALF_YEAR: 6, Period_.YEAR: 12}[per]
    # period ends (last day of a month that closes a block of `months`, counted in the calendar year) inside [start, end]
    count = 0
    for m in range(months, 13, months):
        last = dt.date(end.year, m, calendar.monthrange(end.year, m)[1])
        if start <= last <= end:
            # a block counts when the duty applied for all of it or it began on its first month
            first = dt.date(end.year, m - months + 1, 1)
            if start <= first or (start.year, start.month) == (first.year, first.month):
                count += 1
    return count


def checkpoint(
    t: Target,
    plan_year: int,
    quarter: str | Period,
    *,
    plan_id: str = "",
    profile: list[float] | None = None,
    base_counts: dict[str, int] | None = None,
    source_file: str = "",
) -> Checkpoint:
    """The checkpoint of one target at the end of ``quarter`` (or any month end of the year)."""
    p = quarter_period(plan_year, quarter)
    months = p.end_month
    phasing = t.effective_phasing
    value = t.value
    is_cp = True
    cp: float | None
    if t.year is not None and t.year != plan_year:
        cp, is_cp, basis = value, False, f"{t.year}年目标，不在本年度考核"
    elif phasing is Phasing.CONSTANT:
        cp, basis = value, "全年目标值，各期相同"
    elif phasing is Phasing.TIME_PROGRESS:
        assert value is not None
        cp = value * months / 12
        if t.measure is Measure.COUNT:
            cp = _round_count(cp)
        basis = f"全年目标 × 时序进度 {float(to_percent(Fraction(months, 12))):.4g}%"
    elif phasing is Phasing.PROFILE:
        assert value is not None
        if not profile:
            raise PlanError([Problem(f"{plan_id}.yaml", None, f"targets({t.id}).phasing", "按季节分布分解，但计划没有给出 seasonal_profile")])
        share = cumulative_profile_share(profile, months)
        cp = value * share
        if t.measure is Measure.COUNT:
            cp = _round_count(cp)
        basis = f"全年目标 × 季节分布累计 {share:.1%}"
    elif phasing is Phasing.SCHEDULE:
        assert t.schedule
        cp, basis = _schedule_value(t.schedule, months, t.unit)
    elif phasing is Phasing.YEAR_END:
        cp = value
        is_cp = months == 12
        basis = "年度目标，年末考核" if is_cp else "年度目标，年末考核（本期仅供参考）"
    elif phasing is Phasing.FREQUENCY:
        assert value is not None and t.frequency is not None
        start = t.frequency.start or dt.date(plan_year, 1, 1)
        n = periods_elapsed(t.frequency.per, start, p.end_date)
        cp = value * n
        is_cp = n > 0
        since = "" if t.frequency.start is None else f"（自{start.month}月{start.day}日起）"
        basis = f"{t.frequency.per.zh}{value:g}{t.unit}{since} × 已满 {n} 个周期" if n else f"{t.frequency.per.zh}{value:g}{t.unit}{since}：尚未满一个周期"
    else:  # DEADLINE
        assert t.due is not None
        cp = value
        is_cp = p.end_date >= t.due
        basis = f"限期 {t.due.isoformat()} 完成" + ("" if is_cp else f"（{Status.PENDING.zh}）")
    count: int | None = None
    if t.measure is Measure.RATE and cp is not None:
        base = t.base_count
        if base is None and t.base_target and base_counts:
            base = base_counts.get(t.base_target)
        if base is not None:
            count = milestone_count(min(from_percent(cp), 1.0), base)
    if cp is not None:
        cp = float(round(cp, 10))
    return Checkpoint(
        plan=plan_id,
        target_id=t.id,
        label=t.label,
        indicator=t.indicator,
        measure=t.measure.value,
        comparator=t.comparator.value,
        jurisdiction=t.scope.jurisdiction,
        level=t.scope.level.value,
        subset=t.scope.subset,
        period=p.label(),
        annual_value=value,
        checkpoint=cp,
        checkpoint_count=count,
        unit=t.unit,
        is_checkpoint=is_cp,
        due=t.due.isoformat() if t.due else None,
        phasing=phasing.value,
        derivation=basis,
        aspiration=t.aspiration,
        responsible="、".join(t.responsible),
        source_file=t.source.file or source_file,
        source_section=t.source.section,
    )


def plan_checkpoints(plan: Plan, quarter: str | Period) -> list[Checkpoint]:
    """Checkpoints of every target of ``plan`` at the end of ``quarter``."""
    base_counts = {t.id: int(t.value) for t in plan.targets if t.measure is Measure.COUNT and t.value is not None}
    return [
        checkpoint(
            t,
            plan.year,
            quarter,
            plan_id=plan.id,
            profile=plan.seasonal_profile,
            base_counts=base_counts,
            source_file=plan.source_file or "",
        )
        for t in plan.targets
    ]


def checkpoints_frame(plan: Plan, quarter: str | Period) -> pd.DataFrame:
    """The checkpoint table as a DataFrame with :data:`CHECKPOINT_COLUMNS`."""
    return checkpoints_table(plan_checkpoints(plan, quarter))


def checkpoints_table(checkpoints: list[Checkpoint]) -> pd.DataFrame:
    """Checkpoints already computed, as a DataFrame with :data:`CHECKPOINT_COLUMNS`."""
    rows = [c.as_dict() for c in checkpoints]
    df = pd.DataFrame(rows, columns=CHECKPOINT_COLUMNS)
    df["checkpoint_count"] = df["checkpoint_count"].astype("Int64")
    return df
