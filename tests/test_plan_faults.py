"""Plan schedules that contradict their annual target: a checkpoint above the annual value is an error,
a schedule that ends below it a warning; the plans' own pattern (80% by H1, 100% by Q3 of a 100%
rate) stays valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.plan import check_plan, list_plan_ids, load_plan, read_plan_file
from hzlib.targets import checkpoint

GOOD = (Path(__file__).parent / "plan_corpus" / "good.yaml").read_text(encoding="utf-8")


def _plan(tmp_path: Path, *, measure: str = "rate", indicator: str = "start_rate", value: float = 50, schedule: str = "{Q2: 80}") -> Path:
    """good.yaml plus one target (lines 16–24, its schedule on line 22)."""
    target = f"""  - id: extra
    label: 新开工项目开工率
    indicator: {indicator}
    measure: {measure}
    value: {value}
    unit: "%"
    schedule: {schedule}
    scope: {{jurisdiction: 测试县, level: county, subset: 新开工项目}}
    source: {{section: 二、总体目标, quote: 开工率均达到80%、100%}}
"""
    path = tmp_path / "good.yaml"
    path.write_text(GOOD + target, encoding="utf-8")
    return path


def test_a_checkpoint_above_the_annual_rate_is_an_error(tmp_path: Path) -> None:
    """A 50% rate target whose schedule asks 80% at Q2 was accepted without a word."""
    plan, problems = read_plan_file(_plan(tmp_path))
    assert plan is None
    assert [(p.row, p.column, p.message) for p in problems] == [
        (
            22,
            "targets[1](extra).schedule.Q2",
            "Q2 的进度 80% 高于全年目标 50%：累计进度到年末等于全年目标，季度节点不能高于全年；请核对原文的全年目标和各季度进度",
        )
    ]


def test_hz_check_reports_every_schedule_fault_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_plan(tmp_path, value=60, schedule="{Q1: 80, Q2: 70}"))]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "第22行 [targets[1](extra).schedule.Q1]：Q1 的进度 80% 高于全年目标 60%" in err
    assert "第22行 [targets[1](extra).schedule.Q2]：累计进度不能下降：Q1 为 80，Q2 为 70" in err
    assert "第22行 [targets[1](extra).schedule.Q2]：Q2 的进度 70% 高于全年目标 60%" in err


def test_the_plans_pattern_is_valid_and_reaches_the_annual_value(tmp_path: Path) -> None:
    """80% by H1 and 100% by Q3 of an annual 100% (安康 2019): valid, no warning, Q4 checkpoint 100."""
    plan, problems = read_plan_file(_plan(tmp_path, value=100, schedule="{Q2: 80, Q3: 100}"))
    assert plan is not None and problems == []
    assert check_plan(plan) == []
    t = plan.target("extra")
    assert [checkpoint(t, 2024, f"2024{q}").checkpoint for q in ("Q1", "Q2", "Q3", "Q4")] == [40.0, 80.0, 100.0, 100.0]


def test_a_schedule_ending_below_the_annual_value_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Quarters after the last point keep it: the year-end checkpoint would be 90, not the annual 100."""
    path = _plan(tmp_path, value=100, schedule="{Q1: 80, Q2: 90}")
    plan, problems = read_plan_file(path)
    assert plan is not None and problems == []
    assert checkpoint(plan.target("extra"), 2024, "2024Q4").checkpoint == 90.0
    assert [(p.severity, p.column, p.message) for p in check_plan(plan)] == [
        (
            "warning",
            "targets(extra).schedule",
            "新开工项目开工率 的进度安排最后一点 Q2 为 90%，低于全年目标 100%：Q3、Q4 的考核节点按 90% 计，而不是全年目标；"
            "原文要求年末达到全年目标时，请在 schedule 中写 Q4: 100",
        )
    ]
    assert main(["check", str(path)]) == 0
    assert "警告：新开工项目开工率 的进度安排最后一点 Q2 为 90%" in capsys.readouterr().out


def test_a_growth_schedule_may_run_ahead_of_the_annual_rate(tmp_path: Path) -> None:
    """Growth is not cumulative: 10% in Q1 for an 8% year is a front-loaded year, not a contradiction."""
    path = _plan(tmp_path, measure="growth", indicator="fai", value=8, schedule="{Q1: 10, Q2: 9, Q4: 8}")
    plan, problems = read_plan_file(path)
    assert plan is not None and problems == []
    assert check_plan(plan) == []


@pytest.mark.parametrize("plan_id", list_plan_ids())
def test_no_bundled_schedule_contradicts_its_target(plan_id: str) -> None:
    plan = load_plan(plan_id)
    scheduled = [t for t in plan.targets if t.schedule and t.measure.value != "growth"]
    assert all(t.value is not None and max(t.schedule.values()) <= t.value for t in scheduled if t.schedule)
    assert not [p for p in check_plan(plan) if "进度安排" in p.message]
