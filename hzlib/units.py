"""Units of the plans and the data, and exact conversions between them.

Money is 万元 (10^4 CNY), 亿元 (10^8 CNY) or 万美元 (10^4 USD). Conversions
between CNY units are exact factors; USD needs a rate that the plan states.

Rates have one internal unit, the fraction (0.125 is 12.5%): every rate read from a file,
a plan or a scenario is turned into a fraction where it enters, and every computation on
rates works on fractions. Percent numbers exist in three places only, each a number *in a
target's unit* as the plan writes it (a target "增长8%" has value 8 and unit "%"): a plan's
target values, their checkpoints, and the evaluation table's value columns (checkpoint,
actual, gap in 百分点, projection); and in what is shown. The crossings between the two are
:func:`to_percent` and :func:`from_percent`, and nowhere else multiplies or divides by 100
(``tests/test_rate_units.py`` reads every module and fails on a bare ``* 100`` or ``/ 100``).

>>> to_wan(239.2, "亿元")
2392000.0
>>> from_wan(4900882, "亿元")
490.0882
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = [
    "PERCENT",
    "to_percent",
    "from_percent",
    "WAN_PER_YI",
    "wan_to_yi",
    "MONEY_UNITS",
    "CNY_UNITS",
    "COUNT_UNITS",
    "QUANTITY_UNITS",
    "ALL_UNITS",
    "to_wan",
    "from_wan",
    "convert_money",
    "is_money",
]

PERCENT = "%"

#: Factor to 万元 for each CNY unit.
CNY_UNITS: dict[str, float] = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}
#: USD units, as multiples of 万美元.
USD_UNITS: dict[str, float] = {"美元": 1e-4, "万美元": 1.0, "亿美元": 1e4}
MONEY_UNITS = frozenset(CNY_UNITS) | frozenset(USD_UNITS)

#: Units of counted things (projects, firms, households ...).
COUNT_UNITS = frozenset(
    {"个", "家", "户", "项", "座", "处", "条", "口", "人", "次", "批", "所", "件", "名", "台", "套", "场", "期", "栋", "类", "张", "万户", "人次", "万人次"}
)

#: Physical quantities that plans set targets in.
QUANTITY_UNITS = frozenset(
    {
        "公里",
        "千米",
        "米",
        "亩",
        "万亩",
        "公顷",
        "平方米",
        "万平方米",
        "千瓦",
        "万千瓦",
        "兆瓦",
        "千伏安",
        "G",
        "Gbps",
        "吨",
        "万吨",
        "立方米",
        "万立方米",
        "亿立方米",
        "千伏",
        "万千伏安",
    }
)

ALL_UNITS = frozenset({PERCENT}) | MONEY_UNITS | COUNT_UNITS | QUANTITY_UNITS


@overload
def to_percent(fraction: float) -> float: ...
@overload
def to_percent(fraction: Fraction) -> Fraction: ...
@overload
def to_percent(fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
@overload
def to_percent(fraction: pd.Series) -> pd.Series: ...
def to_percent(fraction: Any) -> Any:
    """A fraction as a percent number, for a target's unit "%" or for display: 0.125 -> 12.5.
    Takes a number, an array or a column, and gives back the same kind. Rounded to
    :data:`PERCENT_DIGITS` decimals, so that a rate read as "14.5%" comes back as 14.5
    (0.145 * 100 is 14.499999999999998 in binary floating point, which would be "below" 14.5).

    >>> to_percent(0.125), to_percent(0.145), to_percent(0.07), to_percent(Fraction(1, 4))
    (12.5, 14.5, 7.0, Fraction(25, 1))
    >>> import pandas as pd
    >>> to_percent(pd.Series([0.5, None])).tolist()
    [50.0, nan]
    """
    return _round(fraction * 100, PERCENT_DIGITS)


@overload
def from_percent(percent: float) -> float: ...
@overload
def from_percent(percent: Fraction) -> Fraction: ...
@overload
def from_percent(percent: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
@overload
def from_percent(percent: pd.Series) -> pd.Series: ...
def from_percent(percent: Any) -> Any:
    """A percent number (as plans, scenarios and rules write rates) as a fraction: 8 -> 0.08.

    >>> from_percent(8.0), from_percent(Fraction(25))
    (0.08, Fraction(1, 4))
    """
    return _round(percent / 100, PERCENT_DIGITS + 2)


#: Decimals a percent number keeps at a crossing (a fraction keeps two more): far below any digit
#: shown (at most 4), far above the noise of binary floating point (about 1e-14 on a percent).
PERCENT_DIGITS = 10


def _round(x: Any, digits: int) -> Any:
    """``x`` rounded to ``digits`` decimals: a number, an array or a column; a Fraction is exact."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float | int):
        return float(round(x, digits))
    if str(getattr(x, "dtype", "")) == "object":  # a column of numbers and None
        x = x.astype(float)
    return x.round(digits)  # numpy array or pandas column


#: 万元 in one 亿元: the one factor every 亿元 shown from a 万元 figure divides by.
WAN_PER_YI = CNY_UNITS["亿元"]


@overload
def wan_to_yi(wan: float) -> float: ...
@overload
def wan_to_yi(wan: pd.Series) -> pd.Series: ...
def wan_to_yi(wan: Any) -> Any:
    """万元 figures (a number or a column) in 亿元, for display: 558600 -> 55.86.

    >>> wan_to_yi(558600.0)
    55.86
    """
    return wan / WAN_PER_YI


def is_money(unit: str) -> bool:
    return unit in MONEY_UNITS


def to_wan(value: float, unit: str, *, usd_per_wan_cny: float | None = None) -> float:
    """Convert a money amount to 万元.

    >>> to_wan(55.86, "亿元")
    558600.0

    USD amounts need the plan's exchange rate (CNY per USD):

    >>> to_wan(50, "万美元", usd_per_wan_cny=7.0)
    350.0
    """
    if unit in CNY_UNITS:
        return _clean(value * CNY_UNITS[unit])
    if unit in USD_UNITS:
        if usd_per_wan_cny is None:
            raise ValueError(f"{unit} 需要汇率 / converting {unit} needs an exchange rate stated by the plan")
        return _clean(value * USD_UNITS[unit] * usd_per_wan_cny)
    raise ValueError(f"不是货币单位 / not a money unit: {unit!r}")


def from_wan(value: float, unit: str) -> float:
    """Convert 万元 to another CNY unit.

    >>> from_wan(558600, "亿元")
    55.86
    """
    if unit not in CNY_UNITS:
        raise ValueError(f"不是人民币单位 / not a CNY unit: {unit!r}")
    return _clean(value / CNY_UNITS[unit])


def convert_money(value: float, src: str, dst: str) -> float:
    """Convert between two CNY units, or between two USD units.

    >>> convert_money(4900882, "万元", "亿元")
    490.0882
    """
    if src in CNY_UNITS and dst in CNY_UNITS:
        return _clean(value * CNY_UNITS[src] / CNY_UNITS[dst])
    if src in USD_UNITS and dst in USD_UNITS:
        return _clean(value * USD_UNITS[src] / USD_UNITS[dst])
    raise ValueError(f"cannot convert {src} to {dst} without an exchange rate")


def _clean(x: float) -> float:
    """Round away binary noise from decimal factors (490.08820000000003 -> 490.0882)."""
    return float(round(x, 10))
