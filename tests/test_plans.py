"""Plan files: every plan in params/plans/ (bundled or a user's own) is a valid plan, and bad files
get clear messages. Nothing here assumes the bundled plans' sizes or contents except the tests
that name a bundled plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import assert_problems
from hzlib.cli import main
from hzlib.errors import ERROR, InputError
from hzlib.plan import check_plan, list_plan_ids, load_plan, read_plan_file
from hzlib.plan.loader import indicator_problems
from hzlib.plan.quotes import verify_quotes
from hzlib.plan.schema import Measure, Plan

CORPUS = Path(__file__).parent / "plan_corpus"
EXPECTED_PLANS = {"ankang-2019", "hanzhong-2022", "hanzhong-2023", "xian-port-2023", "zhenba-2024"}


def bundled() -> list[str]:
    return list_plan_ids()


def test_the_bundled_plans_are_there() -> None:
    assert EXPECTED_PLANS <= set(bundled())  # a user's own plans may be there too


def assert_plan_properties(plan: Plan) -> None:
    """What holds for every valid plan, whatever its size: unique target ids that the registry
    can measure, a source for every target, percents as percents, and quarterly checkpoints for
    every target in every quarter that never go down and end at the annual value."""
    import pandas as pd

    from hzlib.targets import checkpoints_frame, periods_elapsed

    ids = [t.id for t in plan.targets]
    assert ids and len(ids) == len(set(ids))
    for t in plan.targets:
        assert t.source.section.strip() and t.source.quote.strip(), t.id
        assert indicator_problems(t) == [], t.id
        if t.measure in (Measure.GROWTH, Measure.SHARE, Measure.RATE):
            assert t.unit == "%" and t.fraction is not None and t.fraction == t.value / 100  # type: ignore[operator]
    quarters = [checkpoints_frame(plan, f"{plan.year}Q{q}").set_index("target_id") for q in range(1, 5)]
    for frame in quarters:
        assert sorted(frame.index) == sorted(ids)
    for t in plan.targets:
        points = [float(f.at[t.id, "checkpoint"]) for f in quarters if not pd.isna(f.at[t.id, "checkpoint"])]
        if t.measure is not Measure.GROWTH:
            assert points == sorted(points), (t.id, points)
        if t.value is not None and not pd.isna(quarters[3].at[t.id, "checkpoint"]):
            expected = t.value
            if t.measure is Measure.FREQUENCY:  # a recurring duty: times per period × the year's periods
                assert t.frequency is not None
                start = t.frequency.start or dt.date(plan.year, 1, 1)
                expected = t.value * periods_elapsed(t.frequency.per, start, dt.date(plan.year, 12, 31))
            assert quarters[3].at[t.id, "checkpoint"] == pytest.approx(expected), t.id


@pytest.mark.parametrize("plan_id", bundled())
def test_plan_is_a_valid_plan(plan_id: str) -> None:
    plan = load_plan(plan_id)
    assert plan.id == plan_id
    assert_plan_properties(plan)
    assert all(p.severity != ERROR for p in check_plan(plan))


def test_corpus_baseline_has_the_properties() -> None:
    assert_plan_properties(load_plan(CORPUS / "good.yaml"))


@pytest.mark.parametrize("plan_id", bundled())
def test_plan_quotes_are_verbatim_in_the_seed(plan_id: str, seeds_dir: Path) -> None:
    """Every quote of a plan that names its source text is in that text (a plan without a text gets warnings only)."""
    plan = load_plan(plan_id)
    errors = [p for p in verify_quotes(plan, seeds_dir) if p.severity == ERROR]
    assert not errors, "\n".join(map(str, errors))


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
    "percent-fraction.yaml": [("第12行", "targets[0](private_share).value", "0.6% 像是把比例写成了小数")],
    "unknown-indicator.yaml": [("第10行", "targets[0](private_share).indicator", "未知指标 'private_investment_share'：最接近的是 private_inv_share")],
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


def test_a_real_small_percent_is_written_with_its_percent_sign(tmp_path: Path) -> None:
    """One convention in every hz file: 0.6% under 1 is written "0.6%" (plans as scenarios)."""
    text = (CORPUS / "percent-fraction.yaml").read_text(encoding="utf-8").replace("id: percent-fraction", "id: small")
    path = tmp_path / "small.yaml"
    path.write_text(text.replace("    value: 0.6\n", '    value: "0.6%"\n'), encoding="utf-8")
    plan, problems = read_plan_file(path)
    assert plan is not None and problems == [] and plan.targets[0].value == 0.6 and plan.targets[0].fraction == pytest.approx(0.006)
    bare, problems = read_plan_file(CORPUS / "percent-fraction.yaml")
    assert bare is None and any('"0.6%"' in p.message for p in problems)


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


def test_hz_check_a_plan_without_its_text_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No source text is a warning (未核对出处), not an error: exit code 0."""
    text = (CORPUS / "good.yaml").read_text(encoding="utf-8").replace("source_file: 003_d6cef1cdbfd5a82f.txt\n", "")
    (tmp_path / "good.yaml").write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path / "good.yaml"), "--seeds", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "✓ good.yaml" in out and "未核对出处" in out


def test_hz_indicators_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io
    import json

    from hzlib.plan.indicators import INDICATORS

    assert main(["indicators"]) == 0
    text = capsys.readouterr().out
    for ind in INDICATORS.values():
        assert f"{ind.id}  {ind.zh}" in text and ind.example in text
    assert main(["indicators", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["indicator"] for r in rows] == list(INDICATORS)
    by_id = {r["indicator"]: r for r in rows}
    assert by_id["start_rate"]["needs"] == "台账（是否新开工）" and by_id["start_rate"]["unit"] == "%"
    assert "月度进度" in by_id["completed_investment"]["needs"] and by_id["fai"]["bases"] == "statistics"
    assert main(["indicators", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == len(INDICATORS) and all(r["description"] and r["example"] for r in records)


def test_the_indicator_list_the_messages_and_docs_point_to_exists() -> None:
    from hzlib.cli import build_parser

    _, problems = read_plan_file(CORPUS / "unknown-indicator.yaml")
    assert "hz indicators" in problems[0].message
    assert build_parser().parse_args(["indicators"]).format == "table"
    docs = (Path(__file__).resolve().parents[1] / "docs" / "plans.md").read_text(encoding="utf-8")
    assert "hz indicators" in docs


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
