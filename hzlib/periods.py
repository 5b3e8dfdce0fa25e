"""Reporting periods: months, quarters, half-years and years.

A period is written the way statisticians write it and always means the span
from 1 January to the period's end (cumulative, 累计):

>>> Period.parse("2019-06").end_month, Period.parse("2019Q2").end_month
(6, 6)
>>> time_progress("2019H1")
0.5

Time progress (时序进度) is the elapsed share of the year at the period end,
counted in whole months: end of month m -> m/12.

Because every period runs from January, a period *is* its year and end month:
``2024Q2``, ``2024H1``, ``2024年上半年``, ``2024年1-6月``, ``2024-06`` and ``2024年6月`` are one
period. Data files are read into one canonical label per period (:meth:`Period.canonical`),
and tables are matched on (year, end month) (:func:`period_ends`, :func:`same_period`),
never on how a label is written:

>>> import pandas as pd
>>> same_period(pd.Series(["2024Q2", "2024年上半年", "2024-05", "2024"]), "2024年1-6月").tolist()
[True, True, False, False]
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .errors import UsageError
from .glossary import CUMULATIVE_ZH, QUARTER_ZH, YEAR_PARTS_ZH

if TYPE_CHECKING:  # pandas is imported where tables are matched, not by `import hzlib`
    import pandas as pd

__all__ = ["Period", "PeriodError", "PERIOD_FORMS_ZH", "time_progress", "quarter_of", "QUARTERS", "canonical_label", "period_ends", "same_period"]

QUARTERS = ("Q1", "Q2", "Q3", "Q4")

_ZH_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
#: Cumulative Chinese names of a year's parts (the glossary's) → (end month, kind). 下半年 ends in
#: December, so as a cumulative period (from January, like every period here) it is the whole year.
_ZH_PARTS = {name: (end, {6: "half", 9: "quarter"}.get(end, "year")) for name, end in YEAR_PARTS_ZH.items()}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})[-/](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月份?$"), "month"),
    (re.compile(r"^(\d{4})年?1[-~至到](\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})年?第?([一二三四1-4])季度$"), "quarter_zh"),
    (re.compile(r"^(\d{4})H([12])$"), "half"),
    (re.compile(r"^(\d{4})年?(" + "|".join(map(re.escape, YEAR_PARTS_ZH)) + ")$"), "part_zh"),
    (re.compile(r"^(\d{4})$"), "year"),
)

#: The forms :meth:`Period.parse` reads, as shown in messages and help texts.
PERIOD_FORMS_ZH = f"2024Q2、2024年{QUARTER_ZH[2]}、2024年{CUMULATIVE_ZH[2]}、2024年{CUMULATIVE_ZH[3]}、2024年1-6月、2024年6月、2024-06、2024H1 或 2024"


class PeriodError(UsageError):
    """A period string that is not one of the forms :meth:`Period.parse` reads."""


@dataclass(frozen=True, order=True)
class Period:
    """A cumulative reporting period of one year, from January to ``end_month``.

    ``kind`` keeps how it was written (month, quarter, half, year) so that it
    prints back the same way.
    """

    year: int
    end_month: int
    kind: str = "month"

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Read a period the way statisticians and data files write it (full-width digits, spaces and
        lower case are fine): ``2019-06``, ``2019/6``, ``2019年6月``, ``2019年1-6月`` (months),
        ``2019Q2``, ``2019-Q2``, ``2019年二季度``, ``2019年第二季度``, ``2019年前三季度`` (quarters),
        ``2019H1``, ``2019年上半年`` (half-years), ``2019``, ``2019年全年`` (years).

        This is the one period parser: command-line options, notebook parameters and the
        period columns of data files all use it.

        >>> Period.parse("2024Q3")
        Period(year=2024, end_month=9, kind='quarter')
        >>> [Period.parse(s).label() for s in ("2024年二季度", "2024年上半年", "2024年1-6月", "２０２４ｑ２", "2024年前三季度")]
        ['2024Q2', '2024H1', '2024-06', '2024Q2', '2024Q3']
        """
        if isinstance(text, Period):
            return text
        s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).upper()
        for pattern, kind in _PATTERNS:
            m = pattern.match(s)
            if not m:
                continue
            year = int(m.group(1))
            if kind == "month":
                month = int(m.group(2))
                if not 1 <= month <= 12:
                    raise PeriodError(f"月份超出范围 / month out of range: {str(text)!r}")
                return cls(year, month, "month")
            if kind == "quarter":
                return cls(year, 3 * int(m.group(2)), "quarter")
            if kind == "quarter_zh":
                return cls(year, 3 * _ZH_NUMBER[m.group(2)], "quarter")
            if kind == "half":
                return cls(year, 6 * int(m.group(2)), "half")
            if kind == "part_zh":
                end, part_kind = _ZH_PARTS[m.group(2)]
                return cls(year, end, part_kind)
            return cls(year, 12, "year")
        raise PeriodError(
            f"无法识别的期别 {str(text).strip()!r}：应为 {PERIOD_FORMS_ZH} "
            f"/ unrecognised period {str(text).strip()!r}: expected e.g. 2024Q2, 2024-06, 2024H1 or 2024"
        )

    def canonical(self) -> Period:
        """The one way data tables write this period: a quarter at a quarter end, else a month.

        >>> [Period.parse(s).canonical().label() for s in ("2024年上半年", "2024年全年", "2024年1-6月", "2024年1-5月")]
        ['2024Q2', '2024Q4', '2024Q2', '2024-05']
        """
        return Period(self.year, self.end_month, "quarter" if self.is_quarter_end else "month")

    def to_quarter(self) -> Period:
        """The same period written as a quarter (2024-06, 2024H1, 2024 → 2024Q2, 2024Q2, 2024Q4).

        A month that does not end a quarter is a :class:`PeriodError`.

        >>> Period.parse("2024年1-6月").to_quarter().label(), Period.parse("2024").to_quarter().label()
        ('2024Q2', '2024Q4')
        """
        if not self.is_quarter_end:
            raise PeriodError(f"{self.label_zh()}（{self.label()}）不是季度末：请写季度，如 {self.year}Q{self.quarter}")
        return Period(self.year, self.end_month, "quarter")

    @property
    def quarter(self) -> int:
        """The quarter the period ends in (1..4)."""
        return (self.end_month - 1) // 3 + 1

    @property
    def is_quarter_end(self) -> bool:
        return self.end_month % 3 == 0

    @property
    def end_date(self) -> dt.date:
        """Last calendar day of the period."""
        last = calendar.monthrange(self.year, self.end_month)[1]
        return dt.date(self.year, self.end_month, last)

    @property
    def progress(self) -> Fraction:
        """Exact time progress as a fraction of the year."""
        return Fraction(self.end_month, 12)

    def label(self) -> str:
        """The period the way it was written: ``2024Q2``."""
        if self.kind == "quarter":
            return f"{self.year}Q{self.quarter}"
        if self.kind == "half":
            return f"{self.year}H{self.end_month // 6}"
        if self.kind == "year":
            return f"{self.year}"
        return f"{self.year}-{self.end_month:02d}"

    def label_zh(self) -> str:
        """Chinese name: 2024年一季度, 2024年上半年, 2024年1-9月, 2024年全年."""
        if self.kind in ("quarter", "half", "year") and self.is_quarter_end:
            return f"{self.year}年{CUMULATIVE_ZH[self.quarter]}"
        if self.end_month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.end_month}月"

    def __str__(self) -> str:
        return self.label()


def time_progress(period: str | Period) -> float:
    """Elapsed share of the year at the end of ``period`` (时序进度).

    >>> [time_progress(p) for p in ("2019-06", "2019Q2", "2019H1", "2019", "2019Q1")]
    [0.5, 0.5, 0.5, 1.0, 0.25]
    """
    return float(Period.parse(period).progress)


def quarter_of(period: str | Period) -> int:
    """Quarter number (1..4) in which ``period`` ends.

    >>> quarter_of("2024-05"), quarter_of("2024Q3")
    (2, 3)
    """
    return Period.parse(period).quarter


def canonical_label(text: str | Period) -> str:
    """The canonical label of a period written any way :meth:`Period.parse` reads.

    >>> canonical_label("2024年二季度"), canonical_label("2024"), canonical_label("2024年6月")
    ('2024Q2', '2024Q4', '2024Q2')
    """
    return Period.parse(text).canonical().label()


@functools.lru_cache(maxsize=4096)
def _ends_of(text: str) -> tuple[float, float]:
    try:
        p = Period.parse(text)
    except PeriodError:
        return math.nan, math.nan
    return float(p.year), float(p.end_month)


def period_ends(periods: pd.Series) -> pd.DataFrame:
    """Year and end month of each period label (NaN where a label is not a period).

    Every table's period column is matched through this one function.

    >>> import pandas as pd
    >>> period_ends(pd.Series(["2024Q2", "2024-06", "2024H1", "2024年全年", "bad"])).to_numpy().tolist()
    [[2024.0, 6.0], [2024.0, 6.0], [2024.0, 6.0], [2024.0, 12.0], [nan, nan]]
    """
    import numpy as np  # lazy: with pandas above
    import pandas as pd  # lazy: pandas costs 700 ms at import of hzlib (which imports this module); only this function needs it

    # a handful of distinct labels, not one per row: parse each once, then spread by the factorised codes
    codes, uniques = pd.factorize(periods, use_na_sentinel=True)
    ends = np.array([_ends_of(str(u)) for u in uniques] + [(math.nan, math.nan)], dtype=float).reshape(-1, 2)
    picked = ends[codes]  # code -1 (a missing label) picks the last row: NaN, as str(NaN) would
    return pd.DataFrame({"year": picked[:, 0], "end_month": picked[:, 1]}, index=periods.index)


def same_period(periods: pd.Series, period: str | Period) -> pd.Series:
    """Rows of a period column that are ``period`` (same year and end month, however written)."""
    p = Period.parse(period)
    ends = period_ends(periods)
    return ((ends["year"] == p.year) & (ends["end_month"] == p.end_month)).astype(bool)
