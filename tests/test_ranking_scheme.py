"""Only the plan's own ranking names 红旗/蜗牛.

镇巴 2024 (like 汉中 2023 and 港务区 2023) defines no ranking scheme: its units' progress is shown in
order, without ranks or awards. 安康 2019 and 汉中 2022 have scoring rules (params/scoring/): their
rules rank and award, and a chart colours an award by its typed tone, never by its label.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from hzlib import charts
from hzlib.glossary import AwardTone, Status
from hzlib.paths import project
from hzlib.plan import list_plan_ids
from hzlib.report import figures, load_report, views
from hzlib.report.model import order_units
from hzlib.report.tables import excel_tables


def test_which_bundled_plans_have_a_ranking_scheme() -> None:
    schemes = {p.stem for p in (project().params_dir / "scoring").glob("*.yaml")}
    assert schemes == {"ankang-2019", "hanzhong-2022"}
    assert {"zhenba-2024", "hanzhong-2023", "xian-port-2023"} <= set(list_plan_ids()) - schemes


@pytest.mark.parametrize(("plan", "period"), [("zhenba-2024", "2024Q3"), ("hanzhong-2023", "2023Q3"), ("xian-port-2023", "2023Q2")])
def test_without_a_scheme_nobody_is_ranked_or_named(plan: str, period: str) -> None:
    m = load_report(plan, period)
    rk = m.ranking
    assert m.scores is None and len(rk) > 3
    assert rk["rank"].isna().all() and (rk["award"] == "").all() and (rk["award_tone"] == "").all()
    assert not any("红旗：" in s or "蜗牛：" in s for s in m.sentences)
    assert m.ranking_basis.startswith("计划未规定评比办法，不排名次、不评“红旗”“蜗牛”")
    # each kind in order of 计划投资完成率, high to low, units without a figure last
    for _, g in rk.groupby("unit_kind"):
        have = g["invest_completion"].dropna().tolist()
        assert have == sorted(have, reverse=True) and g["invest_completion"].notna().tolist() == sorted(g["invest_completion"].notna(), reverse=True)
    shown = views.ranking_view(m).frame
    assert list(shown.columns) == ["类别", "单位", "计划投资完成率", "开工率", "前期手续办结率", "说明"]
    tables = excel_tables(m)
    assert "排名" not in tables and tables["分单位进度排列"]["单位"].tolist() == rk["unit"].tolist()
    chart = figures.ranking_chart(m)
    assert chart is not None and (chart.data["award"] == "").all()


def test_zhenba_units_in_order_hand_checked() -> None:
    """镇巴 2024 前三季度, 部门: 县水利局 74.9% > 县经贸局 66.64% > 县交通运输局 66.52% > 县发改局 39.2% (完成 ÷ 年度计划)."""
    m = load_report("zhenba-2024", "2024Q3")
    dept = m.ranking[m.ranking["unit_kind"] == "department"]
    assert dept["unit"].tolist() == ["县水利局", "县经贸局", "县交通运输局", "县发改局"]
    u = m.units.loc[dept["unit"]]
    assert (u["completed_cum"] / u["annual_plan"]).tolist() == pytest.approx(dept["invest_completion"].tolist())


def test_order_units_hand_example() -> None:
    units = pd.DataFrame(
        {
            "new_starts": [1, 0, 2, 1],
            "start_rate": [1.0, float("nan"), 0.5, 0.0],
            "procedure_rate": [1.0, float("nan"), 0.5, 0.0],
            "annual_plan": [100.0, 50.0, 0.0, 80.0],
            "invest_completion": [0.55, 0.80, float("nan"), 0.55],
        },
        index=["甲镇", "乙镇", "丙镇", "丁镇"],
    )
    r = order_units(units, {})
    # 80% > 55% = 55% (tie: 开工率 100% before 0%) > no annual plan
    assert r["unit"].tolist() == ["乙镇", "甲镇", "丁镇", "丙镇"]
    assert r.set_index("unit")["note"].to_dict() == {"乙镇": "无计划新开工项目", "甲镇": "", "丁镇": "", "丙镇": "无年度计划投资"}
    assert (r["kind_zh"] == "全部单位").all() and r["rank"].isna().all() and (r["award"] == "").all()


def test_a_plans_own_rule_awards_with_a_typed_tone() -> None:
    """汉中 2022: 每季度通报前三名（红旗）和后三名（蜗牛）; the tone comes from the rule's ``end``."""
    m = load_report("hanzhong-2022", "2022Q3")
    assert m.scores is not None
    rk = m.ranking[m.ranking["unit_kind"] == "county"]
    ranked = rk[rk["rank"].notna()]
    top = ranked[ranked["rank"] <= 3]
    bottom = ranked[ranked["rank"] >= ranked["rank"].max() - 2]
    assert (top["award"] == "红旗").all() and (top["award_tone"] == AwardTone.GOOD.value).all()
    assert (bottom["award"] == "蜗牛").all() and (bottom["award_tone"] == AwardTone.BAD.value).all()
    assert set(rk.loc[rk["award"] == "", "award_tone"]) <= {""}
    chart = figures.ranking_chart(m)
    assert chart is not None and set(chart.data["tone"]) == {"top", "bottom", ""}


def test_chart_colour_follows_the_tone_not_the_label() -> None:
    data = pd.DataFrame(
        {"kind": ["县区"] * 3, "unit": ["甲", "乙", "丙"], "value": [90.0, 80.0, 70.0], "award": ["蜗牛", "红旗", ""], "tone": ["top", "bottom", ""]}
    )  # labels swapped on purpose
    fig = charts.ranking_chart(data, "考核得分（分）", higher_is_better=True)
    bars = fig.axes[0].patches
    colours = [to_hex(b.get_facecolor()) for b in bars]
    assert colours == [AwardTone.GOOD.color, AwardTone.BAD.color, Status.PENDING.color]
