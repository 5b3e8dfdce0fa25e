"""Tables for people: Chinese headers, units in headers, numbers formatted once.

Two forms of each table:

- ``*_display``: strings formatted for reading (HTML in notebooks and the bulletin);
- ``*_numeric``: numbers with units in the Chinese headers (Excel).

Text that comes from data (project names, units) is never marked safe: HTML
output goes through pandas ``to_html(escape=True)``.

>>> import pandas as pd
>>> html_table(pd.DataFrame({"项目名称": ["<script>alert(1)</script>"]})).data.count("&lt;script&gt;")
1
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .contracts import LEVEL_ZH
from .textfmt import fmt_number

__all__ = [
    "html_table",
    "checkpoint_display",
    "evaluation_display",
    "evaluation_numeric",
    "unit_rates_display",
    "unit_rates_numeric",
    "project_list_display",
    "fmt_value",
    "fmt_gap",
    "ILLUSTRATIVE_NOTE",
]

ILLUSTRATIVE_NOTE = "说明：本期项目台账与统计数据除注明来源者外均为示意数据（illustrative），仅用于演示计算方法，不代表真实统计结果。"

_COMPARATOR_ZH = {"at_least": "≥", "more_than": ">", "about": "≈", "at_most": "≤"}


class _HTML:
    """A minimal IPython-compatible HTML object (``_repr_html_``) with a stable text repr."""

    def __init__(self, data: str, text: str = "（表格）") -> None:
        self.data = data
        self._text = text

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return self._text


def html_table(df: pd.DataFrame, *, caption: str | None = None, text: str | None = None) -> _HTML:
    """Escaped HTML table without the index; its plain-text form is a short stable label."""
    html = df.to_html(index=False, escape=True, na_rep="—", border=0, classes="hz-table")
    if caption:
        from html import escape

        html = html.replace('<table border="0" class="dataframe hz-table">', f'<table border="0" class="dataframe hz-table"><caption>{escape(caption)}</caption>', 1)
    return _HTML(html, text or f"（表格：{caption or '共'} {len(df)} 行）")


def fmt_value(x: Any, unit: str, digits: int = 2) -> str:
    """A value with its unit: 12 % -> '12%', 245.5 亿元 -> '245.5亿元'."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return "—"
    return f"{fmt_number(float(x), digits)}{unit}"


def fmt_gap(x: Any, unit: str) -> str:
    """A signed gap: pp for percentages, else the unit: '-1.19个百分点', '+3个'."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return "—"
    v = float(x)
    sign = "+" if v > 0 else ""
    if unit == "pp":
        return f"{sign}{fmt_number(v, 2)}个百分点"
    return f"{sign}{fmt_number(v, 2)}{unit}"


def checkpoint_display(cp: pd.DataFrame) -> pd.DataFrame:
    """The checkpoint table of ``hzlib.targets.checkpoints_frame`` for reading."""
    rows = []
    for r in cp.itertuples():
        value = fmt_value(r.checkpoint, r.unit)
        if not pd.isna(r.checkpoint_count):
            value += f"（{int(r.checkpoint_count)}个项目）"
        if not r.is_checkpoint:
            value = f"（{value}）"
        scope = r.jurisdiction + (f"·{r.subset}" if isinstance(r.subset, str) and r.subset else "")
        rows.append(
            {
                "目标": r.label + ("（力争）" if r.aspiration else ""),
                "范围": scope,
                "要求": _COMPARATOR_ZH.get(r.comparator, ""),
                "全年目标": fmt_value(r.annual_value, r.unit),
                "本期目标": value,
                "分解依据": r.basis,
                "出处": r.source_section,
            }
        )
    return pd.DataFrame(rows)


def evaluation_display(ev: pd.DataFrame) -> pd.DataFrame:
    """Targets against actuals, for reading."""
    rows = []
    for r in ev.itertuples():
        actual = fmt_value(r.actual, r.unit)
        if not pd.isna(r.actual_count) and r.unit == "%":
            actual += f"（{int(r.actual_count)}个）"
        cp = fmt_value(r.checkpoint, r.unit)
        if not pd.isna(r.checkpoint_count):
            cp += f"（{int(r.checkpoint_count)}个）"
        extra = []
        if not pd.isna(r.required_growth):
            extra.append(f"其余季度需增长{fmt_number(r.required_growth, 2)}%")
        if not pd.isna(r.projection) and r.measure in ("amount", "count", "quantity", "rate"):
            extra.append(f"按当前进度全年约{fmt_value(r.projection, r.unit)}")
        if r.note:
            extra.append(r.note)
        if isinstance(r.data_source, str) and r.data_source.startswith("任务报送"):
            extra.insert(0, r.data_source)  # a department's own figure, not statistics or the ledger
        rows.append(
            {
                "目标": r.label,
                "范围": r.scope,
                "本期目标": cp,
                "实际": actual,
                "差距": fmt_gap(r.gap, r.gap_unit),
                "状态": r.status_zh,
                "说明": "；".join(extra) if extra else "",
            }
        )
    return pd.DataFrame(rows, columns=["目标", "范围", "本期目标", "实际", "差距", "状态", "说明"])


def evaluation_numeric(ev: pd.DataFrame) -> pd.DataFrame:
    """Targets against actuals as numbers (for Excel)."""
    return pd.DataFrame(
        {
            "目标编号": ev["target_id"],
            "目标": ev["label"],
            "范围": ev["scope"],
            "单位": ev["unit"],
            "全年目标": ev["annual_value"],
            "本期目标": ev["checkpoint"],
            "实际": ev["actual"],
            "差距": ev["gap"],
            "差距单位": ev["gap_unit"].replace({"pp": "百分点"}),
            "状态": ev["status_zh"],
            "其余季度所需增速（%）": ev["required_growth"],
            "年末预计": ev["projection"],
            "数据来源": ev["data_source"],
            "说明": ev["note"],
        }
    )


def unit_rates_numeric(units: pd.DataFrame) -> pd.DataFrame:
    """Rates per unit as numbers with units in headers (rates in percent)."""
    u = units.reset_index()
    key = u.columns[0]
    return pd.DataFrame(
        {
            "责任单位": u[key],
            "项目数（个）": u["projects"],
            "新开工项目（个）": u["new_starts"],
            "已开工（个）": u["new_started"],
            "开工率（%）": u["start_rate"] * 100,
            "手续办结（个）": u["new_procedures_done"],
            "前期手续办结率（%）": u["procedure_rate"] * 100,
            "年度计划投资（万元）": u["annual_plan"],
            "完成投资（万元）": u["completed_cum"],
            "计划投资完成率（%）": u["invest_completion"] * 100,
            "与时序进度差（百分点）": u["invest_gap_pp"],
            "计划竣工（个）": u["planned_completions"],
            "已竣工（个）": u["completions"],
        }
    )


def unit_rates_display(units: pd.DataFrame) -> pd.DataFrame:
    n = unit_rates_numeric(units)
    out = pd.DataFrame({"责任单位": n["责任单位"], "项目数": n["项目数（个）"].map(lambda v: f"{int(v)}")})
    out["开工"] = [f"{int(a)}/{int(b)}" if b else "—" for a, b in zip(n["已开工（个）"], n["新开工项目（个）"])]
    out["开工率"] = n["开工率（%）"].map(lambda v: fmt_value(v, "%", 1))
    out["手续办结率"] = n["前期手续办结率（%）"].map(lambda v: fmt_value(v, "%", 1))
    out["完成投资（亿元）"] = (n["完成投资（万元）"] / 1e4).map(lambda v: fmt_number(v, 2))
    out["完成率"] = n["计划投资完成率（%）"].map(lambda v: fmt_value(v, "%", 1))
    out["与时序进度差"] = n["与时序进度差（百分点）"].map(lambda v: fmt_gap(v, "pp"))
    return out


def project_list_display(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Action lists (not started, behind schedule, missed completions) for reading."""
    def d(col: str) -> pd.Series:
        if col not in df.columns:
            return pd.Series("—", index=df.index)
        return pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d").fillna("—")

    base = pd.DataFrame({"项目名称": df["name"], "责任单位": df["unit"], "级别": df["level"].map(LEVEL_ZH).fillna("")})
    if kind == "not_started":
        base["计划开工"] = d("planned_start")
        base["手续办结"] = df["procedures_done"].map({True: "是", False: "否"}).fillna("—")
        base["年度计划投资（万元）"] = df["annual_plan"].map(lambda v: fmt_number(v, 0))
    elif kind == "behind":
        base["年度计划投资（万元）"] = df["annual_plan"].map(lambda v: fmt_number(v, 0))
        base["完成投资（万元）"] = df["completed_cum"].map(lambda v: fmt_number(v, 0))
        base["完成率"] = (df["completion_ratio"] * 100).map(lambda v: fmt_value(v, "%", 1))
        # gap_pp is negative when behind; the header already says 落后, so show how far, without a sign
        base["落后时序进度"] = df["gap_pp"].map(lambda v: "—" if pd.isna(v) else f"{fmt_number(-float(v), 1)}个百分点")
    else:
        base["计划竣工"] = d("planned_completion")
        base["完成投资（万元）"] = df["completed_cum"].map(lambda v: fmt_number(v, 0))
    return base.reset_index(drop=True)
