"""Read a data file into a raw grid of cells, keeping the row numbers users see.

CSV files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset
of GBK); UTF-16 with a BOM (Excel's "Unicode text") is read too. Excel files
(.xlsx/.xlsm) are read with openpyxl directly rather than ``pandas.read_excel``,
because pandas turns error cells such as ``#REF!`` into empty cells, which would
hide them; the grid keeps them as text so they can be reported.

Row numbers are 1-based and count every line (CSV) or sheet row (xlsx),
including blank lines and title rows, so they match what Excel or an editor
shows.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
>>> _ = p.write_bytes("编号,名称\\nP1,桥\\n".encode("gbk"))
>>> raw = read_raw(p)
>>> raw.encoding, raw.cells.shape, raw.row_numbers.tolist()
('GB18030', (2, 2), [1, 2])
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ERROR, Problem

__all__ = ["RawTable", "read_raw", "CSV_SUFFIXES", "EXCEL_SUFFIXES", "decode_bytes"]

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass
class RawTable:
    """All cells of one sheet or CSV file, as read (object dtype, blank cells None)."""

    file: str
    cells: pd.DataFrame
    row_numbers: np.ndarray
    encoding: str | None = None
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def _empty(file: str, problems: list[Problem], encoding: str | None = None, sheet: str | None = None) -> RawTable:
    return RawTable(file, pd.DataFrame(dtype=object), np.zeros(0, dtype=int), encoding, sheet, problems)


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode file bytes: returns ``(text, encoding label, error message)``.

    >>> decode_bytes("编号".encode("utf-8-sig"))[1], decode_bytes("编号".encode("gbk"))[1]
    ('UTF-8 (BOM)', 'GB18030')
    >>> decode_bytes(b"\\x81\\xff\\x00abc")[2][:8]
    '无法识别文件编码'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), ("UTF-8 (BOM)" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, None, (
            f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第{line}行附近第 {e.start + 1} 个字节 "
            f"0x{data[e.start]:02X} 无法解码）。请在 Excel 中“另存为 CSV UTF-8”后再试 "
            "/ cannot decode the file as UTF-8 or GBK/GB18030"
        )
    if "\x00" in text:
        return None, None, "文件含有空字节，不是文本格式的 CSV（可能是二进制文件）/ file contains NUL bytes, not a text CSV"
    return text, "GB18030", None


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    tabs = sum(ln.count("\t") for ln in lines)
    commas = sum(ln.count(",") for ln in lines)
    return "\t" if tabs > commas else ","


def _grid(rows: list[list[object]] | list[tuple[object, ...]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    padded = [list(r) + [None] * (width - len(r)) if len(r) < width else list(r) for r in rows]
    return pd.DataFrame(padded, columns=range(width), dtype=object)


def _clean_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Strip text cells and make blank ones None, column by column, on distinct values only."""
    out: dict[int, pd.Series] = {}
    for c in df.columns:
        col = df[c]
        codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
        vals = np.empty(len(uniques) + 1, dtype=object)
        cleaned = [u.strip() if isinstance(u, str) else u for u in uniques]
        vals[:-1] = [None if (isinstance(u, str) and u == "") else u for u in cleaned]
        vals[-1] = None
        out[c] = pd.Series(vals[codes], index=df.index, dtype=object)
    return pd.DataFrame(out, index=df.index, dtype=object)


def _trim(df: pd.DataFrame) -> pd.DataFrame:
    """Drop trailing blank rows and trailing blank columns (not data, not counted)."""
    if df.empty:
        return df
    filled = df.notna().to_numpy()
    rows = np.flatnonzero(filled.any(axis=1))
    cols = np.flatnonzero(filled.any(axis=0))
    if len(rows) == 0:
        return df.iloc[0:0, 0:0]
    return df.iloc[: rows[-1] + 1, : cols[-1] + 1]


def _read_csv(path: Path, name: str) -> RawTable:
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return _empty(name, [Problem(name, None, None, "文件为空，没有表头也没有数据 / the file is empty")])
    if data.startswith(b"PK\x03\x04"):
        return _empty(name, [Problem(name, None, None, "这是 Excel（xlsx）文件而不是 CSV，请把扩展名改为 .xlsx / this is an xlsx file, not a CSV")])
    text, encoding, err = decode_bytes(data)
    if text is None:
        return _empty(name, [Problem(name, None, None, err or "无法解码")])
    delimiter = _sniff_delimiter(text)
    width = max((ln.count(delimiter) for ln in text.splitlines()), default=0) + 1
    try:
        grid = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=range(width), dtype=str, na_filter=False,
            skip_blank_lines=False, engine="c", quotechar='"', doublequote=True,
        )
    except (pd.errors.ParserError, ValueError):
        # fall back to the csv module (odd quoting): slower, more lenient
        grid = _grid(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    cells = _trim(_clean_cells(grid.astype(object)))
    cells = cells.reset_index(drop=True)
    return RawTable(name, cells, np.arange(1, len(cells) + 1), encoding)


def _read_xlsx(path: Path, name: str, sheet: str | None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        return _empty(name, [Problem(name, None, None, f"无法作为 Excel（xlsx）文件打开：{e} / cannot open as xlsx")])
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in names:
            ws = wb[sheet]
        else:
            listed = "、".join(names)
            return _empty(name, [Problem(name, None, None, f"工作表“{sheet}”不存在，文件中的工作表有：{listed} / no sheet named {sheet!r}")], sheet=sheet)
        ws.reset_dimensions()  # some writers store a wrong dimension; read every row
        rows = list(ws.iter_rows(values_only=True))
        title = ws.title
    finally:
        wb.close()
    cells = _trim(_clean_cells(_grid(rows)))
    return RawTable(name, cells, np.arange(1, len(cells) + 1), None, title)


def read_raw(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read the cells of a CSV or xlsx file. Content problems come back as problems.

    Raises ``FileNotFoundError`` when the file does not exist.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"找不到文件 / file not found: {p.name}")
    name = p.name
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        if p.stat().st_size == 0:
            return _empty(name, [Problem(name, None, None, "文件为空，没有表头也没有数据 / the file is empty")])
        return _read_xlsx(p, name, sheet)
    if suffix == ".xls":
        return _empty(name, [Problem(name, None, None, "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV UTF-8 / .xls is not supported, save as .xlsx")])
    if suffix in CSV_SUFFIXES or suffix == "":
        return _read_csv(p, name)
    return _empty(name, [Problem(name, None, None, f"不支持的文件类型 {p.suffix}，应为 .csv 或 .xlsx / unsupported file type")])
