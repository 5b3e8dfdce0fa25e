"""Internal consistency of a valid plan: warnings a statistician should read.

These are not errors (the text is what it is), but each one is a place where
numbers in the document do not agree with each other:

- a subset larger than its total (``part_of``);
- a task table whose rows do not add up to its stated total, or whose total
  differs from the plan target it breaks down;
- a rate's ``base_count`` that differs from the count target it points to;
- a target the text states twice with different values (``alternatives``);
- a schedule whose last point is below the annual value (the year-end checkpoint would be lower).
"""

from __future__ import annotations

import math

from ..errors import WARNING, Problem
from ..units import CNY_UNITS, convert_money
from .schema import QUARTER_KEYS, Measure, Phasing, Plan, Target

__all__ = ["check_plan"]


def _same_unit_value(t: Target, unit: str) -> float | None:
    if t.value is None:
        return None
    if t.unit == unit:
        return t.value
    if t.unit in CNY_UNITS and unit in CNY_UNITS:
        return convert_money(t.value, t.unit, unit)
    return None


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _schedule_short(t: Target) -> str | None:
    """A cumulative schedule whose last point is below the annual value: the year-end checkpoint is that point.

    (A point above the annual value is an error of the plan file, see :class:`~hzlib.plan.schema.Target`.)
    """
    if not t.schedule or t.value is None or t.measure is Measure.GROWTH or t.effective_phasing is not Phasing.SCHEDULE:
        return None
    last_q, last = list(t.schedule.items())[-1]
    if last >= t.value - 1e-9:
        return None
    rest = "、".join(q for q in QUARTER_KEYS if QUARTER_KEYS.index(q) > QUARTER_KEYS.index(last_q)) or "Q4"
    return (
        f"{t.label} 的进度安排最后一点 {last_q} 为 {_fmt(last)}{t.unit}，低于全年目标 {_fmt(t.value)}{t.unit}："
        f"{rest} 的考核节点按 {_fmt(last)}{t.unit} 计，而不是全年目标；原文要求年末达到全年目标时，请在 schedule 中写 Q4: {_fmt(t.value)}"
    )


def check_plan(plan: Plan, file: str | None = None) -> list[Problem]:
    """Return warnings about internal inconsistencies of ``plan``."""
    name = file or f"{plan.id}.yaml"
    out: list[Problem] = []

    def warn(column: str, msg: str) -> None:
        out.append(Problem(name, None, column, msg, WARNING))

    by_id = {t.id: t for t in plan.targets}
    for t in plan.targets:
        if t.is_percent and t.measure.value in ("share", "rate") and t.value is not None and 0 < t.value <= 1:
            warn(
                f"targets({t.id}).value",
                f"{t.label} 的目标值为 {t.value:g}%，是否误把比例写成了小数？（60% 应写作 60）",
            )
        if t.part_of and t.part_of in by_id:
            parent = by_id[t.part_of]
            pv = _same_unit_value(parent, t.unit)
            if t.value is not None and pv is not None and t.value > pv + 1e-9:
                warn(
                    f"targets({t.id})",
                    f"子项大于总数：{t.label} {_fmt(t.value)}{t.unit} 大于 {parent.label} {_fmt(pv)}{t.unit}",
                )
        if t.base_target and t.base_target in by_id and t.base_count is not None:
            base = by_id[t.base_target]
            if base.value is not None and int(base.value) != t.base_count:
                warn(
                    f"targets({t.id}).base_count",
                    f"base_count {t.base_count} 与 {base.label} 的 {_fmt(base.value)}{base.unit} 不一致",
                )
        short = _schedule_short(t)
        if short is not None:
            warn(f"targets({t.id}).schedule", short)
        for alt in t.alternatives:
            used = _fmt(t.value) if t.value is not None else "（无）"
            warn(
                f"targets({t.id})",
                f"文本前后不一致：{t.label} 采用 {used}{t.unit}，另一处为 {_fmt(alt.value)}{t.unit}（{alt.source.section}：“{alt.source.quote}”）。{alt.note}",
            )

    for a in plan.allocations:
        for c in a.columns:
            vals = [r.values.get(c.id) for r in a.rows]
            nums = [v for v in vals if v is not None and not math.isnan(v)]
            stated = a.total.get(c.id)
            s = sum(nums)
            if stated is not None and nums and abs(s - stated) > 1e-6 * max(1.0, abs(stated)):
                warn(
                    f"allocations({a.id}).{c.id}",
                    f"{a.label}“{c.label}”各单位合计 {_fmt(s)}{c.unit}，与表中合计 {_fmt(stated)}{c.unit} 不符（差 {_fmt(s - stated)}）",
                )
            if c.total_target and c.total_target in by_id and stated is not None:
                tv = _same_unit_value(by_id[c.total_target], c.unit)
                if tv is not None and abs(tv - stated) > 1e-6 * max(1.0, abs(tv)):
                    warn(
                        f"allocations({a.id}).{c.id}",
                        f"{a.label}“{c.label}”合计 {_fmt(stated)}{c.unit} 与目标 {c.total_target} 的 {_fmt(tv)}{c.unit} 不符",
                    )
    for amb in plan.ambiguities:
        warn(f"ambiguities({amb.id})", f"文本有歧义：{amb.topic}；采用“{amb.chosen}”。理由：{amb.why}")
    return out
