"""Evaluation: worked examples on small frames, and the bundled data end to end."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hzlib.arithmetic import Status
from hzlib.data import load_data
from hzlib.evaluate import EvaluationData, evaluate
from hzlib.evaluate import projects as pj
from hzlib.evaluate.coverage import data_coverage
from hzlib.evaluate.engine import status_of
from hzlib.plan import load_plan


def _ledger() -> tuple[pd.DataFrame, pd.DataFrame]:
    ledger = pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d", "e"],
            "name": ["甲项目", "乙项目", "丙项目", "丁项目", "储备项目"],
            "unit": ["甲县", "甲县", "乙县", "乙县", "乙县"],
            "level": ["city", "city", "city", "county", "county"],
            "ownership": ["private", "state", "private", "government", "private"],
            "is_industry": [True, False, True, False, True],
            "batch": ["start", "start", "advance", "complete", "reserve"],
            "is_new_start": [True, True, False, False, False],
            "total_investment": [1000.0, 2000.0, 5000.0, 800.0, 300.0],
            "annual_plan": [400.0, 600.0, 1000.0, 200.0, 0.0],
            "planned_start": pd.to_datetime(["2023-02-01", "2023-05-01", "2021-01-01", "2021-06-01", "2024-03-01"]),
            "actual_start": pd.to_datetime(["2023-03-01", None, "2021-02-01", "2021-06-01", None]),
            "planned_completion": pd.to_datetime(["2025-01-01", "2025-01-01", "2024-12-01", "2023-06-15", "2026-01-01"]),
            "actual_completion": pd.to_datetime([None, None, None, None, None]),
            "proc_planning": pd.to_datetime(["2023-01-01", "2023-01-01", None, None, None]),
            "proc_land": pd.to_datetime(["2023-01-05", None, None, None, None]),
            "proc_eia": pd.to_datetime(["2023-01-05", "2023-02-01", None, None, None]),
            "proc_energy": pd.to_datetime(["2023-01-09", "2023-02-01", None, None, None]),
        }
    )
    progress = pd.DataFrame(
        {
            "project_id": ["a", "a", "c", "c", "d"],
            "month": ["2023-03", "2023-06", "2023-03", "2023-06", "2023-06"],
            "completed_cum": [50.0, 150.0, 300.0, 520.0, 100.0],
        }
    )
    return ledger, progress


def test_unit_rates_worked_example() -> None:
    ledger, progress = _ledger()
    st = pj.project_status(ledger, progress, "2023Q2")
    assert st.set_index("project_id")["procedures_done"].to_dict() == {"a": True, "b": False, "c": False, "d": False, "e": False}
    r = pj.unit_rates(st, "2023Q2")
    # 甲县: 2 new starts, 1 started; 150 of 1000 万元 → 15% against 50% time progress
    assert float(r.loc["甲县", "start_rate"]) == 0.5
    assert float(r.loc["甲县", "procedure_rate"]) == 0.5
    assert float(r.loc["甲县", "invest_completion"]) == pytest.approx(0.15)
    assert float(r.loc["甲县", "invest_gap_pp"]) == pytest.approx(-35.0)
    # 乙县: no new starts → start rate undefined, not zero
    assert math.isnan(r.loc["乙县", "start_rate"])
    # d was due to complete by June and has not
    assert pj.missed_completions(st)["project_id"].tolist() == ["d"]
    assert pj.not_started(st)["project_id"].tolist() == ["b"]
    assert set(pj.behind_schedule(st, 2.0)["project_id"]) == {"a", "b"}  # c at 52%, d at 50%
    shares = pj.ownership_shares(st)
    assert shares["private_share"] == pytest.approx((150 + 520) / 770)


def test_status_rules_by_comparator() -> None:
    plan = load_plan("zhenba-2024")
    by = {t.indicator: t for t in plan.targets}
    about = by["manufacturing_inv"]  # 8% 左右
    assert status_of(about, plan, 7.6, 8, is_checkpoint=True)[1] is Status.MET  # within about_pp 0.5
    assert status_of(about, plan, 7.0, 8, is_checkpoint=True)[1] is Status.NEAR
    assert status_of(about, plan, 5.0, 8, is_checkpoint=True)[1] is Status.MISSED
    fai = by["fai"]  # 8% 以上
    assert status_of(fai, plan, 8.0, 8, is_checkpoint=True)[1] is Status.MET
    assert status_of(fai, plan, 7.9, 8, is_checkpoint=True)[1] is Status.NEAR
    assert status_of(fai, plan, 9.0, 8, is_checkpoint=False)[1] is Status.PENDING


def test_ankang_h1_real_figures() -> None:
    plan = load_plan("ankang-2019")
    loaded = load_data("ankang-2019", year=2019)
    assert data_coverage(loaded.data, 2019).latest_quarter().label() == "2019Q2"
    ev = evaluate(plan, "2019Q2", loaded.data)
    t = ev.targets.set_index("indicator")
    inv = ev.targets[ev.targets["indicator"] == "completed_investment"].iloc[0]
    assert inv["unit"] == "万元"
    assert inv["actual"] == pytest.approx(2392000, abs=0.5)  # 239.2亿元, from the text
    assert inv["checkpoint"] == pytest.approx(4900882 / 2)
    assert inv["status"] == "near"  # 48.81% against 50%
    start = ev.targets[ev.targets["indicator"] == "start_rate"].iloc[0]
    assert start["checkpoint_count"] == 70 and start["actual_count"] == 70  # 87 − 17 not started
    assert int(ev.totals["new_starts"]) - int(ev.totals["new_started"]) == 17
    assert ev.illustrative
    assert set(t.index) >= {"completed_investment", "start_rate"}


def test_every_bundled_plan_evaluates_at_its_latest_quarter() -> None:
    for plan_id in ("ankang-2019", "hanzhong-2022", "hanzhong-2023", "xian-port-2023", "zhenba-2024"):
        plan = load_plan(plan_id)
        loaded = load_data(plan_id, year=plan.year)
        q = data_coverage(loaded.data, plan.year).latest_quarter()
        ev = evaluate(plan, q, loaded.data)
        assert len(ev.targets) == len(plan.targets)
        judged = ev.targets["status"].isin(["met", "near", "missed"]).sum()
        assert judged >= 1, plan_id
        assert list(ev.targets.columns[:9]) == ["target_id", "label", "indicator", "measure", "comparator", "scope", "period", "checkpoint", "checkpoint_count"]


def test_growth_target_gets_required_growth_from_profile() -> None:
    plan = load_plan("zhenba-2024")
    loaded = load_data("zhenba-2024", year=2024)
    ev = evaluate(plan, "2024Q2", loaded.data)
    fai = ev.targets[(ev.targets["indicator"] == "fai") & (ev.targets["measure"] == "growth")].iloc[0]
    prof = loaded.data.profiles
    row = prof[(prof["indicator"] == "fai") & (prof["year"] == 2023)].iloc[0]
    from hzlib import required_growth

    expected = required_growth(0.08, [row.q1, row.q2, row.q3, row.q4], fai["actual"] / 100, 2) * 100
    assert fai["required_growth"] == pytest.approx(expected)


def test_no_data_is_reported_not_guessed() -> None:
    plan = load_plan("xian-port-2023")
    ev = evaluate(plan, "2023Q2", EvaluationData())
    assert set(ev.targets["status"]) <= {"no_data", "pending"}
    assert ev.targets["actual"].isna().all()


def test_four_batches_start_is_the_city_level_projects_and_stocks_are_not_projected() -> None:
    """镇巴 2024: “四个一批”开工（在建）项目30个、43.34亿元 are the 30 市级重点项目 (ambiguities.four_batches_start):
    city-level projects whatever their 项目类别 (in progress or completing this year), no county-level one."""
    plan = load_plan("zhenba-2024")
    ledger = pd.DataFrame(
        {
            "project_id": ["n", "c", "k", "p"],
            "name": ["市级新开工", "市级竣工", "县级新开工", "谋划"],
            "unit": ["泾洋街道"] * 4,
            "level": ["city", "city", "county", "county"],
            "ownership": ["state"] * 4,
            "batch": ["start", "complete", "start", "plan"],
            "is_new_start": [True, False, True, False],
            "total_investment": [50000.0, 80000.0, 40000.0, 90000.0],
            "annual_plan": [20000.0, 30000.0, 10000.0, 0.0],
            "planned_start": pd.to_datetime(["2024-03-01", "2022-05-01", "2024-02-01", "2026-01-01"]),
            "actual_start": pd.to_datetime(["2024-03-10", "2022-05-01", "2024-02-10", None]),
            "planned_completion": pd.to_datetime(["2026-01-01", "2024-11-30", "2025-06-01", "2028-01-01"]),
        }
    )
    progress = pd.DataFrame({"project_id": ["n", "c", "k"], "month": ["2024-06"] * 3, "completed_cum": [6000.0, 14000.0, 5000.0]})
    t = evaluate(plan, "2024Q2", EvaluationData(ledger=ledger, progress=progress)).targets.set_index("target_id")
    assert t.loc["four_batches_start_projects", "actual"] == 2.0  # n and c; not the county's k
    # 43.34亿元 of annual plan tracked against time progress: completed (6000 + 14000)万元 = 2.0亿元 vs 43.34 × 50%
    inv = t.loc["four_batches_start_investment"]
    assert inv["actual"] == pytest.approx(2.0) and inv["checkpoint"] == pytest.approx(21.67)
    assert inv["projection"] == pytest.approx(4.0)  # a flow: twice the half-year figure
    # the number of 谋划 projects is a stock: no year-end projection
    assert t.loc["four_batches_plan_projects", "actual"] == 1.0
    assert math.isnan(t.loc["four_batches_plan_projects", "projection"])
