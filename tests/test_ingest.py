"""Data files: clean ledgers read into contract tables; every bad file gets its promised message.

The corpus is in tests/data_corpus/ (written by make_corpus.py there), one problem per file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.contracts import INDICATOR_COLUMNS, LEDGER_COLUMNS, PROGRESS_COLUMNS
from hzlib.errors import ERROR, WARNING, InputError, Problem
from hzlib.ingest import (
    ReadResult,
    guess_kind,
    read_indicators,
    read_ledger,
    read_profiles,
    read_progress,
    validate_file,
)
from hzlib.ingest import read as read_module
from hzlib.ingest.parse import EXCEL_ERRORS
from hzlib.ingest.read import RawTable, read_raw

CORPUS = Path(__file__).parent / "data_corpus"


def c(name: str) -> Path:
    return CORPUS / name


def find(r: ReadResult, severity: str, row: int | None, column: str | None, *words: str) -> Problem:
    """The one problem at (row, column) with all ``words``; fails with the full list otherwise."""
    hits = [p for p in r.problems if p.severity == severity and p.row == row and p.column == column and all(w in p.message for w in words)]
    assert len(hits) == 1, f"expected one {severity} at row {row} [{column}] with {words}, got:\n" + "\n".join(map(str, r.problems))
    assert hits[0].file.startswith(r.file)  # the file, and its sheet when the workbook has several
    return hits[0]


def dates(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in s]


# ---------------------------------------------------------------- good paths


def test_clean_ledger_with_chinese_headers() -> None:
    r = read_ledger(c("good_ledger_zh.csv"), year=2024)
    assert r.ok and r.problems == [] and r.excluded == []
    assert r.encoding == "UTF-8" and r.header_row == 1 and r.source_rows == 4
    f = r.frame
    assert list(f.columns) == [col.id for col in LEDGER_COLUMNS]
    assert list(f.project_id) == ["HZ001", "HZ002", "HZ003", "HZ004"]
    assert list(f.level) == ["city", "province", "county", "city"]
    assert list(f.ownership) == ["government", "private", "private", "state"]
    assert list(f.batch) == ["start", "advance", "complete", "reserve"]
    assert f.is_new_start.dtype == "boolean" and list(f.is_new_start) == [True, False, False, False]
    assert f.total_investment.dtype == "float64" and list(f.total_investment) == [120000.0, 85000.0, 12000.0, 45000.0]
    assert str(f.actual_start.dtype) == "datetime64[ns]"
    assert dates(f.actual_completion) == [None, None, "2024-06-20", None]
    assert f.sector.isna().all() and f.profit_tax_rate.isna().all()  # optional, absent
    assert list(r.rows) == [2, 3, 4, 5]


def test_clean_ledger_with_english_headers_matches_the_chinese_one() -> None:
    en = read_ledger(c("good_ledger_en.csv"))
    zh = read_ledger(c("good_ledger_zh.csv"))
    assert en.ok
    # money headers without a unit are 万元, said once per column
    find(en, WARNING, 1, "total_investment", "未注明金额单位", "万元")
    find(en, WARNING, 1, "annual_plan", "未注明金额单位")
    cols = ["level", "ownership", "batch", "is_new_start", "total_investment", "annual_plan", "planned_start", "actual_completion"]
    pd.testing.assert_frame_equal(en.frame[cols], zh.frame[cols])


def test_clean_progress_indicators_profiles() -> None:
    p = read_progress(c("good_progress.csv"), ledger=c("good_ledger_zh.csv"), year=2024)
    assert p.ok and p.problems == []
    assert list(p.frame.columns) == [col.id for col in PROGRESS_COLUMNS]
    assert list(p.frame.month) == ["2024-05", "2024-06", "2024-06", "2024-06"]

    i = read_indicators(c("good_indicators.csv"))
    assert i.ok and list(i.frame.columns) == [col.id for col in INDICATOR_COLUMNS]
    assert list(i.frame.period) == ["2024Q2", "2024Q2", "2024Q2"]  # 2024Q2, 2024-06, 2024H1: one period, one canonical label
    assert i.frame.level.tolist() == [4900900.0, 2105000.0, 802000.0]  # 亿元 in the header -> 万元
    assert np.allclose(i.frame.cum_yoy, [0.092, -0.031, 0.105])

    q = read_profiles(c("good_profiles.csv"))
    assert q.ok and q.frame.year.dtype == "Int64" and q.frame.loc[0, "q2"] == 1800000.0


@pytest.mark.parametrize(
    "name, kind",
    [
        ("good_ledger_zh.csv", "ledger"),
        ("good_progress.csv", "progress"),
        ("good_indicators.csv", "indicators"),
        ("good_profiles.csv", "profiles"),
        ("title_and_totals.xlsx", "ledger"),
    ],
)
def test_kind_is_guessed_from_the_columns(name: str, kind: str) -> None:
    assert guess_kind(c(name)) == kind
    assert validate_file(c(name)).kind == kind


# ---------------------------------------------------------------- encodings


def test_gbk_csv_reads_fine_and_reports_its_encoding() -> None:
    r = read_ledger(c("gbk_ledger.csv"))
    assert r.ok and r.encoding == "GB18030"
    pd.testing.assert_frame_equal(r.frame, read_ledger(c("good_ledger_zh.csv")).frame)
    assert read_ledger(c("bom_ledger.csv")).encoding == "UTF-8 (BOM)"


def test_undecodable_bytes_are_an_error() -> None:
    r = read_ledger(c("broken_bytes.csv"))
    p = find(r, ERROR, None, None, "无法识别文件编码", "UTF-8", "GBK", "第2行")
    assert str(p).startswith("broken_bytes.csv：")
    assert len(r.frame) == 0 and r.source_rows == 0


# ---------------------------------------------------------------- one problem per file


def test_duplicate_ids_name_every_row() -> None:
    r = read_ledger(c("duplicate_ids.csv"))
    find(r, ERROR, 4, "项目编号", "HZ001", "重复", "第2、4行")
    assert len(r.errors) == 1


def test_missing_column_names_it_and_the_accepted_headers() -> None:
    r = read_ledger(c("missing_column.csv"))
    find(r, ERROR, 1, "总投资（万元）", "缺少必需的列", "计划总投资", "total_investment")


def test_yi_typed_in_a_wan_column_is_warned() -> None:
    r = read_ledger(c("yi_in_wan.csv"))
    assert r.ok
    find(r, WARNING, 3, "总投资（万元）", "8.5", "亿元", "85000")
    find(r, WARNING, 3, "年度计划投资（万元）", "大于总投资")


def test_completed_above_total_investment_is_an_error() -> None:
    r = read_progress(c("completed_over_total.csv"), ledger=read_ledger(c("good_ledger_zh.csv")))
    find(r, ERROR, 3, "累计完成投资（万元）", "15000", "超过", "HZ003", "12000")
    assert len(r.errors) == 1


def test_start_after_completion_is_an_error() -> None:
    r = read_ledger(c("start_after_completion.csv"))
    find(r, ERROR, 4, "实际开工时间", "2024-07-01", "晚于", "2024-06-20")


def test_planned_start_after_planned_completion(tmp_path: Path) -> None:
    p = tmp_path / "计划.csv"
    p.write_text(
        "项目编号,项目名称,责任单位,项目级别,投资主体,项目类别,是否新开工,总投资（万元）,年度计划投资（万元）,计划开工时间,计划竣工时间\n"
        "A1,桥,汉台区,市级,国有,新开工,是,100,50,2025-01-01,2024-12-31\n",
        encoding="utf-8",
    )
    find(read_ledger(p), ERROR, 2, "计划开工时间", "晚于", "计划竣工时间")


def test_unknown_unit_in_header_is_an_error() -> None:
    r = read_ledger(c("unknown_unit.csv"))
    find(r, ERROR, 1, "总投资（千元）", "千元", "无法识别的金额单位", "万元、亿元")
    assert r.frame.total_investment.isna().all()


def test_unit_column_converts_rows_and_rejects_foreign_money() -> None:
    r = read_ledger(c("unknown_unit_column.csv"))
    find(r, ERROR, 4, "单位", "万美金", "外币")
    find(r, WARNING, 1, "单位", "按万元处理")
    assert r.frame.total_investment.tolist()[:2] == [120000.0, 85000.0 * 1e4]
    assert len(r.errors) == 1


def test_text_in_a_number_column_is_an_error() -> None:
    r = read_ledger(c("text_in_number.csv"))
    find(r, ERROR, 3, "总投资（万元）", "约3000", "不是数字")
    find(r, ERROR, 5, "年度计划投资（万元）", "待定")


def test_empty_file_and_header_only() -> None:
    find(read_ledger(c("empty.csv")), ERROR, None, None, "文件为空")
    r = read_ledger(c("header_only.csv"))
    find(r, ERROR, 1, None, "只有表头")


def test_excel_error_cells_are_errors_each() -> None:
    r = read_ledger(c("formula_errors.xlsx"))
    find(r, ERROR, 3, "总投资（万元）", "#REF!", "Excel")
    find(r, ERROR, 5, "年度计划投资（万元）", "#DIV/0!")
    assert len(r.errors) == 2


def test_merged_title_row_blank_row_and_totals_row() -> None:
    r = read_ledger(c("title_and_totals.xlsx"))
    assert r.ok and r.sheet == "台账" and r.header_row == 3 and r.encoding is None
    find(r, WARNING, 1, None, "标题行", "2024年汉中市重点项目台账")
    find(r, WARNING, 9, None, "合计行")
    assert [(e.row, e.reason.split("（")[0]) for e in r.excluded] == [(6, "空行"), (9, "合计行")]
    assert r.source_rows == 6 and len(r.frame) == 4
    assert list(r.rows) == [4, 5, 7, 8]


def test_sheet_by_name() -> None:
    r = read_ledger(c("title_and_totals.xlsx"), sheet="不存在")
    find(r, ERROR, None, None, "工作表", "不存在", "台账、说明")
    r = read_ledger(c("title_and_totals.xlsx"), sheet="说明")
    find(r, ERROR, None, None, "找不到表头行")


def test_percent_forms_mixed_in_one_column() -> None:
    r = read_ledger(c("percent_mixed.csv"))
    assert r.ok
    assert np.allclose(r.frame.profit_tax_rate, [0.8, 0.008, 0.8, 0.125])
    find(r, WARNING, 3, "利税率（%）", "“0.8”在 0 到 1 之间", "按 0.8% 处理")
    assert len(r.warnings) == 1


def test_small_plain_numbers_under_a_percent_header_are_percent_numbers() -> None:
    # 利税率（%）: 0.8, 0.125, 80%, blank. The header says %, so 0.8 is 0.8% and 0.125 is 0.125%,
    # each with a warning (they may have been typed as fractions); 80% is 0.8.
    r = read_ledger(c("percent_fractions.csv"))
    f = r.frame.profit_tax_rate
    assert np.allclose(f[:3], [0.008, 0.00125, 0.8]) and pd.isna(f[3])
    find(r, WARNING, 2, "利税率（%）", "“0.8”在 0 到 1 之间", "按 0.8% 处理")
    find(r, WARNING, 3, "利税率（%）", "“0.125”在 0 到 1 之间", "按 0.125% 处理")
    assert not [p for p in r.problems if "按小数处理" in p.message]
    assert r.units["profit_tax_rate"] == "%"


def test_each_date_form_in_csv() -> None:
    r = read_ledger(c("date_forms.csv"))
    assert r.ok, r.problems
    # 2024-03-05, 2024/3/5, 2024年3月5日, 2024.3.5, 20240305, 45356 (Excel serial), then month-only 2024.3 and 2024年3月
    assert dates(r.frame.planned_start) == ["2024-03-05"] * 6 + ["2024-03-01"] * 2


def test_each_date_form_in_xlsx() -> None:
    r = read_ledger(c("date_forms.xlsx"))
    assert r.ok, r.problems
    assert dates(r.frame.planned_start) == ["2024-03-05"] * 3 + ["2024-03-01"]
    assert dates(r.frame.planned_completion) == ["2026-12-31"] * 4


def test_unreadable_date_is_an_error() -> None:
    r = read_ledger(c("bad_date.csv"))
    find(r, ERROR, 2, "计划开工时间", "三月初", "无法识别的日期")


def test_progress_checks_against_the_ledger() -> None:
    r = read_progress(c("progress_problems.csv"), ledger=c("good_ledger_zh.csv"), year=2024)
    find(r, ERROR, 3, "累计完成投资（万元）", "8000", "7000", "不应减少")  # issue 9: an error, not a warning
    find(r, ERROR, 4, "项目编号", "HZ999", "不在项目台账")
    find(r, WARNING, 5, "月份", "2023-12", "2024")


# ---------------------------------------------------------------- in-memory files


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_two_header_rows_unit_line_repeated_header_group_title_and_footnote(tmp_path: Path) -> None:
    text = (
        "2024年重点项目台账,,,,,,,,,,,\n"
        "单位：亿元,,,,,,,,,,,\n"
        "项目编号,项目名称,责任单位,项目级别,投资主体,项目类别,是否新开工,总投资,年度计划投资,手续办结时间,,\n"
        ",,,,,,,,,规划,土地,环评\n"
        "一、汉台区,,,,,,,,,,,\n"
        "A1,桥,汉台区,市级,国有,新开工,√,1.2,0.3,2024/1/5,2024年2月,\n"
        "项目编号,项目名称,责任单位,项目级别,投资主体,项目类别,是否新开工,总投资,年度计划投资,,,\n"
        'A2,路,汉台区,区级,外资,谋划,×,"1,000",0,,,\n'
        '小计,,,,,,,"1,001.2",0.3,,,\n'
        "注：数据截至6月底,,,,,,,,,,,\n"
    )
    r = read_ledger(write(tmp_path, "l.csv", text))
    assert r.ok, r.problems
    assert r.header_row == 4
    assert r.columns["proc_planning"] == "手续办结时间/规划"
    assert r.frame.total_investment.tolist() == [12000.0, 10000000.0]  # 单位：亿元 above the header
    assert dates(r.frame.proc_land) == ["2024-02-01", None]
    assert [e.row for e in r.excluded] == [5, 7, 9, 10]
    reasons = [e.reason for e in r.excluded]
    assert reasons[0].startswith("分组标题行") and reasons[1] == "重复的表头行"
    assert reasons[2].startswith("合计行") and reasons[3].startswith("表尾说明")
    assert r.source_rows == len(r.frame) + len(r.excluded)


def test_category_and_bool_errors_name_the_value(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "l.csv",
        "项目编号,项目名称,责任单位,项目级别,投资主体,项目类别,是否新开工,总投资（万元）,年度计划投资（万元）\n"
        "A1,桥,汉台区,乡级,国有,新开工,也许,100,50\n"
        ",路,汉台区,市级,国有,新开工,是,100,50\n",
    )
    r = read_ledger(p)
    find(r, ERROR, 2, "项目级别", "乡级", "市级")
    find(r, ERROR, 2, "是否新开工", "也许", "是/否")
    find(r, ERROR, 3, "项目编号", "必填项为空")


def test_raise_for_errors_carries_every_error() -> None:
    r = read_ledger(c("text_in_number.csv"))
    with pytest.raises(InputError) as e:
        r.raise_for_errors()
    assert len(e.value.errors) == 2 and "约3000" in str(e.value)
    assert read_ledger(c("good_ledger_zh.csv")).raise_for_errors().ok


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx")))
def test_no_row_is_dropped_silently(name: str) -> None:
    r = validate_file(c(name))
    assert r.source_rows == len(r.frame) + len(r.excluded)
    for p in r.problems:
        assert p.file.startswith(name) and p.severity in (ERROR, WARNING) and p.message


def test_a_large_gbk_ledger_reads_every_row_and_parses_mixed_cells(tmp_path: Path) -> None:
    """The vectorised parsers on many distinct values: no row lost, every cell form read.

    (How fast this is lives in ``benchmarks/read_csv_100k.py``; tests never time.)
    """
    n = 5_000
    rng = np.random.default_rng(0)
    months, days = rng.integers(1, 12, n), rng.integers(1, 28, n)
    tax = rng.choice(["12%", "8.5", "10"], n)
    df = pd.DataFrame(
        {
            "项目编号": [f"P{i:06d}" for i in range(n)],
            "项目名称": [f"项目{i}" for i in range(n)],
            "责任单位": rng.choice(["汉台区", "南郑区", "城固县"], n),
            "项目级别": rng.choice(["市级", "省级", "县级"], n),
            "投资主体": rng.choice(["民间", "国有", "政府"], n),
            "项目类别": rng.choice(["新开工", "续建", "竣工"], n),
            "是否新开工": rng.choice(["是", "否"], n),
            "总投资（万元）": rng.integers(1000, 100000, n),
            "年度计划投资（万元）": rng.integers(100, 1000, n),
            "计划开工时间": [f"2024年{m}月{d}日" for m, d in zip(months, days)],
            "计划竣工时间": "2026-12-31",
            "利税率（%）": tax,
        }
    )
    p = tmp_path / "big.csv"
    df.to_csv(p, index=False, encoding="gbk")
    r = read_ledger(p)
    assert r.ok and len(r.frame) == n and r.source_rows == n and not r.excluded
    f = r.frame
    assert f["planned_start"].dt.month.tolist() == months.tolist()
    assert f["planned_start"].dt.day.tolist() == days.tolist()
    assert f["level"].map({"province": "省级", "city": "市级", "county": "县级"}).tolist() == df["项目级别"].tolist()
    assert f["total_investment"].tolist() == df["总投资（万元）"].astype(float).tolist()
    # "12%", "8.5" and "10" in one percent column all mean percent numbers
    expected_tax = {"12%": 0.12, "8.5": 0.085, "10": 0.10}
    assert np.allclose(f["profit_tax_rate"].to_numpy(dtype=float), [expected_tax[t] for t in tax])


# ---------------------------------------------------------------- xlsx read with python-calamine


def _no_fallback(*args: object, **kwargs: object) -> RawTable:
    raise AssertionError("the openpyxl fallback was used")


def _kinds(raw: RawTable) -> list[list[tuple[str, object]]]:
    """Cells with their types (``==`` alone would take 1 == 1.0 == True)."""
    return [[(type(v).__name__, v) for v in row] for row in raw.cells.itertuples(index=False)]


def _same_as_openpyxl(monkeypatch: pytest.MonkeyPatch, path: Path, sheet: str | None = None) -> RawTable:
    """Read ``path`` with calamine (the openpyxl fallback disabled) and check the grid is what openpyxl gave."""
    old = read_module._read_xlsx_openpyxl(path, path.name, sheet)
    monkeypatch.setattr(read_module, "_read_xlsx_openpyxl", _no_fallback)
    new = read_raw(path, sheet)
    assert _kinds(new) == _kinds(old)
    assert new.row_numbers.tolist() == old.row_numbers.tolist()
    assert (new.sheet, new.encoding, new.problems) == (old.sheet, old.encoding, old.problems)
    return new


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".xlsx"))
def test_corpus_xlsx_cells_are_what_openpyxl_gave(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_as_openpyxl(monkeypatch, c(name))


def _workbook(path: Path) -> Path:
    """A sheet from row 2, column B: numbers, dates, blanks, spaces, every error value; then a second sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([])
    ws.append([None, "编号", "金额", "日期", "时刻", "是否", "备注"])
    ws.append([None, "A1", 3.0, dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 5, 14, 30), True, "  有空格  "])
    ws.append([None, "A2", 2.5, dt.date(2024, 12, 31), None, False, "   "])
    ws.append([None, 1001, None, 45356, "2024年3月5日", None, None])
    ws["D3"].number_format = 'yyyy"年"m"月"d"日"'
    for i, err in enumerate(EXCEL_ERRORS[:7]):
        ws.cell(6 + i, 2, f"E{i}")
        ws.cell(6 + i, 3 + i % 5, err)  # openpyxl writes these as error cells (t="e")
    ws.cell(14, 9, "#N/A")  # an error cell beyond every other cell
    wb.create_sheet("说明").append(["仅说明"])
    wb.save(path)
    return path


def test_xlsx_cells_numbers_dates_blanks_and_error_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _same_as_openpyxl(monkeypatch, _workbook(tmp_path / "t.xlsx"))
    g = raw.cells
    assert raw.sheet == "台账" and g.shape == (14, 9) and raw.row_numbers.tolist() == list(range(1, 15))
    assert g.iloc[0].isna().all() and g.iloc[:, 0].isna().all()  # leading blank row and column kept: row numbers as in Excel
    assert g.iat[2, 2] == 3 and type(g.iat[2, 2]) is int and type(g.iat[3, 2]) is float
    assert type(g.iat[4, 1]) is int
    assert g.iat[2, 3] == dt.datetime(2024, 3, 5) and type(g.iat[3, 3]) is dt.datetime
    assert g.iat[2, 4] == dt.datetime(2024, 3, 5, 14, 30)
    assert g.iat[2, 5] is True and g.iat[3, 5] is False
    assert g.iat[2, 6] == "有空格" and g.iat[3, 6] is None and g.iat[4, 2] is None
    errors = {(i, j): v for i, row in enumerate(g.itertuples(index=False)) for j, v in enumerate(row) if v in EXCEL_ERRORS}
    assert errors == {**{(5 + i, 2 + i % 5): e for i, e in enumerate(EXCEL_ERRORS[:7])}, (13, 8): "#N/A"}
    assert read_raw(tmp_path / "t.xlsx", sheet="说明").cells.values.tolist() == [["仅说明"]]


def test_every_excel_error_value_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.setattr(read_module, "_read_xlsx_openpyxl", _no_fallback)
    wb = openpyxl.load_workbook(c("formula_errors.xlsx"))
    ws = wb.active
    for r, err in zip((2, 4, 5), ("#N/A", "#VALUE!", "#NAME?")):
        ws.cell(r, 8, err)
    ws.cell(2, 9, "#NUM!")
    ws.cell(3, 9, "#NULL!")
    wb.save(tmp_path / "e.xlsx")
    r = read_ledger(tmp_path / "e.xlsx")
    for row, column, err in [
        (2, "总投资（万元）", "#N/A"),
        (3, "总投资（万元）", "#REF!"),
        (4, "总投资（万元）", "#VALUE!"),
        (5, "总投资（万元）", "#NAME?"),
        (2, "年度计划投资（万元）", "#NUM!"),
        (3, "年度计划投资（万元）", "#NULL!"),
        (5, "年度计划投资（万元）", "#DIV/0!"),
    ]:
        find(r, ERROR, row, column, err, "Excel")
    assert len(r.errors) == 7


def _rewrite_sheet(src: Path, dst: Path, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, data in parts.items():
            zout.writestr(n, data)
    return dst


def test_error_cells_found_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    want = {(2, 7): "#REF!", (4, 8): "#DIV/0!"}
    for size in (1, 5, 17, 64, 1000):
        monkeypatch.setattr(read_module, "_CHUNK", size)
        assert read_module._error_cells(c("formula_errors.xlsx"), "Sheet") == want


def test_error_cells_with_a_namespace_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def prefix(xml: bytes) -> bytes:  # as the .NET Open XML SDK writes: <x:c r="H3" t="e"><x:v>#REF!</x:v></x:c>
        xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)
        return re.sub(rb"<(/?)(?!x:)([A-Za-z]+)", rb"<\1x:\2", xml)

    p = _rewrite_sheet(c("formula_errors.xlsx"), tmp_path / "x.xlsx", prefix)
    assert b"<x:c " in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")
    raw = _same_as_openpyxl(monkeypatch, p)
    assert raw.cells.iat[2, 7] == "#REF!" and raw.cells.iat[4, 8] == "#DIV/0!"


def test_error_cells_without_references_fall_back_to_openpyxl(tmp_path: Path) -> None:
    p = _rewrite_sheet(c("formula_errors.xlsx"), tmp_path / "n.xlsx", lambda xml: re.sub(rb' r="[A-Z]+[0-9]+"', b"", xml))
    with pytest.raises(read_module._Unsure):
        read_module._error_cells(p, "Sheet")
    r = read_ledger(p)
    find(r, ERROR, 3, "总投资（万元）", "#REF!", "Excel")
    find(r, ERROR, 5, "年度计划投资（万元）", "#DIV/0!")


def test_xlsx_empty_sheet_missing_sheet_and_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "空表"
    wb.save(tmp_path / "empty.xlsx")
    assert _same_as_openpyxl(monkeypatch, tmp_path / "empty.xlsx").cells.shape == (0, 0)
    find(read_ledger(tmp_path / "empty.xlsx"), ERROR, None, None, "文件为空")
    raw = read_raw(c("title_and_totals.xlsx"), sheet="不存在")
    assert raw.sheet == "不存在" and raw.cells.empty
    assert [p.message for p in raw.problems] == ["工作表“不存在”不存在，文件中的工作表有：台账、说明；请用 --sheet 指定其中一个 / no sheet named '不存在'"]
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip file")
    r = read_ledger(tmp_path / "broken.xlsx")
    find(r, ERROR, None, None, "无法作为 Excel（xlsx）文件打开", "cannot open as xlsx")


# ---------------------------------------------------------------- CLI


def test_cli_validate_data_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(c("title_and_totals.xlsx"))]) == 0
    out = capsys.readouterr().out
    assert "读取数据行：6，保留：4，排除：2" in out and "合计行 1 行（第9行）" in out and "工作表：台账" in out
    assert main(["validate-data", str(c("gbk_ledger.csv"))]) == 0
    assert "编码：GB18030" in capsys.readouterr().out
    assert main(["validate-data", str(c("duplicate_ids.csv")), "--kind", "ledger"]) == 2
    out = capsys.readouterr().out
    assert "错误（1）" in out and "HZ001" in out


def test_cli_validate_data_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate-data", str(c("completed_over_total.csv")), "--ledger", str(c("good_ledger_zh.csv")), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2 and data["kind"] == "progress" and data["errors"] == 1
    assert data["problems"][0]["row"] == 3 and data["problems"][0]["column"] == "累计完成投资（万元）"
