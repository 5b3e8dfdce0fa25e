"""Scores read the report model: ledger inputs are the evaluation's figures; rankings compare like with like."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.paths import DATA_DIR
from hzlib.report import figures, load_inputs, load_report, views
from hzlib.report.model import order_units
from hzlib.scoring.report import ledger_inputs


def test_ledger_inputs_are_the_report_models_figures() -> None:
    m = load_report("ankang-2019", "2019Q2")
    assert m.scores is not None
    inputs, sources = ledger_inputs(m.scores.rules, m.period, lambda p: m.evaluation)
    by = inputs.units.pivot(index="unit", columns="input_id", values="value")
    u = m.units
    ruled = set(m.scores.rules.unit_kinds())
    for unit in [x for x in u.index if x in ruled]:
        assert by.loc[unit, "completed_investment"] == pytest.approx(u.loc[unit, "completed_cum"])
        assert by.loc[unit, "planned_investment"] == pytest.approx(u.loc[unit, "annual_plan"])
        if u.loc[unit, "new_starts"] > 0:
            assert by.loc[unit, "start_rate_h1"] == pytest.approx(u.loc[unit, "start_rate"])
    assert "start_rate_q3" not in sources  # the Q3 checkpoint is not due at Q2
    assert sources["start_rate_h1"] == "2019Q2"
    # a unit the rules score without projects in the ledger: counts and money are 0, rates absent
    without = sorted(ruled - set(u.index.astype(str)))
    assert without, "ankang's department table names units with no key project"
    assert (by.loc[without, "key_projects"] == 0).all()
    assert by.loc[without, "start_rate_h1"].isna().all()
    projects = inputs.projects
    st = m.evaluation.status
    assert len(projects) == len(st[st["unit"].isin(ruled)])


def test_prizes_and_ranks_are_given_within_each_kind() -> None:
    m = load_report("ankang-2019", "2019Q2")
    rk = m.ranking
    assert set(rk["kind_zh"]) == {"县区", "市直部门"}
    for _, g in rk.groupby("unit_kind"):
        assert g["rank"].min() == 1  # each kind ranked on its own
    accident = rk[rk["note"].str.contains("取消评奖资格")]
    assert len(accident) == 1 and accident["award"].iloc[0] == "" and accident["total"].notna().all()  # score kept, no prize
    assert any(s.startswith("县区按《2019年度县区、部门重点项目工作考核评分表》评分") for s in m.sentences)


def test_hanzhong_red_flags_and_snails_follow_its_rules_file() -> None:
    m = load_report("hanzhong-2022", "2022Q3")
    rk = m.ranking
    red, snail = rk[rk["award"] == "红旗"], rk[rk["award"] == "蜗牛"]
    assert len(red) >= 3 and len(snail) >= 3
    assert red["rank"].max() <= 3 + (len(red) - 3)
    s = next(x for x in m.sentences if "红旗" in x)
    assert all(u in s for u in red["unit"]) and all(u in s for u in snail["unit"])
    assert m.ranking_basis.startswith("按《汉中市高质量项目建设季度成效评价")


def test_without_reported_inputs_items_are_incomplete_not_zero(tmp_path: Path) -> None:
    folder = tmp_path / "hanzhong-2022"
    shutil.copytree(DATA_DIR / "hanzhong-2022", folder)
    (folder / "scoring_inputs.csv").unlink()
    m = load_report("hanzhong-2022", "2022Q3", tmp_path)
    assert m.scores is not None
    assert m.ranking["incomplete"].all() and m.ranking["rank"].isna().all() and (m.ranking["award"] == "").all()
    assert any("没有评分报送表" in p.message for p in m.data_notes)


def test_units_without_a_scheme_are_ordered_like_with_like_and_say_when_a_rate_is_missing() -> None:
    units = pd.DataFrame(
        {
            "new_starts": [2, 2, 0, 3, 1, 2],
            "start_rate": [1.0, 0.5, float("nan"), 1.0, 0.0, 0.5],
            "procedure_rate": [1.0, 0.5, float("nan"), 1.0, 0.0, 0.5],
            "annual_plan": [10.0] * 6,
            "invest_completion": [0.6, 0.4, 0.9, 0.6, 0.3, 0.1],
        },
        index=["甲镇", "乙镇", "丙镇", "县A局", "县B局", "丁镇"],
    )
    kinds = {"甲镇": "town", "乙镇": "town", "丙镇": "town", "丁镇": "town", "县A局": "department", "县B局": "department"}
    r = order_units(units, kinds)
    # departments among themselves, then towns, each by 计划投资完成率 from high to low
    assert r["unit"].tolist() == ["县A局", "县B局", "丙镇", "甲镇", "乙镇", "丁镇"]
    # 丙镇 has no new starts: no start rate, said so; nobody is ranked or named
    by = r.set_index("unit")
    assert pd.isna(by.loc["丙镇", "start_rate"]) and by.loc["丙镇", "note"] == "无计划新开工项目"
    assert r["rank"].isna().all() and (r["award"] == "").all() and (r["award_tone"] == "").all()
    # equal completion: 开工率 breaks the tie (甲镇 100%), then 前期手续办结率, then the name (丁 before 乙 in code order)
    tied = order_units(units.assign(invest_completion=0.5), kinds)
    assert tied.loc[tied["unit_kind"] == "town", "unit"].tolist() == ["甲镇", "丁镇", "乙镇", "丙镇"]


def test_views_chart_and_excel_show_the_models_ranking(tmp_path: Path) -> None:
    from hzlib.render.excel import write_tables_xlsx
    from hzlib.report.tables import excel_tables

    for plan, q in (("hanzhong-2022", "2022Q3"), ("zhenba-2024", "2024Q3")):
        m = load_report(plan, q)
        shown = views.ranking_view(m).frame
        assert shown["单位"].tolist() == m.ranking["unit"].tolist()
        chart = figures.ranking_chart(m)
        assert chart is not None
        assert set(zip(chart.data["unit"], chart.data["award"])) <= set(zip(m.ranking["unit"], m.ranking["award"]))
        path = write_tables_xlsx(excel_tables(m), tmp_path / f"{plan}.xlsx")
        if m.scores is not None:  # the plan's own rule: ranks and awards
            assert shown["评价"].tolist() == m.ranking["award"].tolist()
            sheet = pd.read_excel(path, sheet_name="排名")
        else:  # no scheme: the units' progress in order, without 排名 or 评价
            assert "评价" not in shown.columns and "排名" not in shown.columns
            sheet = pd.read_excel(path, sheet_name="分单位进度排列")
        assert sheet["单位"].tolist() == m.ranking["unit"].tolist()


def test_score_command_outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["score", "hanzhong-2022", "--period", "2022Q3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"unit", "unit_kind", "item", "points", "max_points", "inputs", "note", "total", "rank", "prize"} <= set(rows[0])
    assert main(["score", "ankang-2019", "--period", "2019", "--allow-partial"]) == 0
    out = capsys.readouterr().out
    assert "一等奖" in out and "市直部门" in out and "试算" in out
    assert main(["score", "zhenba-2024"]) == 2
    assert "没有评分规则" in capsys.readouterr().err
    out_csv = tmp_path / "t.csv"
    assert main(["scoring-template", "ankang-2019", "--out", str(out_csv)]) == 0
    assert "行待填报" in capsys.readouterr().out and out_csv.exists()


def test_scoring_inputs_are_recorded_as_report_inputs() -> None:
    inp = load_inputs("ankang-2019")
    assert {"plan", "scoring_rules", "scoring_inputs", "data/ledger"} <= set(inp.files)
