"""Bulletin tables → one ``.xlsx`` workbook (one sheet per table), deterministic bytes.

Headers are the DataFrame's Chinese column names (with units, e.g.
``完成投资（亿元）``); numbers stay numbers; columns whose name ends in
``（%）`` are stored rounded to 2 decimals with number format ``0.00``; the header row is bold and frozen;
column widths count CJK characters double. Workbook timestamps are fixed, and
the zip entries get a fixed date, so the same tables give the same file.
Text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM(1)``, ``-2+3``,
see :func:`hzlib.safety.runs_as_formula`) is stored as a string cell with Excel's
quote prefix, unchanged: it shows as typed and never runs, even after editing the cell.

>>> sheet_title("项目/进度:[一季度]*?", set())
'项目进度一季度'
>>> used = {"完成情况"}
>>> sheet_title("完成情况", used)
'完成情况(2)'
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..atomicfile import atomic_write_bytes
from ..safety import runs_as_formula

__all__ = ["FIXED_TIME", "PERCENT_SUFFIX", "sheet_title", "write_tables_xlsx"]

FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
PERCENT_SUFFIX = ("（%）", "(%)")
_INVALID = re.compile(r"[\[\]:*?/\\]")
_MAX_TITLE = 31
_MAX_WIDTH = 60


def sheet_title(name: str, used: set[str]) -> str:
    """Valid, unique (case-insensitive) Excel sheet name for ``name``; adds it to ``used``."""
    base = _INVALID.sub("", str(name)).strip().strip("'") or "表"
    base = base[:_MAX_TITLE]
    lowered = {u.lower() for u in used}
    title, n = base, 1
    while title.lower() in lowered:
        n += 1
        suffix = f"({n})"
        title = base[: _MAX_TITLE - len(suffix)] + suffix
    used.add(title)
    return title


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _is_percent(col: object) -> bool:
    return str(col).endswith(PERCENT_SUFFIX)


def _cell_value(value: Any) -> Any:
    """Convert pandas/numpy scalars to plain Python values openpyxl stores natively."""
    # lazy: numpy and pandas cost 370 ms at import of this module, which stays light (4 ms) for the CLI; every caller has them loaded
    import numpy as np
    import pandas as pd  # lazy: as above

    if value is None:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(getattr(value, "zh", None), str):  # hzlib Status → 达标/未达标…
        return value.zh
    if hasattr(value, "value") and isinstance(value.value, str):  # other str Enum
        return str(value.value)
    if isinstance(value, (int, str, _dt.date, _dt.datetime)):
        return value
    return str(value)


def _round2(value: float) -> float:
    """Round half up to 2 decimals on the shortest decimal repr (48.815 → 48.82, not 48.81)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _number_format(col: object, values: list[Any]) -> str | None:
    if _is_percent(col):
        return "0.00"
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not nums:
        return None
    if all(isinstance(v, int) or float(v).is_integer() for v in nums):
        return "#,##0"
    return "#,##0.00"


def _as_text(ws: Any, row: int, values: list[Any]) -> None:
    """Store the formula-like text of ``row`` as string cells (openpyxl makes ``=…`` a formula)."""
    for i, v in enumerate(values, start=1):
        if runs_as_formula(v):
            cell = ws.cell(row=row, column=i)
            cell.data_type = "s"
            cell.quotePrefix = True


def _fixed_zip(data: bytes, when: _dt.datetime) -> bytes:
    """Rewrite the zip with fixed entry dates and a stable entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=stamp)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


def write_tables_xlsx(
    tables: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    when: _dt.datetime = FIXED_TIME,
    index: bool = False,
) -> Path:
    """Write each DataFrame of ``tables`` (sheet name → DataFrame) to its own sheet of ``path``.

    ``title`` becomes the workbook title property. ``index=True`` also writes
    the DataFrame index as the first column. Returns ``path``.
    """
    # lazy: openpyxl costs 236 ms at import of this module (93 ms after hzlib.run); only writing a workbook needs it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # lazy: as above
    from openpyxl.utils import get_column_letter  # lazy: as above
    from openpyxl.writer.excel import ExcelWriter  # lazy: as above

    if not tables:
        raise ValueError("没有可写入 Excel 的表格")
    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EEF6")
    head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="C8C8C8")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    used: set[str] = set()
    for name, df in tables.items():
        frame = df.reset_index() if index else df
        ws = wb.create_sheet(sheet_title(name, used))
        columns = [str(c) for c in frame.columns]
        ws.append(columns)
        _as_text(ws, 1, columns)
        for cell in ws[1]:
            cell.font = head_font
            cell.fill = head_fill
            cell.alignment = head_align
            cell.border = border
        col_values: list[list[Any]] = [[] for _ in columns]
        for row in frame.itertuples(index=False, name=None):
            values = [_cell_value(v) for v in row]
            if any(_is_percent(c) for c in columns):
                values = [_round2(v) if _is_percent(c) and isinstance(v, float) else v for c, v in zip(columns, values)]
            ws.append(values)
            _as_text(ws, ws.max_row, values)
            for i, v in enumerate(values):
                col_values[i].append(v)
        for i, col in enumerate(columns, start=1):
            fmt = _number_format(col, col_values[i - 1])
            letter = get_column_letter(i)
            for cell in ws[letter][1:]:
                cell.border = border
                if fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
            shown = [columns[i - 1]] + [(f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in col_values[i - 1] if v is not None]
            width = max(_display_width(s) for s in shown) + 2
            ws.column_dimensions[letter].width = min(max(width, 6), _MAX_WIDTH)
        ws.freeze_panes = "A2"
        if frame.shape[0]:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{frame.shape[0] + 1}"

    props = wb.properties
    props.creator = "hzlib"
    props.lastModifiedBy = "hzlib"
    props.title = title
    props.created = when
    props.modified = when
    # Not wb.save(): openpyxl's save_workbook() stamps "modified" with the current time.
    buf = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    data = _fixed_zip(buf.getvalue(), when)
    dest = Path(path)
    atomic_write_bytes(dest, data)
    return dest
