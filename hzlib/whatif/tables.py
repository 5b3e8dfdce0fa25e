"""The contract tables a scenario reads and changes, and look-ups shared by checks and changes.

Any dataclass with the five contract frames (``ledger``, ``progress``,
``indicators``, ``profiles``, ``tasks``; see :mod:`hzlib.contracts`) will do,
such as :class:`hzlib.evaluate.engine.EvaluationData`; :func:`apply_scenario`
returns the same type with new frames.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import pandas as pd

from ..periods import Period, period_ends, same_period

__all__ = ["ContractTables", "period_ends", "profile_levels", "published_growth", "date_column"]


class ContractTables(Protocol):
    """The normalised input frames of an evaluation (any may be empty)."""

    ledger: pd.DataFrame
    progress: pd.DataFrame
    indicators: pd.DataFrame
    profiles: pd.DataFrame
    tasks: pd.DataFrame


def profile_levels(profiles: pd.DataFrame, jurisdiction: str, indicator: str, year: int) -> list[float] | None:
    """Quarterly levels q1..q4 of ``indicator`` in ``year`` (last row if repeated), or None when unusable."""
    if profiles.empty:
        return None
    sel = profiles[(profiles["jurisdiction"] == jurisdiction) & (profiles["indicator"] == indicator)]
    sel = sel[sel["year"].astype(int) == year]
    if sel.empty:
        return None
    values = [float(v) for v in sel[["q1", "q2", "q3", "q4"]].astype(float).iloc[-1]]
    if any(not np.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
        return None
    return values


def published_growth(indicators: pd.DataFrame, jurisdiction: str, indicator: str, period: Period) -> tuple[float, float] | None:
    """Published cumulative growth (fraction) and level (万元, NaN if absent) at the end of ``period``."""
    if indicators.empty:
        return None
    sel = indicators[(indicators["jurisdiction"] == jurisdiction) & (indicators["indicator"] == indicator)]
    if sel.empty:
        return None
    sel = sel[same_period(sel["period"], period) & sel["cum_yoy"].notna()]
    if sel.empty:
        return None
    row = sel.iloc[-1]
    level = float(row["level"]) if "level" in sel.columns and pd.notna(row["level"]) else math.nan
    return float(row["cum_yoy"]), level


def date_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A date column as datetime64 (all NaT when the table does not have it)."""
    if name in frame.columns:
        return pd.to_datetime(frame[name])
    return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
