"""Read a data file into a raw grid of cells, keeping the row numbers users see.

A file is read by what its bytes say it is (:func:`file_format`), whatever its
extension: an xlsx named .xls or .csv, an old .xls named .xlsx, or text named .xls
is read, with a note; a password-protected workbook, a truncated one or an HTML
"Excel export" is refused with a message saying what the file is and what to do.

CSV files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset
of GBK); UTF-16 with a BOM (Excel's "Unicode text") is read too. The separator
(comma, tab or semicolon) is found from the first lines; any but the comma is
noted. Excel files (.xlsx/.xlsm, and old .xls) are read with python-calamine
(Rust; about 10x faster than openpyxl on a large ledger). Hidden sheets are not
read unless named (a note says which were skipped). Calamine turns error cells such
as ``#REF!`` into empty cells, which would hide them, so the sheet's XML is also
scanned for error cells (``t="e"``) and their text is put back into the grid so
they can be reported. The same scan finds formula cells without a saved result
(a file written by a program and never opened in Excel), which calamine reads as
empty: they are errors (:func:`formula_problems`), and the rest of the sheet is
still read so that every problem is reported at once. A number cell whose number
format shows percents (``0.0%``; Excel shows 0.125 as 12.5%) comes out as the text
Excel shows (``"12.5%"``), so that it reads as the percent the user sees; the scan
looks for such cells only when the workbook has a percent format (not done for
old .xls files). Cells come out as openpyxl
gave them: whole numbers as ``int``, date cells as ``datetime.datetime``, empty
cells as ``None``. When the scan cannot place such a cell (or python-calamine is
missing), openpyxl reads the file.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ..errors import ERROR, WARNING, DataError, Problem
from ..units import to_percent
from .cells import factorize_cells
from .xls import xls_error_cells

__all__ = ["RawTable", "read_raw", "list_sheets", "sheet_states", "file_format", "formula_problems", "CSV_SUFFIXES", "EXCEL_SUFFIXES", "decode_bytes"]

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})


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
    #: Formula cells without a saved result: 0-based grid column -> row numbers (see :func:`formula_problems`).
    uncached: dict[int, list[int]] = field(default_factory=dict)
    #: Errors about some cells only (formulas without saved results): also in ``problems``, they do not stop the table being read.
    cell_errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the cells were read (errors about some cells are reported with the table)."""
        return not any(p.severity == ERROR and not any(p is q for q in self.cell_errors) for p in self.problems)


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
        return (
            None,
            None,
            (
                f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第{line}行附近第 {e.start + 1} 个字节 "
                f"0x{data[e.start]:02X} 无法解码）。请在 Excel 中“另存为 CSV UTF-8”后再试 "
                "/ cannot decode the file as UTF-8 or GBK/GB18030"
            ),
        )
    if "\x00" in text:
        return None, None, "文件含有空字节，不是文本格式的 CSV（可能是二进制文件）/ file contains NUL bytes, not a text CSV"
    return text, "GB18030", None


#: Field separators a CSV may use, in the order ties are broken; and how the notes name them.
_DELIMITERS = {",": "逗号（,）", "\t": "制表符（Tab）", ";": "分号（;）"}


def _sniff_delimiter(text: str) -> str:
    """The field separator of a CSV: the one that splits most of the first 50 lines into the same number of fields.

    Quotes are respected (``"1,234"`` is one field). Ties go to the comma, then the tab.

    >>> _sniff_delimiter("编号;名称;总投资\\nP1;桥;1,5\\nP2;路;2\\n"), _sniff_delimiter('编号,名称\\nP1,"a;b"\\n')
    (';', ',')
    """
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", (0, 0)
    for d in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=d) if len(row) >= 2]
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(modal), modal)
        if score > best_score:
            best, best_score = d, score
    return best


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
    text, encoding, err = decode_bytes(data)
    if text is None:
        return _empty(name, [Problem(name, None, None, err or "无法解码")])
    delimiter = _sniff_delimiter(text)
    width = max((ln.count(delimiter) for ln in text.splitlines()), default=0) + 1
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, ValueError):
        # fall back to the csv module (odd quoting): slower, more lenient
        grid = _grid(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    cells = _trim(_clean_cells(grid.astype(object)))
    cells = cells.reset_index(drop=True)
    said = (
        [] if delimiter == "," else [Problem(name, None, None, f"按{_DELIMITERS[delimiter]}分隔读取（不是逗号） / fields separated by {delimiter!r}", WARNING)]
    )
    return RawTable(name, cells, np.arange(1, len(cells) + 1), encoding, problems=said)


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


def _book_part(zf: zipfile.ZipFile) -> str:
    """Path inside the package of the workbook part (xl/workbook.xml as Excel writes it)."""
    root_rels = ET.fromstring(zf.read("_rels/.rels"))
    book = next(r.get("Target", "") for r in root_rels.iterfind(".//{*}Relationship") if r.get("Type", "").endswith("/officeDocument"))
    return book.lstrip("/")


def _calculated_on_open(zf: zipfile.ZipFile) -> bool:
    """True when the workbook asks to be calculated when opened (``<calcPr fullCalcOnLoad="1"/>``).

    Programs that write formulas without calculating them (openpyxl, XlsxWriter) set it; a
    saved ``0`` in such a file is XlsxWriter's placeholder, not a result.
    """
    calc = ET.fromstring(zf.read(_book_part(zf))).find("{*}calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "").lower() in ("1", "true")


def _worksheet_part(zf: zipfile.ZipFile, sheet: str) -> str:
    """Path inside the package of the worksheet named ``sheet`` (via the workbook's relationships)."""
    book = _book_part(zf)
    folder = posixpath.dirname(book)
    rels = ET.fromstring(zf.read(posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iterfind(".//{*}Relationship")}
    for s in ET.fromstring(zf.read(book)).iterfind(".//{*}sheet"):
        if s.get("name") == sheet:
            rid = next(v for k, v in s.attrib.items() if k.endswith("}id"))
            target = targets[rid]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    raise KeyError(sheet)


@dataclass
class _Scan:
    """What the worksheet XML says that calamine does not: error cells, formula cells without a saved result
    and number cells shown as percents."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # 0-based (row, column) -> error text
    uncached: list[tuple[int, int]] = field(default_factory=list)  # 0-based (row, column)
    percents: list[tuple[int, int]] = field(default_factory=list)  # 0-based (row, column)


# Number formats that show a number times 100 with a % sign: built-in 9 ("0%") and 10 ("0.00%").
_PERCENT_BUILTIN_FORMATS = frozenset({9, 10})


def _is_percent_format(code: str) -> bool:
    """True when a number format code shows numbers as percents: a ``%`` that is not literal text.

    A ``%`` in quotes, after a backslash, after ``_`` or ``*`` (padding), in ``[...]`` or in the text
    section (the fourth) is shown as it is, without multiplying by 100.

    >>> [_is_percent_format(c) for c in ("0.0%", "0%;-0%", "[Red]0.00%", '0.00"%"', r"0.00\\%", "General", "0;0;0;@%")]
    [True, True, True, False, False, False, False]
    """
    i, section, n = 0, 0, len(code)
    while i < n and section < 3:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch in "\\_*":
            i += 2
            continue
        if ch == ";":
            section += 1
        elif ch == "%":
            return True
        i += 1
    return False


def _percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Cell style indexes (``s`` of a cell) whose number format shows percents, from the styles part.

    Empty when the package has no styles part (a number shown as a percent needs one).
    """
    book = _book_part(zf)
    folder = posixpath.dirname(book)
    rels = ET.fromstring(zf.read(posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")))
    target = next((r.get("Target", "") for r in rels.iterfind(".//{*}Relationship") if r.get("Type", "").endswith("/styles")), None)
    if not target:
        return frozenset()
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    root = ET.fromstring(zf.read(part))
    percent_ids = set(_PERCENT_BUILTIN_FORMATS)
    for fmt in root.iterfind("{*}numFmts/{*}numFmt"):
        fid = fmt.get("numFmtId", "")
        if fid.isdigit():
            if _is_percent_format(fmt.get("formatCode", "")):
                percent_ids.add(int(fid))
            else:
                percent_ids.discard(int(fid))  # a workbook may redefine a built-in id
    xfs = root.find("{*}cellXfs")
    if xfs is None:
        return frozenset()
    return frozenset(i for i, xf in enumerate(xfs.iterfind("{*}xf")) if xf.get("numFmtId", "0").isdigit() and int(xf.get("numFmtId", "0")) in percent_ids)


_CELL_TYPE = re.compile(rb"""\st\s*=\s*["']([^"']*)["']""")


def _percent_style_pattern(styles: frozenset[int]) -> re.Pattern[bytes]:
    """The ``s`` attribute of a cell whose style is one of ``styles``."""
    alternatives = b"|".join(str(i).encode("ascii") for i in sorted(styles))
    return re.compile(rb"""\ss\s*=\s*["'](?:""" + alternatives + rb""")["']""")


def _scan_percents(seg: bytes, pattern: re.Pattern[bytes], out: list[tuple[int, int]]) -> None:
    """Add the number cells of ``seg`` (whole rows) whose style (``pattern``, see :func:`_percent_style_pattern`) shows percents to ``out``."""
    for m in pattern.finditer(seg):
        lt = seg.rfind(b"<", 0, m.start())
        tag = _CELL_TAG.match(seg, lt) if lt >= 0 else None
        if tag is None or seg.find(b">", lt, m.start()) >= 0:
            continue  # not in a cell's start tag
        gt = seg.find(b">", m.end())
        if gt < 0:
            raise _Unsure("a cell without its end")
        start_tag = seg[lt:gt]
        kind = _CELL_TYPE.search(start_tag)
        if kind is not None and kind.group(1) != b"n":
            continue  # text, error, boolean or date cell
        out.append(_cell_key(start_tag))


# A formula cell: <c r="B3"><f>SUM(B4:B9)</f><v>120</v></c>. Without <v>, or with an empty <v/> (as openpyxl
# and other programs write them), the formula was never calculated: calamine reads it as an empty cell.
_FORMULA_HINT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_FORMULA_CELL = re.compile(
    rb"<(?P<p>(?:[A-Za-z_][\w.-]*:)?)c(?P<attrs>\s[^>]*)?>\s*<(?P=p)f(?:\s[^>]*)?(?:/>|>[^<]*</(?P=p)f\s*>)\s*"
    rb"(?:<(?P=p)v(?:\s[^>]*)?(?<!/)>(?P<value>[^<]*)</(?P=p)v\s*>|(?P<empty><(?P=p)v(?:\s[^>]*)?/>))?",
)
_STR_TYPE = re.compile(rb"""\st\s*=\s*(?:"str"|'str')""")
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row")


def _whole_rows(buf: bytes) -> int:
    """Length of the start of ``buf`` that ends with a row's end tag (0 when no row ends in it)."""
    end = len(buf)
    while (i := buf.rfind(b"row>", 0, end)) >= 0:
        lt = buf.rfind(b"<", 0, i)
        if lt >= 0 and _ROW_END.fullmatch(buf, lt, i + 3):
            return i + 4
        end = i
    return 0


def _cell_key(start_tag: bytes) -> tuple[int, int]:
    """0-based (row, column) of a cell from its start tag; ``_Unsure`` without an ``r`` reference."""
    ref = _CELL_REF.search(start_tag)
    if ref is None:
        raise _Unsure("cell without a reference")
    return int(ref.group(2)) - 1, _column_index(ref.group(1).decode("ascii"))


def _scan_errors(seg: bytes, out: dict[tuple[int, int], str]) -> None:
    """Add the error cells of ``seg`` (whole rows of a worksheet part) to ``out``."""
    if not any(h in seg for h in _ERROR_HINTS):
        return
    pos = 0
    while (m := _ERROR_TYPE.search(seg, pos)) is not None:
        pos = m.end()
        lt = seg.rfind(b"<", 0, m.start())
        tag = _CELL_TAG.match(seg, lt) if lt >= 0 else None
        if tag is None or seg.find(b">", lt, m.start()) >= 0:
            continue  # not in a cell's start tag (e.g. text that reads t="e")
        gt = seg.find(b">", m.end())
        close = -1 if gt < 0 else (gt if seg[gt - 1 : gt] == b"/" else seg.find(b"</" + tag.group(1), gt))
        if close < 0:
            raise _Unsure("a cell without its end")
        key = _cell_key(seg[lt:gt])
        value = _CELL_VALUE.search(seg, gt, close) if close > gt else None
        if value is not None:
            out[key] = html.unescape(value.group(2).decode("utf-8")).strip()


def _formula_starts(seg: bytes) -> Iterator[re.Match[bytes]]:
    """The ``<f`` elements of ``seg`` (no namespace prefix), found with a plain byte search (fast on a large sheet)."""
    i = seg.find(b"<f")
    while i >= 0:
        m = _FORMULA_HINT.match(seg, i)
        if m is not None:
            yield m
        i = seg.find(b"<f", i + 2)


def _saved_after(seg: bytes, start: int, zero_unsaved: bool) -> bool:
    """True when the ``<f`` element at ``start`` is followed by ``<v>`` and a value: the usual saved formula, checked without a regex."""
    gt = seg.find(b">", start)
    if gt < 0:
        return False
    end = gt + 1 if seg[gt - 1 : gt] == b"/" else seg.find(b"</f>", gt) + 4
    if zero_unsaved and seg.startswith(b"<v>0</v>", end):
        return False
    return end >= 4 and seg.startswith(b"<v>", end) and seg[end + 3 : end + 4] not in (b"<", b"", b" ")


def _scan_formulas(seg: bytes, out: list[tuple[int, int]], zero_unsaved: bool = False) -> None:
    """Add the formula cells of ``seg`` without a saved result to ``out`` (nothing to do in a sheet without formulas).

    ``zero_unsaved``: a saved ``0`` is a placeholder, not a result (see :func:`_calculated_on_open`).
    """
    if b"<f" not in seg and (b":f" not in seg or _FORMULA_HINT.search(seg) is None):
        return
    for hint in _FORMULA_HINT.finditer(seg) if b"<f" not in seg else _formula_starts(seg):
        if _saved_after(seg, hint.start(), zero_unsaved):
            continue
        m = _FORMULA_CELL.match(seg, max(seg.rfind(b"<", 0, hint.start()), 0))
        if m is None:
            continue  # not a cell's formula
        attrs = m.group("attrs") or b""
        value = m.group("value")
        if value is not None and value.strip() and not (zero_unsaved and value.strip() == b"0"):
            continue
        if (value is not None or m.group("empty") is not None) and _STR_TYPE.search(attrs):
            continue  # a formula whose saved result is an empty text
        out.append(_cell_key(attrs))


def _scan_sheet(path: Path, sheet: str) -> _Scan:
    """Error cells, formula cells without a saved result and number cells shown as percents of worksheet ``sheet``.

    Streams the worksheet's XML, whole rows at a time; cheap byte searches skip a
    sheet without error cells or formulas, and percent cells are looked for only
    when the workbook has a percent number format. Raises ``_Unsure`` when the
    package cannot be followed or such a cell has no ``r`` reference.
    """
    scan = _Scan()
    try:
        with zipfile.ZipFile(path) as zf, zf.open(_worksheet_part(zf, sheet)) as f:
            zero_unsaved = _calculated_on_open(zf)
            styles = _percent_styles(zf)
            if 0 in styles:
                raise _Unsure("the default cell style shows percents")  # cells without an s attribute are percents too
            percent_pattern = _percent_style_pattern(styles) if styles else None
            buf = b""
            while True:
                data = f.read(_CHUNK)
                buf += data
                cut = len(buf) if not data else _whole_rows(buf)
                if cut:
                    seg, buf = buf[:cut], buf[cut:]
                    _scan_errors(seg, scan.errors)
                    _scan_formulas(seg, scan.uncached, zero_unsaved)
                    if percent_pattern is not None:
                        _scan_percents(seg, percent_pattern, scan.percents)
                if not data:
                    return scan
    except (zipfile.BadZipFile, KeyError, StopIteration, OSError, ValueError, ET.ParseError, zlib.error) as e:
        raise _Unsure(str(e)) from e


def _error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Text of the error cells of worksheet ``sheet``, by 0-based (row, column) (see :func:`_scan_sheet`)."""
    return _scan_sheet(path, sheet).errors


def _column_letters(j: int) -> str:
    """Column letters of a 0-based column index: 0 -> A, 26 -> AA.

    >>> _column_letters(0), _column_letters(4), _column_letters(27)
    ('A', 'E', 'AB')
    """
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def sheet_label(file: str, sheet: str) -> str:
    """How problems name a sheet of a workbook.

    >>> sheet_label("进度表.xlsx", "汉台区")
    '进度表.xlsx（工作表“汉台区”）'
    """
    return f"{file}（工作表“{sheet}”）"


def formula_problems(file: str, uncached: dict[int, list[int]], headers: dict[int, str] | None = None) -> list[Problem]:
    """One error per column of formula cells without a saved result, naming the rows and cells.

    ``uncached``: 0-based column -> row numbers; ``headers``: the column headers, when known
    (otherwise the column is named by its letters).

    >>> [str(p) for p in formula_problems("a.xlsx", {4: [5, 6, 7]}, {4: "总投资"})]  # doctest: +NORMALIZE_WHITESPACE
    ['a.xlsx [总投资]：第5-7行（E5、E6、E7）的公式单元格没有保存计算结果：请用 Excel 或 WPS 打开该文件并保存后再导入 / formula cells without saved results']
    """
    from .table import compact_rows  # lazy: hzlib.ingest.table imports this module at its top (a cycle)

    out: list[Problem] = []
    for j in sorted(uncached):
        rows = sorted(uncached[j])
        letters = _column_letters(j)
        cells = "、".join(f"{letters}{r}" for r in rows[:6]) + ("…" if len(rows) > 6 else "")
        column = (headers or {}).get(j) or f"{letters}列"
        out.append(
            Problem(
                file,
                rows[0] if len(rows) == 1 else None,
                column,
                f"第{compact_rows(rows)}行（{cells}）的公式单元格没有保存计算结果：请用 Excel 或 WPS 打开该文件并保存后再导入 "
                "/ formula cells without saved results",
            )
        )
    return out


def _hidden_note(sheet: str) -> str:
    return f"工作表“{sheet}”为隐藏工作表，未读取；如需读取请取消隐藏或用 --sheet 指定 / hidden sheet not read"


def _which_sheet(name: str, sheet: str | None, states: dict[str, str], names: list[str]) -> tuple[str | None, list[Problem]]:
    """The sheet to read and what is said about the choice: hidden sheets are never read unless named.

    ``states``: each worksheet's visibility (``visible``, ``hidden``, ``veryHidden``); ``names``: every sheet.
    """
    hidden = [n for n, s in states.items() if s != "visible"]
    if sheet is None:
        if not states:
            return None, [Problem(name, None, None, "文件中没有工作表 / the workbook has no worksheet")]
        title = next((n for n, s in states.items() if s == "visible"), None)
        if title is None:
            listed = "、".join(f"“{n}”" for n in hidden)
            return None, [
                Problem(
                    name, None, None, f"文件中的工作表 {listed} 都是隐藏工作表，未读取：请取消隐藏，或用 --sheet 指定要读取的工作表 / every sheet is hidden"
                )
            ]
        return title, [Problem(name, None, None, _hidden_note(n), WARNING) for n in hidden]
    if sheet not in names:
        return None, [_no_sheet_problem(name, sheet, names, hidden)]
    if states.get(sheet, "visible") != "visible":
        return sheet, [Problem(name, None, None, f"工作表“{sheet}”为隐藏工作表，按 --sheet 指定读取 / hidden sheet read as asked", WARNING)]
    return sheet, []


def _no_sheet_problem(name: str, sheet: str, names: list[str], hidden: list[str]) -> Problem:
    listed = "、".join(n + ("（隐藏）" if n in hidden else "") for n in names)
    return Problem(name, None, None, f"工作表“{sheet}”不存在，文件中的工作表有：{listed}；请用 --sheet 指定其中一个 / no sheet named {sheet!r}")


def _percent_text(v: float) -> str:
    """A number shown as a percent in Excel as the text a user would type: 0.125 -> "12.5%".

    >>> _percent_text(0.125), _percent_text(0.0725), _percent_text(1), _percent_text(-0.004), _percent_text(0.145)
    ('12.5%', '7.25%', '100%', '-0.4%', '14.5%')
    """
    return np.format_float_positional(to_percent(float(v)), trim="-") + "%"


def _put_percents(rows: list[list[object]], percents: Sequence[tuple[int, int]]) -> None:
    """Turn the number cells at ``percents`` (0-based) into percent text, in place (see :func:`_percent_text`)."""
    texts: dict[object, str] = {}  # a rate column repeats its values: format each once
    for r, c in percents:
        if r < len(rows) and c < len(rows[r]):
            v = rows[r][c]
            if type(v) in (int, float) and v == v:
                text = texts.get(v)
                if text is None:
                    text = texts[v] = _percent_text(v)  # type: ignore[arg-type]
                rows[r][c] = text


def _sheet_read(
    name: str,
    title: str,
    rows: list[list[object]],
    said: list[Problem],
    uncached: list[tuple[int, int]],
    errors: dict[tuple[int, int], str] | None = None,
    convert: Callable[[object], object] | None = None,
    merged: list[tuple[int, int, int, int]] | None = None,
    percents: Sequence[tuple[int, int]] = (),
) -> RawTable:
    """The RawTable of a sheet read: error cells put back, number cells shown as percents made percent text,
    formula cells without a result reported."""
    _put_percents(rows, percents)
    grid = _grid(rows)
    if errors:
        height = max(len(grid), max(r for r, _ in errors) + 1)
        width = max(grid.shape[1], max(c for _, c in errors) + 1)
        grid = grid.reindex(index=range(height), columns=range(width)).astype(object)
        for (r, c), text in errors.items():
            grid.iat[r, c] = text
    cells = _trim(_clean_cells(grid, convert))
    by_column: dict[int, list[int]] = {}
    for r, c in sorted(set(uncached), key=lambda rc: (rc[1], rc[0])):
        by_column.setdefault(c, []).append(r + 1)
    cell_errors = formula_problems(sheet_label(name, title), by_column)
    return RawTable(name, cells, np.arange(1, len(cells) + 1), None, title, [*said, *cell_errors], merged or [], by_column, cell_errors)


def _openpyxl_uncached(path: Path, title: str, values: list[tuple[object, ...]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Formula cells of sheet ``title`` whose saved result (``values``, read with ``data_only``) is missing
    (or is the placeholder ``0`` of a workbook calculated on open), and the cells whose number format shows
    percents (looked for only when the workbook has such a format)."""
    import openpyxl  # lazy: openpyxl costs 71 ms at import of this module; calamine reads workbooks, openpyxl only their rare cases

    try:
        with zipfile.ZipFile(path) as zf:
            zero_unsaved = _calculated_on_open(zf)
    except (zipfile.BadZipFile, KeyError, StopIteration, OSError, ValueError, ET.ParseError, zlib.error):
        zero_unsaved = False
    try:
        with zipfile.ZipFile(path) as zf:
            any_percent = bool(_percent_styles(zf))
    except (zipfile.BadZipFile, KeyError, StopIteration, OSError, ValueError, ET.ParseError, zlib.error):
        any_percent = True  # cannot tell: look at every cell's format
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        out = []
        percents: list[tuple[int, int]] = []
        shown_as_percent: dict[str, bool] = {}
        for i, row in enumerate(ws.iter_rows()):
            for cell in row:
                kind = getattr(cell, "data_type", None)
                if any_percent and kind in ("n", "f"):
                    code = getattr(cell, "number_format", None)
                    if code and code != "General":
                        if code not in shown_as_percent:
                            shown_as_percent[code] = _is_percent_format(code)
                        if shown_as_percent[code]:
                            percents.append((i, cell.column - 1))
                if kind != "f":
                    continue
                j = cell.column - 1
                saved = values[i][j] if i < len(values) and j < len(values[i]) else None
                if saved is None or (zero_unsaved and type(saved) in (int, float) and saved == 0):
                    out.append((i, j))
        return out, percents
    finally:
        wb.close()


def _read_xlsx_openpyxl(path: Path, name: str, sheet: str | None) -> RawTable:
    import openpyxl  # lazy: openpyxl costs 71 ms at import of this module; calamine reads workbooks, openpyxl only their rare cases

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        return _empty(name, [Problem(name, None, None, _open_failure(path, name, "xlsx", e))])
    try:
        names = list(wb.sheetnames)
        states = {ws.title: ws.sheet_state for ws in wb.worksheets}
        title, said = _which_sheet(name, sheet, states, names)
        if title is None:
            return _empty(name, said, sheet=sheet)
        ws = wb[title]
        ws.reset_dimensions()  # some writers store a wrong dimension; read every row
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    uncached, percents = _openpyxl_uncached(path, title, rows)
    return _sheet_read(name, title, [list(r) for r in rows], said, uncached, percents=percents)


# ---------------------------------------------------------------- what a file really is

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream an Office file encrypted with a password keeps its content in (an OLE2 directory entry, UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta", b"<style", b"<!--")

#: Files that are not tables this reader can open, by what they really are.
_NOT_A_TABLE = {
    "encrypted": "文件 {name} 已设置打开密码（加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入 / the file is password-protected",
    "html": "文件 {name} 实际是网页（HTML）格式，不是 Excel 文件（网页系统“导出 Excel”常见）：请在 Excel/WPS 中打开后另存为 .xlsx 再导入 "
    "/ the file is HTML, not Excel",
    "xml": "文件 {name} 实际是 XML 格式（如 Excel 2003 XML 表格），不是 .xlsx：请在 Excel/WPS 中打开后另存为 .xlsx 再导入 / the file is XML, not xlsx",
    "damaged": "文件 {name} 不完整或已损坏（不是有效的 Excel 文件，无法作为 Excel（xlsx）文件打开）：请重新导出或重新发送 "
    "/ the file is truncated or damaged, cannot open as xlsx",
}


def file_format(path: str | Path) -> str:
    """What a file is by its bytes, whatever its name says.

    ``xlsx`` (a zip package), ``xls`` (an OLE2 file: old Excel), ``encrypted`` (an OLE2 file
    holding a password-protected workbook), ``html``, ``xml``, ``text`` (CSV or other text)
    or ``binary``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.xls"
    >>> _ = p.write_text("<html><table><tr><td>1</td></tr></table></html>")
    >>> file_format(p)
    'html'
    """
    p = Path(path)
    with p.open("rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "encrypted" if _ENCRYPTED_STREAM in p.read_bytes() else "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML_STARTS):
        return "html"
    if start.startswith(b"<?xml"):
        return "html" if b"<html" in start else "xml"
    return "binary" if b"\x00" in head else "text"


def _renamed(name: str, suffix: str, fmt: str) -> Problem | None:
    """A note when the file's extension does not say what it is (it is read by what it is)."""
    shown = suffix or "（无）"
    if fmt == "xlsx" and suffix not in (".xlsx", ".xlsm"):
        msg = f"文件 {name} 实际是 .xlsx 格式（扩展名为 {shown}），已按 .xlsx 读取；请把扩展名改为 .xlsx / the file is really .xlsx"
    elif fmt == "xls" and suffix != ".xls":
        msg = f"文件 {name} 实际是旧版 .xls 格式（扩展名为 {shown}），已按 .xls 读取；建议在 Excel/WPS 中另存为 .xlsx / the file is really .xls"
    elif fmt == "text" and suffix in EXCEL_SUFFIXES:
        msg = f"文件 {name} 实际是文本（CSV）格式，不是 Excel 文件，已按 CSV 读取；请把扩展名改为 .csv / the file is really text (CSV)"
    else:
        return None
    return Problem(name, None, None, msg, WARNING)


def _open_failure(path: Path, name: str, fmt: str, e: Exception) -> str:
    """Why a workbook could not be opened, and what to do."""
    if fmt == "xls":
        return (
            f"文件 {name} 是旧版 Office 文件，但无法作为 Excel（.xls）表格读取（{e}）：文件可能已损坏，或设置了密码；"
            "请在 Excel/WPS 中打开后另存为 .xlsx 再导入 / cannot open as xls"
        )
    if not zipfile.is_zipfile(path):
        return _NOT_A_TABLE["damaged"].format(name=name)
    return _OPEN_MESSAGE.format(f"{e}；文件可能已损坏或不是 Excel 表格，请重新导出或重新发送")


def _book(pc: Any, path: Path, fmt: str) -> Any:
    """Open a workbook with calamine by its content (the extension may say otherwise)."""
    suffix = path.suffix.lower()
    if (fmt == "xlsx" and suffix in (".xlsx", ".xlsm")) or (fmt == "xls" and suffix == ".xls"):
        return pc.CalamineWorkbook.from_path(str(path))
    with path.open("rb") as f:
        return pc.CalamineWorkbook.from_filelike(f)


def _calamine_states(pc: Any, wb: Any) -> dict[str, str]:
    """Each worksheet's visibility (``visible``, ``hidden``, ``veryHidden``), as openpyxl names them."""

    def shown(v: Any) -> str:
        return "visible" if v == pc.SheetVisibleEnum.Visible else "veryHidden" if v == pc.SheetVisibleEnum.VeryHidden else "hidden"

    return {m.name: shown(m.visible) for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet}


def _read_xlsx(path: Path, name: str, sheet: str | None, fmt: str = "xlsx") -> RawTable:
    try:
        import python_calamine as pc  # lazy: an environment without it falls back to openpyxl (ImportError below)
    except ImportError:  # an environment not yet updated: slower, same result
        if fmt == "xlsx":
            return _read_xlsx_openpyxl(path, name, sheet)
        return _empty(
            name,
            [
                Problem(
                    name,
                    None,
                    None,
                    "读取旧版 .xls 需要 python-calamine（make 安装环境时安装）；或在 Excel/WPS 中另存为 .xlsx / python-calamine needed for .xls",
                )
            ],
        )

    try:
        with _book(pc, path, fmt) as wb:
            title, said = _which_sheet(name, sheet, _calamine_states(pc, wb), list(wb.sheet_names))
            if title is None:
                return _empty(name, said, sheet=sheet)
            ws = wb.get_sheet_by_name(title)
            rows = ws.to_python(skip_empty_area=False)  # from A1, so row numbers match
            merged = [(int(a[0]), int(a[1]), int(b[0]), int(b[1])) for a, b in (ws.merged_cell_ranges or [])]
    except pc.PasswordError:
        return _empty(name, [Problem(name, None, None, _NOT_A_TABLE["encrypted"].format(name=name))])
    except (pc.CalamineError, OSError, ValueError) as e:
        return _empty(name, [Problem(name, None, None, _open_failure(path, name, fmt, e))])
    scan = _Scan()
    if fmt == "xlsx":
        try:
            scan = _scan_sheet(path, title)
        except _Unsure:
            return _read_xlsx_openpyxl(path, name, sheet)
    else:
        errors = xls_error_cells(path.read_bytes(), title)
        if errors is None:
            said.append(
                Problem(
                    name,
                    None,
                    None,
                    "无法逐个检查这个旧版 .xls 文件中的错误值单元格（#REF! 等会读成空白）：建议在 Excel/WPS 中另存为 .xlsx 后再导入 "
                    "/ error cells of this .xls could not be checked",
                    WARNING,
                )
            )
        scan.errors = errors or {}
    return _sheet_read(name, title, rows, said, scan.uncached, scan.errors, _openpyxl_like, merged, scan.percents)


def sheet_states(path: str | Path) -> dict[str, str]:
    """Every worksheet of a workbook, in order, and whether it is shown: ``visible``, ``hidden`` or ``veryHidden``.

    Empty for a CSV or an unreadable file (the reader reports why when it reads it).

    >>> sheet_states("表.csv")
    {}
    """
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return {}
    fmt = file_format(p)
    if fmt not in ("xlsx", "xls"):
        return {}
    try:
        import python_calamine as pc  # lazy: an environment without it falls back to openpyxl (ImportError below)
    except ImportError:  # an environment not yet updated
        import openpyxl  # lazy: openpyxl costs 71 ms at import of this module; calamine reads workbooks, openpyxl only their rare cases

        try:
            wb = openpyxl.load_workbook(p, read_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return {}
        try:
            return {ws.title: ws.sheet_state for ws in wb.worksheets}
        finally:
            wb.close()
    try:
        with _book(pc, p, fmt) as wb:
            return _calamine_states(pc, wb)
    except (pc.CalamineError, OSError, ValueError):  # an unreadable file is reported when it is read
        return {}


def list_sheets(path: str | Path) -> list[str]:
    """The visible worksheet names of a workbook, in workbook order (empty for a CSV or an unreadable file).

    Hidden sheets (drafts, old copies) are not listed: they are read only when named (``--sheet``).

    >>> list_sheets("表.csv")
    []
    """
    return [n for n, s in sheet_states(path).items() if s == "visible"]


def read_raw(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read the cells of a CSV or Excel file (by what the file is, whatever its extension). Content problems come back as problems.

    Raises :class:`~hzlib.errors.DataError` naming the path when there is no such file.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError([Problem(str(p), None, None, "找不到文件（请检查路径和文件名） / no such file")], "数据文件")
    name = p.name
    suffix = p.suffix.lower()
    if suffix not in EXCEL_SUFFIXES and suffix not in CSV_SUFFIXES and suffix != "":
        return _empty(name, [Problem(name, None, None, f"不支持的文件类型 {p.suffix}，应为 .csv、.xlsx 或 .xls / unsupported file type")])
    if p.stat().st_size == 0:
        return _empty(name, [Problem(name, None, None, "文件为空，没有表头也没有数据 / the file is empty")])
    fmt = file_format(p)
    if fmt == "binary" and suffix in EXCEL_SUFFIXES:
        fmt = "damaged"
    if fmt in _NOT_A_TABLE:
        return _empty(name, [Problem(name, None, None, _NOT_A_TABLE[fmt].format(name=name))])
    raw = _read_xlsx(p, name, sheet, fmt) if fmt in ("xlsx", "xls") else _read_csv(p, name)
    note = _renamed(name, suffix, fmt)
    if note is not None:
        raw.problems.insert(0, note)
    return raw
