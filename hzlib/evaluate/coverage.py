"""How far the data reaches: the last month each source covers, and the period to evaluate.

A period after the last month in the data is never evaluated as if it were
complete. :func:`resolve_period` refuses it by default, naming the last month
available; with ``allow_partial`` it evaluates at the data's end instead, and the
report says "数据截至 2019年6月" on every page.

>>> import pandas as pd
>>> from hzlib.evaluate.engine import EvaluationData
>>> d = EvaluationData(progress=pd.DataFrame({"project_id": ["a"], "month": ["2019-06"], "completed_cum": [1.0]}))
>>> cov = data_coverage(d, 2019)
>>> cov.end.label(), cov.end_zh
('2019-06', '2019年6月')
>>> resolve_period("2019Q4", 2019, cov, allow_partial=True).label()
'2019Q2'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import CoverageError, UsageError
from ..periods import Period, period_ends

if TYPE_CHECKING:
    from .engine import EvaluationData

__all__ = ["Coverage", "data_coverage", "resolve_period", "period_for_plan"]


@dataclass(frozen=True)
class Coverage:
    """The last month of the plan year each source covers (None: the source has no dated rows)."""

    year: int
    progress: int | None = None  # last month of the monthly progress table
    indicators: int | None = None  # last month of a statistics period
    tasks: int | None = None  # last month of a reported figure

    @property
    def end_month(self) -> int | None:
        months = [m for m in (self.progress, self.indicators, self.tasks) if m is not None]
        return max(months) if months else None

    @property
    def end(self) -> Period | None:
        m = self.end_month
        return None if m is None else Period(self.year, m, "month")

    @property
    def end_zh(self) -> str:
        m = self.end_month
        return "未注明" if m is None else f"{self.year}年{m}月"

    def latest_quarter(self) -> Period | None:
        """The latest quarter end the data covers."""
        m = self.end_month
        if m is None or m < 3:
            return None
        return Period(self.year, m - m % 3, "quarter")


def _last_month_of_year(periods: pd.Series, year: int) -> int | None:
    """The latest end month of ``year`` in a period (or month) column, read by :func:`hzlib.periods.period_ends`
    like every other match on periods."""
    ends = period_ends(periods)
    months = ends.loc[ends["year"] == year, "end_month"]
    return int(months.max()) if len(months) else None


def data_coverage(data: EvaluationData, year: int) -> Coverage:
    """The last month of ``year`` in each dated table of ``data``."""
    prog = _last_month_of_year(data.progress["month"], year) if not data.progress.empty else None
    ind = _last_month_of_year(data.indicators["period"], year) if not data.indicators.empty else None
    tasks = _last_month_of_year(data.tasks["period"], year) if not data.tasks.empty else None
    return Coverage(year, prog, ind, tasks)


def period_for_plan(text: str | Period, year: int) -> Period:
    """Parse a period of the plan year that ends a month (2019Q2, 2019-06, 2019H1)."""
    p = Period.parse(text)
    if p.year != year:
        raise UsageError(f"期别 {p.label()} 不在计划年度 {year} 年内 / period {p.label()} is outside plan year {year}")
    return p


def resolve_period(requested: str | Period, year: int, coverage: Coverage, *, allow_partial: bool = False) -> Period:
    """The period to evaluate: ``requested`` (or ``latest``), refused when the data ends earlier.

    ``latest`` is the latest quarter end the data covers. A requested period beyond the
    data's last month is a :class:`CoverageError` naming that month, unless
    ``allow_partial``: then the data's last month is evaluated.
    """
    end = coverage.end
    if isinstance(requested, str) and requested.strip().lower() == "latest":
        q = coverage.latest_quarter()
        if q is None:
            raise CoverageError(f"数据中没有 {year} 年一个完整季度的进度或指标（数据截至{coverage.end_zh}），无法确定最新季度；请用 --quarter 指定")
        return q
    p = period_for_plan(requested, year)
    if end is None or p.end_month <= end.end_month:
        return p
    if allow_partial:
        return end if end.end_month % 3 else Period(year, end.end_month, "quarter")
    q = coverage.latest_quarter()
    hint = f"可评价的最近季度为 {q.label()}；" if q is not None else ""
    raise CoverageError(
        f"数据截至{coverage.end_zh}，不能评价{p.label_zh()}（{p.label()}）：{hint}"
        f"如需按截至{coverage.end_zh}的数据评价，请加 --allow-partial（notebook 参数 allow_partial=True）"
    )
