"""The report's tables as numbers (for Excel and csv), from a :class:`~hzlib.report.model.ReportModel`.

Numbers stay numbers, units are in the Chinese headers (``完成投资（万元）``, ``开工率（%）``),
and every table is read from the model: the workbook shows the same figures as the page.
"""

from __future__ import annotations

import pandas as pd

from ..arithmetic import Status
from ..contracts import BATCH_ZH, LEVEL_ZH
from ..evaluate.derivation import derive_all, provenance_sheet
from ..glossary import CUMULATIVE_ZH
from ..scoring.tables import item_table
from ..units import to_percent, wan_to_yi
from .model import ReportModel

__all__ = ["excel_tables", "targets_numeric", "units_numeric", "monthly_tables"]


def targets_numeric(m: ReportModel) -> pd.DataFrame:
    t = m.targets
    return pd.DataFrame(
        {
            "目标编号": t["target_id"],
            "目标": t["label"],
            "范围": t["scope"],
            "口径": t["basis_zh"],
            "单位": t["unit"],
            "全年目标": t["annual_value"],
            "本期目标": t["checkpoint"],
            "实际": t["actual"],
            "差距": t["gap"],
            "差距单位": t["gap_unit"].replace({"pp": "百分点"}),
            "状态": t["status_zh"],
            "其余季度所需增速（%）": t["required_growth"],
            "年末预计": t["projection"],
            "预计方法": t["projection_method"],
            "尚差及剩余期限": t["remaining"] if "remaining" in t.columns else "",
            "说明": t["note"],
        }
    )


def units_numeric(m: ReportModel) -> pd.DataFrame:
    u = m.units.reset_index()
    key = u.columns[0]
    return pd.DataFrame(
        {
            "责任单位": u[key],
            "项目数（个）": u["projects"],
            "新开工项目（个）": u["new_starts"],
            "已开工（个）": u["new_started"],
            "开工率（%）": to_percent(u["start_rate"]),
            "手续办结（个）": u["new_procedures_done"],
            "前期手续办结率（%）": to_percent(u["procedure_rate"]),
            "年度计划投资（万元）": u["annual_plan"],
            "完成投资（万元）": u["completed_cum"],
            "计划投资完成率（%）": to_percent(u["invest_completion"]),
            "与时序进度差（百分点）": u["invest_gap_pp"],
            "完成率状态": [Status(s).zh for s in u["invest_status"]],
            "计划竣工（个）": u["planned_completions"],
            "已竣工（个）": u["completions"],
        }
    )


def _actions(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    cols = {
        "project_id": "项目编号",
        "name": "项目名称",
        "unit": "责任单位",
        "level": "级别",
        "planned_start": "计划开工时间",
        "planned_completion": "计划竣工时间",
        "annual_plan": "年度计划投资（万元）",
        "completed_cum": "完成投资（万元）",
    }
    out = df[[c for c in cols if c in df.columns]].rename(columns=cols).reset_index(drop=True)
    if "级别" in out.columns:
        out["级别"] = out["级别"].map(LEVEL_ZH).fillna("")
    if kind == "behind":
        out["完成率（%）"] = to_percent(df["completion_ratio"]).to_numpy()
        out["落后时序进度（百分点）"] = (-df["gap_pp"]).to_numpy()
    for c in ("计划开工时间", "计划竣工时间"):
        if c in out.columns:
            out[c] = pd.to_datetime(out[c]).dt.date
    return out


def excel_tables(m: ReportModel) -> dict[str, pd.DataFrame]:
    """Sheet name → table, in the bulletin's order."""
    if m.monthly is not None:  # 月通报: its own, shorter set of tables
        return monthly_tables(m)
    tables: dict[str, pd.DataFrame] = {
        "说明": pd.DataFrame({"项目": ["计划", "期别", "数据截至", "说明"], "内容": [m.plan.title, m.period_zh, m.data_end_zh, m.banner]}),
        "目标完成情况": targets_numeric(m),
    }
    tr = m.indicators
    if not tr.empty:
        tables["统计指标"] = pd.DataFrame(
            {
                "地区": tr["jurisdiction"],
                "指标": tr["indicator_zh"],
                **{f"{CUMULATIVE_ZH[q]}（%）": tr[f"q{q}"] for q in range(1, 5)},
                "年度目标（%）": tr["target"],
                "状态": [Status(s).zh if s else "" for s in tr["status"]],
            }
        )
    if not m.units.empty:
        tables["分单位完成情况"] = units_numeric(m)
    rk = m.ranking
    if not rk.empty and m.scores is not None:  # the plan's own rule: ranks, scores and awards
        tables["排名"] = pd.DataFrame(
            {
                "类别": rk["kind_zh"],
                "排名": rk["rank"],
                "单位": rk["unit"],
                "评价": rk["award"],
                "得分": rk["total"],
                "标准分值": rk["max_total"],
                "说明": rk["note"],
            }
        )
        tables["排名依据"] = pd.DataFrame({"排名依据": [m.ranking_basis]})
    elif not rk.empty:  # no ranking scheme: the units' progress in order, without ranks or awards
        tables["分单位进度排列"] = pd.DataFrame(
            {
                "类别": rk["kind_zh"],
                "单位": rk["unit"],
                "计划投资完成率（%）": to_percent(rk["invest_completion"]),
                "开工率（%）": to_percent(rk["start_rate"]),
                "前期手续办结率（%）": to_percent(rk["procedure_rate"]),
                "说明": rk["note"],
            }
        )
        tables["排列依据"] = pd.DataFrame({"排列依据": [m.ranking_basis]})
    if m.scores is not None:
        tables["评分明细"] = item_table(m.scores.result)
    names = {"not_started": "未开工项目", "behind": "投资进度落后项目", "missed_completion": "计划竣工未竣工项目"}
    for kind, df in m.actions.items():
        tables[names[kind]] = _actions(df, kind)
    if not m.batches.empty:
        b = m.batches
        tables["四个一批"] = pd.DataFrame(
            {
                "类别": b["batch_zh"].values,
                "项目数（个）": b["projects"].values,
                "总投资（万元）": b["total_investment"].values,
                "年度计划投资（万元）": b["annual_plan"].values,
                "完成投资（万元）": b["completed_cum"].values,
            }
        )
    if m.project_list:
        summ = m.project_list["summary"]
        tables["高质量项目清单"] = pd.DataFrame(
            {"类别": summ["label"], "项目数（个）": summ["projects"], "总投资（亿元）": wan_to_yi(summ["total_investment"])}
        )
        out = m.project_list["outside"]
        cols = {
            "project_id": "项目编号",
            "name": "项目名称",
            "unit": "责任单位",
            "total_investment": "总投资（万元）",
            "total_investment_usd": "外资总投资（万美元）",
            "reason": "原因",
        }
        tables["未入清单项目"] = out[[c for c in cols if c in out.columns]].rename(columns=cols)
        mm = m.project_list["mismatch"]
        if len(mm):
            labels = {c.id: c.label for c in (m.plan.project_list.classes if m.plan.project_list else [])}
            tables["类别不一致项目"] = pd.DataFrame(
                {
                    "项目编号": mm["project_id"].values,
                    "台账类别": mm["batch"].map(lambda v: BATCH_ZH.get(v, v)).values,
                    "按规则应为": mm["list_class"].map(labels).values,
                    "计划开工年份": mm["start_year"].values,
                    "计划竣工年份": mm["completion_year"].values,
                }
            )
    d = m.deviations
    if not d.empty:
        tables["偏离度"] = pd.DataFrame({"偏离维度": d["label"], "判断": d["judgement"], "依据的目标（本期）": d["detail"], "说明": d["description"]})

    tables["溯源"] = provenance_sheet(derive_all(m.evaluation))  # each figure's formula and the rows behind it
    notes = m.data_notes
    tables["数据核查提示"] = pd.DataFrame(
        {
            "文件": [p.file for p in notes],
            "行": [p.row for p in notes],
            "列": [p.column or "" for p in notes],
            "说明": [p.message for p in notes],
        }
    )
    return tables


def monthly_tables(m: ReportModel) -> dict[str, pd.DataFrame]:
    """The monthly bulletin's tables (月通报, :mod:`hzlib.report.monthly`): sheet name → table."""
    mb = m.monthly
    assert mb is not None
    p, o, b, st = mb.progress, mb.openings, mb.behind, mb.statistics
    tables: dict[str, pd.DataFrame] = {
        "说明": pd.DataFrame(
            {
                "项目": ["计划", "期别", "数据截至", "说明", *[f"要点{i + 1}" for i in range(len(mb.sentences))]],
                "内容": [m.plan.title, m.period_zh, m.data_end_zh, m.banner, *mb.sentences],
            }
        ),
        "重点项目投资进度": pd.DataFrame(
            {
                "范围": p["scope"],
                "项目数（个）": p["projects"],
                "年度计划投资（万元）": p["annual_plan"],
                "累计完成投资（万元）": p["completed_cum"],
                "完成年度计划（%）": to_percent(p["completion"]),
                "时序进度（%）": to_percent(p["time_progress"]),
                "与时序进度差（百分点）": p["gap_pp"],
                "状态": [Status(s).zh for s in p["status"]],
            }
        ),
        "开工与竣工": pd.DataFrame(
            {
                "事项": o["item"],
                "全年计划（个）": o["planned"],
                "按计划截至本月应完成（个）": o["due"],
                "截至本月已完成（个）": o["done"],
                "占全年计划（%）": to_percent(o["rate"]),
            }
        ),
        "落后项目分单位": pd.DataFrame(
            {"责任单位": b["unit"], "重点项目（个）": b["projects"], "落后项目（个）": b["behind"], "落后项目（落后时序进度）": b["behind_projects"]}
        ),
    }
    if not m.units.empty:
        tables["分单位完成情况"] = units_numeric(m)
    if not st.empty:
        tables["本月统计数据"] = pd.DataFrame(
            {
                "地区": st["jurisdiction"],
                "指标": st["indicator_zh"],
                "累计值（万元）": st["level"],
                "累计增速（%）": st["cum_yoy"],
                "年度目标（%，参考）": st["target"],
            }
        )
    names = {"not_started": "未开工项目", "behind": "投资进度落后项目", "missed_completion": "计划竣工未竣工项目"}
    for kind, df in m.actions.items():
        tables[names[kind]] = _actions(df, kind)
    notes = m.data_notes
    tables["数据核查提示"] = pd.DataFrame(
        {
            "文件": [n.file for n in notes],
            "行": [n.row for n in notes],
            "列": [n.column or "" for n in notes],
            "说明": [n.message for n in notes],
        }
    )
    return tables
