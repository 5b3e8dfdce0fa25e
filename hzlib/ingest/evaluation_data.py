"""The normalised inputs of one evaluation: the contract tables the readers hand to :mod:`hzlib.evaluate`.

>>> EvaluationData().ledger.empty
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["EvaluationData"]


@dataclass
class EvaluationData:
    """The normalised inputs of one evaluation (any may be empty)."""

    ledger: pd.DataFrame = field(default_factory=pd.DataFrame)
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # reported values, in each target's unit
    illustrative: bool = False  # sample data: every report says so
    #: Per data file (name), contract column id → the header its values were read from (provenance).
    source_columns: dict[str, dict[str, str]] = field(default_factory=dict)
