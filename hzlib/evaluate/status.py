"""The one status rule: met / near / missed (达标 / 基本达标 / 未达标) from a gap.

Every place that judges a figure against a checkpoint calls :func:`judge`: the
target table, the 偏离度 table (through the targets it names), per-unit rows,
and the colours of the charts (which read the statuses, never recompute them).

- percentages (growth, share, rate, coverage): the gap is in percentage points;
  near when short by at most ``near_pp`` (or the target's ``tolerance``);
- amounts, counts, quantities: the gap is in the target's unit; near when short
  by at most ``near_ratio`` of the checkpoint;
- ``at_least`` (以上/不低于/达到): met when gap ≥ 0; ``more_than`` (突破/超过): met
  when gap > 0; ``about`` (左右): met down to ``about_pp`` below (percentages only);
  ``at_most`` (以内/不超过): the mirror of ``at_least``;
- not yet due: ``pending`` (未到期), whatever the figure.

>>> from hzlib.plan.schema import Comparator, Tolerances
>>> t = Tolerances()
>>> judge(48.81, 50.0, Comparator.AT_LEAST, percent=True, tolerances=t).status.zh
'基本达标'
>>> judge(45.0, 50.0, Comparator.AT_LEAST, percent=True, tolerances=t).status.zh
'未达标'
>>> j = judge(7.6, 8.0, Comparator.ABOUT, percent=True, tolerances=t)
>>> round(j.gap, 2), j.status.value
(-0.4, 'met')
>>> judge(100.0, 100.0, Comparator.MORE_THAN, percent=True, tolerances=t).status.value
'near'
>>> judge(92.0, 100.0, Comparator.AT_LEAST, percent=False, tolerances=t).status.value
'near'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..arithmetic import EPS, Status
from ..plan.schema import Comparator, Tolerances

__all__ = ["Judgement", "judge", "near_band"]


@dataclass(frozen=True)
class Judgement:
    """A figure against its checkpoint: the signed gap (actual − checkpoint) and the status."""

    gap: float
    status: Status


def near_band(checkpoint: float, *, percent: bool, tolerances: Tolerances, tolerance: float | None = None) -> float:
    """How far short a figure may be and still be 基本达标, in pp or in the target's unit.

    >>> near_band(50.0, percent=True, tolerances=Tolerances()), near_band(200.0, percent=False, tolerances=Tolerances())
    (2.0, 20.0)
    """
    if percent:
        return tolerance if tolerance is not None else tolerances.near_pp
    base = abs(checkpoint) if checkpoint else 1.0
    return (tolerance if tolerance is not None else tolerances.near_ratio) * base


def judge(
    actual: float,
    checkpoint: float,
    comparator: Comparator,
    *,
    percent: bool,
    tolerances: Tolerances,
    tolerance: float | None = None,
    is_checkpoint: bool = True,
) -> Judgement:
    """Gap and status of ``actual`` against ``checkpoint`` (both in the same unit)."""
    gap = actual - checkpoint
    if math.isnan(gap):
        return Judgement(gap, Status.NO_DATA)
    if not is_checkpoint:
        return Judgement(gap, Status.PENDING)
    near = near_band(checkpoint, percent=percent, tolerances=tolerances, tolerance=tolerance)
    about = tolerances.about_pp if percent else 0.0
    g = -gap if comparator is Comparator.AT_MOST else gap
    if comparator is Comparator.MORE_THAN:
        met = g > EPS
    elif comparator is Comparator.ABOUT:
        met = g >= -about - EPS
    else:
        met = g >= -EPS
    if met:
        return Judgement(gap, Status.MET)
    if g >= -near - EPS:
        return Judgement(gap, Status.NEAR)
    return Judgement(gap, Status.MISSED)
