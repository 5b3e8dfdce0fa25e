"""Scoring rules in data: the 安康 2019 tables (附件3) item by item, hand-computed cases for every
rule kind, ties, prizes, accidents, missing inputs, the reported-inputs file, and a second rules
file (汉中 2022 红旗/蜗牛) that runs with no code change."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from conftest import assert_problems
from hzlib.errors import InputError
from hzlib.paths import SCORING_DIR as RULES_DIR
from hzlib.scoring import (
    ScoreResult,
    ScoringInputs,
    combine_inputs,
    inputs_from_dicts,
    item_table,
    list_rules_ids,
    load_rules,
    load_scoring_inputs,
    prize_table,
    ranking_table,
    read_rules_file,
    read_scoring_inputs,
    records,
    score,
    scoring_template,
    verify_rule_quotes,
    write_scoring_template,
)
from hzlib.scoring.rules import ScoringRules

CORPUS = Path(__file__).parent / "scoring_corpus"
RULES = load_rules("ankang-2019")
COUNTIES = RULES.kind("county").units
DEPARTMENTS = RULES.kind("department").units

#: The preliminary work (前期工作) counties and departments both report: none left undone, the planning task done, nothing packaged.
PRELIMINARY = dict(
    preliminary_not_done=0,
    planning_task_done=1,
    packaged_over_20yi=0,
    packaged_over_100yi=0,
    packaged_feasibility=0,
    packaged_filed=0,
)
#: A county doing everything asked and nothing more: 35 + 15 + 15 + 10 = 75 of the 95 standard points.
COUNTY = dict(
    completed_investment=1000,
    planned_investment=1000,
    key_projects=5,
    new_starts=2,
    start_rate_h1=1.0,
    start_rate_q3=1.0,
    completions_missed=0,
    **PRELIMINARY,
    planning_funds=0,
    media_city=0,
    media_province=0,
    media_central=0,
    provincial_ahead=0,
    adopted_next_year=0,
    late_or_false_reports=0,
    support_failures=0,
    support_severe=0,
    major_accident=0,
)
#: The same for a department: 10 + 0 + 45 + 15 + 10 = 80 of 100 (when it has preliminary projects).
DEPT = dict(
    mechanism_established=1,
    management_effective=1,
    monthly_reporting=1,
    media_own=0,
    media_city=0,
    media_province=0,
    media_central=0,
    completed_investment=1000,
    planned_investment=1000,
    **PRELIMINARY,
    major_accident=0,
)


def full(
    over: dict[str, dict[str, float]] | None = None, projects: dict[str, dict[str, float]] | None = None, period: str | None = None, rules: ScoringRules = RULES
) -> ScoringInputs:
    """Complete inputs for every unit; ``projects`` gives a unit's project completions (fractions)."""
    units = {u: dict(COUNTY) for u in COUNTIES} | {u: dict(DEPT) for u in DEPARTMENTS}
    for u, d in (over or {}).items():
        units[u].update(d)
    proj = {u: {f"{u}{i}": {"project_completion": 1.0} for i in range(5)} for u in COUNTIES}
    for u, done in (projects or {}).items():
        proj[u] = {p: {"project_completion": v} for p, v in done.items()}
        units[u]["key_projects"] = len(done)
    return inputs_from_dicts(rules, units, proj, period)


def item(r: ScoreResult, unit: str, item_id: str) -> pd.Series:
    return r.items.set_index(["unit", "item"]).loc[(unit, item_id)]


def unit_row(r: ScoreResult, unit: str) -> pd.Series:
    return r.units.set_index("unit").loc[unit]


def variant(tmp_path: Path, edit: Callable[[dict[str, Any]], None], rules_id: str = "ankang-2019") -> ScoringRules:
    """The bundled rules file with one parameter changed by ``edit``: another reading, no code change."""
    data = yaml.safe_load((RULES_DIR / f"{rules_id}.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / f"{rules_id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_rules(path)


def county_item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    kind = next(k for k in data["kinds"] if k["id"] == "county")
    return next(i for i in kind["items"] if i["id"] == item_id)


# ---- the bundled rules files -------------------------------------------------------------------


def test_bundled_rules_files() -> None:
    assert {"ankang-2019", "hanzhong-2022"} <= set(list_rules_ids())
    for rid in list_rules_ids():
        assert load_rules(rid).id == rid


def test_ankang_encodes_both_tables_item_by_item() -> None:
    county, dept = RULES.kind("county"), RULES.kind("department")
    assert [i.id for i in county.items] == [
        "invest_completion",
        "invest_project_deduction",
        "opening",
        "completions_missed",
        "preliminary",
        "planning",
        "planning_funds",
        "publicity",
        "bonus_provincial",
        "bonus_planned",
        "penalty_reporting",
        "penalty_support",
    ]
    assert [i.id for i in dept.items] == ["mechanism", "publicity", "invest_completion", "preliminary", "planning"]
    assert county.standard_points == 95 and dept.standard_points == 100
    assert len(COUNTIES) == 13 and "安康高新区" in COUNTIES and "国网安康供电公司" not in COUNTIES
    assert len(DEPARTMENTS) == 17
    assert RULES.plan_values["preliminary_projects"]["瀛湖生态旅游区"] == 1
    assert RULES.plan_values["preliminary_projects"]["市教体局"] is None  # blank in 附件2


def test_ankang_writes_down_every_ambiguity_the_issue_names() -> None:
    ids = {a.id for a in RULES.ambiguities}
    for k in RULES.kinds:
        ids |= {a.id for a in k.ambiguities}
        ids |= {a.id for it in k.items for a in it.ambiguities}
        ids |= {a.id for aw in k.awards for a in aw.ambiguities}
        ids |= {a.id for a in (k.disqualify.ambiguities if k.disqualify else [])}
        ids |= {a.id for a in (k.no_projects.ambiguities if k.no_projects else [])}  # departments_without_projects
    assert {
        "planning_base",
        "bracket_bounds",
        "shortfall_unit",
        "prize_count",
        "prize_split",
        "accident_effect",
        "prize_ties",
        "zones_with_counties",
        "no_task_items",
        "reported_period",
        "departments_without_projects",
    } <= ids
    docs = (Path(__file__).parents[1] / "docs" / "scoring.md").read_text(encoding="utf-8")
    missing = sorted(i for i in ids if f"`{i}`" not in docs)
    assert not missing, f"docs/scoring.md does not explain: {missing}"


@pytest.mark.parametrize("rules_id", list_rules_ids())
def test_rules_quotes_are_verbatim_in_the_seed(rules_id: str, seeds_dir: Path) -> None:
    problems = verify_rule_quotes(load_rules(rules_id), seeds_dir)
    assert not problems, "\n".join(map(str, problems))


def test_quote_check_catches_an_invented_quote(seeds_dir: Path) -> None:
    bad = RULES.model_copy(update={"source": RULES.source.model_copy(update={"quote": "最高得99分"})})
    problems = verify_rule_quotes(bad, seeds_dir)
    assert len(problems) == 1 and "最高得99分" in problems[0].message and problems[0].column == "source"


# ---- the corpus of bad rules files ---------------------------------------------------------------

BAD_RULES = {
    "unknown-rule.yaml": [("第13行", "kinds[0](county).items[0](counted)", "'rule' 应为")],
    "bad-brackets.yaml": [
        ("第26行", "kinds[0](county).items[0](opening).params.brackets[1]", "重叠（10 同时属于两档）"),
        ("第37行", "kinds[0](county).items[1](bands).params.bands[0].lower_inclusive", "必须写明是否包含该边界"),
    ],
    "bad-inputs.yaml": [
        ("第20行", "kinds[0](county).items[0](ratio).inputs.denominator", "分子（万元）与分母（个）单位不同"),
        ("第28行", "kinds[0](county).items[1](bands).inputs.project", "应为逐项目的输入"),
        ("第38行", "kinds[0](county).items[2](media).inputs.n", "未在 inputs 中定义的输入 'media_ciy'"),
        ("第44行", "kinds[0](county).disqualify.input", "应为逐单位的“是否”输入"),
    ],
    "bad-signs.yaml": [
        ("第21行", "kinds[0](county).items[0](penalty).params.groups[0].terms[0].points", "扣分项（penalty）的分值应为负数"),
        ("第24行", "kinds[0](county).awards[0](prize).rounding", "必须写明取整方式"),
        ("第38行", "kinds[0](county).awards[1](other).ambiguities[0](rounding).chosen", "chosen 应与 readings"),
    ],
    "yaml-syntax.yaml": [("第5行", "", "YAML 语法错误：第5行的“[”没有对应的“]”")],
}


@pytest.mark.parametrize("name", sorted(BAD_RULES))
def test_bad_rules_file_gets_every_message(name: str) -> None:
    rules, problems = read_rules_file(CORPUS / name)
    assert rules is None
    assert_problems(problems, name, BAD_RULES[name])


def test_load_rules_raises_with_all_problems_and_missing_file() -> None:
    with pytest.raises(InputError) as exc:
        load_rules(CORPUS / "bad-inputs.yaml")
    assert "4 处错误" in exc.value.render()
    rules, problems = read_rules_file(CORPUS / "no-such.yaml")
    assert rules is None and "找不到评分规则文件" in problems[0].message
    with pytest.raises(ValueError, match="不合法"):
        load_rules("../plans/ankang-2019")


# ---- rule kinds, hand-computed ---------------------------------------------------------------------


def test_ratio_times_points_with_cap() -> None:
    r = score(RULES, full({"汉滨区": {"completed_investment": 307245.75, "planned_investment": 409661}, "汉阴县": {"completed_investment": 1200}}))
    assert item(r, "汉滨区", "invest_completion")["points"] == 26.25  # 0.75 × 35
    capped = item(r, "汉阴县", "invest_completion")
    assert capped["points"] == 35 and "× 35 = 42 分，超过上限按 35 分计" in capped["note"]


def test_project_deductions_by_band_capped_at_5() -> None:
    # 6 projects: 85% and exactly 80% cost 1 each, 79.99% and 50% cost 3 each, 100% and 120% nothing: −8 → −5
    r = score(
        RULES,
        full(
            projects={
                "汉滨区": {"a": 0.85, "b": 0.80, "c": 0.7999, "d": 0.5, "e": 1.0, "f": 1.2},
                "汉阴县": {"a": 0.9, "b": 0.95, "c": 1.0, "d": 1.0, "e": 1.0},
            }
        ),
    )
    row = item(r, "汉滨区", "invest_project_deduction")
    assert row["points"] == -5
    assert "80%（含）至100%（不含） 2 个 × -1 = -2" in row["note"] and "低于80% 2 个 × -3 = -6" in row["note"]
    assert "合计 -8 分，最多扣 5 分，按 -5 计" in row["note"]
    assert item(r, "汉阴县", "invest_project_deduction")["points"] == -2
    assert set(row["inputs"]["project_completion"]) == {"a", "b", "c", "d", "e", "f"}


def test_project_deductions_in_a_unit_with_fewer_than_5_projects() -> None:
    r = score(
        RULES,
        full(
            projects={
                "瀛湖生态旅游区": {"a": 0.9, "b": 1.0, "c": 1.0, "d": 1.0},  # −2 each in 80–100
                "恒口示范区": {"a": 0.9, "b": 0.5, "c": 1.0, "d": 1.0},
            }
        ),
    )  # −2 − 5 = −7 → −5
    assert item(r, "瀛湖生态旅游区", "invest_project_deduction")["points"] == -2
    assert "少于 5 个项目的单位" in item(r, "瀛湖生态旅游区", "invest_project_deduction")["note"]
    assert item(r, "恒口示范区", "invest_project_deduction")["points"] == -5


def test_project_deductions_only_at_year_end_and_checked_against_the_project_count() -> None:
    q2 = score(RULES, full(projects={"汉滨区": {"a": 0.3}}, period="2019Q2"))
    assert item(q2, "汉滨区", "invest_project_deduction")["points"] == 0
    assert "年终考核项" in item(q2, "汉滨区", "invest_project_deduction")["note"]
    units = full(projects={"汉滨区": {"a": 0.9}})
    wrong = ScoringInputs(
        units.units.assign(value=units.units["value"].where(~((units.units["unit"] == "汉滨区") & (units.units["input_id"] == "key_projects")), 3)),
        units.projects,
    )
    row = item(score(RULES, wrong), "汉滨区", "invest_project_deduction")
    assert row["incomplete"] and "逐项目数据 1 个，与项目个数 3 个不符" in row["note"]


@pytest.mark.parametrize(
    "h1, q3, points",
    [
        (0.80, 1.00, 15),  # on target
        (0.70, 1.00, 14.5),  # exactly 10 pp short: 10%（含） → −0.5
        (0.6999, 1.00, 14),  # 10.01 pp: 10%–30% → −1
        (0.50, 1.00, 12),  # exactly 30 pp short: 30%（含）以上 → −3
        (0.5001, 1.00, 14),  # 29.99 pp → −1
        (0.70, 0.90, 14),  # both checkpoints add: −0.5 − 0.5
        (0.30, 0.60, 9),  # −3 − 3
    ],
)
def test_opening_brackets_and_their_boundaries(h1: float, q3: float, points: float) -> None:
    r = score(RULES, full({"汉滨区": {"start_rate_h1": h1, "start_rate_q3": q3}}))
    assert item(r, "汉滨区", "opening")["points"] == points


def test_opening_rates_from_counts_hit_the_boundary_exactly() -> None:
    # 7 of 10 started (70%): 80 − 70 is 10 pp in binary floating point too
    r = score(RULES, full({"汉滨区": {"start_rate_h1": 7 / 10}, "汉阴县": {"start_rate_h1": 28 / 40}}))
    assert item(r, "汉滨区", "opening")["points"] == item(r, "汉阴县", "opening")["points"] == 14.5
    assert "低 10 个百分点，属“超过0个百分点至10个百分点（含）”档，扣 0.5 分" in item(r, "汉滨区", "opening")["note"]


def test_opening_checkpoint_not_due_yet_and_relative_reading(tmp_path: Path) -> None:
    r = score(RULES, full({"汉滨区": {"start_rate_h1": 0.71, "start_rate_q3": float("nan")}}, period="2019Q2"))
    row = item(r, "汉滨区", "opening")
    assert row["points"] == 14.5 and "三季度检查点（Q3末）未到期" in row["note"] and not row["incomplete"]

    def relative(d: dict[str, Any]) -> None:
        county_item(d, "opening")["params"]["shortfall"] = "relative"

    rel = variant(tmp_path, relative)
    # 71% against 80%: 9 pp, i.e. 11.25% of the target → the 10%–30% bracket under the relative reading
    assert item(score(rel, full({"汉滨区": {"start_rate_h1": 0.71}}, rules=rel)), "汉滨区", "opening")["points"] == 14

    def latest(d: dict[str, Any]) -> None:
        county_item(d, "opening")["params"]["combine"] = "latest"

    last = variant(tmp_path, latest)
    row = item(score(last, full({"汉滨区": {"start_rate_h1": 0.5, "start_rate_q3": 0.9}}, rules=last)), "汉滨区", "opening")
    assert row["points"] == 14.5 and "上半年" not in row["note"]  # only the Q3 checkpoint counts


def test_planned_completions_not_completed_capped_at_2() -> None:
    r = score(RULES, full({"汉滨区": {"completions_missed": 1}, "汉阴县": {"completions_missed": 3}}))
    assert item(r, "汉滨区", "completions_missed")["points"] == -1
    assert item(r, "汉阴县", "completions_missed")["points"] == -2


def test_preliminary_work_per_project_and_a_unit_with_one_preliminary_project() -> None:
    r = score(
        RULES,
        full(
            {
                "汉滨区": {"preliminary_not_done": 3},
                "瀛湖生态旅游区": {"preliminary_not_done": 1},
                "市发改委": {"preliminary_not_done": 1},
                "市交通运输局": {"preliminary_not_done": 2},
            }
        ),
    )
    assert item(r, "汉滨区", "preliminary")["points"] == 13.5  # 10 projects: 15 − 3 × 0.5
    assert item(r, "瀛湖生态旅游区", "preliminary")["points"] == 10  # only 1 project: 15 − 5
    assert item(r, "市发改委", "preliminary")["points"] == 5  # department, only 1: 15 − 10
    assert item(r, "市交通运输局", "preliminary")["points"] == 9  # department, 4 projects: 15 − 2 × 3


def test_planning_quality_base_bonus_cap_and_item_cap() -> None:
    r = score(
        RULES,
        full(
            {
                "汉滨区": {"packaged_over_20yi": 3, "packaged_over_100yi": 1, "packaged_feasibility": 2, "packaged_filed": 1},
                "汉阴县": {"planning_task_done": 0, "packaged_over_20yi": 1, "packaged_feasibility": 1},
                "石泉县": {"packaged_over_20yi": 2, "packaged_feasibility": 1},
            }
        ),
    )
    top = item(r, "汉滨区", "planning")  # 10 + min(10, 6 + 5) + 3 = 23 → 20
    assert top["points"] == 20 and "= 11，最多 10 分，按 10 计" in top["note"] and "按 20 计" in top["note"]
    assert item(r, "汉阴县", "planning")["points"] == 3  # no base: 2 + 1
    assert item(r, "石泉县", "planning")["points"] == 15  # 10 + 4 + 1


def test_funds_in_whole_100wan_steps_and_media_capped_at_5() -> None:
    r = score(
        RULES,
        full(
            {"汉滨区": {"planning_funds": 250, "media_city": 10, "media_province": 2, "media_central": 1}, "汉阴县": {"planning_funds": 1500, "media_city": 3}},
        ),
    )
    assert item(r, "汉滨区", "planning_funds")["points"] == 1  # 2 whole steps × 0.5
    assert item(r, "汉阴县", "planning_funds")["points"] == 5  # 7.5 → 5
    assert item(r, "汉滨区", "publicity")["points"] == 5  # 3 + 1 + 2 = 6 → 5
    assert item(r, "汉阴县", "publicity")["points"] == 0.9  # 3 × 0.3, no float noise


def test_bonuses_and_per_event_penalties_with_caps() -> None:
    r = score(
        RULES,
        full(
            {
                "汉滨区": {"provincial_ahead": 4, "adopted_next_year": 3, "late_or_false_reports": 7, "support_failures": 1, "support_severe": 1},
                "汉阴县": {"provincial_ahead": 1, "support_failures": 2},
            }
        ),
    )
    assert item(r, "汉滨区", "bonus_provincial")["points"] == 5  # 6 → 5
    assert item(r, "汉滨区", "bonus_planned")["points"] == 1.5
    assert item(r, "汉滨区", "penalty_reporting")["points"] == -5  # 7 → 5
    assert item(r, "汉滨区", "penalty_support")["points"] == -5  # 1 + 5 → 5
    assert item(r, "汉阴县", "penalty_support")["points"] == -2
    row = unit_row(r, "汉滨区")
    assert (row["score_points"], row["bonus"], row["penalty"], row["total"]) == (75, 6.5, -10, 71.5)


def test_fixed_points_for_yes_no_conditions() -> None:
    r = score(RULES, full({"市发改委": {"management_effective": 0}}))
    row = item(r, "市发改委", "mechanism")
    assert row["points"] == 7 and "：否，0" in row["note"]


def test_department_without_a_task_is_scored_on_the_items_that_apply() -> None:
    # 市教体局 has no preliminary project in 附件2; 市科技局 has no key project and no preliminary project
    r = score(RULES, full({"市科技局": {"planned_investment": 0, "completed_investment": 0}}))
    assert not item(r, "市教体局", "preliminary")["applicable"]
    assert unit_row(r, "市教体局")["total"] == round((10 + 45 + 10) / 85 * 100, 2)  # 76.47
    assert unit_row(r, "市科技局")["total"] == round((10 + 10) / 40 * 100, 2)  # 50
    assert "按适用项目折算" in unit_row(r, "市科技局")["note"]


# ---- totals, ranks, prizes ---------------------------------------------------------------------


def _spread(steps: dict[str, int]) -> dict[str, dict[str, float]]:
    """Set counties' totals through 项目策划财政经费 (0.5 point per 100万元): total = 75 + 0.5 × steps."""
    return {u: {"planning_funds": 100 * n} for u, n in steps.items()}


def test_prizes_35_percent_of_13_counties_rounded_down_and_split() -> None:
    over = _spread({u: i % 3 for i, u in enumerate(COUNTIES)})
    over.update(_spread({"汉滨区": 10, "汉阴县": 9, "石泉县": 8, "宁陕县": 7, "紫阳县": 6}))
    r = score(RULES, full(over))
    county = next(p for p in r.places if p.unit_kind == "county")
    assert county.places == 4 and county.tiers == [("一等奖", 1), ("二等奖", 1), ("三等奖", 2)]
    assert county.basis == "13 个单位 × 35% = 4.55，向下取整为 4 个"
    assert prize_table(r)[["奖项", "单位"]].values.tolist()[:4] == [["一等奖", "汉滨区"], ["二等奖", "汉阴县"], ["三等奖", "石泉县"], ["三等奖", "宁陕县"]]
    dept = next(p for p in r.places if p.unit_kind == "department")
    assert dept.places == 5  # 17 × 35% = 5.95 → 5, as the body says (5个先进单位)


def test_ties_same_rank_and_the_prize_boundary(tmp_path: Path) -> None:
    over = _spread({u: 0 for u in COUNTIES})
    over.update(_spread({"汉滨区": 4, "汉阴县": 3, "石泉县": 2, "宁陕县": 1, "紫阳县": 1}))  # 4th place tied
    r = score(RULES, full(over))
    assert unit_row(r, "宁陕县")["rank"] == unit_row(r, "紫阳县")["rank"] == 4
    assert unit_row(r, "岚皋县")["rank"] == 6
    assert unit_row(r, "宁陕县")["prize"] == unit_row(r, "紫阳县")["prize"] == "三等奖"  # both: 5 prizes for 4 places
    assert "跨“一、二、三等奖”名额边界，并列均取较高结果" in unit_row(r, "紫阳县")["note"]

    def exclude(d: dict[str, Any]) -> None:
        next(k for k in d["kinds"] if k["id"] == "county")["awards"][0]["ties"] = "exclude_all"

    strict = variant(tmp_path, exclude)
    s = score(strict, full(over, rules=strict))
    assert unit_row(s, "宁陕县")["prize"] is None and unit_row(s, "紫阳县")["prize"] is None
    assert unit_row(s, "石泉县")["prize"] == "三等奖"


def test_a_unit_with_a_major_accident_keeps_its_score_but_gets_no_prize() -> None:
    over = _spread({u: 0 for u in COUNTIES})
    over.update(_spread({"汉滨区": 5, "汉阴县": 4, "石泉县": 3, "宁陕县": 2, "紫阳县": 1}))
    over["汉滨区"]["major_accident"] = 1
    r = score(RULES, full(over))
    top = unit_row(r, "汉滨区")
    assert top["total"] == 77.5 and top["rank"] == 1 and top["disqualified"] and top["prize"] is None
    assert "取消评奖资格（得分保留）" in top["note"]
    assert [unit_row(r, u)["prize"] for u in ("汉阴县", "石泉县", "宁陕县", "紫阳县")] == ["一等奖", "二等奖", "三等奖", "三等奖"]


def test_a_missing_input_marks_the_item_incomplete_never_zero() -> None:
    inputs = full()
    units = inputs.units[~((inputs.units["unit"] == "汉滨区") & (inputs.units["input_id"] == "media_city"))]
    r = score(RULES, ScoringInputs(units, inputs.projects))
    row = item(r, "汉滨区", "publicity")
    assert row["incomplete"] and pd.isna(row["points"]) and "市级新闻媒体采用（media_city）" in row["note"]
    u = unit_row(r, "汉滨区")
    assert u["incomplete"] and pd.isna(u["total"]) and pd.isna(u["rank"]) and u["prize"] is None
    assert not r.complete and any("汉滨区" in p.message for p in r.problems)
    assert unit_row(r, "汉阴县")["rank"] == 1  # the others are still ranked


def test_missing_accident_flag_is_incomplete_and_defaults_apply_when_the_rules_say_so() -> None:
    inputs = full()
    units = inputs.units[~((inputs.units["unit"] == "汉滨区") & (inputs.units["input_id"] == "major_accident"))]
    assert unit_row(score(RULES, ScoringInputs(units, inputs.projects)), "汉滨区")["incomplete"]
    good = load_rules(CORPUS / "good.yaml")  # events has default 0
    r = score(good, inputs_from_dicts(good, {"甲县": {"done_count": 3}, "乙县": {"done_count": 3, "events": 2}, "丙县": {"done_count": 1}}))
    assert item(r, "甲县", "found")["points"] == 0 and "按默认值 0 计" in item(r, "甲县", "found")["note"]
    assert r.units.set_index("unit")["total"].to_dict() == {"甲县": 6, "乙县": 4, "丙县": 2}
    assert r.units.set_index("unit")["prize"].to_dict() == {"甲县": "先进", "乙县": None, "丙县": None}


def test_wrong_inputs_are_errors_all_at_once() -> None:
    bad = inputs_from_dicts(
        RULES, {"汉滨区": {"start_rate_h1": 80, "media_city": -1, "major_accident": 2, "preliminary_projects": 3}, "某县": {"media_city": 1}}
    )
    bad = ScoringInputs(bad.units.assign(unit_kind=bad.units["unit_kind"].replace({"county": "department"})), bad.projects)
    with pytest.raises(InputError) as exc:
        score(RULES, bad)
    text = exc.value.render()
    for words in (
        "应为小数（0.8 表示 80%），实际为 80",
        "不能为负数",
        "应为 1（是）或 0（否）",
        "取自计划 ankang-2019 的任务分解表",
        "在评分规则中属于 county",
        "单位“某县”不在评分规则",
    ):
        assert words in text, text
    with pytest.raises(InputError, match="重复给出"):
        combine_inputs(full(), inputs_from_dicts(RULES, {"汉滨区": {"media_city": 1}}))


# ---- outputs ---------------------------------------------------------------------------------------


def test_tables_and_json_records() -> None:
    r = score(RULES, full(_spread({"汉滨区": 1})))
    items = item_table(r, unit="汉滨区")
    assert len(items) == 12 and items["得分"].sum() == 75.5
    ranking = ranking_table(r)
    assert list(ranking.columns[:4]) == ["类别", "排名", "单位", "总分"]
    assert ranking.iloc[0][["类别", "排名", "单位", "总分", "奖项"]].tolist() == ["县区", 1, "汉滨区", 75.5, "一等奖"]
    assert ranking.groupby("类别")["排名"].min().tolist() == [1, 1]  # ranked separately
    recs = records(r)
    assert len(recs) == 13 * 12 + 17 * 5
    assert json.loads(json.dumps(recs, ensure_ascii=False))[0]["unit"] == "汉滨区"
    assert {"unit", "unit_kind", "item", "points", "max_points", "inputs", "note", "incomplete", "total", "rank", "prize"} <= set(recs[0])


# ---- the reported-inputs file ------------------------------------------------------------------


def test_reading_a_good_inputs_file_utf8_and_gbk() -> None:
    for name in ("inputs-good.csv", "inputs-gbk.csv"):
        r = read_scoring_inputs(CORPUS / name, RULES)
        assert r.ok and r.header_row == 2 and r.source_rows == 8, r.problems
        assert [str(e) for e in r.excluded] == [f"{name} 第6行：空行", f"{name} 第9行：数值为空（未报送，该项将标为数据不全）"]
        got = r.frame.set_index(["unit", "input_id"])["value"].to_dict()
        assert got[("汉滨区", "planning_funds")] == 250  # 0.025亿元 → 万元
        assert got[("汉阴县", "major_accident")] == 1 and got[("汉滨区", "major_accident")] == 0


def test_inputs_file_errors_name_file_row_and_column_all_at_once() -> None:
    r = read_scoring_inputs(CORPUS / "inputs-many-errors.csv", RULES)
    expected = [
        (3, "数值", "单位“汉滨区”、输入编号“media_city”有 2 行，数值不同：第2行为 12，第3行为 3"),
        (4, "单位", "单位“汉宾区”不在评分规则 ankang-2019 的考核单位中"),
        (5, "单位类别", "单位“汉阴县”的类别应为 county，实际为“department”"),
        (6, "输入编号", "评分规则 ankang-2019 中没有输入编号“media_town”"),
        (7, "输入编号", "输入“completed_investment”由项目台账计算，不在本表报送"),
        (8, "输入编号", "汉阴县（county）的评分不使用输入“media_own”"),
        (9, "数值", "不能为负数，实际为 -2"),
        (10, "数值", "个数应为整数，实际为 1.5"),
        (11, "数值", "应为 是 或 否（或 1/0），实际为“也许”"),
        (12, "计量单位", "计量单位“个”与输入“项目策划财政预算资金到位”的单位“万元”不一致"),
        (13, "数值", "应为数字，实际为“两条”"),
    ]
    assert len(r.errors) == len(expected), [str(p) for p in r.errors]
    for p, (row, column, words) in zip(r.errors, expected):
        assert (p.row, p.column) == (row, column) and words in p.message, str(p)
    assert all(str(p).startswith("inputs-many-errors.csv 第") for p in r.errors)
    with pytest.raises(InputError) as exc:
        load_scoring_inputs(CORPUS / "inputs-many-errors.csv", RULES)
    assert "11 处错误" in exc.value.render()


def test_template_round_trip_into_a_score(tmp_path: Path) -> None:
    path = tmp_path / "scoring_inputs.csv"
    n = write_scoring_template(RULES, path)
    assert n == len(scoring_template(RULES)) == 13 * 16 + 17 * 14
    blank = read_scoring_inputs(path, RULES)
    assert blank.ok and blank.frame.empty and len(blank.excluded) == n
    filled = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    filled["数值"] = filled["输入编号"].map(lambda i: "否" if RULES.input(i).is_bool else "0")
    filled.loc[filled["输入编号"].isin(["planning_task_done", "mechanism_established", "management_effective", "monthly_reporting"]), "数值"] = "是"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    reported = load_scoring_inputs(path, RULES)
    ledger = full()
    ledger_only = ScoringInputs(ledger.units[ledger.units["input_id"].map(lambda i: RULES.input(i).origin == "ledger")], ledger.projects)
    r = score(RULES, combine_inputs(ledger_only, reported))
    assert r.complete and unit_row(r, "汉滨区")["total"] == 75 and unit_row(r, "市发改委")["total"] == 80


# ---- the second rules file: 汉中 2022 红旗/蜗牛, no code change -------------------------------------


def test_hanzhong_red_flags_and_snails_quarterly() -> None:
    hz = load_rules("hanzhong-2022")
    units = hz.kind("county").units
    assert len(units) == 14
    values: dict[str, dict[str, float]] = {}
    for n, u in enumerate(units):  # unit n: start rate (n+1)/14 of 14 new starts, the rest at 100%
        values[u] = dict(
            new_starts=14,
            new_started=n + 1,
            completed_investment=500,
            scheduled_investment=500,
            planned_completions=2,
            completions=2,
            attraction_task=4,
            attracted=4,
            inspection_plus=0,
            inspection_minus=0,
        )
    values[units[0]].update(planned_completions=0, completions=0)  # no completion due: item excluded, rescaled
    values[units[12]].update(inspection_plus=1)  # a 督查 bonus: 75 + 25 × 13/14 + 1
    values[units[3]].update(new_started=3)  # ties with units[2] near the bottom
    r = score(hz, inputs_from_dicts(hz, values, period="2022Q2"))
    assert r.complete
    t = r.units.set_index("unit")
    assert t.loc[units[13], "total"] == 100 and t.loc[units[13], "prize"] == "红旗"
    assert t.loc[units[0], "total"] == round((25 * 1 / 14 + 50) / 75 * 100, 2)  # 折算: 3 of 4 rates apply
    snails = set(t.index[t["prize"] == "蜗牛"])
    assert snails == {units[0], units[1], units[2], units[3]}  # 3rd from the bottom tied: both listed
    flags = set(t.index[t["prize"] == "红旗"])
    assert flags == {units[13], units[12], units[11]}
    assert "并列倒数第 3 名" in t.loc[units[3], "note"]
