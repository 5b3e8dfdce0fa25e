"""Quarterly checkpoints (季度目标) of every target of a plan. Pure computation.

>>> from hzlib.plan.schema import Target
>>> t = Target.model_validate({
...     "id": "start_rate_new", "label": "新开工项目开工率", "indicator": "start_rate",
...     "measure": "rate", "value": 100, "unit": "%", "schedule": {"Q1": 56, "Q2": 90, "Q3": 100},
...     "base_count": 13, "scope": {"jurisdiction": "港务区", "level": "city"},
...     "source": {"section": "一、提升速度", "quote": "一、二季度开工率分别达到56%、90%以上"}})
>>> c = checkpoint(t, 2023, "2023Q1")
>>> c.checkpoint, c.checkpoint_count, c.basis
(56.0, 8, '文本给定：一季度56%')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from .arithmetic import milestone_count
from .errors import UsageError
from .periods import Period
from .plan.schema import QUARTER_KEYS, Measure, Phasing, Plan, Target

__all__ = ["Checkpoint", "checkpoint", "plan_checkpoints", "checkpoints_frame", "CHECKPOINT_COLUMNS", "quarter_period"]

_QZH = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}

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
    "basis",
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
    basis: str  # how the checkpoint was derived, in Chinese
    aspiration: bool
    responsible: str
    source_file: str
    source_section: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def quarter_period(plan_year: int, quarter: str | Period) -> Period:
    """Parse a quarter and check it belongs to the plan's year and ends a quarter."""
    p = Period.parse(quarter)
    if p.year != plan_year:
        raise UsageError(f"季度 {p} 不在计划年度 {plan_year} 内 / quarter {p} is outside plan year {plan_year}")
    if not p.is_quarter_end:
        raise UsageError(f"季度目标按季末计算：{p} 不是季末 / {p} is not a quarter end")
    return p


def _schedule_value(schedule: dict[str, float], k: int, unit: str) -> tuple[float, str]:
    pts = {QUARTER_KEYS.index(q) + 1: v for q, v in schedule.items()}
    if k in pts:
        return pts[k], f"文本给定：{_QZH[k]}{pts[k]:g}{unit}"
    ks = sorted(pts)
    if k < ks[0]:
        v = pts[ks[0]] * k / ks[0]
        return v, f"线性插值：{_QZH[ks[0]]}{pts[ks[0]]:g}{unit} 之前按时间均匀推进"
    if k > ks[-1]:
        return pts[ks[-1]], f"沿用{_QZH[ks[-1]]}目标 {pts[ks[-1]]:g}{unit}"
    lo = max(q for q in ks if q < k)
    hi = min(q for q in ks if q > k)
    v = pts[lo] + (pts[hi] - pts[lo]) * (k - lo) / (hi - lo)
    return v, f"线性插值：{_QZH[lo]}与{_QZH[hi]}之间"


def _round_count(x: float) -> float:
    return float(math.ceil(x - 1e-7))


def checkpoint(t: Target, plan_year: int, quarter: str | Period, *, plan_id: str = "", profile: list[float] | None = None, base_counts: dict[str, int] | None = None, source_file: str = "") -> Checkpoint:
    """The checkpoint of one target at the end of ``quarter``."""
    p = quarter_period(plan_year, quarter)
    k = p.quarter
    phasing = t.effective_phasing
    value = t.value
    is_cp = True
    cp: float | None
    if t.year is not None and t.year != plan_year:
        cp, is_cp, basis = value, False, f"{t.year}年目标，不在本年度考核"
    elif phasing is Phasing.CONSTANT:
        cp, basis = value, "全年目标值，各季度相同"
    elif phasing is Phasing.TIME_PROGRESS:
        assert value is not None
        cp = value * k / 4
        if t.measure in (Measure.COUNT,):
            cp = _round_count(cp)
        basis = f"全年目标 × 时序进度 {k * 25}%"
    elif phasing is Phasing.PROFILE:
        assert value is not None
        prof = profile
        if not prof:
            raise ValueError(f"目标 {t.id} 按季节分布分解，但计划没有给出 seasonal_profile")
        share = sum(prof[:k]) / sum(prof)
        cp = value * share
        if t.measure is Measure.COUNT:
            cp = _round_count(cp)
        basis = f"全年目标 × 季节分布累计 {share:.1%}"
    elif phasing is Phasing.SCHEDULE:
        assert t.schedule
        cp, basis = _schedule_value(t.schedule, k, t.unit)
    elif phasing is Phasing.YEAR_END:
        cp = value
        is_cp = k == 4
        basis = "年度目标，年末考核" if is_cp else "年度目标，年末考核（本季度仅供参考）"
    else:  # DEADLINE
        assert t.due is not None
        cp = value
        is_cp = p.end_date >= t.due
        basis = f"限期 {t.due.isoformat()} 完成" + ("" if is_cp else "（未到期）")
    count: int | None = None
    if t.measure is Measure.RATE and cp is not None:
        base = t.base_count
        if base is None and t.base_target and base_counts:
            base = base_counts.get(t.base_target)
        if base is not None:
            count = milestone_count(min(cp, 100.0) / 100.0, base)
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
        basis=basis,
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
            source_file=plan.source_file,
        )
        for t in plan.targets
    ]


def checkpoints_frame(plan: Plan, quarter: str | Period) -> pd.DataFrame:
    """The checkpoint table as a DataFrame with :data:`CHECKPOINT_COLUMNS`."""
    rows = [c.as_dict() for c in plan_checkpoints(plan, quarter)]
    df = pd.DataFrame(rows, columns=CHECKPOINT_COLUMNS)
    df["checkpoint_count"] = df["checkpoint_count"].astype("Int64")
    return df
