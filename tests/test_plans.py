"""Plan files: every bundled plan loads, cites its source, and bad files get clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_problems

from hzlib.cli import main
from hzlib.errors import InputError
from hzlib.plan import check_plan, list_plan_ids, load_plan, read_plan_file
from hzlib.plan.quotes import verify_quotes
from hzlib.plan.schema import Measure

CORPUS = Path(__file__).parent / "plan_corpus"
EXPECTED_PLANS = {"ankang-2019", "hanzhong-2022", "hanzhong-2023", "xian-port-2023", "zhenba-2024"}


def bundled() -> list[str]:
    return list_plan_ids()


def test_all_five_plans_are_bundled() -> None:
    assert EXPECTED_PLANS <= set(bundled())


@pytest.mark.parametrize("plan_id", bundled())
def test_plan_loads_and_every_target_has_a_source(plan_id: str) -> None:
    plan = load_plan(plan_id)
    assert plan.id == plan_id
    assert len(plan.targets) >= 5
    for t in plan.targets:
        assert t.source.section.strip() and t.source.quote.strip(), t.id
        if t.measure in (Measure.GROWTH, Measure.SHARE, Measure.RATE):
            assert t.unit == "%" and t.fraction is not None and t.fraction == t.value / 100  # type: ignore[operator]


@pytest.mark.parametrize("plan_id", bundled())
def test_plan_quotes_are_verbatim_in_the_seed(plan_id: str, seeds_dir: Path) -> None:
    plan = load_plan(plan_id)
    problems = verify_quotes(plan, seeds_dir)
    assert not problems, "\n".join(map(str, problems))


def test_quote_check_catches_an_invented_quote(seeds_dir: Path) -> None:
    plan = load_plan("xian-port-2023")
    t = plan.targets[0]
    fake = t.model_copy(update={"source": t.source.model_copy(update={"quote": "全年完成投资999亿元"})})
    bad = plan.model_copy(update={"targets": [fake, *plan.targets[1:]]})
    problems = verify_quotes(bad, seeds_dir)
    assert len(problems) == 1 and "999亿元" in problems[0].message


def test_xian_port_checkpoints_from_the_text() -> None:
    from hzlib.targets import checkpoints_frame

    q1 = checkpoints_frame(load_plan("xian-port-2023"), "2023Q1").set_index("target_id")
    assert q1.loc["city_new_start_rate", "checkpoint"] == 56
    assert q1.loc["city_new_start_rate", "checkpoint_count"] == 8  # ⌈0.56 × 13⌉
    assert q1.loc["city_key_investment", "checkpoint"] == pytest.approx(491 / 4)
    assert q1.loc["fai_growth", "checkpoint"] == 12
    q4 = checkpoints_frame(load_plan("xian-port-2023"), "2023Q4").set_index("target_id")
    assert q4.loc["city_new_start_rate", "checkpoint"] == 100
    assert q4.loc["city_new_start_rate", "checkpoint_count"] == 13


# ---- the corpus of bad plan files ----------------------------------------------
CASES = {
    "unknown-key.yaml": [("第12行", "targets[0](fai_growth).valu", "未知字段")],
    "wrong-type.yaml": [("第12行", "targets[0](fai_growth).value", "应为数字")],
    "percent-800.yaml": [("第12行", "targets[0](private_share).value", "百分比应在 0 到 100 之间")],
    "missing-source.yaml": [("第8行", "targets[0](fai_growth).source", "缺少必填字段")],
    "schedule-down.yaml": [("第14行", "targets[0](start_rate).schedule.Q2", "不能下降")],
    "unknown-unit.yaml": [("第13行", "targets[0](investment).unit", "未知单位 '千元'")],
    "duplicate-id.yaml": [("第16行", "targets[1](fai_growth).id", "重复")],
    "yaml-syntax.yaml": [("第10行", "", "YAML 语法错误")],
    "many-errors.yaml": [
        ("第14行", "targets[0](fai_growth).comparator", "取值不在允许范围内"),
        ("第22行", "targets[1](private_share).unit", "未知单位"),
        ("第25行", "targets[2](new_starts).value", "缺少目标值"),
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_plan_gets_its_message(name: str) -> None:
    plan, problems = read_plan_file(CORPUS / name)
    assert plan is None
    assert_problems(problems, name, CASES[name])


def test_good_corpus_plan_is_valid() -> None:
    plan, problems = read_plan_file(CORPUS / "good.yaml")
    assert plan is not None and problems == []


def test_load_plan_raises_with_all_problems() -> None:
    with pytest.raises(InputError) as exc:
        load_plan(CORPUS / "many-errors.yaml")
    assert len(exc.value.errors) == 3
    assert "3 处错误" in exc.value.render()


def test_missing_plan_file_is_named() -> None:
    plan, problems = read_plan_file(CORPUS / "no-such-plan.yaml")
    assert plan is None and "找不到计划文件" in problems[0].message


def test_plan_id_with_path_is_refused() -> None:
    with pytest.raises(ValueError, match="不合法"):
        load_plan("../../etc/passwd")


def test_hz_check_exit_codes_and_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CORPUS / "many-errors.yaml")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("  - ") == 3
    assert main(["check", "xian-port-2023"]) == 0
    out = capsys.readouterr().out
    assert "✓ xian-port-2023.yaml" in out


# ---- internal consistency warnings ---------------------------------------------------
def test_check_warns_on_subset_larger_than_total_and_fraction_typos() -> None:
    plan = load_plan("xian-port-2023")
    by_id = {t.id: t for t in plan.targets}
    bigger = by_id["city_new_starts"].model_copy(update={"value": 40.0})
    share = by_id["standard_land_share"].model_copy(update={"value": 0.6})
    targets = [bigger if t.id == "city_new_starts" else share if t.id == "standard_land_share" else t for t in plan.targets]
    warnings = [str(w) for w in check_plan(plan.model_copy(update={"targets": targets}))]
    assert any("子项大于总数" in w and "40个" in w and "38个" in w for w in warnings)
    assert any("误把比例写成了小数" in w for w in warnings)
