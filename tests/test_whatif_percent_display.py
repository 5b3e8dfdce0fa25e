"""What-if tables and charts hold fractions inside and show percent numbers: the crossing is
:func:`hzlib.units.to_percent`, and a rate the plan or the user wrote as a percent comes out
as the same percent number."""

from __future__ import annotations

import math

import pytest

from hzlib.whatif import figures, views
from hzlib.whatif.compare import WhatIf
from hzlib.whatif.load import load_whatif


@pytest.fixture(scope="module")
def model() -> WhatIf:
    # zhenba-2024: 固定资产投资增长8% (the plan's own percent); the user assumes Q3 6%, Q4 10%
    return load_whatif("zhenba-2024", "2024Q2", assume=["Q3=6%,Q4=10%"])


@pytest.mark.parametrize(
    ("fraction", "digits", "shown"),
    [(0.125, 1, "12.5%"), (0.0725, 2, "7.25%"), (-0.0119, 2, "-1.19%"), (0.08, 1, "8%"), (math.nan, 1, "—")],
)
def test_pct_shows_a_fraction_as_percent(fraction: float, digits: int, shown: str) -> None:
    # 0.125 is 12.5%; a 1.19-point shortfall (-0.0119) is -1.19%; trailing zeros dropped: 0.08 -> 8%
    assert views._pct(fraction, digits) == shown


def test_the_plans_target_comes_back_as_its_percent(model: WhatIf) -> None:
    fai = next(g for g in model.growth if g.indicator == "fai")
    assert fai.target == pytest.approx(0.08)  # fraction inside
    i = model.growth.index(fai)
    assert views.growth_zh(model).loc[i, "全年目标"] == "8%"
    assert views.excel_tables(model)["增速测算"].loc[i, "全年目标（%）"] == pytest.approx(8.0)
    chart = figures.required_chart(model)
    assert chart is not None and chart.data.loc[i, "target_value"] == pytest.approx(8.0)


def test_the_assumed_growth_is_drawn_where_the_user_put_it(model: WhatIf) -> None:
    fai = next(g for g in model.growth if g.indicator == "fai")
    pts = figures._points_frame(fai, model)
    # "Q3=6%,Q4=10%": the rows axis is Q3, the columns axis Q4, both in percent numbers on the chart
    assert pts.loc[0, "row"] == pytest.approx(6.0) and pts.loc[0, "col"] == pytest.approx(10.0)
    assert pts.loc[0, "year_end"] == pytest.approx(fai.points[0].year_end * 100)
