"""The 期别 of the scoring inputs file is read as the indicators and tasks files read theirs, and
one unit and input written twice for one period is one figure (the values agree) or refused
(they differ), naming the rows: the same rule as :mod:`hzlib.ingest.repeated_periods`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from hzlib.errors import InputError
from hzlib.ingest.parse import parse_period
from hzlib.scoring import load_rules, load_scoring_inputs, read_scoring_inputs

RULES = load_rules("ankang-2019")


def _csv(tmp_path: Path, rows: str, header: str = "单位,输入编号,数值,期别") -> Path:
    path = tmp_path / "scoring_inputs.csv"
    path.write_text(f"{header}\n{rows}", encoding="utf-8")
    return path


@pytest.mark.parametrize("cell", ["2019.6", "201906", "2019-06-30", "2019年上半年", "2019年1-6月", "2019Q2"])
def test_period_forms_read_as_in_the_indicators_file(cell: str, tmp_path: Path) -> None:
    """Each form ends in June 2019: 2019Q2, as :func:`parse_period` (the indicators and tasks readers) reads it."""
    r = read_scoring_inputs(_csv(tmp_path, f"汉滨区,media_city,12,{cell}\n"), RULES)
    assert r.errors == [], [str(p) for p in r.errors]
    assert r.frame["period"].tolist() == ["2019Q2"] == parse_period(pd.Series([cell], dtype=object))[0].tolist()


def test_an_excel_date_cell_is_its_quarter(tmp_path: Path) -> None:
    """A 期别 cell Excel holds as the date 2019-06-30 is 2019Q2, as in an indicators workbook."""
    path = tmp_path / "scoring_inputs.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["单位", "输入编号", "数值", "期别"])
    ws.append(["汉滨区", "media_city", 12, dt.datetime(2019, 6, 30)])
    wb.save(path)
    r = read_scoring_inputs(path, RULES)
    assert r.errors == [] and r.frame["period"].tolist() == ["2019Q2"]
    assert load_scoring_inputs(path, RULES, "2019Q2").units["value"].tolist() == [12.0]


def test_an_agreeing_repeat_in_another_form_is_one_figure_with_a_warning(tmp_path: Path) -> None:
    """Rows 2 and 3: 汉滨区 media_city 12 in 2019Q2 and 12 in 2019年上半年 (one period): one figure, 12, not 24 or an error."""
    r = read_scoring_inputs(_csv(tmp_path, "汉滨区,media_city,12,2019Q2\n汉滨区,media_city,12,2019年上半年\n"), RULES)
    assert r.errors == []
    assert r.frame[["unit", "input_id", "value", "period"]].values.tolist() == [["汉滨区", "media_city", 12.0, "2019Q2"]]
    assert [(w.row, w.column) for w in r.warnings] == [(3, "数值")]
    assert "期别“2019年上半年（2019Q2）”有 2 行（第2、3行），数值相同，按一行计" in r.warnings[0].message


def test_an_agreeing_repeat_in_another_money_unit_is_one_figure(tmp_path: Path) -> None:
    """planning_funds is in 万元: 250 万元 (row 2) and 0.025 亿元 (row 3) are the same 250 万元."""
    path = _csv(tmp_path, "汉滨区,planning_funds,250,万元,2019-06\n汉滨区,planning_funds,0.025,亿元,2019Q2\n", "单位,输入编号,数值,计量单位,期别")
    r = read_scoring_inputs(path, RULES)
    assert r.errors == [] and r.frame["value"].tolist() == [250.0] and len(r.warnings) == 1


def test_a_conflicting_repeat_is_refused_naming_both_rows_and_values(tmp_path: Path) -> None:
    """12 (row 2, 2019Q2) and 13 (row 3, 2019年1-6月): which is right is not guessed."""
    path = _csv(tmp_path, "汉滨区,media_city,12,2019Q2\n汉滨区,media_city,13,2019年1-6月\n")
    r = read_scoring_inputs(path, RULES)
    assert [(p.file, p.row, p.column) for p in r.errors] == [("scoring_inputs.csv", 3, "数值")]
    message = r.errors[0].message
    assert message.startswith("单位“汉滨区”、输入编号“media_city”、期别“2019年上半年（2019Q2）”有 2 行，数值不同：第2行为 12，第3行为 13；")
    assert "2019Q2、2019年上半年、2019年1-6月、2019-06 是同一期别" in message
    with pytest.raises(InputError):
        load_scoring_inputs(path, RULES, "2019Q2")


def test_two_periods_are_not_a_repeat(tmp_path: Path) -> None:
    """2019年一季度 (2019Q1) and 2019.6 (2019Q2) are two periods: each keeps its value."""
    r = read_scoring_inputs(_csv(tmp_path, "汉滨区,media_city,3,2019年一季度\n汉滨区,media_city,12,2019.6\n"), RULES)
    assert r.errors == [] and r.warnings == []
    assert dict(zip(r.frame["period"], r.frame["value"])) == {"2019Q1": 3.0, "2019Q2": 12.0}
