"""Each figure of an evaluation with its derivation: the formula with its numbers, and its rows.

Pure: reads an :class:`~hzlib.evaluate.engine.Evaluation` only. A target's actual is
explained from the rows its measure function used (:class:`~hzlib.evaluate.measures.Contribution`,
kept with the measurement), never recomputed another way; each row says where it came
from (file, sheet, row as the user sees it, and the column's header). A statistic gives
its published row, a reported figure its task row; a checkpoint gives the plan's quote and
its rule; gap, status and projection are arithmetic on those and list the actual's rows.

Worked example (two projects, one of them in a 万元 sum):

>>> import pandas as pd
>>> rows = pd.DataFrame({"role": ["合计项", "合计项"], "value": [1200.0, 800.0]})
>>> recompute("sum", rows, scale=0.0001)
0.2
>>> recompute("ratio", pd.DataFrame({"role": ["分子", "分母"], "value": [30.0, 60.0]}))
50.0
>>> recompute("count_ratio", pd.DataFrame({"role": ["分母", "分母", "分子"], "value": [1.0, 1.0, 1.0]}))
50.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..contracts import INDICATOR_COLUMNS, LEDGER_COLUMNS, PROCEDURES, PROGRESS_COLUMNS, TASK_COLUMNS
from ..glossary import FAI_ZH, STATUS_ZH, Status
from ..ingest.provenance import origin
from ..plan.schema import Comparator, Target
from ..textfmt import fmt_number
from ..units import from_percent, to_percent
from .engine import profile_row
from .measures import Contribution
from .projects import unit_flags

if TYPE_CHECKING:
    from .engine import Evaluation

__all__ = [
    "SHEET_ROWS_MAX",
    "provenance_sheet",
    "derive_unit",
    "Derivation",
    "ROW_COLUMNS",
    "ROW_COLUMNS_ZH",
    "FIGURES",
    "derive",
    "derive_all",
    "recompute",
    "as_frame",
    "FIGURE_ZH",
]

#: The figures of a target that carry a derivation, in report order.
FIGURES = ("actual", "checkpoint", "gap", "status", "projection", "required_growth")
FIGURE_ZH = {
    "actual": "实际值",
    "checkpoint": "进度目标",
    "gap": "差距",
    "status": "状态",
    "projection": "全年预计",
    "required_growth": "后续所需增速",
    "invest_completion": "计划投资完成率",
    "start_rate": "开工率",
    "procedure_rate": "前期手续办结率",
    "invest_status": "投资完成状态",
    "rank": "排名与红旗/蜗牛",
    "completion": "计划投资完成率",
    "new_starts": "开工率",
}

#: Columns of a derivation's contributing rows (stable English ids).
ROW_COLUMNS = ["role", "project_id", "name", "unit", "quantity", "value", "value_unit", "source_file", "source_sheet", "source_row", "source_column", "origin"]
ROW_COLUMNS_ZH = {
    "role": "作用",
    "project_id": "项目编号",
    "name": "名称",
    "unit": "责任单位/地区",
    "quantity": "数据项",
    "value": "数值",
    "value_unit": "单位",
    "source_file": "来源文件",
    "source_sheet": "工作表",
    "source_row": "行号",
    "source_column": "来源列",
    "origin": "来源",
}

_ZH: dict[str, str] = {c.id: c.zh for cols in (LEDGER_COLUMNS, PROGRESS_COLUMNS, INDICATOR_COLUMNS, TASK_COLUMNS) for c in cols}
_ZH |= {
    "completed_cum": "累计完成投资",
    "annual_plan": "年度计划投资",
    "total_investment": "总投资",
    "cum_yoy": "累计同比增速",
    "level": "累计值",
    "value": "报送值",
}


@dataclass(frozen=True, eq=False)
class Derivation:
    """One figure of one target: its value, its formula in Chinese, its rows and the plan's words.

    ``op`` says how the value follows from ``rows`` alone (see :func:`recompute`); ``arithmetic``
    and ``text`` figures follow from other figures (``formula`` shows the numbers).
    """

    target_id: str
    label: str
    figure: str
    value: float | None
    shown: str
    formula: str
    op: str
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ROW_COLUMNS))
    scale: float = 1.0
    quote: str = ""
    note: str = ""
    #: The numbers an ``arithmetic`` figure is computed from (``actual``, ``share``, ``target`` …).
    inputs: dict[str, float] = field(default_factory=dict)

    @property
    def figure_zh(self) -> str:
        if self.figure.startswith("score:"):
            return f"评分项·{self.label.split('·')[-1]}"
        return FIGURE_ZH.get(self.figure, self.figure)

    def as_dict(self) -> dict[str, Any]:
        rows = self.rows.astype(object).where(self.rows.notna(), None)
        return {
            "target_id": self.target_id,
            "label": self.label,
            "figure": self.figure,
            "figure_zh": self.figure_zh,
            "value": None if self.value is None or _nan(self.value) else self.value,
            "shown": self.shown,
            "formula": self.formula,
            "op": self.op,
            "scale": self.scale,
            "quote": self.quote,
            "note": self.note,
            "rows": rows.to_dict(orient="records"),
        }


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def recompute(op: str, rows: pd.DataFrame, scale: float = 1.0) -> float | None:
    """The figure from its listed rows alone (``op`` of a :class:`Derivation`); None for figures
    that follow from other figures."""
    v = rows["value"].astype(float) if len(rows) else pd.Series(dtype=float)
    role = rows["role"] if len(rows) else pd.Series(dtype=object)
    if op in ("sum", "statistic", "report"):
        return float(np.nansum(v)) * scale
    if op == "count":
        return float(len(rows))
    if op == "count_ratio":
        n = int((role == "分母").sum())
        return to_percent(int((role == "分子").sum()) / n) if n else None
    if op in ("ratio", "statistic_ratio"):
        den = float(np.nansum(v[role == "分母"]))
        if not den:
            return None
        share = float(np.nansum(v[role == "分子"])) / den
        return to_percent(share) if op == "ratio" else share * scale
    return None


def _quote(t: Target, plan_file: str | None) -> str:
    s = t.source
    return f"{s.file or plan_file or '计划文件'} {s.section}：“{s.quote}”"


def _fmt(v: float | None, unit: str) -> str:
    if _nan(v):
        return "—"
    return f"{fmt_number(v)}{unit}"


def _months(ev: Evaluation) -> str:
    return f"1-{ev.period.end_month}月"


def _quantity(col: str, ev: Evaluation) -> str:
    return f"{_months(ev)}{_ZH[col]}" if col == "completed_cum" else _ZH.get(col, col)


def _header(ev: Evaluation, file: object, col: str) -> str:
    cols: Mapping[str, str] = ev.source_columns.get(str(file), {}) if isinstance(file, str) else {}
    return cols.get(col, _ZH.get(col, col))


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    """Row lists one after another (empty ones left out, so column types stay as they are)."""
    filled = [f for f in frames if len(f)]
    if not filled:
        return pd.DataFrame(columns=ROW_COLUMNS)
    return filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)


def _origins(files: pd.Series, sheets: pd.Series, rows: pd.Series, missing: str) -> np.ndarray:
    """:func:`~hzlib.ingest.provenance.origin` of each row, built once per file and sheet (fast for a million rows)."""
    key = files.fillna("").astype(str) + "\x1f" + sheets.fillna("").astype(str)
    codes, uniq = pd.factorize(key)
    prefix = np.array([origin(*(u.split("\x1f", 1) + [None])) for u in uniq] + [missing], dtype=object)
    has_file = (files.notna() & files.astype(str).ne("")).to_numpy(dtype=bool)
    num = pd.to_numeric(rows, errors="coerce").astype("Int64").astype(str).replace("<NA>", "").to_numpy(dtype=object)
    at = np.where(has_file, codes, len(uniq))
    text = prefix[at] + np.where((num != "") & has_file, "第" + num + "行", "")
    return np.asarray(text, dtype=object)


def _ledger_rows(ev: Evaluation, labels: pd.Index, role: str, col: str | None, decided_by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows of the status table at ``labels``; ``col`` the value summed (None: each row counts 1)."""
    st = ev.status_all
    cum = col == "completed_cum"
    pre = "_src_cum_" if cum else "_src_"
    wanted = ("project_id", "name", "unit", col or "", pre + "file", pre + "sheet", pre + "row")
    sub = st.loc[labels, [c for c in dict.fromkeys(wanted) if c in st.columns]]
    n = len(sub)

    def get(c: str) -> pd.Series:
        return sub[c] if c in sub.columns else pd.Series([None] * n, index=sub.index, dtype=object)

    files, sheets, rws = get(pre + "file").astype(object), get(pre + "sheet").astype(object), get(pre + "row").astype(object)
    if col is None:
        values = pd.Series(1.0, index=sub.index)
        quantity, unit = "项目（计1个）", "个"
        headers = files.map({f: "、".join(_header(ev, f, c) for c in decided_by if c) for f in files.dropna().unique()})
    else:
        values = sub[col].astype(float)
        quantity, unit = _quantity(col, ev), "万元"
        headers = files.map({f: _header(ev, f, col) for f in files.dropna().unique()})
    origins = _origins(files, sheets, rws, "本年进度表中无此项目截至期末的记录，按0计" if cum else "")
    return pd.DataFrame(
        {
            "role": role,
            "project_id": get("project_id").to_numpy(),
            "name": get("name").to_numpy(),
            "unit": get("unit").to_numpy(),
            "quantity": quantity,
            "value": values.to_numpy(),
            "value_unit": unit,
            "source_file": files.to_numpy(),
            "source_sheet": sheets.to_numpy(),
            "source_row": rws.to_numpy(),
            "source_column": headers,
            "origin": origins,
        },
        columns=ROW_COLUMNS,
    )


def _record_rows(ev: Evaluation, rec: pd.DataFrame, roles: list[str], fld: str, id_col: str, name_col: str, unit_col: str, value_unit: str) -> pd.DataFrame:
    def get(c: str) -> list[object]:
        return rec[c].tolist() if c in rec.columns else [None] * len(rec)

    files, sheets, rws = get("_src_file"), get("_src_sheet"), get("_src_row")
    made = get("source")  # a row no file gave (a scenario's assumed figure) says what made it: 情景假设：…
    return pd.DataFrame(
        {
            "role": roles,
            "project_id": get(id_col),
            "name": get(name_col),
            "unit": get(unit_col),
            "quantity": _ZH.get(fld, fld),
            "value": rec[fld].astype(float).to_numpy() if fld in rec.columns else np.nan,
            "value_unit": value_unit,
            "source_file": files,
            "source_sheet": sheets,
            "source_row": rws,
            "source_column": [_header(ev, f, fld) for f in files],
            "origin": [
                origin(f, s, r) if isinstance(f, str) else str(w) if isinstance(w, str) and w.startswith("情景假设") else ""
                for f, s, r, w in zip(files, sheets, rws, made)
            ],
        },
        columns=ROW_COLUMNS,
    )


def _actual(ev: Evaluation, t: Target, row: pd.Series) -> Derivation:
    m = ev.measurements.get(t.id)
    value = None if _nan(row["actual"]) else float(row["actual"])
    shown = _fmt(value, t.unit)
    quote = _quote(t, ev.plan.source_file)

    def mk(formula: str, op: str, rows: pd.DataFrame | None = None, scale: float = 1.0, note: str = "") -> Derivation:
        return Derivation(
            t.id, t.label, "actual", value, shown, formula, op, rows if rows is not None else pd.DataFrame(columns=ROW_COLUMNS), scale, quote, note
        )

    c: Contribution | None = m.contribution if m is not None else None
    if value is None or c is None:
        why = str(row["note"]) if isinstance(row["note"], str) and row["note"] else Status.NO_DATA.zh
        return mk(f"{t.label}：{why}", "text", note=str(row["basis_zh"] or ""))
    basis = str(row["basis_zh"] or "")
    if c.op in ("sum", "count") and c.numerator is not None:
        rows = _ledger_rows(ev, c.numerator, "合计项" if c.op == "sum" else "计数", c.column or None, c.decided_by)
        n = len(rows)
        if c.op == "sum":
            total = float(np.nansum(rows["value"].astype(float)))
            formula = f"{shown} = Σ {n} 个项目{_quantity(c.column, ev)}（合计 {fmt_number(total)} 万元）"
        else:
            formula = f"{shown} = 范围内符合条件的项目 {n} 个"
        return mk(formula, c.op, rows=rows, scale=c.scale, note=basis)
    if c.op == "ratio" and c.numerator is not None and c.denominator is not None:
        num = _ledger_rows(ev, c.numerator, "分子", c.column)
        den = _ledger_rows(ev, c.denominator, "分母", c.den_column)
        sn, sd = float(np.nansum(num["value"].astype(float))), float(np.nansum(den["value"].astype(float)))
        formula = (
            f"{shown} = Σ {len(num)} 个项目{_quantity(c.column, ev)} {fmt_number(sn)} 万元 ÷ "
            f"Σ {len(den)} 个项目{_quantity(c.den_column, ev)} {fmt_number(sd)} 万元"
        )
        return mk(formula, "ratio", rows=_stack(num, den), note=basis)
    if c.op == "count_ratio" and c.numerator is not None and c.denominator is not None:
        num = _ledger_rows(ev, c.numerator, "分子", None, c.decided_by)
        den = _ledger_rows(ev, c.denominator, "分母", None, c.decided_by)
        formula = f"{shown} = 符合条件的项目 {len(num)} 个 ÷ 应计项目 {len(den)} 个（依据：{num['source_column'].iloc[0] if len(num) else ''}）"
        return mk(formula, "count_ratio", rows=_stack(num, den), note=basis)
    rec = c.records if c.records is not None else pd.DataFrame()
    fld = c.fields[0] if c.fields else "value"
    if c.op in ("statistic", "statistic_ratio"):
        roles = ["分子", "分母"] if c.op == "statistic_ratio" else ["统计"]
        unit = "%" if fld == "cum_yoy" else "万元"
        rows = _record_rows(ev, rec, roles, fld, "indicator", "period", "jurisdiction", unit)
        scale = c.scale
        if fld == "cum_yoy":  # a published growth is shown as the file writes it, a percent number (3.4, not 0.034)
            rows["value"] = to_percent(rows["value"].astype(float))
            scale = from_percent(c.scale)  # the rows now hold percent numbers, the factor to the figure loses its 100
        vals = [fmt_number(float(v), 2) for v in rows["value"]]
        if c.op == "statistic_ratio":
            formula = f"{shown} = {vals[0]} 万元 ÷ {vals[1]} 万元（统计数据同期累计值之比）"
        elif fld == "cum_yoy":
            formula = f"{shown} = 公布的累计同比增速 {vals[0]}%"
        else:
            formula = f"{shown} = 公布的{_ZH[fld]} {vals[0]} 万元" + ("" if c.scale == 1.0 else f" × {fmt_number(c.scale, 6)}")
        return mk(formula, c.op, rows=rows, scale=scale, note=basis)
    rows = _record_rows(ev, rec, ["报送"], "value", "target_id", "source", "jurisdiction", t.unit)
    formula = f"{shown} = 报送值（{rows['origin'].iloc[0] if len(rows) else ''}）"
    return mk(formula, "report", rows=rows, note=basis)


def _checkpoint(ev: Evaluation, t: Target, row: pd.Series) -> Derivation:
    cp = None if _nan(row["checkpoint"]) else float(row["checkpoint"])
    annual = "" if t.value is None else f"全年目标 {_fmt(t.value, t.unit)}；"
    formula = f"{_fmt(cp, t.unit)} = {annual}{row['derivation']}"
    return Derivation(t.id, t.label, "checkpoint", cp, _fmt(cp, t.unit), formula, "quote", quote=_quote(t, ev.plan.source_file))


def _follows(ev: Evaluation, t: Target, row: pd.Series, actual: Derivation) -> list[Derivation]:
    """Gap, status and projection: arithmetic on the actual and the checkpoint (listing the actual's rows)."""
    out: list[Derivation] = []
    gap_unit = "个百分点" if t.is_percent else t.unit
    a, cp, gap = actual.value, row["checkpoint"], row["gap"]
    q = actual.quote
    if not _nan(gap):
        g = float(gap)
        formula = f"{fmt_number(g)}{gap_unit} = 实际 {actual.shown} − 进度目标 {_fmt(float(cp), t.unit)}"
        out.append(Derivation(t.id, t.label, "gap", g, f"{fmt_number(g)}{gap_unit}", formula, "arithmetic", actual.rows, quote=q))
    rule = {Comparator.AT_MOST: "不高于进度目标为达标", Comparator.MORE_THAN: "超过进度目标为达标"}.get(t.comparator, "不低于进度目标为达标")
    said = [f"差距 {fmt_number(float(gap))}{gap_unit}，{rule}（{row['derivation']}）"] if not _nan(gap) else []
    if isinstance(row["note"], str) and row["note"]:
        said.append(str(row["note"]))
    status = f"{row['status_zh']}：{'；'.join(said) or row['derivation']}"
    out.append(Derivation(t.id, t.label, "status", None, str(row["status_zh"]), status, "text", actual.rows, quote=q))
    pr = ev.projections.get(t.id)
    if pr is not None and a is not None:
        p, share = pr.value, pr.share  # as the evaluation made it (engine.Projection), not made again here
        prow = profile_row(ev.profiles, *pr.profile, ev.plan.year) if pr.profile is not None else None
        whose = "" if pr.profile is None else FAI_ZH if pr.profile[1] == "fai" else _ZH.get(pr.profile[1], pr.profile[1])
        if not pr.by_profile:
            how, prows = f"时序进度 {fmt_number(to_percent(share), 2)}%", pd.DataFrame(columns=ROW_COLUMNS)
        else:
            prows = _profile_rows(ev, prow) if prow is not None else pd.DataFrame(columns=ROW_COLUMNS)
            how = (
                f"上年{whose}季度分布截至{ev.period.end_month}月占全年 {fmt_number(to_percent(share), 1)}%"
                if prow is not None
                else f"计划文件给出的季度分布截至{ev.period.end_month}月占全年 {fmt_number(to_percent(share), 1)}%"
            )
        formula = f"{_fmt(p, t.unit)} = 实际 {actual.shown} ÷ {how}"
        out.append(
            Derivation(
                t.id,
                t.label,
                "projection",
                p,
                _fmt(p, t.unit),
                formula,
                "arithmetic",
                _stack(actual.rows, prows),
                quote=q,
                inputs={"actual": a, "share": share},
            )
        )
    req = row.get("required_growth")
    if not _nan(req) and a is not None and t.value is not None:
        r = float(req)
        prow = profile_row(ev.profiles, t.scope.jurisdiction, t.indicator, ev.plan.year)
        prows = _profile_rows(ev, prow) if prow is not None else pd.DataFrame(columns=ROW_COLUMNS)
        formula = (
            f"{fmt_number(r)}% = 其余季度需达到的累计增速：全年目标 {_fmt(t.value, '%')}，截至本期 {actual.shown}，"
            f"按上年各季度基数（{'、'.join(fmt_number(v) for v in prows['value'])} 万元）加权"
        )
        out.append(
            Derivation(
                t.id,
                t.label,
                "required_growth",
                r,
                f"{fmt_number(r)}%",
                formula,
                "arithmetic",
                _stack(actual.rows, prows),
                quote=q,
                inputs={"target": float(t.value), "actual": a, "quarter": float(ev.period.quarter)},
            )
        )
    return out


_QUARTERS = ("q1", "q2", "q3", "q4")


def _profile_rows(ev: Evaluation, prow: pd.Series) -> pd.DataFrame:
    """Last year's four quarterly levels of one profiles row, each with its source (role 季度基数)."""
    rec = pd.DataFrame([prow] * 4).reset_index(drop=True)
    rec["value"] = [float(prow[c]) for c in _QUARTERS]
    rows = _record_rows(ev, rec, ["季度基数"] * 4, "value", "indicator", "year", "jurisdiction", "万元")
    rows["quantity"] = [f"上年{i}季度" for i in "一二三四"]
    rows["source_column"] = [_header(ev, f, c) for f, c in zip(rows["source_file"], _QUARTERS)]
    return rows


def derive(ev: Evaluation, target_id: str) -> list[Derivation]:
    """Every figure of one target (:data:`FIGURES` that it has), with its derivation."""
    by_id = {t.id: t for t in ev.plan.targets}
    if target_id not in by_id:
        raise KeyError(target_id)
    t = by_id[target_id]
    row = ev.targets.loc[ev.targets["target_id"] == target_id].iloc[0]
    actual = _actual(ev, t, row)
    return [actual, _checkpoint(ev, t, row), *_follows(ev, t, row, actual)]


def derive_all(ev: Evaluation) -> list[Derivation]:
    """Every figure of every target of ``ev``."""
    return [d for t in ev.plan.targets for d in derive(ev, t.id)]


#: Columns of :func:`as_frame` before the row columns.
HEAD_COLUMNS = ["target_id", "label", "figure", "figure_zh", "shown", "formula", "quote"]


def as_frame(derivations: list[Derivation], *, rows_for: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per contributing row (a figure without rows: one row with its formula), for filtering and plotting.

    ``rows_for``: list the rows of these figures only (others get their formula line), e.g.
    ``("actual",)`` for a sheet where gap and status would repeat the actual's rows."""
    parts = []
    for d in derivations:
        listed = len(d.rows) and (rows_for is None or d.figure in rows_for)
        rows = (
            d.rows.reindex(columns=ROW_COLUMNS).astype(object) if listed else pd.DataFrame([dict.fromkeys(ROW_COLUMNS, "")], columns=ROW_COLUMNS, dtype=object)
        )
        head = pd.DataFrame(
            {
                "target_id": d.target_id,
                "label": d.label,
                "figure": d.figure,
                "figure_zh": d.figure_zh,
                "shown": d.shown,
                "formula": d.formula,
                "quote": d.quote,
            },
            index=rows.index,
            dtype=object,
        )
        parts.append(pd.concat([head, rows], axis=1))
    if not parts:
        return pd.DataFrame(columns=[*HEAD_COLUMNS, *ROW_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"].replace("", None), errors="coerce")
    out["source_row"] = pd.to_numeric(out["source_row"].replace("", None), errors="coerce").astype("Int64")
    return out


#: Rows of the workbook's 溯源 sheet at most (a sheet holds 1,048,576; beyond this the rest is in ``hz explain --format csv``).
SHEET_ROWS_MAX = 200_000


def provenance_sheet(derivations: list[Derivation], limit: int = SHEET_ROWS_MAX) -> pd.DataFrame:
    """The 溯源 sheet of a bulletin workbook: each target's figures with their formulas, and each row
    behind its actual with its source (Chinese headers); at most ``limit`` rows, then a line saying where the rest is."""
    df = as_frame(derivations, rows_for=("actual", "invest_completion", "start_rate", "procedure_rate"))
    if len(df) > limit:
        rest = len(df) - limit + 1
        df = pd.concat(
            [df.head(limit - 1), pd.DataFrame([{"formula": f"……另有 {rest} 行未列出：全部行请用 hz explain 计划 目标 --format csv 查看"}])], ignore_index=True
        )
    names = {
        "target_id": "目标编号",
        "label": "目标",
        "figure_zh": "数字",
        "shown": "数值",
        "formula": "算式",
        "quote": "计划原文",
        **ROW_COLUMNS_ZH,
        "value": "行数值",
    }
    cols = [
        "target_id",
        "label",
        "figure_zh",
        "shown",
        "formula",
        "quote",
        "role",
        "project_id",
        "name",
        "unit",
        "quantity",
        "value",
        "value_unit",
        "source_file",
        "source_sheet",
        "source_row",
        "source_column",
    ]
    return df[cols].rename(columns=names)


#: A unit's rates that the units table shows: rate → (numerator flag, denominator flag, Chinese name).
_UNIT_RATES = {
    "invest_completion": ("completed_cum", "annual_plan", "计划投资完成率"),
    "start_rate": ("new_started", "new_starts", "开工率"),
    "procedure_rate": ("new_procedures_done", "new_starts", "前期手续办结率"),
}


#: A ledger scoring input (``hzlib.scoring.ledger.LEDGER_MEASURES``) → the unit flag it sums
#: (:func:`~hzlib.evaluate.projects.unit_flags`), a count of rows or a money column; ``scheduled_investment``
#: is the annual plan × time progress.
_SCORE_LEDGER_ROWS: dict[str, tuple[str, str | None]] = {
    "projects": ("projects", None),
    "new_starts": ("new_starts", None),
    "new_started": ("new_started", None),
    "due_completions": ("due_completions", None),
    "due_completed": ("due_completed", None),
    "completed_investment": ("completed_cum", "completed_cum"),
    "annual_plan": ("annual_plan", "annual_plan"),
    "scheduled_investment": ("annual_plan", "annual_plan"),
}


def _reported_rows(reported: pd.DataFrame, unit: str, key: str, d: Any) -> pd.DataFrame:
    """The reported row(s) of ``unit``'s input ``key`` (``scoring_inputs.csv`` with its file and row);
    a percent input is shown as the percent number the file writes."""
    if reported.empty or not {"unit", "input_id"} <= set(reported.columns):
        return pd.DataFrame(columns=ROW_COLUMNS)
    rec = reported[(reported["unit"].astype(str) == unit) & (reported["input_id"].astype(str) == key)].copy()
    unit_of = str(getattr(d, "unit", "") or "")
    if unit_of == "%":
        rec["value"] = to_percent(rec["value"].astype(float))
    rec["label"] = getattr(d, "label", key)
    return _record_rows_from(rec, f"输入：{key}", unit_of)


def _record_rows_from(rec: pd.DataFrame, role: str, value_unit: str) -> pd.DataFrame:
    """A reported scoring input's rows in :data:`ROW_COLUMNS` (the column the value was read from: 数值)."""

    def get(c: str) -> list[object]:
        return rec[c].tolist() if c in rec.columns else [None] * len(rec)

    files, sheets, rws = get("_src_file"), get("_src_sheet"), get("_src_row")
    return pd.DataFrame(
        {
            "role": [role] * len(rec),
            "project_id": get("input_id"),
            "name": get("label"),
            "unit": get("unit"),
            "quantity": "报送值",
            "value": rec["value"].astype(float).to_numpy() if "value" in rec.columns else np.nan,
            "value_unit": value_unit,
            "source_file": files,
            "source_sheet": sheets,
            "source_row": rws,
            "source_column": ["数值" if isinstance(f, str) else "" for f in files],
            "origin": [origin(f, s, r) if isinstance(f, str) else "" for f, s, r in zip(files, sheets, rws)],
        },
        columns=ROW_COLUMNS,
    )


def _score_input_rows(ev: Evaluation, flags: pd.DataFrame, key: str, d: Any, unit: str = "", reported: pd.DataFrame | None = None) -> tuple[str, pd.DataFrame]:
    """Where one scoring input of a unit comes from, in words, and its rows (role ``输入：<id>``): a
    ledger sum of this period lists the projects' rows, a reported input its row of
    ``scoring_inputs.csv``; plan inputs name the plan's table."""
    empty = pd.DataFrame(columns=ROW_COLUMNS)
    origin_of = getattr(d, "origin", None)
    if origin_of == "reported":
        rows = _reported_rows(reported if reported is not None else pd.DataFrame(), unit, key, d)
        where = "、".join(str(o) for o in rows["origin"] if o) or "scoring_inputs.csv"
        return f"报送：评分输入表 {where}", rows
    if origin_of == "plan":
        return "计划文件的任务分解表", empty
    measure = getattr(d, "ledger", None)
    if origin_of != "ledger" or measure not in _SCORE_LEDGER_ROWS:
        return "台账（见本单位比率）" if origin_of == "ledger" else "评分规则", empty
    at = getattr(d, "at", None)
    if at is not None and at != f"Q{ev.period.quarter}":
        return f"台账，取自{at}末的评价", empty
    flag, col = _SCORE_LEDGER_ROWS[measure]
    labels = flags.index if col is not None else flags.index[flags[flag].to_numpy() > 0]
    rows = _ledger_rows(ev, labels, f"输入：{key}", col)
    how = "台账：" + ("年度计划投资 × 时序进度" if measure == "scheduled_investment" else _quantity(col, ev) if col else f"{len(rows)} 个项目")
    return how, rows


def derive_totals(ev: Evaluation) -> dict[str, Derivation]:
    """The bulletin's opening figures over all key projects, from the same rows as the units'
    (:func:`hzlib.evaluate.projects.unit_flags`): ``completion`` (completed investment against the
    annual plan, the sentence of :attr:`Evaluation.completion`) and ``new_starts`` (planned new starts
    begun). Figures the evaluation has not got are left out."""
    out: dict[str, Derivation] = {}
    st = ev.status
    if st.empty:
        return out
    flags = unit_flags(st)
    c = ev.completion
    if c is not None and not _nan(c.rate):
        a = _ledger_rows(ev, flags.index, "分子", "completed_cum")
        b = _ledger_rows(ev, flags.index, "分母", "annual_plan")
        shown = f"{fmt_number(to_percent(c.rate))}%"
        formula = (
            f"{shown} = Σ {len(a)} 个项目{_quantity('completed_cum', ev)} {fmt_number(float(np.nansum(a['value'].astype(float))))} 万元 ÷ "
            f"年度计划投资 {fmt_number(float(np.nansum(b['value'].astype(float))))} 万元；{c.status.zh}（对照时序进度 {fmt_number(to_percent(c.time_progress))}%）"
        )
        out["completion"] = Derivation("completion", "全部重点项目计划投资完成率", "completion", to_percent(c.rate), shown, formula, "ratio", _stack(a, b))
    ns = int(flags["new_starts"].sum())
    if ns > 0:
        decided = ("is_new_start", "actual_start")
        a = _ledger_rows(ev, flags.index[flags["new_started"].to_numpy() > 0], "分子", None, decided)
        b = _ledger_rows(ev, flags.index[flags["new_starts"].to_numpy() > 0], "分母", None, decided)
        value = to_percent(len(a) / len(b))
        shown = f"{fmt_number(value)}%"
        formula = f"{shown} = 已开工的计划新开工项目 {len(a)} 个 ÷ 计划新开工项目 {len(b)} 个"
        out["new_starts"] = Derivation("new_starts", "计划新开工项目开工率", "new_starts", value, shown, formula, "count_ratio", _stack(a, b))
    return out


def derive_unit(
    ev: Evaluation,
    units: pd.DataFrame,
    ranking: pd.DataFrame,
    unit: str,
    ranking_basis: str = "",
    score_items: pd.DataFrame | None = None,
    score_inputs: Mapping[str, Any] | None = None,
    reported: pd.DataFrame | None = None,
) -> list[Derivation]:
    """A unit's line of the units table (its rates from its projects' rows, its status), each of its
    assessment items (``score_items``: the scoring result's items, with the inputs each read) and its
    rank and award (红旗/蜗牛) with the basis they were decided on. Raises KeyError for an unknown unit."""
    if units.empty or unit not in units.index.astype(str):
        raise KeyError(unit)
    line = units.loc[units.index.astype(str) == unit].iloc[0]
    st = ev.status
    mine = st.index[st["unit"].astype(str).eq(unit).to_numpy()]
    flags = unit_flags(st.loc[mine])
    out: list[Derivation] = []
    for rate, (num, den, zh) in _UNIT_RATES.items():
        if rate not in line.index or _nan(line[rate]):
            continue
        value = to_percent(float(line[rate]))
        shown = f"{fmt_number(value)}%"
        if rate == "invest_completion":
            a = _ledger_rows(ev, flags.index, "分子", "completed_cum")
            b = _ledger_rows(ev, flags.index, "分母", "annual_plan")
            formula = (
                f"{shown} = Σ {len(a)} 个项目{_quantity('completed_cum', ev)} {fmt_number(float(np.nansum(a['value'].astype(float))))} 万元 ÷ "
                f"年度计划投资 {fmt_number(float(np.nansum(b['value'].astype(float))))} 万元"
            )
            op = "ratio"
        else:
            decided = ("is_new_start", "actual_start") if rate == "start_rate" else ("is_new_start", *PROCEDURES)
            a = _ledger_rows(ev, flags.index[flags[num].to_numpy() > 0], "分子", None, decided)
            b = _ledger_rows(ev, flags.index[flags[den].to_numpy() > 0], "分母", None, decided)
            formula = f"{shown} = 符合条件的项目 {len(a)} 个 ÷ 应计项目 {len(b)} 个"
            op = "count_ratio"
        out.append(Derivation(unit, f"{unit}·{zh}", rate, value, shown, formula, op, _stack(a, b)))
    if "invest_status" in line.index:
        tp = to_percent(float(ev.period.progress))
        zh = STATUS_ZH.get(str(line["invest_status"]), str(line["invest_status"]))
        inv = next((d for d in out if d.figure == "invest_completion"), None)
        formula = f"{zh}：计划投资完成率 {inv.shown if inv else '—'} 对照时序进度 {fmt_number(tp)}%"
        out.append(Derivation(unit, f"{unit}·投资完成状态", "invest_status", None, zh, formula, "text", inv.rows if inv else pd.DataFrame(columns=ROW_COLUMNS)))
    if score_items is not None and len(score_items):
        defs = dict(score_inputs or {})
        for it in score_items[score_items["unit"].astype(str) == unit].itertuples(index=False):
            pts = None if _nan(it.points) else float(it.points)
            inputs = {str(k): float(v) for k, v in (it.inputs or {}).items() if isinstance(v, (int, float)) and not _nan(float(v))}
            used, parts = [], []
            for k, v in inputs.items():
                origin_of, rows = _score_input_rows(ev, flags, k, defs.get(k), unit, reported)
                used.append(f"{k} = {fmt_number(v)}（{origin_of}）")
                parts.append(rows)
            rows_all = _stack(*parts)
            out.append(
                Derivation(
                    unit,
                    f"{unit}·{it.label}",
                    f"score:{it.item}",
                    pts,
                    Status.NOT_APPLICABLE.zh if pts is None else f"{fmt_number(pts)}/{fmt_number(float(it.max_points))} 分",
                    str(it.note or ""),
                    "text",
                    rows_all,
                    note=f"评分输入：{'；'.join(used)}" if used else "",
                    inputs=inputs,
                )
            )
    r = ranking[ranking["unit"].astype(str) == unit] if "unit" in ranking.columns else ranking.iloc[0:0]
    if len(r):
        x = r.iloc[0]
        rank = "不排名次" if _nan(x["rank"]) else f"第{int(x['rank'])}名（{x['kind_zh']}）"
        award = str(x["award"]) if isinstance(x["award"], str) and x["award"] else "无"
        total = "" if _nan(x["total"]) else f"；总分 {fmt_number(float(x['total']))}/{fmt_number(float(x['max_total']))}"
        note = f"；{x['note']}" if isinstance(x["note"], str) and x["note"] else ""
        out.append(
            Derivation(
                unit,
                f"{unit}·排名与红旗/蜗牛",
                "rank",
                None if _nan(x["rank"]) else float(x["rank"]),
                rank,
                f"{rank}；红旗/蜗牛：{award}{total}{note}",
                "text",
                note=ranking_basis,
            )
        )
    return out
