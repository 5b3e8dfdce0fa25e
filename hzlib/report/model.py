"""The report model: everything a quarterly report shows, computed once.

:func:`build_report` is a pure function of (plan, contract tables, period): it
evaluates every target once (:func:`hzlib.evaluate.evaluate`) and derives every
other section from that evaluation — the 偏离度 table from the targets each
deviation names, the units table from the same project status, the sentences
from the same numbers. Notebooks, HTML, PDF, Excel and the index only present a
:class:`ReportModel`; none of them evaluates, reads files or recomputes a figure,
so two places that show the same figure show the same number.

Reading files is :func:`hzlib.report.load.load_report` (the I/O edge).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from ..arithmetic import Status
from ..errors import Problem
from ..evaluate import projects as pj
from ..evaluate.coverage import Coverage, data_coverage, resolve_period
from ..evaluate.engine import Evaluation, EvaluationData, evaluate
from ..evaluate.measures import REGISTRY, effective_basis
from ..evaluate.status import judge
from ..periods import Period, period_ends
from ..plan.check import check_plan
from ..plan.schema import Basis, Comparator, Measure, Plan
from ..scoring.report import Scores, ScoringSetup, score_models
from ..targets import checkpoints_frame
from ..textfmt import fmt_number

__all__ = ["ReportModel", "build_report", "rank_units", "scores_ranking", "RANKING_COLUMNS", "JUDGED", "STATUS_ORDER"]

#: Statuses of targets judged at this period.
JUDGED = ("met", "near", "missed")
#: Worst first: the order in which statuses decide an overall judgement.
STATUS_ORDER = ("missed", "near", "met", "pending", "no_data", "n/a")
_QUARTER_ZH = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


@dataclass(frozen=True, eq=False)
class ReportModel:
    """One plan at one period: every number any page of the report shows."""

    plan: Plan
    requested: str  # the period asked for ("2019Q4", "latest")
    period: Period  # the period evaluated
    coverage: Coverage
    partial: bool  # the data ends before the requested period: evaluated at the data's end
    illustrative: bool  # sample data (示意数据): every page says so
    evaluation: Evaluation
    checkpoints: pd.DataFrame  # every target's checkpoint at the period (hzlib.targets.CHECKPOINT_COLUMNS)
    indicators: pd.DataFrame  # statistics by jurisdiction and indicator over the year (what the data says)
    units: pd.DataFrame  # per responsible unit: rates, their statuses
    ranking: pd.DataFrame
    deviations: pd.DataFrame
    batches: pd.DataFrame
    actions: dict[str, pd.DataFrame]  # not_started, behind, missed_completion
    sentences: tuple[str, ...]
    data_notes: tuple[Problem, ...]
    plan_notes: tuple[Problem, ...]
    project_list: dict[str, pd.DataFrame] = field(default_factory=dict)  # summary, outside, mismatch (plan's list rule)
    ranking_basis: str = ""  # how units were ranked, in Chinese
    scores: Scores | None = None  # the plan's assessment scoring, when it has rules (params/scoring/<plan>.yaml)
    start_target: str | None = None  # the target whose checkpoint the units' start rates are judged against
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def targets(self) -> pd.DataFrame:
        """The evaluation table (one row per target; :data:`hzlib.evaluate.engine.RESULT_COLUMNS`)."""
        return self.evaluation.targets

    @property
    def summary(self) -> dict[str, int]:
        return self.evaluation.summary()

    @property
    def overall_status(self) -> str:
        s = self.summary
        for st in ("missed", "near", "met"):
            if s.get(st, 0):
                return st
        return "no_data"

    @property
    def period_zh(self) -> str:
        return self.period.label_zh()

    @property
    def data_end_zh(self) -> str:
        return self.coverage.end_zh

    @property
    def assumed(self) -> bool:
        """A what-if scenario's model: its figures beyond the data are assumptions (情景假设)."""
        return bool(self.extra.get("assumed"))

    @property
    def heading(self) -> str:
        if self.assumed and isinstance(self.extra.get("heading"), str):
            return str(self.extra["heading"])
        p = self.period
        end = p.end_date
        head = f"{self.plan.jurisdiction}{self.plan.year}年重点项目建设季度通报"
        sub = f"{self.period_zh}（截至{end.month}月{end.day}日，时序进度{float(p.progress):.0%}）"
        return f"{head}｜{sub}"

    @property
    def banner(self) -> str:
        """What every page must say about the data: its end, a partial period, sample data (or, for a
        what-if scenario, that its figures are assumptions)."""
        if self.assumed and isinstance(self.extra.get("banner"), str):
            return str(self.extra["banner"])
        parts = [f"数据截至{self.data_end_zh}"]
        if self.partial:
            parts.append(f"所请求的{Period.parse(self.requested).label_zh()}尚无完整数据，本报告按截至{self.data_end_zh}的数据评价")
        if self.illustrative:
            parts.append("除注明来源者外为示意数据，不代表真实统计结果")
        return "；".join(parts) + "。"

    def target(self, target_id: str) -> pd.Series:
        rows = self.targets[self.targets["target_id"] == target_id]
        if rows.empty:
            raise KeyError(target_id)
        return rows.iloc[0]


# ----------------------------------------------------------------------------- sections


#: Columns of :attr:`ReportModel.ranking` (both bases).
RANKING_COLUMNS = ["unit", "unit_kind", "kind_zh", "rank", "award", "total", "max_total", "mean_rank", "rates_used",
                   "start_rate", "procedure_rate", "invest_completion", "incomplete", "note"]
_KIND_ZH = {"county": "县区", "district": "区", "zone": "园区", "department": "部门", "company": "企业", "town": "镇街", "": "全部单位"}


def _awards_by_rank(ranks: pd.Series, k: int) -> pd.Series:
    """红旗 for ranks 1..k, 蜗牛 for the last k ranks; a tie at the boundary takes everyone tied."""
    n = len(ranks)
    out = pd.Series("", index=ranks.index, dtype=object)
    if n < 2 or k <= 0:
        return out
    worst = ranks.rank(ascending=False, method="min")  # 1 = worst
    out[worst <= k] = "蜗牛"
    out[ranks <= k] = "红旗"
    return out


#: The rates units are ranked on when the plan gives no scoring rule: rate → (its denominator, Chinese name).
_RANKED_RATES = {"start_rate": ("new_starts", "开工率"), "procedure_rate": ("new_starts", "前期手续办结率"),
                 "invest_completion": ("annual_plan", "计划投资完成率")}


def ranked_rates(units: pd.DataFrame) -> dict[str, str]:
    """The ranking rates the ledger gives (rate → Chinese name): a rate no unit has (its columns
    are missing, see :func:`hzlib.evaluate.projects.rate_gaps`) is left out of the ranking, never counted as 0.

    >>> list(ranked_rates(pd.DataFrame({"start_rate": [0.5], "procedure_rate": [float("nan")], "invest_completion": [0.4]})))
    ['start_rate', 'invest_completion']
    """
    return {c: zh for c, (_, zh) in _RANKED_RATES.items() if c in units.columns and units[c].notna().any()}


def rank_units(units: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rank units like with like (counties with counties) by start rate, procedure rate and
    completion against time progress, when the plan gives no scoring rule.

    Each rate ranks only the units that have something to measure (denominator > 0 and a
    value); a rate no unit has (:func:`ranked_rates`) is not used at all. A unit's place is the
    mean of its ranks (lower is better); equal means share a rank (1, 2, 2, 4) and, at the
    红旗/蜗牛 boundary, all tied units are named; ``rates_used`` says on how many rates a unit
    was ranked, and ``note`` says when fewer than the rates used, so no unit is ranked on
    fewer rates without saying so.
    """
    if units.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    kinds = kinds or {}
    u = units.copy()
    u.index = u.index.astype(str)
    u["unit_kind"] = [kinds.get(x, "") for x in u.index]
    rates = ranked_rates(u)
    groups = []
    for _, g in u.groupby("unit_kind", sort=True):
        ranks = pd.DataFrame(index=g.index)
        for col in rates:
            ranks[col] = g[col].where(g[_RANKED_RATES[col][0]] > 0).rank(ascending=False, method="min")
        g = g.assign(rates_used=ranks.notna().sum(axis=1), mean_rank=ranks.mean(axis=1, skipna=True))
        g = g[g["mean_rank"].notna()]
        g = g.assign(rank=g["mean_rank"].rank(method="min").astype(int))
        # 红旗/蜗牛 only among units compared on every rate: a unit with fewer rates is ranked, not named
        full = g["rates_used"] == g["rates_used"].max()
        named = _awards_by_rank(g.loc[full, "rank"].rank(method="min"), min(3, int(full.sum()) // 2))
        g = g.assign(award=named.reindex(g.index).fillna(""))
        groups.append(g)
    r = pd.concat(groups) if groups else u.iloc[0:0]
    lacking = pd.DataFrame({zh: ~(r[_RANKED_RATES[c][0]] > 0) | r[c].isna() for c, zh in rates.items()}, index=r.index)
    notes = [f"无{'、'.join(c for c in lacking.columns if row[c])}可比，仅按其余{int(n)}项排名，不参加红旗、蜗牛评选" if n < len(rates) else ""
             for row, n in zip(lacking.to_dict("records"), r["rates_used"])]
    out = pd.DataFrame({
        "unit": r.index.astype(str), "unit_kind": r["unit_kind"].values, "kind_zh": [_KIND_ZH.get(k, k) for k in r["unit_kind"]],
        "rank": r["rank"].values, "award": r["award"].values, "total": float("nan"), "max_total": float("nan"),
        "mean_rank": r["mean_rank"].values, "rates_used": r["rates_used"].values, "start_rate": r["start_rate"].values,
        "procedure_rate": r["procedure_rate"].values, "invest_completion": r["invest_completion"].values,
        "incomplete": False, "note": notes,
    }, columns=RANKING_COLUMNS)
    return out.sort_values(["unit_kind", "rank", "unit"], kind="stable").reset_index(drop=True)


def _rates_basis(units: pd.DataFrame, gaps: Mapping[str, str], unscored_because: str) -> str:
    """How units are ranked without a scoring rule: the rates used, and why a rate is not (无数据).

    >>> _rates_basis(pd.DataFrame({"start_rate": [0.5], "procedure_rate": [float("nan")], "invest_completion": [0.4]}),
    ...              {"procedure_rate": "台账没有前期手续办结时间列"}, "计划未规定评比办法")
    '按开工率、计划投资完成率的平均名次排名（前期手续办结率无数据：台账没有前期手续办结时间列，不参加排名；计划未规定评比办法）'
    """
    rates = ranked_rates(units) if not units.empty else {c: zh for c, (_, zh) in _RANKED_RATES.items()}
    lack = "".join(f"{zh}无数据{'：' + gaps[c] if c in gaps else ''}，不参加排名；" for c, (_, zh) in _RANKED_RATES.items() if c not in rates)
    return f"按{'、'.join(rates.values())}的平均名次排名（{lack}{unscored_because}）"


def scores_ranking(scores: Scores) -> pd.DataFrame:
    """The ranking of a scored period: total and rank within each kind, the award (红旗/蜗牛, a prize)."""
    u = scores.result.units
    labels = {k.id: k.label for k in scores.rules.kinds}
    award_label = {a.id: a.label for k in scores.rules.kinds for a in k.awards}
    # a tiered award shows its tier (一等奖 …); others their label (红旗, 蜗牛, 先进单位)
    award = [p if isinstance(p, str) and p else award_label.get(a, "") if isinstance(a, str) else "" for a, p in zip(u["award"], u["prize"])]
    out = pd.DataFrame({
        "unit": u["unit"].astype(str), "unit_kind": u["unit_kind"], "kind_zh": [labels.get(k, k) for k in u["unit_kind"]],
        "rank": u["rank"], "award": award, "total": u["total"], "max_total": u["max_total"], "mean_rank": float("nan"),
        "rates_used": float("nan"), "start_rate": float("nan"), "procedure_rate": float("nan"), "invest_completion": float("nan"),
        "incomplete": u["incomplete"].astype(bool), "note": u["note"].fillna(""),
    }, columns=RANKING_COLUMNS)
    return out.sort_values(["unit_kind", "rank", "unit"], kind="stable", na_position="last").reset_index(drop=True)


def _unit_statuses(units: pd.DataFrame, plan: Plan, period: Period, start_cp: float | None) -> pd.DataFrame:
    """Per-unit statuses with the one status rule: completion against time progress, start rate
    against the start target's checkpoint."""
    if units.empty:
        return units
    u = units.copy()
    tp = float(period.progress) * 100.0

    def status(values: pd.Series, cp: float | None, has: pd.Series) -> list[str]:
        out = []
        for v, ok in zip(values, has):
            if cp is None or not ok or pd.isna(v):
                out.append(Status.NO_DATA.value if not ok or pd.isna(v) else Status.PENDING.value)
            else:
                out.append(judge(float(v) * 100.0, cp, Comparator.AT_LEAST, percent=True, tolerances=plan.tolerances).status.value)
        return out

    u["invest_status"] = status(u["invest_completion"], tp, u["annual_plan"] > 0)
    u["start_status"] = status(u["start_rate"], start_cp, u["new_starts"] > 0)
    return u


def _start_target(plan: Plan, targets: pd.DataFrame) -> tuple[str | None, float | None]:
    """The plan's ledger start-rate target that the units' start rates are judged against:
    the first one with a checkpoint this period (None when the plan sets none)."""
    for t in plan.targets:
        if t.indicator == "start_rate" and t.measure is Measure.RATE:
            row = targets[targets["target_id"] == t.id]
            if len(row) and row["basis"].iloc[0] == "ledger" and not pd.isna(row["checkpoint"].iloc[0]):
                return t.id, float(row["checkpoint"].iloc[0])
    return None, None


def _indicator_trends(plan: Plan, data: EvaluationData, period: Period, targets: pd.DataFrame) -> pd.DataFrame:
    """Every statistics indicator of the plan's jurisdictions: cumulative growth at each quarter
    end up to the period, the latest level, and the growth target (its status from the target table)."""
    ind = data.indicators
    cols = ["jurisdiction", "indicator", "indicator_zh", "q1", "q2", "q3", "q4", "latest", "level", "target_id", "target", "status"]
    if ind.empty:
        return pd.DataFrame(columns=cols)
    ind = ind[ind["jurisdiction"].notna() & ind["indicator"].notna()]
    growth_targets = {
        (t.scope.jurisdiction, t.indicator): t for t in plan.targets
        if t.measure is Measure.GROWTH and effective_basis(t) is Basis.STATISTICS and t.year in (None, plan.year)
    }
    ends = period_ends(ind["period"])
    ind = ind.assign(_month=ends["end_month"].where(ends["year"] == plan.year))
    rows = []
    for (j, i), g in ind.groupby(["jurisdiction", "indicator"], sort=False):
        # periods match on (year, end month), however the file wrote them; the reader refused disagreeing repeats
        by_month = {int(m): r for m, r in zip(g["_month"], g.itertuples()) if pd.notna(m)}
        vals: dict[str, float | None] = {}
        for q in range(1, 5):
            m = 3 * q
            hit = by_month.get(m) if m <= period.end_month else None
            vals[f"q{q}"] = float(hit.cum_yoy) * 100.0 if hit is not None and pd.notna(hit.cum_yoy) else None
        now = by_month.get(period.end_month) if period.year == plan.year else None
        latest = float(now.cum_yoy) * 100.0 if now is not None and pd.notna(now.cum_yoy) else None
        level = float(now.level) if now is not None and "level" in g.columns and pd.notna(now.level) else None
        if all(v is None for v in vals.values()) and latest is None:
            continue
        t = growth_targets.get((str(j), str(i)))
        status, target = "", None
        if t is not None:
            row = targets[targets["target_id"] == t.id].iloc[0]
            status, target = str(row["status"]), t.value
        rows.append({
            "jurisdiction": j, "indicator": i,
            "indicator_zh": REGISTRY[str(i)].zh if str(i) in REGISTRY else str(i),
            **vals, "latest": latest, "level": level,
            "target_id": t.id if t is not None else "", "target": target, "status": status,
        })
    df = pd.DataFrame(rows, columns=cols)
    if df.empty:
        return df
    # the plan's own jurisdiction first, then its units; FAI first within each
    df["_j"] = (df["jurisdiction"] != plan.jurisdiction).astype(int)
    df["_i"] = (df["indicator"] != "fai").astype(int)
    return df.sort_values(["_j", "jurisdiction", "_i", "indicator"], kind="stable").drop(columns=["_j", "_i"]).reset_index(drop=True)


def _deviation_table(plan: Plan, targets: pd.DataFrame) -> pd.DataFrame:
    """The plan's 偏离度 dimensions, each judged by the targets it names in the plan file.

    The judgement is the worst status of those targets judged this period: any 未达标 →
    偏离, else any 基本达标 → 轻微偏离, else 未偏离; a dimension whose targets are not
    due or have no data says so; a dimension with no quantified target says the plan
    gives no number (nothing is invented).
    """
    cols = ["deviation_id", "label", "targets", "judged", "judgement", "detail", "description"]
    if not plan.deviations:
        return pd.DataFrame(columns=cols)
    by_id = targets.set_index("target_id")
    rows = []
    for d in plan.deviations:
        ids = [t for t in d.targets if t in by_id.index]
        statuses = [str(by_id.at[t, "status"]) for t in ids]
        judged = [s for s in statuses if s in JUDGED]
        if not d.targets:
            judgement = "方案未给出量化标准，不作判断"
        elif "missed" in judged:
            judgement = "偏离"
        elif "near" in judged:
            judgement = "轻微偏离"
        elif judged:
            judgement = "未偏离"
        else:
            judgement = "本期无可考核目标（未到期或无数据）"
        detail = "；".join(
            f"{by_id.at[t, 'label']} {_fmt_actual(by_id.loc[t])}（{by_id.at[t, 'status_zh']}）" for t in ids
        )
        rows.append({
            "deviation_id": d.id, "label": d.label, "targets": ",".join(ids), "judged": len(judged),
            "judgement": judgement, "detail": detail, "description": d.description,
        })
    return pd.DataFrame(rows, columns=cols)


def _fmt_actual(row: pd.Series) -> str:
    if pd.isna(row["actual"]):
        return "无数据"
    unit = row["unit"]
    s = fmt_number(float(row["actual"]), 1 if unit == "%" else 2) + unit
    if not pd.isna(row["checkpoint"]):
        s += f"/本期目标{fmt_number(float(row['checkpoint']), 1 if unit == '%' else 2)}{unit}"
    return s


# ----------------------------------------------------------------------------- sentences


def _growth_sentence(trends: pd.DataFrame, targets: pd.DataFrame, plan: Plan) -> str | None:
    """The headline FAI growth: the published figure, against the target when there is one."""
    if trends.empty:
        return None
    sel = trends[(trends["jurisdiction"] == plan.jurisdiction) & (trends["indicator"] == "fai") & trends["latest"].notna()]
    if sel.empty:
        return None
    r = sel.iloc[0]
    s = f"{plan.jurisdiction}固定资产投资累计增长{fmt_number(r['latest'], 1)}%"
    if r["target_id"]:
        t = targets[targets["target_id"] == r["target_id"]].iloc[0]
        diff = float(t["actual"]) - float(t["checkpoint"])
        rel = "高于" if diff > 0 else ("低于" if diff < 0 else "持平于")
        s += f"，{rel}年度目标（{fmt_number(t['checkpoint'], 1)}%）" + (f"{fmt_number(abs(diff), 1)}个百分点" if diff else "")
        if not pd.isna(t["required_growth"]):
            s += f"；完成全年目标，其余季度需增长{fmt_number(t['required_growth'], 1)}%"
    else:
        s += "（计划未设增速目标，仅供参考）"
    return s + "。"


def _sentences(model_parts: dict[str, object], plan: Plan, period: Period, ev: Evaluation, trends: pd.DataFrame,
               coverage: Coverage) -> list[str]:
    t = ev.targets
    summ = ev.summary()
    judged = summ["met"] + summ["near"] + summ["missed"]
    pzh = period.label_zh()
    out = [
        f"{pzh}，{plan.jurisdiction}《{plan.title}》共 {len(t)} 项量化目标，本期可考核 {judged} 项："
        f"达标 {summ['met']} 项、基本达标 {summ['near']} 项、未达标 {summ['missed']} 项；"
        f"未到期 {summ['pending']} 项，无数据 {summ['no_data']} 项。"
    ]
    g = _growth_sentence(trends, t, plan)
    if g:
        out.append(g)
    tot = ev.totals
    ledger_current = coverage.progress is not None and coverage.progress >= period.end_month
    if len(tot) and ledger_current and float(tot["annual_plan"]) > 0 and pd.notna(tot["invest_completion"]):
        done, planned = float(tot["completed_cum"]), float(tot["annual_plan"])
        rate = done / planned * 100.0
        gap = rate - float(period.progress) * 100.0
        j = judge(rate, float(period.progress) * 100.0, Comparator.AT_LEAST, percent=True, tolerances=plan.tolerances)
        rel = f"高于时序进度{fmt_number(abs(gap), 1)}个百分点" if round(gap, 1) > 0 else (
            f"低于时序进度{fmt_number(abs(gap), 1)}个百分点" if round(gap, 1) < 0 else "与时序进度持平")
        out.append(
            f"{pzh}全部{int(tot['projects'])}个重点项目完成投资{fmt_number(done / 1e4, 2)}亿元，"
            f"占年度计划的{rate:.1f}%，{rel}（{j.status.zh}）。"
        )
        model_parts["completion"] = {"completed_wan": done, "planned_wan": planned, "rate": rate, "gap_pp": gap, "status": j.status.value}
    if len(tot) and float(tot["new_starts"]) > 0 and (coverage.progress is None or ledger_current):
        ns, started = int(tot["new_starts"]), int(tot["new_started"])
        out.append(f"{ns}个计划新开工项目已开工{started}个，开工率{started / ns * 100:.1f}%，尚有{ns - started}个未开工。")
        model_parts["new_starts"] = {"planned": ns, "started": started}
    return out


def ranking_sentences(ranking: pd.DataFrame, basis: str) -> list[str]:
    """One sentence per kind of unit: who is named, on what basis, ties said."""
    out = []
    for _, g in ranking.groupby("unit_kind", sort=True):
        named = g[g["award"] != ""]
        if named.empty:
            continue
        parts = []
        for award, h in named.groupby("award", sort=False):
            tied = "（含并列）" if h["rank"].duplicated(keep=False).any() else ""
            parts.append(f"{award}{tied}：{'、'.join(h['unit'])}")
        out.append(f"{g['kind_zh'].iloc[0]}{basis}，" + "；".join(parts) + "。")
    return out


def _project_list(plan: Plan, ev: Evaluation) -> tuple[dict[str, pd.DataFrame], str | None]:
    """The plan's project list (汉中 2022 附件2): classes, projects outside it, class disagreements."""
    from ..evaluate.classify import list_mismatches, list_summary

    rule = plan.project_list
    pl = ev.project_list
    if rule is None or pl.empty:
        return {}, None
    summ = list_summary(pl, rule)
    by = summ.set_index("class")
    classes = sorted(rule.classes, key=lambda c: c.priority)
    n_in = int(pl["in_list"].astype("boolean").fillna(False).astype(bool).sum())
    parts = "、".join(f"{c.label}{int(by.at[c.id, 'projects'])}个" for c in classes)
    s = f"按{rule.label}入库规则，台账{len(pl)}个项目中{n_in}个纳入清单（{parts}）"
    n_out, n_und = int(by.at["outside", "projects"]), int(by.at["undecided", "projects"])
    if n_out:
        out_mask = pl["in_list"].eq(False).fillna(False).astype(bool)
        foreign_out = int((out_mask & pl["ownership"].eq("foreign")).sum()) if "ownership" in pl.columns else 0
        s += f"，{n_out}个未达到入库门槛" + (f"（其中外资项目{foreign_out}个）" if foreign_out else "")
    if n_und:
        s += f"，{n_und}个无法判定"
    combos = pl.loc[pl["matched"].str.contains("+", regex=False), ["matched", "list_class"]].value_counts(sort=False)
    labels_by: dict[str, str] = {c.id: c.label for c in classes}
    for (matched, klass), k in combos.items():
        both = "、".join(labels_by[x] for x in str(matched).split("+"))
        s += f"；{k}个项目同时符合{both}，" + (f"按优先次序归入{labels_by[str(klass)]}" if rule.exclusive else "各类分别计数")
    return {"summary": summ, "classified": pl, "outside": pl[pl["reason"].ne("")], "mismatch": list_mismatches(pl)}, s + "。"


# ----------------------------------------------------------------------------- build


def build_report(
    plan: Plan,
    data: EvaluationData,
    period: str | Period = "latest",
    *,
    allow_partial: bool = False,
    problems: Sequence[Problem] = (),
    scoring: ScoringSetup | None = None,
    unscored_because: str = "计划未规定评比办法",
) -> ReportModel:
    """The report of ``plan`` at ``period`` from the contract tables in ``data`` (pure).

    ``period`` is a quarter (``2024Q2``), any month end of the plan year, or ``latest``
    (the latest quarter the data covers). A period beyond the data's last month is a
    :class:`hzlib.errors.CoverageError` unless ``allow_partial``; then the data's end is
    evaluated and the model says so (:attr:`ReportModel.partial`, :attr:`ReportModel.banner`).
    ``problems`` are the data files' warnings, shown in the report's data notes.
    ``scoring``: the plan's assessment rules and reported inputs; units are then ranked by
    their scores (read from this model and, for earlier checkpoints, the models of those
    quarters), otherwise like with like by their rates, and the ranking basis says why
    (``unscored_because``: a scenario says it is not scored, not that the plan has no rules).
    """
    cov = data_coverage(data, plan.year)
    requested = period.label() if isinstance(period, Period) else str(period)
    p = resolve_period(period, plan.year, cov, allow_partial=allow_partial)
    partial = requested.strip().lower() != "latest" and p.end_month < Period.parse(requested).end_month
    ev = evaluate(plan, p, data, coverage=cov)
    targets = ev.targets
    start_id, start_cp = _start_target(plan, targets)
    ledger_current = cov.progress is None or cov.progress >= p.end_month
    units = _unit_statuses(ev.units, plan, p, start_cp) if ledger_current else pd.DataFrame()
    ranking = rank_units(units, plan.unit_kind_map()) if not units.empty else pd.DataFrame(columns=RANKING_COLUMNS)
    ranking_basis = _rates_basis(units, pj.rate_gaps(ev.status) if not ev.status.empty else {}, unscored_because)
    trends = _indicator_trends(plan, data, p, targets)
    st = ev.status
    actions: dict[str, pd.DataFrame] = {}
    batches = pd.DataFrame()
    if not st.empty and ledger_current:
        actions = {
            "not_started": pj.not_started(st),
            "behind": pj.behind_schedule(st, plan.tolerances.near_pp) if cov.progress is not None else st.iloc[0:0],
            "missed_completion": pj.missed_completions(st),
        }
        if "batch" in ev.status_all.columns:
            batches = pj.batch_summary(ev.status_all)
    parts: dict[str, object] = {}
    sentences = _sentences(parts, plan, p, ev, trends, cov)
    project_list, list_sentence = _project_list(plan, ev)
    if list_sentence:
        sentences.append(list_sentence)
    model = ReportModel(
        plan=plan,
        requested=requested,
        period=p,
        coverage=cov,
        partial=partial,
        illustrative=data.illustrative,
        evaluation=ev,
        checkpoints=checkpoints_frame(plan, p),
        indicators=trends,
        units=units,
        ranking=ranking,
        deviations=_deviation_table(plan, targets),
        batches=batches,
        actions=actions,
        sentences=tuple(sentences),
        data_notes=tuple(problems),
        plan_notes=tuple(check_plan(plan)),
        project_list=project_list,
        ranking_basis=ranking_basis,
        start_target=start_id,
        extra=parts,
    )
    if scoring is not None and ledger_current:
        models: dict[int, ReportModel] = {p.end_month: model}

        def model_at(at: Period) -> ReportModel:
            if at.end_month not in models:
                models[at.end_month] = build_report(plan, data, at, problems=problems)
            return models[at.end_month]

        scores = score_models(scoring, p, model_at)
        ranking = scores_ranking(scores)
        basis = scores.basis + ("（年度考核，本期为试算）" if scoring.rules.period == "year" and p.end_month < 12 else "")
        model = replace(model, ranking=ranking, ranking_basis=basis, scores=scores)
    sentences = [*model.sentences, *ranking_sentences(model.ranking, model.ranking_basis)]
    return replace(model, sentences=tuple(sentences))

