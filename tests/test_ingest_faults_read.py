"""Reading the files offices really send: hidden sheets, merged amounts, formulas never calculated,
password-protected, truncated and renamed files, semicolon- and tab-separated CSV.

Each of these used to be read as "可以使用" with a wrong total, or refused with a message
nobody could act on. The corpus is in tests/fault_corpus/read/ (written by
make_read_corpus.py there), one fault per file.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.errors import ERROR, WARNING, Problem
from hzlib.ingest import ReadResult, list_sheets, read_ledger, validate_file
from hzlib.ingest import read as read_module
from hzlib.ingest.read import file_format, read_raw, sheet_states

CORPUS = Path(__file__).parent / "fault_corpus" / "read"
HIDDEN = "为隐藏工作表，未读取；如需读取请取消隐藏或用 --sheet 指定"
NO_RESULT = "的公式单元格没有保存计算结果：请用 Excel 或 WPS 打开该文件并保存后再导入"


def f(name: str) -> Path:
    return CORPUS / name


def one(r: ReadResult, severity: str, row: int | None, column: str | None, *words: str) -> Problem:
    """The one problem at (row, column) with all ``words``; fails with the full list otherwise."""
    hits = [p for p in r.problems if p.severity == severity and p.row == row and p.column == column and all(w in p.message for w in words)]
    assert len(hits) == 1, f"expected one {severity} at row {row} [{column}] with {words}, got:\n" + "\n".join(map(str, r.problems))
    return hits[0]


def action(r: ReadResult, *words: str) -> Problem:
    hits = [p for p in r.actions if all(w in str(p) for w in words)]
    assert len(hits) == 1, f"expected one action with {words}, got:\n" + "\n".join(map(str, r.actions))
    assert hits[0] in r.problems and hits[0].severity == WARNING
    return hits[0]


# ---------------------------------------------------------------- 1. hidden sheets


def test_hidden_sheets_are_not_read_and_are_named() -> None:
    assert sheet_states(f("hidden_sheets.xlsx")) == {"1-6月": "visible", "旧表": "hidden", "草稿": "veryHidden"}
    assert list_sheets(f("hidden_sheets.xlsx")) == ["1-6月"]
    r = read_ledger(f("hidden_sheets.xlsx"), year=2019)
    assert r.ok, r.errors
    # only the visible sheet's two projects: the hidden old copy (9000) and the draft are not added
    assert r.frame["name"].tolist() == ["安康汉江二桥", "平利县女娲茶城"]
    assert r.progress is not None and r.progress.frame["completed_cum"].tolist() == [14000.0, 7000.0]
    assert action(r, "工作表“旧表”" + HIDDEN).file == "hidden_sheets.xlsx"
    action(r, "工作表“草稿”" + HIDDEN)


def test_a_hidden_sheet_named_with_sheet_is_read_with_a_warning() -> None:
    r = read_ledger(f("hidden_sheets.xlsx"), sheet="旧表", year=2019)
    assert r.ok, r.errors
    assert r.sheets == ["旧表"] and r.progress is not None and r.progress.frame["completed_cum"].tolist() == [9000.0]
    action(r, "工作表“旧表”为隐藏工作表，按 --sheet 指定读取")
    r = read_ledger(f("hidden_sheets.xlsx"), sheet="草稿", year=2019)
    assert r.frame["name"].tolist() == ["草稿项目"]
    action(r, "工作表“草稿”为隐藏工作表，按 --sheet 指定读取")


def test_a_hidden_copy_of_a_county_sheet_is_not_counted_twice() -> None:
    r = read_ledger(f("hidden_county_copy.xlsx"), year=2019)
    assert r.ok, r.errors
    assert r.sheets == ["汉滨区", "平利县"] and r.frame["unit"].tolist() == ["汉滨区", "平利县"]
    assert float(r.frame["total_investment"].sum()) == 180000.0  # not 300000 with the hidden 汉滨区(旧)
    action(r, "读取工作表 “汉滨区”、“平利县”", "工作表“汉滨区(旧)”" + HIDDEN)


def test_a_missing_sheet_lists_the_hidden_ones_as_hidden() -> None:
    raw = read_raw(f("hidden_sheets.xlsx"), "1-7月")
    assert [p.message for p in raw.problems] == [
        "工作表“1-7月”不存在，文件中的工作表有：1-6月、旧表（隐藏）、草稿（隐藏）；请用 --sheet 指定其中一个 / no sheet named '1-7月'"
    ]


def test_a_workbook_whose_sheets_are_all_hidden_names_them(tmp_path: Path) -> None:
    dst = tmp_path / "全隐藏.xlsx"
    with zipfile.ZipFile(f("hidden_sheets.xlsx")) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data.replace(b'state="visible"', b'state="hidden"') if item.filename == "xl/workbook.xml" else data)
    assert list_sheets(dst) == []
    r = read_ledger(dst)
    assert [p.message.split(" / ")[0] for p in r.errors] == [
        "文件中的工作表 “1-6月”、“旧表”、“草稿” 都是隐藏工作表，未读取：请取消隐藏，或用 --sheet 指定要读取的工作表"
    ]
    assert read_ledger(dst, sheet="1-6月", year=2019).frame["name"].tolist() == ["安康汉江二桥", "平利县女娲茶城"]


def test_hidden_sheets_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(f("hidden_sheets.xlsx")), "--year", "2019"]) == 0
    out = capsys.readouterr().out
    assert "工作表“旧表”" + HIDDEN in out and "工作表：1-6月\n" in out


# ---------------------------------------------------------------- 2. merged amounts


def test_a_merged_total_investment_counts_once() -> None:
    r = read_ledger(f("merged_money.xlsx"), year=2019)
    assert r.ok, r.errors
    total = r.frame["total_investment"].tolist()
    assert total[0] == 120000.0 and math.isnan(total[1]) and total[2] == 60000.0
    assert float(r.frame["total_investment"].sum()) == 180000.0  # was 300000: 120000 copied into the 二期 row
    # the unit merged over the same rows is a label: filled down, and said so
    assert r.frame["unit"].tolist() == ["汉滨区", "汉滨区", "平利县"]
    action(r, "[所属县区]", "合并单元格的值已逐行填入：第4行（共1行）")
    p = action(r, "第3-4行“总投资（万元）”为合并单元格，金额只计入第3行，未重复计算")
    assert (p.row, p.column) == (3, "总投资（万元）")
    # the amounts not merged are read row by row
    assert r.frame["annual_plan"].tolist() == [30000.0, 20000.0, 15000.0]


# ---------------------------------------------------------------- 3. formulas without a saved result


def test_formula_cells_without_a_saved_result_are_errors_naming_sheet_rows_and_column() -> None:
    r = read_ledger(f("formula_no_value.xlsx"), year=2019)
    assert not r.ok
    where = "formula_no_value.xlsx（工作表“1-6月”）"
    p = one(r, ERROR, None, "总投资（万元）", "第3-4行（E3、E4）" + NO_RESULT)
    assert p.file == where
    assert one(r, ERROR, None, "1-6月完成投资（万元）", "第3、5行（G3、G5）" + NO_RESULT).file == where


def test_all_problems_of_a_sheet_are_reported_at_once() -> None:
    r = read_ledger(f("formula_no_value.xlsx"), year=2019)
    # besides the formulas: a text amount in another column, and the hidden sheet skipped
    one(r, ERROR, 4, "年度计划投资（万元）", "不是数字：“约15000”")
    action(r, "工作表“旧表”" + HIDDEN)
    assert len(r.errors) == 3 and r.kept_rows == 3


def test_formulas_with_saved_results_are_read() -> None:
    r = read_ledger(f("formula_saved.xlsx"), year=2019)
    assert r.ok, r.errors
    assert r.frame["total_investment"].tolist() == [120000.0]
    assert read_raw(f("formula_saved.xlsx")).uncached == {}


def test_a_placeholder_zero_of_a_program_written_workbook_is_not_a_result(tmp_path: Path) -> None:
    # XlsxWriter saves 0 for every formula and asks Excel to calculate on opening: the 0 is not "no investment"
    r = read_ledger(f("formula_zero.xlsx"), year=2019)
    one(r, ERROR, 3, "总投资（万元）", "第3行（E3）" + NO_RESULT)
    one(r, ERROR, 3, "1-6月完成投资（万元）", "第3行（G3）" + NO_RESULT)
    # the same cells in a workbook Excel calculated and saved: a real 0
    dst = tmp_path / "算过.xlsx"
    with zipfile.ZipFile(f("formula_zero.xlsx")) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data.replace(b' fullCalcOnLoad="1"', b"") if item.filename == "xl/workbook.xml" else data)
    r = read_ledger(dst, year=2019)
    assert r.ok, r.errors
    assert r.frame["total_investment"].tolist() == [0.0]


def test_formula_scan_across_chunk_boundaries_and_with_a_namespace_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = [(2, 4), (2, 6), (3, 4), (4, 6)]
    for size in (1, 7, 50, 1000):
        monkeypatch.setattr(read_module, "_CHUNK", size)
        assert read_module._scan_sheet(f("formula_no_value.xlsx"), "1-6月").uncached == want
    monkeypatch.undo()
    src = f("formula_no_value.xlsx")
    dst = tmp_path / "x.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # as the .NET Open XML SDK writes: <x:c r="E3"><x:f>…</x:f><x:v /></x:c>
                data = data.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)
                data = re.sub(rb"<(/?)(?!x:)([A-Za-z]+)", rb"<\1x:\2", data)
            zout.writestr(item, data)
    assert read_module._scan_sheet(dst, "1-6月").uncached == want


def test_the_openpyxl_fallback_says_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, sheet in (("formula_no_value.xlsx", None), ("formula_zero.xlsx", None), ("hidden_sheets.xlsx", None), ("hidden_sheets.xlsx", "草稿")):
        fast = read_raw(f(name), sheet)
        slow = read_module._read_xlsx_openpyxl(f(name), name, sheet)
        assert fast.problems == slow.problems and fast.uncached == slow.uncached and fast.cells.equals(slow.cells), name


# ---------------------------------------------------------------- 4. what the file really is


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("password.xlsx", "encrypted", "文件 password.xlsx 已设置打开密码（加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入"),
        ("truncated.xlsx", "xlsx", "文件 truncated.xlsx 不完整或已损坏（不是有效的 Excel 文件，无法作为 Excel（xlsx）文件打开）：请重新导出或重新发送"),
        ("html_export.xls", "html", "文件 html_export.xls 实际是网页（HTML）格式，不是 Excel 文件"),
    ],
)
def test_files_that_cannot_be_read_say_what_they_are(name: str, fmt: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert file_format(f(name)) == fmt
    r = read_ledger(f(name))
    assert len(r.errors) == 1 and r.errors[0].message.startswith(message)
    assert main(["validate-data", str(f(name))]) == 2
    out = capsys.readouterr()
    assert message in out.out and "Traceback" not in out.out + out.err and "EOCD" not in out.out


@pytest.mark.parametrize(
    ("name", "fmt", "note"),
    [
        ("old_format.xls", "xls", None),
        ("really_xls.xlsx", "xls", "文件 really_xls.xlsx 实际是旧版 .xls 格式（扩展名为 .xlsx），已按 .xls 读取；建议在 Excel/WPS 中另存为 .xlsx"),
        ("really_xlsx.xls", "xlsx", "文件 really_xlsx.xls 实际是 .xlsx 格式（扩展名为 .xls），已按 .xlsx 读取；请把扩展名改为 .xlsx"),
        ("really_xlsx.csv", "xlsx", "文件 really_xlsx.csv 实际是 .xlsx 格式（扩展名为 .csv），已按 .xlsx 读取；请把扩展名改为 .xlsx"),
        ("text_export.xls", "text", "文件 text_export.xls 实际是文本（CSV）格式，不是 Excel 文件，已按 CSV 读取；请把扩展名改为 .csv"),
    ],
)
def test_files_are_read_by_what_they_are(name: str, fmt: str, note: str | None) -> None:
    assert file_format(f(name)) == fmt
    r = read_ledger(f(name), year=2019)
    assert r.ok, r.errors
    assert r.frame["name"].tolist() == ["安康汉江二桥", "平利县女娲茶城"]
    assert r.frame["total_investment"].tolist() == [120000.0, 60000.0]
    assert r.progress is not None and r.progress.frame["completed_cum"].tolist() == [14000.0, 7000.0]
    notes = [p.message.split(" / ")[0] for p in r.actions if p.message.startswith(f"文件 {name}")]
    assert notes == ([] if note is None else [note])


def test_error_cells_of_an_old_xls_are_errors_each() -> None:
    r = read_ledger(f("old_format_errors.xls"), year=2019)
    one(r, ERROR, 3, "总投资（万元）", "#REF!", "Excel 错误值")
    one(r, ERROR, 4, "年度计划投资（万元）", "#DIV/0!", "Excel 错误值")
    assert len(r.errors) == 2


def test_an_old_xls_whose_error_cells_cannot_be_checked_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from hzlib.ingest.xls import xls_error_cells

    data = f("old_format_errors.xls").read_bytes()
    assert xls_error_cells(data[:1536], "1-6月") is None and xls_error_cells(data, "没有这个表") is None
    monkeypatch.setattr(read_module, "xls_error_cells", lambda data, sheet: None)
    r = read_ledger(f("old_format.xls"), year=2019)
    action(r, "无法逐个检查这个旧版 .xls 文件中的错误值单元格（#REF! 等会读成空白）：建议在 Excel/WPS 中另存为 .xlsx 后再导入")


def test_an_encrypted_workbook_named_xls_and_damaged_old_files(tmp_path: Path) -> None:
    shutil.copy(f("password.xlsx"), tmp_path / "加密.xls")
    assert read_ledger(tmp_path / "加密.xls").errors[0].message.startswith("文件 加密.xls 已设置打开密码（加密）")
    (tmp_path / "坏.xls").write_bytes(f("old_format.xls").read_bytes()[:600])
    msg = read_ledger(tmp_path / "坏.xls").errors[0].message
    assert msg.startswith("文件 坏.xls 是旧版 Office 文件，但无法作为 Excel（.xls）表格读取") and "另存为 .xlsx" in msg
    (tmp_path / "乱码.xlsx").write_bytes(bytes(range(256)) * 4)
    assert read_ledger(tmp_path / "乱码.xlsx").errors[0].message.startswith("文件 乱码.xlsx 不完整或已损坏")


# ---------------------------------------------------------------- 5. separators


@pytest.mark.parametrize(("name", "said"), [("semicolon.csv", "按分号（;）分隔读取（不是逗号）"), ("tab.csv", "按制表符（Tab）分隔读取（不是逗号）")])
def test_semicolon_and_tab_separated_csv_are_read_and_said(name: str, said: str) -> None:
    r = read_ledger(f(name), year=2019)
    assert r.ok, r.errors
    assert r.frame["name"].tolist() == ["安康汉江二桥", "平利县女娲茶城"]
    assert r.frame["annual_plan"].tolist() == [30000.0, 15000.0]
    action(r, said)


def test_separator_sniffing_respects_quotes_and_prefers_the_comma(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text('项目名称,总投资（万元）,年度计划投资（万元）,备注\n桥,"1,200",300,"一期;二期"\n路,800,200,无\n', encoding="utf-8")
    r = validate_file(p, "ledger")
    assert r.frame["total_investment"].tolist() == [1200.0, 800.0]
    assert not any("分隔读取" in p.message for p in r.problems)
    p.write_text('项目名称;总投资（万元）;年度计划投资（万元）\n桥;"1,5";300\n', encoding="utf-8")
    r = validate_file(p, "ledger")
    # a decimal comma is not read as 15: it is an error naming the cell
    one(r, ERROR, 2, "总投资（万元）", "不是数字：“1,5”")
