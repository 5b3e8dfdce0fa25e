"""Worked examples and properties of the core arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hzlib import (
    Status,
    completion_vs_schedule,
    cumulative_growth,
    milestone_count,
    required_growth,
    time_progress,
)
from hzlib.arithmetic import profile_shares, status_for_gap


# ---- time progress -------------------------------------------------------
@pytest.mark.parametrize(
    "period, expected",
    [
        ("2019-06", 0.5),
        ("2019Q2", 0.5),
        ("2019H1", 0.5),
        ("2019", 1.0),
        ("2019Q1", 0.25),
        ("2019Q3", 0.75),
        ("2019Q4", 1.0),
        ("2019H2", 1.0),
        ("2019-01", 1 / 12),
        ("2019-12", 1.0),
    ],
)
def test_time_progress(period: str, expected: float) -> None:
    assert time_progress(period) == pytest.approx(expected, abs=0)


@pytest.mark.parametrize("bad", ["2019-13", "2019Q5", "2019H3", "19Q1", "Q1", "", "2019-00"])
def test_time_progress_rejects_bad_periods(bad: str) -> None:
    with pytest.raises(ValueError, match=r"期别|月份"):
        time_progress(bad)


# ---- milestone counts ----------------------------------------------------
@pytest.mark.parametrize(
    "rate, total, expected",
    [
        (0.56, 13, 8),
        (0.8, 30, 24),
        (0.7, 17, 12),
        (0.9, 13, 12),
        (1.0, 13, 13),
        (0.8, 87, 70),
        (0.0, 10, 0),
        (1.0, 0, 0),
        (0.5, 0, 0),
        (0.3, 10, 3),
        (0.1, 30, 3),
        (0.7, 10, 7),
    ],
)
def test_milestone_count(rate: float, total: int, expected: int) -> None:
    assert milestone_count(rate, total) == expected


def test_milestone_count_rejects_percent_numbers() -> None:
    with pytest.raises(ValueError, match="fraction"):
        milestone_count(80, 30)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=10_000))
def test_milestone_count_is_smallest_reaching_count(pct: int, total: int) -> None:
    n = milestone_count(pct / 100, total)
    # exact integer arithmetic: n*100 >= pct*total and (n-1)*100 < pct*total
    assert n * 100 >= pct * total
    assert n == 0 or (n - 1) * 100 < pct * total


# ---- cumulative and required growth ---------------------------------------
def test_cumulative_growth_from_levels() -> None:
    assert cumulative_growth([105, 315], [100, 300, 300, 300], 2) == pytest.approx(0.05)
    assert cumulative_growth([90], [100, 1, 1, 1], 1) == pytest.approx(-0.10)
    with pytest.raises(ZeroDivisionError):
        cumulative_growth([1], [0, 1, 1, 1], 1)


def test_required_growth_worked_example() -> None:
    r = required_growth(0.08, [18, 30, 27, 25], 0.05, 1)
    assert r == pytest.approx((1.08 - 0.18 * 1.05) / 0.82 - 1)
    assert round(r * 100, 2) == 8.66


def test_required_growth_accepts_levels_and_periods() -> None:
    shares = required_growth(0.08, [18, 30, 27, 25], 0.05, "2024Q1")
    levels = required_growth(0.08, [180.0, 300.0, 270.0, 250.0], 0.05, 1)
    assert shares == pytest.approx(levels)


def test_required_growth_on_track_needs_the_target() -> None:
    # growing at exactly the target so far: the rest needs exactly the target
    assert required_growth(0.08, [18, 30, 27, 25], 0.08, 2) == pytest.approx(0.08)


def test_required_growth_after_q4_is_an_error() -> None:
    with pytest.raises(ValueError, match="Q4"):
        required_growth(0.08, [18, 30, 27, 25], 0.05, 4)


def test_required_growth_zero_remaining_base() -> None:
    with pytest.raises(ValueError, match="zero"):
        required_growth(0.08, [50, 50, 0, 0], 0.05, 2)


def test_profile_shares_validation() -> None:
    with pytest.raises(ValueError):
        profile_shares([1, 2, 3])
    with pytest.raises(ValueError):
        profile_shares([0, 0, 0, 0])


@given(
    st.lists(st.floats(min_value=1, max_value=1e6), min_size=4, max_size=4),
    st.floats(min_value=-0.5, max_value=0.5),
    st.floats(min_value=-0.5, max_value=0.5),
    st.integers(min_value=1, max_value=3),
)
def test_growing_the_rest_at_required_growth_meets_the_target(last_year: list[float], target: float, so_far: float, k: int) -> None:
    """Property: levels built from required growth give exactly the annual target."""
    r = required_growth(target, last_year, so_far, k)
    assume(r > -1)
    done = (1 + so_far) * sum(last_year[:k])
    rest = (1 + r) * sum(last_year[k:])
    annual = (done + rest) / sum(last_year) - 1
    assert annual == pytest.approx(target, abs=1e-9)


# ---- completion against time progress ---------------------------------------
def test_completion_vs_schedule_ankang_h1() -> None:
    c = completion_vs_schedule(239.2, 4900882 / 10_000, "2019H1")
    assert round(c.rate * 100, 2) == 48.81
    assert c.time_progress == 0.5
    assert round(c.gap_pp, 2) == -1.19
    assert c.status is Status.NEAR
    assert c.sentence_zh(period_zh="上半年") == "上半年完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点"


def test_completion_vs_schedule_tolerance_is_configurable() -> None:
    assert completion_vs_schedule(239.2, 490.0882, "2019H1", near_pp=1.0).status is Status.MISSED
    assert completion_vs_schedule(250, 490.0882, "2019H1").status is Status.MET


def test_completion_vs_schedule_zero_plan() -> None:
    c = completion_vs_schedule(0, 0, "2019Q4")
    assert c.status is Status.NOT_APPLICABLE
    assert math.isnan(c.rate)


def test_completion_vs_schedule_q4_full() -> None:
    c = completion_vs_schedule(100, 100, "2019Q4")
    assert c.gap_pp == pytest.approx(0) and c.status is Status.MET
    assert "持平" in c.sentence_zh()


def test_status_for_gap_directions() -> None:
    assert status_for_gap(-1.0, 2.0) is Status.NEAR
    assert status_for_gap(-1.0, 2.0, higher_is_better=False) is Status.MET
    assert status_for_gap(3.0, 2.0, higher_is_better=False) is Status.MISSED
    assert status_for_gap(float("nan"), 2.0) is Status.NO_DATA
