"""Checks on names that end up in file paths (plan ids, quarters), and text that would run
as a formula in a spreadsheet.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, WPS and LibreOffice when it arrives in a csv file (CSV injection): a project named
``=HYPERLINK("http://x","点我")`` becomes a link. Every csv hzlib writes goes through
:func:`csv_text`, which prefixes such text with ``'`` as OWASP recommends; numbers,
including negative ones, stay numbers. (The xlsx writer stores such text as a string
cell instead, see :mod:`hzlib.render.excel`.)

>>> check_id("zhenba-2024", "plan")
'zhenba-2024'
>>> check_id("../etc", "plan")
Traceback (most recent call last):
...
hzlib.errors.UsageError: plan 名称不合法：'../etc'（只允许小写字母、数字和连字符）
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_id", "check_quarter", "FORMULA_PREFIXES", "runs_as_formula", "csv_cell", "csv_safe", "csv_text"]

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def check_id(value: str, what: str = "id") -> str:
    """Accept only ``[a-z0-9-]`` names, so an id can never climb out of a folder."""
    if not _SAFE.match(value):
        raise UsageError(f"{what} 名称不合法：{value!r}（只允许小写字母、数字和连字符）")
    return value


def check_quarter(value: str) -> str:
    """Accept ``2024Q2`` only (used in report paths)."""
    if not _QUARTER.match(value):
        raise UsageError(f"季度格式不合法：{value!r}（应为 2024Q2 这样的形式）")
    return value


def runs_as_formula(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula.

    >>> [runs_as_formula(v) for v in ("=1+1", "@SUM(1)", "-2+3", "安康", -2, "a=b")]
    [True, True, True, False, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """``value`` as a csv cell: formula-like text gets a leading ``'``; anything else is unchanged.

    >>> csv_cell("=1+1"), csv_cell("+1"), csv_cell(-2.5), csv_cell("达标")
    ("'=1+1", "'+1", -2.5, '达标')
    """
    return "'" + value if runs_as_formula(value) else value  # type: ignore[operator]


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe to open in a spreadsheet."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as csv text (no index, ``\n`` line ends), safe to open in a spreadsheet.

    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"项目": ["=1+1", "甲"], "差距": [-2.0, 3.5]})), end="")
    项目,差距
    '=1+1,-2.0
    甲,3.5
    """
    return str(csv_safe(frame).to_csv(index=False, lineterminator="\n"))
