"""A reported scoring input in a unit's assessment item traces to its row of ``scoring_inputs.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hzlib.report import load_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ankang_q2():  # type: ignore[no-untyped-def]
    return load_report("ankang-2019", "2019Q2")


def test_every_reported_input_names_its_row_and_the_row_holds_the_value(ankang_q2) -> None:  # type: ignore[no-untyped-def]
    m = ankang_q2
    lines = list(csv.reader((ROOT / "data" / "ankang-2019" / "scoring_inputs.csv").read_text(encoding="utf-8-sig").splitlines()))
    head = lines[0]
    col = {h: i for i, h in enumerate(head)}
    reported = {d.id for d in m.scores.rules.inputs if d.origin == "reported"}
    checked = 0
    for unit in ("汉滨区", "市发改委"):
        for d in m.unit_derivations(unit):
            if not d.figure.startswith("score:"):
                continue
            for k, v in d.inputs.items():
                if k not in reported:
                    continue
                rows = d.rows[d.rows["role"] == f"输入：{k}"]
                assert len(rows) == 1, (unit, d.figure, k)
                r = rows.iloc[0]
                assert r["source_file"] == "scoring_inputs.csv" and r["source_column"] == "数值"
                line = lines[int(r["source_row"]) - 1]  # Excel row n is line n of the file (header is row 1)
                assert line[col["单位"]] == unit and line[col["输入编号"]] == k and line[col["期别"]] == "2019Q2"
                shown = float(line[col["数值"]]) if line[col["数值"]] not in ("是", "否") else float(line[col["数值"]] == "是")
                assert r["value"] == pytest.approx(shown)
                unit_of = m.scores.rules.input(k).unit
                assert v == pytest.approx(shown / 100.0 if unit_of == "%" else shown)  # the engine reads percents as fractions
                checked += 1
    assert checked >= 10


def test_the_scoring_period_picks_its_own_rows(ankang_q2) -> None:  # type: ignore[no-untyped-def]
    q1 = load_report("ankang-2019", "2019Q1")
    a = [d for d in ankang_q2.unit_derivations("汉滨区") if "preliminary_not_done" in d.inputs]
    b = [d for d in q1.unit_derivations("汉滨区") if "preliminary_not_done" in d.inputs]
    rows = lambda ds: {int(x) for d in ds for x in d.rows.loc[d.rows["role"] == "输入：preliminary_not_done", "source_row"]}  # noqa: E731
    assert rows(a) == {2} and rows(b) == {448}
