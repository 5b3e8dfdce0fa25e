"""Write the ledger-table fault corpus used by tests/test_ingest_faults_table.py.

Each file is a sheet an office really sends, with one mistake the reader used to accept
("可以使用") while it changed a total or said something a statistician could not act on:
breakdown rows (其中：…) under a total, the same project under two counties, dates after the
sheet's period, a cumulative column without a year, a mapping file that names headers the
sheet does not have, a header written over two rows with merged cells. Run once from
anywhere (``python tests/fault_corpus/table/make_table_corpus.py``); the outputs are
committed next to this script. Workbook properties and zip timestamps are fixed so that
the bytes come out the same each run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for the shared writer when run as a script
from _xlsx_bytes import fixed_book, xlsx_bytes

HERE = Path(__file__).resolve().parent
STAMP = dt.datetime(2024, 7, 5, 9, 0, 0)
TITLE = "2024年汉中市市级重点建设项目进度表（1-6月）"
HEAD = ["序号", "项目名称", "责任单位", "项目类别", "总投资（万元）", "年度计划投资（万元）", "1-6月完成投资（万元）"]


def new_book() -> openpyxl.Workbook:
    return fixed_book(STAMP)


def save(wb: openpyxl.Workbook, name: str) -> None:
    (HERE / name).write_bytes(xlsx_bytes(wb, STAMP))


def rows(ws: Worksheet, table: list[list[object]]) -> None:
    for r in table:
        ws.append(r)


def one_sheet(table: list[list[object]], title: str | None = None) -> openpyxl.Workbook:
    """A workbook of one sheet (named ``title`` when given) holding ``table``."""
    wb = new_book()
    ws = wb.active
    if title is not None:
        ws.title = title
    rows(ws, table)
    return wb


def breakdown_rows() -> None:
    """A 合计 row, then 其中 rows breaking it down (county and category filled, so they look like projects),
    then each county's projects and its 小计 row."""
    wb = one_sheet(
        [
            [TITLE],
            HEAD,  # rows 1-2
            ["合计", None, None, None, 4600, 1350, 640],  # 3
            [None, "其中：新开工", "汉台区", "新开工", 1600, 500, 230],  # 4
            [None, "其中:续建", "汉台区", "续建", 3000, 850, 410],  # 5
            [None, "其中 省级项目", "南郑区", "续建", 3000, 850, 410],  # 6
            [1, "汉江二桥", "汉台区", "新开工", 1000, 300, 130],  # 7
            [2, "天汉大道改造", "汉台区", "续建", 2000, 600, 300],  # 8
            [None, "汉台区小计", None, None, 3000, 900, 430],  # 9
            [3, "南郑产业园", "南郑区", "新开工", 600, 200, 100],  # 10
            [4, "南郑污水厂", "南郑区", "续建", 1000, 250, 110],  # 11
            [None, "南郑区小计（2个）", None, None, 1600, 450, 210],  # 12
        ],
        title="1-6月",
    )
    save(wb, "breakdown_rows.xlsx")


def same_name() -> None:
    """One sheet per county: 汉江二桥 in both with the same money (a duplicate), 褒河路 with different money."""
    wb = new_book()
    wb.active.title = "说明"
    wb.active.append(["各县区分表填报"])
    head = ["序号", "项目名称", "项目类别", "总投资（万元）", "年度计划投资（万元）", "1-6月完成投资（万元）"]
    for county, table in {
        "汉台区": [[1, "汉江二桥", "新开工", 1000, 300, 130], [2, "褒河路", "续建", 500, 100, 50]],
        "南郑区": [[1, "南郑产业园", "新开工", 600, 200, 100], [2, "褒河路", "续建", 800, 200, 90], [3, "汉江二桥", "新开工", 1000, 300, 130]],
    }.items():
        ws = wb.create_sheet(county)
        rows(ws, [[TITLE], head, *table])
    save(wb, "same_name_two_units.xlsx")


def dates_after_period() -> None:
    """A 1-6月 sheet with an actual start in October, an actual completion in July and a procedure date in August."""
    wb = one_sheet(
        [
            [TITLE],
            [*HEAD, "实际开工时间", "实际竣工时间", "规划手续办结时间"],
            [1, "汉江二桥", "汉台区", "新开工", 1000, 300, 130, "2024-10-08", None, "2024-03-01"],  # 3
            [2, "天汉大道改造", "汉台区", "续建", 2000, 600, 300, "2023-05-01", "2024-07-01", None],  # 4
            [3, "南郑产业园", "南郑区", "新开工", 600, 200, 100, "2024-06-30", None, "2024-08-15"],  # 5
        ],
        title="1-6月",
    )
    save(wb, "dates_after_period.xlsx")


def no_year() -> None:
    """The title and the cumulative header name the months, not the year; another header names 2019."""
    wb = one_sheet(
        [
            ["安康市重点项目进度表（1-6月）"],
            ["序号", "项目名称", "所属县区", "总投资（万元）", "2019年计划投资（万元）", "1-6月完成投资（万元）"],
            [1, "安康汉江二桥", "汉滨区", 120000, 30000, 14000],
            [2, "平利县女娲茶城", "平利县", 60000, 15000, 7000],
        ],
    )
    save(wb, "no_year_other_header.xlsx")
    wb = one_sheet(
        [
            ["安康市重点项目进度表"],
            ["序号", "项目名称", "所属县区", "总投资（万元）", "年度计划投资（万元）", "1-6月完成投资（万元）"],
            [1, "安康汉江二桥", "汉滨区", 120000, 30000, "约14000"],  # 3: text in a number cell
            [2, "平利县女娲茶城", "平利县", 60000, 15000, 70000],  # 4: completed above total
            [3, "旬阳县城区供水", "旬阳县", 50000, 6000, 3100],
        ],
    )
    save(wb, "no_year_and_problems.xlsx")


def own_words() -> None:
    """An office's own headers (区县名, 上半年累计) and mapping files for it: a right one, one whose header
    is misspelt (the cumulative column is then lost), one mapping two columns to one field."""
    wb = one_sheet(
        [
            [TITLE],
            ["序号", "项目名称", "区县名", "建设单位", "总投资（万元）", "年度计划投资（万元）", "上半年累计"],
            [1, "汉江二桥", "汉台区", "汉台区交通局", 1000, 300, 130],
            [2, "南郑产业园", "南郑区", "南郑区工信局", 600, 200, 100],
        ],
    )
    save(wb, "own_words.xlsx")
    (HERE / "mapping_good.yaml").write_bytes("headers:\n  区县名: unit\n  上半年累计: completed_cum\n".encode())
    (HERE / "mapping_misspelt.yaml").write_bytes("headers:\n  区县名: unit\n  上半年累计完成: completed_cum\n".encode())
    (HERE / "mapping_twice.yaml").write_bytes("headers:\n  区县名: unit\n  上半年累计: completed_cum\n  建设单位: unit\n".encode())


def two_row_header(titles: int, name: str) -> None:
    """项目名称/责任单位 merged down two header rows, 投资情况 merged over 总投资/年度计划/1-6月完成投资 below."""
    above = [[TITLE], ["填报单位：汉中市发展和改革委员会", None, None, None, None, "单位：万元"]][:titles]
    wb = one_sheet(
        [
            *above,
            ["序号", "项目名称", "责任单位", "投资情况", None, None],
            [None, None, None, "总投资", "年度计划投资", "1-6月完成投资"],
            [1, "汉江二桥", "汉台区", 1000, 300, 130],
            [2, "南郑产业园", "南郑区", 600, 200, 100],
        ],
        title="1-6月",
    )
    ws = wb.active
    top = titles + 1
    for col in "ABC":
        ws.merge_cells(f"{col}{top}:{col}{top + 1}")
    ws.merge_cells(f"D{top}:F{top}")
    save(wb, name)


def main() -> None:
    breakdown_rows()
    same_name()
    dates_after_period()
    no_year()
    own_words()
    for titles in (0, 1, 2):  # the group header in the 1st, 2nd or 3rd row
        two_row_header(titles, f"two_row_header_row{titles + 1}.xlsx")


if __name__ == "__main__":
    main()
