"""The one status rule applied to targets: met / near / missed (达标 / 基本达标 / 未达标) from a gap.

The rule itself is :func:`hzlib.arithmetic.status_for_gap`; this module sets its band
and options from the target and the plan. The evaluation judges every target with
:func:`judge_target` (which also knows the cases without a gap: no figure, not yet
due, a deadline task without a number), units' and projects' completion against time
progress with the same rule (:mod:`.projects`); the 偏离度 table, the per-unit rows and
the colours of the charts read those statuses, never recompute them.

- percentages (growth, share, rate, coverage): the gap is in percentage points;
  near when short by at most ``near_pp`` (or the target's ``tolerance``);
- amounts, counts, quantities: the gap is in the target's unit; near when short
  by at most ``near_ratio`` of the checkpoint;
- ``at_least`` (以上/不低于/达到): met when gap ≥ 0; ``more_than`` (突破/超过): met
  when gap > 0; ``about`` (左右): met down to ``about_pp`` below (percentages only);
  ``at_most`` (以内/不超过): the mirror of ``at_least``;
- not yet due: ``pending`` (未到期), whatever the figure;
- no figure (or no checkpoint) when due: ``no_data`` (无数据);
- a task with a deadline and no number (完成…调整): done when its reported value is above 0.

>>> from hzlib.plan.schema import Comparator, Tolerances
>>> t = Tolerances()
>>> judge(48.81, 50.0, Comparator.AT_LEAST, percent=True, tolerances=t).status.zh
'基本达标'
>>> judge(45.0, 50.0, Comparator.AT_LEAST, percent=True, tolerances=t).status.zh
'未达标'
>>> j = judge(7.6, 8.0, Comparator.ABOUT, percent=True, tolerances=t)
>>> round(j.gap, 2), j.status.value
(-0.4, 'met')
>>> judge(100.0, 100.0, Comparator.MORE_THAN, percent=True, tolerances=t).status.value
'near'
>>> judge(92.0, 100.0, Comparator.AT_LEAST, percent=False, tolerances=t).status.value
'near'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..arithmetic import Status, status_for_gap
from ..glossary import INCOMPLETE_ZH, Deviation
from ..plan.schema import Comparator, Measure, Target, Tolerances

__all__ = [
    "Judgement",
    "judge",
    "judge_target",
    "near_band",
    "is_task_without_number",
    "TASK_WITHOUT_NUMBER_NOTE",
    "DeviationJudgement",
    "judge_deviation",
    "DEVIATION_UNQUANTIFIED",
    "DEVIATION_NOTHING_DUE",
]


@dataclass(frozen=True)
class Judgement:
    """A figure against its checkpoint: the signed gap (actual − checkpoint) and the status."""

    gap: float
    status: Status
    note: str = ""  # how the status was reached, when the gap does not say it


def near_band(checkpoint: float, *, percent: bool, tolerances: Tolerances, tolerance: float | None = None) -> float:
    """How far short a figure may be and still be 基本达标, in pp or in the target's unit.

    >>> near_band(50.0, percent=True, tolerances=Tolerances()), near_band(200.0, percent=False, tolerances=Tolerances())
    (2.0, 20.0)
    """
    if percent:
        return tolerance if tolerance is not None else tolerances.near_pp
    base = abs(checkpoint) if checkpoint else 1.0
    return (tolerance if tolerance is not None else tolerances.near_ratio) * base


def judge(
    actual: float,
    checkpoint: float,
    comparator: Comparator,
    *,
    percent: bool,
    tolerances: Tolerances,
    tolerance: float | None = None,
    is_checkpoint: bool = True,
) -> Judgement:
    """Gap and status of ``actual`` against ``checkpoint`` (both in the same unit): the band and
    the comparator's options for :func:`hzlib.arithmetic.status_for_gap`."""
    gap = actual - checkpoint
    if not is_checkpoint:
        return Judgement(gap, Status.PENDING)
    if math.isnan(gap):
        return Judgement(gap, Status.NO_DATA)
    near = near_band(checkpoint, percent=percent, tolerances=tolerances, tolerance=tolerance)
    slack = tolerances.about_pp if percent and comparator is Comparator.ABOUT else 0.0
    status = status_for_gap(gap, near, higher_is_better=comparator is not Comparator.AT_MOST, strict=comparator is Comparator.MORE_THAN, slack=slack)
    return Judgement(gap, status)


#: The note of a deadline task without a number, judged by whether anything was reported.
TASK_WITHOUT_NUMBER_NOTE = "未定数量的限期任务：报送值大于0即为完成"


def is_task_without_number(t: Target) -> bool:
    """A task with a deadline and no number (完成…调整): reported as done (a value above 0) or not."""
    return t.measure is Measure.DEADLINE and t.value is None


def judge_target(t: Target, actual: float | None, checkpoint: float | None, *, is_checkpoint: bool, tolerances: Tolerances) -> Judgement:
    """The status of target ``t`` at a period end: every case the evaluation meets, one rule.

    - not yet due (``is_checkpoint`` false): 未到期, whatever the figure;
    - a deadline task without a number: 达标 when the reported value is above 0, else 未达标
      (there is no gap to show);
    - no figure, or no checkpoint: 无数据;
    - otherwise :func:`judge` with the target's comparator and tolerance.

    >>> from hzlib.plan.schema import Tolerances
    >>> src = {"file": "x.txt", "section": "一", "quote": "年底前完成调整"}
    >>> task = Target.model_validate({"id": "adjust", "label": "完成调整", "indicator": "task_done", "measure": "deadline",
    ...     "unit": "项", "basis": "report", "due": "2024-12-31", "scope": {"jurisdiction": "镇巴县"}, "source": src})
    >>> judge_target(task, 1.0, None, is_checkpoint=True, tolerances=Tolerances()).status.zh
    '达标'
    >>> judge_target(task, 0.0, None, is_checkpoint=False, tolerances=Tolerances()).status.zh
    '未到期'
    """
    if actual is not None and is_task_without_number(t):
        done = Status.MET if actual > 0 else Status.MISSED
        return Judgement(math.nan, done if is_checkpoint else Status.PENDING, TASK_WITHOUT_NUMBER_NOTE)
    if actual is None or checkpoint is None:
        return Judgement(math.nan, Status.NO_DATA if is_checkpoint else Status.PENDING)
    return judge(actual, checkpoint, t.comparator, percent=t.is_percent, tolerances=tolerances, tolerance=t.tolerance, is_checkpoint=is_checkpoint)


# ----------------------------------------------------------------------------- 偏离度

#: The judgement of a 偏离度 dimension whose plan text gives no number (nothing is invented).
DEVIATION_UNQUANTIFIED = "方案未给出量化标准，不作判断"
#: The judgement of a dimension none of whose targets is due this period.
DEVIATION_NOTHING_DUE = f"本期无可考核目标（{Status.PENDING.zh}）"


@dataclass(frozen=True)
class DeviationJudgement:
    """A 偏离度 dimension this period: the judgement, and the due targets without a figure."""

    judgement: str
    missing: tuple[str, ...]  # labels of the targets due this period that have no data


def judge_deviation(targets: list[tuple[str, str, bool]]) -> DeviationJudgement:
    """Judge a 偏离度 dimension from its targets' ``(label, status, is_checkpoint)``.

    Any 未达标 → 偏离 (with the missing figures named after it, when some are missing);
    else a due target without data → 数据不全 naming those targets (a missing figure could
    be the one that deviates: never 未偏离 nor 轻微偏离); else any 基本达标 → 轻微偏离;
    else any 达标 → 未偏离; a dimension whose targets are all not yet due says so.
    A target not due this period is not an input of the judgement, with or without a figure.

    >>> judge_deviation([("开工率", "met", True), ("覆盖率", "no_data", True)]).judgement
    '数据不全：覆盖率无数据，不作判断'
    >>> judge_deviation([("开工率", "missed", True), ("覆盖率", "no_data", True)]).judgement
    '偏离（数据不全：覆盖率无数据）'
    >>> judge_deviation([("开工率", "near", True), ("覆盖率", "no_data", False)]).judgement
    '轻微偏离'
    >>> judge_deviation([("开工率", "met", True), ("清单", "pending", False)]).judgement
    '未偏离'
    >>> judge_deviation([]).judgement, judge_deviation([("清单", "pending", False)]).judgement
    ('方案未给出量化标准，不作判断', '本期无可考核目标（未到期）')
    """
    if not targets:
        return DeviationJudgement(DEVIATION_UNQUANTIFIED, ())
    statuses = [s for _, s, _ in targets]
    missing = tuple(label for label, s, due in targets if s == Status.NO_DATA.value and due)
    named = "、".join(missing)
    if Status.MISSED.value in statuses:
        return DeviationJudgement(Deviation.DEVIATED.zh + (f"（{INCOMPLETE_ZH}：{named}{Status.NO_DATA.zh}）" if missing else ""), missing)
    if missing:
        return DeviationJudgement(f"{INCOMPLETE_ZH}：{named}{Status.NO_DATA.zh}，不作判断", missing)
    if Status.NEAR.value in statuses:
        return DeviationJudgement(Deviation.SLIGHT.zh, ())
    if Status.MET.value in statuses:
        return DeviationJudgement(Deviation.NONE.zh, ())
    return DeviationJudgement(DEVIATION_NOTHING_DUE, ())
