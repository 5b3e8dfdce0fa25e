"""Year-end projections only for what accumulates: amounts, quantities and counts of many items.

A rate is never projected (镇巴's 45个重点项目完成率 was "全年约82.56%", 汉中 2023's 在建 rate
"101.82%"); a count of a few discrete items (新建110千伏变电站1座 was "全年约1.36座") is shown as
done, or as the whole items still to do with the time that remains.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from hzlib.evaluate import EvaluationData, evaluate
from hzlib.evaluate.measures import DISCRETE_COUNT_MAX, is_discrete, is_flow, projectable
from hzlib.plan import load_plan
from hzlib.report import load_report
from hzlib.report.tables import targets_numeric
from hzlib.report.views import target_rows


def _tasks(period: str, values: dict[str, float], units: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"target_id": list(values), "period": period, "value": list(values.values()), "unit": [units[k] for k in values], "source": None})


UNITS = {
    "river_treatment": "处",
    "new_110kv_substations": "座",
    "high_tech_firms": "家",
    "new_planned_projects": "个",
    "foreign_capital_used": "万美元",
    "tech_smes": "家",
}


def _zhenba(period: str, values: dict[str, float]) -> pd.DataFrame:
    plan = load_plan("zhenba-2024")
    return evaluate(plan, period, EvaluationData(tasks=_tasks(period, values, UNITS))).targets.set_index("target_id")


def test_the_typed_rule() -> None:
    plan = load_plan("zhenba-2024")
    sub, firms, many = plan.target("new_110kv_substations"), plan.target("high_tech_firms"), plan.target("new_planned_projects")
    assert DISCRETE_COUNT_MAX == 10
    assert is_discrete(sub) and is_discrete(firms) and not is_discrete(many)  # 1座, 5家; 300个
    assert is_flow(sub) and not projectable(sub) and projectable(many)
    # the boundary: ten items are discrete, eleven are many
    assert is_discrete(firms.model_copy(update={"value": 10.0})) and not is_discrete(firms.model_copy(update={"value": 11.0}))
    # a rate never accumulates, whatever its indicator: 计划投资完成率 and the 在建 rate
    assert not is_flow(plan.target("invest_completion"))
    assert not is_flow(load_plan("hanzhong-2023").target("in_progress_time_progress"))


def test_counts_of_many_and_amounts_are_projected_by_time_progress() -> None:
    t = _zhenba("2024Q3", {"new_planned_projects": 263.0, "foreign_capital_used": 39.81})
    # no seasonal profile in the data or the plan: by time progress, 9/12 = 75%
    assert t.loc["new_planned_projects", "projection"] == pytest.approx(263 / 0.75)  # 350.67个
    assert t.loc["foreign_capital_used", "projection"] == pytest.approx(53.08)  # 39.81 ÷ 0.75
    assert t.loc["new_planned_projects", "remaining"] == ""
    shown = target_rows(t.reset_index()).set_index("目标")
    assert "全年约350.67个" in shown.loc["新谋划项目个数", "说明"]


def test_discrete_items_are_done_or_whole_items_with_the_time_left() -> None:
    t = _zhenba("2024Q3", {"river_treatment": 1.0, "high_tech_firms": 4.0, "new_110kv_substations": 0.0})
    for tid in ("river_treatment", "high_tech_firms", "new_110kv_substations"):
        assert math.isnan(t.loc[tid, "projection"]) and t.loc[tid, "projection_method"] == ""
    assert t.loc["river_treatment", "remaining"] == "已完成（全年1处）"
    # 5家 a year, 4 by September: 1 to go, October to December
    assert t.loc["high_tech_firms", "remaining"] == "已完成4家（全年5家），尚差1家，剩余期限至12月31日（还有3个月）"
    assert t.loc["new_110kv_substations", "remaining"] == "尚未完成，剩余期限至12月31日（还有3个月）"
    shown = target_rows(t.reset_index()).set_index("目标")
    assert "全年约" not in shown.loc["新建110千伏变电站", "说明"]
    assert "尚未完成，剩余期限至12月31日（还有3个月）" in shown.loc["新建110千伏变电站", "说明"]
    # at June: six months left
    t2 = _zhenba("2024Q2", {"high_tech_firms": 2.0})
    assert t2.loc["high_tech_firms", "remaining"] == "已完成2家（全年5家），尚差3家，剩余期限至12月31日（还有6个月）"
    # at year end the status says it: nothing to add
    t4 = _zhenba("2024Q4", {"high_tech_firms": 4.0})
    assert t4.loc["high_tech_firms", "remaining"] == "" and math.isnan(t4.loc["high_tech_firms", "projection"])


def test_a_deadline_before_year_end_is_the_date_that_remains() -> None:
    from hzlib.evaluate.engine import _remaining
    from hzlib.periods import Period

    firms = load_plan("zhenba-2024").target("high_tech_firms")
    due_sep = firms.model_copy(update={"due": dt.date(2024, 9, 30)})
    assert _remaining(due_sep, 3.0, 3, Period.parse("2024Q2")) == "已完成3家（全年5家），尚差2家，剩余期限至9月30日（还有3个月）"
    assert _remaining(due_sep, 3.0, 3, Period.parse("2024Q3")) == "已完成3家（全年5家），尚差2家，完成期限（9月30日）已到"
    assert _remaining(firms, 6.0, 6, Period.parse("2024Q3")) == "已完成6家，超过全年5家"


def test_rates_are_never_projected() -> None:
    """镇巴 45个重点项目年度计划投资完成率: completed 2.0亿 of 5.0亿 planned at June is 40%, and stays 40%."""
    plan = load_plan("zhenba-2024")
    ledger = pd.DataFrame(
        {
            "project_id": ["a", "b"],
            "name": ["甲", "乙"],
            "unit": ["泾洋街道"] * 2,
            "level": ["county"] * 2,
            "ownership": ["state"] * 2,
            "batch": ["start", "start"],
            "is_new_start": [True, False],
            "total_investment": [50000.0, 80000.0],
            "annual_plan": [20000.0, 30000.0],
            "planned_start": pd.to_datetime(["2024-03-01", "2022-05-01"]),
            "actual_start": pd.to_datetime(["2024-03-10", "2022-05-01"]),
            "planned_completion": pd.to_datetime(["2026-01-01", "2025-06-01"]),
        }
    )
    progress = pd.DataFrame({"project_id": ["a", "b"], "month": ["2024-06", "2024-06"], "completed_cum": [6000.0, 14000.0]})
    t = evaluate(plan, "2024Q2", EvaluationData(ledger=ledger, progress=progress)).targets.set_index("target_id")
    rate = t.loc["invest_completion"]
    assert rate["actual"] == pytest.approx(40.0)  # (6000 + 14000) ÷ (20000 + 30000)
    assert math.isnan(rate["projection"]) and rate["projection_method"] == "" and rate["remaining"] == ""  # was 80%


@pytest.mark.parametrize(("plan", "period"), [("zhenba-2024", "2024Q3"), ("hanzhong-2023", "2023Q3"), ("xian-port-2023", "2023Q3")])
def test_bundled_bulletins_project_only_what_accumulates(plan: str, period: str) -> None:
    m = load_report(plan, period)
    t = m.targets
    projected = t[t["projection"].notna()]  # 汉中 2023: none (its two projected figures were rates)
    assert set(projected["measure"]) <= {"amount", "quantity", "count"}
    assert all(not is_discrete(m.plan.target(i)) for i in projected["target_id"])
    # the figures the review found: no rate projected, no "1.36座"
    for tid in ("invest_completion", "in_progress_time_progress", "city_key_invest_over", "new_110kv_substations", "river_treatment"):
        if tid in set(t["target_id"]):
            assert math.isnan(m.target(tid)["projection"])
    if plan == "zhenba-2024":  # investment still is: 县重点项目完成年度投资
        assert m.target("county_key_investment")["projection"] > m.target("county_key_investment")["actual"]
    # the workbook carries the same words as the page
    sheet = targets_numeric(m)
    assert sheet["尚差及剩余期限"].tolist() == t["remaining"].tolist()
