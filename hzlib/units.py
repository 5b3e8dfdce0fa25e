"""Units of the plans and the data, and exact conversions between them.

Money is 万元 (10^4 CNY), 亿元 (10^8 CNY) or 万美元 (10^4 USD). Conversions
between CNY units are exact factors; USD needs a rate that the plan states.

>>> to_wan(239.2, "亿元")
2392000.0
>>> from_wan(4900882, "亿元")
490.0882
"""

from __future__ import annotations

__all__ = [
    "PERCENT",
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
