"""The exact arithmetic of quarterly tracking. Pure functions, no I/O.

All rates are fractions (0.08 is 8%); gaps against a rate are in percentage
points (pp), so -1.19 means 1.19 percentage points behind.

Worked examples (each is also a unit test):

>>> milestone_count(0.56, 13), milestone_count(0.8, 30)
(8, 24)
>>> round(required_growth(0.08, [18, 30, 27, 25], 0.05, 1), 4)
0.0866
>>> c = completion_vs_schedule(239.2, 490.0882, "2019H1")
>>> round(c.rate, 4), c.time_progress, round(c.gap_pp, 2), c.status.value
(0.4881, 0.5, -1.19, 'near')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .glossary import Status  # the statuses and their labels are the glossary's
from .periods import Period, time_progress
from .textfmt import fmt_number
from .units import to_percent

__all__ = [
    "Status",
    "EPS",
    "milestone_count",
    "cumulative_growth",
    "required_growth",
    "profile_shares",
    "completion_vs_schedule",
    "ScheduleCheck",
    "status_for_gap",
    "DEFAULT_NEAR_PP",
]

#: Tolerance for float noise in comparisons (0.8*30 = 24.000000000000004).
EPS = 1e-9

#: Default band, in percentage points, within which a shortfall is 基本达标 (near): the one
#: place this number is written (a plan's ``tolerances.near_pp`` defaults to it).
DEFAULT_NEAR_PP = 2.0


def milestone_count(rate: float, total: int) -> int:
    """Smallest whole number of projects that reaches ``rate`` of ``total``.

    ⌈rate × total⌉ computed with a tolerance, so float noise never adds a
    project: 0.8 × 30 is 24.000000000000004 in binary floating point, and the
    answer is 24, not 25.

    >>> milestone_count(0.56, 13)   # 7.28 -> 8
    8
    >>> milestone_count(0.8, 30)
    24
    >>> milestone_count(1.0, 0)
    0
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    if not 0 <= rate <= 1 + EPS:
        raise ValueError(f"rate must be a fraction in [0, 1], got {rate} (8% is 0.08)")
    return math.ceil(rate * total - 1e-7)


def cumulative_growth(this_year: Sequence[float], last_year: Sequence[float], through: int) -> float:
    """Cumulative year-on-year growth after ``through`` quarters from quarterly levels.

    cum_yoy_k = ΣA(1..k) / ΣB(1..k) − 1

    >>> round(cumulative_growth([105, 315], [100, 300, 300, 300], 2), 4)
    0.05
    """
    k = _check_through(through)
    if len(this_year) < k:
        raise ValueError(f"need {k} quarters of this year's levels, got {len(this_year)}")
    base = float(sum(last_year[:k]))
    if base == 0:
        raise ZeroDivisionError("last year's cumulative level is zero: growth undefined")
    return float(sum(this_year[:k])) / base - 1.0


def profile_shares(profile: Sequence[float]) -> list[float]:
    """Normalise last year's quarterly profile (levels or shares) to shares of 1.

    >>> profile_shares([18, 30, 27, 25])
    [0.18, 0.3, 0.27, 0.25]
    """
    if len(profile) != 4:
        raise ValueError(f"a quarterly profile has 4 values, got {len(profile)}")
    if any(v < 0 for v in profile):
        raise ValueError("profile values must be >= 0")
    total = float(sum(profile))
    if total <= 0:
        raise ValueError("profile sums to zero")
    return [v / total for v in profile]


def required_growth(
    target: float,
    profile: Sequence[float],
    cum_growth: float,
    through: int | str | Period,
) -> float:
    """Growth the remaining quarters need so the year reaches ``target``.

    ``profile`` is last year's quarterly levels or shares B1..B4 (any scale);
    ``cum_growth`` is the published cumulative growth after ``through``
    quarters (an int 1..3, or a period such as ``"2024Q1"``). Then
    ΣA(1..k) = (1 + cum_growth) · ΣB(1..k) and

        r = ((1 + target) · ΣB(1..4) − ΣA(1..k)) / ΣB(k+1..4) − 1.

    Profile 18/30/27/25 %, annual target 8%, Q1 growth 5%:
    r = (1.08 − 0.18 × 1.05) / 0.82 − 1 = 8.66%.

    >>> round(required_growth(0.08, [18, 30, 27, 25], 0.05, "2024Q1"), 6)
    0.086585

    After Q4 nothing remains: a ValueError says so.
    """
    k = through if isinstance(through, int) else Period.parse(through).quarter
    k = _check_through(k)
    if k >= 4:
        raise ValueError("no quarters remain after Q4: the year's growth is already known")
    shares = profile_shares(profile)
    done = (1.0 + cum_growth) * sum(shares[:k])
    remaining_base = sum(shares[k:])
    if remaining_base <= 0:
        raise ValueError("last year's remaining quarters are zero: required growth undefined")
    return ((1.0 + target) - done) / remaining_base - 1.0


def _check_through(k: int) -> int:
    if not isinstance(k, int) or not 1 <= k <= 4:
        raise ValueError(f"quarter must be 1..4, got {k!r}")
    return k


@dataclass(frozen=True)
class ScheduleCheck:
    """Completion against time progress at one period end."""

    completed: float
    planned: float
    rate: float  # completed / planned, a fraction (nan when planned is 0)
    time_progress: float  # fraction of the year elapsed
    gap_pp: float  # (rate - time_progress) in percentage points
    status: Status

    def sentence_zh(self, unit: str = "亿元", period_zh: str = "", *, subject: str = "", per_unit: float = 1.0, with_status: bool = False) -> str:
        """The bulletin's sentence on completion against time progress, written from the numbers
        (the only place it is written). ``per_unit``: how many of the figures' unit make one
        ``unit`` shown (10000 when the figures are in 万元 and the sentence says 亿元);
        ``subject`` goes before 完成投资; ``with_status`` adds the status in brackets.

        >>> completion_vs_schedule(239.2, 490.0882, "2019H1").sentence_zh(period_zh="上半年")
        '上半年完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点'
        >>> completion_vs_schedule(2392000, 4900882, "2019H1").sentence_zh(period_zh="上半年", subject="全部200个重点项目",
        ...                                                            per_unit=1e4, with_status=True)
        '上半年全部200个重点项目完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点（基本达标）'
        >>> completion_vs_schedule(56, 100, "2019H1").sentence_zh()
        '完成投资56亿元，占年度计划的56.0%，高于时序进度6个百分点'
        """
        if self.status is Status.NOT_APPLICABLE:
            return f"{period_zh}无年度计划投资，完成率不适用"
        head = f"{period_zh}{subject}完成投资{fmt_number(self.completed / per_unit)}{unit}，占年度计划的{to_percent(self.rate):.1f}%"
        gap = round(self.gap_pp, 1)
        if gap > 0:
            rel = f"高于时序进度{fmt_number(gap, 1)}个百分点"
        elif gap < 0:
            rel = f"低于时序进度{fmt_number(-gap, 1)}个百分点"
        else:
            rel = "与时序进度持平"
        return f"{head}，{rel}" + (f"（{self.status.zh}）" if with_status else "")


def completion_vs_schedule(
    completed: float,
    planned: float,
    period: str | Period,
    near_pp: float = DEFAULT_NEAR_PP,
) -> ScheduleCheck:
    """Investment completion rate against time progress (完成率 vs 时序进度).

    ``completed`` and ``planned`` must be in the same unit. Status: met when the
    rate reaches time progress, near when it is short by at most ``near_pp``
    percentage points, missed otherwise; not applicable when nothing is planned.

    安康 2019 H1: 239.2亿元 of 4,900,882万元 (= 490.0882亿元):

    >>> c = completion_vs_schedule(239.2, 490.0882, "2019H1")
    >>> f"{c.rate:.2%}", c.time_progress, f"{c.gap_pp:.2f}", c.status.zh
    ('48.81%', 0.5, '-1.19', '基本达标')
    """
    if near_pp < 0:
        raise ValueError("near_pp must be >= 0")
    if completed < 0 or planned < 0:
        raise ValueError("completed and planned investment must be >= 0")
    tp = time_progress(period)
    if planned == 0:
        return ScheduleCheck(completed, planned, math.nan, tp, math.nan, Status.NOT_APPLICABLE)
    rate = completed / planned
    gap_pp = to_percent(rate - tp)
    return ScheduleCheck(completed, planned, rate, tp, gap_pp, status_for_gap(gap_pp, near_pp))


def status_for_gap(gap: float, near: float, *, higher_is_better: bool = True, strict: bool = False, slack: float = 0.0) -> Status:
    """The one status rule (达标 / 基本达标 / 未达标) from a signed gap (actual − checkpoint).

    Every status of the bulletin comes from here: targets through
    :func:`hzlib.evaluate.status.judge` (which sets the band and the comparator's
    options from the plan), units' and projects' completion against time progress
    (:func:`completion_vs_schedule`, :mod:`hzlib.evaluate.projects`) directly.

    - the gap is taken in the better direction (``higher_is_better=False`` for 以内/不超过);
    - met when it is ≥ 0, or > 0 when ``strict`` (突破/超过), or ≥ −``slack`` (左右);
    - near when short by at most ``near`` (in the gap's unit); missed otherwise;
    - a NaN gap has no figure: 无数据.

    Comparisons allow :data:`EPS` of float noise, so a figure exactly on a line is on it.

    >>> status_for_gap(0.0, 2).value, status_for_gap(-1.19, 2).value, status_for_gap(-2.5, 2).value
    ('met', 'near', 'missed')
    >>> status_for_gap(-2.0, 2).value, status_for_gap(0.0, 2, strict=True).value, status_for_gap(-0.4, 2, slack=0.5).value
    ('near', 'near', 'met')
    """
    if math.isnan(gap):
        return Status.NO_DATA
    g = gap if higher_is_better else -gap
    met = g > EPS if strict else g >= -slack - EPS
    if met:
        return Status.MET
    if g >= -near - EPS:
        return Status.NEAR
    return Status.MISSED


def statuses_for_gaps(gaps: Sequence[float] | Any, near: float) -> list[Status]:
    """:func:`status_for_gap` (higher is better, no slack) for many gaps at once: the same rule,
    vectorised for a province-sized ledger (a million projects' completion against time progress).

    >>> gaps = [0.0, -1.19, -2.0, -2.5, float("nan"), 3.0, -2.0 - 1e-12]
    >>> statuses_for_gaps(gaps, 2) == [status_for_gap(g, 2) for g in gaps]
    True
    """
    import numpy as np  # lazy: numpy (with pandas) is loaded by every caller with a ledger; the scalar rule needs neither

    g = np.asarray(gaps, dtype=float)
    choice = np.select([np.isnan(g), g >= -EPS, g >= -near - EPS], [0, 1, 2], default=3)
    return [(Status.NO_DATA, Status.MET, Status.NEAR, Status.MISSED)[k] for k in choice.tolist()]
