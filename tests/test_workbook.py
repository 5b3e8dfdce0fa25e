"""An office's own workbook, as it is: shapes met, values checked, every derived value reported.

The corpus is in tests/workbook_corpus/ (written by make_workbooks.py there), one shape or
one problem per file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.data import load_data
from hzlib.errors import ERROR, WARNING, DataError, Problem
from hzlib.ingest import ReadResult, load_mapping, read_ledger, validate_file
from hzlib.ingest.aliases import cumulative_header, match_header
from hzlib.ingest.derive import make_ids

CORPUS = Path(__file__).parent / "workbook_corpus"
DATA = Path(__file__).resolve().parents[1] / "data"


def w(name: str) -> Path:
    return CORPUS / name


def find(r: ReadResult, severity: str, row: int | None, column: str | None, *words: str) -> Problem:
    """The one problem at (row, column) with all ``words``; fails with the full list otherwise."""
    hits = [p for p in r.problems if p.severity == severity and p.row == row and p.column == column and all(x in p.message for x in words)]
    assert len(hits) == 1, f"expected one {severity} at row {row} [{column}] with {words}, got:\n" + "\n".join(map(str, r.problems))
    assert hits[0].file.startswith(r.file)
    return hits[0]


def did(r: ReadResult, *words: str) -> Problem:
    """The one action (what the reader did) with all ``words``: it is also a warning the report shows."""
    hits = [p for p in r.actions if all(x in str(p) for x in words)]
    assert len(hits) == 1, f"expected one action with {words}, got:\n" + "\n".join(map(str, r.actions))
    assert hits[0] in r.problems and hits[0].severity == WARNING
    return hits[0]


def dates(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in s]


# ---------------------------------------------------------------- the usual office sheet


def test_the_office_sheet_as_it_is() -> None:
    r = read_ledger(w("office_h1.xlsx"), year=2019)
    assert r.ok, r.errors
    assert r.sheets == ["1-6月"] and r.header_row == 3 and r.title.startswith("2019年安康市市级重点建设项目进度表（1-6月）")
    did(r, "读取工作表 “1-6月”", "“说明”没有项目台账表头")
    # 合计 row, section rows, the blank row between groups and the footnote are excluded with their reasons
    assert [(e.row, e.reason.split("（")[0]) for e in r.excluded] == [(4, "合计行"), (5, "分组标题行"), (9, "空行"), (10, "分组标题行"), (14, "表尾说明")]
    assert r.source_rows == len(r.frame) + len(r.excluded) == 11
    f = r.frame
    assert f["name"].tolist()[:2] == ["安康汉江二桥", "汉阴县月河综合治理"]
    assert f["unit"].tolist() == ["汉滨区", "汉阴县", "石泉县", "安康高新区", "平利县", "旬阳县"]  # 所属县区, not 建设单位
    assert r.extra["owner"].tolist()[0] == "安康交投公司"  # 建设单位 is the owner
    assert f["level"].eq("city").all()
    did(r, "项目级别", "按标题中的“市级重点”", "6行")
    assert f["project_id"].str.match(r"^ID-[0-9a-f]{12}$").all() and f["project_id"].is_unique
    did(r, "项目编号", "按项目名称和责任单位生成稳定编号 6 个")
    assert f["is_new_start"].tolist() == [True, True, True, False, False, False]
    did(r, "是否新开工", "由项目类别推断 6 行", "新开工→是 3 行", "续建/在建→否 3 行")
    assert f["ownership"].isna().all()  # no 投资主体: the targets that need it say so, the others evaluate
    # dates as offices type them: 2019.3, 2019年4月, 3月 (of the plan year), 2018年5月8日, 2018/6/1, 2018.10; a serial; a real date
    assert dates(f["planned_start"]) == ["2019-03-01", "2019-04-01", "2019-03-01", "2018-05-08", "2018-06-01", "2018-10-01"]
    assert dates(f["actual_start"])[:4] == ["2019-03-18", "2019-04-20", None, "2018-05-15"]
    # the cumulative column is monthly progress at the month the header names
    assert r.progress is not None
    p = r.progress.frame
    assert set(p["month"]) == {"2019-06"} and p["completed_cum"].tolist() == [14000, 5000, 0, 19000, 7000, 3100]
    assert p["project_id"].tolist() == f["project_id"].tolist()
    did(r, "累计完成投资列读作月度进度", "“1-6月完成投资”→ 2019-06")


def test_validate_data_tells_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(w("office_h1.xlsx")), "--plan", "ankang-2019"]) == 0
    out = capsys.readouterr().out
    assert "工作表：1-6月" in out and "月度进度：6 行（2019-06）" in out
    assert "已做的处理（5）" in out and "是否新开工" in out
    assert "合计行 1 行（第4行）" in out and "分组标题行 2 行（第5、10行）" in out
    assert "结论：0 处错误" in out


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("1-6月完成投资", (None, 6)),
        ("1-6月累计完成投资", (None, 6)),
        ("截至6月底累计完成", (None, 6)),
        ("本年累计完成投资", (None, None)),
        ("2019年1-6月完成投资（万元）", (2019, 6)),
        ("上半年完成投资", (None, 6)),
        ("1至9月完成投资额", (None, 9)),
        ("前三季度累计完成投资", (None, 9)),
        ("6月完成投资", None),
        ("本月完成投资", None),
        ("开工以来累计完成投资", None),
        ("完成投资", None),
    ],
)
def test_cumulative_headers_name_their_month(header: str, expected: tuple[int | None, int | None] | None) -> None:
    assert cumulative_header(header) == expected
    assert (match_header(header, "ledger") == "completed_cum") == (expected is not None)


def test_a_month_nothing_names_is_an_error_until_given(tmp_path: Path) -> None:
    r = read_ledger(w("no_month.csv"), year=2019)
    find(r, ERROR, 1, "本年累计完成投资", "不知道本列是截至几月", "--month 2019-06")
    assert r.progress is None
    r = read_ledger(w("no_month.csv"), year=2019, month="2019-06")
    assert r.ok and set(r.progress.frame["month"]) == {"2019-06"}
    assert read_ledger(w("no_month.csv"), year=2019, month=6).progress.frame["month"].tolist() == ["2019-06"] * 2
    # a month given that the title contradicts: the sheet cannot be read one way
    r = read_ledger(w("office_h1.xlsx"), year=2019, month="2019-09")
    find(r, ERROR, 3, "1-6月完成投资", "截至 2019-06", "2019-09")
    # the title's period when the header says only 本年累计
    p = tmp_path / "t.csv"
    p.write_text("2019年重点项目进展（截至9月底）\n项目名称,所属县区,总投资,年度计划投资,本年累计完成投资\n桥,汉滨区,100,50,40\n", encoding="utf-8")
    assert read_ledger(p).progress.frame["month"].tolist() == ["2019-09"]


def test_leaving_out_a_column_the_targets_need_only_costs_those_targets(tmp_path: Path) -> None:
    """No 投资主体: the targets that need it are 无数据 with the reason, every other target evaluates as before."""
    from hzlib.plan import load_plan
    from hzlib.report import build_report

    plan = load_plan("hanzhong-2023")
    folder = tmp_path / plan.id
    shutil.copytree(DATA / plan.id, folder)
    full = load_data(plan.id, tmp_path, year=plan.year)
    ledger = pd.read_csv(folder / "ledger.csv", dtype=str, keep_default_na=False)
    ledger.drop(columns=["投资主体"]).to_csv(folder / "ledger.csv", index=False, encoding="utf-8")
    cut = load_data(plan.id, tmp_path, year=plan.year)
    assert cut.data.ledger["ownership"].isna().all()
    a = build_report(plan, full.data, "2023Q3").targets.set_index("target_id")
    b = build_report(plan, cut.data, "2023Q3").targets.set_index("target_id")
    needs = {t.id for t in plan.targets if t.indicator == "private_inv_share" and a.loc[t.id, "basis"] == "ledger"}
    assert needs and a.loc[sorted(needs), "status"].ne("no_data").all()
    for tid in a.index:
        if tid in needs:
            assert b.loc[tid, "status"] == "no_data" and "台账没有“投资主体”列" in str(b.loc[tid].to_dict()), b.loc[tid].to_dict()
        else:
            assert a.loc[tid, "status"] == b.loc[tid, "status"], tid
            assert a.loc[tid, "actual"] == b.loc[tid, "actual"] or (pd.isna(a.loc[tid, "actual"]) and pd.isna(b.loc[tid, "actual"])), tid


# ---------------------------------------------------------------- workbook shapes


def test_one_sheet_per_county_is_one_table_with_the_sheet_as_unit() -> None:
    r = read_ledger(w("per_county.xlsx"), year=2019)
    assert r.ok and r.sheets == ["汉滨区", "汉阴县", "平利县"]
    assert r.frame["unit"].tolist() == ["汉滨区", "汉阴县", "平利县"]
    did(r, "读取工作表", "“全市汇总”像是汇总表", "未读取")
    for county in ("汉滨区", "汉阴县", "平利县"):
        did(r, f"工作表“{county}”", "按工作表名", "责任单位")
    assert r.row_labels is not None and r.row_labels.tolist()[1] == "per_county.xlsx（工作表“汉阴县”）"
    assert r.progress is not None and len(r.progress.frame) == 3


def test_per_county_problems_name_their_sheet(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(w("per_county.xlsx"))
    wb["汉阴县"]["G4"] = "约5000"
    wb["平利县"]["B4"] = wb["汉滨区"]["B4"].value  # the same name, but another county: not a duplicate
    wb.save(tmp_path / "c.xlsx")
    r = read_ledger(tmp_path / "c.xlsx", year=2019)
    bad = [p for p in r.errors if "约5000" in p.message]
    assert len(bad) == 1 and bad[0].file == "c.xlsx（工作表“汉阴县”）" and bad[0].row == 4 and bad[0].column == "1-6月完成投资"
    assert r.frame["project_id"].is_unique and len(r.errors) == 1


def test_the_sheet_can_be_named_and_a_missing_one_lists_the_sheets() -> None:
    r = read_ledger(w("monthly_snapshots.xlsx"), year=2019)
    assert r.sheets == ["1-6月"] and set(r.progress.frame["month"]) == {"2019-06"}
    did(r, "“1-5月”与“1-6月”表头相同、月份较早")
    r = read_ledger(w("monthly_snapshots.xlsx"), year=2019, sheet="1-5月")
    assert r.sheets == ["1-5月"] and set(r.progress.frame["month"]) == {"2019-05"}
    did(r, "按指定读取工作表“1-5月”")
    r = read_ledger(w("office_h1.xlsx"), sheet="7月")
    find(r, ERROR, None, None, "工作表“7月”不存在", "说明、1-6月", "--sheet")


def test_no_sheet_with_a_header_names_the_sheets(capsys: pytest.CaptureFixture[str]) -> None:
    r = read_ledger(w("no_header.xlsx"))
    find(r, ERROR, None, None, "各工作表中都找不到表头行", "“说明”、“图表”", "--sheet")
    assert main(["validate-data", str(w("no_header.xlsx"))]) == 2
    assert "--sheet" in capsys.readouterr().out


def test_merged_unit_cells_are_filled_and_reported() -> None:
    r = read_ledger(w("merged_units.xlsx"), year=2019)
    assert r.ok
    assert r.frame["unit"].tolist() == ["汉滨区", "汉滨区", "汉阴县", "汉阴县", "汉阴县"]
    did(r, "[所属县区]", "合并单元格的值已逐行填入：第5、7-8行（共3行）")


def test_section_rows_set_unit_and_batch_for_the_rows_under_them() -> None:
    r = read_ledger(w("grouped_units.csv"), year=2019)
    assert r.ok, r.errors
    assert r.frame["unit"].tolist() == ["汉滨区", "汉滨区", "汉阴县", "平利县"]
    assert r.frame["batch"].tolist() == ["start", "advance", "start", None]  # 三、平利县 has no batch section
    did(r, "按分组标题行填写责任单位", "汉滨区 2 行（第5、7行）", "平利县 1 行（第12行）")
    did(r, "按分组标题行填写项目类别", "新开工 2 行（第5、10行）", "续建 1 行（第7行）")
    did(r, "由项目类别推断 3 行", "由计划开工时间推断 1 行")  # 平利县's 2018 start: not a new start


def test_sections_numbered_in_the_serial_column() -> None:
    r = read_ledger(w("sections_numeral.xlsx"), year=2019)
    assert r.ok
    assert r.frame["batch"].tolist() == ["start", "start", "advance"]
    assert [e.reason for e in r.excluded] == ["分组标题行（“一、新开工项目（2个）”）", "分组标题行（“二、续建项目”）"]


def test_a_unit_written_once_per_group_is_filled_down() -> None:
    r = read_ledger(w("unit_once.csv"), year=2019)
    assert r.frame["unit"].tolist() == ["汉滨区", "汉滨区", "汉阴县", "汉阴县"]
    did(r, "单位只写在每组第一行", "第3行（汉滨区）", "第5行（汉阴县）")


def test_a_section_row_that_disagrees_with_the_row_is_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("项目名称,所属县区,项目类别,总投资,年度计划投资\n一、新开工项目\n桥,汉滨区,续建,100,50\n路,汉滨区,,100,50\n", encoding="utf-8")
    r = read_ledger(p, year=2019)
    find(r, WARNING, 3, "项目类别", "“续建”与所在分组“新开工”不一致")
    assert r.frame["batch"].tolist() == ["advance", "start"]


# ---------------------------------------------------------------- only what a target needs is required


def test_ids_are_stable_across_quarters_and_sheets() -> None:
    a = read_ledger(w("office_h1.xlsx"), year=2019).frame.set_index("name")["project_id"]
    b = read_ledger(w("per_county.xlsx"), year=2019).frame.set_index("name")["project_id"]
    c = read_ledger(w("monthly_snapshots.xlsx"), year=2019, sheet="1-5月").frame.set_index("name")["project_id"]
    assert (a[b.index] == b).all() and (a == c[a.index]).all()
    assert make_ids(pd.Series(["桥"]), pd.Series(["甲县"])).iloc[0] != make_ids(pd.Series(["桥"]), pd.Series(["乙县"])).iloc[0]


def test_the_same_name_and_unit_twice_is_an_error_naming_both_rows() -> None:
    r = read_ledger(w("same_name_unit.csv"), year=2019)
    find(r, ERROR, 4, "项目名称", "“汉滨区/安康汉江二桥”相同的有 2 行：第2、4行")
    assert len(r.errors) == 1 and r.frame["project_id"].is_unique  # no second "duplicate id" error


def test_new_start_from_the_planned_start_year(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text(
        "项目名称,责任单位,总投资,年度计划投资,计划开工时间\n甲,汉滨区,100,50,2019-05-01\n乙,汉滨区,100,50,2017-05-01\n丙,汉滨区,100,50,\n", encoding="utf-8"
    )
    r = read_ledger(p, year=2019)
    assert r.frame["is_new_start"].tolist() == [True, False, pd.NA]
    did(r, "由计划开工时间推断 2 行（2019年开工→是 1 行）", "1 行无法推断")


def test_level_from_the_plan_when_neither_column_nor_title_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(w("unit_once.csv")), "--plan", "ankang-2019"]) == 0
    assert "按计划中重点项目目标的范围读作市级（4行）" in capsys.readouterr().out
    r = read_ledger(w("unit_once.csv"))
    assert "level" not in r.columns and r.frame["level"].isna().all()


# ---------------------------------------------------------------- value checks, one problem per file


def test_text_in_a_number_and_a_unit_in_a_cell() -> None:
    r = read_ledger(w("text_in_number.xlsx"), year=2019)
    find(r, ERROR, 7, "1-6月完成投资", "不是数字：“约5000”", "应填写数值")
    p = find(r, WARNING, 8, "1-6月完成投资", "“5000万”带有单位，读作 5000 万元", "只填数字")
    assert p.file == "text_in_number.xlsx（工作表“1-6月”）" and p in r.actions
    assert len(r.errors) == 1


def test_excel_error_in_the_cumulative_column() -> None:
    r = read_ledger(w("excel_error.xlsx"), year=2019)
    find(r, ERROR, 6, "1-6月完成投资", "Excel 错误值“#REF!”")
    assert len(r.errors) == 1 and len(r.progress.frame) == 5


def test_completed_above_total_investment() -> None:
    r = read_ledger(w("completed_over_total.xlsx"), year=2019)
    find(r, ERROR, 13, "1-6月完成投资", "56000 万元超过项目", "旬阳县城区供水", "总投资 50000 万元")
    assert len(r.errors) == 1


def test_yi_typed_in_a_wan_column() -> None:
    r = read_ledger(w("yi_in_wan.xlsx"), year=2019)
    assert r.ok
    find(r, WARNING, 6, "1-6月完成投资", "1.4", "总投资 120000", "亿元", "14000")
    find(r, WARNING, 12, "年度计划投资", "1.5", "总投资 60000", "15000")


def test_annual_plan_above_total_and_percent_mismatch() -> None:
    r = read_ledger(w("annual_over_total.xlsx"), year=2019)
    find(r, WARNING, 13, "年度计划投资", "60000 万元大于总投资 50000")
    r = read_ledger(w("percent_mismatch.xlsx"), year=2019)
    assert r.ok
    find(r, WARNING, 7, "占年度计划(%)", "写的是 14.7%", "5000 ÷ 年度计划投资 12000 算得 41.67%")
    assert not [p for p in read_ledger(w("office_h1.xlsx"), year=2019).problems if "占年度计划" in str(p)]  # rounding is fine


def test_cumulative_falling_from_one_month_to_the_next() -> None:
    r = read_ledger(w("falling_cumulative.xlsx"), year=2019)
    find(r, ERROR, 7, "1-6月完成投资", "从 2019-05 的 19500 万元降到 2019-06 的 19000 万元")
    assert sorted(set(r.progress.frame["month"])) == ["2019-05", "2019-06"] and len(r.progress.frame) == 12


def test_dates_impossible_ambiguous_and_unreadable() -> None:
    r = read_ledger(w("bad_dates.xlsx"), year=2019)
    find(r, ERROR, 6, "实际开工时间", "不存在的日期“2019-02-30”")
    p = find(r, WARNING, 7, "计划开工时间", "2019.1 有歧义", "2019年10月", "按 2019年1月 读入", "2019-10")
    assert "bad_dates.xlsx（工作表“1-6月”）" == p.file
    find(r, ERROR, 8, "计划开工时间", "无法识别的日期“明年”", "2019-03-05")
    assert len(r.errors) == 2


def test_a_month_of_the_plan_year_needs_the_year(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("项目名称,责任单位,总投资,年度计划投资,计划开工时间\n甲,汉滨区,100,50,3月\n", encoding="utf-8")
    find(read_ledger(p), ERROR, 2, "计划开工时间", "“3月”没有写年份", "--year")
    assert dates(read_ledger(p, year=2019).frame["planned_start"]) == ["2019-03-01"]


def test_a_numeric_month_in_a_progress_file_is_ambiguous(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["项目编号", "月份", "累计完成投资（万元）"])
    wb.active.append(["P1", 2025.1, 100])
    wb.active.append(["P1", 2025.12, 200])
    wb.save(tmp_path / "p.xlsx")
    r = validate_file(tmp_path / "p.xlsx", "progress")
    find(r, WARNING, 2, "月份", "2025.1 有歧义", "2025年10月")
    assert r.frame["month"].tolist() == ["2025-01", "2025-12"]


# ---------------------------------------------------------------- a mapping file for an office's own words


def test_own_words_need_a_mapping_and_read_with_it(capsys: pytest.CaptureFixture[str]) -> None:
    r = read_ledger(w("own_words.xlsx"), year=2019)
    find(r, ERROR, 2, "项目名称", "缺少必需的列", "mapping.yaml")
    assert {"工程名称", "区县名", "重点项目类型", "企业性质", "上半年累计"} <= set(r.unknown_headers)
    r = read_ledger(w("own_words.xlsx"), year=2019, mapping=w("own_words.mapping.yaml"))
    assert r.ok, r.errors
    assert r.frame["level"].tolist() == ["city", "city", "county"] and r.frame["ownership"].tolist() == ["state", "private", "private"]
    assert r.progress is not None and r.progress.frame["month"].tolist() == ["2019-06"] * 3  # 上半年 → June
    assert not [p for p in r.problems if "建设内容" in p.message]  # ignored as the mapping says
    # the suggestion is a starting mapping with the closest fields
    assert main(["validate-data", str(w("own_words.xlsx")), "--suggest-map"]) == 0
    out = capsys.readouterr().out
    assert "工程名称: name" in out and "区县名: unit" in out and "上半年累计: completed_cum" in out and "- 建设内容" in out


def test_a_mapping_in_the_data_folder_is_used_by_load_data(tmp_path: Path) -> None:
    folder = tmp_path / "ankang-2019"
    folder.mkdir()
    shutil.copy(w("own_words.xlsx"), folder / "ledger.xlsx")
    with pytest.raises(DataError):
        load_data("ankang-2019", tmp_path, year=2019)
    shutil.copy(w("own_words.mapping.yaml"), folder / "mapping.yaml")
    loaded = load_data("ankang-2019", tmp_path, year=2019)
    assert len(loaded.data.ledger) == 3 and loaded.data.progress["month"].tolist() == ["2019-06"] * 3


def test_a_bad_mapping_file_names_every_line() -> None:
    with pytest.raises(DataError) as e:
        load_mapping(w("bad_mapping.yaml"))
    got = sorted((p.row, p.column) for p in e.value.problems)
    assert got == [(3, "headers.区县名"), (6, "values.ownership.民企"), (7, "colour")]
    assert "私人老板" in str(e.value) and "最接近的字段：unit" in str(e.value)


def test_map_is_accepted_by_validate_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(w("own_words.xlsx")), "--map", str(w("own_words.mapping.yaml")), "--year", "2019"]) == 0
    assert main(["validate-data", str(w("own_words.xlsx")), "--map", str(w("bad_mapping.yaml"))]) == 2
    assert "bad_mapping.yaml 第7行 [colour]" in capsys.readouterr().err


# ---------------------------------------------------------------- load_data: nothing silent


def test_an_empty_data_folder_is_an_error_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ankang-2019").mkdir()
    with pytest.raises(DataError) as e:
        load_data("ankang-2019", tmp_path)
    assert "数据目录中没有数据文件" in str(e.value) and "hz import" in str(e.value)
    assert main(["evaluate", "ankang-2019", "--data", str(tmp_path)]) == 2
    assert "数据目录中没有数据文件" in capsys.readouterr().err


def test_a_ledger_sheet_and_a_progress_file_must_agree(tmp_path: Path) -> None:
    folder = tmp_path / "ankang-2019"
    folder.mkdir()
    shutil.copy(w("office_h1.xlsx"), folder / "ledger.xlsx")
    ids = read_ledger(w("office_h1.xlsx"), year=2019).frame.set_index("name")["project_id"]
    a, b = ids["安康汉江二桥"], ids["汉阴县月河综合治理"]
    (folder / "progress.csv").write_text(f"项目编号,月份,累计完成投资（万元）\n{a},2019-05,9000\n{a},2019-06,14000\n{b},2019-06,5200\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_data("ankang-2019", tmp_path, year=2019)
    errors = e.value.errors
    assert len(errors) == 1
    assert errors[0].file == "progress.csv" and errors[0].row == 4 and "5200" in errors[0].message and "第7行" in errors[0].message
    (folder / "progress.csv").write_text(f"项目编号,月份,累计完成投资（万元）\n{a},2019-05,9000\n{a},2019-06,14000\n", encoding="utf-8")
    loaded = load_data("ankang-2019", tmp_path, year=2019)
    p = loaded.data.progress
    assert len(p) == 7 and p[p["project_id"] == a]["month"].tolist() == ["2019-05", "2019-06"]


def test_load_data_takes_the_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "ankang-2019"
    folder.mkdir()
    shutil.copy(w("monthly_snapshots.xlsx"), folder / "ledger.xlsx")
    assert set(load_data("ankang-2019", tmp_path, year=2019).data.progress["month"]) == {"2019-06"}
    assert set(load_data("ankang-2019", tmp_path, year=2019, sheet="1-5月").data.progress["month"]) == {"2019-05"}
    assert set(load_data("ankang-2019", tmp_path, year=2019, sheet={"ledger": "1-5月"}).data.progress["month"]) == {"2019-05"}


def test_a_tasks_file_reports_every_problem_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "tasks.csv"
    p.write_text(
        "目标编号,期别,完成值,计量单位\nno_such_target,2022Q3,1,个\nleader_major_projects,2022Q3,很多,个\nleader_major_projects,2022Q3,2,公里\n",
        encoding="utf-8",
    )
    assert main(["validate-data", str(p), "--plan", "hanzhong-2022"]) == 2
    out = capsys.readouterr().out
    # a cell that cannot be read and the rows the plan rejects, in one run
    assert "第3行 [完成值]：不是数字：“很多”" in out
    assert "第2行 [目标编号]：计划 hanzhong-2022 中没有目标编号“no_such_target”" in out
    assert "第4行 [计量单位]" in out


def test_plain_numbers_stay_fast_paths(tmp_path: Path) -> None:
    """A sheet of thousands of rows with every derivation: no row lost, every value where it belongs."""
    n = 3000
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "序号": np.arange(1, n + 1),
            "项目名称": [f"项目{i}" for i in range(n)],
            "所属县区": rng.choice(["汉滨区", "汉阴县"], n),
            "项目类别": rng.choice(["新开工", "续建"], n),
            "总投资": rng.integers(5000, 9000, n),
            "年度计划投资": rng.integers(1000, 2000, n),
            "1-6月完成投资": rng.integers(100, 900, n),
            "计划开工时间": [dt.date(2019, 3, 1).isoformat()] * n,
        }
    )
    p = tmp_path / "big.csv"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write("2019年安康市市级重点建设项目进度表（1-6月）\n")
        df.to_csv(fh, index=False)
    r = read_ledger(p, year=2019)
    assert r.ok and len(r.frame) == n and r.frame["project_id"].is_unique
    assert r.frame["is_new_start"].tolist() == (df["项目类别"] == "新开工").tolist()
    assert r.progress.frame["completed_cum"].tolist() == df["1-6月完成投资"].astype(float).tolist()


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx")))
def test_no_row_is_dropped_silently(name: str) -> None:
    r = validate_file(w(name), year=2019)
    assert r.kind == "ledger"
    assert r.source_rows == len(r.frame) + len(r.excluded)
    for p in r.problems:
        assert p.file.startswith(name) and p.severity in (ERROR, WARNING) and p.message


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".xlsx"))
def test_corpus_cells_are_what_openpyxl_gives(name: str) -> None:
    from hzlib.ingest import read as read_module
    from hzlib.ingest.read import list_sheets, read_raw

    for sheet in list_sheets(w(name)):
        fast, slow = read_raw(w(name), sheet), read_module._read_xlsx_openpyxl(w(name), name, sheet)
        assert fast.cells.equals(slow.cells) and fast.row_numbers.tolist() == slow.row_numbers.tolist(), sheet
