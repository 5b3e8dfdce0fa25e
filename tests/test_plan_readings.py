"""The bundled plans read as their texts say: scopes, what is a target, one coverage read at both
checkpoints, 偏离度 with missing figures, and the documentation of every reading chosen.

Every figure here is worked by hand from the bundled data files (the comment says how).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from hzlib.evaluate import EvaluationData, evaluate
from hzlib.evaluate.scope import select_projects
from hzlib.evaluate.status import judge_deviation
from hzlib.plan import load_plan
from hzlib.plan.schema import Period_, Scope
from hzlib.report.load import load_report
from hzlib.targets import checkpoints_frame, quarter_period

ROOT = Path(__file__).resolve().parents[1]
PLANS = ("ankang-2019", "hanzhong-2022", "hanzhong-2023", "xian-port-2023", "zhenba-2024")


def _targets(plan_id: str, quarter: str) -> pd.DataFrame:
    return load_report(plan_id, quarter).targets.set_index("target_id")


# ----------------------------------------------------------------------------- 镇巴 四个一批 开工（在建）


def test_zhenba_four_batches_start_is_the_thirty_city_level_projects() -> None:
    """“开工（在建）项目30个，年度计划投资43.34亿元” = the 30 市级重点项目 (16 开工 + 14 竣工 rows,
    annual plan 258883 + 174517 = 433400万元 = 43.34亿元), not the 29 开工 rows (37.57亿元)."""
    plan = load_plan("zhenba-2024")
    for tid in ("four_batches_start_projects", "four_batches_start_investment"):
        scope = plan.target(tid).scope
        assert scope.level.value == "city" and scope.batch is None
    t = _targets("zhenba-2024", "2024Q3")
    assert t.loc["four_batches_start_projects", "actual"] == 30.0
    assert t.loc["four_batches_start_projects", "status"] == "met"
    # Σ 累计完成投资 at 2024-09 over the 30 市级 rows of progress.csv = 273703.07万元
    assert t.loc["four_batches_start_investment", "actual"] == pytest.approx(27.370307)
    # at 2024-06: 141005.63万元
    assert _targets("zhenba-2024", "2024Q2").loc["four_batches_start_investment", "actual"] == pytest.approx(14.100563)
    # the same projects as 市级重点项目完成年投资43.34亿元
    assert t.loc["four_batches_start_investment", "actual"] == pytest.approx(t.loc["city_key_investment", "actual"])


# ----------------------------------------------------------------------------- exact level


def test_exact_level_keeps_that_level_alone() -> None:
    st = pd.DataFrame({"level": ["province", "city", "city", "county"]})
    wide = select_projects(st, Scope(jurisdiction="甲市", level="city"))
    exact = select_projects(st, Scope(jurisdiction="甲市", level="city", exact_level=True))
    assert wide.mask.tolist() == [True, True, True, False]
    assert exact.mask.tolist() == [False, True, True, False] and exact.describe == "市级（不含省级）"
    county = select_projects(st, Scope(jurisdiction="甲县", level="county", exact_level=True))
    assert county.mask.tolist() == [False, False, False, True] and county.describe == "县级（不含省级、市级）"
    assert Scope(jurisdiction="甲市", level="city", exact_level=True).describe() == "甲市·市级（不含省级）"


def test_procedure_rate_counts_every_project_of_its_scope() -> None:
    """汉中 2022 办结率 over 市级 key projects: new and continuing; not 省级, not 谋划/储备.

    市级 new (done), 市级 continuing (done), 市级 continuing (土地 after the end), 省级 new (done),
    市级 谋划 (done): 2 of the 3 市级 key projects = 66.67%."""
    plan = load_plan("hanzhong-2022")
    done = pd.to_datetime(["2021-05-01"] * 5)
    late_land = pd.to_datetime(["2021-05-01", "2021-05-01", "2022-08-01", "2021-05-01", "2021-05-01"])
    ledger = pd.DataFrame(
        {
            "project_id": list("abcde"),
            "name": list("abcde"),
            "unit": ["汉台区"] * 5,
            "level": ["city", "city", "city", "province", "city"],
            "batch": ["start", "advance", "advance", "start", "plan"],
            "is_new_start": [True, False, False, True, False],
            "annual_plan": [100.0] * 5,
            "proc_planning": done,
            "proc_land": late_land,
            "proc_eia": done,
            "proc_energy": done,
        }
    )
    t = evaluate(plan, "2022Q2", EvaluationData(ledger=ledger)).targets.set_index("target_id")
    row = t.loc["city_key_procedure_rate"]
    assert row["actual"] == pytest.approx(200 / 3) and row["actual_count"] == 2 and row["denominator"] == 3
    assert row["status"] == "missed"  # Q2 asks 100%


def test_hanzhong_2022_procedure_rate_on_the_bundled_ledger() -> None:
    """79 市级 key projects (33 开工 + 30 推进 + 16 竣工 rows of ledger.csv; 27 省级 and the 22 市级
    谋划/储备 rows left out) with all four procedure dates on or before the period end:
    43 by 31 March, 51 by 30 June, 53 by 30 September (before: 13, 23, 25 of 43 市级+省级 new starts)."""
    for quarter, done in (("2022Q1", 43), ("2022Q2", 51), ("2022Q3", 53)):
        row = _targets("hanzhong-2022", quarter).loc["city_key_procedure_rate"]
        assert row["denominator"] == 79 and row["actual_count"] == done
        assert row["actual"] == pytest.approx(done / 79 * 100)
    plan = load_plan("hanzhong-2022")
    assert plan.target("city_key_procedure_rate").scope.projects is None
    assert "规划、土地、环评、能评四项" in (plan.target("city_key_procedure_rate").note or "")


# ----------------------------------------------------------------------------- what is a target

#: Numbers that only describe a scope or a premise: (plan, words of the non_targets quote, the id it had).
DESCRIPTIVE = [
    ("hanzhong-2022", "聚焦16条重点产业链", "key_industry_chains"),
    ("hanzhong-2023", "对全市17条产业链上", "industry_chains"),
    ("hanzhong-2023", "167个签约项目跟踪落地", "spring_signed_projects"),
    ("xian-port-2023", "较2022年增长10%的基础上", "city_key_projects_growth_vs_2022"),
    ("xian-port-2023", "较2022年增长10%的基础上", "city_key_plan_investment_growth_vs_2022"),
    ("xian-port-2023", "较2022年增长10%的基础上", "city_new_starts_growth_vs_2022"),
    ("zhenba-2024", "8个水利项目", "treasury_bond_water_projects"),
    ("zhenba-2024", "12个5亿元以上重大项目", "major_projects_over_5e"),
    ("zhenba-2024", "12个新增产能项目", "new_capacity_projects"),
]


@pytest.mark.parametrize(("plan_id", "words", "old_id"), DESCRIPTIVE)
def test_descriptive_numbers_are_non_targets_with_a_reason(plan_id: str, words: str, old_id: str) -> None:
    plan = load_plan(plan_id)
    assert old_id not in {t.id for t in plan.targets}
    assert not any(words in t.source.quote for t in plan.targets)
    entries = [n for n in plan.non_targets if words in n.quote]
    assert len(entries) == 1 and entries[0].reason.startswith("描述性数字")


def test_removed_targets_are_neither_reported_nor_named_by_a_deviation() -> None:
    for plan_id in {p for p, _, _ in DESCRIPTIVE}:
        plan = load_plan(plan_id)
        ids = {t.id for t in plan.targets}
        tasks = pd.read_csv(ROOT / "data" / plan_id / "tasks.csv", encoding="utf-8-sig")
        assert set(tasks["目标编号"]) <= ids
        for d in plan.deviations:
            assert set(d.targets) <= ids


def test_treasury_bond_start_rate_keeps_its_eight_projects() -> None:
    """The 8 水利项目 are the opening rate's denominator (base_count), checked at the year end."""
    plan = load_plan("zhenba-2024")
    assert plan.target("treasury_bond_projects_start_rate").base_count == 8
    assert _targets("zhenba-2024", "2024Q3").loc["treasury_bond_projects_start_rate", "checkpoint_count"] == 8


def test_hanzhong_2023_chain_fit_has_no_number_to_judge() -> None:
    """链群偏离度 was 轻微偏离 on the 17 chains (a scope) and the 167 signed projects (a scope)."""
    dev = load_report("hanzhong-2023", "2023Q3").deviations.set_index("deviation_id")
    assert dev.at["chain_fit", "judgement"] == "方案未给出量化标准，不作判断"


# ----------------------------------------------------------------------------- 汉中 2023 cadre service


def test_cadre_service_june_node_reads_the_reported_coverage() -> None:
    """One coverage (66.4% at 2023Q3 in tasks.csv) read by both nodes: June's is due → 未达标 (66.4 < 100);
    December's is not yet due → 未到期."""
    t = _targets("hanzhong-2023", "2023Q3")
    h1, h2 = t.loc["cadre_service_h1"], t.loc["cadre_service_h2"]
    assert h1["actual"] == pytest.approx(66.4) and h1["status"] == "missed" and h1["gap"] == pytest.approx(-33.6)
    assert h2["actual"] == pytest.approx(66.4) and h2["status"] == "pending"


# ----------------------------------------------------------------------------- 偏离度


def test_a_deviation_with_a_due_target_without_data_is_incomplete_never_not_deviated() -> None:
    assert judge_deviation([("开工率", "met", True), ("覆盖率", "no_data", True)]).judgement == "数据不全：覆盖率无数据，不作判断"
    near = judge_deviation([("开工率", "near", True), ("覆盖率", "no_data", True), ("清单", "no_data", True)])
    assert near.judgement == "数据不全：覆盖率、清单无数据，不作判断" and near.missing == ("覆盖率", "清单")
    assert judge_deviation([("开工率", "missed", True), ("覆盖率", "no_data", True)]).judgement == "偏离（数据不全：覆盖率无数据）"
    # not due: not an input, with or without a figure
    assert judge_deviation([("开工率", "met", True), ("覆盖率", "no_data", False)]).judgement == "未偏离"
    assert judge_deviation([("覆盖率", "no_data", False)]).judgement == "本期无可考核目标（未到期）"


def test_hanzhong_2023_management_service_says_which_figures_are_missing() -> None:
    """2023Q2: 月调度, 协同服务覆盖率, 十张清单（6月底）and 干部服务员（6月底）are due and nobody reported them
    (tasks.csv has 2023Q3 rows only): 数据不全 naming the four, where it used to say 未偏离 / nothing."""
    plan = load_plan("hanzhong-2023")
    q2 = load_report("hanzhong-2023", "2023Q2").deviations.set_index("deviation_id")
    j = q2.at["management_service", "judgement"]
    assert j.startswith("数据不全：") and "未偏离" not in j
    missing = q2.at["management_service", "missing"].split(",")
    assert missing == ["monthly_dispatch", "approval_service_coverage", "ten_lists_h1", "cadre_service_h1"]
    assert all(plan.target(i).label in j for i in missing)
    # 2023Q3: every due figure is there; the June cadre node at 66.4% is 未达标 → 偏离 (was 未偏离 with h1 skipped)
    q3 = load_report("hanzhong-2023", "2023Q3").deviations.set_index("deviation_id")
    assert q3.at["management_service", "judgement"] == "偏离" and q3.at["management_service", "missing"] == ""


# ----------------------------------------------------------------------------- documentation


def test_plans_doc_supports_the_two_month_period_ankang_uses() -> None:
    doc = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    assert "`two_months`" in doc and "not** approximated" not in doc
    assert "frequency.per 没有“两个月”" not in doc
    ankang = load_plan("ankang-2019")
    joint = ankang.target("joint_meeting")
    assert joint.frequency is not None and joint.frequency.per is Period_.TWO_MONTHS
    # from 2019-08-20: Jul–Aug began before the plan; Sep–Oct and Nov–Dec are owed by the year end
    cp = {q: checkpoints_frame(ankang, quarter_period(2019, q)).set_index("target_id").at["joint_meeting", "checkpoint"] for q in ("2019Q3", "2019Q4")}
    assert cp == {"2019Q3": 0.0, "2019Q4": 2.0}


@pytest.mark.parametrize("plan_id", PLANS)
def test_report_doc_lists_every_reading_of_every_bundled_plan(plan_id: str) -> None:
    """docs/report.md “多种读法的取舍” names each `ambiguities` entry of the plan file, under the plan."""
    doc = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Readings chosen where the text allows more than one") : doc.index("## The data's end")]
    plan = load_plan(plan_id)
    heading = {
        "ankang-2019": "**安康 2019**",
        "hanzhong-2022": "**汉中 2022**",
        "hanzhong-2023": "**汉中 2023**",
        "xian-port-2023": "**港务区 2023**",
        "zhenba-2024": "**镇巴 2024**",
    }[plan_id]
    part = section[section.index(heading) :]
    nxt = re.search(r"\n\*\*[^*]+\*\*\n", part[len(heading) :])
    part = part[: len(heading) + nxt.start()] if nxt else part
    for a in plan.ambiguities:
        assert f"`{a.id}`" in part, f"docs/report.md does not list {plan_id} ambiguities.{a.id}"
    # the readings the whole suite relies on: duties from 1 January, a quarter counted at its last day, 落地率 on signed projects
    for words in ("count from 1 January", "3 by 30 September", "the ledger's signed projects"):
        assert words in section
