"""The scoring template carries its 期别, so the filled file scores the period it was made for;
``hz score`` says which units were scored in a special way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.paths import ROOT
from hzlib.scoring import load_rules
from hzlib.scoring.inputs import load_scoring_inputs, scoring_template, write_scoring_template_file

RULES = load_rules("ankang-2019")


def test_the_template_is_for_the_plan_year_unless_a_period_is_given() -> None:
    assert set(scoring_template(RULES)["period"]) == {"2019Q4"}
    assert set(scoring_template(RULES, "2019年1-6月")["period"]) == {"2019Q2"}


def test_a_filled_template_scores_its_own_period_and_no_other(tmp_path: Path) -> None:
    path = tmp_path / "scoring_inputs.csv"
    write_scoring_template_file(RULES, path, period="2019Q2")
    filled = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(filled.columns)[-2:] == ["期别", "备注"]
    filled["数值"] = filled["输入编号"].map(lambda i: "否" if RULES.input(i).is_bool else "0")
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    assert len(load_scoring_inputs(path, RULES, "2019Q2").units) == len(filled)
    from hzlib.errors import InputError

    with pytest.raises(InputError, match="没有2019年前三季度"):
        load_scoring_inputs(path, RULES, "2019Q3")


def test_merging_another_periods_template_adds_its_rows_and_keeps_the_filled_ones(tmp_path: Path) -> None:
    path = tmp_path / "scoring_inputs.csv"
    write_scoring_template_file(RULES, path, period="2019Q2")
    filled = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    filled.loc[0, "数值"] = "3"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    done = write_scoring_template_file(RULES, path, period="2019Q4", merge=True)
    out = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    n = len(scoring_template(RULES))
    assert done.added == n and len(out) == 2 * n
    assert out.loc[(out["期别"] == "2019Q2") & (out["数值"] == "3")].shape[0] == 1
    assert out.loc[out["期别"] == "2019Q4", "数值"].isna().all()


def test_a_template_for_another_year_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scoring-template", "ankang-2019", "--period", "2020Q2"]) == 2
    assert "不在计划年度 2019 年内" in capsys.readouterr().err


def test_hz_score_lists_the_units_scored_in_a_special_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ankang-2019"
    shutil.copytree(ROOT / "data" / "ankang-2019", data)
    assert main(["score", "ankang-2019", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    special = out.split("特别处理：", 1)[1]
    assert "市人社局" in special and "没有市级重点建设项目" in special
