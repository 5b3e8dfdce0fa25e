"""Assemble the quarterly bulletin (季度通报) and the evaluation views from the numbers.

Everything a reader sees is computed here from the plan, the data and the
evaluation; sentences are written from the numbers, never typed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .arithmetic import DEFAULT_NEAR_PP, completion_vs_schedule
from .contracts import BATCH_ZH
from .data import LoadedData, latest_quarter, load_data
from .evaluate import projects as pj
from .evaluate.engine import Evaluation, evaluate
from .notebook import Chart
from .periods import Period
from .plan import load_plan
from .plan.schema import Measure, Plan
from .present import (
    ILLUSTRATIVE_NOTE,
    evaluation_display,
    evaluation_numeric,
    html_table,
    project_list_display,
    unit_rates_display,
    unit_rates_numeric,
)
from .textfmt import fmt_number

__all__ = ["Bulletin", "build_bulletin", "rank_units", "deviation_table", "resolve_quarter"]


def resolve_quarter(plan: Plan, loaded: LoadedData, quarter: str) -> str:
    return latest_quarter(loaded.data, plan.year) if quarter == "latest" else quarter


def rank_units(units: pd.DataFrame) -> pd.DataFrame:
    """Rank units by start rate, procedure rate and completion against time progress.

    Each rate ranks units that have something to measure (denominator > 0);
    the overall rank orders units by the mean of their ranks (lower is better),
    ties broken by name. Returns rows best first.
    """
    if units.empty:
        return pd.DataFrame()
    u = units.copy()
    ranks = pd.DataFrame(index=u.index)
    for col, den in (("start_rate", "new_starts"), ("procedure_rate", "new_starts"), ("invest_completion", "annual_plan")):
        vals = u[col].where(u[den] > 0)
        ranks[col] = vals.rank(ascending=False, method="min")
    u["mean_rank"] = ranks.mean(axis=1, skipna=True)
    u = u[u["mean_rank"].notna()]
    u = u.assign(_name=u.index.astype(str)).sort_values(["mean_rank", "_name"]).drop(columns="_name")
    u["overall_rank"] = range(1, len(u) + 1)
    return u


def _pct(x: float, digits: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x * 100:.{digits}f}%"


def deviation_table(plan: Plan, ev: Evaluation) -> pd.DataFrame:
    """The 汉中 2023 six deviations: measured where the data allows, else why not."""
    if not plan.deviations:
        return pd.DataFrame()
    st = ev.status
    rows = []
    tp = float(ev.period.progress)
    for d in plan.deviations:
        label = d.label
        value, judgement = "", ""
        if st.empty:
            value, judgement = "—", "无项目台账，无法计算"
        elif "推进" in label:
            new = st[st.get("is_new_start", False).astype(bool)] if "is_new_start" in st else st.iloc[0:0]
            cont = st[~st["is_new_start"].astype(bool)] if "is_new_start" in st else st
            sr = new["started"].mean() if len(new) else math.nan
            cr = cont["completed_cum"].sum() / cont["annual_plan"].sum() if len(cont) and cont["annual_plan"].sum() > 0 else math.nan
            value = f"新建项目开工率 {_pct(sr)}；续建项目投资完成率 {_pct(cr)}（时序进度 {tp:.0%}）"
            judgement = "偏离" if (not math.isnan(cr) and cr < tp - DEFAULT_NEAR_PP / 100) else "基本正常"
        elif "投资结构" in label:
            sh = pj.ownership_shares(st)["private_share"]
            value = f"民间投资占比 {_pct(sh)}（目标 ≥60%）"
            judgement = "偏离" if not math.isnan(sh) and sh < 0.6 else ("基本正常" if not math.isnan(sh) else "无法计算")
        elif "产业结构" in label:
            sh = pj.ownership_shares(st)["industry_share"]
            value = f"产业项目投资占比 {_pct(sh)}（目标 ≥60%）"
            judgement = "偏离" if not math.isnan(sh) and sh < 0.6 else ("基本正常" if not math.isnan(sh) else "无法计算")
        elif "链" in label:
            if "chain" in st.columns:
                on = st["chain"].astype("string").fillna("").str.len() > 0
                total = st["completed_cum"].sum()
                sh = st.loc[on, "completed_cum"].sum() / total if total > 0 else math.nan
                value = f"重点产业链项目 {int(on.sum())} 个，投资占比 {_pct(sh)}"
                judgement = "供参考"
            else:
                value, judgement = "—", "台账无产业链字段，无法计算"
        elif "效益" in label:
            if "profit_tax_rate" in st.columns and st["profit_tax_rate"].notna().any():
                done = st[st["completed"] & st["profit_tax_rate"].notna()]
                value = f"已竣工项目 {len(done)} 个，平均利税率 {_pct(done['profit_tax_rate'].mean())}" if len(done) else "本期无已竣工且有利税数据的项目"
                judgement = "供参考"
            else:
                value, judgement = "—", "台账无利税数据，无法计算"
        else:
            value, judgement = "—", "无法由台账或统计数据计算（需督查评价）"
        rows.append({"偏离维度": label, "测算结果": value, "判断": judgement, "说明": d.description})
    return pd.DataFrame(rows)


@dataclass
class Bulletin:
    plan: Plan
    period: Period
    evaluation: Evaluation
    loaded: LoadedData
    heading: str
    sentences: list[str]
    illustrative: bool
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # numeric, for Excel
    display: dict[str, Any] = field(default_factory=dict)  # HTML tables for the page
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def summary_markdown(self) -> str:
        lines = [f"- {s}" for s in self.sentences]
        if self.illustrative:
            lines.append(f"\n> {ILLUSTRATIVE_NOTE}")
        return "\n".join(lines)

    @property
    def overall_status(self) -> str:
        s = self.evaluation.summary()
        if s.get("missed", 0):
            return "missed"
        if s.get("near", 0):
            return "near"
        return "met" if s.get("met", 0) else "no_data"


def _growth_series(ev: Evaluation, data: Any, indicator: str, jurisdiction: str) -> list[float | None]:
    ind = data.indicators
    out: list[float | None] = []
    for q in range(1, 5):
        p = Period(ev.period.year, 3 * q, "quarter")
        if q > ev.period.quarter or ind.empty:
            out.append(None)
            continue
        labels = {p.label(), f"{p.year}-{p.end_month:02d}"}
        sel = ind[(ind["indicator"] == indicator) & (ind["jurisdiction"] == jurisdiction) & ind["period"].astype(str).isin(labels)]
        out.append(float(sel["cum_yoy"].iloc[-1]) * 100 if len(sel) and pd.notna(sel["cum_yoy"].iloc[-1]) else None)
    return out


def _project_list_section(b: Bulletin, plan: Plan, ev: Evaluation) -> None:
    """The plan's project list (汉中 2022 附件2): classes, projects outside it and class disagreements."""
    from .evaluate.classify import list_mismatches, list_summary

    rule = plan.project_list
    assert rule is not None
    pl = ev.project_list
    summ = list_summary(pl, rule)
    by = summ.set_index("class")
    classes = sorted(rule.classes, key=lambda c: c.priority)
    n_in = int(pl["in_list"].fillna(False).astype(bool).sum())
    parts = "、".join(f"{c.label}{int(by.at[c.id, 'projects'])}个" for c in classes)
    s = f"按{rule.label}入库规则，台账{len(pl)}个项目中{n_in}个纳入清单（{parts}）"
    n_out, n_und = int(by.at["outside", "projects"]), int(by.at["undecided", "projects"])
    if n_out:
        foreign_out = int((pl["in_list"].eq(False).fillna(False).astype(bool) & pl.get("ownership", pd.Series("", index=pl.index)).eq("foreign")).sum())
        s += f"，{n_out}个未达到入库门槛" + (f"（其中外资项目{foreign_out}个）" if foreign_out else "")
    if n_und:
        s += f"，{n_und}个无法判定"
    labels = {c.id: c.label for c in classes}
    combos = pl.loc[pl["matched"].str.contains("+", regex=False), ["matched", "list_class"]].value_counts(sort=False)
    for (matched, klass), k in combos.items():
        both = "、".join(labels[x] for x in matched.split("+"))
        s += f"；{k}个项目同时符合{both}，" + (f"按优先次序归入{labels[klass]}" if rule.exclusive else "各类分别计数")
    b.sentences.append(s + "。")
    table = pd.DataFrame(
        {
            "类别": summ["label"],
            "项目数（个）": summ["projects"],
            "总投资（亿元）": (summ["total_investment"] / 1e4).round(2),
        }
    )
    b.tables["高质量项目清单"] = table
    b.display["project_list"] = html_table(table, text=f"（{rule.label}：{len(table)} 行）")
    out = pl[pl["reason"].ne("")]
    cols = {"project_id": "项目编号", "name": "项目名称", "unit": "责任单位", "total_investment": "总投资（万元）",
            "total_investment_usd": "外资总投资（万美元）", "reason": "原因"}
    shown = out[[c for c in cols if c in out.columns]].rename(columns=cols)
    b.tables["未入清单项目"] = shown
    readable = shown.copy()
    for c in ("总投资（万元）", "外资总投资（万美元）"):
        if c in readable.columns:
            readable[c] = readable[c].map(lambda v: fmt_number(v, 0))
    b.display["project_list_outside"] = html_table(readable, text=f"（未入清单或无法判定：{len(shown)} 个）")
    mm = list_mismatches(pl)
    if len(mm):
        mshown = pd.DataFrame(
            {
                "项目编号": mm["project_id"],
                "项目名称": mm.get("name", ""),
                "台账类别": mm["batch"].map(lambda v: BATCH_ZH.get(v, v)),
                "按规则应为": mm["list_class"].map(labels),
                "计划开工年份": mm["start_year"],
                "计划竣工年份": mm["completion_year"],
            }
        )
        b.tables["类别不一致项目"] = mshown
        b.display["project_list_mismatch"] = html_table(mshown, text=f"（台账类别与清单规则不一致：{len(mshown)} 个）")


def build_bulletin(plan_id: str, quarter: str, data_dir: str | Path | None = None, *, loaded: LoadedData | None = None) -> Bulletin:
    """Everything the bulletin shows, for one plan and quarter (``loaded``: data already read)."""
    from . import charts
    from .charts_style import setup_matplotlib

    setup_matplotlib()
    plan = load_plan(plan_id)
    if loaded is None:
        loaded = load_data(plan_id, data_dir, year=plan.year)
    q = resolve_quarter(plan, loaded, quarter)
    ev = evaluate(plan, q, loaded.data)
    period = ev.period
    pzh = period.label_zh()
    t = ev.targets
    summ = ev.summary()
    judged = summ["met"] + summ["near"] + summ["missed"]
    sentences = [
        f"{pzh}，{plan.jurisdiction}《{plan.title}》共 {len(t)} 项量化目标，本期可考核 {judged} 项："
        f"达标 {summ['met']} 项、基本达标 {summ['near']} 项、未达标 {summ['missed']} 项；"
        f"未到期 {summ['pending']} 项，缺少数据 {summ['no_data']} 项。"
    ]
    # headline growth
    g = t[(t["indicator"] == "fai") & (t["measure"] == "growth")]
    if len(g) and not pd.isna(g["actual"].iloc[0]):
        r = g.iloc[0]
        diff = r["actual"] - r["checkpoint"]
        rel = "高于" if diff > 0 else ("低于" if diff < 0 else "持平于")
        s = f"全社会固定资产投资累计增长{fmt_number(r['actual'], 1)}%，{rel}年度目标（{fmt_number(r['checkpoint'], 1)}%）"
        s += f"{fmt_number(abs(diff), 1)}个百分点" if diff != 0 else ""
        if not pd.isna(r["required_growth"]):
            s += f"；完成全年目标，其余季度需增长{fmt_number(r['required_growth'], 1)}%"
        sentences.append(s + "。")
    st = ev.status
    if not st.empty:
        tot = ev.totals
        chk = completion_vs_schedule(float(tot["completed_cum"]) / 1e4, float(tot["annual_plan"]) / 1e4, period, plan.tolerances.near_pp)
        sentences.append(chk.sentence_zh(unit="亿元", period_zh=f"{pzh}全部{int(tot['projects'])}个重点项目") + "。")
        if tot["new_starts"] > 0:
            ns = int(tot["new_starts"])
            started = int(tot["new_started"])
            sentences.append(f"{ns}个计划新开工项目已开工{started}个，开工率{started / ns * 100:.1f}%，尚有{ns - started}个未开工。")
    ranked = rank_units(ev.units)
    red, snail = [], []
    if len(ranked) >= 2:
        k = min(3, len(ranked) // 2)
        red = list(ranked.index[:k].astype(str))
        snail = list(ranked.index[-k:].astype(str))[::-1]
        sentences.append(f"综合排名前{k}名（红旗）：{'、'.join(red)}；后{k}名（蜗牛）：{'、'.join(snail)}。")
    heading = f"# {plan.jurisdiction}{plan.year}年重点项目建设季度通报\n\n## {pzh}（截至{period.end_date.month}月{period.end_date.day}日，时序进度{float(period.progress):.0%}）"
    b = Bulletin(plan, period, ev, loaded, heading, sentences, ev.illustrative)

    # tables
    b.tables["目标完成情况"] = evaluation_numeric(t)
    judged_rows = t[t["status"].isin(["met", "near", "missed"])]
    b.display["targets"] = html_table(evaluation_display(judged_rows), text=f"（本期考核目标：{len(judged_rows)} 项）")
    other = t[~t["status"].isin(["met", "near", "missed"])]
    b.display["other_targets"] = html_table(evaluation_display(other), text=f"（未到期或缺数据目标：{len(other)} 项）")
    b.charts["status"] = Chart(charts.status_chart(summ), "目标完成情况")
    # growth charts
    growth_charts = []
    for r in t[(t["measure"] == "growth") & t["actual"].notna()].itertuples():
        tgt = plan.target(r.target_id)
        series = _growth_series(ev, loaded.data, r.indicator, tgt.scope.jurisdiction)
        if sum(v is not None for v in series) == 0:
            continue
        cps = [tgt.value] * 4
        fig = charts.growth_chart(f"{r.label}（累计同比）", series, cps, r.required_growth, period.quarter)
        growth_charts.append(Chart(fig, r.label))
        if len(growth_charts) >= 6:
            break
    b.charts["growth"] = growth_charts
    if not ev.units.empty:
        u = ev.units
        b.tables["分单位完成情况"] = unit_rates_numeric(u)
        b.display["units"] = html_table(unit_rates_display(u), text=f"（分单位：{len(u)} 个）")
        start_targets = [x for x in plan.targets if x.indicator == "start_rate" and x.measure is Measure.RATE]
        ms = None
        if start_targets:
            cpv = t.loc[t["target_id"] == start_targets[0].id, "checkpoint"]
            ms = float(cpv.iloc[0]) if len(cpv) and not pd.isna(cpv.iloc[0]) else None
        has_new = u[u["new_starts"] > 0]
        if len(has_new):
            b.charts["start_rate"] = Chart(
                charts.unit_rate_chart(list(has_new.index.astype(str)), list(has_new["start_rate"] * 100), ms, "分单位新开工项目开工率（%）"),
                "分单位开工率",
            )
        has_plan = u[u["annual_plan"] > 0]
        b.charts["completion"] = Chart(
            charts.completion_chart(list(has_plan.index.astype(str)), list(has_plan["invest_completion"] * 100), float(period.progress), plan.tolerances.near_pp),
            "计划投资完成率与时序进度",
        )
        if len(ranked):
            rk = ranked.reset_index()
            key = rk.columns[0]
            rank_tbl = pd.DataFrame(
                {
                    "排名": rk["overall_rank"],
                    "责任单位": rk[key],
                    "开工率（%）": rk["start_rate"] * 100,
                    "前期手续办结率（%）": rk["procedure_rate"] * 100,
                    "计划投资完成率（%）": rk["invest_completion"] * 100,
                    "平均名次": rk["mean_rank"],
                }
            )
            b.tables["综合排名"] = rank_tbl
            disp = rank_tbl.copy()
            for c in ("开工率（%）", "前期手续办结率（%）", "计划投资完成率（%）"):
                disp[c] = disp[c].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}")
            disp["平均名次"] = disp["平均名次"].map(lambda v: f"{v:.1f}")
            disp.insert(0, "评价", ["红旗" if n in red else ("蜗牛" if n in snail else "") for n in disp["责任单位"].astype(str)])
            b.display["ranking"] = html_table(disp, text=f"（综合排名：{len(disp)} 个单位）")
        ns = pj.not_started(st)
        bh = pj.behind_schedule(st, plan.tolerances.near_pp)
        mc = pj.missed_completions(st)
        for key, frame, kind, name in (
            ("not_started", ns, "not_started", "未开工项目（攻坚台账）"),
            ("behind", bh, "behind", "投资进度落后项目"),
            ("missed_completion", mc, "missed", "计划竣工未竣工项目"),
        ):
            shown = project_list_display(frame, kind)
            b.tables[name] = shown
            b.display[key] = html_table(shown, text=f"（{name}：{len(shown)} 个）")
        if "batch" in ev.status_all.columns:
            bs = pj.batch_summary(ev.status_all)
            b.charts["batches"] = Chart(charts.batch_chart(bs), "四个一批")
            b.tables["四个一批"] = pd.DataFrame(
                {
                    "类别": bs["batch_zh"],
                    "项目数（个）": bs["projects"],
                    "总投资（万元）": bs["total_investment"],
                    "年度计划投资（万元）": bs["annual_plan"],
                    "完成投资（万元）": bs["completed_cum"],
                }
            )
    if not ev.project_list.empty and plan.project_list is not None:
        _project_list_section(b, plan, ev)
    dev = deviation_table(plan, ev)
    if len(dev):
        b.tables["偏离度"] = dev
        b.display["deviation"] = html_table(dev, text=f"（偏离度：{len(dev)} 项）")
    notes = pd.DataFrame(
        {
            "文件": [p.file for p in loaded.problems],
            "行": [p.row if p.row is not None else "" for p in loaded.problems],
            "列": [p.column or "" for p in loaded.problems],
            "说明": [p.message for p in loaded.problems],
        }
    )
    b.tables["数据核查提示"] = notes
    b.display["data_notes"] = html_table(notes, text=f"（数据核查提示：{len(notes)} 条）")
    return b
