"""Select a target's projects from the ledger by its typed scope (level, projects, batch).

The selection reads contract columns only; a scope the ledger cannot tell (a column
it does not have) gives the reason instead of a mask, and the target is 无数据.

- ``level``: a project of the scope's level or above (a county scope includes city-
  and province-level projects in that county's ledger; ``all``: every row); with
  ``exact_level`` only projects of exactly that level (市级 without 省级);
- ``projects``: see :class:`hzlib.plan.schema.ProjectSet`;
- ``batch``: the 四个一批 batch (``batch`` column);
- without ``batch``, 谋划 and 储备 rows are not this year's key projects and are left out
  (``pool="key"``); batch targets and the reserve start rate look at every row (``pool="all"``).

>>> import pandas as pd
>>> from hzlib.plan.schema import Scope
>>> st = pd.DataFrame({"level": ["city", "county"], "is_new_start": [True, False], "started": [True, True],
...                    "batch": ["start", "start"]})
>>> sel = select_projects(st, Scope(jurisdiction="甲市", level="city", projects="new_start"))
>>> sel.mask.tolist(), sel.reason, sel.describe
([True, False], '', '市级·新开工项目')
>>> select_projects(st, Scope(jurisdiction="甲市", projects="industry")).reason
'台账没有“是否产业项目”列，无法区分产业项目'
>>> lv = pd.DataFrame({"level": ["province", "city", "county"]})
>>> select_projects(lv, Scope(jurisdiction="甲市", level="city")).mask.tolist()
[True, True, False]
>>> exact = select_projects(lv, Scope(jurisdiction="甲市", level="city", exact_level=True))
>>> exact.mask.tolist(), exact.describe
([False, True, False], '市级（不含省级）')
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..contracts import BATCH_ZH, INFRASTRUCTURE_SECTORS, LEDGER_COLUMNS, LEVEL_ZH
from ..glossary import NOT_THIS_YEAR
from ..plan.schema import Level, ProjectSet, Scope

__all__ = ["Selection", "select_projects", "LEVEL_RANK", "has_values", "filled_columns"]

#: A scope of a level includes projects of that level and above.
LEVEL_RANK = {"province": 3, "city": 2, "county": 1, "district": 1}
_ZH = {c.id: c.zh for c in LEDGER_COLUMNS}
#: The contract column each project set is decided by.
_SET_COLUMN = {
    ProjectSet.NEW_START: "is_new_start",
    ProjectSet.CONTINUING: "is_new_start",
    ProjectSet.UNDER_CONSTRUCTION: "is_new_start",
    ProjectSet.INDUSTRY: "is_industry",
    ProjectSet.PRIVATE: "ownership",
    ProjectSet.INFRASTRUCTURE: "sector",
    ProjectSet.SIGNED: "is_signed",
}


def has_values(df: pd.DataFrame, column: str, filled: Collection[str] | None = None) -> bool:
    """Whether ``df`` has ``column`` with at least one value (an all-empty column says nothing).

    ``filled``: the columns already known to have values (computed once per table)."""
    if filled is not None:
        return column in filled
    return column in df.columns and bool(df[column].notna().any())


def filled_columns(df: pd.DataFrame) -> frozenset[str]:
    """The columns of ``df`` with at least one value (a column's first rows are looked at first:
    a filled column is told without scanning a province-sized table).

    >>> sorted(filled_columns(pd.DataFrame({"a": [None, 1.0], "b": [None, None]})))
    ['a']
    """
    head = df.head(1000)
    return frozenset(c for c in df.columns if head[c].notna().any() or df[c].notna().any())


def missing_column_reason(column: str, what: str) -> str:
    return f"台账没有“{_ZH.get(column, column)}”列，无法区分{what}"


@dataclass(frozen=True)
class Selection:
    """The projects of a scope (``mask`` over the status rows), or why they cannot be told."""

    mask: pd.Series | None
    reason: str
    describe: str


def _bool(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].astype("boolean").fillna(False).astype(bool)


def _set_mask(st: pd.DataFrame, which: ProjectSet) -> pd.Series:
    if which is ProjectSet.NEW_START:
        return _bool(st, "is_new_start")
    if which is ProjectSet.CONTINUING:
        return ~_bool(st, "is_new_start")
    if which is ProjectSet.UNDER_CONSTRUCTION:
        return ~_bool(st, "is_new_start") | st["started"].astype(bool)
    if which is ProjectSet.INDUSTRY:
        return _bool(st, "is_industry")
    if which is ProjectSet.PRIVATE:
        return st["ownership"].eq("private").fillna(False).astype(bool)
    if which is ProjectSet.INFRASTRUCTURE:
        return st["sector"].isin(INFRASTRUCTURE_SECTORS)
    return _bool(st, "is_signed")


def select_projects(status: pd.DataFrame, scope: Scope, pool: Literal["key", "all"] = "key", filled: Collection[str] | None = None) -> Selection:
    """The rows of ``status`` (see :func:`hzlib.evaluate.projects.project_status`) in ``scope``."""
    filled = filled if filled is not None else filled_columns(status)

    def has_values(_df: pd.DataFrame, col: str) -> bool:
        return col in filled

    parts: list[str] = []
    mask = pd.Series(True, index=status.index)
    if scope.level is not Level.ALL:
        if not has_values(status, "level"):
            return Selection(None, missing_column_reason("level", f"{scope.level.zh}项目"), "")
        rank = status["level"].map(LEVEL_RANK).fillna(0)
        if scope.exact_level:
            mask &= rank == LEVEL_RANK[scope.level.value]
            above = [LEVEL_ZH[lv] for lv, r in LEVEL_RANK.items() if r > LEVEL_RANK[scope.level.value] and lv in LEVEL_ZH]
            parts.append(scope.level.zh + (f"（不含{'、'.join(above)}）" if above else ""))
        else:
            mask &= rank >= LEVEL_RANK[scope.level.value]
            parts.append(scope.level.zh)
    if scope.batch is not None:
        if not has_values(status, "batch"):
            return Selection(None, missing_column_reason("batch", f"“四个一批”{BATCH_ZH[scope.batch]}项目"), "")
        mask &= status["batch"].eq(scope.batch).fillna(False).astype(bool)
        parts.append(f"“四个一批”{BATCH_ZH[scope.batch]}")
    elif pool == "key" and has_values(status, "batch"):
        mask &= ~status["batch"].isin(NOT_THIS_YEAR)
    if scope.projects is not None:
        col = _SET_COLUMN[scope.projects]
        if not has_values(status, col):
            return Selection(None, missing_column_reason(col, scope.projects.zh), "")
        mask &= _set_mask(status, scope.projects)
        parts.append(scope.projects.zh)
    return Selection(mask, "", "·".join(parts) or "全部项目")
