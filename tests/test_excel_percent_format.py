"""A number cell that Excel shows as a percent (0.125 with the format 0.0%) reads as that percent.

Worked examples (fractions inside: 12.5% is 0.125):
- 利税率（%） with 0.125 formatted 0.0% (Excel shows 12.5%): 0.125, not 0.125% = 0.00125, no warning.
- the same column with 0.125 formatted 0.0% and plain 8 and 10 typed: 0.125, 0.08, 0.10.
- an unformatted 0.6 under 利税率（%）: 0.6% = 0.006, warned as before.
- 12.5 formatted 0.00"%" (the % in quotes is literal text; Excel shows 12.50%): not a percent format,
  so 12.5 is read as typed (12.5% under a percent header) = 0.125, not 1250%.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from hzlib.errors import WARNING
from hzlib.ingest import read as read_module
from hzlib.ingest import read_indicators, read_ledger
from hzlib.ingest.read import read_raw
from hzlib.ingest.result import ReadResult

LEDGER_HEAD = ["项目编号", "项目名称", "责任单位", "项目级别", "项目类别", "是否新开工", "总投资（万元）", "年度计划投资（万元）", "利税率（%）"]
RATE_COLUMN = 9  # 1-based column of 利税率（%）


def ledger_book(path: Path, rates: list[tuple[float, str | None]]) -> Path:
    """A ledger with one project per rate; each rate is (value, number format or None)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    ws.append(LEDGER_HEAD)
    for i, (value, fmt) in enumerate(rates, start=1):
        ws.append([f"P{i}", f"项目{i}", "汉滨区", "市级", "新开工", "是", 1000, 500, value])
        if fmt is not None:
            ws.cell(row=i + 1, column=RATE_COLUMN).number_format = fmt
    wb.save(path)
    return path


def rate_warnings(r: ReadResult) -> list[tuple[int | None, str]]:
    return [(p.row, p.message) for p in r.problems if p.severity == WARNING and p.column is not None and "利税率" in p.column]


def test_a_cell_shown_as_a_percent_reads_as_that_percent(tmp_path: Path) -> None:
    r = read_ledger(ledger_book(tmp_path / "a.xlsx", [(0.125, "0.0%"), (0.08, "0%")]), year=2019)
    assert r.ok, r.problems
    assert r.frame["profit_tax_rate"].tolist() == pytest.approx([0.125, 0.08])
    assert rate_warnings(r) == []


def test_a_percent_cell_among_typed_percent_numbers(tmp_path: Path) -> None:
    r = read_ledger(ledger_book(tmp_path / "a.xlsx", [(0.125, "0.0%"), (8, None), (10, None)]), year=2019)
    assert r.frame["profit_tax_rate"].tolist() == pytest.approx([0.125, 0.08, 0.10])
    assert rate_warnings(r) == []


def test_an_unformatted_small_number_under_a_percent_header_is_still_a_percent_number(tmp_path: Path) -> None:
    r = read_ledger(ledger_book(tmp_path / "a.xlsx", [(0.125, "0.0%"), (0.6, None)]), year=2019)
    assert r.frame["profit_tax_rate"].tolist() == pytest.approx([0.125, 0.006])
    said = rate_warnings(r)
    assert len(said) == 1 and said[0][0] == 3 and "按 0.6% 处理" in said[0][1]


def test_a_quoted_percent_sign_is_literal_text_not_a_percent_format(tmp_path: Path) -> None:
    path = ledger_book(tmp_path / "a.xlsx", [(12.5, '0.00"%"'), (8, None)])
    assert read_raw(path).cells[8].tolist()[1:] == [12.5, 8]
    r = read_ledger(path, year=2019)
    assert r.frame["profit_tax_rate"].tolist() == pytest.approx([0.125, 0.08])


def test_percent_cells_text_and_positions(tmp_path: Path) -> None:
    # 0.0725 -> "7.25%", 1 -> "100%"; a text cell and a date-formatted number in a percent style are left alone
    path = ledger_book(tmp_path / "a.xlsx", [(0.0725, "0.00%"), (1, "0%"), (0.5, None)])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws.cell(row=5, column=RATE_COLUMN, value="待定").number_format = "0%"
    wb.save(path)
    assert read_raw(path).cells[8].tolist() == ["利税率（%）", "7.25%", "100%", 0.5, "待定"]
    assert read_module._scan_sheet(path, "台账").percents == [(1, 8), (2, 8)]


def test_percent_cells_read_the_same_with_openpyxl(tmp_path: Path) -> None:
    path = ledger_book(tmp_path / "a.xlsx", [(0.0725, "0.00%"), (1, "0%"), (0.5, None), (12.5, '0.00"%"')])
    raw = read_module._read_xlsx_openpyxl(path, path.name, None)
    assert raw.cells[8].tolist() == ["利税率（%）", "7.25%", "100%", 0.5, 12.5]


def test_a_workbook_without_percent_formats_is_not_scanned_for_them(tmp_path: Path) -> None:
    path = ledger_book(tmp_path / "a.xlsx", [(0.125, "0.000"), (8, None)])
    assert read_module._scan_sheet(path, "台账").percents == []
    assert read_raw(path).cells[8].tolist()[1:] == [0.125, 8]


def test_a_growth_rate_shown_as_a_percent_in_an_indicator_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["地区", "期别", "指标", "累计值（亿元）", "累计同比增速（%）"])
    ws.append(["汉中市", "2024Q2", "fai", 100, 0.076])
    ws.append(["汉中市", "2024Q2", "private_inv", 50, -0.031])
    for row in (2, 3):
        ws.cell(row=row, column=5).number_format = "0.0%"
    path = tmp_path / "indicators.xlsx"
    wb.save(path)
    r = read_indicators(path)
    assert r.frame["cum_yoy"].tolist() == pytest.approx([0.076, -0.031])
    assert not [p for p in r.problems if p.column is not None and "增速" in p.column]


@pytest.mark.parametrize(
    ("code", "percent"),
    [("0%", True), ("0.0%", True), ("#,##0.00%;[Red]-#,##0.00%", True), ('0.00"%"', False), ("0.00\\%", False), ("0.0_%", False)],
)
def test_percent_format_codes(code: str, percent: bool) -> None:
    assert read_module._is_percent_format(code) is percent


def test_a_default_style_shown_as_a_percent_is_read_with_openpyxl(tmp_path: Path) -> None:
    # cells without an s attribute take style 0: when it shows percents, the scan cannot list them, openpyxl reads
    path = ledger_book(tmp_path / "a.xlsx", [(0.125, None), (0.08, None)])
    src = tmp_path / "src.xlsx"
    path.rename(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/styles.xml":
                head, xfs = data.split(b"<cellXfs", 1)
                data = head + b"<cellXfs" + xfs.replace(b'numFmtId="0"', b'numFmtId="9"', 1)
            zout.writestr(item, data)
    with pytest.raises(read_module._Unsure):
        read_module._scan_sheet(path, "台账")
    assert read_raw(path).cells[8].tolist() == ["利税率（%）", "12.5%", "8%"]
