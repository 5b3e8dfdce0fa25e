"""apply_scenario: new plan and tables from a scenario, inputs untouched, changes in Chinese."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from hzlib.arithmetic import required_growth
from hzlib.data import load_data
from hzlib.errors import InputError
from hzlib.evaluate.engine import EvaluationData, evaluate
from hzlib.evaluate.projects import project_status
from hzlib.periods import Period
from hzlib.plan import load_plan
from hzlib.plan.schema import Plan, Target
from hzlib.whatif import Scenario, apply_scenario, growth_path, load_scenario, validate_scenario
from hzlib.whatif.apply import _rescaled_schedule, apply_pace, apply_slips, select_slipped
from hzlib.whatif.tables import profile_levels, published_growth

FRAMES = ("ledger", "progress", "indicators", "profiles", "tasks")
BASE = Period.parse("2024Q2")


@pytest.fixture(scope="module")
def zhenba() -> tuple[Plan, EvaluationData]:
    return load_plan("zhenba-2024"), load_data("zhenba-2024").data


def scenario(**fields: Any) -> Scenario:
    s, problems = validate_scenario({"id": "t", "label": "测试", "plan": "zhenba-2024", "quarter": "2024Q2", **fields})
    assert s is not None, [str(p) for p in problems]
    return s


def snapshot(data: EvaluationData) -> dict[str, pd.DataFrame]:
    return {k: getattr(data, k).copy(deep=True) for k in FRAMES}


def assert_tables_equal(data: EvaluationData, frames: dict[str, pd.DataFrame]) -> None:
    for k in FRAMES:
        assert_frame_equal(getattr(data, k), frames[k], check_exact=True)


# ---- a scenario with no assumptions changes nothing ---------------------------------------------------
def test_empty_scenario_returns_equal_tables(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s = scenario()
    assert s.is_empty
    plan2, data2, changes = apply_scenario(plan, data, s)
    assert changes == [] and plan2 == plan
    assert_tables_equal(data2, snapshot(data))
    assert all(getattr(data2, k) is not getattr(data, k) for k in FRAMES)  # new objects
    assert data2.illustrative == data.illustrative


def test_inputs_are_never_mutated(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    before, plan_before = snapshot(data), copy.deepcopy(plan)
    s = load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)
    plan2, _data2, changes = apply_scenario(plan, data, s)
    assert_tables_equal(data, before)
    assert plan == plan_before and plan2 != plan
    assert {c.kind for c in changes} == {"target", "dates", "slip", "pace", "growth"}
    assert all(isinstance(str(c), str) and str(c) for c in changes)


def test_scenario_that_does_not_fit_raises_with_all_problems(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s = scenario(targets={"no_such_target": 5}, remove_projects=["ZB-404"])
    with pytest.raises(InputError) as exc:
        apply_scenario(plan, data, s)
    assert len(exc.value.errors) == 2 and "情景 t" in exc.value.render()


# ---- growth becomes indicator rows --------------------------------------------------------------------
def test_growth_rows_follow_the_growth_module(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s = scenario(growth=[{"indicator": "fai", "quarters": {"Q3": 6, "Q4": 10}}])
    _, data2, changes = apply_scenario(plan, data, s)
    profile = profile_levels(data.profiles, "镇巴县", "fai", 2023)
    published = published_growth(data.indicators, "镇巴县", "fai", BASE)
    assert profile is not None and published is not None
    path = growth_path(profile, 2, published[0], {3: 0.06, 4: 0.10})
    fai = data2.indicators[(data2.indicators["indicator"] == "fai")].set_index("period")
    assert list(fai.index) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]  # the recorded Q3 row is replaced
    assert fai.loc["2024Q3", "cum_yoy"] == pytest.approx(path.cumulative[3])
    assert fai.loc["2024Q4", "cum_yoy"] == pytest.approx(path.year_end)
    assert fai.loc["2024Q4", "level"] == pytest.approx(published[1] + path.levels[3] + path.levels[4])
    assert fai.loc["2024Q2", "cum_yoy"] == pytest.approx(0.077)  # published data stays
    assert "情景假设" in fai.loc["2024Q4", "source"]
    others = data2.indicators[data2.indicators["indicator"] != "fai"].reset_index(drop=True)
    assert_frame_equal(others, data.indicators[data.indicators["indicator"] != "fai"].reset_index(drop=True))
    assert "三季度6.0%、四季度10.0%" in str(changes[0]) and "2024年全年" in str(changes[0])


def test_assuming_the_growth_still_needed_meets_the_target(zhenba: tuple[Plan, EvaluationData]) -> None:
    """Through the one evaluation: required growth in every remaining quarter gives the annual target."""
    plan, data = zhenba
    profile = profile_levels(data.profiles, "镇巴县", "fai", 2023)
    published = published_growth(data.indicators, "镇巴县", "fai", BASE)
    assert profile is not None and published is not None
    r = required_growth(plan.target("fai_growth").fraction or 0.0, profile, published[0], 2)
    s = scenario(growth=[{"indicator": "fai", "flat": f"{r * 100!r}%"}])
    plan2, data2, _ = apply_scenario(plan, data, s)
    row = evaluate(plan2, "2024Q4", data2).targets.set_index("target_id").loc["fai_growth"]
    assert row["actual"] == pytest.approx(8.0, abs=1e-9)
    assert row["status"] == "met"


# ---- targets ---------------------------------------------------------------------------------------------
def test_changed_targets_give_a_new_plan(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s = scenario(targets={"county_key_investment": {"change": -10}, "fai_growth": 7.5, "county_new_start_rate": {"value": 90}})
    plan2, _, changes = apply_scenario(plan, data, s)
    assert plan2.target("county_key_investment").value == pytest.approx(45.86)
    assert plan2.target("fai_growth").value == 7.5 and plan2.target("fai_growth").fraction == 0.075
    assert plan2.target("county_new_start_rate").schedule == pytest.approx({"Q1": 72.0, "Q2": 90.0})
    assert plan.target("county_key_investment").value == 55.86
    assert [t.id for t in plan2.targets] == [t.id for t in plan.targets]
    assert "由 55.86亿元 调整为 45.86亿元" in " ".join(map(str, changes))
    ev = evaluate(plan2, "2024Q2", data).targets.set_index("target_id")
    assert ev.loc["county_key_investment", "checkpoint"] == pytest.approx(45.86 / 2)


def test_growth_schedules_move_by_points() -> None:
    t = Target.model_validate(
        {
            "id": "g",
            "label": "增长",
            "indicator": "fai",
            "measure": "growth",
            "value": 8,
            "unit": "%",
            "schedule": {"Q1": 6, "Q2": 7},
            "scope": {"jurisdiction": "甲"},
            "source": {"section": "一", "quote": "增长8%"},
        }
    )
    assert _rescaled_schedule(t, 7.0) == {"Q1": 5.0, "Q2": 6.0}


# ---- slips ----------------------------------------------------------------------------------------------
def twelve_new_starts(later_unit: str = "乙县") -> pd.DataFrame:
    """One planned new start a month, 2024-01-15 .. 2024-12-15; those of January..June have started.

    The first six are 甲县's, the last six ``later_unit``'s (also used by test_whatif_compare).
    """
    planned = pd.to_datetime([f"2024-{m:02d}-15" for m in range(1, 13)])
    return pd.DataFrame(
        {
            "project_id": [f"P{m:02d}" for m in range(1, 13)],
            "name": [f"项目{m}" for m in range(1, 13)],
            "unit": ["甲县"] * 6 + [later_unit] * 6,
            "level": ["county"] * 12,
            "ownership": ["private"] * 12,
            "batch": ["start"] * 12,
            "is_new_start": pd.array([True] * 12, dtype="boolean"),
            "total_investment": [1000.0] * 12,
            "annual_plan": [600.0] * 12,
            "planned_start": planned,
            "actual_start": planned.where(planned.month <= 6),
            "planned_completion": pd.to_datetime(["2025-12-31"] * 12),
            "actual_completion": pd.to_datetime([None] * 12),
        }
    )


def started_by_quarter(ledger: pd.DataFrame) -> list[int]:
    return [int(project_status(ledger, pd.DataFrame(), f"2024Q{q}")["started"].sum()) for q in range(1, 5)]


def test_slips_move_projects_between_quarters_without_losing_one(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, _ = zhenba
    data = EvaluationData(ledger=twelve_new_starts())
    s = scenario(dates="planned", slips=[{"new_starts": True, "start": 3}])
    _, planned_only, _ = apply_scenario(plan, data, scenario(dates="planned"))
    _, slipped, changes = apply_scenario(plan, data, s)
    assert started_by_quarter(planned_only.ledger) == [3, 6, 9, 12]
    assert started_by_quarter(slipped.ledger) == [3, 6, 6, 9]
    assert len(slipped.ledger) == len(data.ledger) == 12
    assert slipped.ledger["actual_start"].notna().sum() == 12  # nobody lost: three moved into 2025
    assert slipped.ledger["actual_start"].dt.year.value_counts().to_dict() == {2024: 9, 2025: 3}
    assert (slipped.ledger["planned_start"] == data.ledger["planned_start"]).all()  # the yardstick stays
    assert "推迟开工3个月" in str(changes[-1]) and "其中 3 个因此推迟到下一年" in str(changes[-1])


@pytest.mark.parametrize(
    "order, share, expected",
    [("latest_planned", 50, ["P12", "P11", "P10"]), ("project_id", 50, ["P07", "P08", "P09"]), ("latest_planned", 10, ["P12"])],
)
def test_share_of_projects_is_chosen_deterministically(order: str, share: float, expected: list[str]) -> None:
    s = scenario(slips=[{"new_starts": True, "start": 1, "share": share, "order": order}])
    idx = select_slipped(twelve_new_starts(), s.slips[0], BASE)
    assert twelve_new_starts().loc[idx, "project_id"].tolist() == expected


def test_count_and_unit_selection() -> None:
    s = scenario(slips=[{"unit": "乙县", "start": 1, "count": 2}, {"projects": ["P02"], "start": 1}])
    ledger = twelve_new_starts()
    assert ledger.loc[select_slipped(ledger, s.slips[0], BASE), "project_id"].tolist() == ["P12", "P11"]
    assert select_slipped(ledger, s.slips[1], BASE).empty  # P02 started in February: a fact does not slip
    _, changes = apply_slips(ledger, s.slips[1:], BASE)
    assert "没有尚未开工的项目" in str(changes[0])


def test_a_slip_never_lands_in_the_past_and_pushes_the_completion() -> None:
    ledger = twelve_new_starts()
    ledger.loc[2, "actual_start"] = pd.NaT  # P03 planned for March, not started by June
    ledger.loc[7, "actual_completion"] = pd.Timestamp("2024-09-30")  # P08 expected to finish in September
    s = scenario(slips=[{"projects": ["P03", "P08"], "start": 2}])
    out, _ = apply_slips(ledger, s.slips, BASE)
    assert out.loc[2, "actual_start"] == pd.Timestamp("2024-07-01")  # May would be in the past
    assert out.loc[7, "actual_start"] == pd.Timestamp("2024-10-15")
    assert out.loc[7, "actual_completion"] == pd.Timestamp("2024-11-30")
    assert ledger.loc[2, "actual_start"] is pd.NaT  # input untouched


def test_completion_slips_move_completions() -> None:
    ledger = twelve_new_starts()
    ledger["planned_completion"] = pd.to_datetime(["2024-11-30"] * 12)
    s = scenario(slips=[{"unit": "甲县", "completion": 2}])
    out, changes = apply_slips(ledger, s.slips, BASE)
    assert out.loc[:5, "actual_completion"].tolist() == [pd.Timestamp("2025-01-30")] * 6
    assert out.loc[6:, "actual_completion"].isna().all()
    assert "推迟竣工2个月" in str(changes[0]) and "推迟到下一年" in str(changes[0])


# ---- projects added and removed ----------------------------------------------------------------------------
def test_added_and_removed_projects(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    new = {
        "project_id": "ZB2024-9001",
        "name": "新增示例项目",
        "unit": "巴山镇",
        "level": "county",
        "ownership": "民间投资",
        "batch": "开工",
        "is_new_start": True,
        "total_investment": 5000,
        "annual_plan": 2000,
        "planned_start": "2024-08-01",
        "profit_tax_rate": 12,
    }
    s = scenario(add_projects=[new], remove_projects=["ZB2024-0005"])
    _, data2, changes = apply_scenario(plan, data, s)
    ledger = data2.ledger
    assert len(ledger) == len(data.ledger) and "ZB2024-0005" not in set(ledger["project_id"])
    assert "ZB2024-0005" not in set(data2.progress["project_id"]) and "ZB2024-0005" in set(data.progress["project_id"])
    row = ledger.set_index("project_id").loc["ZB2024-9001"]
    assert (row["ownership"], row["batch"], row["planned_start"]) == ("private", "start", pd.Timestamp("2024-08-01"))
    assert row["profit_tax_rate"] == pytest.approx(0.12)  # percent number in the file, fraction inside
    assert list(ledger.columns) == list(data.ledger.columns)
    assert ledger.dtypes.to_dict() == data.ledger.dtypes.to_dict()
    assert [c.kind for c in changes] == ["remove", "add"]
    evaluate(plan, "2024Q4", data2)  # the one evaluation takes the modified tables as they are


# ---- pace ---------------------------------------------------------------------------------------------------
def pace_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    ledger = pd.DataFrame(
        {
            "project_id": ["A", "B", "C"],
            "total_investment": [1000.0, 5000.0, 800.0],
            "annual_plan": [1200.0, 900.0, 0.0],
            "actual_start": pd.to_datetime(["2023-05-01", "2024-09-10", None]),
        }
    )
    months = [f"2024-{m:02d}" for m in range(1, 8)]
    progress = pd.DataFrame({"project_id": ["A"] * 7, "month": months, "completed_cum": [100.0 * m for m in range(1, 8)]})
    return ledger, progress


def cum(progress: pd.DataFrame, pid: str) -> list[float]:
    sel = progress[(progress["project_id"] == pid) & (progress["month"] > "2024-06")].sort_values("month")
    return sel["completed_cum"].tolist()


def test_pace_share_of_remaining_plan() -> None:
    ledger, progress = pace_tables()
    pace = scenario(pace={"basis": "share_of_remaining", "share": 20}).pace
    assert pace is not None
    out, changes = apply_pace(progress, ledger, pace, BASE)
    assert cum(out, "A") == [720.0, 840.0, 960.0, 1080.0, 1200.0, 1200.0]  # 20% of 600 a month, capped at the plan
    assert cum(out, "B") == [180.0, 360.0, 540.0, 720.0]  # from its start in September
    assert cum(out, "C") == []  # nothing planned, nothing done
    assert out[out["month"] <= "2024-06"].equals(progress[progress["month"] <= "2024-06"])
    assert "替换基期之后已有的 1 行" in str(changes[0])


def test_pace_average_so_far() -> None:
    ledger, progress = pace_tables()
    pace = scenario(pace={"basis": "average_so_far"}).pace
    assert pace is not None
    out, _ = apply_pace(progress, ledger, pace, BASE)
    assert cum(out, "A") == [700.0, 800.0, 900.0, 1000.0, 1000.0, 1000.0]  # 100 a month, capped at the total investment
    assert cum(out, "B") == []  # no pace so far, none assumed


def test_pace_through_the_evaluation(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s = scenario(pace={"basis": "share_of_remaining", "share": 100})
    _, data2, _ = apply_scenario(plan, data, s)
    st = project_status(data2.ledger, data2.progress, "2024Q4")
    started = st["actual_start"] <= pd.Timestamp("2024-06-30")
    has_plan = st["annual_plan"] > 0
    done = st.loc[started & has_plan]
    assert (done["completed_cum"] >= done["annual_plan"] - 1e-6).all()  # everything left is done in July


def test_a_scenario_only_changes_what_comes_after_the_base_quarter(zhenba: tuple[Plan, EvaluationData]) -> None:
    """Without changed targets or project lists, the base quarter evaluates exactly as before."""
    plan, data = zhenba
    full = load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)
    future_only = full.model_copy(update={"targets": {}})
    plan2, data2, _ = apply_scenario(plan, data, future_only)
    before = evaluate(plan, "2024Q2", data).targets
    after = evaluate(plan2, "2024Q2", data2).targets
    assert_frame_equal(after, before)
    assert not evaluate(plan2, "2024Q4", data2).targets.equals(evaluate(plan, "2024Q4", data).targets)
