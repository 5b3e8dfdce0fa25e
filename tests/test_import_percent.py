"""A percent column that ``hz import`` writes reads back as the same fractions.

Worked example: a profit-tax rate of 0.5% is the fraction 0.005 inside. Written as the
plain percent number 0.5, a column of such numbers without a unit in its header is read as
fractions (0.5 as 50%); written "0.5%", it comes back as 0.005 under any header.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hzlib.contracts import LEDGER_COLUMNS
from hzlib.ingest import read_ledger
from hzlib.ingest.importer import contract_csv

LEDGER = Path(__file__).resolve().parents[1] / "data" / "hanzhong-2022" / "ledger.csv"


def _round_trip(rates: list[float | None], tmp_path: Path) -> tuple[list[str], pd.Series]:
    frame = read_ledger(LEDGER).frame.head(len(rates)).copy()
    frame["profit_tax_rate"] = rates
    text = contract_csv(frame, LEDGER_COLUMNS)
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    written = pd.read_csv(path, dtype=str, keep_default_na=False)["利税率（%）"].tolist()
    return written, read_ledger(path).frame["profit_tax_rate"]


def test_small_percents_keep_their_sign_and_read_back(tmp_path: Path) -> None:
    written, back = _round_trip([0.005, 0.008, None], tmp_path)
    assert written == ["0.5%", "0.8%", ""]
    assert back.tolist()[:2] == pytest.approx([0.005, 0.008])  # not 0.5 and 0.8 (50%, 80%)
    assert pd.isna(back.iloc[2])


def test_larger_percents_stay_plain_numbers(tmp_path: Path) -> None:
    # 12.5% and 0.4% in one column: 12.5 is plain, 0.4 carries its sign (no "mixed forms" doubt)
    written, back = _round_trip([0.125, 0.004, 0.0], tmp_path)
    assert written == ["12.5", "0.4%", "0"]
    assert back.tolist() == pytest.approx([0.125, 0.004, 0.0])
