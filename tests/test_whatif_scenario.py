"""Scenario files: the schema, the checks against plan and data, the loader and the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hzlib.data import load_data
from hzlib.errors import ERROR, WARNING, InputError
from hzlib.evaluate.engine import EvaluationData, evaluate
from hzlib.paths import SCENARIOS_DIR
from hzlib.periods import Period
from hzlib.plan import load_plan
from hzlib.plan.schema import Plan
from hzlib.whatif import (
    apply_scenario,
    list_scenarios,
    load_scenario,
    parse_growth_arg,
    read_scenario_file,
    scenario_from_args,
    validate_scenario,
)
from hzlib.whatif.scenario import parse_quarter_key

CORPUS = Path(__file__).parent / "scenario_corpus"

#: What every scenario starts with (id, label, plan, base quarter); each test adds what it checks.
HEAD = {"id": "t", "label": "t", "plan": "zhenba-2024", "quarter": "2024Q2"}


def added_project(**extra: object) -> dict[str, object]:
    """A project a scenario adds (X1, a county-level private new start), with ``extra`` fields."""
    return {
        "project_id": "X1",
        "name": "甲",
        "unit": "甲镇",
        "level": "county",
        "ownership": "private",
        "batch": "start",
        "is_new_start": True,
        "total_investment": 10,
        "annual_plan": 5,
        **extra,
    }


@pytest.fixture(scope="module")
def zhenba() -> tuple[Plan, EvaluationData]:
    return load_plan("zhenba-2024"), load_data("zhenba-2024").data


# ---- the corpus of bad scenario files: one per promised message ---------------------------------------
CASES = {
    "growth-fraction.yaml": [("第7行", "growth[0](fai).quarters.Q3", "0.06 像是小数写法：增速按百分数填写，6% 写作 6")],
    "unknown-indicator.yaml": [("第6行", "growth[0](fixed_asset).indicator", "未知指标 'fixed_asset'")],
    "quarter-outside-year.yaml": [("第10行", "growth[0](fai).quarters.2025Q1", "不在基期所在的 2024 年内")],
    "quarter-not-after-base.yaml": [("第8行", "growth[0](fai).quarters.Q2", "Q2 不在基期 2024Q2 之后")],
    "missing-quarter.yaml": [("第7行", "growth[0](fai).quarters", "缺少 Q3 的假设")],
    "base-outside-year.yaml": [("第4行", "quarter", "基期 2023Q4 不在计划年度 2024 年内")],
    "no-profile.yaml": [
        ("第6行", "growth[0](policy_funds)", "没有镇巴县 policy_funds 2023 年的季度基数"),
        ("第6行", "growth[0](policy_funds)", "没有镇巴县 policy_funds 2024Q2 的累计增速"),
    ],
    "unknown-target.yaml": [("第6行", "targets.fai_grwoth", "未知目标 'fai_grwoth'：计划 zhenba-2024 中没有这个目标（是否为 fai_growth？）")],
    "target-fraction.yaml": [("第6行", "targets.fai_growth.value", "0.075 像是小数写法：目标 固定资产投资增长 的单位为 %，7.5% 写作 7.5")],
    "target-out-of-range.yaml": [("第6行", "targets.private_inv_share.value", "百分比应在 0 到 100 之间")],
    "unknown-project.yaml": [("第7行", "slips[0].projects[1]", "项目编号 'ZB2024-9999' 不在项目台账中")],
    "unknown-remove.yaml": [("第5行", "remove_projects[1]", "项目编号 'ZB-0006' 不在项目台账中（是否为 ZB2024-0006？）")],
    "unknown-unit.yaml": [("第7行", "slips[0].unit", "责任单位 '巴山乡' 不在项目台账中（是否为 巴山镇？）")],
    "negative-months.yaml": [("第7行", "slips[0].start", "推迟月数应为正整数，实际为 -2")],
    "bad-batch.yaml": [("第6行", "slips[0].batch", "无法识别的取值“续建一批”")],
    "no-selector.yaml": [("第6行", "slips[0].projects", "选出项目")],
    "existing-project.yaml": [("第6行", "add_projects[0](ZB2024-0001).project_id", "项目编号 'ZB2024-0001' 已在台账中")],
    "project-missing-field.yaml": [("第6行", "add_projects[0](ZB2024-9001).annual_plan", "缺少必填字段 annual_plan")],
    "pace-no-share.yaml": [("第5行", "pace.share", "请写 share")],
    "unknown-key.yaml": [("第7行", "growth[0](fai).quater", "未知字段")],
    "wrong-id.yaml": [("第1行", "id", "情景 id 'other-id' 应与文件名 'wrong-id' 一致")],
    "yaml-syntax.yaml": [("第7行", "", "YAML 语法错误：第7行的“{”没有对应的“}”")],
    "many-errors.yaml": [
        ("第7行", "growth[0](fai).quarters.Q3", "像是小数写法"),
        ("第9行", "growth[1](private_inv).basis", "取值不在允许范围内"),
        ("第15行", "slips[0].start", "推迟月数应为正整数，实际为 0"),
        ("第16行", "pace.share", "average_so_far 按已完成的月均进度推算，不用 share"),
    ],
}


def test_every_corpus_file_has_a_case() -> None:
    files = {p.name for p in CORPUS.glob("*.yaml")} - {"good.yaml"}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_scenario_gets_its_message(name: str, zhenba: tuple[Plan, EvaluationData], assert_located: Callable[..., None]) -> None:
    plan, data = zhenba
    scenario, problems = read_scenario_file(CORPUS / name, plan, data)
    assert scenario is None
    assert_located(problems, name, CASES[name])


def test_good_corpus_scenario_is_valid(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    scenario, problems = read_scenario_file(CORPUS / "good.yaml", plan, data)
    assert scenario is not None and problems == []
    assert scenario.growth[0].fractions(scenario.period) == pytest.approx({3: 0.06, 4: 0.005})  # "0.5%" is meant
    assert scenario.slips[1].batch == "start" and scenario.add_projects[0].ownership == "private"  # Chinese accepted
    assert scenario.targets["county_key_investment"].new_value(55.86) == pytest.approx(45.86)
    assert not scenario.is_empty


def test_schema_alone_needs_no_plan() -> None:
    scenario, problems = read_scenario_file(CORPUS / "good.yaml")
    assert scenario is not None and problems == []


def test_load_scenario_raises_with_every_problem(zhenba: tuple[Plan, EvaluationData]) -> None:
    with pytest.raises(InputError) as exc:
        load_scenario("zhenba-2024", CORPUS / "many-errors.yaml")
    assert len(exc.value.errors) == 4 and "4 处错误" in exc.value.render()


def test_missing_scenario_file_is_named() -> None:
    scenario, problems = read_scenario_file(CORPUS / "no-such.yaml")
    assert scenario is None and "找不到情景文件" in problems[0].message


def test_scenario_names_cannot_climb_out() -> None:
    with pytest.raises(ValueError, match="不合法"):
        load_scenario("zhenba-2024", "../../etc/passwd")


def test_percent_with_sign_and_limits() -> None:
    ok, problems = validate_scenario({**HEAD, "growth": [{"indicator": "fai", "flat": "-0.5%"}]})
    assert problems == [] and ok is not None and ok.growth[0].flat == -0.5
    for bad, words in [(150, "增速应在 -100% 到 100% 之间"), ("六", "增速应为数字"), (True, "增速应为数字"), (-0.3, "像是小数写法")]:
        _, problems = validate_scenario({**HEAD, "growth": [{"indicator": "fai", "flat": bad}]})
        assert len(problems) == 1 and words in problems[0].message, (bad, problems)
    _, problems = validate_scenario({**HEAD, "quarter": "2024-05"})
    assert "基期应为季末" in problems[0].message
    _, problems = validate_scenario({**HEAD, "growth": [{"indicator": "fai", "flat": 6, "quarters": {"Q3": 6, "Q4": 6}}]})
    assert problems[0].column == "growth[0](fai).flat" and "只能写一个" in problems[0].message


def test_target_change_shorthand_and_percent_sign(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s, problems = validate_scenario({**HEAD, "targets": {"fai_growth": "0.5%", "county_key_investment": 0.5}}, plan=plan, tables=data)
    assert problems == [] and s is not None  # 0.5亿元 is no fraction; "0.5%" says what it means
    assert s.targets["fai_growth"].percent_written and s.targets["fai_growth"].value == 0.5
    _, problems = validate_scenario({**HEAD, "targets": {"fai_growth": {"value": 7, "change": 1}}})
    assert "value 或调整量 change 之一" in problems[0].message


def test_a_change_is_in_percentage_points_so_a_small_one_is_no_fraction(zhenba: tuple[Plan, EvaluationData]) -> None:
    # fai_growth is 8%: change 0.5 (points) makes it 8.5%, -0.5 makes it 7.5%, "0.5" as YAML text too
    plan, data = zhenba
    for change, new in [(0.5, 8.5), (-0.5, 7.5), ("0.5", 8.5), ("-0.5%", 7.5)]:
        s, problems = validate_scenario({**HEAD, "targets": {"fai_growth": {"change": change}}}, plan=plan, tables=data)
        assert problems == [] and s is not None, (change, [str(p) for p in problems])
        plan2, _, changes = apply_scenario(plan, data, s)
        assert plan2.target("fai_growth").value == pytest.approx(new) and plan2.target("fai_growth").fraction == pytest.approx(new / 100)
        assert f"由 8% 调整为 {new:g}%" in " ".join(map(str, changes))
    ev = evaluate(plan2, "2024Q2", data).targets.set_index("target_id")
    assert ev.loc["fai_growth", "annual_value"] == pytest.approx(7.5)
    # 8% - 7.5 points = 0.5%: a percent number reached by points, not a fraction typed by mistake
    s, problems = validate_scenario({**HEAD, "targets": {"fai_growth": {"change": -7.5}}}, plan=plan, tables=data)
    assert problems == [] and s is not None
    # every other guard stays: a new value that looks like a fraction, a change out of the range
    _, problems = validate_scenario({**HEAD, "targets": {"fai_growth": {"value": 0.5}}}, plan=plan, tables=data)
    assert [p.column for p in problems] == ["targets.fai_growth.value"] and "0.5 像是小数写法" in problems[0].message
    _, problems = validate_scenario({**HEAD, "targets": {"industry_inv_share": {"change": 50}}}, plan=plan, tables=data)
    assert [p.column for p in problems] == ["targets.industry_inv_share.change"] and "百分比应在 0 到 100 之间" in problems[0].message
    assert "实际为 110" in problems[0].message


def test_quarter_keys() -> None:
    base = Period.parse("2024Q1")
    assert [parse_quarter_key(k, base) for k in ("Q2", "q3", "2024Q4")] == [2, 3, 4]
    with pytest.raises(ValueError, match="应写作 Q3"):
        parse_quarter_key("三季度", base)


def test_base_quarter_four_leaves_nothing_to_assume(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    raw = {**HEAD, "quarter": "2024Q4", "growth": [{"indicator": "fai", "flat": 6}], "pace": {"basis": "average_so_far"}}
    _, problems = validate_scenario(raw, plan=plan, tables=data)
    assert [p.column for p in problems] == ["growth[0](fai)", "pace"]
    assert "没有剩余季度" in problems[0].message and "没有剩余月份" in problems[1].message


def test_duplicates_within_the_scenario() -> None:
    p = added_project()
    raw = {
        **HEAD,
        "growth": [{"indicator": "fai", "flat": 6}, {"indicator": "fai", "flat": 7}],
        "add_projects": [p, p],
        "remove_projects": ["X1"],
    }
    _, problems = validate_scenario(raw)
    messages = [p.message for p in problems]
    assert any("假设重复" in m for m in messages) and any("重复" in m and "X1" in m for m in messages) and any("既新增又移除" in m for m in messages)


def test_added_project_dates_must_be_in_order() -> None:
    p = added_project(planned_start="2024-09-01", planned_completion="2024-03-01")
    _, problems = validate_scenario({**HEAD, "add_projects": [p]})
    assert problems[0].column == "add_projects[0](X1).planned_start" and "计划开工不能晚于计划竣工" in problems[0].message


def test_warning_does_not_stop_the_scenario(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    raw = {**HEAD, "slips": [{"new_starts": True, "start": 1}]}
    s, problems = validate_scenario(raw, plan=plan, tables=data)
    assert s is not None and [p.severity for p in problems] == [WARNING]
    assert problems[0].column == "slips" and "dates: planned" in problems[0].message


# ---- the command line -----------------------------------------------------------------------------------
def test_growth_string_from_the_command_line(zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s, problems = scenario_from_args("zhenba-2024", "2024Q2", growth="Q3=6%,Q4=10%", plan=plan, tables=data)
    assert problems == [] and s is not None
    assert s.growth[0].fractions(s.period) == pytest.approx({3: 0.06, 4: 0.10})
    s, problems = scenario_from_args("zhenba-2024", "2024Q2", growth="fai:flat=7；private_inv:basis=累计,Q3=8，Q4=8.5", plan=plan, tables=data)
    assert problems == [] and s is not None
    assert [g.indicator for g in s.growth] == ["fai", "private_inv"] and s.growth[1].basis == "cumulative"


#: Bad growth strings (base 2024Q2): the text, the field path and words of the one error (also used by hz whatif's tests).
BAD_GROWTH_STRINGS = [
    ("Q3=0.06,Q4=10", "growth[0](fai).quarters.Q3", "像是小数写法"),
    ("Q2=5,Q3=6,Q4=8", "growth[0](fai).quarters.Q2", "不在基期 2024Q2 之后"),
    ("Q3=6", "growth[0](fai).quarters", "缺少 Q4 的假设"),
    ("Q3 6%", "growth", "应写作 季度=增速"),
    ("basis=yearly,flat=6", "growth", "basis 应为 single"),
    ("fixed:flat=6", "growth[0](fixed).indicator", "未知指标"),
]


@pytest.mark.parametrize("text, column, words", BAD_GROWTH_STRINGS)
def test_bad_growth_strings(text: str, column: str, words: str, zhenba: tuple[Plan, EvaluationData]) -> None:
    plan, data = zhenba
    s, problems = scenario_from_args("zhenba-2024", "2024Q2", growth=text, plan=plan, tables=data)
    assert s is None
    errors = [p for p in problems if p.severity == ERROR]
    assert len(errors) == 1 and errors[0].column == column and words in errors[0].message, [str(p) for p in problems]
    assert str(errors[0]).startswith("命令行参数 --assume")


def test_parse_growth_arg_keeps_the_text() -> None:
    items, errors = parse_growth_arg("Q3=6%, Q4=10")
    assert errors == [] and items == [{"indicator": "fai", "quarters": {"Q3": "6%", "Q4": "10"}}]


# ---- the bundled example scenarios ----------------------------------------------------------------------
def bundled() -> list[tuple[str, str]]:
    return [(p.parent.name, p.stem) for p in sorted(SCENARIOS_DIR.glob("*/*.yaml"))]


def test_every_bundled_plan_has_an_example_scenario() -> None:
    plans = {p.stem for p in (SCENARIOS_DIR.parent / "plans").glob("*.yaml")}
    assert plans == {plan for plan, _ in bundled()}
    assert list_scenarios("zhenba-2024") == ["q3-slow"]


@pytest.mark.parametrize("plan_id, name", bundled())
def test_bundled_scenario_is_valid_against_its_plan_and_data(plan_id: str, name: str) -> None:
    plan = load_plan(plan_id)
    data = load_data(plan_id).data
    scenario, problems = read_scenario_file(SCENARIOS_DIR / plan_id / f"{name}.yaml", plan, data)
    assert scenario is not None and problems == [], [str(p) for p in problems]
    assert scenario.plan == plan_id and scenario.id == name


def test_indicator_outside_the_plan_needs_the_data_to_be_confirmed() -> None:
    plan = load_plan("ankang-2019")  # no growth target on fai, but the statistics have it
    scenario, problems = read_scenario_file(SCENARIOS_DIR / "ankang-2019" / "h2-steady.yaml", plan)
    assert scenario is not None and {p.severity for p in problems} == {WARNING}
    assert "无法确认该指标存在" in problems[0].message
    scenario, problems = read_scenario_file(SCENARIOS_DIR / "ankang-2019" / "h2-steady.yaml", plan, load_data("ankang-2019").data)
    assert scenario is not None and problems == []
