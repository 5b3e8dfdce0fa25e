"""Write the office-workbook corpus used by tests/test_workbook*.py and tests/test_import.py.

Sheets shaped like those county and city offices pass around (title row, 填报单位 line,
序号, 合计 row, section rows, merged cells, one sheet per county, a 说明 sheet first),
one shape or one problem per file. Run once from anywhere
(``python tests/workbook_corpus/make_workbooks.py``); the outputs are committed next to
this script (README.md lists them). Workbook properties are fixed so that the files
come out the same each time.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared writer when run as a script
from _xlsx_bytes import fixed_book, xlsx_bytes

HERE = Path(__file__).resolve().parent
STAMP = dt.datetime(2019, 7, 5, 9, 0, 0)

TITLE = "2019年安康市市级重点建设项目进度表（1-6月）"
FILER = ["填报单位：安康市发展和改革委员会", None, None, None, None, None, None, None, "单位：万元"]
HEAD = [
    "序号",
    "项目名称",
    "建设单位",
    "所属县区",
    "项目类别",
    "总投资",
    "年度计划投资",
    "1-6月完成投资",
    "占年度计划(%)",
    "计划开工时间",
    "实际开工时间",
    "备注",
]
NEW = [
    ["安康汉江二桥", "安康交投公司", "汉滨区", "新开工", 120000, 30000, 14000, 46.7, "2019.3", dt.datetime(2019, 3, 18), None],
    ["汉阴县月河综合治理", "汉阴县水利局", "汉阴县", "新开工", 45000, 12000, 5000, 41.7, "2019年4月", "2019/4/20", None],
    ["石泉县富硒食品产业园", "石泉富硒公司", "石泉县", "新开工", 80000, 20000, 0, 0, "3月", None, "未开工"],
]
OLD = [
    ["安康高新区电子信息产业园", "高新区管委会", "安康高新区", "续建", 150000, 36000, 19000, 52.8, "2018年5月8日", 43235, None],
    ["平利县女娲茶城", "平利茶业集团", "平利县", "续建", 60000, 15000, 7000, 46.7, "2018/6/1", "2018-06-20", None],
    ["旬阳县城区供水", "旬阳水务公司", "旬阳县", "续建", 50000, 6000, 3100, 51.7, "2018.10", "2018年11月2日", None],
]


def new_book() -> openpyxl.Workbook:
    return fixed_book(STAMP)


def save(wb: openpyxl.Workbook, name: str) -> None:
    (HERE / name).write_bytes(xlsx_bytes(wb, STAMP))


def title_rows(ws: Worksheet, title: str = TITLE, width: int = len(HEAD)) -> None:
    ws.append([title])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")
    ws.append(FILER)


def totals(rows: list[list[object]]) -> list[object]:
    def total(i: int) -> float:
        return float(sum(r[i] for r in rows if isinstance(r[i], (int, float))))

    return ["合计", None, None, None, None, total(4), total(5), total(6), round(total(6) / total(5) * 100, 1)]


def office_sheet(ws: Worksheet, new: list[list[object]] = NEW, old: list[list[object]] = OLD, head: list[str] = HEAD, title: str = TITLE) -> None:
    """The usual sheet: title, 填报单位 line, header, 合计 row, two sections with a blank row between, a footnote."""
    title_rows(ws, title, len(head))
    ws.append(head)
    ws.append(totals(new + old))
    ws.append(["一、新开工项目"])
    for i, r in enumerate(new, 1):
        ws.append([i, *r])
    ws.append([])
    ws.append(["二、续建项目"])
    for i, r in enumerate(old, len(new) + 1):
        ws.append([i, *r])
    ws.append(["注：1-6月完成投资为自年初累计数。"])


def with_notes_sheet(wb: openpyxl.Workbook) -> Worksheet:
    notes = wb.active
    notes.title = "说明"
    notes.append(["填表说明：本表每月5日前报送；金额单位万元；完成投资为自年初累计数。"])
    return wb.create_sheet("1-6月")


def office(name: str, new: list[list[object]] = NEW, old: list[list[object]] = OLD, head: list[str] = HEAD, title: str = TITLE) -> None:
    wb = new_book()
    office_sheet(with_notes_sheet(wb), new, old, head, title)
    save(wb, name)


def changed(rows: list[list[object]], i: int, j: int, value: object) -> list[list[object]]:
    out = [list(r) for r in rows]
    out[i][j] = value
    return out


def csv(name: str, rows: list[list[object]]) -> None:
    text = "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows) + "\n"
    (HERE / name).write_text(text, encoding="utf-8")


def main() -> None:
    # ---------------------------------------------------------------- shapes
    office("office_h1.xlsx")

    # one sheet per county, no unit column, a summary sheet with the same header
    wb = new_book()
    notes = wb.active
    notes.title = "说明"
    notes.append(["各县区一个工作表"])
    head = [h for h in HEAD if h != "所属县区"]
    everyone = []
    for county, rows in (("汉滨区", [NEW[0]]), ("汉阴县", [NEW[1]]), ("平利县", [OLD[1]])):
        ws = wb.create_sheet(county)
        title_rows(ws, f"2019年{county}市级重点建设项目进度表（1-6月）", len(head))
        ws.append(head)
        for i, r in enumerate(rows, 1):
            ws.append([i, *r[:2], *r[3:]])
            everyone.append([i, *r[:2], *r[3:]])
    ws = wb.create_sheet("全市汇总")
    ws.append(head)
    for r in everyone:
        ws.append(r)
    save(wb, "per_county.xlsx")

    # the unit written once in merged cells over its projects
    wb = new_book()
    ws = wb.active
    ws.title = "进度"
    title_rows(ws)
    ws.append(HEAD)
    rows = [
        [*NEW[0][:2], "汉滨区", *NEW[0][3:]],
        [*OLD[0][:2], "汉滨区", *OLD[0][3:]],
        [*NEW[1][:2], "汉阴县", *NEW[1][3:]],
        [*OLD[1][:2], "汉阴县", *OLD[1][3:]],
        [*OLD[2][:2], "汉阴县", *OLD[2][3:]],
    ]
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    for row in (5, 7, 8):  # 所属县区 (column D) written once per county, merged over its rows
        ws.cell(row, 4).value = None
    ws.merge_cells("D4:D5")
    ws.merge_cells("D6:D8")
    save(wb, "merged_units.xlsx")

    # grouped layout: the unit as a row of its own above its projects, batch sections inside it
    head = [h for h in HEAD if h not in ("所属县区", "项目类别")]
    rows = [
        [TITLE],
        head,
        ["一、汉滨区"],
        ["（一）新开工项目"],
        [1, *NEW[0][:2], *NEW[0][4:]],
        ["（二）续建项目"],
        [2, *OLD[0][:2], *OLD[0][4:]],
        ["二、汉阴县"],
        ["（一）新开工项目"],
        [3, *NEW[1][:2], *NEW[1][4:]],
        ["三、平利县"],
        [4, *OLD[1][:2], *OLD[1][4:]],
    ]
    csv("grouped_units.csv", rows)

    # the unit typed only on the first row of its group (no merge): filled down
    rows = [HEAD, [1, *NEW[0]], [2, *OLD[0][:2], None, *OLD[0][3:]], [3, *NEW[1]], [4, *OLD[1][:2], None, *OLD[1][3:]]]
    csv("unit_once.csv", rows)

    # 序号 numbers the sections (一 | 新开工项目); no 项目类别 column
    wb = new_book()
    ws = wb.active
    ws.title = "进度"
    head = [h for h in HEAD if h != "项目类别"]
    title_rows(ws, TITLE, len(head))
    ws.append(head)
    ws.append(["一", "新开工项目（2个）", None, None, 165000, 42000, 19000])
    for i, r in enumerate(NEW[:2], 1):
        ws.append([i, *r[:3], *r[4:]])
    ws.append(["二", "续建项目", None, None, 150000, 36000, 19000])
    ws.append([3, *OLD[0][:3], *OLD[0][4:]])
    save(wb, "sections_numeral.xlsx")

    # no sheet has a header
    wb = new_book()
    wb.active.title = "说明"
    wb.active.append(["本文件只有说明"])
    wb.create_sheet("图表").append(["见附件"])
    save(wb, "no_header.xlsx")

    # monthly snapshots with the same header: the latest is read
    wb = new_book()
    wb.active.title = "1-5月"
    office_sheet(wb.active, title=TITLE.replace("1-6月", "1-5月"), head=[h.replace("1-6月", "1-5月") for h in HEAD])
    office_sheet(wb.create_sheet("1-6月"))
    save(wb, "monthly_snapshots.xlsx")

    # an office's own words: a mapping file says what they mean
    own_head = ["序号", "工程名称", "区县名", "重点项目类型", "企业性质", "项目类别", "计划总投资", "本年计划", "上半年累计", "计划开工时间", "建设内容"]
    wb = new_book()
    ws = wb.active
    ws.title = "上半年"
    ws.append(["2019年上半年重点项目推进情况"])
    ws.append(own_head)
    ws.append([1, "安康汉江二桥", "汉滨区", "重大项目", "国企", "新开工", 120000, 30000, 14000, "2019.3", "主桥1座"])
    ws.append([2, "汉阴县月河综合治理", "汉阴县", "重大项目", "民企", "新开工", 45000, 12000, 5000, "2019年4月", "堤防10公里"])
    ws.append([3, "平利县女娲茶城", "平利县", "一般项目", "民企", "续建", 60000, 15000, 7000, "2018/6/1", "茶城一期"])
    save(wb, "own_words.xlsx")
    (HERE / "own_words.mapping.yaml").write_text(
        "# 本单位表格的写法 → 数据契约\n"
        "headers:\n"
        "  工程名称: name\n"
        "  区县名: 责任单位\n"
        "  重点项目类型: level\n"
        "  企业性质: ownership\n"
        "  上半年累计: completed_cum\n"
        "values:\n"
        "  level:\n"
        "    重大项目: 市级\n"
        "    一般项目: 县级\n"
        "  ownership:\n"
        "    民企: 民间\n"
        "    国企: 国有\n"
        "ignore: [建设内容]\n",
        encoding="utf-8",
    )
    (HERE / "bad_mapping.yaml").write_text(
        "headers:\n  工程名称: name\n  区县名: 县区负责人\nvalues:\n  ownership:\n    民企: 私人老板\ncolour: red\n", encoding="utf-8"
    )

    # ---------------------------------------------------------------- problems, one per file
    office("text_in_number.xlsx", new=changed(changed(changed(NEW, 1, 6, "约5000"), 2, 6, "5000万"), 2, 7, 25.0))
    office("excel_error.xlsx", new=changed(NEW, 0, 6, "#REF!"))
    office("completed_over_total.xlsx", old=changed(changed(OLD, 2, 6, 56000), 2, 7, 933.3))
    office("yi_in_wan.xlsx", new=changed(changed(NEW, 0, 6, 1.4), 0, 7, 0.0), old=changed(changed(OLD, 1, 5, 1.5), 1, 7, 4666.7))
    office("annual_over_total.xlsx", old=changed(OLD, 2, 5, 60000))
    office("percent_mismatch.xlsx", new=changed(NEW, 1, 7, 14.7))
    bad = changed(changed(NEW, 0, 9, "2019-02-30"), 1, 8, 2019.1)
    office("bad_dates.xlsx", new=changed(bad, 2, 8, "明年"))

    # two cumulative columns, one falling from May to June
    wb = new_book()
    ws = wb.active
    ws.title = "进度"
    head = [*HEAD[:7], "1-5月完成投资", *HEAD[7:]]
    title_rows(ws, TITLE, len(head))
    ws.append(head)
    for i, r in enumerate([*NEW, *OLD], 1):
        may = r[6] * 0.8 if i != 4 else r[6] + 500
        ws.append([i, *r[:6], may, *r[6:]])
    save(wb, "falling_cumulative.xlsx")

    # the same name and unit on two rows (no 项目编号 to tell them apart)
    csv("same_name_unit.csv", [HEAD, [1, *NEW[0]], [2, *NEW[1]], [3, *NEW[0][:6], 9000, 30.0, *NEW[0][8:]]])

    # a cumulative column whose month nothing names
    head = [h if h != "1-6月完成投资" else "本年累计完成投资" for h in HEAD]
    csv("no_month.csv", [head, [1, *NEW[0]], [2, *OLD[0]]])


if __name__ == "__main__":
    main()
