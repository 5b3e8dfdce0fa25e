"""One status rule, one tolerance, computed once: worked examples.

The rule is :func:`hzlib.arithmetic.status_for_gap`; targets reach it through
:func:`hzlib.evaluate.status.judge` / :func:`judge_target`, units and projects through
:mod:`hzlib.evaluate.projects`. The evaluation computes checkpoints, statuses and
completion against time progress once; the report model and the charts read them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

import hzlib.targets
from hzlib.arithmetic import DEFAULT_NEAR_PP, Status, completion_vs_schedule, status_for_gap
from hzlib.evaluate import projects as pj
from hzlib.evaluate.status import TASK_WITHOUT_NUMBER_NOTE, judge, judge_target
from hzlib.plan.schema import Comparator, Target, Tolerances
from hzlib.report import figures, load_inputs
from hzlib.report.model import build_report

_SRC = {"file": "x.txt", "section": "一", "quote": "示例目标"}


def _target(**kw: Any) -> Target:
    base: dict[str, Any] = {
        "id": "t",
        "label": "示例",
        "indicator": "start_rate",
        "measure": "rate",
        "value": 90,
        "unit": "%",
        "basis": "ledger",
        "scope": {"jurisdiction": "安康市"},
        "source": _SRC,
    }
    return Target.model_validate(base | kw)


# ----------------------------------------------------------------------------- the rule


def test_rule_worked_examples_ankang_h1() -> None:
    # 安康 2019 H1: 239.2 亿元 of 490.0882 亿元 = 48.81% against time progress 50%: 1.19 pp short
    gap = (239.2 / 490.0882 - 0.5) * 100
    assert gap == pytest.approx(-1.19, abs=0.005)
    assert status_for_gap(gap, 2.0) is Status.NEAR  # within the 2 pp band
    assert status_for_gap(gap, 1.0) is Status.MISSED  # a 1 pp band: missed
    assert status_for_gap(0.0, 2.0) is Status.MET  # on the line is met
    assert status_for_gap(float("nan"), 2.0) is Status.NO_DATA


def test_rule_edges_and_float_noise() -> None:
    assert status_for_gap(-2.0, 2.0) is Status.NEAR  # exactly the band: still near
    assert status_for_gap(-2.001, 2.0) is Status.MISSED
    noisy = (0.1 + 0.2) * 100 - 30  # 5.7e-15, not a real shortfall or surplus
    assert status_for_gap(noisy, 2.0) is Status.MET and status_for_gap(-noisy, 2.0) is Status.MET


def test_rule_comparators() -> None:
    # 突破 100 (more_than): reaching 100 exactly is not yet 突破 → near
    assert status_for_gap(0.0, 2.0, strict=True) is Status.NEAR
    assert status_for_gap(0.1, 2.0, strict=True) is Status.MET
    # 8% 左右 (about, 0.5 pp): 7.6% is 0.4 short → met; 7.4% is 0.6 short → near
    assert status_for_gap(7.6 - 8.0, 2.0, slack=0.5) is Status.MET
    assert status_for_gap(7.4 - 8.0, 2.0, slack=0.5) is Status.NEAR
    # 3% 以内 (at_most): 3.2% is 0.2 over → near; 2.5% → met; 5.5% → missed
    assert status_for_gap(3.2 - 3.0, 2.0, higher_is_better=False) is Status.NEAR
    assert status_for_gap(2.5 - 3.0, 2.0, higher_is_better=False) is Status.MET
    assert status_for_gap(5.5 - 3.0, 2.0, higher_is_better=False) is Status.MISSED


@pytest.mark.parametrize("gap", [-5.0, -2.5, -2.0, -1.19, -0.3, 0.0, 0.4, 3.0])
def test_judge_is_the_rule(gap: float) -> None:
    """A percentage target at least its checkpoint is judged exactly as the rule judges its gap."""
    t = Tolerances()
    j = judge(50.0 + gap, 50.0, Comparator.AT_LEAST, percent=True, tolerances=t)
    assert j.status is status_for_gap(gap, t.near_pp)
    mirrored = judge(50.0 - gap, 50.0, Comparator.AT_MOST, percent=True, tolerances=t)
    assert mirrored.status is status_for_gap(gap, t.near_pp)


def test_judge_amounts_use_a_relative_band() -> None:
    # 200 个 at least: the band is 10% of the checkpoint = 20; 181 is 19 short → near, 179 is 21 short → missed
    t = Tolerances()
    assert judge(181.0, 200.0, Comparator.AT_LEAST, percent=False, tolerances=t).status is Status.NEAR
    assert judge(179.0, 200.0, Comparator.AT_LEAST, percent=False, tolerances=t).status is Status.MISSED


# ----------------------------------------------------------------------------- the cases without a gap


def test_judge_target_cases() -> None:
    tol = Tolerances()
    rate = _target()
    # not due: 未到期 whatever the figure (with a figure, or without)
    assert judge_target(rate, 10.0, 90.0, is_checkpoint=False, tolerances=tol).status is Status.PENDING
    assert judge_target(rate, None, 90.0, is_checkpoint=False, tolerances=tol).status is Status.PENDING
    # due without a figure: 无数据, no gap
    j = judge_target(rate, None, 90.0, is_checkpoint=True, tolerances=tol)
    assert j.status is Status.NO_DATA and math.isnan(j.gap)
    # due with a figure: the rule; 88.5% against 90% is 1.5 pp short → near
    j = judge_target(rate, 88.5, 90.0, is_checkpoint=True, tolerances=tol)
    assert j.status is Status.NEAR and j.gap == pytest.approx(-1.5)
    # the target's own tolerance replaces the plan's: 1 pp → missed
    assert judge_target(_target(tolerance=1.0), 88.5, 90.0, is_checkpoint=True, tolerances=tol).status is Status.MISSED


def test_deadline_task_without_a_number() -> None:
    task = _target(id="adjust", indicator="task_done", measure="deadline", value=None, unit="项", basis="report", due="2024-06-30")
    tol = Tolerances()
    done = judge_target(task, 1.0, None, is_checkpoint=True, tolerances=tol)
    assert (done.status, done.note) == (Status.MET, TASK_WITHOUT_NUMBER_NOTE) and math.isnan(done.gap)
    assert judge_target(task, 0.0, None, is_checkpoint=True, tolerances=tol).status is Status.MISSED
    assert judge_target(task, 0.0, None, is_checkpoint=False, tolerances=tol).status is Status.PENDING
    assert judge_target(task, None, None, is_checkpoint=True, tolerances=tol).status is Status.NO_DATA


# ----------------------------------------------------------------------------- one tolerance


def test_tolerance_is_one_named_constant() -> None:
    assert DEFAULT_NEAR_PP == 2.0
    assert Tolerances().near_pp == DEFAULT_NEAR_PP
    # completion against time progress defaults to the same band: 1.19 pp short → near; 2.5 pp short → missed
    assert completion_vs_schedule(239.2, 490.0882, "2019H1").status is Status.NEAR
    assert completion_vs_schedule(47.5, 100, "2019H1").status is Status.MISSED


def test_behind_schedule_is_the_rule() -> None:
    st = pd.DataFrame({"project_id": ["a", "b", "c", "d"], "completion_ratio": [0.47, 0.48, 0.485, None], "gap_pp": [-3.0, -2.0, -1.5, None]})
    # a is 3 pp behind (missed); b exactly 2 pp behind is near, not listed; d has no ratio
    assert pj.behind_schedule(st)["project_id"].tolist() == ["a"]
    assert pj.behind_schedule(st, 1.0)["project_id"].tolist() == ["a", "b", "c"]
    for near in (1.0, 2.0, 3.5):
        listed = set(pj.behind_schedule(st, near)["project_id"])
        assert listed == {p for p, g in zip(st["project_id"], st["gap_pp"]) if status_for_gap(float(g), near) is Status.MISSED}


def test_unit_statuses_worked_example() -> None:
    # 甲县 completed 49% at half year (1 pp short) → near; 乙县 45% (5 pp short) → missed; 丙县 has no plan → 无数据
    u = pd.DataFrame(
        {
            "annual_plan": [100.0, 200.0, 0.0],
            "invest_completion": [0.49, 0.45, float("nan")],
            "invest_gap_pp": [-1.0, -5.0, float("nan")],
            "new_starts": [10, 4, 0],
            "start_rate": [0.8, 0.5, float("nan")],
        },
        index=["甲县", "乙县", "丙县"],
    )
    r = pj.unit_statuses(u, 2.0, 81.0)  # start target 81%: 80% is 1 pp short → near; 50% → missed
    assert r["invest_status"].tolist() == ["near", "missed", "no_data"]
    assert r["start_status"].tolist() == ["near", "missed", "no_data"]
    assert pj.unit_statuses(u, 2.0, None)["start_status"].tolist() == ["pending", "pending", "no_data"]


# ----------------------------------------------------------------------------- computed once, read everywhere


@pytest.fixture(scope="module")
def ankang() -> Any:
    return load_inputs("ankang-2019")


def test_checkpoints_computed_once_in_the_evaluation(ankang: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, data = ankang.plan, ankang.loaded.data
    calls: list[str] = []
    real = hzlib.targets.checkpoint

    def counted(t: Target, *a: Any, **k: Any) -> Any:
        calls.append(t.id)
        return real(t, *a, **k)

    monkeypatch.setattr(hzlib.targets, "checkpoint", counted)
    m = build_report(plan, data, f"{plan.year}Q2")
    # the evaluation alone: each target at the period and at the other three quarter ends, nothing more
    assert len(calls) == 4 * len(plan.targets)
    assert m.checkpoints is m.evaluation.checkpoints
    ev = m.evaluation
    assert ev.targets["checkpoint"].tolist() == pytest.approx(ev.checkpoints["checkpoint"].astype(float).tolist(), nan_ok=True)
    assert ev.checkpoint_path["Q2"].tolist() == pytest.approx(ev.targets["checkpoint"].tolist(), nan_ok=True)

    # the chart of checkpoint paths reads the evaluation's column: no checkpoint computed while drawing
    def refuse(*a: Any, **k: Any) -> Any:
        raise AssertionError("a figure computed a checkpoint")

    monkeypatch.setattr(hzlib.targets, "checkpoint", refuse)
    chart = figures.checkpoint_paths_chart(m)
    assert chart is not None
    by_label = {t.label: t for t in plan.targets}
    for label, row in chart.data.iterrows():
        t = by_label[str(label).split("等")[0]]
        assert t.value
        expected = [v / float(t.value) * 100.0 for v in ev.checkpoint_path.loc[t.id] if not pd.isna(v)]
        assert list(row.dropna()) == pytest.approx(expected)


def test_completion_sentence_and_unit_statuses_come_from_the_evaluation(ankang: Any) -> None:
    plan, data = ankang.plan, ankang.loaded.data
    m = build_report(plan, data, f"{plan.year}Q2")
    ev = m.evaluation
    c = ev.completion
    assert c is not None
    tot = ev.totals
    assert c.completed == float(tot["completed_cum"]) and c.planned == float(tot["annual_plan"])
    sentence = c.sentence_zh(period_zh=m.period.label_zh(), subject=f"全部{int(tot['projects'])}个重点项目", per_unit=1e4, with_status=True)
    assert sentence + "。" in m.sentences
    assert "时序进度" in sentence and f"（{c.status.zh}）" in sentence
    parts = m.extra["completion"]
    assert isinstance(parts, dict) and parts["status"] == c.status.value
    assert c.status is status_for_gap(c.gap_pp, plan.tolerances.near_pp)
    u = m.units
    assert len(u) and u is ev.units
    assert u["invest_status"].tolist() == [
        status_for_gap(g, plan.tolerances.near_pp).value if p > 0 and not pd.isna(v) else Status.NO_DATA.value
        for g, v, p in zip(u["invest_gap_pp"], u["invest_completion"], u["annual_plan"])
    ]


def test_a_plan_tolerance_moves_every_status_together(ankang: Any) -> None:
    """The plan's ``tolerances.near_pp`` is the one band: targets, units, projects and the sentence move together."""
    plan, data = ankang.plan, ankang.loaded.data
    narrow = build_report(plan, data, f"{plan.year}Q2")
    wide_plan = plan.model_copy(update={"tolerances": plan.tolerances.model_copy(update={"near_pp": 50.0})})
    wide = build_report(wide_plan, data, f"{plan.year}Q2")
    # the bundled 2019 H1 ledger: some units and projects more than 2 pp behind time progress, none 50 pp behind
    assert (narrow.units["invest_status"] == "missed").any() and not narrow.actions["behind"].empty
    assert not (wide.units["invest_status"] == "missed").any() and wide.actions["behind"].empty
    for m, near in ((narrow, 2.0), (wide, 50.0)):
        ev = m.evaluation
        assert ev.completion is not None and ev.completion.status is status_for_gap(ev.completion.gap_pp, near)
        for r in ev.targets[ev.targets["gap_unit"] == "pp"].itertuples():
            t = plan.target(str(r.target_id))
            if r.is_checkpoint and t.comparator is Comparator.AT_LEAST and t.tolerance is None:
                assert r.status == status_for_gap(float(r.gap), near).value, r.target_id
