"""Reporting periods: months, quarters, half-years and years.

A period is written the way statisticians write it and always means the span
from 1 January to the period's end (cumulative, 累计):

>>> Period.parse("2019-06").end_month, Period.parse("2019Q2").end_month
(6, 6)
>>> time_progress("2019H1")
0.5

Time progress (时序进度) is the elapsed share of the year at the period end,
counted in whole months: end of month m -> m/12.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import UsageError

__all__ = ["Period", "PeriodError", "time_progress", "quarter_of", "QUARTERS"]

QUARTERS = ("Q1", "Q2", "Q3", "Q4")

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
)


class PeriodError(UsageError):
    """A period string that is not one of 2019-06, 2019Q2, 2019H1, 2019."""


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
        """Read ``2019-06``, ``2019Q2``, ``2019H1`` or ``2019``.

        >>> Period.parse("2024Q3")
        Period(year=2024, end_month=9, kind='quarter')
        """
        if isinstance(text, Period):
            return text
        s = str(text).strip()
        for pattern, kind in _PATTERNS:
            m = pattern.match(s)
            if not m:
                continue
            year = int(m.group(1))
            if kind == "month":
                month = int(m.group(2))
                if not 1 <= month <= 12:
                    raise PeriodError(f"月份超出范围 / month out of range: {s!r}")
                return cls(year, month, "month")
            if kind == "quarter":
                return cls(year, 3 * int(m.group(2)), "quarter")
            if kind == "half":
                return cls(year, 6 * int(m.group(2)), "half")
            return cls(year, 12, "year")
        raise PeriodError(
            f"无法识别的期别 {s!r}：应为 2019-06、2019Q2、2019H1 或 2019 "
            f"/ unrecognised period {s!r}: expected 2019-06, 2019Q2, 2019H1 or 2019"
        )

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
        names = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
        if self.kind in ("quarter", "half", "year") and self.end_month in names:
            return f"{self.year}年{names[self.end_month]}"
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
