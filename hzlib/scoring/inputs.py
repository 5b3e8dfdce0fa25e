"""The inputs no ledger has (``data/<plan>/scoring_inputs.csv``): read, check, and the blank table.

One row per unit and input, long format (columns in ``docs/scoring.md``)::

    单位,单位类别,输入编号,输入名称,数值,计量单位,备注
    汉滨区,county,media_city,市级新闻媒体采用,12,条,
    汉滨区,county,major_accident,发生较大质量、安全生产责任事故或造成重大环境影响,否,是否,

The file is read with the project's readers (UTF-8 or GBK CSV, or .xlsx; title rows
above the header are skipped; blank rows are reported as left out), and every
problem names file, row and column, all at once: unknown units, unknown input ids,
inputs the unit's kind does not use, inputs the ledger or the plan gives, negative
or fractional counts, 是否 cells that are neither 是 nor 否, duplicates. ``%``
inputs are written as percent numbers (80 or 80%) and become fractions; 亿元 becomes
万元 where the input is in 万元.

>>> import tempfile, pathlib
>>> from hzlib.scoring.rules import load_rules
>>> rules = load_rules("ankang-2019")
>>> p = pathlib.Path(tempfile.mkdtemp()) / "scoring_inputs.csv"
>>> _ = p.write_text("单位,输入编号,数值\\n汉滨区,media_city,12\\n汉滨区,media_city,3\\n汉阴县,media_town,1\\n汉阴县,major_accident,-1\\n", encoding="utf-8")
>>> r = read_scoring_inputs(p, rules)
>>> [str(x).split("：", 1)[0] for x in r.errors]
['scoring_inputs.csv 第3行 [输入编号]', 'scoring_inputs.csv 第4行 [输入编号]', 'scoring_inputs.csv 第5行 [数值]']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..contracts import Column
from ..errors import ERROR, WARNING, Problem
from ..ingest import ReadResult
from ..ingest.aliases import normalise_header, split_header
from ..ingest.parse import blank_mask, parse_bool, parse_number, to_text
from ..ingest.read import read_raw
from ..ingest.result import ExcludedRow
from ..ingest.table import HEADER_SCAN_ROWS, cell_problems
from ..inputs import SCORING_INPUTS_FILE  # the file name in a plan's data folder, shared with hz run
from ..tasks import convert_value, same_unit
from .engine import UNIT_INPUT_COLUMNS, ScoringInputs
from .rules import BOOL_UNIT, ScoringRules

if TYPE_CHECKING:
    from ..templates import TemplateWrite

__all__ = ["SCORING_INPUT_COLUMNS", "SCORING_INPUTS_FILE", "read_scoring_inputs", "load_scoring_inputs",
           "scoring_template", "write_scoring_template", "write_scoring_template_file"]

#: Columns of ``scoring_inputs.csv`` (Chinese headers as written in files we produce).
SCORING_INPUT_COLUMNS: tuple[Column, ...] = (
    Column("unit", "单位", "str", description="the unit scored (县区, 市直部门), as named in the rules"),
    Column("unit_kind", "单位类别", "str", required=False, description="the rules' kind id (county, department); checked"),
    Column("input_id", "输入编号", "str", description="the input's id in the rules file"),
    Column("label", "输入名称", "str", required=False, description="for the reader; not used"),
    Column("value", "数值", "number", description="in the input's unit: % as percent numbers (85), 是否 as 是/否 or 1/0"),
    Column("measure_unit", "计量单位", "str", required=False, description="the input's unit; 亿元 converts to 万元"),
    Column("note", "备注", "str", required=False),
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "考核单位", "考核对象", "县区", "县区部门", "县区/部门", "责任单位"),
    "unit_kind": ("单位类别", "类别"),
    "input_id": ("输入编号", "编号", "输入id"),
    "label": ("输入名称", "名称", "内容"),
    "value": ("数值", "值", "报送值", "完成值", "数量"),
    "measure_unit": ("计量单位",),
    "note": ("备注", "说明"),
}
#: Accepted headers (normalised, unit in brackets taken off) → column id.
_HEADERS: dict[str, str] = {split_header(alias)[0]: c.id for c in SCORING_INPUT_COLUMNS
                            for alias in (c.id, c.zh, *_ALIASES.get(c.id, ()))}
_BOOL_UNITS = {BOOL_UNIT, "是/否", "是否", "是或否"}


def _header(cells: pd.DataFrame) -> tuple[int, dict[int, str], dict[int, str]] | None:
    """(position, column → id, column → header as written) of the first row naming at least two columns."""
    for pos in range(min(len(cells), HEADER_SCAN_ROWS)):
        ids: dict[int, str] = {}
        written: dict[int, str] = {}
        for j, v in enumerate(cells.iloc[pos].tolist()):
            if v is None:
                continue
            cid = _HEADERS.get(split_header(v)[0]) or _HEADERS.get(normalise_header(v))
            if cid is not None and cid not in ids.values():
                ids[j] = cid
                written[j] = str(v).strip()
        if len(ids) >= 2:
            return pos, ids, written
    return None


#: Words an office writes for "nothing reported" (besides blank cells and placeholders such as "—", "-", "/").
#: 无 may mean "none" or "not known": either way the reader is not sure, so the item is incomplete, never 0.
_NOT_REPORTED = frozenset({"无", "暂无", "未报", "未报送"})


def _not_reported(values: pd.Series) -> pd.Series:
    """Cells that report nothing: blank, a placeholder (—, -, /) or a word such as 无.

    >>> _not_reported(pd.Series([None, "—", " 无 ", "0", "十二", 3.0], dtype=object)).tolist()
    [True, True, True, False, False, False]
    """
    said = values.map(lambda v: v.strip() if isinstance(v, str) else v, na_action="ignore")
    return blank_mask(said) | said.isin(list(_NOT_REPORTED))


def read_scoring_inputs(path: str | Path, rules: ScoringRules, *, sheet: str | None = None) -> ReadResult:
    """Read and check a reported-inputs file against ``rules``; ``frame`` has unit, unit_kind, input_id, value."""
    raw = read_raw(path, sheet)
    file = raw.file
    r = ReadResult(kind="scoring_inputs", file=file, frame=pd.DataFrame(columns=list(UNIT_INPUT_COLUMNS)),
                   problems=list(raw.problems), encoding=raw.encoding, sheet=raw.sheet)
    if not raw.ok or raw.cells.empty:
        if raw.ok:
            r.problems.append(Problem(file, None, None, "文件为空 / empty file"))
        return r
    found = _header(raw.cells)
    if found is None:
        r.problems.append(Problem(file, None, None, f"找不到表头：应有 {'、'.join(c.zh for c in SCORING_INPUT_COLUMNS if c.required)} 等列"))
        return r
    pos, ids, written = found
    r.header_row = int(raw.row_numbers[pos])
    r.columns = head = {cid: written[j] for j, cid in ids.items()}
    for c in SCORING_INPUT_COLUMNS:
        if c.required and c.id not in head:
            r.problems.append(Problem(file, r.header_row, c.zh, f"缺少必填列“{c.zh}” / missing column"))
    for j, v in enumerate(raw.cells.iloc[pos].tolist()):
        if v is not None and j not in ids and normalise_header(v) not in ("序号", "no", "no."):
            r.problems.append(Problem(file, r.header_row, str(v), "未知列，未读取 / unknown column, not read", WARNING))
    if any(p.severity == ERROR for p in r.problems):
        return r
    r.source_rows = len(raw.cells) - pos - 1
    body = raw.cells.iloc[pos + 1:].reset_index(drop=True)
    rows = pd.Series(raw.row_numbers[pos + 1:], dtype="int64")
    col = {cid: (to_text(body[j]) if cid != "value" else body[j]) for j, cid in ids.items()}
    empty = pd.concat([blank_mask(body[j]) for j in ids], axis=1).all(axis=1)
    r.excluded += [ExcludedRow(file, int(n), "空行") for n in rows[empty]]
    keep = ~empty
    body_rows = rows[keep].reset_index(drop=True)
    f = pd.DataFrame({cid: s[keep].reset_index(drop=True) for cid, s in col.items()})
    no_value, blank = _not_reported(f["value"]), blank_mask(f["value"])
    r.excluded += [ExcludedRow(file, int(n), "数值为空（未报送，该项将标为数据不全）" if empty
                               else f"数值为“{str(v).strip()}”，按未报送处理（该项将标为数据不全，不按 0 计）")
                   for n, v, empty in zip(body_rows[no_value], f["value"][no_value], blank[no_value])]
    f, body_rows = f[~no_value].reset_index(drop=True), body_rows[~no_value].reset_index(drop=True)
    out, problems = _check_rows(f, body_rows, file, head, rules)
    r.problems += problems
    r.rows = body_rows[out.index].reset_index(drop=True)
    r.frame = out.reset_index(drop=True)
    return r


def _check_rows(f: pd.DataFrame, rows: pd.Series, file: str, head: dict[str, str], rules: ScoringRules) -> tuple[pd.DataFrame, list[Problem]]:
    """Check each row against the rules; values come back in the engine's form (fractions, 1/0, 万元)."""
    problems: list[Problem] = []
    kinds = rules.unit_kinds()
    defs = {d.id: d for d in rules.inputs}
    used = {k.id: set(k.input_ids()) for k in rules.kinds}
    unit, iid = f["unit"], f["input_id"]
    failed = pd.Series(False, index=f.index)

    def flag(mask: pd.Series, column: str, message: str | pd.Series) -> None:
        nonlocal failed
        failed = failed | mask.fillna(False).astype(bool)
        problems.extend(cell_problems(file, rows, mask, head.get(column, column), message))

    flag(unit.isna(), "unit", "缺少单位")
    flag(unit.notna() & ~unit.isin(list(kinds)),
         "unit", unit.map(lambda u: f"单位“{u}”不在评分规则 {rules.id} 的考核单位中 / unknown unit"))
    if "unit_kind" in f:
        wrong = f["unit_kind"].notna() & unit.isin(list(kinds)) & (f["unit_kind"] != unit.map(kinds))
        flag(wrong, "unit_kind", pd.Series([f"单位“{u}”的类别应为 {kinds.get(u)}，实际为“{k}”" for u, k in zip(unit, f["unit_kind"])], index=f.index))
    flag(iid.isna(), "input_id", "缺少输入编号")
    known = iid.isin(list(defs))
    flag(iid.notna() & ~known, "input_id",
         iid.map(lambda i: f"评分规则 {rules.id} 中没有输入编号“{i}”；可用 scoring_template 生成的表查看 / unknown input id"))
    origin = iid.map(lambda i: defs[i].origin if i in defs else None)
    flag(known & origin.isin(["ledger", "plan"]), "input_id",
         iid.map(lambda i: f"输入“{i}”由{'项目台账计算' if i in defs and defs[i].origin == 'ledger' else '计划任务分解表给出'}，不在本表报送"))
    reported = known & origin.eq("reported")
    unused = reported & unit.isin(list(kinds)) & ~pd.Series([i in used.get(kinds.get(u, ""), set()) for u, i in zip(unit, iid)], index=f.index)
    flag(unused, "input_id", pd.Series([f"{u}（{kinds.get(u)}）的评分不使用输入“{i}”" for u, i in zip(unit, iid)], index=f.index))

    values = pd.Series(np.nan, index=f.index)
    ok = reported & ~unused & unit.isin(list(kinds))
    kind_of = iid.map(lambda i: "bool" if i in defs and defs[i].is_bool else "percent" if i in defs and defs[i].is_percent else "number")
    is_bool = ok & kind_of.eq("bool")
    b, bad_b = parse_bool(f["value"].where(is_bool))
    flag(is_bool & bad_b, "value", f["value"].map(lambda v: f"应为 是 或 否（或 1/0），实际为“{v}”"))
    values[is_bool] = b[is_bool].astype("float")
    rest = ok & ~is_bool
    text = f["value"].where(rest).map(lambda v: v.strip().rstrip("%％") if isinstance(v, str) else v, na_action="ignore")
    num, cell_unit, bad = parse_number(text)
    flag(rest & bad, "value", f["value"].map(lambda v: f"应为数字，实际为“{v}”"))
    mu = f["measure_unit"] if "measure_unit" in f else pd.Series([None] * len(f), index=f.index, dtype=object)
    for i in f.index[rest & ~bad & num.notna()]:
        d = defs[iid[i]]
        v = float(num[i])
        given = cell_unit[i] or mu[i]
        if d.is_percent:
            v = v / 100.0
        elif given is not None and not same_unit(given, d.unit):
            conv = convert_value(v, str(given), d.unit)
            if conv is None:
                problems.append(Problem(file, int(rows[i]), head.get("measure_unit", "计量单位"), f"计量单位“{given}”与输入“{d.label}”的单位“{d.unit}”不一致，且无法换算"))
                failed[i] = True
                continue
            v = conv
        values[i] = v
    for i in f.index[is_bool & mu.notna()]:
        if str(mu[i]) not in _BOOL_UNITS:
            problems.append(Problem(file, int(rows[i]), head.get("measure_unit", "计量单位"), f"计量单位应为“{BOOL_UNIT}”，实际为“{mu[i]}”"))
            failed[i] = True
    count = ok & iid.map(lambda i: i in defs and defs[i].is_count)
    flag(values.notna() & (values < 0) & ~kind_of.eq("percent"), "value", values.map(lambda v: f"不能为负数，实际为 {v:g}"))
    flag(count & values.notna() & (values >= 0) & (values != np.floor(values)), "value", values.map(lambda v: f"个数应为整数，实际为 {v:g}"))
    key = unit.astype(str) + "\x00" + iid.astype(str)
    dup = ok & key.duplicated(keep="first")
    first_row = pd.Series(rows.values, index=key.values).groupby(level=0).first()
    flag(dup, "input_id", key.map(lambda k: f"重复：与第{first_row[k]}行的单位和输入编号相同"))
    out = pd.DataFrame({"unit": unit, "unit_kind": unit.map(kinds), "input_id": iid, "value": values})
    problems.sort(key=lambda p: p.row or 0)
    return out[ok & values.notna() & ~failed], problems


def load_scoring_inputs(path: str | Path, rules: ScoringRules, period: str | None = None) -> ScoringInputs:
    """Read ``path`` as :func:`read_scoring_inputs` does; raise :class:`InputError` with every problem on errors."""
    r = read_scoring_inputs(path, rules).raise_for_errors()
    return ScoringInputs(r.frame[list(UNIT_INPUT_COLUMNS)], period=period)


def scoring_template(rules: ScoringRules) -> pd.DataFrame:
    """The blank reported-inputs table: one row per unit and reported input its kind uses (contract ids as columns).

    >>> from hzlib.scoring.rules import load_rules
    >>> t = scoring_template(load_rules("ankang-2019"))
    >>> len(t), t.iloc[0][["unit", "unit_kind", "input_id", "measure_unit"]].tolist()
    (446, ['汉滨区', 'county', 'preliminary_not_done', '个'])
    """
    rows = []
    for kind in rules.kinds:
        ids = [i for i in kind.input_ids() if rules.input(i).origin == "reported"]
        for u in kind.units:
            for i in ids:
                d = rules.input(i)
                rows.append({"unit": u, "unit_kind": kind.id, "input_id": i, "label": d.label, "value": None,
                             "measure_unit": d.unit, "note": ""})
    return pd.DataFrame(rows, columns=[c.id for c in SCORING_INPUT_COLUMNS])


def write_scoring_template(rules: ScoringRules, path: str | Path, *, force: bool = False, merge: bool = False) -> int:
    """Write :func:`scoring_template` as CSV with Chinese headers (UTF-8 with BOM, opens in Excel); returns the rows of the file.

    An existing file with reported values is never overwritten silently (:mod:`hzlib.templates`):
    refused unless ``force`` (the old file kept in ``.history/``) or ``merge`` (rows for new units
    and inputs added, every filled value kept). :func:`write_scoring_template_file` says what it did.
    """
    return write_scoring_template_file(rules, Path(path), force=force, merge=merge).rows


def write_scoring_template_file(rules: ScoringRules, path: Path, *, force: bool = False, merge: bool = False) -> TemplateWrite:
    """:func:`write_scoring_template`, returning what was written, merged and kept."""
    from ..templates import write_template

    def find(cells: pd.DataFrame) -> tuple[int, dict[int, str]] | None:
        found = _header(cells)
        return (found[0], found[1]) if found is not None else None

    return write_template(path, scoring_template(rules), SCORING_INPUT_COLUMNS, find=find, key=["unit", "input_id"], value="value",
                          command="scoring-template", force=force, merge=merge)
