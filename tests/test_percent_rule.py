"""How a plain number in a percent column is read: by the header and the column's % signs, never by its size alone.

Worked examples (fractions inside: 7.6% is 0.076):
- 累计同比增速（%） with 7.6%, 7.7% and a plain 0.6: the 0.6 is 0.6% = 0.006 (warned), not 60%.
- 累计同比增速（%） with 0.6, 0.8, 0.9: 0.006, 0.008, 0.009 (each warned), not 60–90%.
- 累计同比增速 (no unit) with 0.6, 0.8, 0.9 and no % anywhere: fractions 0.6, 0.8, 0.9 (one column warning).
- "−3.1" (U+2212 minus pasted from a PDF) is -3.1% = -0.031.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.errors import ERROR, WARNING
from hzlib.ingest import read_indicators, read_ledger
from hzlib.ingest.parse import nonfinite_mask, parse_number, parse_percent, percent_only_mask
from hzlib.ingest.result import ReadResult

HEAD = "地区,期别,指标,累计值（亿元）,{growth},数据来源\n"
KINDS = ["fai", "private_inv", "industry_inv", "infra_inv"]


def indicators(tmp_path: Path, growth: str, values: list[str]) -> ReadResult:
    rows = "".join(f"汉中市,2024Q2,{k},100,{v},示意数据\n" for k, v in zip(KINDS, values))
    path = tmp_path / "indicators.csv"
    path.write_text(HEAD.format(growth=growth) + rows, encoding="utf-8")
    return read_indicators(path)


def growth_warnings(r: ReadResult) -> list[tuple[int | None, str]]:
    return [(p.row, p.message) for p in r.problems if p.severity == WARNING and p.column is not None and "增速" in p.column]


def test_a_plain_small_number_among_percent_signs_is_a_percent(tmp_path: Path) -> None:
    r = indicators(tmp_path, "累计同比增速（%）", ["7.6%", "7.7%", "8.8%", "0.6"])
    assert r.frame["cum_yoy"].tolist() == pytest.approx([0.076, 0.077, 0.088, 0.006])
    said = growth_warnings(r)
    assert len(said) == 1 and said[0][0] == 5 and "“0.6”在 0 到 1 之间，按 0.6% 处理" in said[0][1]


def test_a_percent_sign_in_one_cell_makes_the_column_percent_without_a_header_unit(tmp_path: Path) -> None:
    r = indicators(tmp_path, "累计同比增速", ["7.6%", "0.6", "0.8", "0.9"])
    assert r.frame["cum_yoy"].tolist() == pytest.approx([0.076, 0.006, 0.008, 0.009])
    assert [row for row, _ in growth_warnings(r)] == [3, 4, 5]


def test_small_plain_numbers_under_a_percent_header_are_percent_numbers(tmp_path: Path) -> None:
    r = indicators(tmp_path, "累计同比增速（%）", ["0.6", "0.8", "0.9", ""])
    got = r.frame["cum_yoy"]
    assert got.tolist()[:3] == pytest.approx([0.006, 0.008, 0.009]) and pd.isna(got.iloc[3])
    said = growth_warnings(r)
    assert [row for row, m in said if "在 0 到 1 之间" in m] == [2, 3, 4]
    assert not [m for _, m in said if "按小数处理" in m]
    assert r.units["cum_yoy"] == "%"


def test_without_any_percent_sign_small_numbers_are_fractions_said_once(tmp_path: Path) -> None:
    r = indicators(tmp_path, "累计同比增速", ["0.6", "0.8", "0.9", "0.05"])
    assert r.frame["cum_yoy"].tolist() == pytest.approx([0.6, 0.8, 0.9, 0.05])
    said = growth_warnings(r)
    assert len(said) == 1 and said[0][0] == 1 and "按小数处理（0.8 表示 80%）" in said[0][1] and "（%）" in said[0][1]
    assert r.units["cum_yoy"] == "小数"


def test_without_a_unit_larger_numbers_still_make_percent_numbers(tmp_path: Path) -> None:
    # no % anywhere, but 9.2 > 1: the column is percent numbers as before, 0.5 is 0.5% (warned)
    r = indicators(tmp_path, "累计同比增速", ["9.2", "0.5", "12", "-3"])
    assert r.frame["cum_yoy"].tolist() == pytest.approx([0.092, 0.005, 0.12, -0.03])
    assert [row for row, _ in growth_warnings(r)] == [3]


@pytest.mark.parametrize("minus", ["\u2212", "\u2013", "\u2012", "\u2010", "\ufe63", "\uff0d", "-"])
def test_pasted_minus_signs_read_as_minus(tmp_path: Path, minus: str) -> None:
    r = indicators(tmp_path, "累计同比增速（%）", [f"{minus}3.1", f"{minus}3.1%", "9.2", "4"])
    assert r.frame["cum_yoy"].tolist() == pytest.approx([-0.031, -0.031, 0.092, 0.04])
    assert not [p for p in r.problems if p.severity == ERROR]


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "∞", "−∞", "nan", "NaN", "inf%", "1e999"])
def test_non_finite_values_are_refused_naming_the_row(tmp_path: Path, cell: str) -> None:
    r = indicators(tmp_path, "累计同比增速（%）", ["7.6", cell, "7.7", "8"])
    errors = [p for p in r.problems if p.severity == ERROR]
    assert [(p.row, p.column) for p in errors] == [(3, "累计同比增速（%）")] and f"“{cell}”" in errors[0].message
    assert pd.isna(r.frame["cum_yoy"].iloc[1])
    assert not [p for p in r.problems if "为空" in p.message]  # refused, not taken for a blank cell


def test_non_finite_money_is_not_a_number(tmp_path: Path) -> None:
    rows = "".join(f"汉中市,2024Q2,{k},{v},5,示意数据\n" for k, v in zip(KINDS, ["100", "inf", "∞", "200"]))
    path = tmp_path / "indicators.csv"
    path.write_text(HEAD.format(growth="累计同比增速（%）") + rows, encoding="utf-8")
    r = read_indicators(path)
    errors = [(p.row, p.column) for p in r.problems if p.severity == ERROR]
    assert errors == [(3, "累计值（亿元）"), (4, "累计值（亿元）")]


def test_a_lone_percent_sign_is_a_blank_cell(tmp_path: Path) -> None:
    blank = indicators(tmp_path, "累计同比增速（%）", ["7.6", "", "7.7", "8"])
    lone = indicators(tmp_path, "累计同比增速（%）", ["7.6", " ％ ", "7.7", "8"])
    assert pd.isna(lone.frame["cum_yoy"].iloc[1])
    assert [str(p) for p in lone.problems] == [str(p) for p in blank.problems]
    assert [p for p in lone.problems if p.row == 3 and "为空" in p.message]


def test_import_round_trip_of_a_profit_tax_rate_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 12.5% and a plain 0.5 under 利税率（%）: 0.5 is 0.5% (warned), written back as "0.5%" and read as 0.005
    (tmp_path / "ankang-2019").mkdir()
    src = tmp_path / "office.csv"
    src.write_text(
        "项目编号,项目名称,责任单位,项目级别,项目类别,是否新开工,总投资（万元）,年度计划投资（万元）,利税率（%）\n"
        "P1,甲,汉滨区,市级,新开工,是,1000,500,12.5%\n"
        "P2,乙,汉滨区,市级,续建,否,2000,800,0.5\n",
        encoding="utf-8",
    )
    code = main(["import", str(src), "--plan", "ankang-2019", "--data", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "第3行 [利税率（%）]" in out and "按 0.5% 处理" in out
    back = read_ledger(tmp_path / "ankang-2019" / "ledger.csv", year=2019)
    assert back.ok and back.problems == []
    assert back.frame["profit_tax_rate"].tolist() == pytest.approx([0.125, 0.005])


def test_parse_percent_rule_by_hand() -> None:
    s = pd.Series([0.6, 0.8], dtype=object)
    f, bad, small, frac = parse_percent(s)
    assert f.tolist() == pytest.approx([0.6, 0.8]) and frac and not small.any() and not bad.any()
    f, bad, small, frac = parse_percent(s, header_percent=True)
    assert f.tolist() == pytest.approx([0.006, 0.008]) and not frac and small.all()
    f, bad, small, frac = parse_percent(pd.Series(["%", 0.6, 0.8], dtype=object))
    # a lone "%" is blank and does not make the column a percent column
    assert pd.isna(f.iloc[0]) and f.tolist()[1:] == pytest.approx([0.6, 0.8]) and frac and not bad.any()


def test_cell_hygiene_masks() -> None:
    s = pd.Series(["−3.1", "inf", "nan", "%", "－", None, 12.0, float("-inf")], dtype=object)
    v, _, bad = parse_number(s)
    assert v.iloc[0] == pytest.approx(-3.1) and v.iloc[6] == 12.0
    assert bad.tolist() == [False, True, True, True, False, False, False, True]  # "－" alone is a blank placeholder
    assert nonfinite_mask(s).tolist() == [False, True, True, False, False, False, False, True]
    assert percent_only_mask(s).tolist() == [False, False, False, True, False, False, False, False]
