"""Write the data-file corpus used by tests/test_ingest.py: one problem per file.

Run once from anywhere (``python tests/data_corpus/make_corpus.py``); the
outputs are committed next to this script. README.md lists what each file
shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEAD = ["项目编号", "项目名称", "责任单位", "项目级别", "投资主体", "项目类别", "是否新开工", "总投资（万元）", "年度计划投资（万元）",
        "计划开工时间", "实际开工时间", "计划竣工时间", "实际竣工时间"]
GOOD_ROWS = [
    ["HZ001", "汉江综合整治工程", "汉台区", "市级重点", "政府", "新开工", "是", "120000", "30000", "2024-03-01", "2024-03-15", "2026-12-31", ""],
    ["HZ002", "航空零部件产业园", "南郑区", "省级", "民营", "续建", "否", "85000", "20000", "2023-05-01", "2023-05-20", "2025-06-30", ""],
    ["HZ003", "城固食品加工项目", "城固县", "县级", "民间", "竣工", "否", "12000", "4000", "2022-04-01", "2022-04-10", "2024-06-30", "2024-06-20"],
    ["HZ004", "汉中物流园", "汉台区", "市级", "国有", "储备", "否", "45000", "0", "2025-03-01", "", "2027-12-31", ""],
]


def csv_text(rows: list[list[str]]) -> str:
    out = []
    for r in rows:
        out.append(",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in r))
    return "\n".join(out) + "\n"


def write(name: str, rows: list[list[str]], encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(csv_text(rows).encode(encoding))


def ledger(rows: list[list[str]], head: list[str] = HEAD) -> list[list[str]]:
    return [head, *rows]


def main() -> None:
    # good paths
    write("good_ledger_zh.csv", ledger(GOOD_ROWS))
    en_head = ["project_id", "name", "unit", "level", "ownership", "batch", "is_new_start", "total_investment", "annual_plan",
               "planned_start", "actual_start", "planned_completion", "actual_completion"]
    en_rows = [[r[0], f"Project {i}", r[2], lvl, own, bat, yn, r[7], r[8], r[9], r[10], r[11], r[12]]
               for i, (r, lvl, own, bat, yn) in enumerate(zip(GOOD_ROWS, ["city", "province", "county", "city"],
                                                            ["government", "private", "private", "state"],
                                                            ["start", "advance", "complete", "reserve"],
                                                            ["Y", "N", "FALSE", "0"]), 1)]
    write("good_ledger_en.csv", ledger(en_rows, en_head))
    write("good_progress.csv", [["项目编号", "月份", "累计完成投资（万元）"],
                                ["HZ001", "2024-05", "8000"], ["HZ001", "2024-06", "12000"],
                                ["HZ002", "2024/6", "9000"], ["HZ003", "2024年6月", "4000"]])
    write("good_indicators.csv", [["地区", "期别", "指标", "累计值（亿元）", "累计同比增速（%）", "数据来源"],
                                  ["汉中市", "2024Q2", "fai", "490.09", "9.2", "市统计局"],
                                  ["汉中市", "2024年1-6月", "private_inv", "210.5", "-3.1", "市统计局"],
                                  ["南郑区", "2024年上半年", "fai", "80.2", "10.5", "市统计局"]])
    write("good_profiles.csv", [["地区", "指标", "年份", "一季度", "二季度", "三季度", "四季度"],
                                ["汉中市", "fai", "2023", "1050000", "1800000", "1600000", "1450000"]])

    # encodings
    write("gbk_ledger.csv", ledger(GOOD_ROWS), encoding="gbk")
    write("bom_ledger.csv", ledger(GOOD_ROWS), encoding="utf-8-sig")
    (HERE / "broken_bytes.csv").write_bytes("项目编号,项目名称\n".encode("utf-8") + b"HZ001,\xff\xfe\x81\x30\xff\n")

    # one problem each
    dup = [list(r) for r in GOOD_ROWS]
    dup[2][0] = "HZ001"
    write("duplicate_ids.csv", ledger(dup))

    write("missing_column.csv", [[h for h in HEAD if h != "总投资（万元）"]] + [[c for h, c in zip(HEAD, r) if h != "总投资（万元）"] for r in GOOD_ROWS])

    yi = [list(r) for r in GOOD_ROWS]
    yi[1][7] = "8.5"  # 8.5 亿元 typed into a 万元 column
    write("yi_in_wan.csv", ledger(yi))

    write("completed_over_total.csv", [["项目编号", "月份", "累计完成投资（万元）"], ["HZ001", "2024-06", "12000"], ["HZ003", "2024-06", "15000"]])

    sac = [list(r) for r in GOOD_ROWS]
    sac[2][10], sac[2][12] = "2024-07-01", "2024-06-20"
    write("start_after_completion.csv", ledger(sac))

    unk = [h if h != "总投资（万元）" else "总投资（千元）" for h in HEAD]
    write("unknown_unit.csv", ledger(GOOD_ROWS, unk))
    unit_col = [*HEAD[:7], "总投资", "年度计划投资", "单位"]
    write("unknown_unit_column.csv", [unit_col] + [[*r[:9], u] for r, u in zip(GOOD_ROWS, ["万元", "亿元", "万美金", ""])])

    txt = [list(r) for r in GOOD_ROWS]
    txt[1][7] = "约3000"
    txt[3][8] = "待定"
    write("text_in_number.csv", ledger(txt))

    (HERE / "empty.csv").write_bytes(b"")
    write("header_only.csv", [HEAD])

    bad_date = [list(r) for r in GOOD_ROWS]
    bad_date[0][9] = "三月初"
    write("bad_date.csv", ledger(bad_date))

    pct_head = [*HEAD[:9], "利税率（%）"]
    write("percent_mixed.csv", [pct_head] + [[*r[:9], p] for r, p in zip(GOOD_ROWS, ["80", "0.8", "80%", "12.5"])])
    write("percent_fractions.csv", [pct_head] + [[*r[:9], p] for r, p in zip(GOOD_ROWS, ["0.8", "0.125", "80%", ""])])

    forms = ["2024-03-05", "2024/3/5", "2024年3月5日", "2024.3.5", "20240305", "45356", "2024.3", "2024年3月"]
    date_rows = []
    for i, f in enumerate(forms):
        date_rows.append([f"D{i:02d}", f"日期写法{i}", "汉台区", "市级", "国有", "新开工", "是", "1000", "500", f, "", "2026-12-31", ""])
    write("date_forms.csv", ledger(date_rows))

    write("progress_problems.csv", [["项目编号", "月份", "累计完成投资（万元）"],
                                    ["HZ001", "2024-05", "8000"], ["HZ001", "2024-06", "7000"],
                                    ["HZ999", "2024-06", "100"], ["HZ002", "2023-12", "5000"]])

    # xlsx: merged title row, unit line, blank row, totals row
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2024年汉中市重点项目台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(HEAD)
    for r in GOOD_ROWS[:2]:
        ws.append([*r[:7], float(r[7]), float(r[8]), *r[9:]])
    ws.append([])
    for r in GOOD_ROWS[2:]:
        ws.append([*r[:7], float(r[7]), float(r[8]), *r[9:]])
    ws.append(["合计", None, None, None, None, None, None, 262000.0, 54000.0])
    ws2 = wb.create_sheet("说明")
    ws2.append(["本表由项目办填报"])
    wb.save(HERE / "title_and_totals.xlsx")

    # xlsx: formula error cells
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in GOOD_ROWS:
        ws.append([*r[:7], float(r[7]), float(r[8]), *r[9:]])
    ws["H3"] = "#REF!"
    ws["I5"] = "#DIV/0!"
    wb.save(HERE / "formula_errors.xlsx")

    # xlsx: real dates, serial numbers and text dates
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    cells = [dt.datetime(2024, 3, 5), 45356, "2024年3月5日", "2024.3"]
    for i, c in enumerate(cells):
        ws.append([f"X{i}", f"项目{i}", "汉台区", "市级", "国有", "新开工", "是", 1000.0, 500.0, c, None, dt.date(2026, 12, 31), None])
    wb.save(HERE / "date_forms.xlsx")


if __name__ == "__main__":
    main()
