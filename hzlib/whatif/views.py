"""Tables for people from a :class:`~hzlib.whatif.compare.WhatIf`: Chinese headers, numbers
formatted once, every scenario column and caption marked 情景假设.

Each function reads the comparison model only (no evaluation, no files). The ``*_zh``
functions return the strings a person reads (terminal and notebook), the ``*_view``
functions the same as an escaped HTML table with a stable text repr (see
:func:`hzlib.report.views.html_table`), and :func:`excel_tables` the numbers for a
workbook (units in the headers).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..arithmetic import Status
from ..report.views import HTMLTable, fmt_gap, fmt_value, html_table
from ..textfmt import fmt_number
from ..units import to_percent
from .compare import ASSUMED_ZH, GrowthOutlook, ScenarioResult, WhatIf

__all__ = [
    "scenarios_markdown",
    "compare_zh",
    "compare_view",
    "growth_zh",
    "growth_view",
    "history_markdown",
    "new_starts_zh",
    "new_starts_view",
    "excel_tables",
]


def _status_zh(value: object) -> str:
    return Status(str(value)).zh if value in {s.value for s in Status} else "—"


def _pct(x: float, digits: int = 1) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{fmt_number(to_percent(x), digits)}%"


def _tidy(x: float) -> float:
    """A difference for reading: float noise rounded away, so 7.7 − 7.700000000000001 shows as 0, not −0."""
    return round(x, 9) + 0.0 if math.isfinite(x) else x


def _when(r: ScenarioResult) -> str:
    """全年, 前三季度 … (the scenario's evaluated period without the year)."""
    return r.period.label_zh().removeprefix(f"{r.period.year}年")


def scenarios_markdown(w: WhatIf) -> str:
    """The banner, then each scenario: its name, what it assumes (one change a line), its note."""
    lines = [f"> {w.banner}", ""]
    for name, r in w.names():
        lines.append(f"**{name}（{ASSUMED_ZH}）：{r.label}**（{r.id}，测算至{r.period.label_zh()}）")
        lines.append("")
        lines += [f"- {c}" for c in r.changes] or ["- 未作任何假设（与基期相同）"]
        if r.note_zh:
            lines.append(f"- 说明：{r.note_zh}")
        lines.append("")
    return "\n".join(lines).rstrip()


def compare_zh(w: WhatIf, *, all_targets: bool = False) -> pd.DataFrame:
    """The baseline and every scenario side by side, one row per target, as strings.

    Without ``all_targets``, targets with no figure at the base quarter nor in any
    scenario (未到期/无数据 everywhere) are left out; :meth:`WhatIf.table` has them all.
    """
    table = w.table()
    base = w.base.targets
    keep = base["actual"].notna().to_numpy()
    for r in w.scenarios:
        keep |= r.model.targets["actual"].notna().to_numpy()
    out = pd.DataFrame(
        {
            "目标": base["label"],
            "全年目标": [fmt_value(v, u) for v, u in zip(base["annual_value"], base["unit"])],
            f"基期实际（{w.base.period_zh}）": [fmt_value(v, u) for v, u in zip(base["actual"], base["unit"])],
            "基期状态": [_status_zh(s) for s in base["status"]],
        }
    )
    for name, r in w.names():
        sel = table[table["scenario_id"] == r.id].reset_index(drop=True)
        shown = []
        for v, unit, annual, base_annual in zip(sel["scenario_actual"], sel["unit"], sel["scenario_annual_value"], sel["base_annual_value"]):
            text = fmt_value(v, unit)
            if not (math.isnan(annual) and math.isnan(base_annual)) and annual != base_annual:
                text += f"（目标调为{fmt_value(annual, unit)}）"
            shown.append(text)
        out[f"{name}{_when(r)}预计"] = shown
        out[f"{name}状态"] = [_status_zh(s) for s in sel["scenario_status"]]
        out[f"{name}较基期"] = [fmt_gap(_tidy(c), g) for c, g in zip(sel["change"], sel["gap_unit"])]
    return out if all_targets else out[keep].reset_index(drop=True)


def compare_view(w: WhatIf, *, all_targets: bool = False) -> HTMLTable:
    df = compare_zh(w, all_targets=all_targets)
    narrow = ("基期状态", *(f"{name}状态" for name, _ in w.names()))
    caption = f"基期实际与{ASSUMED_ZH}逐项对比（" + "；".join(f"{name}：{r.label}" for name, r in w.names()) + "）"
    return html_table(df, caption=caption, text=f"（{ASSUMED_ZH}对比：{len(df)} 项目标，{len(w.scenarios)} 个情景）", narrow=narrow)


def growth_zh(w: WhatIf) -> pd.DataFrame:
    """Per growth target: growth so far, the growth still needed (seasonal and even), where
    each scenario ends the year, the break-even line and the history band."""
    rows = []
    for g in w.growth:
        row = {
            "目标": g.label,
            "地区": g.jurisdiction,
            f"{w.base.period_zh}累计增速": _pct(g.cum_growth),
            "全年目标": _pct(g.target),
            "其余季度所需增速（按上年季节分布）": _pct(g.required.seasonal, 2),
            "其余季度所需增速（按各季度均匀分布）": _pct(g.required.even, 2),
        }
        for name, r in w.names():
            hit = [p for p in g.points if p.scenario_id == r.id]
            row[f"{name}全年（{ASSUMED_ZH}）"] = _pct(hit[0].year_end, 2) if hit else "未假设"
        row["恰好实现目标的组合"] = g.break_even_sentence()
        row["历史走势区间"] = g.band.sentence_zh()
        rows.append(row)
    return pd.DataFrame(rows)


def growth_view(w: WhatIf) -> HTMLTable:
    df = growth_zh(w)
    return html_table(df, caption="增速测算：其余季度所需增速（按上年季节分布与均匀分布）", text=f"（增速测算：{len(df)} 项目标）")


def history_markdown(w: WhatIf) -> str:
    """The history band of each growth target in a sentence (or why there is none)."""
    if not w.growth:
        return "- 没有可测算的增速目标（需统计口径的增速目标和上年季度基数）。"
    return "\n".join(f"- {g.label}：{g.band.sentence_zh()}" for g in w.growth)


def new_starts_zh(w: WhatIf) -> pd.DataFrame:
    ns = w.new_starts()
    if ns.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "情形": ns["label"],
            "计划新开工（个）": ns["planned"],
            "一季度末已开工": ns["q1"],
            "上半年末已开工": ns["q2"],
            "前三季度末已开工": ns["q3"],
            "年末已开工": ns["q4"],
            "推迟到下一年": ns["next_year"],
            "无开工日期": ns["no_date"],
        }
    )


def new_starts_view(w: WhatIf) -> HTMLTable:
    df = new_starts_zh(w)
    return html_table(df, caption=f"计划新开工项目按季度累计开工（基期按台账记录，其余为{ASSUMED_ZH}）", text=f"（新开工项目按季度：{len(df)} 行）")


def excel_tables(w: WhatIf) -> dict[str, pd.DataFrame]:
    """Sheet name → table (numbers stay numbers, units in the headers)."""
    t = w.table()
    names = {r.id: name for name, r in w.names()}
    tables: dict[str, pd.DataFrame] = {
        "说明": pd.DataFrame(
            {
                "项目": ["计划", "基期", "测算至", "说明", *(f"{names[r.id]}（{ASSUMED_ZH}）" for r in w.scenarios)],
                "内容": [w.plan.title, w.base.period_zh, w.at.label_zh(), w.banner, *(r.banner for r in w.scenarios)],
            }
        ),
        "目标对比": pd.DataFrame(
            {
                "情景": t["scenario_id"].map(names),
                f"情景名称（{ASSUMED_ZH}）": t["scenario_label"],
                "目标编号": t["target_id"],
                "目标": t["label"],
                "单位": t["unit"],
                "基期": t["base_period"],
                "基期全年目标": t["base_annual_value"],
                "基期本期目标": t["base_checkpoint"],
                "基期实际": t["base_actual"],
                "基期状态": t["base_status"].map(_status_zh),
                "情景评价期": t["scenario_period"],
                "情景全年目标": t["scenario_annual_value"],
                "情景本期目标": t["scenario_checkpoint"],
                f"情景预计（{ASSUMED_ZH}）": t["scenario_actual"],
                "情景差距": t["scenario_gap"],
                "差距单位": t["gap_unit"].replace({"pp": "百分点"}),
                "情景状态": t["scenario_status"].map(_status_zh),
                "较基期变化": t["change"],
                "说明": t["note"],
            }
        ),
        f"{ASSUMED_ZH}": pd.DataFrame(
            {
                "情景": [names[r] for r in w.changes()["scenario_id"]],
                "情景名称": w.changes()["label"],
                "假设内容": w.changes()["text"],
            }
        ),
    }
    if w.growth:
        growth = pd.DataFrame(
            {
                "目标": [g.label for g in w.growth],
                "地区": [g.jurisdiction for g in w.growth],
                "基期累计增速（%）": [to_percent(g.cum_growth) for g in w.growth],
                "全年目标（%）": [to_percent(g.target) for g in w.growth],
                "其余季度所需增速_按上年季节分布（%）": [to_percent(g.required.seasonal) for g in w.growth],
                "其余季度所需增速_按均匀分布（%）": [to_percent(g.required.even) for g in w.growth],
            }
        )
        for name, r in w.names():
            growth[f"{name}全年增速_{ASSUMED_ZH}（%）"] = [next((to_percent(p.year_end) for p in g.points if p.scenario_id == r.id), np.nan) for g in w.growth]
        growth["恰好实现目标的组合"] = [g.break_even_sentence() for g in w.growth]
        growth["历史走势区间"] = [g.band.sentence_zh() for g in w.growth]
        tables["增速测算"] = growth
        for g in w.growth:
            tables[f"敏感性-{g.label}"] = _grid_numeric(g)
    ns = new_starts_zh(w)
    if not ns.empty:
        tables["新开工项目按季度"] = ns
    return tables


def _grid_numeric(g: GrowthOutlook) -> pd.DataFrame:
    grid = g.grid
    out = pd.DataFrame({f"{grid.row_label_zh}（%）": [to_percent(r) for r in grid.rows]})
    if grid.col_quarters:
        for j, c in enumerate(grid.cols):
            out[f"{grid.col_label_zh} {fmt_number(to_percent(c), 1)}%"] = to_percent(np.asarray(grid.values)[:, j])
        out[f"恰好达标所需{grid.col_label_zh}（%）"] = [to_percent(grid.break_even.col_for(r)) for r in grid.rows]
    else:
        out["全年增速（%）"] = to_percent(np.asarray(grid.values))
        out[f"恰好达标所需{grid.row_label_zh}（%）"] = to_percent(grid.break_even.rate)
    return out
