"""Tables for people, from a :class:`~hzlib.report.model.ReportModel`: Chinese headers,
units in headers, numbers formatted once, the basis named next to each figure.

Each function reads the model only (no evaluation, no files) and returns an
escaped HTML table whose plain-text form is a short stable label (so notebooks
compare cleanly under nbval). Text from data (project names, units) is never
marked safe: ``to_html(escape=True)``.

>>> import pandas as pd
>>> html_table(pd.DataFrame({"项目名称": ["<script>alert(1)</script>"]})).data.count("&lt;script&gt;")
1
>>> fmt_gap(-1.19, "pp"), fmt_value(245.5, "亿元")
('-1.19个百分点', '245.5亿元')
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import pandas as pd

from ..arithmetic import Status
from ..contracts import BATCH_ZH, LEVEL_ZH
from ..evaluate.derivation import ROW_COLUMNS_ZH
from ..evaluate.projects import NO_DATA_COLUMNS, RATE_COLUMNS
from ..glossary import CUMULATIVE_ZH, MILESTONE_ZH
from ..scoring.tables import item_table, prize_table, special_lines
from ..textfmt import fmt_number
from ..units import to_percent, wan_to_yi
from .model import JUDGED, ReportModel, ranked_rates

__all__ = [
    "HTMLTable",
    "html_table",
    "fmt_value",
    "fmt_gap",
    "COMPARATOR_SIGN",
    "summary_markdown",
    "checkpoints_view",
    "targets_view",
    "target_rows",
    "plan_notes_view",
    "indicators_view",
    "units_view",
    "ranking_view",
    "prizes_view",
    "score_items_view",
    "actions_view",
    "deviations_view",
    "batches_view",
    "project_list_views",
    "data_notes_view",
    "ACTION_TITLES",
    "monthly_progress_view",
    "monthly_openings_view",
    "monthly_behind_view",
    "monthly_statistics_view",
    "derivations_view",
    "unit_derivations_view",
    "derivations_appendix",
    "derivation_refs",
    "ref_mark",
]

COMPARATOR_SIGN = {"at_least": "≥", "more_than": ">", "about": "≈", "at_most": "≤"}
#: The action lists and their titles.
ACTION_TITLES = {
    "not_started": "未开工项目（攻坚台账）",
    "behind": "投资进度落后于时序进度的项目",
    "missed_completion": "计划竣工未竣工项目",
}


class HTMLTable:
    """An IPython-displayable HTML table (``_repr_html_``) with a stable text repr."""

    def __init__(self, data: str, text: str, frame: pd.DataFrame) -> None:
        self.data = data
        self.frame = frame  # what is shown, as strings (tests compare it with the model)
        self._text = text

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return self._text

    def __len__(self) -> int:
        return len(self.frame)


def html_table(
    df: pd.DataFrame, *, caption: str | None = None, text: str | None = None, narrow: tuple[str, ...] = (), min_ems: dict[str, float] | None = None
) -> HTMLTable:
    """An escaped HTML table without the index.

    ``narrow``: columns of short labels that must never wrap (级别, 状态, dates); their
    cells get ``class="nowrap"``. ``min_ems``: the least width (ems) of text columns that
    the table's automatic layout would otherwise squeeze to a few characters per line. A cell whose whole text is a status label (达标 …)
    also gets its status class, so colour follows the one status vocabulary.

    >>> html_table(pd.DataFrame({"状态": ["达标"], "名称": ["<b>"]}), narrow=("状态",)).data.split("<tbody>")[1].split("</tbody>")[0].strip()
    '<tr><td class="nowrap status-met">达标</td><td>&lt;b&gt;</td></tr>'
    """
    by_label = {st.zh: st.css_class for st in Status}
    cols = [str(c) for c in df.columns]
    nw = [c in narrow for c in cols]
    widths = min_ems or {}
    head = "".join(f'<th style="min-width: {widths[c]:g}em">{escape(c)}</th>' if c in widths else f"<th>{escape(c)}</th>" for c in cols)
    body = []
    for row in df.itertuples(index=False, name=None):
        cells = []
        for v, is_narrow in zip(row, nw):
            txt = "—" if _missing(v) else str(v)
            classes = (["nowrap"] if is_narrow else []) + ([by_label[txt]] if txt in by_label else [])
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{escape(txt)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    html = f'<table class="dataframe hz-table">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody></table>"
    return HTMLTable(html, text or f"（表格：{caption or '共'} {len(df)} 行）", df)


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_value(x: Any, unit: str, digits: int = 2) -> str:
    """A value with its unit: 12 % -> '12%', 245.5 亿元 -> '245.5亿元'."""
    return "—" if _missing(x) else f"{fmt_number(float(x), digits)}{unit}"


def fmt_gap(x: Any, unit: str) -> str:
    """A signed gap: pp for percentages, else the unit: '-1.19个百分点', '+3个'; a gap that
    rounds to zero has no sign ('0个百分点', never '+0' or '-0')."""
    if _missing(x):
        return "—"
    v = float(x)
    shown = fmt_number(v, 2)
    sign = "+" if v > 0 and shown != "0" else ""
    return f"{sign}{shown}个百分点" if unit == "pp" else f"{sign}{shown}{unit}"


def summary_markdown(m: ReportModel, refs: bool = False) -> str:
    """The bulletin's opening: the banner (data end, partial period, sample data) and the sentences;
    with ``refs``, each sentence followed by the numbers 〔n〕 of the derivations behind it
    (:attr:`ReportModel.sentence_refs`, :func:`derivation_refs`)."""
    numbers = derivation_refs(m) if refs else {}
    lines = [f"> {m.banner}", ""]
    lines += [f"- {s}" + "".join(ref_mark(numbers.get(k)) for k in m.sentence_refs.get(s, ()) if k in numbers) for s in m.sentences]
    return "\n".join(lines)


def checkpoints_view(m: ReportModel) -> HTMLTable:
    """This period's checkpoint of every target (notebook 01)."""
    rows = []
    for r in m.checkpoints.itertuples():
        value = fmt_value(r.checkpoint, r.unit)
        if not pd.isna(r.checkpoint_count):
            value += f"（{int(r.checkpoint_count)}个项目）"
        if not r.is_checkpoint:
            value = f"（{value}）"
        t = m.plan.target(r.target_id)
        rows.append(
            {
                "目标": r.label + ("（力争）" if r.aspiration else ""),
                "范围": t.scope.describe(),
                "要求": COMPARATOR_SIGN.get(r.comparator, ""),
                "全年目标": fmt_value(r.annual_value, r.unit),
                "本期目标": value,
                "分解依据": r.derivation,
                "出处": r.source_section,
            }
        )
    df = pd.DataFrame(rows, columns=["目标", "范围", "要求", "全年目标", "本期目标", "分解依据", "出处"])
    return html_table(df, text=f"（季度目标表：{len(df)} 行）", narrow=("要求",))


def target_rows(t: pd.DataFrame) -> pd.DataFrame:
    """The target table as strings, one row per target (also the ``hz evaluate`` text table)."""
    rows = []
    for r in t.itertuples():
        actual = fmt_value(r.actual, r.unit)
        if not pd.isna(r.actual_count) and r.unit == "%" and not pd.isna(r.denominator):
            actual += f"（{int(r.actual_count)}/{int(r.denominator)}个）"
        cp = fmt_value(r.checkpoint, r.unit)
        if not pd.isna(r.checkpoint_count):
            cp += f"（{int(r.checkpoint_count)}个）"
        extra = []
        if not pd.isna(r.required_growth):
            extra.append(f"其余季度需增长{fmt_number(r.required_growth, 2)}%")
        if not pd.isna(r.projection):
            extra.append(f"{r.projection_method}，全年约{fmt_value(r.projection, r.unit)}")
        if getattr(r, "remaining", ""):  # a count of discrete items: done, or whole items and the time left
            extra.append(str(r.remaining))
        if r.note:
            extra.append(r.note)
        rows.append(
            {
                "目标": r.label + ("（力争）" if r.aspiration else ""),
                "范围": r.scope,
                "本期目标": cp,
                "实际": actual,
                "差距": fmt_gap(r.gap, r.gap_unit),
                "状态": r.status_zh,
                "口径": r.basis_zh or "—",
                "说明": "；".join(extra),
            }
        )
    return pd.DataFrame(rows, columns=["目标", "范围", "本期目标", "实际", "差距", "状态", "口径", "说明"])


def targets_view(m: ReportModel, which: str = "judged", *, refs: bool = False) -> HTMLTable:
    """Targets against actuals: ``judged`` (达标/基本达标/未达标 this period) or ``other``.

    ``refs``: a last column 溯源 with each target's number 〔n〕 in the drill-down
    (:func:`derivations_view`) and the printed appendix (:func:`derivations_appendix`)."""
    t = m.targets
    sel = t[t["status"].isin(JUDGED)] if which == "judged" else t[~t["status"].isin(JUDGED)]
    df = target_rows(sel)
    if refs:
        numbers = derivation_refs(m)
        df["溯源"] = [ref_mark(numbers.get(("target", str(x)))) for x in sel["target_id"]]
    label = "本期考核目标" if which == "judged" else "未到期或无数据目标"
    # with the 溯源 column (kept on one line) the table still fits the printed page: 说明 gives up two ems
    ems: dict[str, float] = {"口径": 6, "说明": 7} if refs else {"口径": 6, "说明": 9}
    return html_table(df, text=f"（{label}：{len(df)} 项）", narrow=("状态", "差距", "溯源") if refs else ("状态", "差距"), min_ems=ems)


def plan_notes_view(m: ReportModel) -> HTMLTable:
    notes = m.plan_notes
    df = pd.DataFrame({"位置": [w.column or "" for w in notes], "说明": [w.message for w in notes]})
    return html_table(df, caption="计划文件核对", text=f"（计划文件核对：{len(df)} 条）")


def indicators_view(m: ReportModel) -> HTMLTable:
    """Cumulative growth of every statistics indicator by jurisdiction (with the target where there is one)."""
    tr = m.indicators
    cols = {f"q{q}": CUMULATIVE_ZH[q] for q in range(1, 5)}
    shown = [k for k in cols if 3 * int(k[1]) <= m.period.end_month]
    df = pd.DataFrame({"地区": tr["jurisdiction"], "指标": tr["indicator_zh"]})
    for k in shown:
        df[f"{cols[k]}（%）"] = tr[k].map(lambda v: fmt_number(v, 1))
    df["年度目标"] = [fmt_value(v, "%", 1) if v is not None and not _missing(v) else "—" for v in tr["target"]]
    df["状态"] = [Status(s).zh if s else "—" for s in tr["status"]]
    return html_table(df, text=f"（统计指标累计增速：{len(df)} 行）", narrow=("状态",))


def units_view(m: ReportModel, *, refs: bool = False) -> HTMLTable:
    """The units' rates and status; ``refs``: a last column 溯源 with each unit's number 〔n〕 (as :func:`targets_view`)."""
    u = m.units.reset_index()
    if u.empty:
        return html_table(pd.DataFrame(), text="（分单位：0 个）")
    key = u.columns[0]
    df = pd.DataFrame({"责任单位": u[key], "项目数": u["projects"].map(lambda v: f"{int(v)}")})
    df[MILESTONE_ZH["start"]] = [f"{int(a)}/{int(b)}" if b else "—" for a, b in zip(u["new_started"], u["new_starts"])]
    df["开工率"] = to_percent(u["start_rate"]).map(lambda v: fmt_value(v, "%", 1))
    df["手续办结率"] = to_percent(u["procedure_rate"]).map(lambda v: fmt_value(v, "%", 1))
    df["完成投资（亿元）"] = wan_to_yi(u["completed_cum"]).map(lambda v: fmt_number(v, 2))
    df["完成率"] = to_percent(u["invest_completion"]).map(lambda v: fmt_value(v, "%", 1))
    df["与时序进度差"] = u["invest_gap_pp"].map(lambda v: fmt_gap(v, "pp"))
    df["状态"] = [Status(s).zh for s in u["invest_status"]]
    # a rate the ledger cannot give (its columns are missing) is 无数据 for every unit, with the reason
    lacking = []
    for col, rate in (("开工率", "start_rate"), ("手续办结率", "procedure_rate"), ("完成率", "invest_completion")):
        why = u[NO_DATA_COLUMNS[rate]].iloc[0] if NO_DATA_COLUMNS[rate] in u.columns else ""
        if isinstance(why, str) and why:
            df[col] = Status.NO_DATA.zh
            lacking.append(f"{RATE_COLUMNS[rate]}：{why}")
    if refs:
        numbers = derivation_refs(m)
        df["溯源"] = [ref_mark(numbers.get(("unit", str(x)))) for x in u[key]]
    return html_table(
        df, caption=f"{Status.NO_DATA.zh}：{'；'.join(lacking)}" if lacking else None, text=f"（分单位：{len(df)} 个）", narrow=("状态", MILESTONE_ZH["start"])
    )


def ranking_view(m: ReportModel) -> HTMLTable:
    """Units ranked like with like by the plan's own rule (scores, awards); without one, the units'
    progress in the model's order, without ranks or awards (the basis above the table says so)."""
    rk = m.ranking
    if m.scores is None:
        return _progress_order_view(m)
    if rk.empty:
        return html_table(pd.DataFrame(), text="（排名：0 个单位）")
    df = pd.DataFrame({"类别": rk["kind_zh"], "排名": rk["rank"].map(lambda v: "—" if _missing(v) else str(int(v))), "单位": rk["unit"], "评价": rk["award"]})
    df["得分"] = [fmt_number(t, 2) + (f"/{fmt_number(x, 2)}" if not _missing(x) else "") for t, x in zip(rk["total"], rk["max_total"])]
    df["数据是否齐全"] = rk["incomplete"].map({True: "缺数据", False: "齐全"})
    df["说明"] = rk["note"]
    special: list[str] = []
    if m.scores is not None:  # beside the ranking: who was rescaled or kept out of the awards, and why
        special = special_lines(m.scores.result)
    return html_table(df, caption="特别处理：" + "；".join(special) if special else None, text=f"（排名：{len(df)} 个单位）", narrow=("类别", "排名", "评价"))


def _progress_order_view(m: ReportModel) -> HTMLTable:
    """The units' progress in order (a plan without a ranking scheme): no 排名, no 评价 column."""
    rk = m.ranking
    if rk.empty:
        return html_table(pd.DataFrame(), text="（分单位进度：0 个单位）")
    have = ranked_rates(rk)
    df = pd.DataFrame({"类别": rk["kind_zh"], "单位": rk["unit"]})
    for col, zh in (("invest_completion", "计划投资完成率"), ("start_rate", "开工率"), ("procedure_rate", "前期手续办结率")):
        df[zh] = to_percent(rk[col]).map(lambda v: fmt_value(v, "%", 1)) if col in have else Status.NO_DATA.zh
    df["说明"] = rk["note"]
    return html_table(df, text=f"（分单位进度：{len(df)} 个单位）", narrow=("类别",))


def prizes_view(m: ReportModel) -> HTMLTable:
    """Who gets which award, kind by kind, and how the number of places was counted."""
    if m.scores is None:
        return html_table(pd.DataFrame(), text="（奖项：本计划没有评分规则）")
    r = m.scores.result
    df = prize_table(r)
    df["总分"] = df["总分"].map(lambda v: fmt_number(v, 2))
    basis = "；".join(f"{p.label}：{p.basis}" for p in r.places)
    return html_table(df, caption=basis, text=f"（奖项：{len(df)} 个单位）", narrow=("类别", "奖项", "排名"))


def score_items_view(m: ReportModel, kind: str | None = None) -> HTMLTable:
    """Each unit's score item by item: points, the data used, why points were given or taken."""
    if m.scores is None:
        return html_table(pd.DataFrame(), text="（评分明细：本计划没有评分规则）")
    df = item_table(m.scores.result, kind=kind)
    for c in ("标准分值", "得分"):
        df[c] = df[c].map(lambda v: fmt_number(v, 2))
    return html_table(df, text=f"（评分明细：{len(df)} 行）", narrow=("类别", "性质", "标准分值", "得分"))


def _dates(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df.columns:
        return pd.Series("—", index=df.index)
    return pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d").fillna("—")


def actions_view(m: ReportModel, kind: str) -> HTMLTable:
    """An action list (not_started, behind, missed_completion) for reading."""
    df = m.actions.get(kind, pd.DataFrame())
    title = ACTION_TITLES[kind]
    if df.empty:
        empty = pd.DataFrame(columns=["项目名称", "责任单位", "级别"])
        return HTMLTable('<p class="hz-empty">本期无此类项目。</p>', f"（{title}：0 个）", empty)
    base = pd.DataFrame({"项目名称": df["name"], "责任单位": df["unit"], "级别": df["level"].map(LEVEL_ZH).fillna("")})
    if kind == "not_started":
        base["计划开工"] = _dates(df, "planned_start")
        base["手续办结"] = df["procedures_done"].map({True: "是", False: "否"}).fillna("—")
        base["年度计划投资（万元）"] = df["annual_plan"].map(lambda v: fmt_number(v, 0))
    elif kind == "behind":
        base["年度计划投资（万元）"] = df["annual_plan"].map(lambda v: fmt_number(v, 0))
        base["完成投资（万元）"] = df["completed_cum"].map(lambda v: fmt_number(v, 0))
        base["完成率"] = to_percent(df["completion_ratio"]).map(lambda v: fmt_value(v, "%", 1))
        # gap_pp is negative when behind; the header says 落后, so show how far, without a sign
        base["落后时序进度"] = df["gap_pp"].map(lambda v: "—" if pd.isna(v) else f"{fmt_number(-float(v), 1)}个百分点")
    else:
        base["计划竣工"] = _dates(df, "planned_completion")
        base["完成投资（万元）"] = df["completed_cum"].map(lambda v: fmt_number(v, 0))
    base = base.reset_index(drop=True)
    return html_table(base, text=f"（{title}：{len(base)} 个）", narrow=("级别", "计划开工", "计划竣工", "手续办结"))


def deviations_view(m: ReportModel) -> HTMLTable:
    d = m.deviations
    if d.empty:
        return HTMLTable("<p>本计划未设偏离度管控要求。</p>", "（偏离度：0 项）", pd.DataFrame())
    df = pd.DataFrame({"偏离维度": d["label"], "判断": d["judgement"], "依据的目标（本期）": d["detail"].replace("", "—"), "说明": d["description"]})
    return html_table(df, text=f"（偏离度：{len(df)} 项）")


def batches_view(m: ReportModel) -> HTMLTable:
    b = m.batches
    if b.empty:
        return html_table(pd.DataFrame(), text="（四个一批：0 类）")
    df = pd.DataFrame(
        {
            "类别": b["batch_zh"].values,
            "项目数（个）": b["projects"].map(lambda v: f"{int(v)}").values,
            "总投资（亿元）": wan_to_yi(b["total_investment"]).map(lambda v: fmt_number(v, 2)).values,
            "年度计划投资（亿元）": wan_to_yi(b["annual_plan"]).map(lambda v: fmt_number(v, 2)).values,
            "完成投资（亿元）": wan_to_yi(b["completed_cum"]).map(lambda v: fmt_number(v, 2)).values,
        }
    )
    return html_table(df, text=f"（四个一批：{len(df)} 类）")


def project_list_views(m: ReportModel) -> dict[str, HTMLTable]:
    """The plan's project list: classes, projects outside it (with the reason), class disagreements."""
    pl = m.project_list
    if not pl:
        return {}
    rule = m.plan.project_list
    assert rule is not None
    summ = pl["summary"]
    table = pd.DataFrame(
        {"类别": summ["label"], "项目数（个）": summ["projects"], "总投资（亿元）": wan_to_yi(summ["total_investment"]).map(lambda v: fmt_number(v, 2))}
    )
    out = pl["outside"]
    cols = {
        "project_id": "项目编号",
        "name": "项目名称",
        "unit": "责任单位",
        "total_investment": "总投资（万元）",
        "total_investment_usd": "外资总投资（万美元）",
        "reason": "原因",
    }
    shown = out[[c for c in cols if c in out.columns]].rename(columns=cols).reset_index(drop=True)
    for c in ("总投资（万元）", "外资总投资（万美元）"):
        if c in shown.columns:
            shown[c] = shown[c].map(lambda v: fmt_number(v, 0))
    views = {
        "summary": html_table(table, text=f"（{rule.label}：{len(table)} 行）"),
        "outside": html_table(shown, text=f"（未入清单或无法判定：{len(shown)} 个）"),
    }
    mm = pl["mismatch"]
    if len(mm):
        labels = {c.id: c.label for c in rule.classes}
        mshown = pd.DataFrame(
            {
                "项目编号": mm["project_id"].values,
                "项目名称": (mm["name"] if "name" in mm.columns else pd.Series("", index=mm.index)).values,
                "台账类别": mm["batch"].map(lambda v: BATCH_ZH.get(v, v)).values,
                "按规则应为": mm["list_class"].map(labels).values,
                "计划开工年份": mm["start_year"].values,
                "计划竣工年份": mm["completion_year"].values,
            }
        )
        views["mismatch"] = html_table(mshown, text=f"（台账类别与清单规则不一致：{len(mshown)} 个）")
    return views


def data_notes_view(m: ReportModel) -> HTMLTable:
    notes = m.data_notes
    df = pd.DataFrame(
        {
            "文件": [p.file for p in notes],
            "行": [p.row if p.row is not None else "" for p in notes],
            "列": [p.column or "" for p in notes],
            "说明": [p.message for p in notes],
        }
    )
    return html_table(df, text=f"（数据核查提示：{len(df)} 条）", narrow=("行",))


# ---- the monthly bulletin (月通报, hzlib.report.monthly) ---------------------------------------
def _no_monthly(title: str) -> HTMLTable:
    return HTMLTable('<p class="hz-empty">本期为季度通报，见上文。</p>', f"（{title}：季度通报不适用）", pd.DataFrame())


def monthly_progress_view(m: ReportModel) -> HTMLTable:
    """Key projects' cumulative completion against the annual plan and the month's time progress."""
    mb = m.monthly
    if mb is None:
        return _no_monthly("重点项目投资进度")
    p = mb.progress
    df = pd.DataFrame(
        {
            "范围": p["scope"],
            "项目数（个）": p["projects"].map(lambda v: f"{int(v)}"),
            "年度计划投资（亿元）": wan_to_yi(p["annual_plan"]).map(lambda v: fmt_number(v, 2)),
            "累计完成投资（亿元）": wan_to_yi(p["completed_cum"]).map(lambda v: fmt_number(v, 2)),
            "完成年度计划": to_percent(p["completion"]).map(lambda v: fmt_value(v, "%", 2)),
            "时序进度": [f"{mb.month.end_month}/12（{fmt_number(to_percent(v), 2)}%）" for v in p["time_progress"]],
            "与时序进度差": p["gap_pp"].map(lambda v: fmt_gap(v, "pp")),
            "状态": [Status(s).zh for s in p["status"]],
        }
    )
    return html_table(df, text=f"（重点项目投资进度：{len(df)} 行）", narrow=("状态", "时序进度", "与时序进度差"))


def monthly_openings_view(m: ReportModel) -> HTMLTable:
    """Planned new starts started and planned completions completed, to the month's end."""
    mb = m.monthly
    if mb is None:
        return _no_monthly("开工与竣工")
    o = mb.openings
    df = pd.DataFrame(
        {
            "事项": o["item"],
            "全年计划（个）": o["planned"].map(str),
            "按计划截至本月应完成（个）": o["due"].map(str),
            "截至本月已完成（个）": o["done"].map(str),
            "占全年计划": to_percent(o["rate"]).map(lambda v: fmt_value(v, "%", 1)),
        }
    )
    return html_table(df, text=f"（开工与竣工：{len(df)} 行）")


def monthly_behind_view(m: ReportModel) -> HTMLTable:
    """The projects behind time progress, unit by unit (most behind first)."""
    mb = m.monthly
    if mb is None:
        return _no_monthly("落后项目分单位")
    b = mb.behind
    if b.empty:
        return HTMLTable('<p class="hz-empty">本月没有投资进度落后于时序进度的项目。</p>', "（落后项目分单位：0 个单位）", pd.DataFrame())
    df = pd.DataFrame(
        {
            "责任单位": b["unit"],
            "重点项目（个）": b["projects"].map(str),
            "落后项目（个）": b["behind"].map(str),
            "落后项目（落后时序进度）": b["behind_projects"],
        }
    )
    return html_table(df, text=f"（落后项目分单位：{len(df)} 个单位）", min_ems={"责任单位": 5})


def monthly_statistics_view(m: ReportModel) -> HTMLTable:
    """The statistics published for the month (cumulative, as published), with the annual target for reference."""
    mb = m.monthly
    if mb is None:
        return _no_monthly("本月统计数据")
    st = mb.statistics
    if st.empty:
        return HTMLTable(f'<p class="hz-empty">{escape(mb.month.label_zh())}没有公布的统计数据。</p>', "（本月统计数据：0 行）", pd.DataFrame())
    df = pd.DataFrame(
        {
            "地区": st["jurisdiction"],
            "指标": st["indicator_zh"],
            "累计值（亿元）": wan_to_yi(st["level"].astype(float)).map(lambda v: fmt_number(v, 2)),
            "累计增速（%）": st["cum_yoy"].map(lambda v: fmt_number(v, 1)),
            "年度目标（参考）": st["target"].map(lambda v: fmt_value(v, "%", 1)),
        }
    )
    return html_table(df, text=f"（本月统计数据：{len(df)} 行）")


#: Rows of a derivation listed in the HTML bulletin; the full list is in the workbook's 溯源 sheet.
DERIVATION_ROWS_SHOWN = 20
#: Rows of a derivation listed in the printed appendix (附录：数字来源).
PRINT_ROWS_SHOWN = 5
#: The row columns a drill-down lists (on screen; the printed appendix leaves out the last two).
_SHOWN_ROWS = ["role", "project_id", "name", "unit", "value", "origin", "quantity", "source_column"]
_PRINT_ROWS = _SHOWN_ROWS[:6]
_ALL_ROWS = "全部行见 Excel 通报的“溯源”表或 hz explain"


def ref_mark(n: int | None) -> str:
    """A derivation's number as the bulletin prints it next to its figure.

    >>> ref_mark(3), ref_mark(None)
    ('〔3〕', '')
    """
    return "" if n is None else f"〔{n}〕"


def derivation_refs(m: ReportModel) -> dict[tuple[str, str], int]:
    """The numbers 〔n〕 of the derivations the bulletin shows, in reading order: the quarterly
    bulletin's judged targets, then its other targets that have a figure (as :func:`targets_view`
    lists them), then the units (as :func:`units_view`), then the opening sentences' figures over all
    key projects. Keys ``("target", target_id)``, ``("unit", unit)`` and ``("total", name)``."""
    keys: list[tuple[str, str]] = []
    if m.monthly is None:
        t = m.targets
        judged = t["status"].isin(JUDGED)
        keys += [("target", str(x)) for x in t.loc[judged, "target_id"]]
        # a target without a figure (未到期 or 无数据: its reason is in the table) has nothing to trace
        keys += [("target", str(x)) for x in t.loc[~judged & t["actual"].notna(), "target_id"]]
    if not m.units.empty:
        keys += [("unit", str(x)) for x in m.units.index]
    if m.monthly is None:
        keys += [("total", k) for k in m.total_derivations()]
    return {k: i for i, k in enumerate(dict.fromkeys(keys), 1)}


def _drill(m: ReportModel, key: tuple[str, str]) -> tuple[str, list[Any], pd.DataFrame, str]:
    """A numbered figure's title, its derivations, the rows behind it and the plan's words."""
    kind, name = key
    if kind == "target":
        ds = m.derivations(name)
        head = ds[0]
        return f"{head.label}：{head.shown}", ds, head.rows, head.quote
    if kind == "total":
        d = m.total_derivations()[name]
        return f"{d.label}：{d.shown}", [d], d.rows, ""
    ds = m.unit_derivations(name)
    rows = next((d.rows for d in ds if len(d.rows)), pd.DataFrame())
    return name, ds, rows, ""


def _drill_parts(ds: list[Any], rows: pd.DataFrame, quote: str, limit: int, columns: list[str]) -> str:
    """Formula lines, the plan's words and at most ``limit`` rows (with a line saying where the rest are)."""
    lines = [
        f"<li><b>{escape(d.figure_zh)}</b> "
        + (escape(d.formula) if d.formula.startswith(d.shown) else f"{escape(d.shown)}：{escape(d.formula)}")
        + (f"（{escape(d.note)}）" if d.note and d.figure.startswith("score:") else "")
        + "</li>"
        for d in ds
    ]
    parts = [f'<ul class="hz-derivation">{"".join(lines)}</ul>']
    if quote:
        parts.append(f'<p class="hz-quote">计划原文：{escape(quote)}</p>')
    if len(rows):
        view = rows.head(limit).reindex(columns=columns).copy()
        view["value"] = view["value"].map(lambda v: "—" if _missing(v) else fmt_number(float(v)))
        parts.append(html_table(view.rename(columns=ROW_COLUMNS_ZH)).data)
        if len(rows) > limit:
            parts.append(f'<p class="hz-note">共 {len(rows)} 行，此处列出前 {limit} 行；{_ALL_ROWS}。</p>')
    return "".join(parts)


def _drill_view(m: ReportModel, keys: list[tuple[str, str]], limit: int, text: str) -> HTMLTable:
    numbers = derivation_refs(m)
    blocks = []
    for key in keys:
        title, ds, rows, quote = _drill(m, key)
        body = _drill_parts(ds, rows, quote, limit, _SHOWN_ROWS)
        blocks.append(f"<details><summary>{ref_mark(numbers.get(key))} {escape(title)}</summary>{body}</details>")
    html = f'<div class="hz-derivations screen-only">{"".join(blocks)}</div>'
    what = {"target": "目标编号", "unit": "单位", "total": "全部重点项目"}[keys[0][0]] if keys else "目标编号"
    frame = pd.DataFrame({"编号": [numbers.get(k) for k in keys], what: [k[1] for k in keys]})
    return HTMLTable(html, text, frame)


def derivations_view(m: ReportModel, which: str = "judged", limit: int = DERIVATION_ROWS_SHOWN) -> HTMLTable:
    """Each target's figures with their derivation, one ``<details>`` per target (opens without
    JavaScript, offline), titled with its number 〔n〕 (:func:`derivation_refs`): formula, the plan's
    words, and at most ``limit`` contributing rows with their file and row; the full list is in the
    Excel 溯源 sheet (``which`` as :func:`targets_view`). Hidden in print, where
    :func:`derivations_appendix` lists the same derivations."""
    t = m.targets
    ids = t.loc[t["status"].isin(JUDGED) if which == "judged" else ~t["status"].isin(JUDGED), "target_id"].tolist()
    return _drill_view(m, [("target", str(x)) for x in ids], limit, f"（数字溯源：{len(ids)} 项目标）")


def total_derivations_view(m: ReportModel, limit: int = DERIVATION_ROWS_SHOWN) -> HTMLTable:
    """The opening sentences' figures over all key projects (completion against time progress, new
    starts begun), one ``<details>`` each, as :func:`derivations_view`; the FAI growth sentence's
    number is its target's."""
    keys = [("total", k) for k in m.total_derivations()] if m.monthly is None else []
    return _drill_view(m, keys, limit, f"（数字溯源：{len(keys)} 项全部重点项目的数）")


def unit_derivations_view(m: ReportModel, limit: int = DERIVATION_ROWS_SHOWN) -> HTMLTable:
    """Each unit's line (rates, status, assessment items, rank) with its derivation, one ``<details>``
    per unit, as :func:`derivations_view`."""
    units = [str(x) for x in m.units.index] if not m.units.empty else []
    return _drill_view(m, [("unit", u) for u in units], limit, f"（数字溯源：{len(units)} 个单位）")


def derivations_appendix(m: ReportModel, limit: int = PRINT_ROWS_SHOWN) -> HTMLTable:
    """附录：数字来源, for print only (``class="print-only"``, hidden on screen): every numbered
    derivation (:func:`derivation_refs`) in number order, with at most ``limit`` rows each."""
    numbers = derivation_refs(m)
    items = []
    for key, n in numbers.items():
        title, ds, rows, quote = _drill(m, key)
        items.append(f'<div class="hz-appendix-item"><h4>{ref_mark(n)} {escape(title)}</h4>{_drill_parts(ds, rows, quote, limit, _PRINT_ROWS)}</div>')
    intro = f"正文中标有〔n〕的数字，其算式、计划原文和所依据的数据行（每项至多列出前 {limit} 行；{_ALL_ROWS}）。"
    html = (f'<section class="hz-appendix print-only"><h3>附录：数字来源</h3><p class="hz-note">{intro}</p>{"".join(items)}</section>') if items else ""
    frame = pd.DataFrame({"编号": list(numbers.values()), "对象": [k[1] for k in numbers]})
    return HTMLTable(html, f"（附录：数字来源，{len(items)} 项，仅打印）", frame)
