"""The inputs no ledger has (``data/<plan>/scoring_inputs.csv``): read, check, and the blank table.

One row per unit, input and 期别, long format (columns in ``docs/scoring.md``)::

    单位,单位类别,输入编号,输入名称,数值,计量单位,期别,备注
    汉滨区,county,media_city,市级新闻媒体采用,12,条,2019Q2,
    汉滨区,county,major_accident,发生较大质量、安全生产责任事故或造成重大环境影响,否,是否,2019Q2,

期别 says which period the value is for (cumulative to its end, or within that quarter, as the
rules' ``period_basis`` says); a score uses only the rows of its period (:func:`reported_for_period`)
and refuses a file with values but no 期别 column. Counts bounded by another input (``at_most``:
未完成的重点前期项目 ≤ 附件2 重点前期项目) are checked period by period.

The file is read with the project's readers (UTF-8 or GBK CSV, or .xlsx; title rows
above the header are skipped; blank rows are reported as left out), and every
problem names file, row and column, all at once: unknown units, unknown input ids,
inputs the unit's kind does not use, inputs the ledger or the plan gives, negative
or fractional counts, 是否 cells that are neither 是 nor 否, one unit and input twice in one
period with different values (the same value twice is one figure, with a warning). ``%``
inputs are written as percent numbers (80 or 80%) and become fractions; 亿元 becomes
万元 where the input is in 万元.

>>> import tempfile, pathlib
>>> from hzlib.scoring.rules import load_rules
>>> rules = load_rules("ankang-2019")
>>> p = pathlib.Path(tempfile.mkdtemp()) / "scoring_inputs.csv"
>>> _ = p.write_text("单位,输入编号,数值\\n汉滨区,media_city,12\\n汉滨区,media_city,3\\n汉阴县,media_town,1\\n汉阴县,major_accident,-1\\n", encoding="utf-8")
>>> r = read_scoring_inputs(p, rules)
>>> [str(x).split("：", 1)[0] for x in r.errors]
['scoring_inputs.csv 第3行 [数值]', 'scoring_inputs.csv 第4行 [输入编号]', 'scoring_inputs.csv 第5行 [数值]']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..contracts import Column
from ..errors import ERROR, WARNING, InputError, Problem
from ..ingest import ReadResult
from ..ingest.aliases import normalise_header, split_header
from ..ingest.parse import blank_mask, parse_bool, parse_number, parse_period, to_text
from ..ingest.provenance import SOURCE_COLUMNS
from ..ingest.read import read_raw
from ..ingest.result import ExcludedRow
from ..ingest.table import HEADER_SCAN_ROWS, cell_problems
from ..inputs import SCORING_INPUTS_FILE  # the file name in a plan's data folder, shared with hz run
from ..periods import PERIOD_FORMS_ZH, Period, PeriodError, period_ends
from ..plan import load_plan
from ..tasks import convert_value, same_unit
from ..templates import write_template
from ..units import from_percent
from .engine import UNIT_INPUT_COLUMNS, ScoringInputs, bound_problems
from .rules import BOOL_UNIT, InputDef, ScoringRules

if TYPE_CHECKING:
    from ..templates import TemplateWrite

__all__ = [
    "SCORING_INPUT_COLUMNS",
    "SCORING_INPUTS_FILE",
    "PERIOD_COLUMN",
    "read_scoring_inputs",
    "load_scoring_inputs",
    "reported_for_period",
    "scoring_template",
    "template_period",
    "TEMPLATE_COLUMNS",
    "write_scoring_template",
    "write_scoring_template_file",
]

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
_HEADERS: dict[str, str] = {split_header(alias)[0]: c.id for c in SCORING_INPUT_COLUMNS for alias in (c.id, c.zh, *_ALIASES.get(c.id, ()))}
_BOOL_UNITS = {BOOL_UNIT, "是/否", "是否", "是或否"}

#: The 期别 column of the reported inputs: which period each value is for (read with
#: :func:`hzlib.ingest.parse.parse_period`, as the indicators and tasks readers read theirs; the rules' ``period_basis`` says whether the value is
#: cumulative since January or within the quarter ending then). Kept apart from
#: :data:`SCORING_INPUT_COLUMNS` (the template's columns) so that reading it does not change the template.
PERIOD_COLUMN = Column(
    "period",
    "期别",
    "str",
    required=False,
    description="the period the value is for: 2019Q2, 2019年上半年 … (cumulative to its end, or the quarter, per the rules' period_basis)",
)
for _alias in (PERIOD_COLUMN.id, PERIOD_COLUMN.zh, "报送期别", "所属期别", "统计期别"):
    _HEADERS[split_header(_alias)[0]] = PERIOD_COLUMN.id
#: The template's columns: the contract's, with 期别 before 备注.
TEMPLATE_COLUMNS: tuple[Column, ...] = (*SCORING_INPUT_COLUMNS[:-1], PERIOD_COLUMN, SCORING_INPUT_COLUMNS[-1])


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
    """Read and check a reported-inputs file against ``rules``; ``frame`` has unit, unit_kind, input_id, value, period.

    ``period`` is the canonical label of the row's 期别 (2019年上半年 → 2019Q2), or None for every
    row of a file without a 期别 column (refused when it is scored: :func:`reported_for_period`).
    """
    raw = read_raw(path, sheet)
    file = raw.file
    r = ReadResult(
        kind="scoring_inputs",
        file=file,
        frame=pd.DataFrame(columns=[*UNIT_INPUT_COLUMNS, PERIOD_COLUMN.id]),
        problems=list(raw.problems),
        encoding=raw.encoding,
        sheet=raw.sheet,
    )
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
    body = raw.cells.iloc[pos + 1 :].reset_index(drop=True)
    rows = pd.Series(raw.row_numbers[pos + 1 :], dtype="int64")
    # values and periods keep their cells (a number, an Excel date) for their parsers; the rest is text
    col = {cid: (to_text(body[j]) if cid not in ("value", "period") else body[j]) for j, cid in ids.items()}
    empty = pd.concat([blank_mask(body[j]) for j in ids], axis=1).all(axis=1)
    r.excluded += [ExcludedRow(file, int(n), "空行") for n in rows[empty]]
    keep = ~empty
    body_rows = rows[keep].reset_index(drop=True)
    f = pd.DataFrame({cid: s[keep].reset_index(drop=True) for cid, s in col.items()})
    no_value, blank = _not_reported(f["value"]), blank_mask(f["value"])
    r.excluded += [
        ExcludedRow(
            file, int(n), "数值为空（未报送，该项将标为数据不全）" if empty else f"数值为“{str(v).strip()}”，按未报送处理（该项将标为数据不全，不按 0 计）"
        )
        for n, v, empty in zip(body_rows[no_value], f["value"][no_value], blank[no_value])
    ]
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
    flag(unit.notna() & ~unit.isin(list(kinds)), "unit", unit.map(lambda u: f"单位“{u}”不在评分规则 {rules.id} 的考核单位中 / unknown unit"))
    if "unit_kind" in f:
        wrong = f["unit_kind"].notna() & unit.isin(list(kinds)) & (f["unit_kind"] != unit.map(kinds))
        flag(wrong, "unit_kind", pd.Series([f"单位“{u}”的类别应为 {kinds.get(u)}，实际为“{k}”" for u, k in zip(unit, f["unit_kind"])], index=f.index))
    flag(iid.isna(), "input_id", "缺少输入编号")
    known = iid.isin(list(defs))
    flag(iid.notna() & ~known, "input_id", iid.map(lambda i: f"评分规则 {rules.id} 中没有输入编号“{i}”；可用 scoring_template 生成的表查看 / unknown input id"))
    origin = iid.map(lambda i: defs[i].origin if i in defs else None)
    flag(
        known & origin.isin(["ledger", "plan"]),
        "input_id",
        iid.map(lambda i: f"输入“{i}”由{'项目台账计算' if i in defs and defs[i].origin == 'ledger' else '计划任务分解表给出'}，不在本表报送"),
    )
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
            v = from_percent(v)
        elif given is not None and not same_unit(given, d.unit):
            conv = convert_value(v, str(given), d.unit)
            if conv is None:
                problems.append(
                    Problem(file, int(rows[i]), head.get("measure_unit", "计量单位"), f"计量单位“{given}”与输入“{d.label}”的单位“{d.unit}”不一致，且无法换算")
                )
                failed[i] = True
                continue
            v = conv
        values[i] = v
    for i in f.index[is_bool & mu.notna()]:
        if str(mu[i]) not in _BOOL_UNITS:
            problems.append(Problem(file, int(rows[i]), head.get("measure_unit", "计量单位"), f"计量单位应为“{BOOL_UNIT}”，实际为“{mu[i]}”"))
            failed[i] = True
    periods = _periods(f, iid, defs, flag)
    count = ok & iid.map(lambda i: i in defs and defs[i].is_count)
    flag(values.notna() & (values < 0) & ~kind_of.eq("percent"), "value", values.map(lambda v: f"不能为负数，实际为 {v:g}"))
    flag(count & values.notna() & (values >= 0) & (values != np.floor(values)), "value", values.map(lambda v: f"个数应为整数，实际为 {v:g}"))
    out = pd.DataFrame({"unit": unit, "unit_kind": unit.map(kinds), "input_id": iid, "value": values, "period": periods})
    good = ok & values.notna() & ~failed
    # one unit, input and period twice (however the period was written): one figure when the values agree, else refused
    dropped, repeated = _repeated(out[good], rows, to_text(f["value"]), file, head)
    problems += repeated
    good = good & ~f.index.isin(dropped)
    for _, g in out[good].groupby(out["period"].fillna(""), sort=False):
        for i, message in bound_problems(rules, g):
            flag(pd.Series(f.index == i, index=f.index), "value", message)
    good = good & ~failed
    problems.sort(key=lambda p: p.row or 0)
    return out[good], problems


#: Values within this (relative) distance are one figure (as for indicators and tasks).
_SAME = 1e-9


def _repeated(out: pd.DataFrame, rows: pd.Series, cells: pd.Series, file: str, head: dict[str, str]) -> tuple[list[int], list[Problem]]:
    """Rows of ``out`` (read, checked) with the same unit, input and period, as the indicators and
    tasks readers treat them (:func:`hzlib.ingest.repeated_periods.check_repeated_periods`): when
    the values agree (after units and percents are read: 3.2亿元 and 32000万元 are one figure) the
    first row is kept and a warning names the rows; when they differ an error on the last row's
    数值 names every row and its value, and none of them is used. Returns (rows left out, problems).
    ``cells`` are the 数值 cells as written, for the message.

    >>> out = pd.DataFrame({"unit": ["甲县"] * 3, "input_id": ["media_city"] * 3, "value": [12.0, 12.0, 13.0], "period": ["2019Q2"] * 3})
    >>> left, ps = _repeated(out, pd.Series([2, 5, 9]), pd.Series(["12", "12.0", "13"]), "x.csv", {"value": "数值"})
    >>> left, [str(p) for p in ps]  # doctest: +NORMALIZE_WHITESPACE
    ([0, 1, 2], ['x.csv 第9行 [数值]：单位“甲县”、输入编号“media_city”、期别“2019年上半年（2019Q2）”有 3 行，数值不同：第2行为 12，第5行为 12.0，第9行为 13；2019Q2、2019年上半年、2019年1-6月、2019-06 是同一期别，只能保留一行，请删去或改正其中一行 / the same period twice with different values'])
    """
    keys = ["unit", "input_id", "period"]
    key = out[keys].astype(str).agg("\x1f".join, axis=1) if not out.empty else pd.Series(dtype=object)
    left: list[int] = []
    problems: list[Problem] = []
    value_col = head.get("value", "数值")
    for _, idx in key[key.duplicated(keep=False)].groupby(key, sort=False).groups.items():
        pos = sorted(idx, key=lambda i: int(rows[i]))
        first, last = pos[0], pos[-1]
        unit, iid, period = (out.at[first, k] for k in keys)
        what = f"{head.get('unit', '单位')}“{unit}”、{head.get('input_id', '输入编号')}“{iid}”"
        forms = ""
        if isinstance(period, str):
            p = Period.parse(period)
            what += f"、{head.get('period', PERIOD_COLUMN.zh)}“{p.label_zh()}（{p.label()}）”"
            forms = f"{'、'.join(dict.fromkeys([p.label(), p.label_zh(), f'{p.year}年1-{p.end_month}月', f'{p.year}-{p.end_month:02d}']))} 是同一期别，"
        v0 = float(out.at[first, "value"])
        if all(abs(float(out.at[i, "value"]) - v0) <= _SAME * max(1.0, abs(v0), abs(float(out.at[i, "value"]))) for i in pos[1:]):
            refs = "、".join(str(int(rows[i])) for i in pos)
            problems.append(
                Problem(
                    file,
                    int(rows[last]),
                    value_col,
                    f"{what}有 {len(pos)} 行（第{refs}行），数值相同，按一行计；请删去多余的行 / the same period twice, same values",
                    WARNING,
                )
            )
            left += pos[1:]
            continue
        said = "，".join(f"第{int(rows[i])}行为 {cells[i]}" for i in pos)
        problems.append(
            Problem(
                file,
                int(rows[last]),
                value_col,
                f"{what}有 {len(pos)} 行，{value_col}不同：{said}；{forms}只能保留一行，请删去或改正其中一行 / the same period twice with different values",
            )
        )
        left += pos
    return sorted(left), problems


def _periods(f: pd.DataFrame, iid: pd.Series, defs: dict[str, InputDef], flag: Callable[[pd.Series, str, str | pd.Series], None]) -> pd.Series:
    """Canonical period label of each row (None without a 期别 column); blank, unreadable and
    non-quarter periods for ``period_basis: quarter`` inputs are flagged."""
    if "period" not in f:
        return pd.Series([None] * len(f), index=f.index, dtype=object)
    # read as the indicators and tasks readers read their 期别 (an Excel date, 2024.6, 202406, 2024-06-30 are 2024Q2)
    labels, unreadable = parse_period(f["period"])
    text = to_text(f["period"])
    p = labels.map(Period.parse, na_action="ignore")
    flag(labels.isna() & ~unreadable, "period", f"缺少期别：应写该数所属的期别，如 {PERIOD_FORMS_ZH}")
    flag(unreadable, "period", text.map(lambda v: f"无法识别的期别“{v}”：应为 {PERIOD_FORMS_ZH}"))
    quarterly = iid.map(lambda i: i in defs and defs[i].period_basis == "quarter")
    off = quarterly & pd.Series([isinstance(x, Period) and not x.is_quarter_end for x in p], index=f.index)
    flag(
        off,
        "period",
        pd.Series(
            [
                f"“{defs[i].label}”按季度报送（该季度内的数），期别应为季度末，如 {x.year}Q{x.quarter}，实际为“{t}”" if o else ""
                for i, x, t, o in zip(iid, p, text, off)
            ],
            index=f.index,
        ),
    )
    return labels.astype(object)


def load_scoring_inputs(path: str | Path, rules: ScoringRules, period: str | None = None) -> ScoringInputs:
    """Read ``path`` as :func:`read_scoring_inputs` does; raise :class:`InputError` with every problem on errors.

    With ``period`` only that period's rows are kept (:func:`reported_for_period`); without it a file
    with rows for more than one period is refused (which period to score is not guessed).
    """
    r = read_scoring_inputs(path, rules).raise_for_errors()
    if period is not None:
        return ScoringInputs(reported_for_period(r.frame, period, Path(path).name), period=period)
    seen = sorted(set(r.frame["period"].dropna()))
    if len(seen) > 1:
        raise InputError([Problem(r.file, None, PERIOD_COLUMN.zh, f"文件中有 {len(seen)} 个期别（{'、'.join(seen)}）：请指定评分期别")], what=r.file)
    return ScoringInputs(r.frame[list(UNIT_INPUT_COLUMNS)], period=period)


def reported_for_period(frame: pd.DataFrame, period: str | Period, file: str = SCORING_INPUTS_FILE) -> pd.DataFrame:
    """The reported inputs of ``period`` (``unit, unit_kind, input_id, value``), matched on year and end month.

    Refused (:class:`InputError` naming the file, the period asked and the periods the file has)
    when the file has values but no 期别 column, or none for ``period``: inputs of another
    period are never used. A frame without a ``period`` column (built by a program) is taken as is.

    >>> f = pd.DataFrame({"unit": ["汉滨区"] * 2, "unit_kind": "county", "input_id": "media_city", "value": [3.0, 5.0], "period": ["2019Q1", "2019Q2"]})
    >>> reported_for_period(f, "2019年上半年")["value"].tolist()
    [5.0]
    >>> reported_for_period(f, "2019Q3")
    Traceback (most recent call last):
    ...
    hzlib.errors.InputError: scoring_inputs.csv有 1 处错误 / 1 error(s) in scoring_inputs.csv:
      - scoring_inputs.csv [期别]：没有2019年前三季度（2019Q3）的评分报送数：文件中的期别为 2019Q1、2019Q2。请补报该期的评分输入（每行写明期别），或按文件中的期别评分
    """
    p = Period.parse(period)
    cols = [*UNIT_INPUT_COLUMNS, *(c for c in SOURCE_COLUMNS if c in frame.columns)]  # where each row came from, kept for 溯源
    if "period" not in frame.columns or frame.empty:
        return frame[cols].reset_index(drop=True)
    if frame["period"].isna().any():
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    PERIOD_COLUMN.zh,
                    f"没有“期别”列：报送的评分输入不知是哪一期的数，不能用于{p.label_zh()}（{p.label()}）的评分。"
                    f"请在表中加一列“期别”，每行写明该数所属的期别（如 {p.canonical().label()}；"
                    "累计数写截至的期别，季度数写该季度，见评分规则的 period_basis），各期的数分行报送",
                )
            ],
            what=file,
        )
    ends = period_ends(frame["period"])
    mine = (ends["year"] == p.year) & (ends["end_month"] == p.end_month)
    if not mine.any():
        seen = "、".join(sorted(set(frame["period"].astype(str))))
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    PERIOD_COLUMN.zh,
                    f"没有{p.label_zh()}（{p.label()}）的评分报送数：文件中的期别为 {seen}。请补报该期的评分输入（每行写明期别），或按文件中的期别评分",
                )
            ],
            what=file,
        )
    return frame.loc[mine, cols].reset_index(drop=True)


def template_period(rules: ScoringRules, period: str | Period | None = None) -> Period:
    """The 期别 a template is for: ``period`` as given (any form), else the rules' plan year (全年).

    >>> from hzlib.scoring.rules import load_rules
    >>> template_period(load_rules("ankang-2019")).label(), template_period(load_rules("ankang-2019"), "2019年上半年").label()
    ('2019Q4', '2019Q2')
    """
    year = load_plan(rules.plan or rules.id).year  # the rules name their plan: its year is the template's year
    if period is None:
        return Period.parse(str(year)).canonical()
    p = (period if isinstance(period, Period) else Period.parse(str(period))).canonical()
    if p.year != year:
        raise PeriodError(f"期别 {p.label_zh()} 不在计划年度 {year} 年内：评分报送表只填 {year} 年各期的数")
    return p


def scoring_template(rules: ScoringRules, period: str | Period | None = None) -> pd.DataFrame:
    """The blank reported-inputs table: one row per unit and reported input its kind uses (contract ids as
    columns), each with the 期别 it is for (:func:`template_period`), so the filled file scores that period.

    >>> from hzlib.scoring.rules import load_rules
    >>> t = scoring_template(load_rules("ankang-2019"), "2019Q2")
    >>> len(t), t.iloc[0][["unit", "unit_kind", "input_id", "measure_unit", "period"]].tolist()
    (446, ['汉滨区', 'county', 'preliminary_not_done', '个', '2019Q2'])
    """
    label = template_period(rules, period).label()
    rows = []
    for kind in rules.kinds:
        ids = [i for i in kind.input_ids() if rules.input(i).origin == "reported"]
        for u in kind.units:
            for i in ids:
                d = rules.input(i)
                rows.append(
                    {"unit": u, "unit_kind": kind.id, "input_id": i, "label": d.label, "value": None, "measure_unit": d.unit, "period": label, "note": ""}
                )
    return pd.DataFrame(rows, columns=[c.id for c in TEMPLATE_COLUMNS])


def write_scoring_template(rules: ScoringRules, path: str | Path, *, period: str | Period | None = None, force: bool = False, merge: bool = False) -> int:
    """Write :func:`scoring_template` as CSV with Chinese headers (UTF-8 with BOM, opens in Excel); returns the rows of the file.

    An existing file with reported values is never overwritten silently (:mod:`hzlib.templates`):
    refused unless ``force`` (the old file kept in ``.history/``) or ``merge`` (rows for new units
    and inputs added, every filled value kept). :func:`write_scoring_template_file` says what it did.
    """
    return write_scoring_template_file(rules, Path(path), period=period, force=force, merge=merge).rows


def write_scoring_template_file(
    rules: ScoringRules, path: Path, *, period: str | Period | None = None, force: bool = False, merge: bool = False
) -> TemplateWrite:
    """:func:`write_scoring_template`, returning what was written, merged and kept."""

    def find(cells: pd.DataFrame) -> tuple[int, dict[int, str]] | None:
        found = _header(cells)
        return (found[0], found[1]) if found is not None else None

    # rows are one unit, input and 期别: merging another period's template adds its rows beside the filled ones
    return write_template(
        path,
        scoring_template(rules, period),
        TEMPLATE_COLUMNS,
        find=find,
        key=["unit", "input_id", "period"],
        value="value",
        command="scoring-template",
        force=force,
        merge=merge,
    )
