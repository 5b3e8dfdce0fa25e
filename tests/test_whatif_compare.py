"""compare: the baseline against scenarios through the one build_report, for every bundled plan."""

from __future__ import annotations

import copy
import math
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from test_whatif_apply import twelve_new_starts  # the same twelve projects as apply's slip tests

from hzlib.data import load_data
from hzlib.errors import InputError, UsageError
from hzlib.evaluate.coverage import data_coverage
from hzlib.evaluate.engine import EvaluationData
from hzlib.plan import list_plan_ids, load_plan
from hzlib.plan.schema import Basis, Measure, Plan, Target
from hzlib.whatif import Scenario, load_scenario, validate_scenario
from hzlib.whatif.compare import ASSUMED_ZH, COMPARE_COLUMNS, NEW_START_COLUMNS, WhatIf, compare
from hzlib.whatif.tables import profile_levels

PLANS = list_plan_ids()
FRAMES = ("ledger", "progress", "indicators", "profiles", "tasks")


@cache
def inputs(plan_id: str) -> tuple[Plan, EvaluationData]:
    plan = load_plan(plan_id)
    return plan, load_data(plan_id, year=plan.year, plan=plan).data


def scenario(plan: Plan, quarter: str, **fields: Any) -> Scenario:
    s, problems = validate_scenario({"id": fields.pop("id", "t"), "label": fields.pop("label", "测试"), "plan": plan.id, "quarter": quarter, **fields})
    assert s is not None, [str(p) for p in problems]
    return s


def with_fai_target(plan: Plan, value: float) -> Plan:
    """The plan with a statistics FAI growth target of ``value`` % (added when the plan has none)."""
    targets = [t for t in plan.targets if not (t.indicator == "fai" and t.measure is Measure.GROWTH)]
    fai = Target.model_validate(
        {
            "id": "fai_growth",
            "label": "固定资产投资增长",
            "indicator": "fai",
            "measure": "growth",
            "value": value,
            "unit": "%",
            "basis": "statistics",
            "scope": {"jurisdiction": plan.jurisdiction},
            "source": {"section": "测试", "quote": "增长"},
            "small_percent": True,
        }
    )
    return plan.model_copy(update={"targets": [*targets, fai]})


def base_quarters(plan: Plan, data: EvaluationData) -> list[str]:
    end = data_coverage(data, plan.year).end_month or 0
    return [f"{plan.year}Q{q}" for q in (1, 2, 3) if 3 * q <= end]


def row(w: WhatIf, target_id: str, scenario_id: str | None = None) -> pd.Series:
    t = w.table()
    sel = t[(t["target_id"] == target_id) & (t["scenario_id"] == (scenario_id or w.scenarios[0].id))]
    assert len(sel) == 1
    return sel.iloc[0]


# ---- assuming exactly the growth still needed lands exactly on the target ---------------------------------
@pytest.mark.parametrize("plan_id", PLANS)
def test_required_growth_lands_on_every_growth_target(plan_id: str) -> None:
    """Every bundled plan (an FAI target of 8% added where the plan has none), every base quarter
    with data: the growth still needed, assumed flat, gives each target exactly through compare."""
    plan0, data = inputs(plan_id)
    plan = plan0 if any(t.indicator == "fai" and t.measure is Measure.GROWTH for t in plan0.targets) else with_fai_target(plan0, 8.0)
    quarters = base_quarters(plan, data)
    assert quarters
    for quarter in quarters:
        first = compare(plan, data, quarter)
        assert first.growth, first.growth_notes
        growth = [{"indicator": g.indicator, "jurisdiction": g.jurisdiction, "flat": f"{g.required.seasonal * 100!r}%"} for g in first.growth]
        w = compare(plan, data, quarter, [scenario(plan, quarter, growth=growth)])
        for g in w.growth:
            r = row(w, g.target_id)
            assert r["scenario_period"] == f"{plan.year}Q4"
            assert r["scenario_actual"] == pytest.approx(g.target * 100, abs=1e-9), (quarter, g.target_id)
            assert r["scenario_status"] == "met"
            # the evaluation's own figures (a percent keeps 10 decimals at the crossing, hzlib.units.to_percent)
            assert g.required.seasonal * 100 == pytest.approx(r["base_required_growth"], abs=1e-9)
            assert g.cum_growth * 100 == pytest.approx(r["base_actual"], abs=1e-9)
            (point,) = g.points
            assert point.year_end == pytest.approx(g.target, abs=1e-11) and point.reaches(g.target)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.integers(min_value=-50, max_value=250).map(lambda x: x / 10), q=st.sampled_from([1, 2, 3]))
def test_required_growth_lands_on_any_target_through_compare(target: float, q: int) -> None:
    plan0, data = inputs("zhenba-2024")
    plan = with_fai_target(plan0, target)
    quarter = f"2024Q{q}"
    g = compare(plan, data, quarter).outlook("fai_growth")
    r = g.required
    s = scenario(plan, quarter, growth=[{"indicator": "fai", "flat": f"{r.seasonal * 100!r}%"}])
    w = compare(plan, data, quarter, [s])
    assert row(w, "fai_growth")["scenario_actual"] == pytest.approx(target, abs=1e-9)
    if q == 3:  # one quarter left: the break-even rate is the growth still needed
        assert w.outlook("fai_growth").grid.break_even.rate == pytest.approx(r.seasonal, abs=1e-12)


def test_a_point_on_the_break_even_line_reaches_the_target() -> None:
    plan, data = inputs("zhenba-2024")
    g = compare(plan, data, "2024Q2").outlook("fai_growth")
    q3 = 0.06
    q4 = g.grid.break_even.col_for(q3)
    s = scenario(plan, "2024Q2", growth=[{"indicator": "fai", "quarters": {"Q3": f"{q3 * 100!r}%", "Q4": f"{q4 * 100!r}%"}}])
    w = compare(plan, data, "2024Q2", [s])
    assert row(w, "fai_growth")["scenario_actual"] == pytest.approx(8.0, abs=1e-9)
    (p,) = w.outlook("fai_growth").points
    assert (p.row, p.col) == (pytest.approx(q3), pytest.approx(q4))


# ---- a scenario without assumptions is the baseline ---------------------------------------------------------
@pytest.mark.parametrize("plan_id", PLANS)
def test_a_scenario_without_assumptions_equals_the_baseline(plan_id: str) -> None:
    plan, data = inputs(plan_id)
    latest = base_quarters(plan, data)[-1]
    empty = scenario(plan, latest)
    assert empty.is_empty
    w = compare(plan, data, latest, [empty])  # nothing extends the data: evaluated where the data ends
    r = w.scenarios[0]
    assert r.partial and r.period == w.period and "无法评价" in r.note_zh
    assert_frame_equal(r.model.targets, w.base.targets)
    t = w.table()
    assert t["scenario_status"].tolist() == t["base_status"].tolist()
    assert np.array_equal(t["scenario_actual"].to_numpy(), t["base_actual"].to_numpy(), equal_nan=True)
    assert ((t["change"] == 0) | t["change"].isna()).all()


def test_an_empty_scenario_at_the_base_quarter_equals_the_baseline_when_data_go_further() -> None:
    plan, data = inputs("zhenba-2024")  # data reach September
    w = compare(plan, data, "2024Q2", [scenario(plan, "2024Q2")], at="Q2")
    assert not w.scenarios[0].partial
    assert_frame_equal(w.scenarios[0].model.targets, w.base.targets)


# ---- slips -------------------------------------------------------------------------------------------------------
def test_slips_move_new_starts_between_quarters_without_losing_one() -> None:
    plan, data = inputs("zhenba-2024")
    pace = {"basis": "average_so_far"}
    planned = scenario(plan, "2024Q2", id="planned", dates="planned", pace=pace)
    slipped = scenario(plan, "2024Q2", id="slipped", dates="planned", pace=pace, slips=[{"new_starts": True, "start": 3, "count": 5}])
    w = compare(plan, data, "2024Q2", [planned, slipped])
    ns = w.new_starts().set_index("scenario_id")
    assert list(w.new_starts().columns) == NEW_START_COLUMNS
    assert (ns["q4"] + ns["next_year"] + ns["no_date"] == ns["planned"]).all()  # nobody is lost
    assert ns["planned"].nunique() == 1
    assert ns.loc["slipped", "q2"] == ns.loc["planned", "q2"] == ns.loc["base", "q2"]  # facts do not move
    a, b = ns.loc["planned", ["q1", "q2", "q3", "q4"]].to_numpy(), ns.loc["slipped", ["q1", "q2", "q3", "q4"]].to_numpy()
    assert (b <= a).all() and (a - b).max() > 0
    assert len(w.scenario("slipped").tables.ledger) == len(data.ledger)
    for target in ("county_new_start_rate", "city_new_start_rate"):
        assert row(w, target, "slipped")["scenario_actual"] <= row(w, target, "planned")["scenario_actual"]


def test_slips_of_twelve_projects_through_compare() -> None:
    """One planned new start a month; a three-month slip: 3/6/9/12 become 3/6/6/9 and three start next year."""
    plan, _ = inputs("zhenba-2024")
    data = EvaluationData(ledger=twelve_new_starts(later_unit="甲县"))  # all twelve in 甲县
    w = compare(
        plan,
        data,
        "2024Q2",
        [scenario(plan, "2024Q2", id="p", dates="planned"), scenario(plan, "2024Q2", id="s", dates="planned", slips=[{"new_starts": True, "start": 3}])],
    )
    ns = w.new_starts().set_index("scenario_id")
    assert ns.loc["p", ["q1", "q2", "q3", "q4", "next_year", "no_date"]].tolist() == [3, 6, 9, 12, 0, 0]
    assert ns.loc["s", ["q1", "q2", "q3", "q4", "next_year", "no_date"]].tolist() == [3, 6, 6, 9, 3, 0]
    assert ns.loc["base", ["q4", "no_date"]].tolist() == [6, 6]


# ---- what the model says about itself -------------------------------------------------------------------------
def test_every_scenario_figure_is_marked_as_an_assumption() -> None:
    plan, data = inputs("zhenba-2024")
    s = load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)
    w = compare(plan, data, "2024Q2", [s])
    r = w.scenarios[0]
    assert r.assumed and r.model.extra["assumed"] is True and r.model.extra["scenario_id"] == "q3-slow"
    assert ASSUMED_ZH in r.heading and ASSUMED_ZH in r.banner and ASSUMED_ZH in str(r.model.extra["heading"])
    assert "不是统计数据" in r.banner and "实际数据截至2024年9月" in r.banner
    t = w.table()
    assert list(t.columns) == COMPARE_COLUMNS and t["assumed"].all()
    assert len(t) == len(plan.targets)
    assert ASSUMED_ZH in w.banner and ASSUMED_ZH in repr(w)
    assert r.model.extra["changes"] == tuple(str(c) for c in r.changes)


def test_figures_come_from_the_one_evaluation() -> None:
    plan, data = inputs("zhenba-2024")
    s = load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)
    w = compare(plan, data, "2024Q2", [s])
    r = w.scenarios[0]
    ev = r.model.targets.set_index("target_id")
    t = w.table().set_index("target_id")
    for col, src in (("scenario_actual", "actual"), ("scenario_checkpoint", "checkpoint"), ("scenario_gap", "gap"), ("scenario_status", "status")):
        assert np.array_equal(t[col].to_numpy(), ev[src].to_numpy(), equal_nan=True) if t[col].dtype.kind == "f" else t[col].tolist() == ev[src].tolist()
    base = w.base.targets.set_index("target_id")
    assert np.array_equal(t["base_actual"].to_numpy(), base["actual"].to_numpy(), equal_nan=True)
    assert t.loc["county_key_investment", "scenario_annual_value"] == pytest.approx(45.86)  # the scenario's target
    assert t.loc["county_key_investment", "base_annual_value"] == pytest.approx(55.86)
    assert t.loc["fai_growth", "change"] == pytest.approx(t.loc["fai_growth", "scenario_actual"] - t.loc["fai_growth", "base_actual"])
    fai = w.outlook("fai_growth")
    (p,) = fai.points
    assert p.year_end * 100 == pytest.approx(t.loc["fai_growth", "scenario_actual"], abs=1e-12)
    assert (p.row, p.col) == (pytest.approx(0.06), pytest.approx(0.10))  # Q3 6%, Q4 10% as the file says


def test_growth_outlook_says_why_a_target_is_left_out() -> None:
    plan, data = inputs("zhenba-2024")
    w = compare(plan, data, "2024Q2")
    growth_targets = [t for t in plan.targets if t.measure is Measure.GROWTH]
    assert len(w.growth) + len(w.growth_notes) == len(growth_targets)
    assert all("任务报送" in n for n in w.growth_notes)
    for g in w.growth:
        assert not g.band.available and "少于3年" in g.band.reason_zh  # one past year in the bundled data
        assert profile_levels(data.profiles, g.jurisdiction, g.indicator, 2023) == list(g.profile)


def test_history_band_when_past_years_exist() -> None:
    plan, data = inputs("zhenba-2024")
    fai = data.profiles[(data.profiles["indicator"] == "fai") & (data.profiles["jurisdiction"] == "镇巴县")].iloc[[-1]]
    extra = pd.concat([fai.assign(year=y, q1=fai["q1"] * f) for y, f in ((2020, 0.9), (2021, 1.1), (2022, 1.0))])
    data2 = EvaluationData(**{k: getattr(data, k) for k in FRAMES}, illustrative=data.illustrative)
    data2.profiles = pd.concat([data.profiles, extra], ignore_index=True)
    band = compare(plan, data2, "2024Q2").outlook("fai_growth").band
    assert band.available and band.years == (2020, 2021, 2022, 2023)
    assert band.low <= band.median <= band.high


def test_a_scenario_that_extends_no_source_is_evaluated_where_the_data_end() -> None:
    plan, data = inputs("zhenba-2024")
    cut = scenario(plan, "2024Q3", targets={"county_key_investment": {"change": -10}})
    w = compare(plan, data, "2024Q3", [cut])
    r = w.scenarios[0]
    assert r.partial and r.period.label() == "2024Q3" and r.model.partial
    assert "2024年9月以后" in r.note_zh and r.note_zh in row(w, "county_key_investment")["note"]
    assert row(w, "county_key_investment")["scenario_checkpoint"] == pytest.approx(45.86 * 0.75)


def test_a_growth_only_scenario_says_why_ledger_targets_have_no_figure() -> None:
    plan, data = inputs("zhenba-2024")
    s = scenario(plan, "2024Q2", growth=[{"indicator": "fai", "quarters": {"Q3": 6, "Q4": 10}}])
    w = compare(plan, data, "2024Q2", [s])
    r = row(w, "invest_completion")
    assert r["scenario_status"] == "no_data" and "进度数据截至2024年9月" in r["note"]


def test_inputs_are_not_changed() -> None:
    plan, data = inputs("zhenba-2024")
    before = {k: getattr(data, k).copy(deep=True) for k in FRAMES}
    plan_before = copy.deepcopy(plan)
    compare(plan, data, "2024Q2", [load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)])
    for k in FRAMES:
        assert_frame_equal(getattr(data, k), before[k])
    assert plan == plan_before


@pytest.mark.parametrize(
    "quarter, scenarios, at, words",
    [
        ("2024Q3", ["q3-slow"], None, "基期为 2024Q2，与所选基期 2024Q3 不同"),
        ("2024Q2", ["q3-slow", "q3-slow"], None, "情景 id 重复"),
        ("2024Q2", [], "2024Q1", "情景评价期应为基期 2024Q2 至 2024Q4 之间的季度"),
        ("2024Q2", [], "2024-08", "情景评价期应为基期"),
    ],
)
def test_usage_errors(quarter: str, scenarios: list[str], at: str | None, words: str) -> None:
    plan, data = inputs("zhenba-2024")
    loaded = [load_scenario("zhenba-2024", s, plan=plan, tables=data) for s in scenarios]
    with pytest.raises(UsageError) as exc:
        compare(plan, data, quarter, loaded, at=at)
    assert words in exc.value.render()


def test_a_year_end_base_leaves_nothing_to_assume() -> None:
    plan, data = inputs("zhenba-2024")
    d = EvaluationData(**{k: getattr(data, k) for k in FRAMES})
    d.indicators = pd.concat([d.indicators, d.indicators.tail(1).assign(period="2024Q4")], ignore_index=True)
    with pytest.raises(UsageError, match="已是四季度"):
        compare(plan, d, "2024Q4")


def test_a_scenario_that_does_not_fit_raises_every_problem() -> None:
    plan, data = inputs("zhenba-2024")
    bad = scenario(plan, "2024Q2", targets={"no_such": 5}, remove_projects=["ZB-404"])
    with pytest.raises(InputError) as exc:
        compare(plan, data, "2024Q2", [bad])
    assert len(exc.value.errors) == 2


def test_statistics_growth_targets_of_xian_port() -> None:
    plan, data = inputs("xian-port-2023")
    s = load_scenario("xian-port-2023", "h2-target-cut", plan=plan, tables=data)
    w = compare(plan, data, "2023Q2", [s])
    ids = {g.target_id for g in w.growth}
    assert {"fai_growth", "private_inv_growth"} <= ids
    assert all(t.measure is Measure.GROWTH and t.basis is not Basis.REPORT for t in plan.targets if t.id in ids)
    r = row(w, "fai_growth")
    assert r["scenario_annual_value"] == 10 and r["base_annual_value"] == 12  # the scenario's own target
    assert not math.isnan(r["scenario_actual"])


def test_a_scenario_report_says_it_is_not_scored_not_that_the_plan_has_no_rules() -> None:
    """安康 2019 has 附件3 scoring rules: its scenario bulletin ranks by rates and says why truthfully."""
    from hzlib.whatif import scenario_models

    [model] = scenario_models("ankang-2019", "2019Q2", ["h2-steady"]).values()
    assert model.scores is None
    assert "情景推算不计考核评分" in model.ranking_basis and "计划未规定评比办法" not in model.ranking_basis
    assert not any("计划未规定评比办法" in s for s in model.sentences)
