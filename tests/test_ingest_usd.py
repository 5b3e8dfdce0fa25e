"""The foreign-project US-dollar column of the ledger (外资总投资（万美元）)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hzlib.errors import ERROR, WARNING
from hzlib.ingest import read_ledger

HEAD = "项目编号,项目名称,责任单位,项目级别,投资主体,项目类别,是否新开工,总投资（万元）,年度计划投资（万元）,{usd}\n"


def _write(tmp_path: Path, usd_header: str, rows: list[str]) -> Path:
    p = tmp_path / "ledger.csv"
    p.write_text(HEAD.format(usd=usd_header) + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def test_dollar_header_reads_into_its_own_column_in_wan_usd(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "总投资（美元）",
        [
            "F1,外资项目,勉县,市级,外商投资,开工,是,33500,10000,50000000",
            "D1,内资项目,勉县,市级,国有投资,开工,是,12000,6000,",
        ],
    )
    r = read_ledger(p, year=2022)
    assert r.ok, [str(x) for x in r.problems]
    f = r.frame
    assert f["total_investment_usd"].tolist()[0] == 5000.0  # 5000万美元
    assert pd.isna(f["total_investment_usd"].tolist()[1])
    assert f["total_investment"].tolist() == [33500.0, 12000.0]  # the 万元 column is untouched
    assert r.units["total_investment_usd"] == "美元"


def test_cny_amount_in_the_dollar_column_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    p = _write(tmp_path, "外资总投资（万美元）", ["F1,外资项目,勉县,市级,外商投资,开工,是,33500,10000,2亿"])
    r = read_ledger(p, year=2022)
    hits = [x for x in r.problems if x.severity == ERROR and x.row == 2 and x.column == "外资总投资（万美元）"]
    assert len(hits) == 1 and "人民币金额" in hits[0].message and "2亿" in hits[0].message


def test_cny_unit_in_the_dollar_header_is_an_error(tmp_path: Path) -> None:
    p = _write(tmp_path, "外资总投资（万元）", ["F1,外资项目,勉县,市级,外商投资,开工,是,33500,10000,5000"])
    r = read_ledger(p, year=2022)
    hits = [x for x in r.problems if x.severity == ERROR and x.row == 1 and x.column == "外资总投资（万元）"]
    assert len(hits) == 1 and "美元" in hits[0].message


def test_dollar_amount_on_a_domestic_project_is_a_warning(tmp_path: Path) -> None:
    p = _write(tmp_path, "外资总投资（万美元）", ["D1,内资项目,勉县,市级,民间投资,开工,是,33500,10000,5000"])
    r = read_ledger(p, year=2022)
    assert r.ok
    hits = [x for x in r.problems if x.severity == WARNING and x.row == 2 and x.column == "外资总投资（万美元）"]
    assert len(hits) == 1 and "不是外商投资" in hits[0].message
