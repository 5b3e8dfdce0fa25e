"""One rule for what is a target (docs/plans.md, "What is a target / 什么算目标"), checked on every plan.

Every place a seed text names a frequency (每周、每月、每季度、按月、周调度、月通报 …), a coverage
(全覆盖、一对一 …) or a vague recurrence (定期、常态化) must lie inside some quote of its plan
file: a target, an alternative, an ambiguity, a deviation, the project list or a non-target
(a passage deliberately not encoded, with the reason). Nothing that reads like a duty is
skipped silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hzlib.plan import list_plan_ids, load_plan
from hzlib.plan.quotes import normalise, plan_quotes, verify_quotes
from hzlib.plan.schema import Basis, Measure, Period_, Phasing, Plan

#: Words that mark a recurring duty, a coverage duty, or a recurrence without a number.
FREQUENCY_WORDS = (
    "每周",
    "每月",
    "每季度",
    "每季",
    "每半年",
    "每年",
    "每两月",
    "双月",
    "按月",
    "按季",
    "周调度",
    "月调度",
    "周监测",
    "月通报",
    "季通报",
    "季度通报",
    "月统计",
    "季考核",
    "年考核",
    "年终评",
    "季度成效",
)
COVERAGE_WORDS = ("全覆盖", "一对一", "一项目一")
VAGUE_WORDS = ("定期", "常态化")
KEYWORDS = FREQUENCY_WORDS + COVERAGE_WORDS + VAGUE_WORDS


def _plans() -> list[str]:
    return list_plan_ids()


def _spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every quote in ``text`` (both whitespace-free), as (start, end)."""
    spans = []
    for q in quotes:
        start = text.find(q)
        while q and start >= 0:
            spans.append((start, start + len(q)))
            start = text.find(q, start + 1)
    return spans


def uncovered(plan: Plan, seed_text: str) -> list[tuple[str, str]]:
    """(keyword, surrounding text) of each keyword occurrence in ``seed_text`` outside every quote of ``plan``."""
    text = normalise(seed_text)
    quotes = [normalise(q.quote) for q in plan_quotes(plan) if (q.file or plan.source_file) == plan.source_file]
    spans = _spans(text, quotes)
    out = []
    for word in KEYWORDS:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not any(s <= at and end <= e for s, e in spans):
                out.append((word, text[max(0, at - 30) : end + 30]))
            at = text.find(word, at + 1)
    return out


def test_uncovered_finds_a_keyword_outside_every_quote() -> None:
    plan = load_plan("xian-port-2023")
    fake = "前文。委领导每月到现场一次。后文。"
    found = uncovered(plan, fake)
    assert [w for w, _ in found] == ["每月"] and "委领导每月到现场一次" in found[0][1]


@pytest.mark.parametrize("plan_id", _plans())
def test_every_duty_word_of_the_seed_is_quoted(plan_id: str, seeds_dir: Path) -> None:
    plan = load_plan(plan_id)
    assert plan.source_file is not None, f"{plan_id}: no source_file"
    seed = seeds_dir / plan.source_file
    assert seed.exists(), f"{plan_id}: seed {plan.source_file} not found"
    missing = uncovered(plan, seed.read_text(encoding="utf-8"))
    assert not missing, (
        f"{plan_id}.yaml: {len(missing)} duty word(s) of {plan.source_file} are in no quote of the plan "
        "(encode a target with the rule of docs/plans.md, or add a non_targets entry with the reason):\n"
        + "\n".join(f"  “{w}” in …{ctx}…" for w, ctx in missing)
    )


@pytest.mark.parametrize("plan_id", _plans())
def test_duty_targets_follow_the_rule(plan_id: str) -> None:
    plan = load_plan(plan_id)
    for t in plan.targets:
        where = f"{plan_id}.yaml targets({t.id})"
        if t.measure is Measure.FREQUENCY:
            assert t.frequency is not None, f"{where}: a frequency target needs frequency: {{per: …}}"
            assert t.basis is Basis.REPORT, f"{where}: a frequency target is measured on reported counts (basis: report)"
            assert t.effective_phasing is Phasing.FREQUENCY, f"{where}: a frequency target's phasing is frequency"
            assert t.value is not None and t.value > 0, f"{where}: value is the number of times per period"
            # the duty is owed from the plan's issue date when the plan came out after 1 January;
            # a yearly duty is owed once in the plan year and never takes a start
            mid_year = plan.issued is not None and plan.issued.year == plan.year and (plan.issued.month, plan.issued.day) != (1, 1)
            expected = plan.issued if mid_year and t.frequency.per is not Period_.YEAR else None
            assert t.frequency.start == expected, f"{where}: frequency.start should be {expected} (docs/plans.md: start)"
        if t.measure is Measure.COVERAGE:
            assert t.unit == "%" and t.value == 100, f"{where}: a coverage target is 100 %"
            assert t.basis is Basis.REPORT, f"{where}: a coverage target is measured on reported figures (basis: report)"
            assert t.effective_phasing in (Phasing.CONSTANT, Phasing.DEADLINE), f"{where}: coverage is constant or deadline"
            assert t.effective_phasing is not Phasing.DEADLINE or t.due is not None, f"{where}: a coverage deadline needs due"


@pytest.mark.parametrize("plan_id", _plans())
def test_non_target_quotes_are_checked(plan_id: str, seeds_dir: Path) -> None:
    plan = load_plan(plan_id)
    assert plan.non_targets, f"{plan_id}.yaml records no non_targets"
    fake = plan.non_targets[0].model_copy(update={"quote": "委领导每天到现场99次"})
    bad = plan.model_copy(update={"non_targets": [fake, *plan.non_targets[1:]]})
    problems = verify_quotes(bad, seeds_dir)
    assert [p.column for p in problems] == ["non_targets[0]"] and "99次" in problems[0].message
