"""Read a data file into a raw grid of cells, keeping the row numbers users see.

CSV files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset
of GBK); UTF-16 with a BOM (Excel's "Unicode text") is read too. Excel files
(.xlsx/.xlsm) are read with python-calamine (Rust; about 10x faster than
openpyxl on a large ledger). Calamine turns error cells such as ``#REF!`` into
empty cells, which would hide them, so the sheet's XML is also scanned for error
cells (``t="e"``) and their text is put back into the grid so they can be
reported. Cells come out as openpyxl gave them: whole numbers as ``int``, date
cells as ``datetime.datetime``, empty cells as ``None``. When the scan cannot
place an error cell (or python-calamine is missing), openpyxl reads the file.

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
import datetime as dt
import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ..errors import ERROR, DataError, Problem
from .cells import factorize_cells

__all__ = ["RawTable", "read_raw", "list_sheets", "CSV_SUFFIXES", "EXCEL_SUFFIXES", "decode_bytes"]

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
    #: Merged ranges of an xlsx sheet: (first row, first column, last row, last column), 0-based grid positions.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

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


def _grid(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    if any(len(r) != width for r in rows):
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=range(width), dtype=object)


def _clean_cells(df: pd.DataFrame, convert: Callable[[object], object] | None = None) -> pd.DataFrame:
    """Strip text cells and make blank ones None, column by column, on distinct values only.

    ``convert``, when given, is applied to each distinct value first.
    """
    out: dict[int, pd.Series] = {}
    for c in df.columns:
        col = df[c]
        codes, uniques = factorize_cells(col.to_numpy(dtype=object))
        vals = np.empty(len(uniques) + 1, dtype=object)
        values = [convert(u) for u in uniques] if convert is not None else uniques
        cleaned = [u.strip() if isinstance(u, str) else u for u in values]
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


_OPEN_MESSAGE = "无法作为 Excel（xlsx）文件打开：{} / cannot open as xlsx"

#: Whole numbers below this come back as int, as openpyxl gives them (Excel writes them without a decimal point).
_INT_LIMIT = 2.0**53


def _openpyxl_like(v: object) -> object:
    """A calamine cell value as openpyxl gives it: "" -> None, 3.0 -> 3, date -> datetime.

    >>> _openpyxl_like(""), _openpyxl_like(3.0), _openpyxl_like(2.5), _openpyxl_like(dt.date(2024, 3, 5))
    (None, 3, 2.5, datetime.datetime(2024, 3, 5, 0, 0))
    """
    if isinstance(v, str):
        return v or None
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < _INT_LIMIT else v
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


# Error cells in a worksheet part: <c r="B3" t="e"><f>...</f><v>#REF!</v></c>, any namespace prefix.
_ERROR_HINTS = (b'"e"', b"'e'")
_ERROR_TYPE = re.compile(rb"""\st\s*=\s*(?:"e"|'e')""")
_CELL_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?c)[\s/>]")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?([0-9]+)["']""")
_CELL_VALUE = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?v)(?:\s[^>]*)?>(.*?)</\1\s*>", re.S)
_CHUNK = 1 << 22


class _Unsure(Exception):
    """The error-cell scan cannot tell where an error cell is; read with openpyxl instead."""


def _column_index(letters: str) -> int:
    """0-based column index of column letters: A -> 0, AA -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _worksheet_part(zf: zipfile.ZipFile, sheet: str) -> str:
    """Path inside the package of the worksheet named ``sheet`` (via the workbook's relationships)."""
    root_rels = ET.fromstring(zf.read("_rels/.rels"))
    book = next(r.get("Target", "") for r in root_rels.iterfind(".//{*}Relationship") if r.get("Type", "").endswith("/officeDocument"))
    book = book.lstrip("/")
    folder = posixpath.dirname(book)
    rels = ET.fromstring(zf.read(posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iterfind(".//{*}Relationship")}
    for s in ET.fromstring(zf.read(book)).iterfind(".//{*}sheet"):
        if s.get("name") == sheet:
            rid = next(v for k, v in s.attrib.items() if k.endswith("}id"))
            target = targets[rid]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    raise KeyError(sheet)


def _error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Text of the error cells of worksheet ``sheet``, by 0-based (row, column).

    Streams the worksheet's XML; the cheap byte search finds nothing in a sheet
    without error cells. Raises ``_Unsure`` when the package cannot be followed
    or an error cell has no ``r`` reference.
    """
    out: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open(_worksheet_part(zf, sheet)) as f:
            buf = b""
            while True:
                data = f.read(_CHUNK)
                buf += data
                last = not data
                keep = buf.rfind(b"<")  # an element cut by the chunk boundary starts at or after it
                keep = len(buf) if keep < 0 else keep
                if any(h in buf for h in _ERROR_HINTS):
                    pos = 0
                    while (m := _ERROR_TYPE.search(buf, pos)) is not None:
                        pos = m.end()
                        lt = buf.rfind(b"<", 0, m.start())
                        tag = _CELL_TAG.match(buf, lt) if lt >= 0 else None
                        if tag is None or buf.find(b">", lt, m.start()) >= 0:
                            continue  # not in a cell's start tag (e.g. text that reads t="e")
                        gt = buf.find(b">", m.end())
                        close = -1 if gt < 0 else (gt if buf[gt - 1:gt] == b"/" else buf.find(b"</" + tag.group(1), gt))
                        if close < 0:
                            if last:
                                break
                            keep = min(keep, lt)  # the cell continues in the next chunk
                            break
                        ref = _CELL_REF.search(buf[lt:gt])
                        if ref is None:
                            raise _Unsure("error cell without a reference")
                        value = _CELL_VALUE.search(buf, gt, close) if close > gt else None
                        if value is not None:
                            key = (int(ref.group(2)) - 1, _column_index(ref.group(1).decode("ascii")))
                            out[key] = html.unescape(value.group(2).decode("utf-8")).strip()
                if last:
                    return out
                buf = buf[keep:]
    except (zipfile.BadZipFile, KeyError, StopIteration, OSError, ValueError, ET.ParseError, zlib.error) as e:
        raise _Unsure(str(e)) from e


def _read_xlsx_openpyxl(path: Path, name: str, sheet: str | None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        return _empty(name, [Problem(name, None, None, _OPEN_MESSAGE.format(e))])
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in names:
            ws = wb[sheet]
        else:
            return _no_sheet(name, sheet, names)
        ws.reset_dimensions()  # some writers store a wrong dimension; read every row
        rows = list(ws.iter_rows(values_only=True))
        title = ws.title
    finally:
        wb.close()
    cells = _trim(_clean_cells(_grid(rows)))
    return RawTable(name, cells, np.arange(1, len(cells) + 1), None, title)


def _no_sheet(name: str, sheet: str, names: list[str]) -> RawTable:
    listed = "、".join(names)
    return _empty(name, [Problem(name, None, None, f"工作表“{sheet}”不存在，文件中的工作表有：{listed}；请用 --sheet 指定其中一个 / no sheet named {sheet!r}")], sheet=sheet)


def _read_xlsx(path: Path, name: str, sheet: str | None) -> RawTable:
    try:
        import python_calamine as pc
    except ImportError:  # an environment not yet updated: slower, same result
        return _read_xlsx_openpyxl(path, name, sheet)

    try:
        with pc.CalamineWorkbook.from_path(str(path)) as wb:
            names = list(wb.sheet_names)
            if sheet is None:
                title = next((m.name for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet), None)
                if title is None:
                    return _empty(name, [Problem(name, None, None, "文件中没有工作表 / the workbook has no worksheet")])
            elif sheet in names:
                title = sheet
            else:
                return _no_sheet(name, sheet, names)
            ws = wb.get_sheet_by_name(title)
            rows = ws.to_python(skip_empty_area=False)  # from A1, so row numbers match
            merged = [(int(a[0]), int(a[1]), int(b[0]), int(b[1])) for a, b in (ws.merged_cell_ranges or [])]
    except (pc.CalamineError, OSError, ValueError) as e:
        return _empty(name, [Problem(name, None, None, _OPEN_MESSAGE.format(e))])
    try:
        errors = _error_cells(path, title)
    except _Unsure:
        return _read_xlsx_openpyxl(path, name, sheet)
    grid = _grid(rows)
    del rows
    if errors:
        height = max(len(grid), max(r for r, _ in errors) + 1)
        width = max(grid.shape[1], max(c for _, c in errors) + 1)
        grid = grid.reindex(index=range(height), columns=range(width)).astype(object)
        for (r, c), text in errors.items():
            grid.iat[r, c] = text
    cells = _trim(_clean_cells(grid, _openpyxl_like))
    return RawTable(name, cells, np.arange(1, len(cells) + 1), None, title, merged=merged)


def list_sheets(path: str | Path) -> list[str]:
    """The worksheet names of an xlsx file, in workbook order (empty for a CSV or an unreadable file).

    >>> list_sheets("表.csv")
    []
    """
    p = Path(path)
    if p.suffix.lower() not in EXCEL_SUFFIXES or not p.is_file():
        return []
    try:
        import python_calamine as pc
    except ImportError:  # an environment not yet updated
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return []
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    try:
        with pc.CalamineWorkbook.from_path(str(p)) as wb:
            return [m.name for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
    except (pc.CalamineError, OSError, ValueError):  # an unreadable file is reported when it is read
        return []


def read_raw(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read the cells of a CSV or xlsx file. Content problems come back as problems.

    Raises :class:`~hzlib.errors.DataError` naming the path when there is no such file.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError([Problem(str(p), None, None, "找不到文件（请检查路径和文件名） / no such file")], "数据文件")
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
