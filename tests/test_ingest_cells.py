"""Grouping cells by distinct value must not merge TRUE with 1 (they hash alike in Python)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from hzlib.errors import ERROR
from hzlib.ingest import read_ledger


def test_a_one_next_to_a_true_cell_stays_a_number(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称", "责任单位", "项目级别", "投资主体", "项目类别", "是否新开工", "总投资（万元）", "年度计划投资（万元）"])
    ws.append(["P1", "甲", "汉台区", "市级", "国有投资", "开工", True, True, 1])  # TRUE typed in a money column
    ws.append(["P2", "乙", "汉台区", "市级", "国有投资", "开工", 1, 1, 1])
    ws.append(["P3", "丙", "汉台区", "市级", "国有投资", "开工", False, 0, 0])
    wb.save(tmp_path / "ledger.xlsx")
    r = read_ledger(tmp_path / "ledger.xlsx", year=2022)
    bad = [p for p in r.problems if p.severity == ERROR]
    assert [(p.row, p.column) for p in bad] == [(2, "总投资（万元）")] and "True" in bad[0].message
    f = r.frame
    assert f["total_investment"].tolist()[1:] == [1.0, 0.0]  # read as numbers, not as TRUE/FALSE
    assert f["is_new_start"].tolist() == [True, True, False]
