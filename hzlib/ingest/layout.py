"""The shape of an office's sheet around its rows: the title, section rows, merged cells.

What an office's progress sheet usually looks like (``docs/data.md``, "你的表格原样"):
a title naming the level and the period ("2019年××市市级重点建设项目进度表（1-6月）"),
section rows that group the projects under them ("一、新开工项目", "（二）续建项目",
"汉台区"), and the unit written once above its projects in merged cells. This module
reads those; :mod:`.table` applies them to the rows and reports every value it filled.

>>> t = parse_title(["2019年××市市级重点建设项目进度表（1-6月）", "填报单位：市发改委  单位：万元"])
>>> t.year, t.month, t.level, t.money_unit
(2019, 6, 'city', '万元')
>>> section_meaning("一、新开工项目（87个）"), section_meaning("（二）续建项目"), section_meaning("二、汉台区")
(('batch', 'start'), ('batch', 'advance'), ('unit', '汉台区'))
>>> section_meaning("三、省级重点项目")
('level', 'province')
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aliases import VALUE_ALIASES, fields_of, normalise_value, span_end

__all__ = [
    "TitleInfo",
    "parse_title",
    "section_meaning",
    "section_style",
    "section_values",
    "fill_merged",
    "number_columns",
    "counted_once",
    "SECTION_RE",
    "NUMERAL_RE",
    "UNIT_HINT_RE",
]

#: A numbered heading: 一、 / （二） / 第一部分.
SECTION_RE = re.compile(r"^\s*([一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+[部类批])")
#: A 序号 cell that numbers a section rather than a project: 一, （二）, 三、.
NUMERAL_RE = re.compile(r"^\s*([一二三四五六七八九十]+\s*[、.．]?|[(（]\s*[一二三四五六七八九十]+\s*[)）])\s*$")
_LEVEL_IN_TITLE = re.compile(r"(省|市|县|区)级?重点")
#: "单位：万元" in a title or header row: the money unit of the whole sheet.
UNIT_HINT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|元)")
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．]|第[一二三四五六七八九十]+[部类批](?:分)?\s*[、:：]?)\s*"
)
_COUNT_SUFFIX = re.compile(r"\s*[(（][^()（）]*[)）]\s*$|\s*[:：]\s*$|\s*共\s*\d+\s*[个项]\s*$")
_WORD_SUFFIXES = ("重点建设项目", "重点项目", "建设项目", "类项目", "项目", "一批", "类")
_WORD_PREFIXES = ("计划", "本年", "年度", "今年")


@dataclass(frozen=True)
class TitleInfo:
    """What the rows above the header say: year, last month of the period, project level, money unit."""

    text: str = ""
    year: int | None = None
    month: int | None = None
    level: str | None = None
    money_unit: str | None = None
    period_words: str = ""
    level_words: str = ""


def parse_title(lines: list[str]) -> TitleInfo:
    """Read the title rows above a header.

    >>> parse_title(["2024年汉中市重点项目台账"]).level, parse_title(["镇巴县2024年上半年重点项目进展"]).month
    ('city', 6)
    """
    text = " ".join(x for x in lines if x)
    year, month, words = span_end(text)
    if month is None:
        m = re.search(r"(?<!\d)(1[0-2]|[1-9])\s*月份?(?:进度|进展|报表|月报|调度)", text)
        month = int(m.group(1)) if m else None
        words = m.group(0) if m else ""
    level, level_words = None, ""
    hits = list(_LEVEL_IN_TITLE.finditer(text))
    if hits:
        level = {"省": "province", "市": "city", "县": "county", "区": "district"}[hits[-1].group(1)]
        level_words = hits[-1].group(0)
    unit = UNIT_HINT_RE.search(text)
    return TitleInfo(text, year, month, level, unit.group(1) if unit else None, words, level_words)


def section_style(text: str) -> str:
    """The numbering style of a section heading: ``一、`` ``（一）`` ``1.`` ``第一`` or ``none``.

    >>> [section_style(t) for t in ("一、新开工", "（二）续建", "3.汉台区", "汉台区")]
    ['一、', '（一）', '1.', 'none']
    """
    t = text.strip()
    if re.match(r"^[一二三四五六七八九十百]+\s*[、.．]", t):
        return "一、"
    if re.match(r"^[(（]\s*[一二三四五六七八九十\d]+\s*[)）]", t):
        return "（一）"
    if re.match(r"^\d+\s*[、.．]", t):
        return "1."
    if re.match(r"^第[一二三四五六七八九十]+", t):
        return "第一"
    return "none"


def _core(text: str) -> str:
    t = _NUMBERING.sub("", str(text).strip())
    t = _COUNT_SUFFIX.sub("", t)
    return t.strip()


def section_meaning(text: str, values: Mapping[str, Mapping[str, str]] | None = None) -> tuple[str, str] | None:
    """What a section heading sets for the rows under it: ``("batch", "start")``,
    ``("level", "city")``, ``("unit", "汉台区")``; None for an empty heading.

    ``values``: an office's own category words (mapping file), per field.

    >>> section_meaning("（一）计划新开工项目"), section_meaning("第二部分 竣工投产项目"), section_meaning("重大项目", {"level": {"重大项目": "city"}})
    (('batch', 'start'), ('batch', 'complete'), ('level', 'city'))
    """
    core = _core(text)
    if not core:
        return None
    words = [core]
    for suffix in _WORD_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            words.append(core[: -len(suffix)])
    for w in list(words):
        for prefix in _WORD_PREFIXES:
            if w.startswith(prefix) and len(w) > len(prefix):
                words.append(w[len(prefix) :])
    for field in ("batch", "level"):
        table = {**VALUE_ALIASES[field], **(values or {}).get(field, {})}
        for w in words:
            hit = table.get(normalise_value(w))
            if hit is not None:
                return field, hit
    unit = core[:-2] if core.endswith("项目") and len(core) > 2 else core
    return "unit", unit


def section_values(headings: pd.Series, index: pd.Index, values: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """For every row in ``index``, what the section headings above it set (batch, level, unit).

    ``headings``: heading text at the positions of the heading rows (same index space).
    A heading sets its field; a heading of an outer style (numbering styles rank by first
    appearance: the first style seen is the outermost) clears what inner headings set, so
    "二、南郑区" clears the "（二）续建项目" of 汉台区.

    >>> idx = pd.RangeIndex(8)
    >>> h = pd.Series({0: "一、汉台区", 1: "（一）新开工项目", 3: "（二）续建项目", 5: "二、南郑区"})
    >>> section_values(h, idx).fillna("").values.tolist()[2], section_values(h, idx).fillna("").values.tolist()[6]
    (['start', '', '汉台区'], ['', '', '南郑区'])
    """
    fields = ("batch", "level", "unit")
    out = pd.DataFrame({f: pd.Series([None] * len(index), index=index, dtype=object) for f in fields})
    if headings.empty:
        return out
    rank: dict[str, int] = {}
    state: dict[str, tuple[str, int]] = {}
    marks: dict[object, dict[str, object]] = {}
    for pos, text in headings.sort_index().items():
        meaning = section_meaning(str(text), values)
        style = section_style(str(text))
        depth = rank.setdefault(style, len(rank))
        state = {f: (v, d) for f, (v, d) in state.items() if d < depth}
        if meaning is not None:
            state[meaning[0]] = (meaning[1], depth)
        marks[pos] = {f: state[f][0] if f in state else "" for f in fields}
    table = pd.DataFrame.from_dict(marks, orient="index").reindex(columns=list(fields))
    spread = table.reindex(index.union(table.index)).ffill().reindex(index)
    spread = spread.where(spread.notna() & spread.ne(""), None).astype(object)
    return spread


#: Column kinds whose merged cells hold an amount or a measure, not a label: never filled down.
NUMBER_KINDS = {"money": "金额", "usd": "金额", "number": "数值", "percent": "数值"}


def number_columns(ids: Mapping[int, str], kind: str) -> dict[int, str]:
    """The columns (grid positions) of ``ids`` that hold amounts or measures, and what they hold (金额/数值).

    >>> number_columns({0: "name", 1: "unit", 5: "total_investment", 7: "completed_cum"}, "ledger")
    {5: '金额', 7: '金额'}
    """
    kinds = {c.id: c.kind for c in fields_of(kind)}
    return {j: NUMBER_KINDS[kinds[cid]] for j, cid in ids.items() if kinds.get(cid) in NUMBER_KINDS}


def counted_once(
    data: pd.DataFrame, merged: list[tuple[int, int, int, int]], numbers: Mapping[int, str], rows: pd.Series, headers: Mapping[int, str]
) -> list[tuple[int, str, str]]:
    """What to say about each merged range of a number column spanning rows of ``data``: its value counts once.

    A 总投资 merged over the 一期 and 二期 rows is one amount: it stays in the first row only
    (:func:`fill_merged` leaves ``numbers`` alone). ``rows``: the row number users see, by
    ``data``'s index; ``headers``: column headers by position. Returns (row, header, message).

    >>> d = pd.DataFrame({0: ["一期", "二期"], 1: [500, None]}, index=[4, 5], dtype=object)
    >>> counted_once(d, [(4, 1, 5, 1)], {1: "金额"}, pd.Series([5, 6], index=[4, 5]), {1: "总投资"})
    [(5, '总投资', '第5-6行“总投资”为合并单元格，金额只计入第5行，未重复计算 / merged cell counted once')]
    """
    out: list[tuple[int, str, str]] = []
    index = data.index
    for r0, c0, r1, _c1 in merged:
        if r1 <= r0 or c0 not in numbers or r0 not in index or c0 not in data.columns:
            continue
        value = data.at[r0, c0]
        inside = index[(index > r0) & (index <= r1)]
        if value is None or (isinstance(value, float) and np.isnan(value)) or not len(inside):
            continue
        first, last = int(rows[r0]), int(rows[inside[-1]])
        header = headers.get(c0, f"第{c0 + 1}列")
        out.append((first, header, f"第{first}-{last}行“{header}”为合并单元格，{numbers[c0]}只计入第{first}行，未重复计算 / merged cell counted once"))
    return out


def fill_merged(data: pd.DataFrame, merged: list[tuple[int, int, int, int]], skip: Collection[int] = ()) -> tuple[pd.DataFrame, dict[int, pd.Series]]:
    """Spread the value of each merged range spanning two rows or more over its cells in ``data``.

    ``data``'s index and columns are grid positions; ``merged`` gives (first row, first
    column, last row, last column), 0-based, as calamine reports them. Ranges that
    start above ``data`` are left alone (titles and headers), and so are the columns in
    ``skip`` (amounts: see :func:`counted_once`). Returns the filled cells and, per
    column, the mask of rows filled.

    >>> d = pd.DataFrame({0: ["A", None, None, "B"], 1: ["x", "y", "z", "w"]}, index=[3, 4, 5, 6], dtype=object)
    >>> out, filled = fill_merged(d, [(3, 0, 5, 0), (0, 0, 0, 1)])
    >>> out[0].tolist(), filled[0].tolist()
    (['A', 'A', 'A', 'B'], [False, True, True, False])
    """
    filled: dict[int, pd.Series] = {}
    if not merged or data.empty:
        return data, filled
    rows = data.index.to_numpy(dtype=np.int64)  # grid rows, sorted
    m = np.asarray(merged, dtype=np.int64).reshape(-1, 4)
    r0, c0, r1, c1 = m.T
    top = np.searchsorted(rows, r0)  # the position of each range's first row, when data has it
    has_top = top < len(rows)
    has_top[has_top] = rows[top[has_top]] == r0[has_top]
    c0_pos = data.columns.get_indexer(c0)
    keep = np.flatnonzero((r1 > r0) & has_top & (c0_pos >= 0))
    values = data.to_numpy(dtype=object)[top[keep], c0_pos[keep]]
    set_ = np.array([not (v is None or (isinstance(v, float) and np.isnan(v))) for v in values], dtype=bool)
    keep, values = keep[set_], values[set_]
    # each range's rows of data: positions top .. below-1 (merges never overlap: each cell gets at most one value)
    start, below = top[keep], np.searchsorted(rows, r1[keep], side="right")
    out = data.copy()
    first_range: dict[int, int] = {}  # column -> the first range (in ``merged`` order) that filled it
    for c in data.columns:
        if c in skip:
            continue
        on = np.flatnonzero((c0[keep] <= c) & (c <= c1[keep]))
        if not len(on):
            continue
        n = below[on] - start[on]
        pos = np.repeat(start[on], n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        owner = np.repeat(on, n)
        col = out[c].to_numpy(dtype=object).copy()
        blank = pd.isna(col[pos])
        if not blank.any():
            continue
        col[pos[blank]] = values[owner[blank]]
        out[c] = pd.Series(col, index=out.index, dtype=object)
        mask = np.zeros(len(rows), dtype=bool)
        mask[pos[blank]] = True
        filled[c] = pd.Series(mask, index=out.index)
        first_range[c] = int(keep[owner[blank]].min())
    # in the order the ranges fill the columns (the order the fills are reported)
    return out, {c: filled[c] for c in sorted(filled, key=lambda c: (first_range[c], c))}
