"""Distinct cell values: the one place where cells are grouped before being parsed.

Spreadsheet columns repeat a lot (units, levels, dates, 是/否), so readers and
parsers work on the distinct values of a column and spread the results back.
``pd.factorize`` alone would group ``True`` with ``1`` and ``False`` with ``0``
(they hash alike), so a ``1`` typed in a column that also holds a TRUE cell
would be read as TRUE; :func:`factorize_cells` keeps them apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["factorize_cells"]


def factorize_cells(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of ``values`` (object array); missing values get code -1.

    >>> codes, uniques = factorize_cells(np.array([1, True, None, 1.0, False, 0, "a"], dtype=object))
    >>> codes.tolist(), [repr(u) for u in uniques]
    ([0, 1, -1, 0, 2, 3, 4], ['1', 'True', 'False', '0', "'a'"])
    >>> factorize_cells(np.array([True, 1], dtype=object))[1].tolist()
    [True, 1]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # only a column whose distinct values include a bool or a 0/1 number can have been merged wrongly
    if not any(isinstance(u, (bool, np.bool_, int, float, np.number)) and u in (0, 1) for u in uniques):
        return codes, uniques
    s = pd.Series(values, dtype=object)
    is_bool = np.array([isinstance(v, (bool, np.bool_)) for v in values], dtype=bool)
    if not is_bool.any() or is_bool[s.notna().to_numpy()].all():
        return codes, uniques
    keys = values.copy()
    keys[is_bool] = [_BoolKey(bool(v)) for v in values[is_bool]]
    codes, key_uniques = pd.factorize(keys, use_na_sentinel=True)
    uniques = np.array([k.value if isinstance(k, _BoolKey) else k for k in key_uniques], dtype=object)
    return codes, uniques


class _BoolKey:
    """A bool that does not compare equal to 0 or 1 (so grouping keeps TRUE apart from 1)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _BoolKey) and other.value is self.value

    def __hash__(self) -> int:
        return hash(("bool", self.value))
