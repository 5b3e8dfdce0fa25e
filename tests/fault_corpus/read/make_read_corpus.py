"""Write the reading-fault corpus used by tests/test_ingest_faults_read.py.

Files as offices really send them, one fault per file: hidden and very hidden sheets,
a 总投资 merged over the 一期/二期 rows, formula cells never calculated (a file written by
a program), a password-protected workbook, a truncated one, renamed files (an HTML
"Excel export" named .xls, an .xlsx named .xls or .csv, an old .xls named .xlsx, text
named .xls), a real old .xls, and semicolon- and tab-separated CSV. Run once from
anywhere (``python tests/fault_corpus/read/make_read_corpus.py``); the outputs are
committed next to this script (README.md lists them). Timestamps are fixed, so the
bytes come out the same each run.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for the shared writer when run as a script
from _xlsx_bytes import fixed_book, xlsx_bytes

HERE = Path(__file__).resolve().parent
STAMP = dt.datetime(2019, 7, 5, 9, 0, 0)

TITLE = "2019年安康市市级重点建设项目进度表（1-6月）"
HEAD = ["序号", "项目名称", "所属县区", "项目类别", "总投资（万元）", "年度计划投资（万元）", "1-6月完成投资（万元）"]
ROWS = [
    [1, "安康汉江二桥", "汉滨区", "新开工", 120000, 30000, 14000],
    [2, "平利县女娲茶城", "平利县", "续建", 60000, 15000, 7000],
]


def new_book() -> openpyxl.Workbook:
    return fixed_book(STAMP)


def save(wb: openpyxl.Workbook, name: str) -> None:
    (HERE / name).write_bytes(xlsx_bytes(wb, STAMP))


def rewrite(data: bytes, changes: dict[str, list[tuple[bytes, bytes]]]) -> bytes:
    """An xlsx with some parts' bytes replaced (each replacement must apply), the timestamps kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            for old, new in changes.get(item.filename, []):
                assert old in body, (item.filename, old)
                body = body.replace(old, new)
            zout.writestr(item, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ledger_sheet(ws: Worksheet, rows: list[list[object]] = ROWS) -> None:
    ws.append([TITLE])
    ws.append(HEAD)
    for r in rows:
        ws.append(r)


def ledger_book(rows: list[list[object]] = ROWS) -> openpyxl.Workbook:
    """A workbook whose first sheet, 1-6月, is the ledger of ``rows``."""
    wb = new_book()
    ws = wb.active
    ws.title = "1-6月"
    ledger_sheet(ws, rows)
    return wb


# ---------------------------------------------------------------- a minimal old-format (.xls) writer

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_ERRORS = {"#REF!": 0x17, "#DIV/0!": 0x07}


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _text(s: str, width: str = "<H") -> bytes:
    """An XLUnicodeString (UTF-16)."""
    return struct.pack(width, len(s)) + b"\x01" + s.encode("utf-16-le")


def biff8(sheet: str, rows: list[list[object]]) -> bytes:
    """A BIFF8 Workbook stream of one sheet of text and numbers (what Excel 97-2003 writes, in short)."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    pad = _record(0x005C, b" " * 4000)  # WRITEACCESS: keeps the stream above 4096 bytes (no mini stream needed)
    xf = _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))

    def globals_(pos: int) -> bytes:
        return (
            _record(0x0809, bof)
            + _record(0x0042, struct.pack("<H", 1200))
            + pad
            + xf * 16
            + _record(0x0085, struct.pack("<IBB", pos, 0, 0) + _text(sheet, "<B"))
            + _record(0x000A, b"")
        )

    cells = b""
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, tuple):  # ("=", "#DIV/0!"): a formula whose saved result is an error
                result = struct.pack("<BBBBBBH", 2, 0, _ERRORS[v[1]], 0, 0, 0, 0xFFFF)
                cells += _record(0x0006, struct.pack("<HHH", i, j, 15) + result + struct.pack("<HIH", 0, 0, 0))
            elif isinstance(v, str) and v in _ERRORS:  # an error value typed or pasted as a value
                cells += _record(0x0205, struct.pack("<HHHBB", i, j, 15, _ERRORS[v], 1))
            elif isinstance(v, (int, float)):
                cells += _record(0x0203, struct.pack("<HHHd", i, j, 15, float(v)))
            elif v is not None:
                cells += _record(0x0204, struct.pack("<HHH", i, j, 15) + _text(str(v)))
    width = max(len(r) for r in rows)
    body = (
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
        + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        + cells
        + _record(0x000A, b"")
    )
    head = globals_(0)
    return globals_(len(head)) + body


def cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (what .xls files and password-protected workbooks are) holding ``streams``.

    Version 3, 512-byte sectors; every stream is padded to 4096 bytes or more so that no
    mini stream is needed.
    """
    sector = 512
    chains: list[int] = []
    data = b""
    starts: list[int] = []
    next_sector = 1  # sector 0 is the FAT
    for body in streams.values():
        body = body.ljust(max(len(body), 4096), b"\x00")
        n = -(-len(body) // sector)
        starts.append(next_sector)
        chains += [next_sector + k + 1 for k in range(n - 1)] + [_END]
        data += body.ljust(n * sector, b"\x00")
        next_sector += n
    directory_sector = next_sector
    fat = [_FAT, *chains, _END]
    fat += [_FREE] * max(0, sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", _FREE, right, child)
            + b"\x00" * 16
            + struct.pack("<IQQI", 0, 0, 0, start)
            + struct.pack("<Q", size)
        )

    names = list(streams)
    entries = entry("Root Entry", 5, 1, _FREE, _END, 0)
    for k, name in enumerate(names):  # a chain of right siblings (names differ in length, so the order is valid)
        entries += entry(name, 2, _FREE, k + 2 if k + 1 < len(names) else _FREE, starts[k], len(streams[name]))
    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _FREE, _FREE, _FREE) + b"\x00" * 48
    assert len(names) < 4 and len(fat) <= sector // 4, "one directory sector and one FAT sector"
    entries += empty * (4 - 1 - len(names))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([_FREE] * 108))
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + data + entries


def main() -> None:
    # hidden sheets: an old copy (hidden) and a draft (very hidden) with the same header
    wb = ledger_book()
    old = wb.create_sheet("旧表")
    ledger_sheet(old, [[1, "安康汉江二桥", "汉滨区", "新开工", 120000, 30000, 9000]])
    old.sheet_state = "hidden"
    draft = wb.create_sheet("草稿")
    ledger_sheet(draft, [[9, "草稿项目", "汉滨区", "新开工", 1, 1, 1]])
    draft.sheet_state = "veryHidden"
    save(wb, "hidden_sheets.xlsx")

    # one sheet per county, and a hidden copy of one of them
    wb = new_book()
    for k, (county, row) in enumerate((("汉滨区", ROWS[0]), ("平利县", ROWS[1]), ("汉滨区(旧)", ROWS[0]))):
        ws = wb.active if k == 0 else wb.create_sheet(county)
        ws.title = county
        ws.append([h for h in HEAD if h != "所属县区"])
        ws.append([c for i, c in enumerate(row) if i != 2])
        if county.endswith("(旧)"):
            ws.sheet_state = "hidden"
    save(wb, "hidden_county_copy.xlsx")

    # 总投资 (and the unit) merged over the 一期/二期 rows of one project
    wb = ledger_book(
        [
            [1, "安康汉江二桥（一期）", "汉滨区", "新开工", 120000, 30000, 14000],
            [2, "安康汉江二桥（二期）", None, "新开工", None, 20000, 6000],
            [3, "平利县女娲茶城", "平利县", "续建", 60000, 15000, 7000],
        ],
    )
    ws = wb.active
    ws.merge_cells("C3:C4")
    ws.merge_cells("E3:E4")
    save(wb, "merged_money.xlsx")

    # formulas written by a program and never calculated (no saved value), and other problems in the same sheet
    wb = ledger_book(
        [
            [1, "安康汉江二桥", "汉滨区", "新开工", "=F3*4", 30000, "=14000"],
            [2, "平利县女娲茶城", "平利县", "续建", "=F4*4", "约15000", 7000],
            [3, "旬阳县城区供水", "旬阳县", "续建", 50000, 6000, "=3000+100"],
        ],
    )
    hidden = wb.create_sheet("旧表")
    hidden.append(["旧数据"])
    hidden.sheet_state = "hidden"
    save(wb, "formula_no_value.xlsx")

    # the same ledger, every formula with a saved result (as Excel or WPS saves it: no fullCalcOnLoad)
    wb = ledger_book([[1, "安康汉江二桥", "汉滨区", "新开工", "=F3*4", 30000, "=14000+0"]])
    data = xlsx_bytes(wb, STAMP)
    saved = {
        "xl/worksheets/sheet1.xml": [(b"<f>F3*4</f><v />", b"<f>F3*4</f><v>120000</v>"), (b"<f>14000+0</f><v />", b"<f>14000+0</f><v>14000</v>")],
        "xl/workbook.xml": [(b' fullCalcOnLoad="1"', b"")],
    }
    (HERE / "formula_saved.xlsx").write_bytes(rewrite(data, saved))
    # as XlsxWriter writes formulas: a placeholder 0 saved, and the workbook asks to be calculated when opened
    zero = {"xl/worksheets/sheet1.xml": [(b"<f>F3*4</f><v />", b"<f>F3*4</f><v>0</v>"), (b"<f>14000+0</f><v />", b"<f>14000+0</f><v>0</v>")]}
    (HERE / "formula_zero.xlsx").write_bytes(rewrite(data, zero))

    # a workbook with an opening password: an OLE2 file holding EncryptionInfo and EncryptedPackage
    (HERE / "password.xlsx").write_bytes(cfb({"EncryptionInfo": bytes(range(256)) * 4, "EncryptedPackage": bytes(range(255, -1, -1)) * 20}))

    # an xlsx cut short (a download or a mail attachment interrupted)
    wb = new_book()
    ledger_sheet(wb.active)
    good = xlsx_bytes(wb, STAMP)
    (HERE / "truncated.xlsx").write_bytes(good[: len(good) * 2 // 3])
    # an xlsx named .xls, and one named .csv
    (HERE / "really_xlsx.xls").write_bytes(good)
    (HERE / "really_xlsx.csv").write_bytes(good)

    # a real old .xls, and one named .xlsx
    old_rows: list[list[object]] = [[TITLE], [*HEAD], *ROWS]
    xls = cfb({"Workbook": biff8("1-6月", old_rows)})
    (HERE / "old_format.xls").write_bytes(xls)
    (HERE / "really_xls.xlsx").write_bytes(xls)
    # an old .xls with error cells (calamine reads them as blank)
    bad_rows: list[list[object]] = [[TITLE], [*HEAD], [*ROWS[0][:4], "#REF!", *ROWS[0][5:]], [*ROWS[1][:5], ("=", "#DIV/0!"), ROWS[1][6]]]
    (HERE / "old_format_errors.xls").write_bytes(cfb({"Workbook": biff8("1-6月", bad_rows)}))

    # a web system's "export to Excel": an HTML table named .xls
    table: list[list[object]] = [[*HEAD], *ROWS]
    cells = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in table)
    html = f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body><table>{cells}</table></body></html>\n'
    (HERE / "html_export.xls").write_bytes(html.encode("utf-8"))

    # tab-separated text named .xls (another kind of "export to Excel"), in GBK
    text = "\n".join("\t".join(str(v) for v in r) for r in table) + "\n"
    (HERE / "text_export.xls").write_bytes(text.encode("gbk"))

    # semicolon- and tab-separated CSV
    semi = "\n".join(";".join(str(v) for v in r) for r in table) + "\n"
    (HERE / "semicolon.csv").write_bytes(semi.encode("utf-8"))
    (HERE / "tab.csv").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
