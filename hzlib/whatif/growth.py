"""Growth arithmetic for what-if questions. Pure functions, fractions throughout (0.06 is 6%).

Notation (as in ``docs/whatif.md`` and :func:`hzlib.arithmetic.required_growth`):
last year's quarterly profile B1..B4 (levels, or shares: only proportions
matter), s_q = B_q / ΣB its shares, k the last quarter with published data and
c_k the published cumulative growth after it (可比口径: the published rate is
authoritative, so this year's level so far is taken as (1 + c_k) · ΣB(1..k)).

**Projection.** An assumed single-quarter growth g_q (当季同比) gives this
year's quarter A_q = B_q · (1 + g_q); the cumulative growth after quarter q > k
is

    c_q = ((1 + c_k) · ΣB(1..k) + ΣA(k+1..q)) / ΣB(1..q) − 1.

An assumed *cumulative* growth c_q at a quarter end gives the quarter itself:
A_q = (1 + c_q) · ΣB(1..q) − (1 + c_{q−1}) · ΣB(1..q−1).

Profile 18/30/27/25 %, 6% after Q2, Q3 grows 6% and Q4 10%: the first three
quarters grow 6.0% and the year 7.0%.

>>> p = growth_path([18, 30, 27, 25], "2024Q2", 0.06, {3: 0.06, 4: 0.10})
>>> round(p.cumulative[3], 6), round(p.year_end, 6)
(0.06, 0.07)

**Growth still needed**, with last year's seasonal profile and with an even
spread (25/25/25/25) side by side; the seasonal figure is
:func:`hzlib.arithmetic.required_growth`:

>>> r = required_growth_compared(0.08, [18, 30, 27, 25], 0.06, 2)
>>> round(r.seasonal, 4), round(r.even, 4)
(0.0985, 0.1)

**Sensitivity.** Year-end growth is linear in the remaining quarters'
growth, so the combinations that land exactly on the target form a straight
line, solved analytically: w_r · r + w_c · c = (1 + G) − (1 + c_k) · S_k − w_r − w_c,
with w the share of last year's total in each axis's quarters. With two
quarters left the grid is Q3 × Q4; with three, Q2 × (one flat rate for Q3 and
Q4); with one, Q4 alone. If Q3 grows 6%, Q4 must grow 14% to reach 8%:

>>> g = sensitivity_grid([18, 30, 27, 25], 2, 0.06, 0.08, rows=[0.06], cols=[0.10, 0.14])
>>> g.values.round(4).tolist(), round(g.break_even.col_for(0.06), 4)
([[0.07, 0.08]], 0.14)

**Uncertainty from history** (:func:`history_band`). Each past year y with
quarterly levels L_y gives a pattern, the ratio of its remaining quarters to
its done quarters, ρ_y = ΣL_y(k+1..4) / ΣL_y(1..k). Applied to this year's
level so far, it projects the year's growth

    G_y = (1 + c_k) · ΣB(1..k) · (1 + ρ_y) / ΣB(1..4) − 1.

The band is the lowest to the highest G_y (with the median), and the share of
past patterns that would reach the target is the share of G_y ≥ G. Last year's
own pattern gives G = c_k (the rest of the year grows like the part done). The
method needs at least three years of history; with fewer, the result says so
(in Chinese) and gives no band.

>>> hist = {2021: [20, 29, 26, 25], 2022: [17, 29, 28, 26], 2023: [18, 30, 27, 25]}
>>> b = history_band(hist, [18, 30, 27, 25], 2, 0.06, 0.08)
>>> [round(x, 4) for x in b.outcomes], round(b.share_reaching, 4)
([0.0384, 0.1061, 0.06], 0.3333)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ..arithmetic import EPS, profile_shares, required_growth
from ..glossary import CUMULATIVE_ZH, FAI_ZH, QUARTER_ZH
from ..periods import Period
from ..units import to_percent

__all__ = [
    "Basis",
    "Assumed",
    "GrowthPath",
    "growth_path",
    "projected_growth",
    "remaining_quarters",
    "BreakEven",
    "SensitivityGrid",
    "sensitivity_grid",
    "flat_sensitivity",
    "growth_axis",
    "RequiredGrowth",
    "required_growth_compared",
    "HistoryBand",
    "history_band",
    "history_from_profiles",
    "EVEN_PROFILE",
    "MIN_HISTORY_YEARS",
    "QUARTER_ZH",
]

#: How an assumed rate is meant: single-quarter growth (当季同比) or cumulative growth at the quarter end (累计同比).
Basis = Literal["single", "cumulative"]
#: Assumed growth for the remaining quarters: one flat rate, one rate per remaining quarter in order, or quarter → rate.
Assumed = float | Sequence[float] | Mapping[int, float]

#: The even spread: every quarter a quarter of the year.
EVEN_PROFILE = (25.0, 25.0, 25.0, 25.0)
#: Fewest past years for an uncertainty band.
MIN_HISTORY_YEARS = 3
#: Chinese names of single quarters (``QUARTER_ZH``) and of the span from January to the end of
#: quarter k (``CUMULATIVE_ZH``) are the glossary's.


def _through(through: int | str | Period) -> int:
    """The last quarter with data, 1..3 (after Q4 nothing remains to assume)."""
    k = through if isinstance(through, int) else Period.parse(through).quarter
    if not isinstance(k, int) or not 1 <= k <= 3:
        raise ValueError(f"基期应为一至三季度（之后才有剩余季度），实际为 {through!r} / base quarter must be 1..3")
    return k


def remaining_quarters(through: int | str | Period) -> tuple[int, ...]:
    """Quarters after ``through``.

    >>> remaining_quarters("2024Q1"), remaining_quarters(3)
    ((2, 3, 4), (4,))
    """
    k = _through(through)
    return tuple(range(k + 1, 5))


def _per_quarter(assumed: Assumed, rest: tuple[int, ...]) -> dict[int, float]:
    if isinstance(assumed, (int, float)):
        return {q: float(assumed) for q in rest}
    if isinstance(assumed, Mapping):
        if set(assumed) != set(rest):
            raise ValueError(f"需要 {list(rest)} 季度的假设，实际为 {sorted(assumed)} / assumptions needed for quarters {list(rest)}")
        return {q: float(assumed[q]) for q in rest}
    values = [float(v) for v in assumed]
    if len(values) != len(rest):
        raise ValueError(f"需要 {len(rest)} 个季度的假设，实际为 {len(values)} 个 / need {len(rest)} values")
    return dict(zip(rest, values))


@dataclass(frozen=True)
class GrowthPath:
    """Cumulative growth at every quarter end from the base quarter on, under an assumption.

    ``levels`` are this year's single-quarter levels of the remaining quarters
    and ``done_level`` the level so far, both in the profile's units (万元 when
    the profile is last year's levels).
    """

    through: int
    profile: tuple[float, float, float, float]
    cum_growth: float
    cumulative: dict[int, float] = field(hash=False)  # quarter -> cumulative growth, quarters through..4
    single: dict[int, float] = field(hash=False)  # quarter -> single-quarter growth, remaining quarters
    levels: dict[int, float] = field(hash=False)  # quarter -> this year's level of that quarter
    done_level: float = 0.0

    @property
    def year_end(self) -> float:
        return self.cumulative[4]

    def at(self, quarter: int) -> float:
        """Cumulative growth after ``quarter`` (the base quarter or a later one)."""
        return self.cumulative[quarter]


def growth_path(
    profile: Sequence[float],
    through: int | str | Period,
    cum_growth: float,
    assumed: Assumed,
    *,
    basis: Basis = "single",
) -> GrowthPath:
    """Cumulative (and single-quarter) growth at each quarter end after ``through``.

    ``assumed`` is a fraction per remaining quarter, single-quarter growth by
    default or, with ``basis="cumulative"``, the cumulative growth at that
    quarter's end.

    >>> p = growth_path([18, 30, 27, 25], 2, 0.06, {3: 0.06, 4: 0.07}, basis="cumulative")
    >>> round(p.single[3], 6), round(p.single[4], 6)
    (0.06, 0.1)

    A cumulative assumption that needs a negative quarter is refused:

    >>> growth_path([18, 30, 27, 25], 2, 0.06, {3: 0.06, 4: -0.5}, basis="cumulative")
    Traceback (most recent call last):
    ...
    ValueError: 假设的累计增速意味着四季度当季投资为负数（-0.295），请检查 / the assumed cumulative growth implies a negative Q4
    """
    k = _through(through)
    rest = tuple(range(k + 1, 5))
    per_q = _per_quarter(assumed, rest)
    profile_shares(profile)  # checks: four values, none negative, positive sum
    base = tuple(float(v) for v in profile)
    total = sum(base)
    done = (1.0 + cum_growth) * sum(base[:k])
    cumulative = {k: float(cum_growth)}
    single: dict[int, float] = {}
    levels: dict[int, float] = {}
    running = done
    for q in rest:
        b_q = base[q - 1]
        if basis == "single":
            a_q = b_q * (1.0 + per_q[q])
        elif basis == "cumulative":
            a_q = (1.0 + per_q[q]) * sum(base[:q]) - running
            if a_q < -EPS * total:
                raise ValueError(
                    f"假设的累计增速意味着{QUARTER_ZH[q]}当季投资为负数（{a_q / total:.3f}），请检查 / the assumed cumulative growth implies a negative Q{q}"
                )
        else:
            raise ValueError(f"basis 应为 single 或 cumulative，实际为 {basis!r}")
        running += a_q
        levels[q] = a_q
        single[q] = a_q / b_q - 1.0 if b_q > 0 else math.nan
        so_far = sum(base[:q])
        cumulative[q] = running / so_far - 1.0 if so_far > 0 else math.nan
    return GrowthPath(k, base, float(cum_growth), cumulative, single, levels, done)  # type: ignore[arg-type]


def projected_growth(
    profile: Sequence[float],
    through: int | str | Period,
    cum_growth: float,
    assumed: Assumed,
    *,
    basis: Basis = "single",
    at: int = 4,
) -> float:
    """Cumulative growth after quarter ``at`` (the year end by default) under ``assumed``.

    >>> round(projected_growth([18, 30, 27, 25], 2, 0.06, [0.06, 0.10]), 6)
    0.07
    >>> round(projected_growth([18, 30, 27, 25], 2, 0.06, 0.06, at=3), 6)
    0.06
    """
    return growth_path(profile, through, cum_growth, assumed, basis=basis).at(at)


# ---- sensitivity -----------------------------------------------------------------


@dataclass(frozen=True)
class BreakEven:
    """The assumptions that land exactly on the target: ``row_weight·r + col_weight·c = constant``.

    ``r`` is the growth on the grid's row axis and ``c`` on its column axis
    (``col_weight`` is 0 on a one-axis grid, where :attr:`rate` is the answer).
    """

    row_weight: float
    col_weight: float
    constant: float

    def col_for(self, row: float) -> float:
        """Column-axis growth that reaches the target given row-axis growth ``row``."""
        if self.col_weight == 0:
            return math.nan
        return (self.constant - self.row_weight * row) / self.col_weight

    def row_for(self, col: float = 0.0) -> float:
        """Row-axis growth that reaches the target given column-axis growth ``col``."""
        if self.row_weight == 0:
            return math.nan
        return (self.constant - self.col_weight * col) / self.row_weight

    @property
    def rate(self) -> float:
        """On a one-axis grid: the growth that reaches the target."""
        return self.row_for(0.0)


@dataclass(frozen=True)
class SensitivityGrid:
    """Year-end growth over assumed growth of the remaining quarters.

    ``values[i, j]`` is the year-end growth when the quarters in
    ``row_quarters`` grow ``rows[i]`` and those in ``col_quarters`` grow
    ``cols[j]`` (single-quarter growth); a one-axis grid has no columns and
    ``values`` is one-dimensional.
    """

    through: int
    cum_growth: float
    target: float
    row_quarters: tuple[int, ...]
    col_quarters: tuple[int, ...]
    rows: tuple[float, ...]
    cols: tuple[float, ...]
    values: np.ndarray = field(hash=False, compare=False)
    break_even: BreakEven

    @property
    def row_label_zh(self) -> str:
        return _quarters_zh(self.row_quarters) + "增速"

    @property
    def col_label_zh(self) -> str:
        return _quarters_zh(self.col_quarters) + "增速" if self.col_quarters else ""

    def frame(self) -> pd.DataFrame:
        """Year-end growth as a frame: index = row growth, columns = column growth (or ``year_end``)."""
        index = pd.Index(self.rows, name="+".join(f"Q{q}" for q in self.row_quarters))
        if not self.col_quarters:
            return pd.DataFrame({"year_end": self.values}, index=index)
        columns = pd.Index(self.cols, name="+".join(f"Q{q}" for q in self.col_quarters))
        return pd.DataFrame(self.values, index=index, columns=columns)

    def reaches(self) -> pd.DataFrame:
        """Whether each combination reaches the annual target."""
        return self.frame() >= self.target - EPS

    def break_even_line(self) -> pd.DataFrame:
        """For each row value, the column growth that lands exactly on the target (analytic)."""
        needed = [self.break_even.col_for(r) if self.col_quarters else self.break_even.rate for r in self.rows]
        return pd.DataFrame({"row": self.rows, "col_needed": needed})


def _quarters_zh(quarters: tuple[int, ...]) -> str:
    names = [QUARTER_ZH[q] for q in quarters]
    if len(names) == 1:
        return names[0]
    return "、".join(n.removesuffix("季度") for n in names[:-1]) + "、" + names[-1]


def growth_axis(center: float, half_width: float = 0.05, step: float = 0.01) -> tuple[float, ...]:
    """Whole-step growth rates covering ``center ± half_width`` (fractions).

    >>> growth_axis(0.0985, 0.02)
    (0.07, 0.08, 0.09, 0.1, 0.11, 0.12)
    """
    if step <= 0 or half_width < 0:
        raise ValueError("step must be > 0 and half_width >= 0")
    lo = math.floor((center - half_width) / step + EPS)
    hi = math.ceil((center + half_width) / step - EPS)
    return tuple(round(i * step, 10) for i in range(lo, hi + 1))


def _grid(
    profile: Sequence[float],
    k: int,
    cum_growth: float,
    target: float,
    row_q: tuple[int, ...],
    col_q: tuple[int, ...],
    rows: Sequence[float] | None,
    cols: Sequence[float] | None,
) -> SensitivityGrid:
    shares = profile_shares(profile)
    done = (1.0 + cum_growth) * sum(shares[:k])
    w_r = sum(shares[q - 1] for q in row_q)
    w_c = sum(shares[q - 1] for q in col_q)
    be = BreakEven(w_r, w_c, (1.0 + target) - done - w_r - w_c)
    center = required_growth(target, profile, cum_growth, k)
    r = np.asarray(rows if rows is not None else growth_axis(center), dtype=float)
    if col_q:
        c = np.asarray(cols if cols is not None else growth_axis(center), dtype=float)
        values = done + w_r * (1.0 + r[:, None]) + w_c * (1.0 + c[None, :]) - 1.0
    else:
        c = np.asarray([], dtype=float)
        values = done + w_r * (1.0 + r) - 1.0
    return SensitivityGrid(k, float(cum_growth), float(target), row_q, col_q, tuple(r.tolist()), tuple(c.tolist()), values, be)


def sensitivity_grid(
    profile: Sequence[float],
    through: int | str | Period,
    cum_growth: float,
    target: float,
    rows: Sequence[float] | None = None,
    cols: Sequence[float] | None = None,
) -> SensitivityGrid:
    """Year-end growth over a grid of single-quarter growth of the remaining quarters.

    After Q2: rows are Q3 growth, columns Q4 growth. After Q1: rows are Q2
    growth, columns one flat rate for Q3 and Q4. After Q3: Q4 growth only
    (``cols`` is ignored). Axes default to whole percents around the growth
    still needed (±5 points).

    >>> g = sensitivity_grid([18, 30, 27, 25], 1, 0.05, 0.08)
    >>> g.row_label_zh, g.col_label_zh
    ('二季度增速', '三、四季度增速')
    >>> round(g.break_even.col_for(0.0866), 4)
    0.0866
    """
    k = _through(through)
    rest = tuple(range(k + 1, 5))
    return _grid(profile, k, cum_growth, target, rest[:1], rest[1:], rows, cols)


def flat_sensitivity(
    profile: Sequence[float],
    through: int | str | Period,
    cum_growth: float,
    target: float,
    rates: Sequence[float] | None = None,
) -> SensitivityGrid:
    """Year-end growth if every remaining quarter grows the same ``rates`` (one axis).

    Its break-even rate is the growth still needed:

    >>> g = flat_sensitivity([18, 30, 27, 25], 1, 0.05, 0.08, rates=[0.08, 0.09])
    >>> round(g.break_even.rate, 4), g.values.round(4).tolist()
    (0.0866, [0.0746, 0.0828])
    """
    k = _through(through)
    return _grid(profile, k, cum_growth, target, tuple(range(k + 1, 5)), (), rates, None)


# ---- growth still needed ---------------------------------------------------------------


@dataclass(frozen=True)
class RequiredGrowth:
    """Growth the remaining quarters need, with the seasonal profile and with an even spread."""

    target: float
    through: int
    cum_growth: float
    seasonal: float
    even: float

    @property
    def difference_pp(self) -> float:
        """Seasonal minus even, in percentage points."""
        return float(to_percent(self.seasonal - self.even))

    def sentence_zh(self, label: str = FAI_ZH) -> str:
        """The two figures in a sentence for a bulletin.

        >>> print(required_growth_compared(0.08, [18, 30, 27, 25], 0.06, 2).sentence_zh())
        固定资产投资上半年累计增长6.0%，要实现全年增长8.0%的目标，三、四季度按上年季节分布需增长9.8%，按各季度均匀分布测算需增长10.0%
        """
        done = CUMULATIVE_ZH[self.through]
        rest = _quarters_zh(tuple(range(self.through + 1, 5)))
        return (
            f"{label}{done}累计增长{to_percent(self.cum_growth):.1f}%，要实现全年增长{to_percent(self.target):.1f}%的目标，"
            f"{rest}按上年季节分布需增长{to_percent(self.seasonal):.1f}%，按各季度均匀分布测算需增长{to_percent(self.even):.1f}%"
        )


def required_growth_compared(target: float, profile: Sequence[float], cum_growth: float, through: int | str | Period) -> RequiredGrowth:
    """:func:`hzlib.arithmetic.required_growth` with last year's profile and with 25/25/25/25.

    >>> r = required_growth_compared(0.08, [18, 30, 27, 25], 0.05, 1)
    >>> round(r.seasonal, 4), round(r.even, 4), round(r.difference_pp, 2)
    (0.0866, 0.09, -0.34)
    """
    k = _through(through)
    return RequiredGrowth(
        float(target),
        k,
        float(cum_growth),
        required_growth(target, profile, cum_growth, k),
        required_growth(target, EVEN_PROFILE, cum_growth, k),
    )


# ---- uncertainty from past years --------------------------------------------------------


@dataclass(frozen=True)
class HistoryBand:
    """Year-end growth if the rest of the year followed each past year's pattern.

    When ``available`` is false there is no band and ``reason_zh`` says why.
    """

    available: bool
    reason_zh: str
    target: float
    years: tuple[int, ...] = ()
    ratios: tuple[float, ...] = ()  # remaining-quarters level / done-quarters level, per year
    outcomes: tuple[float, ...] = ()  # projected year-end growth, per year
    low: float = math.nan
    median: float = math.nan
    high: float = math.nan
    share_reaching: float = math.nan  # share of past patterns reaching the target

    def frame(self) -> pd.DataFrame:
        """One row per past year: its ratio, the projected year-end growth, whether it reaches the target."""
        out = np.asarray(self.outcomes, dtype=float)
        return pd.DataFrame({"year": list(self.years), "ratio": list(self.ratios), "year_end": out, "reaches": out >= self.target - EPS})

    def sentence_zh(self) -> str:
        """The band in a sentence (or why there is none).

        >>> hist = {2021: [20, 29, 26, 25], 2022: [17, 29, 28, 26], 2023: [18, 30, 27, 25]}
        >>> print(history_band(hist, [18, 30, 27, 25], 2, 0.06, 0.08).sentence_zh())
        按2021—2023年共3年的季度走势推算，全年增速在3.8%至10.6%之间（中位数6.0%），3年中有1年的走势能实现8.0%的目标
        """
        if not self.available:
            return self.reason_zh
        n = len(self.years)
        hits = round(self.share_reaching * n)
        return (
            f"按{min(self.years)}—{max(self.years)}年共{n}年的季度走势推算，全年增速在{to_percent(self.low):.1f}%至{to_percent(self.high):.1f}%之间"
            f"（中位数{to_percent(self.median):.1f}%），{n}年中有{hits}年的走势能实现{to_percent(self.target):.1f}%的目标"
        )


def history_from_profiles(profiles: pd.DataFrame, jurisdiction: str, indicator: str, before_year: int) -> dict[int, list[float]]:
    """Past years' quarterly levels of one indicator from a ``profiles`` contract table.

    Years before ``before_year`` only; a year given twice keeps its last row.
    """
    if profiles.empty:
        return {}
    sel = profiles[(profiles["jurisdiction"] == jurisdiction) & (profiles["indicator"] == indicator)]
    sel = sel[sel["year"].astype(int) < before_year].drop_duplicates("year", keep="last").sort_values("year")
    quarters = sel[["q1", "q2", "q3", "q4"]].astype(float).to_numpy()
    return {int(y): q.tolist() for y, q in zip(sel["year"], quarters)}


def history_band(
    history: Mapping[int, Sequence[float]],
    profile: Sequence[float],
    through: int | str | Period,
    cum_growth: float,
    target: float,
    *,
    min_years: int = MIN_HISTORY_YEARS,
) -> HistoryBand:
    """Band of year-end growth from past years' quarterly patterns (method in the module docstring).

    ``history`` maps a year to its four quarterly levels; ``profile`` is last
    year's (the base of this year's growth). Years with missing or zero
    done-quarter levels are left out. With fewer than ``min_years`` usable
    years there is no band:

    >>> b = history_band({2023: [18, 30, 27, 25]}, [18, 30, 27, 25], 2, 0.06, 0.08)
    >>> b.available, b.reason_zh
    (False, '历史季度数据只有1年（2023年），少于3年，不给出区间')
    """
    k = _through(through)
    shares = profile_shares(profile)
    done = (1.0 + cum_growth) * sum(shares[:k])
    years = sorted(history)
    levels = np.array([[float(v) for v in history[y]] for y in years], dtype=float).reshape(len(years), 4) if years else np.empty((0, 4))
    head = levels[:, :k].sum(axis=1)
    tail = levels[:, k:].sum(axis=1)
    usable = np.isfinite(head) & np.isfinite(tail) & (head > 0) & (tail >= 0)
    used = [y for y, ok in zip(years, usable) if ok]
    if len(used) < min_years:
        have = f"（{'、'.join(str(y) for y in used)}年）" if used else ""
        return HistoryBand(False, f"历史季度数据只有{len(used)}年{have}，少于{min_years}年，不给出区间", float(target), tuple(used))
    ratios = tail[usable] / head[usable]
    outcomes = done * (1.0 + ratios) - 1.0
    return HistoryBand(
        True,
        "",
        float(target),
        tuple(used),
        tuple(ratios.tolist()),
        tuple(outcomes.tolist()),
        float(outcomes.min()),
        float(np.median(outcomes)),
        float(outcomes.max()),
        float(np.mean(outcomes >= target - EPS)),
    )
