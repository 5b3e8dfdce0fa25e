"""A ledger table's real mistakes: nothing lost, nothing miscounted, every doubt reported.

Corpus: tests/fault_corpus/table/ (written by make_table_corpus.py there). Each file was
read as "可以使用" before and changed a total or said something nobody could act on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.errors import ERROR, WARNING, Problem
from hzlib.ingest import ReadResult, load_mapping, read_ledger

CORPUS = Path(__file__).parent / "fault_corpus" / "table"


def c(name: str) -> Path:
    return CORPUS / name


def hits(r: ReadResult, severity: str, *words: str) -> list[Problem]:
    return [p for p in r.problems if p.severity == severity and all(w in p.message for w in words)]


def one(r: ReadResult, severity: str, *words: str) -> Problem:
    found = hits(r, severity, *words)
    assert len(found) == 1, f"expected one {severity} with {words}, got:\n" + "\n".join(map(str, r.problems))
    return found[0]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- 1. breakdown and subtotal rows


def test_breakdown_and_county_subtotal_rows_are_not_projects() -> None:
    r = read_ledger(c("breakdown_rows.xlsx"))
    assert r.ok, r.errors
    assert r.frame["name"].tolist() == ["汉江二桥", "天汉大道改造", "南郑产业园", "南郑污水厂"]
    # the 合计 row says 4600; the 其中 rows (1600 + 3000 + 3000) are not added on top
    assert r.frame["total_investment"].sum() == 4600
    assert r.progress is not None and r.progress.frame["completed_cum"].sum() == 640
    assert [(e.row, e.reason) for e in r.excluded] == [
        (3, "合计行（“合计”）"),
        (4, "分项小计行（“其中：新开工”）"),
        (5, "分项小计行（“其中:续建”）"),
        (6, "分项小计行（“其中 省级项目”）"),
        (9, "合计行（“汉台区小计”）"),
        (12, "合计行（“南郑区小计（2个）”）"),
    ]
    assert r.source_rows == len(r.frame) + len(r.excluded)
    p = one(r, WARNING, "已排除分项小计行（“其中：新开工”）")
    assert p.row == 4


def test_a_lone_breakdown_line_is_not_a_section_naming_the_unit(tmp_path: Path) -> None:
    """ "其中：新开工项目" alone on its row used to become the 责任单位 of the rows under it."""
    p = write_csv(
        tmp_path / "台账.csv",
        [
            "项目名称,责任单位,总投资（万元）,年度计划投资（万元）",
            "汉江二桥,汉台区,1000,300",
            "其中：新开工项目,,,",
            "天汉大道改造,,2000,600",
        ],
    )
    r = read_ledger(p)
    assert [(e.row, e.reason) for e in r.excluded] == [(3, "分项小计行（“其中：新开工项目”）")]
    assert r.frame["unit"].tolist() == ["汉台区", "汉台区"]


# ---------------------------------------------------------------- 2. the same project under two counties


def test_same_name_under_two_units_is_reported_naming_both_rows(tmp_path: Path) -> None:
    p = write_csv(
        tmp_path / "台账.csv",
        [
            "项目名称,责任单位,总投资（万元）,年度计划投资（万元）",
            "汉江二桥,汉台区,1000,300",
            "南郑产业园,南郑区,600,200",
            "汉江 二桥,南郑区,1200,300",
        ],
    )
    r = read_ledger(p)
    assert r.ok, r.errors  # different money: perhaps two projects, so a warning
    w = one(r, WARNING, "各出现一次")
    assert (w.row, w.column) == (4, "项目名称")
    assert w.message.startswith("项目“汉江二桥”在第2行（汉台区）和第4行（南郑区）各出现一次：若为同一项目请删去一行，若为不同项目请在名称中区分")


def test_same_name_and_same_money_under_two_county_sheets_is_an_error() -> None:
    r = read_ledger(c("same_name_two_units.xlsx"))
    e = one(r, ERROR, "汉江二桥")
    assert e.file == "same_name_two_units.xlsx（工作表“南郑区”）" and e.row == 5
    assert (
        "在same_name_two_units.xlsx（工作表“汉台区”） 第3行和same_name_two_units.xlsx（工作表“南郑区”） 第5行各出现一次，"
        "且总投资 1000 万元、年度计划投资 300 万元都相同，几乎可以肯定是同一项目录入了两次"
    ) in e.message
    w = one(r, WARNING, "褒河路")
    assert "第4行和" in w.message and "若为不同项目请在名称中区分" in w.message
    assert len(r.errors) == 1


# ---------------------------------------------------------------- 3. dates after the sheet's period


def test_dates_after_the_sheets_period_are_errors() -> None:
    r = read_ledger(c("dates_after_period.xlsx"))
    got = {(p.row, p.column): p.message.split(" / ")[0] for p in r.errors}
    assert got == {
        (3, "实际开工时间"): "实际开工时间 2024-10-08 晚于本表期别 2024年1-6月末：请核对（未发生的日期不要填写）",
        (4, "实际竣工时间"): "实际竣工时间 2024-07-01 晚于本表期别 2024年1-6月末：请核对（未发生的日期不要填写）",
        (5, "规划手续办结时间"): "规划手续办结时间 2024-08-15 晚于本表期别 2024年1-6月末：请核对（未发生的日期不要填写）",
    }
    assert r.frame["actual_start"].tolist()[2] == dt.datetime(2024, 6, 30)  # the last day of the period is fine


@pytest.mark.parametrize(
    ("title", "cumulative", "month"),
    [
        (None, "2024年1-9月完成投资（万元）", None),  # the cumulative column's header
        ("2024年重点项目进度（1-9月）", None, None),  # the title (no cumulative column)
        (None, "本年累计完成投资（万元）", "2024-09"),  # --month
    ],
)
def test_the_period_comes_from_the_header_the_title_or_month(tmp_path: Path, title: str | None, cumulative: str | None, month: str | None) -> None:
    head = ["项目名称", "责任单位", "总投资（万元）", "年度计划投资（万元）", *([cumulative] if cumulative else []), "实际开工时间"]
    done = ["100"] if cumulative else []
    lines = [
        *([title] if title else []),
        ",".join(head),
        ",".join(["汉江二桥", "汉台区", "1000", "300", *done, "2024-09-30"]),
        ",".join(["南郑产业园", "南郑区", "600", "200", *done, "2024-10-08"]),
    ]
    r = read_ledger(write_csv(tmp_path / "台账.csv", lines), month=month)
    assert [(p.row, p.column, p.message.split("：")[0]) for p in r.errors] == [
        (len(lines), "实际开工时间", "实际开工时间 2024-10-08 晚于本表期别 2024年1-9月末")
    ]


# ---------------------------------------------------------------- 4. a cumulative column without a year


def test_the_year_comes_from_another_header_and_is_said() -> None:
    r = read_ledger(c("no_year_other_header.xlsx"))
    assert r.ok, r.errors
    assert list(r.cumulative) == ["2019-06"]
    p = one(r, WARNING, "未写年份")
    assert p.message.startswith("“1-6月完成投资（万元）”未写年份，按“2019年计划投资（万元）”取 2019 年")
    assert p in r.actions


def test_a_header_year_other_than_the_plans_is_warned_about() -> None:
    r = read_ledger(c("no_year_other_header.xlsx"), year=2020)
    assert list(r.cumulative) == ["2019-06"]  # the sheet's own year, and the plan's is questioned
    w = one(r, WARNING, "而计划（或 --year）是 2020 年")
    assert (w.row, w.column) == (2, "2019年计划投资（万元）") and w.message.startswith("表头写的是 2019 年")


def test_the_year_comes_from_the_plan_and_is_said() -> None:
    r = read_ledger(c("no_year_and_problems.xlsx"), year=2019)
    assert list(r.cumulative) == ["2019-06"]
    assert one(r, WARNING, "未写年份").message.startswith("“1-6月完成投资（万元）”未写年份，按计划年度（--plan 或 --year）取 2019 年")


def test_a_column_stopped_by_its_unknown_year_still_reports_its_other_problems() -> None:
    r = read_ledger(c("no_year_and_problems.xlsx"))
    got = sorted((p.row, p.message.split(" / ")[0]) for p in r.errors)
    assert got == [
        (2, "知道累计到 6 月，但不知道年份：请在表头或标题中写明年份（如“2019年1-6月”），或用 --year 指定"),
        (3, "不是数字：“约14000”，应填写数值（如 1234.5），不要带文字"),
        (4, "累计完成投资 70000 万元超过本行总投资 60000 万元：请核对本行完成投资或总投资（单位是否一致）"),
    ]
    assert all(p.column == "1-6月完成投资（万元）" for p in r.errors)


# ---------------------------------------------------------------- 5. mapping files that do not fit the sheet


def test_the_right_mapping_reads_the_office_sheet() -> None:
    r = read_ledger(c("own_words.xlsx"), mapping=c("mapping_good.yaml"))
    assert r.ok, r.errors
    assert r.frame["unit"].tolist() == ["汉台区", "南郑区"] and list(r.cumulative) == ["2024-06"]


def test_a_mapped_header_the_sheet_lacks_names_the_line_and_the_sheets_headers() -> None:
    r = read_ledger(c("own_words.xlsx"), mapping=c("mapping_misspelt.yaml"))
    e = one(r, ERROR, "映射文件把表头“上半年累计完成”")
    assert e.file.endswith("mapping_misspelt.yaml") and e.row == 3 and e.column == "headers.上半年累计完成"
    assert "本表（own_words.xlsx）中没有这个表头，本表因此没有“本年累计完成投资”列（表中最接近的是“上半年累计”）" in e.message
    assert "本表的表头有：“序号”、“项目名称”、“区县名”、“建设单位”、“总投资（万元）”、“年度计划投资（万元）”、“上半年累计”" in e.message


def test_a_normalised_table_is_not_checked_against_the_offices_words(tmp_path: Path) -> None:
    """After hz import the data folder holds a contract table; the office's mapping still sits next to it."""
    p = write_csv(tmp_path / "ledger.csv", ["项目名称,责任单位,总投资（万元）,年度计划投资（万元）", "汉江二桥,汉台区,1000,300"])
    r = read_ledger(p, mapping=c("mapping_misspelt.yaml"))
    assert r.ok and not [x for x in r.problems if "映射" in x.message]


def test_two_headers_mapped_to_one_field_is_an_error_naming_both_lines() -> None:
    m = load_mapping(c("mapping_twice.yaml"))
    assert [(h, f, line) for h, f, line in m.entries] == [("区县名", "unit", 2), ("上半年累计", "completed_cum", 3), ("建设单位", "unit", 4)]
    r = read_ledger(c("own_words.xlsx"), mapping=m)
    e = one(r, ERROR, "都是这一列")
    assert (e.row, e.column) == (2, "建设单位")
    assert "第2行把“区县名”、第4行把“建设单位”映射到 unit（责任单位），本表的“区县名”和“建设单位”因此都是这一列，不知道该读哪一列" in e.message


# ---------------------------------------------------------------- 6. a header written over two rows


@pytest.mark.parametrize(
    ("name", "header_row", "year"), [("two_row_header_row1.xlsx", 2, 2024), ("two_row_header_row2.xlsx", 3, None), ("two_row_header_row3.xlsx", 4, None)]
)
def test_a_two_row_header_with_merged_cells_is_read(name: str, header_row: int, year: int | None) -> None:
    r = read_ledger(c(name), year=year)
    assert r.ok, r.errors
    assert r.header_row == header_row
    assert {k: r.columns[k] for k in ("name", "unit", "total_investment", "annual_plan")} == {
        "name": "项目名称",
        "unit": "责任单位",
        "total_investment": "投资情况/总投资",
        "annual_plan": "投资情况/年度计划投资",
    }
    assert r.frame[["name", "unit", "total_investment", "annual_plan"]].values.tolist() == [
        ["汉江二桥", "汉台区", 1000.0, 300.0],
        ["南郑产业园", "南郑区", 600.0, 200.0],
    ]
    assert r.progress is not None and r.progress.frame[["month", "completed_cum"]].values.tolist() == [["2024-06", 130.0], ["2024-06", 100.0]]
    assert not [p for p in r.problems if "没有表头" in p.message or "缺少必需的列" in p.message]


# ---------------------------------------------------------------- the command line


def test_validate_data_refuses_a_date_after_the_period(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-data", str(c("dates_after_period.xlsx"))]) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "实际开工时间 2024-10-08 晚于本表期别 2024年1-6月末" in text and "Traceback" not in text
