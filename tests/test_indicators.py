"""The indicator catalogue (hzlib.plan.indicators) and the functions that measure it
(hzlib.evaluate.measures) agree: each ledger indicator has exactly one measure function, each
statistics indicator is a published statistic or a share of two of them."""

from __future__ import annotations

import pytest

from hzlib.evaluate.measures import LEDGER_MEASURES
from hzlib.plan.indicators import INDICATORS, STATISTICS, closest, effective_basis
from hzlib.plan.schema import Basis, Measure, Target


def test_every_ledger_indicator_has_its_measure_function_and_no_other_has_one() -> None:
    ledger = {i for i, ind in INDICATORS.items() if Basis.LEDGER in ind.bases}
    assert set(LEDGER_MEASURES) == ledger
    assert len(ledger) == 14  # 开工率 … 产业投资占比


def test_every_statistics_indicator_is_published_or_a_share_of_published_ones() -> None:
    for i, ind in INDICATORS.items():
        if Basis.STATISTICS not in ind.bases:
            continue
        if ind.share_of is not None:
            assert Measure.SHARE in ind.measures and set(ind.share_of) <= set(STATISTICS), i
        else:
            assert i in STATISTICS and ind.measures == (Measure.GROWTH, Measure.AMOUNT), i
    assert all(Basis.STATISTICS in INDICATORS[i].bases for i in STATISTICS)


def test_every_indicator_has_a_basis_a_measure_and_words() -> None:
    for ind in INDICATORS.values():
        assert ind.bases and ind.measures and ind.zh and ind.description and ind.example, ind.id
        assert Basis.REPORT not in ind.bases and ind.pool in ("key", "all")
        assert not ind.needs or Basis.LEDGER in ind.bases, ind.id


def _target(indicator: str, measure: str, **scope: object) -> Target:
    return Target.model_validate(
        {
            "id": "t",
            "label": "x",
            "indicator": indicator,
            "measure": measure,
            "value": 10,
            "unit": "%",
            "phasing": "year_end",
            "scope": {"jurisdiction": "镇巴县", **scope},
            "source": {"file": "x.txt", "section": "一", "quote": "民间投资占比"},
        }
    )


@pytest.mark.parametrize(
    ("indicator", "scope", "expected"),
    [
        ("private_inv_share", {}, Basis.STATISTICS),  # both bases, jurisdiction-wide: statistics
        ("private_inv_share", {"level": "city"}, Basis.LEDGER),  # both bases, project scope: ledger
        ("start_rate", {}, Basis.LEDGER),  # one basis
        ("fai", {}, Basis.STATISTICS),
        ("no_such_indicator", {}, None),
    ],
)
def test_effective_basis(indicator: str, scope: dict[str, object], expected: Basis | None) -> None:
    measure = "share" if indicator.endswith("share") else "growth" if indicator == "fai" else "rate"
    assert effective_basis(_target(indicator, measure, **scope)) is expected


def test_closest_by_spelling_then_by_shared_words() -> None:
    assert closest("start_rat", 1) == ["start_rate"]
    assert closest("zzz") == []
