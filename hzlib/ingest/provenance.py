"""Where each row of a data table came from: file, sheet and row as the user sees them.

Every row read from a data file keeps its origin in three columns with the reserved
prefix ``_src_`` (:data:`SOURCE_COLUMNS`): the file name (relative to the data folder),
the sheet (empty for a CSV) and the row number as Excel or WPS shows it (1-based,
counting the title and header rows). Which column each value came from is the
reader's header map (``ReadResult.columns``); a value the reader made rather than
read (a generated 项目编号, a level from the title) is in ``ReadResult.derived``.
These columns are never shown in a table unless asked for (:func:`strip`).

>>> import pandas as pd
>>> df = pd.DataFrame({"project_id": ["a"], "_src_row": [3]})
>>> list(strip(df).columns), is_source_column("_src_file")
(['project_id'], True)
>>> origin("ledger.xlsx", "汉台区", 7)
'ledger.xlsx（工作表“汉台区”）第7行'
"""

from __future__ import annotations

import re

import pandas as pd

from .result import ReadResult

__all__ = ["PREFIX", "SRC_FILE", "SRC_SHEET", "SRC_ROW", "SOURCE_COLUMNS", "attach", "strip", "is_source_column", "origin", "header_map"]

#: Columns with this prefix are provenance, not data: validators and column checks skip them.
PREFIX = "_src_"
SRC_FILE = "_src_file"
SRC_SHEET = "_src_sheet"
SRC_ROW = "_src_row"
SOURCE_COLUMNS = (SRC_FILE, SRC_SHEET, SRC_ROW)

_SHEET_IN_LABEL = re.compile(r"（工作表“(.+)”）$")


def is_source_column(name: object) -> bool:
    """Whether ``name`` is a provenance column (reserved prefix ``_src_``)."""
    return isinstance(name, str) and name.startswith(PREFIX)


def strip(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without its provenance columns (what a table shows unless asked)."""
    cols = [c for c in df.columns if is_source_column(c)]
    return df.drop(columns=cols) if cols else df


def _sheets(result: ReadResult) -> pd.Series:
    n = len(result.frame)
    if result.row_labels is not None and len(result.row_labels) == n:
        names = [m.group(1) if (m := _SHEET_IN_LABEL.search(str(label))) else "" for label in result.row_labels]
        return pd.Series(names, index=result.frame.index, dtype=object)
    sheet = result.sheet or (result.sheets[0] if len(result.sheets) == 1 else "")
    return pd.Series([sheet or ""] * n, index=result.frame.index, dtype=object)


def attach(result: ReadResult) -> None:
    """Give every row of ``result.frame`` (and of its derived progress) its file, sheet and row, in place.

    The file is the name as read (the data folder holds the files by name). A frame
    whose row numbers are not known (no ``rows``) gets missing row numbers, never guessed ones.
    """
    for r in (result, result.progress):
        if r is None or r.frame.empty or any(c in r.frame.columns for c in SOURCE_COLUMNS):
            continue
        f = r.frame
        rows = r.rows.to_numpy() if len(r.rows) == len(f) else [pd.NA] * len(f)
        f[SRC_FILE] = pd.Series([r.file] * len(f), index=f.index, dtype="category")
        f[SRC_SHEET] = _sheets(r).astype("category")
        f[SRC_ROW] = pd.array(rows, dtype="Int64")


def header_map(result: ReadResult) -> dict[str, str]:
    """Contract column id → the header the value was read from; a made value says so."""
    out = dict(result.columns)
    for c in result.derived:
        out[c] = f"{out.get(c, c)}（推导：表中无此值，由读取程序生成）"
    return out


def origin(file: object, sheet: object, row: object) -> str:
    """A row's place in words: ``ledger.csv 第3行`` or ``ledger.xlsx（工作表“汉台区”）第7行``."""
    where = str(file) if isinstance(file, str) and file else "（未知文件）"
    if isinstance(sheet, str) and sheet:
        where += f"（工作表“{sheet}”）"
    return where + (f"第{int(row)}行" if row is not None and not pd.isna(row) else "")  # type: ignore[call-overload]
