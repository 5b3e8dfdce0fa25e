"""Turn a raw grid of cells into a contract table: header, excluded rows, typed columns.

Steps, in order: find the header row (the first row among the first 30 with the
most recognised headers; a second header row below merged group headers is
joined to it), skip the title rows above it (reported), exclude blank rows,
totals rows (合计/总计/小计), repeated header rows, group title rows
(一、汉台区) and footnotes (注：…) with a reason each, map the headers to
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

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ERROR, WARNING, Problem
from .aliases import (
    CONTRACTS,
    IGNORED_HEADERS,
    UNIT_COLUMN_HEADERS,
    VALUE_ALIASES,
    accepted_headers,
    match_header,
    split_header,
)
from .parse import (
    blank_mask,
    excel_error_mask,
    on_uniques,
    parse_bool,
    parse_category,
    parse_date,
    parse_int,
    parse_month,
    parse_number,
    parse_percent,
    parse_period,
    parse_unit,
    parse_usd_unit,
    to_text,
)
from .read import RawTable
from .result import ExcludedRow, ReadResult

__all__ = ["build_table", "find_header", "HeaderInfo", "cell_problems", "compact_rows", "empty_frame", "MAX_ROWS_PER_PROBLEM"]

#: Problems of one kind in one column are listed row by row up to this many, then summarised.
MAX_ROWS_PER_PROBLEM = 200
#: How many rows from the top are searched for the header.
HEADER_SCAN_ROWS = 30

_TOTAL_RE = re.compile(r"^\s*[^\d]{0,15}?(合\s*计|总\s*计|小\s*计)\s*[:：]?\s*$")
_SECTION_RE = re.compile(r"^\s*([一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+[部类批])")
_NOTE_RE = re.compile(r"^\s*(注\s*\d*\s*[:：.、]|说明\s*[:：]|备注\s*[:：]|填表|填报|制表|审核人|负责人|联系人|联系电话|数据来源\s*[:：]|来源\s*[:：])")
_UNIT_HINT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|元)")

#: Required columns whose blank cells are errors (others: warnings).
_BLANK_IS_ERROR_KINDS = frozenset({"str", "category", "month", "period", "int"})


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
    file: str,
    rows: pd.Series,
    mask: pd.Series,
    column: str | None,
    message: str | pd.Series | Callable[[pd.Index], pd.Series],
    severity: str = ERROR,
) -> list[Problem]:
    """One problem per flagged row (up to :data:`MAX_ROWS_PER_PROBLEM`, then one summary naming the rest).

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
    out = [Problem(file, r, column, m, severity) for r, m in zip(rn[:MAX_ROWS_PER_PROBLEM], msgs[:MAX_ROWS_PER_PROBLEM])]
    rest = rn[MAX_ROWS_PER_PROBLEM:]
    if rest:
        first = msgs[MAX_ROWS_PER_PROBLEM]
        out.append(Problem(file, None, column, f"另有 {len(rest)} 行同样的问题（如“{first}”）：第{compact_rows(rest)}行 / {len(rest)} more rows", severity))
    return out


def _says(s: pd.Series, template: str) -> Callable[[pd.Index], pd.Series]:
    """A lazy message: ``template`` with ``{v}`` replaced by each flagged cell as typed."""

    def build(idx: pd.Index) -> pd.Series:
        return s[idx].map(lambda v: template.replace("{v}", _cell_text(v)))

    return build


def _dtype(kind: str) -> str:
    return {"money": "float64", "usd": "float64", "number": "float64", "percent": "float64", "date": "datetime64[ns]", "int": "Int64", "bool": "boolean"}.get(kind, "object")


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


def _score_row(values: list[object], kind: str) -> tuple[int, dict[int, str]]:
    ids: dict[int, str] = {}
    for j, v in enumerate(values):
        t = _cell_text(v)
        if t:
            cid = match_header(t, kind)
            if cid is not None:
                ids[j] = cid
    return len(set(ids.values())), ids


def _looks_like_value(v: object) -> bool:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return True
    t = _cell_text(v)
    return bool(re.fullmatch(r"[-+\d.,/%年月日\s]+", t)) if t else False


def find_header(cells: pd.DataFrame, kind: str) -> HeaderInfo | None:
    """The header row of ``cells`` for ``kind``: the top row with the most recognised headers (at least 2).

    >>> cells = pd.DataFrame([["台账", None], [None, None], ["编号", "项目名称"], ["P1", "桥"]], dtype=object)
    >>> h = find_header(cells, "ledger"); h.pos, h.ids
    (2, {0: 'project_id', 1: 'name'})
    """
    best: tuple[int, int, dict[int, str]] | None = None
    n = min(len(cells), HEADER_SCAN_ROWS)
    rows = cells.iloc[:n].to_numpy(dtype=object).tolist()
    for i, values in enumerate(rows):
        score, ids = _score_row(values, kind)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, i, ids)
    if best is None:
        return None
    score, i, ids = best
    header_vals = rows[i]
    info = HeaderInfo(pos=i, first_pos=i, headers={j: _cell_text(v) for j, v in enumerate(header_vals) if _cell_text(v)}, ids=dict(ids), score=score)
    # A second header row under merged group headers (e.g. 手续办结时间 over 规划/土地/环评/能评).
    if i + 1 < len(cells):
        below = cells.iloc[i + 1].tolist()
        filled = [j for j, v in enumerate(below) if _cell_text(v)]
        if filled and not any(_looks_like_value(below[j]) for j in filled):
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
                    cid = match_header(cand, kind)
                    if cid is not None and cid not in ids.values():
                        shown = f"{par}/{child}" if par and par != child else child
                        if p_unit and not split_header(child)[1]:
                            shown = f"{shown}（{p_unit}）"
                        found[j] = (cid, shown)
                        break
            if found:
                for j, (cid, shown) in found.items():
                    info.ids[j] = cid
                    info.headers[j] = shown
                for j in filled:
                    if j not in found:
                        info.headers.setdefault(j, _cell_text(below[j]))
                info.pos = i + 1
                info.score = len(set(info.ids.values()))
    return info


def _exclusions(data: pd.DataFrame, info: HeaderInfo, n_mapped: int) -> tuple[pd.Series, pd.Series]:
    """Reason per data row (None to keep) and the text that triggered it."""
    reason = pd.Series([None] * len(data), index=data.index, dtype=object)
    text = pd.Series([None] * len(data), index=data.index, dtype=object)
    filled = data.notna()
    count = filled.sum(axis=1)
    reason[count == 0] = "空行"
    # totals rows: 合计/总计/小计 in the first three columns or the id/name/unit columns
    look = sorted({c for c in data.columns[:3]} | {j for j, cid in info.ids.items() if cid in ("project_id", "name", "unit", "jurisdiction")})
    for j in look:
        if j not in data.columns:
            continue
        s = data[j]
        hit = on_uniques(s, lambda u: u.map(lambda v: isinstance(v, str) and "计" in v and bool(_TOTAL_RE.match(v))))
        hit = hit.astype("boolean").fillna(False).astype(bool) & reason.isna()
        reason[hit] = "合计行"
        text[hit] = s[hit]
    # repeated header rows (pages glued together)
    if info.headers:
        same = pd.Series(0, index=data.index)
        for j, h in info.headers.items():
            if j in data.columns:
                same += data[j].isin({h, h.split("/")[-1]}).astype(int)
        hit = (same >= max(2, len(info.headers) // 2)) & reason.isna()
        reason[hit] = "重复的表头行"
    # one filled cell: a group title (一、汉台区) or a footnote (注：…)
    single = (count == 1) & reason.isna()
    if single.any():
        first = data[single].bfill(axis=1).iloc[:, 0].astype("string")
        col_of = filled[single].idxmax(axis=1)
        note = first.str.match(_NOTE_RE).fillna(False).astype(bool)
        section = first.str.match(_SECTION_RE).fillna(False).astype(bool)
        not_id = ~col_of.isin([j for j, cid in info.ids.items() if cid == "project_id"])
        generic = (n_mapped >= 4) & not_id & ~first.str.fullmatch(r"[-+\d.,\s%]+").fillna(False).astype(bool)
        idx_note = note[note].index
        idx_sec = section[section | (generic & ~note)].index
        reason[idx_note] = "表尾说明"
        reason[idx_sec] = "分组标题行"
        text[idx_note] = first[idx_note].astype(object)
        text[idx_sec] = first[idx_sec].astype(object)
    return reason, text


def build_table(raw: RawTable, kind: str, *, year: int | None = None) -> ReadResult:
    """Normalise ``raw`` into the contract table of ``kind`` (cell checks only; see :mod:`.validate`)."""
    file = raw.file
    problems: list[Problem] = list(raw.problems)
    result = ReadResult(kind=kind, file=file, frame=empty_frame(kind), problems=problems, encoding=raw.encoding, sheet=raw.sheet, year=year)
    if not raw.ok:
        return result
    cells = raw.cells
    contract = CONTRACTS[kind]
    if cells.empty:
        problems.append(Problem(file, None, None, "文件为空，没有表头也没有数据 / the file is empty"))
        return result
    info = find_header(cells, kind)
    if info is None:
        need = "、".join(c.zh for c in contract if c.required)
        problems.append(Problem(file, None, None, f"在前 {HEADER_SCAN_ROWS} 行中找不到表头行：应有 {need} 等列 / no header row found"))
        return result
    rownums = pd.Series(raw.row_numbers, index=cells.index)
    header_row = int(rownums.iloc[info.pos])
    result.header_row = header_row

    # rows above the header: titles (reported), unit hints
    unit_hint: str | None = None
    above = cells.iloc[: info.first_pos]
    for i in range(len(above)):
        vals = [_cell_text(v) for v in above.iloc[i].tolist() if _cell_text(v)]
        if not vals:
            continue
        line = " ".join(vals)
        m = _UNIT_HINT_RE.search(line)
        if m:
            unit_hint = m.group(1)
        problems.append(Problem(file, int(rownums.iloc[i]), None, f"跳过表头上方的标题行：“{line[:60]}” / skipped a title row above the header", WARNING))
    for v in cells.iloc[info.first_pos : info.pos + 1].to_numpy(dtype=object).ravel():
        m = _UNIT_HINT_RE.search(_cell_text(v))
        if m:
            unit_hint = m.group(1)

    data = cells.iloc[info.pos + 1 :]
    rows_all = rownums.iloc[info.pos + 1 :]
    result.source_rows = len(data)
    if len(data) == 0:
        problems.append(Problem(file, header_row, None, "只有表头，没有数据行 / header only, no data rows"))
        return result

    # columns
    id_to_pos: dict[str, int] = {}
    for j in sorted(info.ids):
        cid = info.ids[j]
        if cid in id_to_pos:
            problems.append(Problem(file, header_row, info.headers[j], f"与“{info.headers[id_to_pos[cid]]}”是同一列（{cid}），只读取前一列 / duplicate column, the first one is used", WARNING))
            continue
        id_to_pos[cid] = j
    unit_pos = next((j for j, h in info.headers.items() if j not in info.ids and split_header(h)[0] in UNIT_COLUMN_HEADERS), None)
    unknown = [h for j, h in info.headers.items() if j not in info.ids and j != unit_pos and split_header(h)[0] not in IGNORED_HEADERS]
    if unknown:
        problems.append(Problem(file, header_row, None, f"以下列未识别，已忽略：{'、'.join(unknown)} / unrecognised columns ignored", WARNING))
    headerless = [j for j in data.columns if j not in info.headers and data[j].notna().any()]
    for j in headerless:
        n = int(data[j].notna().sum())
        problems.append(Problem(file, header_row, f"第{j + 1}列", f"该列没有表头，其中 {n} 个值被忽略 / column without a header, {n} values ignored", WARNING))
    missing = [c for c in contract if c.required and c.id not in id_to_pos]
    for c in missing:
        problems.append(Problem(file, header_row, c.zh, f"缺少必需的列“{c.zh}”，可接受的表头：{'、'.join(accepted_headers(kind, c.id))} / missing required column {c.id}"))

    # rows
    reason, trigger = _exclusions(data, info, len(id_to_pos))
    drop = reason.notna()
    for idx in reason[drop].index:
        r = int(rows_all[idx])
        why = str(reason[idx])
        t = trigger[idx]
        full = f"{why}（“{t}”）" if isinstance(t, str) and t else why
        result.excluded.append(ExcludedRow(file, r, full))
        if why != "空行":
            problems.append(Problem(file, r, None, f"已排除{full}，不作为数据读入 / excluded row: {why}", WARNING))
    kept = data[~drop]
    rows = rows_all[~drop]
    if len(kept) == 0:
        problems.append(Problem(file, header_row, None, "表头下方没有可读入的数据行（都是空行、合计行或说明）/ no data rows below the header"))
        result.frame = empty_frame(kind)
        return result

    # a per-row unit column (单位), read once for all money columns
    unit_rows: tuple[pd.Series, pd.Series, pd.Series] | None = None
    unit_header = info.headers.get(unit_pos, "单位") if unit_pos is not None else "单位"
    if unit_pos is not None:
        ucol = to_text(kept[unit_pos])
        parsed = {u: parse_unit(u) for u in pd.unique(ucol.dropna().to_numpy(dtype=object))}
        ufactor = pd.to_numeric(ucol.map(lambda u: parsed[u][0], na_action="ignore"), errors="coerce").astype(float)
        ubad = ucol.notna() & ufactor.isna()
        ublank = ucol.isna()
        problems += cell_problems(file, rows, ubad, unit_header, lambda i: ucol[i].map(lambda u: parsed[u][1]))
        if ublank.any() and unit_hint is None:
            problems.append(Problem(file, header_row, unit_header, "部分行未填金额单位，这些行按万元处理 / no unit on some rows, assumed 万元", WARNING))
        unit_rows = (ufactor, ublank, ubad)

    cols: dict[str, pd.Series] = {}
    wan_mask: dict[str, pd.Series] = {}
    for c in contract:
        if c.id not in id_to_pos:
            continue
        j = id_to_pos[c.id]
        header = info.headers[j]
        result.columns[c.id] = header
        s = kept[j]
        err = excel_error_mask(s)
        problems += cell_problems(file, rows, err, header, _says(s, "单元格是 Excel 错误值“{v}”，请修正公式或填入数值 / Excel error value"))
        s = s.where(~err, None)
        blank = blank_mask(s) & ~err
        if c.required:
            sev = ERROR if c.kind in _BLANK_IS_ERROR_KINDS else WARNING
            what = "必填项为空" if sev == ERROR else "为空，按缺失值处理"
            problems += cell_problems(file, rows, blank, header, f"“{header}”{what} / empty cell in a required column", sev)
        if c.kind == "str":
            cols[c.id] = to_text(s)
        elif c.kind == "money":
            values, problems_m, wan = _money(file, rows, s, header, header_row, unit_rows, unit_header, unit_hint, result, c.id)
            problems += problems_m
            cols[c.id] = values
            wan_mask[c.id] = wan
        elif c.kind == "usd":
            values, problems_u = _usd(file, rows, s, header, header_row, result, c.id)
            problems += problems_u
            cols[c.id] = values
        elif c.kind == "number":
            txt = to_text(s)
            pct = txt.str.contains(r"[%％]\s*$", regex=True, na=False).astype(bool)
            values, cell_units, bad = parse_number(txt.where(~pct, txt.str.replace(r"[%％]\s*$", "", regex=True)))
            problems += cell_problems(file, rows, bad, header, _says(s, "不是数字：“{v}”，应填写数值（如 12 或 85.5），不要带文字 / not a number"))
            problems += cell_problems(file, rows, cell_units.notna(), header, _says(s, "“{v}”带有单位；本列只填数字，单位写在“计量单位”列 / put the unit in its own column"))
            cols[c.id] = values.where(cell_units.isna())
            result.percent_typed[c.id] = pct.reset_index(drop=True)
        elif c.kind == "percent":
            frac, bad, mixed, as_fractions = parse_percent(s)
            problems += cell_problems(file, rows, bad, header, _says(s, "无法识别的百分数“{v}”，应写成 9.2、9.2% 或 0.092 / not a percent"))
            problems += cell_problems(
                file, rows, mixed, header,
                _says(s, "数值“{v}”不大于 1，而本列其他值是百分数（大于 1），按 {v}% 处理；如果是小数形式（如 0.8 表示 80%），请改为 80 / percent column mixes fractions and percent numbers"),
                WARNING,
            )
            if as_fractions and split_header(header)[1] == "%":
                problems.append(Problem(file, header_row, header, "表头注明单位为 %，但本列所有数值都不大于 1，按小数处理（0.8 表示 80%）/ all values ≤ 1: read as fractions", WARNING))
            result.units[c.id] = "小数" if as_fractions else "%"
            cols[c.id] = frac
        elif c.kind in _SIMPLE_KINDS:
            parser, message = _SIMPLE_KINDS[c.kind]
            values, bad = parse_month(s, year) if c.kind == "month" else parser(s)
            problems += cell_problems(file, rows, bad, header, _says(s, message))
            cols[c.id] = values
        elif c.kind == "category":
            aliases = VALUE_ALIASES[c.id]
            v, bad = parse_category(s, aliases)
            zh = "、".join(k for k in aliases if not k.isascii())
            problems += cell_problems(file, rows, bad, header, _says(s, f"无法识别的取值“{{v}}”，应为 {zh} 之一（或 {'/'.join(c.choices)}）/ unknown value"))
            cols[c.id] = v
        else:  # pragma: no cover - contracts only use the kinds above
            cols[c.id] = to_text(s)

    frame = empty_frame(kind, len(kept))
    for c in contract:
        if c.id in cols:
            frame[c.id] = cols[c.id].reset_index(drop=True).astype(_dtype(c.kind))
    result.frame = frame
    result.rows = rows.reset_index(drop=True).astype("int64")
    result.wan_typed = {k: v.reset_index(drop=True) for k, v in wan_mask.items()}
    return result


#: Column kinds read by one parser with one message for unreadable cells ({v} is the cell text).
_SIMPLE_KINDS: dict[str, tuple[Callable[[pd.Series], tuple[pd.Series, pd.Series]], str]] = {
    "date": (parse_date, "无法识别的日期“{v}”，应写成 2024-03-05、2024/3/5、2024年3月5日 或 2024.3 / unreadable date"),
    "month": (parse_month, "无法识别的月份“{v}”，应写成 2024-06、2024/6、2024年6月 或 202406 / unreadable month"),
    "period": (parse_period, "无法识别的期别“{v}”，应写成 2024-06、2024Q2、2024H1、2024 或 2024年1-6月 / unreadable period"),
    "int": (parse_int, "不是整数：“{v}” / not a whole number"),
    "bool": (parse_bool, "无法识别的是否值“{v}”，应为 是/否、Y/N、1/0 或 TRUE/FALSE / not a yes/no value"),
}


def _usd(
    file: str, rows: pd.Series, s: pd.Series, header: str, header_row: int, result: ReadResult, cid: str
) -> tuple[pd.Series, list[Problem]]:
    """Parse a US-dollar column to 万美元 (never converted to 万元: no exchange rate is guessed)."""
    problems: list[Problem] = []
    factor, ok = _header_factor(file, header, header_row, result, cid, parse_usd_unit, problems)
    if not ok:
        return pd.Series(np.nan, index=s.index, dtype=float), problems
    if factor is None:
        problems.append(Problem(file, header_row, header, "表头未注明外资金额单位，按万美元处理 / no unit in the header, assumed 万美元", WARNING))
        result.units[cid] = "万美元（默认）"
        factor = 1.0
    values, cell_units, bad = parse_number(s)
    problems += cell_problems(file, rows, bad, header, _not_a_number(s))
    cny = cell_units.notna()
    problems += cell_problems(file, rows, cny, header, _says(s, "“{v}”是人民币金额，本列应填写万美元 / a CNY amount in a US-dollar column"))
    out = (values.where(~cny) * factor).round(6)
    problems += cell_problems(file, rows, out < 0, header, _negative(s))
    return out, problems


def _header_factor(
    file: str, header: str, header_row: int, result: ReadResult, cid: str,
    parse: Callable[[object], tuple[float | None, str | None]], problems: list[Problem],
) -> tuple[float | None, bool]:
    """The factor of the unit in the header's brackets: ``(factor, True)``; ``(None, True)``
    when the header names no unit; ``(None, False)`` after reporting a unit ``parse`` rejects."""
    header_unit = split_header(header)[1]
    if not header_unit:
        return None, True
    result.units[cid] = header_unit
    f, msg = parse(header_unit)
    if f is None:
        problems.append(Problem(file, header_row, header, f"表头：{msg}"))
        return None, False
    return f, True


def _not_a_number(s: pd.Series) -> Callable[[pd.Index], pd.Series]:
    return lambda i: "不是数字：“" + s[i].astype(str) + "”，应填写数值（如 1234.5），不要带文字 / not a number"


def _negative(s: pd.Series) -> Callable[[pd.Index], pd.Series]:
    return lambda i: "金额为负数：“" + s[i].astype(str) + "” / negative amount"


def _money(
    file: str,
    rows: pd.Series,
    s: pd.Series,
    header: str,
    header_row: int,
    unit_rows: tuple[pd.Series, pd.Series, pd.Series] | None,
    unit_header: str,
    unit_hint: str | None,
    result: ReadResult,
    cid: str,
) -> tuple[pd.Series, list[Problem], pd.Series]:
    """Parse a money column to 万元; returns values, problems and the mask of values read as typed in 万元."""
    problems: list[Problem] = []
    f, ok = _header_factor(file, header, header_row, result, cid, parse_unit, problems)
    if not ok:
        return pd.Series(np.nan, index=s.index, dtype=float), problems, pd.Series(False, index=s.index)
    factor = pd.Series(1.0, index=s.index)
    if f is not None:
        factor[:] = f
    else:
        default = unit_hint
        if unit_rows is not None:
            ufactor, ublank, ubad = unit_rows
            factor = ufactor.copy()
            if ublank.any():
                factor[ublank] = parse_unit(default or "万元")[0]
            factor[ubad] = np.nan
            result.units[cid] = "按“" + unit_header + "”列"
        elif default is not None:
            factor[:] = parse_unit(default)[0]
            result.units[cid] = default
        else:
            problems.append(Problem(file, header_row, header, "表头未注明金额单位，按万元处理；如为亿元请在表头写明“（亿元）” / no unit in the header, assumed 万元", WARNING))
            result.units[cid] = "万元（默认）"
    values, cell_units, bad = parse_number(s)
    problems += cell_problems(file, rows, bad, header, _not_a_number(s))
    has_cell_unit = cell_units.notna()
    if has_cell_unit.any():
        cf = cell_units[has_cell_unit].map(lambda u: parse_unit(u)[0])
        factor = factor.copy()
        factor[has_cell_unit] = cf.astype(float)
    out = (values * factor).round(6)
    problems += cell_problems(file, rows, out < 0, header, _negative(s))
    wan = (factor == 1.0) & ~has_cell_unit & out.notna()
    return out, problems, wan
