"""The plan's project list (汉中 2022 附件2): thresholds, classes, overlaps, reasons."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from hzlib.data import load_data
from hzlib.evaluate import evaluate
from hzlib.evaluate.classify import classify_projects, list_mismatches, list_summary
from hzlib.plan import load_plan
from hzlib.plan.schema import ProjectList

YEAR = 2022


def _rule(**over: object) -> ProjectList:
    spec: dict[str, object] = {
        "label": "高质量项目清单",
        "min_total_investment": {"value": 1, "unit": "亿元"},
        "min_total_investment_foreign": {"value": 5000, "unit": "万美元"},
        "classes": [
            {"id": "start", "label": "开工项目", "start_offset": [0, 0], "priority": 1},
            {"id": "complete", "label": "竣工项目", "completion_offset": [0, 0], "priority": 2},
            {"id": "advance", "label": "推进项目", "start_offset": [None, -1], "completion_offset": [1, None], "priority": 3},
            {"id": "reserve", "label": "储备项目", "start_offset": [1, 1], "priority": 4},
            {"id": "plan", "label": "谋划项目", "start_offset": [2, 3], "priority": 5},
        ],
        "source": {"section": "附件2 高质量项目清单建立指引", "quote": "以上五类项目互不交叉"},
    }
    spec.update(over)
    return ProjectList.model_validate(spec)


def _ledger(rows: list[dict[str, object]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in ("planned_start", "planned_completion", "actual_start", "actual_completion"):
        df[c] = pd.to_datetime(df.get(c, pd.Series([None] * len(df))))
    if "ownership" not in df:
        df["ownership"] = "state"
    df["ownership"] = df["ownership"].fillna("state")
    if "total_investment_usd" not in df:
        df["total_investment_usd"] = float("nan")
    return df


def _one(out: pd.DataFrame, pid: str) -> pd.Series:
    return out.set_index("project_id").loc[pid]


def test_classes_by_planned_year() -> None:
    led = _ledger(
        [
            {"project_id": "plan", "total_investment": 2e4, "planned_start": "2024-05-01", "planned_completion": "2026-01-01"},
            {"project_id": "plan_far", "total_investment": 2e4, "planned_start": "2025-05-01"},
            {"project_id": "too_far", "total_investment": 2e4, "planned_start": "2026-05-01"},
            {"project_id": "reserve", "total_investment": 2e4, "planned_start": "2023-02-01", "planned_completion": "2024-01-01"},
            {"project_id": "start", "total_investment": 2e4, "planned_start": "2022-02-01", "planned_completion": "2024-01-01"},
            {"project_id": "advance", "total_investment": 2e4, "planned_start": "2020-02-01", "planned_completion": "2023-06-30"},
            {"project_id": "complete", "total_investment": 2e4, "planned_start": "2020-02-01", "planned_completion": "2022-06-30"},
        ]
    )
    out = classify_projects(led, _rule(), YEAR)
    got = dict(zip(out["project_id"], out["list_class"]))
    assert got == {"plan": "plan", "plan_far": "plan", "too_far": None, "reserve": "reserve", "start": "start", "advance": "advance", "complete": "complete"}
    assert _one(out, "too_far")["reason"] == "不属于任何一类（计划开工2026年、计划竣工未填）"
    assert not bool(_one(out, "too_far")["in_list"])


def test_threshold_includes_the_amount_itself_and_reasons_name_it() -> None:
    led = _ledger(
        [
            {"project_id": "at", "total_investment": 10000.0, "planned_start": "2022-03-01", "planned_completion": "2023-03-01"},
            {"project_id": "below", "total_investment": 9999.99, "planned_start": "2022-03-01", "planned_completion": "2023-03-01"},
            {"project_id": "blank", "total_investment": None, "planned_start": "2022-03-01", "planned_completion": "2023-03-01"},
        ]
    )
    out = classify_projects(led, _rule(), YEAR)
    assert bool(_one(out, "at")["in_list"]) and _one(out, "at")["list_class"] == "start"
    assert _one(out, "below")["reason"] == "总投资9,999.99万元，不足1亿元"
    assert pd.isna(_one(out, "blank")["in_list"])
    assert _one(out, "blank")["reason"] == "总投资未填，无法判定是否达到入库门槛"


def test_foreign_projects_use_the_dollar_threshold_only() -> None:
    led = _ledger(
        [
            # 2.01亿元 passes the CNY threshold, but 3000万美元 < 5000万美元: outside
            {
                "project_id": "f3000",
                "ownership": "foreign",
                "total_investment": 20100.0,
                "total_investment_usd": 3000.0,
                "planned_start": "2022-03-01",
                "planned_completion": "2024-01-01",
            },
            {
                "project_id": "f5000",
                "ownership": "foreign",
                "total_investment": 33500.0,
                "total_investment_usd": 5000.0,
                "planned_start": "2022-03-01",
                "planned_completion": "2024-01-01",
            },
            {"project_id": "f_nousd", "ownership": "foreign", "total_investment": 50000.0, "planned_start": "2022-03-01", "planned_completion": "2024-01-01"},
        ]
    )
    out = classify_projects(led, _rule(), YEAR)
    assert not bool(_one(out, "f3000")["in_list"])
    assert _one(out, "f3000")["reason"] == "外资项目总投资3,000万美元，不足5,000万美元"
    assert bool(_one(out, "f5000")["in_list"])
    # no dollar amount and no stated rate: undecided, never guessed
    assert pd.isna(_one(out, "f_nousd")["in_list"])
    assert "方案未给汇率" in _one(out, "f_nousd")["reason"]
    # with a rate the plan states, the 万元 amount is converted: 50000 / 7 = 7142.9万美元 ≥ 5000
    out = classify_projects(led, _rule(), YEAR, cny_per_usd=7.0)
    assert bool(_one(out, "f_nousd")["in_list"])
    # without a foreign threshold, foreign projects are held to the CNY one
    out = classify_projects(led, _rule(min_total_investment_foreign=None), YEAR)
    assert bool(_one(out, "f3000")["in_list"])


def test_overlap_goes_to_the_lowest_priority_and_stays_visible() -> None:
    led = _ledger([{"project_id": "quick", "total_investment": 2e4, "planned_start": "2022-02-01", "planned_completion": "2022-11-30"}])
    out = classify_projects(led, _rule(), YEAR)
    assert _one(out, "quick")["list_class"] == "start"
    assert _one(out, "quick")["matched"] == "start+complete"
    # swapping priorities swaps the class (the rule is data)
    rule = _rule()
    swapped = rule.model_copy(update={"classes": [c.model_copy(update={"priority": {"start": 2, "complete": 1}.get(c.id, c.priority)}) for c in rule.classes]})
    assert _one(classify_projects(led, swapped, YEAR), "quick")["list_class"] == "complete"


def test_actual_dates_fill_missing_planned_ones() -> None:
    led = _ledger([{"project_id": "old", "total_investment": 2e4, "actual_start": "2019-04-01", "planned_completion": "2025-01-01"}])
    out = classify_projects(led, _rule(), YEAR)
    assert _one(out, "old")["list_class"] == "advance"
    assert int(_one(out, "old")["start_year"]) == 2019


def test_exclusive_rule_needs_distinct_priorities() -> None:
    classes = [
        {"id": "start", "label": "开工项目", "start_offset": [0, 0], "priority": 1},
        {"id": "complete", "label": "竣工项目", "completion_offset": [0, 0], "priority": 1},
    ]
    with pytest.raises(ValidationError, match="priority 必须互不相同"):
        _rule(classes=classes)
    assert _rule(classes=classes, exclusive=False).exclusive is False


def test_summary_and_mismatches() -> None:
    led = _ledger(
        [
            {"project_id": "a", "batch": "start", "total_investment": 1e4, "planned_start": "2022-02-01", "planned_completion": "2023-01-01"},
            {"project_id": "b", "batch": "advance", "total_investment": 3e4, "planned_start": "2021-02-01", "planned_completion": "2022-10-01"},
            {"project_id": "c", "batch": "start", "total_investment": 5e3, "planned_start": "2022-02-01", "planned_completion": "2023-01-01"},
        ]
    )
    out = classify_projects(led, _rule(), YEAR)
    summ = list_summary(out, _rule()).set_index("class")
    assert summ.loc["start", "projects"] == 1 and summ.loc["start", "total_investment"] == 1e4
    assert summ.loc["complete", "projects"] == 1 and summ.loc["complete", "total_investment"] == 3e4
    assert summ.loc["outside", "projects"] == 1 and summ.loc["outside", "total_investment"] == 5e3
    assert summ["projects"].sum() == len(led)
    mm = list_mismatches(out)
    assert mm["project_id"].tolist() == ["b"]  # ledger says 推进, the dates say 竣工
    assert mm["list_class"].tolist() == ["complete"]


def test_bundled_hanzhong_ledger_is_classed_without_loss() -> None:
    plan = load_plan("hanzhong-2022")
    loaded = load_data("hanzhong-2022", year=plan.year)
    ev = evaluate(plan, "2022Q3", loaded.data)
    pl = ev.project_list
    assert len(pl) == len(loaded.data.ledger)  # every ledger row is accounted for
    summ = list_summary(pl, plan.project_list)
    assert summ["projects"].sum() == len(pl)
    outside = pl[pl["in_list"].eq(False).fillna(False).astype(bool)]
    assert (outside["reason"] != "").all()
    # the 3000万美元 foreign project is outside although its 万元 amount is over 1亿元
    f = outside[outside["ownership"].eq("foreign") & (outside["total_investment"] >= 1e4)]
    assert len(f) >= 1
    # every project the ledger classes as 开工/推进/竣工/储备/谋划 and the rule puts in the list agrees
    assert list_mismatches(pl).empty
    assert pl["matched"].str.contains("+", regex=False).sum() >= 1


def test_plans_without_a_list_rule_get_no_list() -> None:
    plan = load_plan("zhenba-2024")
    loaded = load_data("zhenba-2024", year=plan.year)
    assert evaluate(plan, "2024Q2", loaded.data).project_list.empty


def test_thresholds_must_be_in_the_right_currency() -> None:
    with pytest.raises(ValidationError, match="外资项目门槛应为美元金额"):
        _rule(min_total_investment_foreign={"value": 3, "unit": "亿元"})
    with pytest.raises(ValidationError, match="入库门槛应为人民币金额"):
        _rule(min_total_investment={"value": 1500, "unit": "万美元"})
