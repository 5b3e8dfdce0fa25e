"""Worked examples and properties of the what-if growth arithmetic (fractions throughout)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hzlib.arithmetic import required_growth
from hzlib.whatif.growth import (
    flat_sensitivity,
    growth_axis,
    growth_path,
    history_band,
    history_from_profiles,
    projected_growth,
    remaining_quarters,
    required_growth_compared,
    sensitivity_grid,
)

PROFILE = [18, 30, 27, 25]


# ---- worked examples (the module docstring's, as unit tests) -------------------------------------
def test_projection_with_single_quarter_growth() -> None:
    # 6% after Q2; Q3 +6%, Q4 +10%: (0.48·1.06 + 0.27·1.06) / 0.75 − 1 = 6%, then + 0.25·1.10 → 7%
    p = growth_path(PROFILE, "2024Q2", 0.06, {3: 0.06, 4: 0.10})
    assert p.cumulative[2] == pytest.approx(0.06)
    assert p.cumulative[3] == pytest.approx(0.06, abs=1e-12)
    assert p.year_end == pytest.approx(0.07, abs=1e-12)
    assert p.single == pytest.approx({3: 0.06, 4: 0.10})


def test_projection_with_cumulative_growth_gives_the_quarters_back() -> None:
    p = growth_path(PROFILE, 2, 0.06, {3: 0.06, 4: 0.07}, basis="cumulative")
    assert p.single[3] == pytest.approx(0.06, abs=1e-12)
    assert p.single[4] == pytest.approx(0.10, abs=1e-12)
    assert p.at(4) == pytest.approx(0.07)


def test_projection_levels_are_in_the_profile_units() -> None:
    levels = [1800.0, 3000.0, 2700.0, 2500.0]  # 万元
    p = growth_path(levels, 2, 0.06, 0.10)
    assert p.done_level == pytest.approx(1.06 * 4800)
    assert p.levels == pytest.approx({3: 2970.0, 4: 2750.0})
    assert p.year_end == pytest.approx((1.06 * 4800 + 2970 + 2750) / 10000 - 1)


def test_flat_rate_and_projection_at_a_quarter() -> None:
    assert projected_growth(PROFILE, 1, 0.05, 0.08) == pytest.approx(0.189 + 0.82 * 1.08 - 1)
    assert projected_growth(PROFILE, 1, 0.05, 0.08, at=2) == pytest.approx((0.189 + 0.3 * 1.08) / 0.48 - 1)
    assert remaining_quarters(1) == (2, 3, 4)


def test_required_growth_seasonal_and_even() -> None:
    r = required_growth_compared(0.08, PROFILE, 0.05, "2024Q1")
    assert r.seasonal == pytest.approx(0.0866, abs=5e-5)  # DOMAIN.md example
    assert r.even == pytest.approx((1.08 - 1.05 * 0.25) / 0.75 - 1)
    assert r.difference_pp == pytest.approx((r.seasonal - r.even) * 100)
    r2 = required_growth_compared(0.08, PROFILE, 0.06, 2)
    assert (round(r2.seasonal, 4), round(r2.even, 4)) == (0.0985, 0.1)
    assert "按上年季节分布需增长9.8%" in r2.sentence_zh() and "均匀分布测算需增长10.0%" in r2.sentence_zh()


def test_two_quarter_grid_and_break_even() -> None:
    g = sensitivity_grid(PROFILE, 2, 0.06, 0.08, rows=[0.04, 0.06], cols=[0.10, 0.14])
    assert (g.row_quarters, g.col_quarters) == ((3,), (4,))
    assert (g.row_label_zh, g.col_label_zh) == ("三季度增速", "四季度增速")
    assert g.values.shape == (2, 2)
    assert g.values[1].round(10).tolist() == [0.07, 0.08]
    assert g.break_even.col_for(0.06) == pytest.approx(0.14)
    assert g.break_even.row_for(0.14) == pytest.approx(0.06)
    frame = g.frame()
    assert frame.loc[0.06, 0.14] == pytest.approx(0.08)
    assert g.reaches().loc[0.06, 0.14] and not g.reaches().loc[0.06, 0.10]
    line = g.break_even_line()
    assert line["col_needed"].tolist() == pytest.approx([(0.0512 - 0.27 * 0.04) / 0.25, 0.14])


def test_grid_shapes_for_one_and_three_remaining_quarters() -> None:
    g1 = sensitivity_grid(PROFILE, 3, 0.06, 0.08, rows=[0.0, 0.1])
    assert (g1.row_quarters, g1.col_quarters, g1.values.shape) == ((4,), (), (2,))
    assert g1.break_even.rate == pytest.approx(required_growth(0.08, PROFILE, 0.06, 3))
    assert list(g1.frame().columns) == ["year_end"]
    g3 = sensitivity_grid(PROFILE, 1, 0.05, 0.08)
    assert (g3.row_quarters, g3.col_quarters) == ((2,), (3, 4))
    assert g3.col_label_zh == "三、四季度增速"
    # default axes: whole percents around the growth still needed (8.66%)
    assert g3.rows == growth_axis(required_growth(0.08, PROFILE, 0.05, 1))
    assert g3.rows[0] == pytest.approx(0.03) and g3.rows[-1] == pytest.approx(0.14)


def test_flat_grid_break_even_is_required_growth() -> None:
    g = flat_sensitivity(PROFILE, 1, 0.05, 0.08, rates=[0.08, 0.09])
    assert g.row_quarters == (2, 3, 4)
    assert g.break_even.rate == pytest.approx(required_growth(0.08, PROFILE, 0.05, 1))
    assert g.values.round(4).tolist() == [0.0746, 0.0828]


def test_history_band_worked_example() -> None:
    hist = {2021: [20, 29, 26, 25], 2022: [17, 29, 28, 26], 2023: [18, 30, 27, 25]}
    b = history_band(hist, PROFILE, 2, 0.06, 0.08)
    assert b.available and b.years == (2021, 2022, 2023)
    assert b.ratios == pytest.approx((51 / 49, 54 / 46, 52 / 48))
    assert b.outcomes == pytest.approx((0.5088 * (1 + 51 / 49) - 1, 0.5088 * (1 + 54 / 46) - 1, 0.06))
    assert (b.low, b.high) == (min(b.outcomes), max(b.outcomes))
    assert b.median == pytest.approx(0.06)
    assert b.share_reaching == pytest.approx(1 / 3)
    assert b.frame()["reaches"].tolist() == [False, True, False]
    assert "3年中有1年" in b.sentence_zh()


def test_history_band_needs_three_usable_years() -> None:
    b = history_band({2022: [17, 29, 28, 26], 2023: [18, 30, 27, 25], 2021: [0, 0, 50, 50]}, PROFILE, 2, 0.06, 0.08)
    assert not b.available
    assert b.reason_zh == "历史季度数据只有2年（2022、2023年），少于3年，不给出区间"
    assert math.isnan(b.low) and math.isnan(b.share_reaching)
    assert b.sentence_zh() == b.reason_zh
    assert history_band({}, PROFILE, 2, 0.06, 0.08).reason_zh == "历史季度数据只有0年，少于3年，不给出区间"


def test_history_from_profiles_table() -> None:
    profiles = pd.DataFrame(
        {
            "jurisdiction": ["甲县"] * 4 + ["乙县"],
            "indicator": ["fai"] * 5,
            "year": pd.array([2021, 2022, 2023, 2024, 2022], dtype="Int64"),
            "q1": [1.0, 2.0, 3.0, 4.0, 9.0],
            "q2": [1.0, 2.0, 3.0, 4.0, 9.0],
            "q3": [1.0, 2.0, 3.0, 4.0, 9.0],
            "q4": [1.0, 2.0, 3.0, 4.0, 9.0],
        }
    )
    hist = history_from_profiles(profiles, "甲县", "fai", before_year=2024)
    assert hist == {2021: [1.0] * 4, 2022: [2.0] * 4, 2023: [3.0] * 4}
    assert history_from_profiles(profiles.iloc[0:0], "甲县", "fai", 2024) == {}


@pytest.mark.parametrize(
    "call",
    [
        lambda: growth_path(PROFILE, 4, 0.06, []),
        lambda: growth_path(PROFILE, 2, 0.06, {3: 0.06}),
        lambda: growth_path(PROFILE, 2, 0.06, [0.06]),
        lambda: growth_path(PROFILE, 2, 0.06, 0.06, basis="yearly"),  # type: ignore[arg-type]
        lambda: growth_path([1, 2, 3], 2, 0.06, 0.06),
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


def test_after_q4_nothing_remains() -> None:
    with pytest.raises(ValueError, match="基期应为一至三季度"):
        remaining_quarters("2024Q4")


# ---- properties ---------------------------------------------------------------------------------
profiles = st.lists(st.floats(min_value=1.0, max_value=1e6, allow_nan=False), min_size=4, max_size=4)
rates = st.floats(min_value=-0.5, max_value=1.0, allow_nan=False)
quarters = st.integers(min_value=1, max_value=3)


@given(profiles, rates, rates, quarters)
def test_required_growth_in_every_remaining_quarter_lands_on_the_target(profile: list[float], target: float, cum: float, k: int) -> None:
    """The property that matters most: assume exactly the growth still needed, reach exactly the target."""
    r = required_growth(target, profile, cum, k)
    assert projected_growth(profile, k, cum, r) == pytest.approx(target, abs=1e-9)
    assert flat_sensitivity(profile, k, cum, target, rates=[r]).values[0] == pytest.approx(target, abs=1e-9)


@given(profiles, rates, rates, quarters, st.floats(min_value=0.01, max_value=1e4))
def test_profile_scale_does_not_matter(profile: list[float], g: float, cum: float, k: int, scale: float) -> None:
    a = growth_path(profile, k, cum, g)
    b = growth_path([v * scale for v in profile], k, cum, g)
    assert a.cumulative == pytest.approx(b.cumulative, abs=1e-9)


@given(profiles, rates, st.lists(rates, min_size=3, max_size=3), quarters)
def test_single_and_cumulative_assumptions_are_the_same_path(profile: list[float], cum: float, gs: list[float], k: int) -> None:
    single = growth_path(profile, k, cum, gs[: 4 - k])
    back = growth_path(profile, k, cum, {q: single.cumulative[q] for q in range(k + 1, 5)}, basis="cumulative")
    assert back.single == pytest.approx(single.single, abs=1e-9)
    assert back.cumulative == pytest.approx(single.cumulative, abs=1e-9)


@given(profiles, rates, rates, quarters, rates, rates)
def test_grid_cells_and_break_even_agree_with_the_projection(profile: list[float], target: float, cum: float, k: int, r: float, c: float) -> None:
    g = sensitivity_grid(profile, k, cum, target, rows=[r], cols=[c])
    rest = list(range(k + 1, 5))
    assumed = {q: (r if q == rest[0] else c) for q in rest}
    cell = g.values[0, 0] if g.col_quarters else g.values[0]
    assert cell == pytest.approx(projected_growth(profile, k, cum, assumed), abs=1e-9)
    if g.col_quarters:
        needed = g.break_even.col_for(r)
        assume(math.isfinite(needed))
        on_line = {q: (r if q == rest[0] else needed) for q in rest}
        assert projected_growth(profile, k, cum, on_line) == pytest.approx(target, abs=1e-9)


@given(st.lists(profiles, min_size=3, max_size=8), profiles, rates, rates, quarters)
def test_history_band_brackets_its_outcomes(hist: list[list[float]], profile: list[float], cum: float, target: float, k: int) -> None:
    b = history_band(dict(enumerate(hist, start=2000)), profile, k, cum, target)
    assert b.available
    assert b.low <= b.median <= b.high
    assert 0.0 <= b.share_reaching <= 1.0
    out = np.asarray(b.outcomes)
    assert np.all((out >= b.low - 1e-12) & (out <= b.high + 1e-12))
