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
from typing import cast

import pandas as pd

from ..arithmetic import EPS, Status
from ..errors import Problem
from ..evaluate import projects as pj
from ..evaluate.classify import list_mismatches, list_summary
from ..evaluate.coverage import Coverage, data_coverage, resolve_period
from ..evaluate.derivation import Derivation, as_frame, derive, derive_all, derive_totals, derive_unit
from ..evaluate.engine import Evaluation, EvaluationData, evaluate
from ..evaluate.status import judge_deviation
from ..glossary import ALL_UNITS_ZH, FAI_ZH, UNIT_KIND_ZH, Award, award_tone
from ..periods import Period, period_ends
from ..plan.check import check_plan
from ..plan.indicators import INDICATORS, effective_basis
from ..plan.schema import Basis, Measure, Plan
from ..scoring.report import Scores, ScoringSetup, score_evaluations
from ..textfmt import fmt_number
from ..units import WAN_PER_YI, to_percent
from .monthly import MonthlyBulletin, build_monthly, check_month, is_month_request, months_with_data

__all__ = ["ReportModel", "build_report", "order_units", "scores_ranking", "RANKING_COLUMNS", "JUDGED", "STATUS_ORDER"]

#: Statuses of targets judged at this period.
JUDGED = ("met", "near", "missed")
#: Worst first: the order in which statuses decide an overall judgement.
STATUS_ORDER = ("missed", "near", "met", "pending", "no_data", "n/a")


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
    #: a month inside a quarter: the monthly bulletin (月通报, :mod:`hzlib.report.monthly`); None for a quarter
    monthly: MonthlyBulletin | None = None
    #: the derivations behind an opening sentence: sentence → keys (``("target", id)``, ``("total", "completion")`` …)
    sentence_refs: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

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
        head = f"{self.plan.jurisdiction}{self.plan.year}年重点项目建设{'月通报' if self.monthly is not None else '季度通报'}"
        sub = f"{self.period_zh}（截至{end.month}月{end.day}日，时序进度{fmt_number(to_percent(float(p.progress)), 2)}%）"
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

    def derivations(self, target_id: str) -> list[Derivation]:
        """Every figure of one target with its derivation (:mod:`hzlib.evaluate.derivation`)."""
        return derive(self.evaluation, target_id)

    def unit_derivations(self, unit: str) -> list[Derivation]:
        """A unit's rates, status, rank and award with their derivations."""
        items = self.scores.result.items if self.scores is not None else None
        defs = {d.id: d for d in self.scores.rules.inputs} if self.scores is not None else None
        reported = self.scores.reported if self.scores is not None else None
        return derive_unit(self.evaluation, self.units, self.ranking, unit, self.ranking_basis, items, defs, reported)

    def total_derivations(self) -> dict[str, Derivation]:
        """The opening sentences' figures over all key projects (:func:`hzlib.evaluate.derivation.derive_totals`),
        gathered once per model: they read every key project's rows (0.4 s at 100k projects), and the
        summary, the target and unit tables, the appendix and the Excel sheet each number them.
        Read only: every caller shares them."""
        memo: dict[str, dict[str, Derivation]] = self.__dict__.setdefault("_memo", {})
        if "totals" not in memo:
            memo["totals"] = derive_totals(self.evaluation)
        return memo["totals"]

    def __getstate__(self) -> dict[str, object]:
        """Pickled without what :meth:`total_derivations` keeps (a kernel gathers them again)."""
        return {k: v for k, v in self.__dict__.items() if k != "_memo"}

    def explain(self, target_id: str | None = None, *, unit: str | None = None) -> pd.DataFrame:
        """Where the figures of a target (or, with ``unit``, of a unit's line; neither: every target)
        come from, one row per contributing row: figure, formula, plan quote, and each row's
        project, value and source file/sheet/row/column (:data:`hzlib.evaluate.derivation.ROW_COLUMNS`)."""
        if unit is not None:
            return as_frame(self.unit_derivations(unit))
        return as_frame(self.derivations(target_id) if target_id is not None else derive_all(self.evaluation))


# ----------------------------------------------------------------------------- sections


#: Columns of :attr:`ReportModel.ranking` (a plan's own scheme, or the units' progress in order when it has none).
RANKING_COLUMNS = [
    "unit",
    "unit_kind",
    "kind_zh",
    "rank",
    "award",
    "award_tone",
    "total",
    "max_total",
    "start_rate",
    "procedure_rate",
    "invest_completion",
    "incomplete",
    "note",
]
_KIND_ZH = {**UNIT_KIND_ZH, "": ALL_UNITS_ZH}


#: The rates of a units' progress table without a ranking scheme, in the order they sort it:
#: rate → (its denominator, Chinese name). 计划投资完成率 first: it is the figure the plans judge
#: key projects by (completion against time progress); 开工率 and 前期手续办结率 only break ties.
_RANKED_RATES = {
    "invest_completion": ("annual_plan", "计划投资完成率"),
    "start_rate": ("new_starts", "开工率"),
    "procedure_rate": ("new_starts", "前期手续办结率"),
}
#: Why a unit has no figure for a rate: its denominator is zero.
_NOTHING_TO_MEASURE = {"annual_plan": "无年度计划投资", "new_starts": "无计划新开工项目"}


def ranked_rates(units: pd.DataFrame) -> dict[str, str]:
    """The rates the ledger gives (rate → Chinese name), in sorting order: a rate no unit has (its
    columns are missing, see :func:`hzlib.evaluate.projects.rate_gaps`) is left out, never counted as 0.

    >>> list(ranked_rates(pd.DataFrame({"start_rate": [0.5], "procedure_rate": [float("nan")], "invest_completion": [0.4]})))
    ['invest_completion', 'start_rate']
    """
    return {c: zh for c, (_, zh) in _RANKED_RATES.items() if c in units.columns and units[c].notna().any()}


def order_units(units: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The units' progress in order, for a plan that defines no ranking scheme (no scoring rules).

    Like with like (counties with counties), each kind sorted by 计划投资完成率 from high to
    low, then 开工率, then 前期手续办结率, then name; a unit with nothing to measure on a rate
    (denominator 0) has no figure for it, comes after those that have, and ``note`` says why.
    No rank and no award: only a plan's own rule names 红旗 or 蜗牛 (:func:`scores_ranking`),
    and a mean of ranks would be a rule the plan does not have.
    """
    if units.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    kinds = kinds or {}
    u = units.copy()
    u.index = u.index.astype(str)
    rates = ranked_rates(u)
    shown = {c: u[c].where(u[_RANKED_RATES[c][0]] > 0) if c in u.columns else pd.Series(float("nan"), index=u.index) for c in _RANKED_RATES}
    notes = []
    for unit in u.index:
        lacking = dict.fromkeys(_NOTHING_TO_MEASURE[_RANKED_RATES[c][0]] for c in rates if not u.at[unit, _RANKED_RATES[c][0]] > 0)
        notes.append("；".join(lacking))
    out = pd.DataFrame(
        {
            "unit": u.index,
            "unit_kind": [kinds.get(x, "") for x in u.index],
            "rank": float("nan"),
            "award": "",
            "award_tone": "",
            "total": float("nan"),
            "max_total": float("nan"),
            **{c: v.to_numpy(dtype=float) for c, v in shown.items()},
            "incomplete": False,
            "note": notes,
        }
    )
    out["kind_zh"] = [_KIND_ZH.get(k, k) for k in out["unit_kind"]]
    keys = list(rates)
    out = out.sort_values(["unit_kind", *keys, "unit"], ascending=[True, *[False] * len(keys), True], kind="stable", na_position="last")
    return out[RANKING_COLUMNS].reset_index(drop=True)


def _order_basis(units: pd.DataFrame, gaps: Mapping[str, str], unscored_because: str) -> str:
    """How the units' progress is shown without a ranking scheme: why there is none, the order, and
    why a rate is missing (无数据).

    >>> _order_basis(pd.DataFrame({"start_rate": [0.5], "procedure_rate": [float("nan")], "invest_completion": [0.4]}),
    ...              {"procedure_rate": "台账没有前期手续办结时间列"}, "计划未规定评比办法")
    '计划未规定评比办法，不排名次、不评“红旗”“蜗牛”；同类单位按计划投资完成率、开工率由高到低排列（前期手续办结率无数据：台账没有前期手续办结时间列）'
    """
    rates = ranked_rates(units) if not units.empty else {c: zh for c, (_, zh) in _RANKED_RATES.items()}
    lack = "；".join(f"{zh}{Status.NO_DATA.zh}{'：' + gaps[c] if c in gaps else ''}" for c, (_, zh) in _RANKED_RATES.items() if c not in rates)
    order = f"同类单位按{'、'.join(rates.values())}由高到低排列" if rates else "同类单位按名称排列"
    return f"{unscored_because}，不排名次、不评“{Award.RED_FLAG.zh}”“{Award.SNAIL.zh}”；{order}" + (f"（{lack}）" if lack else "")


def scores_ranking(scores: Scores) -> pd.DataFrame:
    """The ranking of a scored period: total and rank within each kind, the award (红旗/蜗牛, a prize)
    and its tone, typed from the rule (``end: top`` praises, ``end: bottom`` names the last)."""
    u = scores.result.units
    labels = {k.id: k.label for k in scores.rules.kinds}
    award_label = {a.id: a.label for k in scores.rules.kinds for a in k.awards}
    award_end = {a.id: a.end for k in scores.rules.kinds for a in k.awards}
    typed = [award_tone(award_end.get(a)) if isinstance(a, str) else None for a in u["award"]]
    tones = [t.value if t is not None else "" for t in typed]
    # a tiered award shows its tier (一等奖 …); others their label (红旗, 蜗牛, 先进单位)
    award = [p if isinstance(p, str) and p else award_label.get(a, "") if isinstance(a, str) else "" for a, p in zip(u["award"], u["prize"])]
    out = pd.DataFrame(
        {
            "unit": u["unit"].astype(str),
            "unit_kind": u["unit_kind"],
            "kind_zh": [labels.get(k, k) for k in u["unit_kind"]],
            "rank": u["rank"],
            "award": award,
            "award_tone": tones,
            "total": u["total"],
            "max_total": u["max_total"],
            "start_rate": float("nan"),
            "procedure_rate": float("nan"),
            "invest_completion": float("nan"),
            "incomplete": u["incomplete"].astype(bool),
            "note": u["note"].fillna(""),
        },
        columns=RANKING_COLUMNS,
    )
    return out.sort_values(["unit_kind", "rank", "unit"], kind="stable", na_position="last").reset_index(drop=True)


def _indicator_trends(plan: Plan, data: EvaluationData, period: Period, targets: pd.DataFrame) -> pd.DataFrame:
    """Every statistics indicator of the plan's jurisdictions: cumulative growth at each quarter
    end up to the period, the latest level, and the growth target (its status from the target table)."""
    ind = data.indicators
    cols = ["jurisdiction", "indicator", "indicator_zh", "q1", "q2", "q3", "q4", "latest", "level", "target_id", "target", "status"]
    if ind.empty:
        return pd.DataFrame(columns=cols)
    ind = ind[ind["jurisdiction"].notna() & ind["indicator"].notna()]
    growth_targets = {
        (t.scope.jurisdiction, t.indicator): t
        for t in plan.targets
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
            vals[f"q{q}"] = to_percent(float(hit.cum_yoy)) if hit is not None and pd.notna(hit.cum_yoy) else None
        now = by_month.get(period.end_month) if period.year == plan.year else None
        latest = to_percent(float(now.cum_yoy)) if now is not None and pd.notna(now.cum_yoy) else None
        level = float(now.level) if now is not None and "level" in g.columns and pd.notna(now.level) else None
        if all(v is None for v in vals.values()) and latest is None:
            continue
        t = growth_targets.get((str(j), str(i)))
        status, target = "", None
        if t is not None:
            row = targets[targets["target_id"] == t.id].iloc[0]
            status, target = str(row["status"]), t.value
        rows.append(
            {
                "jurisdiction": j,
                "indicator": i,
                "indicator_zh": INDICATORS[str(i)].zh if str(i) in INDICATORS else str(i),
                **vals,
                "latest": latest,
                "level": level,
                "target_id": t.id if t is not None else "",
                "target": target,
                "status": status,
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    if df.empty:
        return df
    # the plan's own jurisdiction first, then its units; FAI first within each
    df["_j"] = (df["jurisdiction"] != plan.jurisdiction).astype(int)
    df["_i"] = (df["indicator"] != "fai").astype(int)
    return df.sort_values(["_j", "jurisdiction", "_i", "indicator"], kind="stable").drop(columns=["_j", "_i"]).reset_index(drop=True)


def _deviation_table(plan: Plan, targets: pd.DataFrame) -> pd.DataFrame:
    """The plan's 偏离度 dimensions, each judged by the targets it names in the plan file.

    The judgement is :func:`hzlib.evaluate.status.judge_deviation` of those targets: any
    未达标 → 偏离, else a target due this period without data → 数据不全 naming it (never
    未偏离), else any 基本达标 → 轻微偏离, else 未偏离; a dimension whose targets are not
    due says so; a dimension with no quantified target says the plan gives no number
    (nothing is invented). ``missing``: the due targets without data (ids, like ``targets``).
    """
    cols = ["deviation_id", "label", "targets", "judged", "judgement", "missing", "detail", "description"]
    if not plan.deviations:
        return pd.DataFrame(columns=cols)
    by_id = targets.set_index("target_id")
    rows = []
    for d in plan.deviations:
        ids = [t for t in d.targets if t in by_id.index]
        inputs = [(str(by_id.at[t, "label"]), str(by_id.at[t, "status"]), bool(by_id.at[t, "is_checkpoint"])) for t in ids]
        judged = [s for _, s, _ in inputs if s in JUDGED]
        verdict = judge_deviation(inputs if d.targets else [])  # the one rule for 偏离度 lives beside the status rule
        detail = "；".join(f"{by_id.at[t, 'label']} {_fmt_actual(by_id.loc[t])}（{by_id.at[t, 'status_zh']}）" for t in ids)
        rows.append(
            {
                "deviation_id": d.id,
                "label": d.label,
                "targets": ",".join(ids),
                "judged": len(judged),
                "judgement": verdict.judgement,
                "detail": detail,
                "missing": ",".join(t for t, (label, _, _) in zip(ids, inputs, strict=True) if label in verdict.missing),
                "description": d.description,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _fmt_actual(row: pd.Series) -> str:
    if pd.isna(row["actual"]):
        return Status.NO_DATA.zh
    unit = row["unit"]
    s: str = fmt_number(float(row["actual"]), 1 if unit == "%" else 2) + unit
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
    s = f"{plan.jurisdiction}{FAI_ZH}累计增长{fmt_number(r['latest'], 1)}%"
    if r["target_id"]:
        t = targets[targets["target_id"] == r["target_id"]].iloc[0]
        diff = float(t["actual"]) - float(t["checkpoint"])
        diff = 0.0 if abs(diff) < EPS else diff  # equal up to binary noise: the status rule's tolerance
        rel = "高于" if diff > 0 else ("低于" if diff < 0 else "持平于")
        s += f"，{rel}年度目标（{fmt_number(t['checkpoint'], 1)}%）" + (f"{fmt_number(abs(diff), 1)}个百分点" if diff else "")
        if not pd.isna(t["required_growth"]):
            s += f"；完成全年目标，其余季度需增长{fmt_number(t['required_growth'], 2)}%"  # as the target table shows it
    else:
        s += "（计划未设增速目标，仅供参考）"
    return s + "。"


def _sentences(model_parts: dict[str, object], plan: Plan, period: Period, ev: Evaluation, trends: pd.DataFrame, coverage: Coverage) -> list[str]:
    t = ev.targets
    summ = ev.summary()
    judged = summ["met"] + summ["near"] + summ["missed"]
    pzh = period.label_zh()
    out = [
        f"{pzh}，{plan.jurisdiction}《{plan.title}》共 {len(t)} 项量化目标，本期可考核 {judged} 项："
        f"{Status.MET.zh} {summ['met']} 项、{Status.NEAR.zh} {summ['near']} 项、{Status.MISSED.zh} {summ['missed']} 项；"
        f"{Status.PENDING.zh} {summ['pending']} 项，{Status.NO_DATA.zh} {summ['no_data']} 项。"
    ]
    refs: dict[str, tuple[tuple[str, str], ...]] = {}
    model_parts["sentence_refs"] = refs
    g = _growth_sentence(trends, t, plan)
    if g:
        out.append(g)
        fai = trends[(trends["jurisdiction"] == plan.jurisdiction) & (trends["indicator"] == "fai")]
        if len(fai) and fai["target_id"].iloc[0]:
            refs[g] = (("target", str(fai["target_id"].iloc[0])),)
    tot = ev.totals
    ledger_current = coverage.progress is not None and coverage.progress >= period.end_month
    c = ev.completion  # completion against time progress: the evaluation's, and its sentence
    if c is not None and ledger_current:
        out.append(c.sentence_zh(period_zh=pzh, subject=f"全部{int(tot['projects'])}个重点项目", per_unit=WAN_PER_YI, with_status=True) + "。")
        refs[out[-1]] = (("total", "completion"),)
        model_parts["completion"] = {
            "completed_wan": c.completed,
            "planned_wan": c.planned,
            "rate": to_percent(c.rate),
            "gap_pp": c.gap_pp,
            "status": c.status.value,
        }
    if len(tot) and float(tot["new_starts"]) > 0 and (coverage.progress is None or ledger_current):
        ns, started = int(tot["new_starts"]), int(tot["new_started"])
        out.append(f"{ns}个计划新开工项目已开工{started}个，开工率{fmt_number(to_percent(started / ns), 1)}%，尚有{ns - started}个未开工。")
        refs[out[-1]] = (("total", "new_starts"),)
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
    their scores (ledger inputs read from this evaluation and, for earlier checkpoints, the
    evaluations of those quarters), otherwise like with like by their rates, and the ranking basis says why
    (``unscored_because``: a scenario says it is not scored, not that the plan has no rules).
    """
    cov = data_coverage(data, plan.year)
    if is_month_request(period):  # a monthly bulletin: only for a month some data file has
        check_month(Period.parse(period), plan.year, months_with_data(data.progress, data.indicators, data.tasks, plan.year))
    requested = period.label() if isinstance(period, Period) else str(period)
    p = resolve_period(period, plan.year, cov, allow_partial=allow_partial)
    partial = requested.strip().lower() != "latest" and p.end_month < Period.parse(requested).end_month
    ev = evaluate(plan, p, data, coverage=cov)
    targets = ev.targets
    start_id = ev.start_target
    ledger_current = cov.progress is None or cov.progress >= p.end_month
    units = ev.units if ledger_current else pd.DataFrame()  # with their statuses (the evaluation's)
    ranking = order_units(units, plan.unit_kind_map()) if not units.empty else pd.DataFrame(columns=RANKING_COLUMNS)
    ranking_basis = _order_basis(units, pj.rate_gaps(ev.status) if not ev.status.empty else {}, unscored_because)
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
    sentence_refs = cast(dict[str, tuple[tuple[str, str], ...]], parts.pop("sentence_refs"))
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
        checkpoints=ev.checkpoints,
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
        sentence_refs=sentence_refs,
    )
    if is_month_request(period):  # 月通报: key projects only; targets and scores are for quarter ends (季考核、年终评)
        monthly = _monthly(plan, ev, p, data)
        return replace(model, monthly=monthly, sentences=monthly.sentences)
    if scoring is not None and ledger_current:
        evaluations: dict[int, Evaluation] = {p.end_month: ev}

        def evaluation_at(at: Period) -> Evaluation:
            if at.end_month not in evaluations:
                evaluations[at.end_month] = evaluate(plan, resolve_period(at, plan.year, cov), data, coverage=cov)
            return evaluations[at.end_month]

        scores = score_evaluations(scoring, p, evaluation_at)
        ranking = scores_ranking(scores)
        basis = scores.basis + ("（年度考核，本期为试算）" if scoring.rules.period == "year" and p.end_month < 12 else "")
        model = replace(model, ranking=ranking, ranking_basis=basis, scores=scores)
    sentences = [*model.sentences, *ranking_sentences(model.ranking, model.ranking_basis)]
    return replace(model, sentences=tuple(sentences))


def _monthly(plan: Plan, ev: Evaluation, month: Period, data: EvaluationData) -> MonthlyBulletin:
    """The monthly bulletin's sections (:func:`hzlib.report.monthly.build_monthly`) from this evaluation."""
    growth = {
        (str(t.scope.jurisdiction), str(t.indicator)): float(t.value)
        for t in plan.targets
        if t.measure is Measure.GROWTH and effective_basis(t) is Basis.STATISTICS and t.year in (None, plan.year) and t.value is not None
    }
    names = {k: v.zh for k, v in INDICATORS.items()}
    return build_monthly(
        plan,
        ev.status,
        month,
        indicators=data.indicators,
        indicator_names=names,
        growth_targets=growth,
        completion=ev.completion if ev.period == month else None,
    )
