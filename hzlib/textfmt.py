"""Plain-text tables that line up with Chinese characters (two columns wide).

>>> print(render_table([["指标", "值"], ["开工率", "80%"]]))
指标    值
------  ---
开工率  80%
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "render_table", "fmt_number"]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def render_table(rows: Sequence[Sequence[object]], right_align: Sequence[int] = ()) -> str:
    """Render the first row as a header, the rest as data; columns in ``right_align`` align right."""
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    if not cells:
        return ""
    ncol = max(len(r) for r in cells)
    cells = [r + [""] * (ncol - len(r)) for r in cells]
    widths = [max(display_width(r[i]) for r in cells) for i in range(ncol)]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(_pad(c, widths[i], i in right_align) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fmt_number(x: float | None, digits: int = 2) -> str:
    """Format without trailing zeros: 55.860 -> '55.86', 8.0 -> '8'.

    >>> fmt_number(55.86), fmt_number(8.0), fmt_number(None), fmt_number(1234567.5)
    ('55.86', '8', '—', '1,234,567.5')
    >>> fmt_number(-1e-15), fmt_number(-0.004), fmt_number(-0.006)
    ('0', '0', '-0.01')
    """
    if x is None or x != x:
        return "—"
    s = f"{x:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s  # a value that rounds to zero is shown without a sign
