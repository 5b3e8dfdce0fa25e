"""Rates have one internal unit, the fraction; the crossings to percent numbers are named.

:mod:`hzlib.units` says where percent numbers live (a target's own unit "%", and what is shown)
and gives the two crossings, :func:`hzlib.units.to_percent` and :func:`hzlib.units.from_percent`.
This test reads every module of hzlib and fails on any other multiplication or division by 100
(or by 0.01), so that a fraction and a percent never meet silently.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hzlib.units import from_percent, to_percent

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hzlib"
#: The one module that may cross between fractions and percent numbers.
CROSSING = PACKAGE / "units.py"


def bare_factor_lines(source: str, factors: tuple[float, ...]) -> list[int]:
    """Lines of ``source`` that multiply or divide by one of ``factors`` written as a literal.

    >>> bare_factor_lines("a = b * 100\\nc = to_percent(b)\\nd = e / 100.0\\nf *= 100\\ng = h + 100", (100, 0.01))
    [1, 3, 4]
    """

    def literal(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value in factors

    lines: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div) and (literal(node.left) or literal(node.right)):
            lines.append(node.lineno)
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Mult | ast.Div) and literal(node.value):
            lines.append(node.lineno)
    return sorted(lines)


def bare_percent_arithmetic(source: str) -> list[int]:
    """Lines of ``source`` that multiply or divide by 100 (or 0.01) outside :mod:`hzlib.units`."""
    return bare_factor_lines(source, (100, 0.01))


def bare_money_factors(source: str) -> list[int]:
    """Lines of ``source`` that multiply or divide by a 万/亿 factor (1e4, 10000, 1e8) outside :mod:`hzlib.units`.

    >>> bare_money_factors("a = b / 1e4\\nc = wan_to_yi(b)\\nd = e * 10000")
    [1, 3]
    """
    return bare_factor_lines(source, (1e4, 1e8))


def _found(scan: Callable[[str], list[int]]) -> list[str]:
    """``file:line`` of every hit of ``scan`` in hzlib, outside :mod:`hzlib.units`."""
    return [f"{path.relative_to(ROOT)}:{line}" for path in sorted(PACKAGE.rglob("*.py")) if path != CROSSING for line in scan(path.read_text(encoding="utf-8"))]


def test_no_bare_percent_arithmetic_outside_units() -> None:
    found = _found(bare_percent_arithmetic)
    assert not found, "multiply or divide by 100 only through hzlib.units.to_percent / from_percent:\n" + "\n".join(found)


def test_the_scan_finds_what_it_is_for() -> None:
    # the rule itself can fail: a line written the old way is found, its named form is not
    assert bare_percent_arithmetic("x = u['start_rate'] * 100.0") == [1]
    assert bare_percent_arithmetic("x = 100 * share") == [1]
    assert bare_percent_arithmetic("x = t.value / 100") == [1]
    assert bare_percent_arithmetic("x = to_percent(u['start_rate'])\ny = from_percent(t.value)") == []


@pytest.mark.parametrize(
    ("fraction", "percent"),
    [(0.125, 12.5), (0.08, 8.0), (0.0, 0.0), (-0.0119, -1.19), (1.0, 100.0)],
)
def test_crossings_round_trip(fraction: float, percent: float) -> None:
    # worked examples: 0.125 is 12.5%; 8% is 0.08; a 1.19-point shortfall is -0.0119
    assert to_percent(fraction) == pytest.approx(percent)
    assert from_percent(percent) == pytest.approx(fraction)
    assert from_percent(to_percent(fraction)) == pytest.approx(fraction)


def test_crossings_keep_the_container() -> None:
    assert to_percent(Fraction(1, 3)) == Fraction(100, 3)
    arr = to_percent(np.array([0.5, np.nan]))
    assert arr[0] == 50.0 and np.isnan(arr[1])
    col = from_percent(pd.Series([12.5, None], index=["a", "b"]))
    assert list(col.index) == ["a", "b"] and col["a"] == 0.125 and pd.isna(col["b"])


def test_a_share_written_as_a_level_is_refused(tmp_path: Path) -> None:
    # 累计值 is money (万元 after the header's unit): 37.5 there would be read as 37.5万元 and the
    # share shown as 3750%; the file names the row and the column, and the two amounts it needs
    from hzlib.ingest import read_indicators
    from hzlib.ingest.validate import check_indicators

    f = tmp_path / "indicators.csv"
    f.write_text(
        "地区,期别,指标,累计值,累计同比增速（%）\n汉中市,2023Q2,fai,12025377.13,10.3\n汉中市,2023Q2,private_inv_share,37.5,\n汉中市,2023Q2,private_inv,4213226.5,8.1\n",
        encoding="utf-8",
    )
    problems = check_indicators(read_indicators(f))
    assert [(p.row, p.column) for p in problems] == [(3, "累计值")]
    assert "民间投资占比是比率" in problems[0].message and "民间投资 和 固定资产投资" in problems[0].message


def test_no_bare_money_factor_outside_units() -> None:
    # 万元 → 亿元 is units.wan_to_yi / units.WAN_PER_YI: one factor, named where it is defined
    found = _found(bare_money_factors)
    assert not found, "convert 万元 and 亿元 only through hzlib.units:\n" + "\n".join(found)
