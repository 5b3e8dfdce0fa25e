"""Scoring inputs that are not reported (blank, "—", "-", "无", "/", a fresh template) make the item
不完整 (incomplete), never 0 and never a crash; a text that is not a number is an input error naming
file, row and column."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.cli.score import _cells
from hzlib.errors import InputError
from hzlib.scoring import load_rules, load_scoring_inputs, read_scoring_inputs, score, write_scoring_template

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules("ankang-2019")


def _inputs_file(tmp_path: Path, value: str) -> Path:
    """汉滨区's 项目策划财政预算资金到位 (planning_funds, 万元; 0.5 points per 100万元) as ``value``."""
    path = tmp_path / "scoring_inputs.csv"
    path.write_text(f"单位,输入编号,数值\n汉滨区,planning_funds,{value}\n", encoding="utf-8")
    return path


def _planning_funds_item(path: Path) -> pd.Series:
    result = score(RULES, load_scoring_inputs(path, RULES))
    items = result.items
    return items[(items["unit"] == "汉滨区") & (items["item"] == "planning_funds")].iloc[0]


@pytest.mark.parametrize("value", ["", "—", "-", "无", "/", " 无 "])
def test_not_reported_is_incomplete_not_zero(value: str, tmp_path: Path) -> None:
    path = _inputs_file(tmp_path, value)
    r = read_scoring_inputs(path, RULES)
    assert r.errors == [] and r.frame.empty
    assert [(x.row, "数据不全" in x.reason) for x in r.excluded] == [(2, True)]
    item = _planning_funds_item(path)
    assert bool(item["incomplete"]) and math.isnan(item["points"])
    assert "缺少输入：项目策划财政预算资金到位（planning_funds）" in item["note"]


def test_a_word_for_nothing_says_how_it_was_read(tmp_path: Path) -> None:
    r = read_scoring_inputs(_inputs_file(tmp_path, "无"), RULES)
    assert [x.reason for x in r.excluded] == ["数值为“无”，按未报送处理（该项将标为数据不全，不按 0 计）"]


@pytest.mark.parametrize(("value", "points"), [("0", 0.0), ("300", 1.5)])
def test_a_reported_number_is_scored(value: str, points: float, tmp_path: Path) -> None:
    """The counterpart: 0 reported is 0 points, not incomplete."""
    item = _planning_funds_item(_inputs_file(tmp_path, value))
    assert not bool(item["incomplete"]) and item["points"] == points


def test_a_number_in_chinese_words_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        load_scoring_inputs(_inputs_file(tmp_path, "十二"), RULES)
    assert [(p.row, p.column, p.message) for p in e.value.errors] == [(2, "数值", "应为数字，实际为“十二”")]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ankang-2019"
    shutil.copytree(ROOT / "data" / "ankang-2019", folder)
    return folder


def test_hz_score_table_with_a_fresh_template(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The blank template (every input blank) crashed the table: TypeError: Invalid value '' for dtype 'Int64'."""
    (data_copy / "scoring_inputs.csv").unlink()
    write_scoring_template(RULES, data_copy / "scoring_inputs.csv")
    assert main(["score", "ankang-2019", "--period", "2019Q2", "--data", str(data_copy)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    units = sum(len(k.units) for k in RULES.kinds)
    assert f"{units} 个单位数据不全，不参加排名和评奖" in captured.out


def test_hz_score_with_one_input_not_reported(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One unit with "—": that unit is unranked (blank rank), the others are ranked as before."""
    path = data_copy / "scoring_inputs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[7].startswith("汉滨区,county,planning_funds,") and ",300," in lines[7]
    lines[7] = lines[7].replace(",300,", ",—,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", "ankang-2019", "--period", "2019Q2", "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "汉滨区" in line)
    assert row.split()[:2] == ["县区", "汉滨区"] and row.split()[-1] == "是"
    assert "1 个单位数据不全" in out


def test_hz_score_names_a_text_that_is_not_a_number(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "scoring_inputs.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "汉滨区,county,planning_funds,项目策划财政预算资金到位,300,", "汉滨区,county,planning_funds,项目策划财政预算资金到位,三百,"
        ),
        encoding="utf-8",
    )
    assert main(["score", "ankang-2019", "--period", "2019Q2", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "scoring_inputs.csv 第8行 [数值]：应为数字，实际为“三百”" in err


def test_table_cells_leave_missing_values_blank() -> None:
    frame = pd.DataFrame({"排名": pd.array([1, None], dtype="Int64"), "单位": ["甲县", "乙县"], "总分": [80.5, math.nan]})
    assert _cells(frame) == [["1", "甲县", "80.5"], ["", "乙县", ""]]
