"""Turn a raw grid of cells into a contract table: header, excluded rows, typed columns.

Steps, in order: find the header row (the first row among the first 30 with the
most recognised headers; a second header row below merged group headers is
joined to it), read the title rows above it (reported; the year, period, level
and money unit they name), exclude blank rows, totals rows (合计/总计/小计),
repeated header rows, section rows (一、新开工项目, （二）汉台区) and footnotes
(注：…) with a reason each; fill what the sheet's layout leaves blank (merged
cells, the values section rows set for the rows under them, a unit written once
above its projects, the sheet name as the unit) and report it; map the headers to
contract columns, then parse each column by its kind. Cell problems name the
row users see and the header as written.

>>> import pandas as pd, numpy as np
>>> from hzlib.ingest.read import RawTable
>>> cells = pd.DataFrame([["2024年项目进度", None, None], ["项目编号", "月份", "累计完成投资（亿元）"],
...                       ["P1", "2024-06", "1.5"], ["合计", None, "1.5"]], dtype=object)
>>> r = build_table(RawTable("p.csv", cells, np.arange(1, 5), "UTF-8"), "progress")
>>> r.frame.to_dict("list"), [str(e) for e in r.excluded]
({'project_id': ['P1'], 'month': ['2024-06'], 'completed_cum': [15000.0]}, ['p.csv 第4行：合计行（“合计”）'])
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..contracts import LEVEL_ZH, OWNERSHIP_ZH, Column
from ..errors import ERROR, WARNING, Problem
from ..glossary import BATCH_LEDGER_ZH
from .aliases import (
    CONTRACTS,
    IGNORED_HEADERS,
    UNIT_COLUMN_HEADERS,
    VALUE_ALIASES,
    accepted_headers,
    cumulative_header,
    fields_of,
    match_header,
    normalise_header,
    normalise_value,
    not_this_year_header,
    split_header,
)
from .layout import NUMERAL_RE, SECTION_RE, UNIT_HINT_RE, TitleInfo, counted_once, fill_merged, number_columns, parse_title, section_values
from .mapping import MappingFile
from .parse import (
    AMBIGUOUS,
    IMPOSSIBLE,
    NEEDS_YEAR,
    ambiguous_numbers,
    blank_mask,
    excel_error_mask,
    nonfinite_mask,
    on_uniques,
    parse_bool,
    parse_category,
    parse_dates,
    parse_int,
    parse_month,
    parse_number,
    parse_percent,
    parse_period,
    parse_unit,
    parse_usd_unit,
    percent_only_mask,
    to_text,
)
from .read import RawTable
from .result import CumulativeColumn, ExcludedRow, ReadResult

__all__ = [
    "build_table",
    "find_header",
    "HeaderInfo",
    "ReadOptions",
    "cell_problems",
    "compact_rows",
    "empty_frame",
    "month_of",
    "MAX_ROWS_PER_PROBLEM",
]

#: Problems of one kind in one column are listed row by row up to this many, then summarised.
MAX_ROWS_PER_PROBLEM = 200
#: How many rows from the top are searched for the header.
HEADER_SCAN_ROWS = 30

_TOTAL_RE = re.compile(r"^\s*[^\d]{0,15}?(合\s*计|总\s*计|小\s*计)\s*[:：]?\s*([(（][^()（）]{0,20}[)）])?\s*$")
#: A breakdown row under a total ("其中：新开工", "其中 省级项目"): a part of the total, not a project.
_BREAKDOWN_RE = re.compile(r"^\s*其\s*中")
_YEAR_IN_HEADER = re.compile(r"(?<!\d)(20\d\d)\s*年")
_NOTE_RE = re.compile(r"^\s*(注\s*\d*\s*[:：.、]|说明\s*[:：]|备注\s*[:：]|填表|填报|制表|审核人|负责人|联系人|联系电话|数据来源\s*[:：]|来源\s*[:：])")
_ZH = {c.id: c.zh for c in fields_of("ledger")}
#: A ledger sheet's cumulative completed-investment column, read like any money column.
_NUMERIC_KINDS = frozenset({"money", "usd", "number", "percent", "int"})
_CUMULATIVE = next(c for c in fields_of("ledger") if c.id == "completed_cum")


@dataclass(frozen=True)
class ReadOptions:
    """What the caller knows that a sheet may not say.

    ``year``: the plan or ledger year (``--year``, the plan's year); ``month``: the month
    (``YYYY-MM``, or ``6`` with a year) a cumulative completed-investment column runs to
    when neither its header nor the title says (``--month``); ``mapping``: the office's
    mapping file; ``sheet_unit``: the sheet's name, the unit of its rows when there is
    no unit column (one sheet per county); ``label``: the file as problems name it
    (file and sheet).
    """

    year: int | None = None
    month: str | None = None
    mapping: MappingFile | None = None
    sheet_unit: str | None = None
    label: str | None = None


def compact_rows(rows: Iterable[int]) -> str:
    """Row numbers as short ranges.

    >>> compact_rows([3, 4, 5, 9, 11, 12])
    '3-5、9、11-12'
    """
    rs = sorted(set(int(r) for r in rows))
    parts: list[str] = []
    i = 0
    while i < len(rs):
        j = i
        while j + 1 < len(rs) and rs[j + 1] == rs[j] + 1:
            j += 1
        parts.append(str(rs[i]) if i == j else f"{rs[i]}-{rs[j]}")
        i = j + 1
    return "、".join(parts)


def cell_problems(
    file: str | pd.Series,
    rows: pd.Series,
    mask: pd.Series,
    column: str | None,
    message: str | pd.Series | Callable[[pd.Index], pd.Series],
    severity: str = ERROR,
) -> list[Problem]:
    """One problem per flagged row (up to :data:`MAX_ROWS_PER_PROBLEM`, then one summary naming the rest).

    ``file`` is the file's label, or one label per row (rows read from several sheets).

    >>> rows = pd.Series([2, 3, 4]); mask = pd.Series([True, False, True])
    >>> [str(p) for p in cell_problems("a.csv", rows, mask, "总投资", "不是数字")]
    ['a.csv 第2行 [总投资]：不是数字', 'a.csv 第4行 [总投资]：不是数字']
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    rn = rows[mask].astype(int).tolist()
    if callable(message):
        msgs = pd.Series(message(mask[mask].index)).astype(str).tolist()
    elif isinstance(message, pd.Series):
        msgs = message[mask].astype(str).tolist()
    else:
        msgs = [message] * len(rn)
    files = file[mask].astype(str).tolist() if isinstance(file, pd.Series) else [file] * len(rn)
    out = [Problem(f, r, column, m, severity) for f, r, m in zip(files[:MAX_ROWS_PER_PROBLEM], rn[:MAX_ROWS_PER_PROBLEM], msgs[:MAX_ROWS_PER_PROBLEM])]
    rest = rn[MAX_ROWS_PER_PROBLEM:]
    if rest:
        first = msgs[MAX_ROWS_PER_PROBLEM]
        out.append(
            Problem(
                files[MAX_ROWS_PER_PROBLEM],
                None,
                column,
                f"另有 {len(rest)} 行同样的问题（如“{first}”）：第{compact_rows(rest)}行 / {len(rest)} more rows",
                severity,
            )
        )
    return out


def _says(s: pd.Series, template: str) -> Callable[[pd.Index], pd.Series]:
    """A lazy message: ``template`` with ``{v}`` replaced by each flagged cell as typed."""

    def build(idx: pd.Index) -> pd.Series:
        return s[idx].map(lambda v: template.replace("{v}", _cell_text(v)))

    return build


def _dtype(kind: str) -> str:
    return {"money": "float64", "usd": "float64", "number": "float64", "percent": "float64", "date": "datetime64[ns]", "int": "Int64", "bool": "boolean"}.get(
        kind, "object"
    )


def empty_frame(kind: str, n: int = 0) -> pd.DataFrame:
    """An all-missing contract table of ``kind`` with ``n`` rows and the contract dtypes.

    >>> empty_frame("progress").dtypes.astype(str).tolist()
    ['object', 'object', 'float64']
    """
    cols = {}
    for c in CONTRACTS[kind]:
        if c.kind == "date":
            cols[c.id] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        elif _dtype(c.kind) == "object":
            cols[c.id] = pd.Series([None] * n, index=range(n), dtype=object)
        else:
            cols[c.id] = pd.Series(pd.NA if c.kind in ("int", "bool") else np.nan, index=range(n), dtype=_dtype(c.kind))
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return re.sub(r"[\r\n]+", "", str(v)).strip()


@dataclass
class HeaderInfo:
    """Where the header is and what each column means."""

    pos: int  # position (iloc) of the last header row
    first_pos: int  # position of the first header row (== pos unless two header rows)
    headers: dict[int, str] = field(default_factory=dict)  # column position -> header as written
    ids: dict[int, str] = field(default_factory=dict)  # column position -> contract id
    score: int = 0


def _score_row(values: list[object], kind: str, extra: Mapping[str, str] | None = None) -> tuple[int, dict[int, str]]:
    ids: dict[int, str] = {}
    for j, v in enumerate(values):
        t = _cell_text(v)
        if t:
            cid = match_header(t, kind, extra)
            if cid is not None:
                ids[j] = cid
    return len(set(ids.values())), ids


def _looks_like_value(v: object) -> bool:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return True
    t = _cell_text(v)
    return bool(re.fullmatch(r"[-+\d.,/%年月日\s]+", t)) if t else False


def find_header(cells: pd.DataFrame, kind: str, extra: Mapping[str, str] | None = None) -> HeaderInfo | None:
    """The header row of ``cells`` for ``kind``: the top row with the most recognised headers (at least 2).

    ``extra``: an office's own headers (mapping file), see :func:`.aliases.match_header`.
    A header written over two rows is joined: group headers with their columns below
    (投资情况 over 总投资/年度计划), and columns merged down both rows (项目名称).

    >>> cells = pd.DataFrame([["台账", None], [None, None], ["编号", "项目名称"], ["P1", "桥"]], dtype=object)
    >>> h = find_header(cells, "ledger"); h.pos, h.ids
    (2, {0: 'project_id', 1: 'name'})
    >>> cells = pd.DataFrame([["项目名称", "责任单位", "投资情况", None], [None, None, "总投资", "年度计划投资"], ["桥", "汉台区", 9, 3]], dtype=object)
    >>> h = find_header(cells, "ledger"); (h.first_pos, h.pos), h.ids, h.headers[3]
    ((0, 1), {0: 'name', 1: 'unit', 2: 'total_investment', 3: 'annual_plan'}, '投资情况/年度计划投资')
    """
    best: tuple[int, int, dict[int, str]] | None = None
    n = min(len(cells), HEADER_SCAN_ROWS)
    rows = cells.iloc[:n].to_numpy(dtype=object).tolist()
    for i, values in enumerate(rows):
        score, ids = _score_row(values, kind, extra)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, i, ids)
    if best is None:
        return None
    score, i, ids = best
    if i > 0 and _adds_above(rows[i - 1], rows[i], ids, kind, extra):
        # the best row is the lower row of a two-row header: its top row names other columns
        i -= 1
        score, ids = _score_row(rows[i], kind, extra)
    header_vals = rows[i]
    info = HeaderInfo(pos=i, first_pos=i, headers={j: _cell_text(v) for j, v in enumerate(header_vals) if _cell_text(v)}, ids=dict(ids), score=score)
    # A second header row under merged group headers (e.g. 手续办结时间 over 规划/土地/环评/能评).
    if i + 1 < len(cells):
        _join_below(info, header_vals, cells.iloc[i + 1].tolist(), kind, extra)
    return info


def _adds_above(above: list[object], row: list[object], ids: Mapping[int, str], kind: str, extra: Mapping[str, str] | None) -> bool:
    """True when ``above`` is the top row of a two-row header whose lower row is ``row``:
    it names a column (merged down, blank in ``row``) that ``row`` does not have, and holds no values."""
    filled = [j for j, v in enumerate(above) if _cell_text(v)]
    if not filled or any(_looks_like_value(above[j]) for j in filled):
        return False
    _, up = _score_row(above, kind, extra)
    return any(not _cell_text(row[j]) and cid not in ids.values() for j, cid in up.items() if j < len(row))


def _join_below(info: HeaderInfo, header_vals: list[object], below: list[object], kind: str, extra: Mapping[str, str] | None) -> None:
    """Join a second header row to ``info`` when it holds the columns under group headers."""
    filled = [j for j, v in enumerate(below) if _cell_text(v)]
    if not filled or any(_looks_like_value(below[j]) for j in filled):
        return
    parent = ""
    parents: dict[int, str] = {}
    for j in range(len(header_vals)):
        t = _cell_text(header_vals[j])
        parent = t if t else parent
        parents[j] = parent
    found: dict[int, tuple[str, str]] = {}
    for j in filled:
        child = _cell_text(below[j])
        par = parents.get(j, "")
        p_name, p_unit = split_header(par)
        for cand in (child, f"{child}{p_name}", f"{p_name}{child}"):
            cid = match_header(cand, kind, extra)
            if cid is not None and cid not in info.ids.values():
                shown = f"{par}/{child}" if par and par != child else child
                if p_unit and not split_header(child)[1]:
                    shown = f"{shown}（{p_unit}）"
                found[j] = (cid, shown)
                break
    if not found:
        return
    for j, (cid, shown) in found.items():
        info.ids[j] = cid
        info.headers[j] = shown
    for j in filled:
        if j not in found:
            info.headers.setdefault(j, _cell_text(below[j]))
    info.pos += 1
    info.score = len(set(info.ids.values()))


def _exclusions(data: pd.DataFrame, info: HeaderInfo, n_mapped: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Reason per data row (None to keep), the text that triggered it, and the section headings.

    Section rows are single-cell group titles (一、汉台区; 汉台区), a numbered heading in the
    first filled cell followed only by subtotals (一、新开工项目 | … | 12345), and rows whose
    序号 is a Chinese numeral (一 | 新开工项目 | …). ``headings`` holds their text by row.
    """
    reason = pd.Series([None] * len(data), index=data.index, dtype=object)
    text = pd.Series([None] * len(data), index=data.index, dtype=object)
    headings = pd.Series([], dtype=object)
    filled = data.notna()
    count = filled.sum(axis=1)
    reason[count == 0] = "空行"
    # totals rows: 合计/总计/小计 in the first three columns or the id/name/unit columns
    look = sorted({c for c in data.columns[:3]} | {j for j, cid in info.ids.items() if cid in ("project_id", "name", "unit", "jurisdiction")})
    for j in look:
        if j not in data.columns:
            continue
        s = data[j]
        hit = _matches(s, _TOTAL_RE) & reason.isna()
        reason[hit] = "合计行"
        text[hit] = s[hit]
        # "其中：新开工 | … | 1200": a breakdown of the total above, never a project nor a section heading
        hit = _matches(s, _BREAKDOWN_RE) & reason.isna()
        reason[hit] = "分项小计行"
        text[hit] = s[hit]
    # repeated header rows (pages glued together)
    if info.headers:
        same = pd.Series(0, index=data.index)
        for j, h in info.headers.items():
            if j in data.columns:
                same += data[j].isin({h, h.split("/")[-1]}).astype(int)
        hit = (same >= max(2, len(info.headers) // 2)) & reason.isna()
        reason[hit] = "重复的表头行"
    id_cols = [j for j, cid in info.ids.items() if cid == "project_id" and j in data.columns]
    no_id = ~filled[id_cols].any(axis=1) if id_cols else pd.Series(True, index=data.index)
    # one filled cell: a group title (一、汉台区) or a footnote (注：…)
    single = (count == 1) & reason.isna()
    if single.any():
        first = _first_filled(data[single]).astype("string")
        col_of = filled[single].idxmax(axis=1)
        note = first.str.match(_NOTE_RE).fillna(False).astype(bool)
        section = first.str.match(SECTION_RE).fillna(False).astype(bool)
        not_id = ~col_of.isin(id_cols)
        generic = (n_mapped >= 4) & not_id & ~first.str.fullmatch(r"[-+\d.,\s%]+").fillna(False).astype(bool)
        idx_note = note[note].index
        idx_sec = section[section | (generic & ~note)].index
        reason[idx_note] = "表尾说明"
        reason[idx_sec] = "分组标题行"
        text[idx_note] = first[idx_note].astype(object)
        text[idx_sec] = first[idx_sec].astype(object)
        headings = first[idx_sec].astype(object)
    # several filled cells: a numbered heading with subtotals, or a 序号 that is a Chinese numeral
    multi = (count >= 2) & reason.isna() & no_id
    if multi.any():
        cells = data[multi]
        heading = _matches(_first_filled(cells), SECTION_RE)
        numbered = pd.Series(False, index=cells.index)
        seq = [j for j, h in info.headers.items() if split_header(h)[0] in ("序号", "no", "no.", "#") and j in data.columns]
        if seq:
            numbered = _matches(cells[seq[0]], NUMERAL_RE)
        hit = (heading | numbered).astype(bool)
        if hit.any():
            name_col = next((j for j, cid in info.ids.items() if cid == "name" and j in data.columns), None)
            rest = cells[hit]

            def words(row: pd.Series) -> str:
                vals = [_cell_text(v) for v in row.tolist() if isinstance(v, str) and _cell_text(v)]
                if name_col is not None and isinstance(row.get(name_col), str) and vals and vals[0] != row[name_col]:
                    return f"{vals[0].rstrip('、.．')}、{row[name_col]}" if NUMERAL_RE.match(vals[0]) else vals[0]
                return vals[0] if vals else ""

            said = rest.apply(words, axis=1).astype(object)
            reason[said.index] = "分组标题行"
            text[said.index] = said
            headings = pd.concat([headings, said]).sort_index()
    return reason, text, headings


def _first_filled(cells: pd.DataFrame) -> pd.Series:
    """The leftmost filled cell of each row (None for a blank row)."""
    arr = cells.to_numpy(dtype=object)
    filled = cells.notna().to_numpy()
    if arr.shape[1] == 0:
        return pd.Series([None] * len(cells), index=cells.index, dtype=object)
    first = arr[np.arange(len(arr)), filled.argmax(axis=1)]
    return pd.Series(np.where(filled.any(axis=1), first, None), index=cells.index, dtype=object)


def _matches(s: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    """Text cells that ``pattern`` matches at their start (once per distinct value)."""
    hit = on_uniques(s, lambda u: u.map(lambda v: isinstance(v, str) and bool(pattern.match(v))))
    return hit.astype("boolean").fillna(False).astype(bool)


def _title(cells: pd.DataFrame, info: HeaderInfo, rownums: pd.Series, label: str, problems: list[Problem]) -> TitleInfo:
    """Report the rows above the header and read what they say (year, period, level, money unit)."""
    lines: list[str] = []
    for i in range(info.first_pos):
        vals = [_cell_text(v) for v in cells.iloc[i].tolist() if _cell_text(v)]
        if not vals:
            continue
        line = " ".join(vals)
        lines.append(line)
        problems.append(Problem(label, int(rownums.iloc[i]), None, f"跳过表头上方的标题行：“{line[:60]}” / skipped a title row above the header", WARNING))
    title = parse_title(lines)
    for v in cells.iloc[info.first_pos : info.pos + 1].to_numpy(dtype=object).ravel():
        m = UNIT_HINT_RE.search(_cell_text(v))
        if m:
            title = replace(title, money_unit=m.group(1))
    return title


def month_of(text: object, year: int | None) -> str | None:
    """``YYYY-MM`` from ``2019-06``, ``2019年6月``, or ``6``/``6月`` with ``year``; None if unreadable.

    >>> month_of("2019-06", None), month_of(6, 2019), month_of("6月", None)
    ('2019-06', '2019-06', None)
    """
    if text is None:
        return None
    m, bad = parse_month(pd.Series([text], dtype=object), year)
    return None if bool(bad.iloc[0]) or m.iloc[0] is None else str(m.iloc[0])


@dataclass
class _Sheet:
    """The kept rows of one sheet and what parsing them needs: where problems point, units, the year."""

    result: ReadResult
    label: str
    rows: pd.Series
    header_row: int
    year: int | None
    mapping: MappingFile | None
    unit_hint: str | None = None
    unit_rows: tuple[pd.Series, pd.Series, pd.Series] | None = None
    unit_header: str = "单位"
    problems: list[Problem] = field(default_factory=list)
    wan: dict[str, pd.Series] = field(default_factory=dict)  # money column -> rows read as typed in 万元

    def cells(self, mask: pd.Series, column: str | None, message: str | pd.Series | Callable[[pd.Index], pd.Series], severity: str = ERROR) -> None:
        self.problems += cell_problems(self.label, self.rows, mask, column, message, severity)

    def action(self, row: int | None, column: str | None, message: str, english: str | None = None) -> None:
        """Record what the reader did: ``message`` in Chinese, with its English gloss when given."""
        p = Problem(self.label, row, column, message, WARNING) if english is None else Problem.said(self.label, row, column, message, english, WARNING)
        self.result.did(p)

    def column(self, c: Column, s: pd.Series, header: str) -> pd.Series:
        """Parse one column of kind ``c.kind``; every unreadable cell becomes a problem."""
        err = excel_error_mask(s)
        self.cells(err, header, _says(s, "单元格是 Excel 错误值“{v}”，请修正公式或填入数值 / Excel error value"))
        s = s.where(~err, None)
        if c.kind in ("number", "percent"):
            s = s.where(~percent_only_mask(s), None)  # a lone "%" is as empty as a blank cell
        blank = blank_mask(s) & ~err
        if c.kind in _NUMERIC_KINDS:
            blank &= ~nonfinite_mask(s)  # "nan" is refused as not a number, not taken for a blank
        if c.if_blank != "ok":
            what = "必填项为空" if c.if_blank == "error" else "为空，按缺失值处理"
            self.cells(blank, header, f"“{header}”{what} / empty cell in a required column", ERROR if c.if_blank == "error" else WARNING)
        if self.mapping is not None and self.mapping.values_for(c.id):
            own = self.mapping.values_for(c.id)
            s = on_uniques(s, lambda u: u.map(lambda v: own.get(normalise_value(_cell_text(v)), v)))
        if c.kind == "str":
            return to_text(s)
        if c.kind == "money":
            values, self.wan[c.id] = self.money(s, header, c.id)
            return values
        if c.kind == "usd":
            return self.usd(s, header, c.id)
        if c.kind == "number":
            return self.number(s, header, c.id)
        if c.kind == "percent":
            return self.percent(s, header, c.id)
        if c.kind == "date":
            return self.date(s, header)
        if c.kind == "month":
            values, bad = parse_month(s, self.year)
            self.cells(bad, header, _says(s, _SIMPLE_KINDS["month"][1]))
            self.ambiguous(s, header, "月份")
            return values
        if c.kind in _SIMPLE_KINDS:
            parser, message = _SIMPLE_KINDS[c.kind]
            values, bad = parser(s)
            self.cells(bad, header, _says(s, message))
            return values
        if c.kind == "category":
            aliases = VALUE_ALIASES[c.id]
            v, bad = parse_category(s, aliases)
            zh = "、".join(k for k in aliases if not k.isascii())
            self.cells(
                bad,
                header,
                _says(
                    s, f"无法识别的取值“{{v}}”，应为 {zh} 之一（或 {'/'.join(c.choices)}）；本单位的写法可以写进映射文件 mapping.yaml 的 values / unknown value"
                ),
            )
            if bad.any():
                self.result.unknown_values[c.id] = sorted({_cell_text(x) for x in s[bad]})
            return v
        return to_text(s)  # pragma: no cover - contracts only use the kinds above

    def ambiguous(self, s: pd.Series, header: str, what: str) -> None:
        amb = ambiguous_numbers(s)
        self.cells(
            amb,
            header,
            lambda i: s[i].map(
                lambda v: (
                    f"数字单元格 {v:g} 有歧义：可能是 {int(v)}年1月，也可能是 {int(v)}年10月（Excel 会把 {int(v)}.10 存成数字 {v:g}），"
                    f"按 {int(v)}年1月 读入；请核对后写成文本 {int(v)}-10 或 {int(v)}-01 / ambiguous number in a {what} column"
                )
            ),
            WARNING,
        )

    def date(self, s: pd.Series, header: str) -> pd.Series:
        values, why = parse_dates(s, self.year)
        y = self.year or 2024
        self.cells(why.eq("unreadable"), header, _says(s, "无法识别的日期“{v}”，应写成 " + f"{y}-03-05、{y}/3/5、{y}年3月5日 或 {y}.3 / unreadable date"))
        self.cells(why.eq(IMPOSSIBLE), header, _says(s, "不存在的日期“{v}”（该月没有这一天，或月份不在 1–12），请核对后改正 / no such date"))
        self.cells(why.eq(NEEDS_YEAR), header, _says(s, "“{v}”没有写年份，也不知道计划年度：请写成 2024-03-05 这样的完整日期，或用 --year 指定年度 / no year"))
        self.ambiguous(s.where(why.eq(AMBIGUOUS)), header, "日期")
        return values

    def number(self, s: pd.Series, header: str, cid: str) -> pd.Series:
        txt = to_text(s)
        pct = txt.str.contains(r"[%％]\s*$", regex=True, na=False).astype(bool)
        values, cell_units, bad = parse_number(txt.where(~pct, txt.str.replace(r"[%％]\s*$", "", regex=True)))
        self.cells(bad, header, _says(s, "不是数字：“{v}”，应填写数值（如 12 或 85.5），不要带文字 / not a number"))
        self.cells(cell_units.notna(), header, _says(s, "“{v}”带有单位；本列只填数字，单位写在“计量单位”列 / put the unit in its own column"))
        self.result.percent_typed[cid] = pct.reset_index(drop=True)
        return values.where(cell_units.isna())

    def percent(self, s: pd.Series, header: str, cid: str) -> pd.Series:
        frac, bad, small, as_fractions = parse_percent(s, header_percent=split_header(header)[1] == "%")
        self.cells(bad, header, _says(s, "无法识别的百分数“{v}”，应写成 9.2、9.2% 或 0.092 / not a percent"))
        if cid != "completion_pct":  # a recomputed column: a wrong figure is caught by the recomputation
            self.cells(
                small,
                header,
                _says(
                    s,
                    "数值“{v}”在 0 到 1 之间，按 {v}% 处理；如果是小数形式（如 0.8 表示 80%），请改为 80 / a number between 0 and 1: read as {v}%",
                ),
                WARNING,
            )
        if as_fractions:
            self.problems.append(
                Problem(
                    self.label,
                    self.header_row,
                    header,
                    "表头没有注明单位 %，单元格也都没有 % 号，且本列数值都不大于 1：按小数处理（0.8 表示 80%）；如果是百分数，请在表头写明“（%）”"
                    " / no % in the header or cells and all values ≤ 1: read as fractions",
                    WARNING,
                )
            )
        self.result.units[cid] = "小数" if as_fractions else "%"
        return frac

    def header_factor(self, header: str, cid: str, parse: Callable[[object], tuple[float | None, str | None]]) -> tuple[float | None, bool]:
        """The factor of the unit in the header's brackets: ``(factor, True)``; ``(None, True)``
        when the header names no unit; ``(None, False)`` after reporting a unit ``parse`` rejects."""
        header_unit = split_header(header)[1]
        if not header_unit:
            return None, True
        self.result.units[cid] = header_unit
        f, msg = parse(header_unit)
        if f is None:
            self.problems.append(Problem(self.label, self.header_row, header, f"表头：{msg}"))
            return None, False
        return f, True

    def usd(self, s: pd.Series, header: str, cid: str) -> pd.Series:
        """Parse a US-dollar column to 万美元 (never converted to 万元: no exchange rate is guessed)."""
        factor, ok = self.header_factor(header, cid, parse_usd_unit)
        if not ok:
            return pd.Series(np.nan, index=s.index, dtype=float)
        if factor is None:
            self.problems.append(
                Problem(self.label, self.header_row, header, "表头未注明外资金额单位，按万美元处理 / no unit in the header, assumed 万美元", WARNING)
            )
            self.result.units[cid] = "万美元（默认）"
            factor = 1.0
        values, cell_units, bad = parse_number(s)
        self.cells(bad, header, _not_a_number(s))
        cny = cell_units.notna()
        self.cells(cny, header, _says(s, "“{v}”是人民币金额，本列应填写万美元 / a CNY amount in a US-dollar column"))
        out = (values.where(~cny) * factor).round(6)
        self.cells(out < 0, header, _negative(s))
        return out

    def money(self, s: pd.Series, header: str, cid: str) -> tuple[pd.Series, pd.Series]:
        """Parse a money column to 万元; returns the values and the mask of values read as typed in 万元."""
        f, ok = self.header_factor(header, cid, parse_unit)
        if not ok:
            return pd.Series(np.nan, index=s.index, dtype=float), pd.Series(False, index=s.index)
        factor = pd.Series(1.0, index=s.index)
        if f is not None:
            factor[:] = f
            if f != 1.0:
                self.action(self.header_row, header, f"按表头单位{split_header(header)[1]}读入，已换算为万元（×{f:g}）", "converted to 万元")
        elif self.unit_rows is not None:
            ufactor, ublank, ubad = self.unit_rows
            factor = ufactor.copy()
            if ublank.any():
                factor[ublank] = parse_unit(self.unit_hint or "万元")[0]
            factor[ubad] = np.nan
            self.result.units[cid] = "按“" + self.unit_header + "”列"
        elif self.unit_hint is not None:
            factor[:] = parse_unit(self.unit_hint)[0]
            self.result.units[cid] = self.unit_hint
            if self.unit_hint != "万元":
                self.action(self.header_row, header, f"按标题中的“单位：{self.unit_hint}”读入，已换算为万元", "converted to 万元")
        else:
            self.problems.append(
                Problem(
                    self.label,
                    self.header_row,
                    header,
                    "表头未注明金额单位，按万元处理；如为亿元请在表头写明“（亿元）” / no unit in the header, assumed 万元",
                    WARNING,
                )
            )
            self.result.units[cid] = "万元（默认）"
        values, cell_units, bad = parse_number(s)
        self.cells(bad, header, _not_a_number(s))
        has_cell_unit = cell_units.notna()
        if has_cell_unit.any():
            cf = cell_units[has_cell_unit].map(lambda u: parse_unit(u)[0])
            factor = factor.copy()
            factor[has_cell_unit] = cf.astype(float)
        out = (values * factor).round(6)
        if has_cell_unit.any():

            def said(i: pd.Index) -> pd.Series:
                return (
                    "“"
                    + s[i].map(_cell_text)
                    + "”带有单位，读作 "
                    + out[i].map(lambda v: f"{v:g}")
                    + " 万元；本列请只填数字（单位写在表头） / a unit in the cell"
                )

            for p in cell_problems(self.label, self.rows, has_cell_unit, header, said, WARNING):
                self.result.did(p)
        self.cells(out < 0, header, _negative(s))
        wan = (factor == 1.0) & ~has_cell_unit & out.notna()
        return out, wan


def _not_a_number(s: pd.Series) -> Callable[[pd.Index], pd.Series]:
    return lambda i: "不是数字：“" + s[i].astype(str) + "”，应填写数值（如 1234.5），不要带文字 / not a number"


def _negative(s: pd.Series) -> Callable[[pd.Index], pd.Series]:
    return lambda i: "金额为负数：“" + s[i].astype(str) + "” / negative amount"


#: Column kinds read by one parser with one message for unreadable cells ({v} is the cell text).
_SIMPLE_KINDS: dict[str, tuple[Callable[[pd.Series], tuple[pd.Series, pd.Series]], str]] = {
    "month": (parse_month, "无法识别的月份“{v}”，应写成 2024-06、2024/6、2024年6月 或 202406 / unreadable month"),
    "period": (parse_period, "无法识别的期别“{v}”，应写成 2024-06、2024Q2、2024H1、2024 或 2024年1-6月 / unreadable period"),
    "int": (parse_int, "不是整数：“{v}” / not a whole number"),
    "bool": (parse_bool, "无法识别的是否值“{v}”，应为 是/否、Y/N、1/0 或 TRUE/FALSE / not a yes/no value"),
}


# ---------------------------------------------------------------- the layout: what the sheet leaves blank


@dataclass
class _Layout:
    """The kept rows' raw cells while the layout fills them: columns added, values filled."""

    kept: pd.DataFrame
    info: HeaderInfo
    ids: dict[str, int]  # contract id -> column position
    sheet: _Sheet
    sections: pd.DataFrame | None = None
    typed: dict[str, pd.Series] = field(default_factory=dict)  # field -> rows whose own cell had a value
    derived: set[str] = field(default_factory=set)  # columns the sheet does not have (a blank there is not the sheet's)

    def rows_text(self, mask: pd.Series) -> str:
        return compact_rows(self.sheet.rows[mask])

    def add(self, cid: str, values: pd.Series, header: str) -> None:
        j = max([int(c) for c in self.kept.columns] + [-1]) + 1
        self.kept[j] = values.astype(object)
        self.info.headers[j] = header
        self.info.ids[j] = cid
        self.ids[cid] = j
        self.derived.add(cid)

    def merged(self, merged: list[tuple[int, int, int, int]]) -> None:
        numbers = number_columns(self.info.ids, self.sheet.result.kind)  # amounts are counted once, not filled down
        for row, header, message in counted_once(self.kept, merged, numbers, self.sheet.rows, self.info.headers):
            self.sheet.action(row, header, message)
        self.kept, filled = fill_merged(self.kept, merged, skip=numbers)
        for j, mask in filled.items():
            if mask.any():
                header = self.info.headers.get(j, f"第{j + 1}列")
                self.sheet.action(None, header, f"合并单元格的值已逐行填入：第{self.rows_text(mask)}行（共{int(mask.sum())}行）", "merged cells filled")

    def from_sections(self, headings: pd.Series, values: Mapping[str, Mapping[str, str]] | None) -> None:
        """Set, for the rows under each section row, the batch, level or unit it names."""
        if headings.empty:
            return
        self.sections = section_values(headings, self.kept.index, values)
        for cid in ("batch", "level", "unit"):
            sv = self.sections[cid]
            if sv.isna().all():
                continue
            if cid in self.ids:
                col = self.kept[self.ids[cid]]
                self.typed[cid] = ~blank_mask(col)
                fill = blank_mask(col) & sv.notna()
                self.kept.loc[fill, self.ids[cid]] = sv[fill]
            else:
                fill = sv.notna()
                self.add(cid, sv, f"{_ZH[cid]}（分组标题行）")
            if fill.any():
                words = {v: _shown(cid, v) for v in sv[fill].unique()}
                parts = [f"{words[v]} {int((fill & sv.eq(v)).sum())} 行（第{self.rows_text(fill & sv.eq(v))}行）" for v in words]
                self.sheet.action(None, _ZH[cid], f"按分组标题行填写{_ZH[cid]}：{'、'.join(parts)}", "set from section rows")

    def fill_down_units(self) -> None:
        """A unit written once above its projects: blank unit cells take the unit above them (within a section)."""
        if "unit" not in self.ids:
            return
        j = self.ids["unit"]
        col = self.kept[j]
        blank = blank_mask(col)
        if not blank.any() or blank.all():
            return
        group = pd.Series(0, index=col.index)
        if self.sections is not None:
            sv = self.sections["unit"].fillna("")
            group = (sv != sv.shift()).cumsum()
        above = col.where(~blank).groupby(group).ffill()
        fill = blank & above.notna()
        if not fill.any():
            return
        self.kept.loc[fill, j] = above[fill]
        parts = [f"第{self.rows_text(fill & above.eq(v))}行（{v}）" for v in dict.fromkeys(above[fill])]
        self.sheet.action(None, self.info.headers[j], f"单位只写在每组第一行，空白行沿用上方的单位：{'、'.join(parts)}", "unit filled down")

    def constant(self, cid: str, value: str, why: str) -> None:
        """A column the sheet does not have, the same for every row."""
        n = len(self.kept)
        self.add(cid, pd.Series([value] * n, index=self.kept.index, dtype=object), f"{_ZH[cid]}（{why}）")
        self.sheet.action(None, _ZH[cid], f"表中没有“{_ZH[cid]}”列，{why}：{_shown(cid, value)}（{n}行）", "column derived")

    def conflicts(self, cid: str, parsed: pd.Series) -> None:
        """Rows whose own value differs from what their section row says (warning: the row's value is kept)."""
        if self.sections is None or cid not in self.typed:
            return
        sv = self.sections[cid]
        bad = self.typed[cid] & sv.notna() & parsed.notna() & (parsed.astype(object) != sv)
        header = self.info.headers[self.ids[cid]]
        self.sheet.cells(
            bad,
            header,
            lambda i: (
                f"{_ZH[cid]}“"
                + parsed[i].map(lambda v: _shown(cid, v))
                + "”与所在分组“"
                + sv[i].map(lambda v: _shown(cid, v))
                + "”不一致，按本行读入；请核对 / differs from its section row"
            ),
            WARNING,
        )


def _shown(cid: str, value: object) -> str:
    """A contract value as people write it: start → 新开工, city → 市级."""
    table = {"batch": BATCH_LEDGER_ZH, "level": LEVEL_ZH, "ownership": OWNERSHIP_ZH}.get(cid, {})
    return table.get(str(value), str(value))


def _columns(info: HeaderInfo, data: pd.DataFrame, kind: str, sheet: _Sheet) -> tuple[dict[str, int], list[int], int | None]:
    """Contract id -> column position; the cumulative completed-investment columns; the money-unit column.

    Reports duplicate columns, columns not read (unknown, or not this year's cumulative
    figure) and filled columns without a header.
    """
    label, header_row, mapping = sheet.label, sheet.header_row, sheet.mapping
    ids: dict[str, int] = {}
    cumulative: list[int] = []
    for j in sorted(info.ids):
        cid = info.ids[j]
        if cid == "completed_cum" and kind == "ledger":
            cumulative.append(j)
            continue
        if cid in ids:
            mapped = _mapped_twice(info.headers[ids[cid]], info.headers[j], cid, kind, mapping)
            if mapped is not None:
                sheet.problems.append(Problem(label, header_row, info.headers[j], mapped))
                continue
            sheet.problems.append(
                Problem(
                    label,
                    header_row,
                    info.headers[j],
                    f"与“{info.headers[ids[cid]]}”是同一列（{cid}），只读取前一列 / duplicate column, the first one is used",
                    WARNING,
                )
            )
            continue
        ids[cid] = j
    unit_pos = next((j for j, h in info.headers.items() if j not in info.ids and split_header(h)[0] in UNIT_COLUMN_HEADERS), None)
    not_read: list[int] = []
    for j, h in info.headers.items():
        why = not_this_year_header(h) if j not in info.ids and kind in ("ledger", "progress") else None
        if why is not None:
            not_read.append(j)
            sheet.problems.append(
                Problem(label, header_row, h, f"{why}，不读取；本年累计完成投资请写成“1-6月完成投资”这样的列 / not this year's cumulative figure", WARNING)
            )
    unknown = [
        h
        for j, h in info.headers.items()
        if j not in info.ids
        and j != unit_pos
        and j not in not_read
        and split_header(h)[0] not in IGNORED_HEADERS
        and not (mapping is not None and mapping.ignores(h))
    ]
    sheet.result.unknown_headers = unknown
    if unknown:
        sheet.problems.append(
            Problem(
                label,
                header_row,
                None,
                f"以下列未识别，已忽略：{'、'.join(unknown)}（需要时写进映射文件 mapping.yaml，见 hz validate-data --suggest-map） / unrecognised columns ignored",
                WARNING,
            )
        )
    for j in [j for j in data.columns if j not in info.headers and data[j].notna().any()]:
        n = int(data[j].notna().sum())
        sheet.problems.append(
            Problem(label, header_row, f"第{j + 1}列", f"该列没有表头，其中 {n} 个值被忽略 / column without a header, {n} values ignored", WARNING)
        )
    return ids, cumulative, unit_pos


def _by_mapping(header: str, cid: str, kind: str, mapping: MappingFile) -> tuple[str, str, int | None] | None:
    """The mapping entry that made ``header`` read as ``cid`` (None when the reader knows the header itself)."""
    for text in dict.fromkeys((header, header.rsplit("/", 1)[-1])):
        if match_header(text, kind) == cid:
            return None
        entry = mapping.entry_of(text)
        if entry is not None and entry[1] == cid:
            return entry
    return None


def _field_zh(kind: str, cid: str) -> str:
    """The Chinese name of field ``cid`` of ``kind`` without its unit (unit → 责任单位 in a ledger)."""
    return next((split_header(c.zh)[0] for c in fields_of(kind) if c.id == cid), cid)


def _mapped_twice(first: str, second: str, cid: str, kind: str, mapping: MappingFile | None) -> str | None:
    """The error when a mapping file makes two of the sheet's columns one field, else None."""
    if mapping is None:
        return None
    entries = [(h, e) for h in (first, second) if (e := _by_mapping(h, cid, kind, mapping)) is not None]
    if not entries:
        return None
    said = "、".join(f"第{e[2]}行把“{e[0]}”" if e[2] else f"把“{e[0]}”" for _, e in entries)
    return (
        f"映射文件 {mapping.name} {said}映射到 {cid}（{_field_zh(kind, cid)}），本表的“{first}”和“{second}”因此都是这一列，"
        "不知道该读哪一列：请在映射文件中只保留一个表头（另一列写进 ignore） / two columns mapped to one field"
    )


def _mapping_not_found(info: HeaderInfo, kind: str, sheet: _Sheet) -> None:
    """Headers the mapping file names that the sheet does not have: named with the mapping line and the sheet's headers.

    Checked when the mapping is written for this sheet (another of its headers is found:
    an already normalised table is not checked against the office's words). An error when
    the field is then missing from a ledger sheet (the column the mapping speaks of is
    lost); a warning when another column was read as that field, or for other kinds.
    """
    mapping = sheet.mapping
    if mapping is None:
        return
    have = {normalise_header(h) for h in info.headers.values()} | {split_header(h)[0] for h in info.headers.values()}
    have |= {split_header(h.rsplit("/", 1)[-1])[0] for h in info.headers.values()}
    entries = mapping.entries_for(kind)
    found = [normalise_header(h) in have or split_header(h)[0] in have for h, _, _ in entries]
    if not any(found):
        return
    listed = "、".join(f"“{h}”" for h in info.headers.values())
    for (header, cid, line), ok in zip(entries, found):
        if ok:
            continue
        used = [info.headers[j] for j, c in info.ids.items() if c == cid]
        if used and kind != "ledger":
            continue
        zh = _field_zh(kind, cid)
        then = f"本表的“{'”“'.join(used)}”按“{zh}”读入" if used else f"本表因此没有“{zh}”列"
        severity = ERROR if kind == "ledger" and not used else WARNING
        near = difflib.get_close_matches(header, list(info.headers.values()), n=1, cutoff=0.5)
        then += f"（表中最接近的是“{near[0]}”）" if near else ""
        sheet.problems.append(
            Problem(
                mapping.name,
                line,
                f"headers.{header}",
                (
                    f"映射文件把表头“{header}”映射到 {cid}（{zh}），但本表（{sheet.label}）中没有这个表头，{then}；本表的表头有：{listed}。"
                    "请按本表的写法改正映射文件中的表头（或删去这一行） / mapped header not in the sheet"
                ),
                severity,
            )
        )


def _header_year(info: HeaderInfo, cumulative: list[int]) -> tuple[int | None, str, list[str]]:
    """The year the sheet's other headers name ("2019年计划投资"): the year, the header that says
    it, and every header naming a year when they disagree (then the year is None)."""
    said: dict[int, str] = {}
    for j, h in sorted(info.headers.items(), key=lambda jh: (info.ids.get(jh[0]) != "annual_plan", jh[0])):
        if j in cumulative or j not in info.ids:  # only columns read (not "2018年底累计完成投资")
            continue
        m = _YEAR_IN_HEADER.search(split_header(h.rsplit("/", 1)[-1])[0])
        if m:
            said.setdefault(int(m.group(1)), h.rsplit("/", 1)[-1])
    if len(said) == 1:
        ((year, h),) = said.items()
        return year, h, []
    return None, "", list(said.values())


def _cumulative_month(
    header: str, title: TitleInfo, sheet: _Sheet, month_option: str | None, header_year: tuple[int | None, str, list[str]] = (None, "", [])
) -> str | None:
    """The ``YYYY-MM`` a cumulative column runs to: its header, else the title, else ``--month``; reported when unknown.

    A header naming the month but not the year (1-6月完成投资) takes the year from the title,
    else from the sheet's other headers (2019年计划投资), else from the plan (``--year``): the
    last two are reported.
    """
    hy, hm = cumulative_header(header) or cumulative_header(header.rsplit("/", 1)[-1]) or (None, None)
    month, year = hm or title.month, hy or title.year
    other_year, other_header, disagree = header_year
    shown = header.rsplit("/", 1)[-1]
    inferred = ""
    if year is None and other_year is not None:
        year = other_year
        inferred = f"“{shown}”未写年份，按“{other_header}”取 {other_year} 年"
        if sheet.year is not None and sheet.year != other_year:
            sheet.problems.append(
                Problem(
                    sheet.label,
                    sheet.header_row,
                    other_header,
                    f"表头写的是 {other_year} 年，而计划（或 --year）是 {sheet.year} 年，请核对是否用错了表 / the header names another year",
                    WARNING,
                )
            )
    elif year is None and sheet.year is not None:
        year = sheet.year
        inferred = f"“{shown}”未写年份，按计划年度（--plan 或 --year）取 {year} 年"
    given = month_of(month_option, year) if month_option is not None else None
    if month_option is not None and given is None:
        sheet.problems.append(Problem(sheet.label, None, None, f"--month“{month_option}”无法识别：应写成 2019-06，或给出年度时写 6 / unreadable --month"))
        return None
    if month is not None and year is not None:
        found = f"{year:04d}-{month:02d}"
        if given is not None and given != found:
            where = "表头" if hm else "标题"
            sheet.problems.append(
                Problem(
                    sheet.label,
                    sheet.header_row,
                    header,
                    f"{where}写的是截至 {found}，而指定的月份（--month 或映射文件）是 {given}：请核对后只保留一个 / the month given differs from the sheet's",
                )
            )
            return None
        if inferred:
            sheet.action(sheet.header_row, header, inferred, "year of the cumulative column inferred")
        return found
    if given is not None:
        return given
    if month is not None:
        why = f"各表头写的年份不一致（{'、'.join(f'“{h}”' for h in disagree)}），" if disagree else ""
        sheet.problems.append(
            Problem(
                sheet.label,
                sheet.header_row,
                header,
                f"知道累计到 {month} 月，但不知道年份：{why}请在表头或标题中写明年份（如“2019年1-{month}月”），或用 --year 指定 / year unknown",
            )
        )
        return None
    sheet.problems.append(
        Problem(
            sheet.label,
            sheet.header_row,
            header,
            "不知道本列是截至几月的累计完成投资：请在表头或标题中写明（如“1-6月完成投资”“（1-6月）”），或用 --month 2019-06 指定 / month unknown",
        )
    )
    return None


def _over_total(values: pd.Series, total: pd.Series | None, header: str, sheet: _Sheet) -> None:
    """Completed investment above the project's total in a cumulative column not read as progress
    (its month unknown): still reported now, with the column's other problems."""
    if total is None:
        return
    over = values.notna() & total.notna() & (values > total + 1e-6)
    sheet.cells(
        over,
        header,
        lambda i: (
            "累计完成投资 "
            + values[i].map(_g)
            + " 万元超过本行总投资 "
            + total[i].map(_g)
            + " 万元：请核对本行完成投资或总投资（单位是否一致） / completed exceeds total investment"
        ),
    )


def _g(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def build_table(raw: RawTable, kind: str, *, options: ReadOptions | None = None) -> ReadResult:
    """Normalise ``raw`` into the contract table of ``kind`` (cell checks only; see :mod:`.validate`).

    ``options`` says what the caller knows (:class:`ReadOptions`).
    """
    opt = options or ReadOptions()
    year = opt.year
    label = opt.label or raw.file
    problems: list[Problem] = list(raw.problems)
    result = ReadResult(
        kind=kind,
        file=raw.file,
        frame=empty_frame(kind),
        problems=problems,
        encoding=raw.encoding,
        sheet=raw.sheet,
        year=year,
        label=label if label != raw.file else "",
        sheets=[raw.sheet] if raw.sheet else [],
    )
    if not raw.ok:
        return result
    cells = raw.cells
    contract = CONTRACTS[kind]
    if cells.empty:
        problems.append(Problem(label, None, None, "文件为空，没有表头也没有数据 / the file is empty"))
        return result
    mapping = opt.mapping
    info = find_header(cells, kind, mapping.headers_for(kind) if mapping else None)
    if info is None:
        need = "、".join(c.zh for c in contract if c.required)
        problems.append(Problem(label, None, None, f"在前 {HEADER_SCAN_ROWS} 行中找不到表头行：应有 {need} 等列 / no header row found"))
        return result
    rownums = pd.Series(raw.row_numbers, index=cells.index)
    header_row = int(rownums.iloc[info.pos])
    result.header_row = header_row
    title = _title(cells, info, rownums, label, problems)
    result.title = title.text
    result.title_year = title.year
    if year is None and title.year is not None:
        year = result.year = title.year
    elif year is not None and title.year is not None and title.year != year:
        problems.append(
            Problem(
                label, None, None, f"标题写的是 {title.year} 年，而计划（或 --year）是 {year} 年，请核对是否用错了表 / the title names another year", WARNING
            )
        )

    data = cells.iloc[info.pos + 1 :]
    rows_all = rownums.iloc[info.pos + 1 :]
    result.source_rows = len(data)
    if len(data) == 0:
        problems.append(Problem(label, header_row, None, "只有表头，没有数据行 / header only, no data rows"))
        return result

    sheet = _Sheet(result, label, rows_all, header_row, year, mapping, unit_hint=title.money_unit)
    ids, cumulative, unit_pos = _columns(info, data, kind, sheet)
    _mapping_not_found(info, kind, sheet)

    # rows
    reason, trigger, headings = _exclusions(data, info, len(ids) + len(cumulative))
    drop = reason.notna()
    for idx in reason[drop].index:
        r = int(rows_all[idx])
        why = str(reason[idx])
        t = trigger[idx]
        full = f"{why}（“{t}”）" if isinstance(t, str) and t else why
        result.excluded.append(ExcludedRow(result.file, r, full))
        if why != "空行":
            problems.append(Problem(label, r, None, f"已排除{full}，不作为数据读入 / excluded row: {why}", WARNING))
    kept = data[~drop]
    sheet.rows = rows_all[~drop]
    if len(kept) == 0:
        problems += sheet.problems
        problems.append(Problem(label, header_row, None, "表头下方没有可读入的数据行（都是空行、合计行或说明） / no data rows below the header"))
        result.frame = empty_frame(kind)
        return result

    # what the layout leaves blank
    lay = _Layout(kept.copy(), info, ids, sheet)
    lay.merged(raw.merged)
    if kind == "ledger":
        lay.from_sections(headings, mapping.values if mapping else None)
        lay.fill_down_units()
        defaults = mapping.defaults if mapping else {}
        if "unit" not in lay.ids and opt.sheet_unit:
            lay.constant("unit", opt.sheet_unit, f"按工作表名“{opt.sheet_unit}”")
        for cid, value in defaults.items():
            if cid not in lay.ids and cid in {c.id for c in fields_of(kind)}:
                lay.constant(cid, value, "按映射文件的 defaults")
        if "level" not in lay.ids and title.level is not None:
            lay.constant("level", title.level, f"按标题中的“{title.level_words}”")
    kept, ids = lay.kept, lay.ids
    for c in contract:
        if c.required and c.id not in ids:
            result.missing.append(c.id)
            problems.append(
                Problem(
                    label,
                    header_row,
                    c.zh,
                    f"缺少必需的列“{c.zh}”，可接受的表头：{'、'.join(accepted_headers(kind, c.id))}（表中另有名称时写进映射文件 mapping.yaml） / missing required column {c.id}",
                )
            )

    # a per-row unit column (单位), read once for all money columns
    if unit_pos is not None:
        sheet.unit_header = info.headers.get(unit_pos, "单位")
        ucol = to_text(kept[unit_pos])
        parsed = {u: parse_unit(u) for u in pd.unique(ucol.dropna().to_numpy(dtype=object))}
        ufactor = pd.to_numeric(ucol.map(lambda u: parsed[u][0], na_action="ignore"), errors="coerce").astype(float)
        ubad = ucol.notna() & ufactor.isna()
        ublank = ucol.isna()
        sheet.cells(ubad, sheet.unit_header, lambda i: ucol[i].map(lambda u: parsed[u][1]))
        if ublank.any() and title.money_unit is None:
            sheet.problems.append(
                Problem(label, header_row, sheet.unit_header, "部分行未填金额单位，这些行按万元处理 / no unit on some rows, assumed 万元", WARNING)
            )
        sheet.unit_rows = (ufactor, ublank, ubad)

    cols: dict[str, pd.Series] = {}
    for c in fields_of(kind):
        if c.id not in ids:
            continue
        header = info.headers[ids[c.id]]
        result.columns[c.id] = header
        cols[c.id] = sheet.column(replace(c, blank="ok") if c.id in lay.derived else c, kept[ids[c.id]], header)
    result.derived |= lay.derived
    for cid in ("batch", "level"):
        if cid in cols:
            lay.conflicts(cid, cols[cid])
    header_year = _header_year(info, cumulative)
    for j in cumulative:
        header = info.headers[j]
        month = _cumulative_month(header, title, sheet, opt.month or (mapping.month if mapping else None), header_year)
        values = sheet.column(_CUMULATIVE, kept[j], header)
        if month is None:
            _over_total(values, cols.get("total_investment"), header, sheet)
        wan = sheet.wan.pop("completed_cum")
        result.units[header] = result.units.pop("completed_cum", "万元")
        if month is not None:
            if month in result.cumulative:
                sheet.problems.append(
                    Problem(
                        label,
                        header_row,
                        header,
                        f"与“{result.cumulative[month].header}”都是截至 {month} 的累计完成投资，只读取前一列 / two columns for one month",
                        WARNING,
                    )
                )
                continue
            blank = blank_mask(kept[j]).reset_index(drop=True)
            result.cumulative[month] = CumulativeColumn(header, month, values.reset_index(drop=True), wan.reset_index(drop=True), blank)
    problems += sheet.problems

    frame = empty_frame(kind, len(kept))
    for c in contract:
        if c.id in cols:
            frame[c.id] = cols[c.id].reset_index(drop=True).astype(_dtype(c.kind))
    extra = {
        c.id: cols[c.id].reset_index(drop=True).astype(_dtype(c.kind)) for c in fields_of(kind)[len(contract) :] if c.id in cols and c.id != "completed_cum"
    }
    result.frame = frame
    result.extra = pd.DataFrame(extra, index=frame.index)
    result.rows = sheet.rows.reset_index(drop=True).astype("int64")
    result.wan_typed = {k: v.reset_index(drop=True) for k, v in sheet.wan.items() if k in {c.id for c in contract}}
    return result
