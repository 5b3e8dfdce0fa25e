"""Cell parsers: text and Excel values to numbers, money, percents, dates, months, bools.

Every parser works on a whole column (a pandas Series) and returns the parsed
values plus a boolean mask of the cells it could not read; the caller turns
masks into problems naming rows. Numbers go through ``pd.to_numeric`` first;
only the cells that fail that fast path are looked at as text. Dates,
months, periods and categories are parsed once per distinct value and mapped
back, so a 100k-row ledger costs only as much as its distinct values.

>>> import pandas as pd
>>> v, u, bad = parse_number(pd.Series(["1,234.5", 3, "约3000", None, "2.5亿"], dtype=object))
>>> list(v.round(1)), list(u), list(bad)
([1234.5, 3.0, nan, nan, 2.5], [None, None, None, None, '亿元'], [False, False, True, False, False])
>>> d, bad = parse_date(pd.Series(["2024-03-05", "2024年3月5日", "20240305", 45356, "2024.3"], dtype=object))
>>> [x.strftime("%Y-%m-%d") for x in d], bool(bad.any())
(['2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-01'], False)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..periods import PeriodError, canonical_label
from ..units import from_percent
from .aliases import BOOL_VALUES, normalise_value
from .cells import factorize_cells

__all__ = [
    "EXCEL_ERRORS",
    "PLACEHOLDERS",
    "excel_error_mask",
    "on_uniques",
    "blank_mask",
    "nonfinite_mask",
    "percent_only_mask",
    "to_text",
    "parse_number",
    "parse_unit",
    "parse_usd_unit",
    "parse_percent",
    "parse_date",
    "parse_dates",
    "IMPOSSIBLE",
    "NEEDS_YEAR",
    "AMBIGUOUS",
    "UNREADABLE",
    "ambiguous_numbers",
    "parse_month",
    "parse_period",
    "parse_bool",
    "parse_category",
    "parse_int",
]

#: Excel error values, reported wherever they appear.
EXCEL_ERRORS = ("#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA")
_EXCEL_ERRORS_SET = frozenset(EXCEL_ERRORS) | frozenset(e.lower() for e in EXCEL_ERRORS)

#: Cell texts that mean "no value" (treated as blank, in any column).
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "–", "－", "/", "／", "\\", "nan", "NaN", "None", "null", "NULL"})
_BLANKS = PLACEHOLDERS | {""}

#: Unit strings (normalised) and their factor to 万元.
_CNY_FACTORS: dict[str, float] = {
    "万元": 1.0,
    "万": 1.0,
    "万元人民币": 1.0,
    "人民币万元": 1.0,
    "10kyuan": 1.0,
    "10,000yuan": 1.0,
    "wanyuan": 1.0,
    "10kcny": 1.0,
    "亿元": 1e4,
    "亿": 1e4,
    "亿元人民币": 1e4,
    "人民币亿元": 1e4,
    "100myuan": 1e4,
    "yiyuan": 1e4,
    "100mcny": 1e4,
    "元": 1e-4,
    "人民币元": 1e-4,
    "yuan": 1e-4,
    "cny": 1e-4,
    "rmb": 1e-4,
}
_USD = frozenset({"美元", "万美元", "亿美元", "万美金", "美金", "usd", "10kusd"})

#: Minus signs pasted from PDF/Word (hyphen, non-breaking hyphen, figure dash, en dash, minus sign,
#: small and fullwidth hyphen-minus), read as ``-`` in front of a number.
_DASHES = "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"
_LEADING_DASH = re.compile(f"^([+]?)[{_DASHES}]")
#: Texts of non-finite values (after NFKC, spaces and case removed): refused as not a number.
_NONFINITE = re.compile(r"^[+-]?(?:nan|inf|infinity|∞)%?$")
_NUM_RE = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(万元|亿元|元|万|亿)?$", re.I)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")


def on_uniques(s: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised ``func`` to the distinct non-null values of ``s`` only, and spread back.

    Text columns of ledgers repeat a lot (units, levels, dates), so string
    operations on the distinct values are much cheaper than on every cell.

    >>> list(on_uniques(pd.Series([" a", None, " a"], dtype=object), lambda u: u.str.strip()))
    ['a', None, 'a']
    """
    codes, uniques = factorize_cells(s.to_numpy(dtype=object))
    res = func(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    out = np.empty(len(res) + 1, dtype=object)
    out[:-1] = res
    out[-1] = None
    return pd.Series(out[codes], index=s.index, dtype=object)


def excel_error_mask(s: pd.Series) -> pd.Series:
    """Cells holding an Excel error value such as ``#REF!``.

    >>> list(excel_error_mask(pd.Series(["#REF!", "#N/A", "REF", 1], dtype=object)))
    [True, True, False, False]
    """
    return s.isin(_EXCEL_ERRORS_SET)


def blank_mask(s: pd.Series) -> pd.Series:
    """Empty cells and placeholders such as ``-`` or ``/`` (cells are stripped when read).

    >>> list(blank_mask(pd.Series([None, "-", "0", ""], dtype=object)))
    [True, True, False, True]
    """
    return (s.isna() | s.isin(_BLANKS)).astype(bool)


def _squeezed(u: pd.Series) -> pd.Series:
    """Distinct cell texts in NFKC, without spaces, leading dash forms read as ``-``."""
    txt = u.astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    return txt.str.replace(_LEADING_DASH, r"\1-", regex=True).str.replace(r"^\+-", "-", regex=True)


def _true(mask: pd.Series) -> pd.Series:
    """An object mask with missing entries as a bool mask (missing is False)."""
    return mask.astype("boolean").fillna(False).astype(bool)


def nonfinite_mask(s: pd.Series) -> pd.Series:
    """Cells holding a non-finite value (``inf``, ``nan``, ``∞``, ``-Infinity``): never a number.

    ``nan`` is a blank placeholder in text columns; in a number column it is refused instead.

    >>> list(nonfinite_mask(pd.Series(["inf", " NaN ", "−∞", "12", None, float("inf")], dtype=object)))
    [True, True, True, False, False, True]
    """
    is_float = s.map(lambda v: isinstance(v, float) and not np.isnan(v) and not np.isfinite(v), na_action="ignore")
    is_text = s.map(type, na_action="ignore") == str  # noqa: E721 - element types of a Series, compared vectorised
    words = on_uniques(s.where(is_text), lambda u: _squeezed(u).str.lower().str.contains(_NONFINITE))
    return (_true(is_float) | _true(words)).astype(bool)


def percent_only_mask(s: pd.Series) -> pd.Series:
    """Cells holding only a percent sign (``%``, ``％``, spaces allowed): as empty as a blank cell.

    >>> list(percent_only_mask(pd.Series(["%", " ％ ", "8%", None], dtype=object)))
    [True, True, False, False]
    """
    is_text = s.map(type, na_action="ignore") == str  # noqa: E721 - element types of a Series, compared vectorised
    return _true(on_uniques(s.where(is_text), lambda u: _squeezed(u).eq("%")))


def _text_of(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time() else v.isoformat(sep=" ")
    return str(v)


def to_text(s: pd.Series) -> pd.Series:
    """Cells as text (object dtype, None when blank); integral numbers lose their ``.0``.

    >>> list(to_text(pd.Series([1001.0, " P2 ", None, "-"], dtype=object)))
    ['1001', 'P2', None, None]
    """
    blank = blank_mask(s)
    if pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
        s = s.map(_text_of, na_action="ignore")
    out = on_uniques(s, lambda u: u.str.strip())
    return out.where(~blank & out.ne(""), None)


def _map_unique(s: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-null value and spread the results back.

    >>> list(_map_unique(pd.Series(["a", None, "a"], dtype=object), str.upper))
    ['A', None, 'A']
    """
    codes, uniques = factorize_cells(s.to_numpy(dtype=object))
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(u) for u in uniques]
    results[-1] = None  # code -1: missing
    return pd.Series(results[codes], index=s.index, dtype=object)


def parse_unit(text: object) -> tuple[float | None, str | None]:
    """Factor to 万元 of a unit string, or an error message.

    >>> parse_unit("亿元"), parse_unit("万元")
    ((10000.0, None), (1.0, None))
    >>> parse_unit("千元")[1][:9]
    '无法识别的金额单位'
    """
    u = normalise_value(text).replace("单位:", "").replace("金额单位:", "")
    if u in _CNY_FACTORS:
        return _CNY_FACTORS[u], None
    if u in _USD or "美" in u:
        return None, f"金额单位“{text}”是外币，请先按汇率折算为人民币万元 / foreign-currency unit {text!r}: convert to 万元 first"
    return None, f"无法识别的金额单位“{text}”，应为 万元、亿元 或 元 / unknown money unit {text!r}: expected 万元, 亿元 or 元"


#: US-dollar unit strings (normalised) and their factor to 万美元.
_USD_FACTORS: dict[str, float] = {"万美元": 1.0, "万美金": 1.0, "10kusd": 1.0, "美元": 1e-4, "美金": 1e-4, "usd": 1e-4, "亿美元": 1e4}


def parse_usd_unit(text: object) -> tuple[float | None, str | None]:
    """Factor to 万美元 of a US-dollar unit string, or an error message.

    >>> parse_usd_unit("万美元"), parse_usd_unit("亿美元")
    ((1.0, None), (10000.0, None))
    >>> parse_usd_unit("万元")[1][:12]
    '本列是外资金额，单位应为'
    """
    u = normalise_value(text).replace("单位:", "")
    if u in _USD_FACTORS:
        return _USD_FACTORS[u], None
    return None, f"本列是外资金额，单位应为 万美元、美元 或 亿美元，实际为“{text}” / expected a US-dollar unit, got {text!r}"


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers with thousands separators and an optional unit suffix in the cell.

    Returns ``(values, cell_units, bad)``: ``cell_units`` is 万元/亿元/元 where the
    cell itself says so ("2.5亿"), else None. Blank cells and placeholders
    (``-``, ``/``) are NaN and not bad. A minus sign pasted from PDF/Word
    (``−3.1``, ``–3.1``) reads as ``-``; non-finite values (``inf``, ``nan``,
    ``∞``) are bad.

    >>> v, u, bad = parse_number(pd.Series(["12 345", "待定", "#REF!", "−3.1", "inf", "nan"], dtype=object))
    >>> list(v), list(bad)
    ([12345.0, nan, nan, -3.1, nan, nan], [False, True, True, False, True, True])
    """
    nonfinite = nonfinite_mask(s)
    blank = blank_mask(s) & ~nonfinite
    is_bool = s.map(type) == bool  # noqa: E721 - element types of a Series, compared vectorised
    num = pd.to_numeric(s.where(~blank & ~is_bool & ~nonfinite), errors="coerce").astype(float)
    num[~np.isfinite(num)] = np.nan  # "1e999"
    units = pd.Series([None] * len(s), index=s.index, dtype=object)
    rest = num.isna() & ~blank & ~nonfinite
    if rest.any():

        def clean(u: pd.Series) -> pd.Series:
            txt = _squeezed(u)
            txt = txt.str.replace(_THOUSANDS, "", regex=True).str.replace("，", "", regex=False)
            m = txt.str.extract(_NUM_RE)
            unit = m[1].str.replace(r"^万$", "万元", regex=True).str.replace(r"^亿$", "亿元", regex=True)
            return pd.Series(list(zip(pd.to_numeric(m[0], errors="coerce"), unit.where(unit.notna(), None))), dtype=object)

        pairs = on_uniques(s[rest], clean)
        num.loc[rest] = pd.to_numeric(pairs.str[0], errors="coerce").astype(float)
        units.loc[rest] = pairs.str[1]
        num[~np.isfinite(num)] = np.nan
    bad = num.isna() & ~blank
    return num, units, bad


def parse_int(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (``Int64``); ``2024.0`` is fine, ``2024.5`` is bad.

    >>> v, bad = parse_int(pd.Series(["2023", 2024.0, "2024.5"], dtype=object))
    >>> list(v.astype(object)), list(bad)
    ([2023, 2024, <NA>], [False, False, True])
    """
    num, _, bad = parse_number(s)
    frac = num.notna() & (num != np.floor(num))
    out = num.where(~frac).round().astype("Int64")
    return out, bad | frac


def parse_percent(s: pd.Series, header_percent: bool = False) -> tuple[pd.Series, pd.Series, pd.Series, bool]:
    """Percents to fractions: ``"80%"`` is 0.8; plain numbers are percent numbers in a percent column.

    A column is a percent column when its header states the unit %
    (``header_percent``) or any of its cells carries a % sign: its plain numbers
    are percent numbers (9.2 is 0.092, 0.6 is 0.006). Only in a column that is
    neither, and whose plain numbers are all at most 1 in size, are plain numbers
    fractions already (0.8 is 0.8); otherwise they are percent numbers too.
    Returns ``(fractions, bad, small, as_fractions)``: ``small`` marks plain
    numbers between 0 and 1 (exclusive of 0) read as percent numbers, which
    may have been typed as fractions. A cell holding only ``%`` is blank.

    >>> f, bad, small, frac = parse_percent(pd.Series(["80%", 80, 0.8, "9.2"], dtype=object))
    >>> [round(x, 3) for x in f], list(small), frac
    ([0.8, 0.8, 0.008, 0.092], [False, False, True, False], False)
    >>> f, *_ , frac = parse_percent(pd.Series([0.8, 0.05], dtype=object))
    >>> list(f), frac
    ([0.8, 0.05], True)
    >>> f, _, small, frac = parse_percent(pd.Series([0.8, 0.05], dtype=object), header_percent=True)
    >>> [round(x, 4) for x in f], list(small), frac
    ([0.008, 0.0005], [True, True], False)
    >>> f, _, small, frac = parse_percent(pd.Series(["7.6 ％", 0.6], dtype=object))
    >>> [round(x, 3) for x in f], list(small), frac
    ([0.076, 0.006], [False, True], False)
    """
    blank = blank_mask(s)
    is_text = s.map(type, na_action="ignore") == str  # noqa: E721 - element types of a Series, compared vectorised
    txt = on_uniques(s.where(~blank & is_text), lambda u: u.str.normalize("NFKC").str.strip())
    explicit = txt.str.endswith("%").astype("boolean").fillna(False).astype(bool)
    stripped = s.where(~explicit, txt.str.rstrip("%").str.strip())
    num, units, bad = parse_number(stripped)
    bad = bad | units.notna()
    plain = num.notna() & ~explicit
    percent_column = header_percent or bool((explicit & num.notna()).any())
    as_fractions = not percent_column and bool(plain.any()) and bool((num[plain].abs() <= 1).all())
    out = num.copy()
    out[explicit] = from_percent(num[explicit])
    small = pd.Series(False, index=s.index)
    if not as_fractions:
        out[plain] = from_percent(num[plain])
        small = plain & (num.abs() > 0) & (num.abs() <= 1)
    return out.astype(float), bad.astype(bool), small.astype(bool), as_fractions


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(初|上旬|中旬|下旬|底|末)?(?:份)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_NOT_YET = re.compile(r"^(未|尚未|暂未|待)(开工|竣工|办结|办理|投产|完成)$")
_PART = {None: 1, "初": 1, "上旬": 1, "中旬": 11, "下旬": 21, "底": -1, "末": -1}


#: Why a date cell was not read as typed (see :func:`parse_dates`).
IMPOSSIBLE = "impossible"  # 2019-02-30, 2019-13-01: the form is right, the date does not exist
NEEDS_YEAR = "needs_year"  # 3月, 3月5日 without a plan year
AMBIGUOUS = "ambiguous"  # a number 2025.1: Excel stores 2025.10 as 2025.1 (October or January?)
UNREADABLE = "unreadable"


def _ymd(y: int, m: int, d: int) -> pd.Timestamp | None:
    if not (1 <= m <= 12):
        return None
    if d == -1:
        d = calendar.monthrange(y, m)[1]
    if not (1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return pd.Timestamp(y, m, d)


_DAY_IN_YEAR = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_MONTH_IN_YEAR = re.compile(r"^(\d{1,2})\s*月份?(初|上旬|中旬|下旬|底|末)?$")


def _serial(x: float) -> pd.Timestamp:
    return (_EXCEL_EPOCH + pd.Timedelta(days=int(x))).normalize()


def _is_ambiguous_number(v: object) -> bool:
    """A number such as 2025.1 in a date or month column: typed 2025.1, or 2025.10 with the zero dropped?

    >>> _is_ambiguous_number(2025.1), _is_ambiguous_number(2025.12), _is_ambiguous_number("2025.1")
    (True, False, False)
    """
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        return False
    x = float(v)
    return not x.is_integer() and 1900 <= x < 2100 and round((x - int(x)) * 10, 9) == 1


def _one_date_why(v: object, year: int | None = None) -> tuple[object, str | None]:
    """One cell to ``(Timestamp | "NaT" | None, why)``: ``why`` is None when read as typed,
    else :data:`IMPOSSIBLE`, :data:`NEEDS_YEAR`, :data:`UNREADABLE` (value None) or
    :data:`AMBIGUOUS` (value read, to be checked)."""
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(v), None
    if isinstance(v, bool):
        return None, UNREADABLE
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        if 20000 <= x < 80000:
            return _serial(x), None
        text = str(int(x)) if x.is_integer() else repr(x)
    else:
        text = unicodedata.normalize("NFKC", str(v)).strip().lower()
    if _NOT_YET.match(text):
        return "NaT", None
    for pattern in (_FULL, _COMPACT):
        m = pattern.match(text)
        if m:
            d = _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, (None if d is not None else IMPOSSIBLE)
    for pattern in (_MONTH, _COMPACT_MONTH):
        m = pattern.match(text)
        if m:
            part = m.group(3) if m.re is _MONTH else None
            day = _PART.get(part, 1)
            d = _ymd(int(m.group(1)), int(m.group(2)), day)
            return d, (IMPOSSIBLE if d is None else AMBIGUOUS if _is_ambiguous_number(v) else None)
    for pattern in (_DAY_IN_YEAR, _MONTH_IN_YEAR):
        m = pattern.match(text)
        if m:
            if year is None:
                return None, NEEDS_YEAR
            if m.re is _DAY_IN_YEAR:
                d = _ymd(year, int(m.group(1)), int(m.group(2)))
            else:
                d = _ymd(year, int(m.group(1)), _PART.get(m.group(2), 1))
            return d, (None if d is not None else IMPOSSIBLE)
    if _SERIAL.match(text):
        x = float(text)
        if 20000 <= x < 80000:
            return _serial(x), None
    return None, UNREADABLE


def _one_date(v: object) -> object:
    """One cell to a Timestamp, "NaT" (not yet happened), or None (unreadable)."""
    return _one_date_why(v)[0]


def parse_dates(s: pd.Series, year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates with the reason of each cell not read as typed: ``(datetime64[ns] values, why)``.

    ``why`` is None for a cell read as typed, else :data:`IMPOSSIBLE` (2019-02-30),
    :data:`NEEDS_YEAR` (3月 without ``year``), :data:`UNREADABLE` (all three NaT), or
    :data:`AMBIGUOUS` (a number 2025.1 read as January: it may have been typed 2025.10).
    With ``year`` (the plan year), 3月 is the 1st of March and 3月5日 the 5th.

    >>> d, why = parse_dates(pd.Series(["3月", "2019-02-30", 2025.1, "3月5日", "2019.3"], dtype=object), year=2019)
    >>> [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in d], list(why)
    (['2019-03-01', None, '2025-01-01', '2019-03-05', '2019-03-01'], [None, 'impossible', 'ambiguous', None, None])
    """
    blank = blank_mask(s)
    codes, uniques = factorize_cells(s.where(~blank).to_numpy(dtype=object))
    results = [_one_date_why(u, year) for u in uniques]
    stamps = np.array(
        [r.to_datetime64() if isinstance(r, pd.Timestamp) else np.datetime64("NaT") for r, _ in results] + [np.datetime64("NaT")], dtype="datetime64[ns]"
    )
    whys = np.array([w for _, w in results] + [None], dtype=object)
    return pd.Series(stamps[codes], index=s.index, dtype="datetime64[ns]"), pd.Series(whys[codes], index=s.index, dtype=object)


def parse_date(s: pd.Series, year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates in the forms people type; returns ``(datetime64[ns] values, bad)``.

    Accepted: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, Excel serial
    numbers (45356), real Excel dates; month-only forms (2024.3, 2024-03, 2024年3月,
    202403) mean the 1st of the month (月底/月末 the last day, 中旬 the 11th,
    下旬 the 21st). 未开工/未竣工/未办结 mean "not yet" (NaT). With ``year``, 3月 and
    3月5日 are dates of that year. :func:`parse_dates` says why a cell is bad.

    >>> d, bad = parse_date(pd.Series(["2024/3/5", "2024年3月底", "未竣工", "2024-02-30", "明年"], dtype=object))
    >>> [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in d], list(bad)
    (['2024-03-05', '2024-03-31', None, None, None], [False, False, False, True, True])
    """
    values, why = parse_dates(s, year)
    return values, (why.notna() & (why != AMBIGUOUS)).astype(bool)


def ambiguous_numbers(s: pd.Series) -> pd.Series:
    """Cells holding a number such as 2025.1 (Excel's 2025.10 with the zero dropped) in a date or month column.

    >>> list(ambiguous_numbers(pd.Series([2025.1, "2025.10", 2025.3, None], dtype=object)))
    [True, False, False, False]
    """
    codes, uniques = factorize_cells(s.to_numpy(dtype=object))
    flags = np.array([_is_ambiguous_number(u) for u in uniques] + [False], dtype=bool)
    return pd.Series(flags[codes], index=s.index, dtype=bool)


_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月?份?$")


def _one_month(v: object, year: int | None) -> str | None:
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return f"{v.year:04d}-{v.month:02d}"
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        x = float(v)
        if x.is_integer() and 1 <= x <= 12 and year is not None:
            return f"{year:04d}-{int(x):02d}"
        text = str(int(x)) if x.is_integer() else repr(x)
    else:
        text = unicodedata.normalize("NFKC", str(v)).strip().lower()
    for pattern in (_MONTH, _COMPACT_MONTH):
        m = pattern.match(text)
        if m and (m.re is not _MONTH or m.group(3) is None):
            y, mo = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-{mo:02d}" if 1 <= mo <= 12 else None
    m = _FULL.match(text) or _COMPACT.match(text)
    if m and _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3))) is not None:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = re.match(r"^(\d{4})年?1\s*[-~至到]\s*(\d{1,2})月$", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = _MONTH_ONLY.match(text)
    if m and year is not None and 1 <= int(m.group(1)) <= 12:
        return f"{year:04d}-{int(m.group(1)):02d}"
    if _SERIAL.match(text):
        d = _one_date(text)
        if isinstance(d, pd.Timestamp):
            return f"{d.year:04d}-{d.month:02d}"
    return None


def parse_month(s: pd.Series, year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Months to ``YYYY-MM`` text: 2024-06, 2024/6, 2024年6月, 202406, 2024年1-6月,
    real Excel dates; a bare 6 or 6月 only when ``year`` is given.

    >>> m, bad = parse_month(pd.Series(["2024/6", "2024年6月", 202406, "6月", "13月"], dtype=object), year=2024)
    >>> list(m), list(bad)
    (['2024-06', '2024-06', '2024-06', '2024-06', None], [False, False, False, False, True])
    """
    blank = blank_mask(s)
    parsed = _map_unique(s.where(~blank), lambda v: _one_month(v, year))
    parsed = parsed.where(parsed.notna(), None).astype(object)
    return parsed, (parsed.isna() & ~blank).astype(bool)


def _one_period(v: object) -> str | None:
    """The canonical label of one period cell (None when it is not a period)."""
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return canonical_label(f"{v.year:04d}-{v.month:02d}")
    text = _text_of(v) if not isinstance(v, str) else v
    try:
        return canonical_label(text)
    except PeriodError:
        month = _one_month(unicodedata.normalize("NFKC", text).strip().replace(" ", ""), None)
        return canonical_label(month) if month is not None else None


def parse_period(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Reporting periods to one canonical label per period (:meth:`hzlib.periods.Period.canonical`):
    every period runs from January, so the forms of one end month are one period, written
    ``YYYYQn`` at a quarter end (a half-year and a year too) and ``YYYY-MM`` otherwise.

    >>> p, bad = parse_period(pd.Series(["2024Q2", "2024年一季度", "2024年1-6月", "2024年上半年", "2024年全年", "2024年1-5月", "Q5"], dtype=object))
    >>> list(p), list(bad)
    (['2024Q2', '2024Q1', '2024Q2', '2024Q2', '2024Q4', '2024-05', None], [False, False, False, False, False, False, True])
    """
    blank = blank_mask(s)
    parsed = _map_unique(s.where(~blank), _one_period)
    parsed = parsed.where(parsed.notna(), None).astype(object)
    return parsed, (parsed.isna() & ~blank).astype(bool)


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, 1/0, TRUE/FALSE, √/× to pandas ``boolean``.

    >>> b, bad = parse_bool(pd.Series(["是", "N", 1, True, "也许", None], dtype=object))
    >>> list(b.astype(object)), list(bad)
    ([True, False, True, True, <NA>, <NA>], [False, False, False, False, True, False])
    """
    blank = blank_mask(s)

    def one(v: object) -> object:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        return BOOL_VALUES.get(normalise_value(_text_of(v)))

    parsed = _map_unique(s.where(~blank), one)
    out = parsed.astype("boolean")
    return out, (out.isna() & ~blank).astype(bool)


def parse_category(s: pd.Series, aliases: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Category words to contract choices through ``aliases``.

    >>> c, bad = parse_category(pd.Series(["市级", "Province", "乡级"], dtype=object), {"市级": "city", "province": "province"})
    >>> list(c), list(bad)
    (['city', 'province', None], [False, False, True])
    """
    blank = blank_mask(s)
    parsed = _map_unique(s.where(~blank), lambda v: aliases.get(normalise_value(_text_of(v))))
    parsed = parsed.where(parsed.notna(), None).astype(object)
    return parsed, (parsed.isna() & ~blank).astype(bool)
