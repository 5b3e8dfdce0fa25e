"""One period written twice: rows of indicators or tasks with the same key once periods are read.

The reader turns every period cell into its canonical label (``2024年上半年`` and ``2024Q2``
are one period), so two rows for one jurisdiction, period and indicator (or one target and
period) are found however each was written. When their values agree they are one figure
(a warning says so); when they differ the file is refused with both rows and both values:
the reader never picks one in silence.

>>> import pandas as pd
>>> from .result import ReadResult
>>> f = pd.DataFrame({"jurisdiction": ["甲县", "甲县"], "period": ["2024Q2", "2024Q2"], "indicator": ["fai", "fai"],
...                   "level": [None, None], "cum_yoy": [0.077, 0.079]})
>>> r = ReadResult(kind="indicators", file="指标.csv", frame=f, rows=pd.Series([3, 9]), columns={"cum_yoy": "增速"})
>>> [str(p) for p in check_repeated_periods(r, ["jurisdiction", "period", "indicator"], ["level", "cum_yoy"])]
['指标.csv 第9行 [增速]：地区“甲县”、期别“2024年上半年（2024Q2）”、指标“fai”有 2 行，“增速”不同：第3行为 7.7，第9行为 7.9；2024Q2、2024年上半年、2024年1-6月、2024-06 是同一期别，只能保留一行，请删去或改正其中一行 / the same period twice with different values']
"""

from __future__ import annotations

import pandas as pd

from ..errors import ERROR, WARNING, Problem
from ..periods import Period, PeriodError
from ..units import CNY_UNITS, USD_UNITS, convert_money, from_wan
from .aliases import CONTRACTS, normalise_value
from .result import ReadResult

__all__ = ["check_repeated_periods"]

#: Numbers within this (relative) distance are the same figure.
_SAME = 1e-9


def _header(r: ReadResult, cid: str) -> str:
    return r.columns.get(cid) or next((c.zh for c in CONTRACTS[r.kind] if c.id == cid), cid)


def _kind(r: ReadResult, cid: str) -> str:
    return next((c.kind for c in CONTRACTS[r.kind] if c.id == cid), "str")


def _shown(value: object, kind: str, unit: str | None = None) -> str:
    """A value as the user typed it: percents as percent numbers, money in the header's unit
    (万元 when it names none), blanks as 空."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "空（或无法识别）"
    if isinstance(value, (int, float)):
        v = float(value) * (100.0 if kind == "percent" else 1.0)
        money = unit if unit in CNY_UNITS else "万元"
        if kind == "money":
            v = from_wan(v, money)
        text = f"{v:.6f}".rstrip("0").rstrip(".")
        return text + (f" {money}" if kind == "money" else "")
    return f"“{value}”"


def _same(a: object, b: object) -> bool:
    a_blank = a is None or (not isinstance(a, str) and pd.isna(a))
    b_blank = b is None or (not isinstance(b, str) and pd.isna(b))
    if a_blank or b_blank:
        return a_blank and b_blank
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= _SAME * max(1.0, abs(float(a)), abs(float(b)))
    return normalise_value(a) == normalise_value(b)


def _forms(label: str) -> str:
    """Ways of writing one period, for the message: 2024Q2、2024年上半年、2024年1-6月、2024-06."""
    try:
        p = Period.parse(label)
    except PeriodError:
        return label
    forms = [p.label(), p.label_zh(), f"{p.year}年1-{p.end_month}月", f"{p.year}-{p.end_month:02d}"]
    return "、".join(dict.fromkeys(forms))


def _key_text(r: ReadResult, keys: list[str], values: tuple[object, ...]) -> str:
    parts = []
    for cid, v in zip(keys, values):
        shown = str(v)
        if cid == "period":
            try:
                p = Period.parse(shown)
                shown = f"{p.label_zh()}（{p.label()}）"
            except PeriodError:
                pass
        parts.append(f"{_header(r, cid)}“{shown}”")
    return "、".join(parts)


def _rows_text(r: ReadResult, positions: list[int]) -> list[str]:
    """第3行, or 汉台区 第3行 when the rows come from several sheets."""
    labels = r.row_labels
    several = labels is not None and labels.iloc[positions].nunique() > 1
    return [(f"{labels.iloc[i]} " if several and labels is not None else "") + f"第{int(r.rows.iloc[i])}行" for i in positions]


def _convertible(unit: object, dst: object) -> bool:
    """Whether money written in ``unit`` converts to ``dst`` (亿元 ↔ 万元, 亿美元 ↔ 万美元)."""
    src, to = normalise_value(unit), normalise_value(dst)
    return (src in CNY_UNITS and to in CNY_UNITS) or (src in USD_UNITS and to in USD_UNITS)


def _in_unit(value: object, unit: object, dst: object) -> object:
    """``value`` written in money ``unit`` expressed in ``dst``; as it is otherwise."""
    if isinstance(value, (int, float)) and not pd.isna(value) and _convertible(unit, dst):
        return convert_money(float(value), normalise_value(unit), normalise_value(dst))
    return value


def _agrees(f: pd.DataFrame, pos: list[int], c: str, amounts: dict[str, str]) -> bool:
    """Whether column ``c`` agrees across the rows ``pos``: an amount compared in the first row's
    unit (3.2 亿元 and 32000 万元 are one figure), its unit column agreeing when the units convert.

    >>> f = pd.DataFrame({"value": [3.2, 32000.0], "unit": ["亿元", "万元"]})
    >>> _agrees(f, [0, 1], "value", {"value": "unit"}), _agrees(f, [0, 1], "unit", {"value": "unit"})
    (True, True)
    """
    first = pos[0]
    unit_of = {u: v for v, u in amounts.items() if u in f.columns}
    if c in amounts and amounts[c] in f.columns:
        u = f[amounts[c]]
        return all(_same(f[c].iloc[first], _in_unit(f[c].iloc[i], u.iloc[i], u.iloc[first])) for i in pos[1:])
    if c in unit_of and all(_convertible(f[c].iloc[i], f[c].iloc[first]) for i in pos[1:]):
        return True  # units that convert are not the conflict: the amounts are compared converted
    return all(_same(f[c].iloc[first], f[c].iloc[i]) for i in pos[1:])


def check_repeated_periods(
    r: ReadResult, keys: list[str], values: list[str], *, filled: str | None = None, amounts: dict[str, str] | None = None
) -> list[Problem]:
    """Rows with the same ``keys`` (the period among them, already canonical): a warning when
    every column of ``values`` agrees (one figure), else one error per column that differs,
    naming every row and its value. ``filled``: a column whose blank means the row reports
    nothing (a tasks template row not filled in): such rows are not compared. ``amounts``: value
    column → its unit column, compared after converting money units (亿元 ↔ 万元)."""
    from .validate import row_refs  # lazy: hzlib.ingest.validate imports this module at its top (a cycle); validate calls this check

    f = r.frame
    if f.empty or any(k not in f.columns for k in keys):
        return []
    present = f[keys].notna().all(axis=1)
    if filled is not None and filled in f.columns:
        present &= f[filled].notna()
    dup = f[keys][present].duplicated(keep=False).reindex(f.index, fill_value=False)
    if not dup.any():
        return []
    cols = [c for c in values if c in f.columns]
    out: list[Problem] = []
    groups = f.loc[dup, keys].astype(str).agg("\x1f".join, axis=1)
    for _, idx in groups.groupby(groups, sort=False).groups.items():
        pos = sorted((f.index.get_loc(i) for i in idx), key=lambda i: int(r.rows.iloc[i]))
        last = pos[-1]
        label = str(r.row_labels.iloc[last]) if r.row_labels is not None else r.where
        row = int(r.rows.iloc[last])
        what = _key_text(r, keys, tuple(f[k].iloc[pos[0]] for k in keys))
        forms = f"{_forms(str(f['period'].iloc[pos[0]]))} 是同一期别，" if "period" in keys else ""
        refs = _rows_text(r, pos)
        differ = [c for c in cols if not _agrees(f, pos, c, amounts or {})]
        if not differ:
            out.append(
                Problem(
                    label,
                    row,
                    "/".join(_header(r, k) for k in keys),
                    f"{what}有 {len(pos)} 行（{row_refs(r, pos)}），数值相同，按一行计；请删去多余的行 / the same period twice, same values",
                    WARNING,
                )
            )
            continue
        for c in differ:
            h = _header(r, c)
            said = "，".join(f"{ref}为 {_shown(f[c].iloc[i], _kind(r, c), r.units.get(c))}" for ref, i in zip(refs, pos))
            out.append(
                Problem(
                    label,
                    row,
                    h,
                    f"{what}有 {len(pos)} 行，“{h}”不同：{said}；{forms}只能保留一行，请删去或改正其中一行 / the same period twice with different values",
                    ERROR,
                )
            )
    return out
