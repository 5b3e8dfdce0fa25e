"""The what-if comparison model: the baseline against scenarios, target by target (pure).

:func:`compare` builds the baseline :class:`~hzlib.report.model.ReportModel` at the
base quarter and, for each scenario, applies it (:func:`~hzlib.whatif.apply.apply_scenario`)
and builds the scenario's report model at the year end (or a quarter the caller asks
for) through the same :func:`~hzlib.report.model.build_report`. No rule is implemented
twice: every figure of a scenario is the one evaluation's figure on the scenario's plan
and tables.

A scenario's future quarters have no real data. Its synthetic rows (indicator rows of
assumed growth, progress rows of an assumed pace) legitimately extend the data's
coverage (:func:`hzlib.evaluate.coverage.data_coverage` takes the last month of each
table), so the evaluation at Q4 measures them. Where a scenario assumes nothing for a
source, that source still ends where the data ends, and the evaluation says so target
by target (无数据, with the reason); a scenario that extends no source at all is
evaluated at the data's end (``partial``) and says that too. Every scenario figure is an
assumption: :attr:`ScenarioResult.assumed` is true, every row of
:meth:`WhatIf.table` has ``assumed``, the scenario's report model carries
``extra["assumed"] = True`` with its own heading and banner, and every view and chart
heading of a scenario says 情景假设.

Growth targets measured on statistics that have last year's quarterly profile also get
the growth outlook from :mod:`hzlib.whatif.growth`: the growth still needed (seasonal
against even), the sensitivity grid with its analytic break-even line, the band from
past years' patterns (or the reason there is none), and where each scenario lands on
the grid.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, UsageError
from ..evaluate.engine import EvaluationData
from ..evaluate.projects import project_status
from ..glossary import NOT_THIS_YEAR
from ..periods import Period, PeriodError
from ..plan.indicators import effective_basis
from ..plan.schema import Basis, Measure, Plan
from ..report.model import ReportModel, build_report
from ..units import from_percent, to_percent
from .apply import Change, apply_scenario
from .growth import (
    HistoryBand,
    RequiredGrowth,
    SensitivityGrid,
    growth_axis,
    growth_path,
    history_band,
    history_from_profiles,
    required_growth_compared,
    sensitivity_grid,
)
from .scenario import Scenario
from .tables import profile_levels

__all__ = [
    "ASSUMED_ZH",
    "COMPARE_COLUMNS",
    "NEW_START_COLUMNS",
    "ScenarioResult",
    "ScenarioPoint",
    "GrowthOutlook",
    "WhatIf",
    "compare",
    "check_base",
    "run_scenario",
    "growth_outlook",
]

#: The words every view, heading and chart of a scenario carries.
ASSUMED_ZH = "情景假设"

#: Stable English columns of :meth:`WhatIf.table` (csv/json): one row per scenario and target.
#: Values are in the target's unit (percent numbers for % targets; ``gap`` and ``change`` in
#: percentage points for them); ``assumed`` is true on every row: the ``scenario_*``
#: figures are assumptions, the ``base_*`` figures are data.
COMPARE_COLUMNS = [
    "scenario_id",
    "scenario_label",
    "assumed",
    "target_id",
    "label",
    "unit",
    "gap_unit",
    "base_period",
    "base_annual_value",
    "base_checkpoint",
    "base_actual",
    "base_gap",
    "base_status",
    "base_required_growth",
    "scenario_period",
    "scenario_annual_value",
    "scenario_checkpoint",
    "scenario_actual",
    "scenario_gap",
    "scenario_status",
    "change",
    "note",
]

#: Stable English columns of :meth:`WhatIf.new_starts`: planned new starts started by each quarter end.
NEW_START_COLUMNS = ["scenario_id", "label", "assumed", "planned", "q1", "q2", "q3", "q4", "next_year", "no_date"]


# ---- one scenario ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """One scenario applied and evaluated: its plan and tables, what changed, its report model.

    ``model`` is :func:`build_report` on the scenario's plan and tables at ``requested``
    (or at the data's end when the scenario extends no source that far: :attr:`partial`).
    """

    scenario: Scenario
    plan: Plan
    tables: EvaluationData
    changes: tuple[Change, ...]
    model: ReportModel
    requested: Period
    base: Period
    data_end_zh: str  # where the real data ends (the baseline's coverage)
    assumed: bool = True

    @property
    def id(self) -> str:
        return self.scenario.id

    @property
    def label(self) -> str:
        return self.scenario.label

    @property
    def period(self) -> Period:
        """The period the scenario was evaluated at."""
        return self.model.period

    @property
    def partial(self) -> bool:
        return self.model.period.end_month < self.requested.end_month

    @property
    def heading(self) -> str:
        return f"{ASSUMED_ZH}：{self.label}"

    @property
    def note_zh(self) -> str:
        """Why the scenario is evaluated before the period asked for (empty when it is not)."""
        if not self.partial:
            return ""
        return f"情景没有对{self.model.data_end_zh}以后作出增速或进度假设，{self.requested.label_zh()}无法评价，按截至{self.model.data_end_zh}的数据和情景评价"

    @property
    def banner(self) -> str:
        """What every page of the scenario must say: assumptions, not statistics."""
        parts = [
            f"{ASSUMED_ZH}：{self.label}",
            f"{self.base.label_zh()}以后的数字按情景假设推算，不是统计数据；实际数据截至{self.data_end_zh}",
        ]
        if self.note_zh:
            parts.append(self.note_zh)
        if self.model.illustrative:
            parts.append("除注明来源者外为示意数据，不代表真实统计结果")
        return "；".join(parts) + "。"


def _requested_period(at: str | Period | None, year: int, base: Period) -> Period:
    if at is None:
        return Period(year, 12, "quarter")
    try:
        text = at.label() if isinstance(at, Period) else str(at).strip()
        if len(text) == 2 and text[0] in "Qq":
            text = f"{year}{text.upper()}"
        p = Period.parse(text)
    except PeriodError:
        raise UsageError(f"情景评价期应为季度，如 {year}Q4，实际为 {at!r}") from None
    if p.year != year or not p.is_quarter_end or p.end_month < base.end_month:
        raise UsageError(f"情景评价期应为基期 {base.label()} 至 {year}Q4 之间的季度，实际为 {p.label()}")
    return p


def run_scenario(plan: Plan, data: EvaluationData, base: ReportModel, scenario: Scenario, at: Period) -> ScenarioResult:
    """Apply ``scenario`` and build its report model at ``at`` with :func:`build_report` (pure).

    The model's ``extra`` says ``assumed: True`` and carries the scenario's id, label,
    heading and banner, so anything that presents it can say 情景假设.
    """
    if scenario.period != base.period:
        raise UsageError(
            f"情景“{scenario.label}”（{scenario.id}）的基期为 {scenario.quarter}，与所选基期 {base.period.label()} 不同："
            f'请把基期设为 {scenario.quarter}（命令行 --quarter {scenario.quarter}，notebook 参数 quarter="{scenario.quarter}"）'
        )
    plan2, data2, changes = apply_scenario(plan, data, scenario)
    # a scenario is not scored: reported scoring inputs exist only for real periods
    model = build_report(plan2, data2, at, allow_partial=True, problems=base.data_notes, unscored_because="情景推算不计考核评分")
    result = ScenarioResult(scenario, plan2, data2, tuple(changes), model, at, base.period, base.data_end_zh)
    extra: dict[str, Any] = {
        **model.extra,
        "assumed": True,
        "scenario_id": scenario.id,
        "scenario_label": scenario.label,
        "base_quarter": base.period.label(),
        "heading": f"{ASSUMED_ZH}｜{scenario.label}｜{model.heading}",
        "banner": result.banner,
        "changes": tuple(str(c) for c in changes),
    }
    return dataclasses.replace(result, model=dataclasses.replace(model, extra=extra))


# ---- growth outlook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioPoint:
    """Where a scenario lands on a growth target's sensitivity grid (fractions).

    ``row``/``col`` are the scenario's single-quarter growth on the grid's axes (a
    quarter group's rate is its profile-weighted mean, which gives the same year-end
    growth); ``year_end`` is the scenario evaluation's figure (NaN when it has none).
    """

    scenario_id: str
    label: str
    row: float
    col: float
    year_end: float

    def reaches(self, target: float) -> bool:
        return not math.isnan(self.year_end) and self.year_end >= target - 1e-9


@dataclass(frozen=True, eq=False)
class GrowthOutlook:
    """Growth questions for one growth target at the base quarter (fractions inside).

    ``cum_growth`` is the evaluation's figure at the base quarter (the published
    cumulative growth); ``required.seasonal`` equals the evaluation's
    ``required_growth`` for the target.
    """

    target_id: str
    label: str
    indicator: str
    jurisdiction: str
    target: float
    cum_growth: float
    profile: tuple[float, float, float, float]
    required: RequiredGrowth
    grid: SensitivityGrid
    band: HistoryBand
    points: tuple[ScenarioPoint, ...] = ()

    @property
    def through(self) -> int:
        return self.required.through

    def break_even_sentence(self) -> str:
        """The break-even line in words: what the column axis needs when the row axis keeps the
        growth so far, and how the two trade off (the line's slope)."""
        be = self.grid.break_even
        goal = f"（实现全年{to_percent(self.target):.1f}%的目标）"
        row = self.grid.row_label_zh.removesuffix("增速")
        if not self.grid.col_quarters:
            return f"{row}需增长{to_percent(be.rate):.1f}%{goal}"
        col = self.grid.col_label_zh.removesuffix("增速")
        return (
            f"{row}增长{to_percent(self.cum_growth):.1f}%时，{col}需增长{to_percent(be.col_for(self.cum_growth)):.1f}%；"
            f"{row}每多增长1个百分点，{col}所需增速可低{be.row_weight / be.col_weight:.2f}个百分点{goal}"
        )


def _axis(center: float, extra: Sequence[float]) -> tuple[float, ...]:
    """Whole percents around ``center`` ±5 points, widened to cover ``extra`` with a point to spare."""
    finite = [v for v in extra if math.isfinite(v)]
    lo = min([center - 0.05, *(v - 0.01 for v in finite)])
    hi = max([center + 0.05, *(v + 0.01 for v in finite)])
    return growth_axis((lo + hi) / 2, (hi - lo) / 2)


def _weighted(single: dict[int, float], quarters: tuple[int, ...], profile: Sequence[float]) -> float:
    if not quarters:
        return math.nan
    w = np.asarray([profile[q - 1] for q in quarters], dtype=float)
    g = np.asarray([single[q] for q in quarters], dtype=float)
    return float((w * g).sum() / w.sum()) if w.sum() > 0 else math.nan


def _points(
    t_id: str, indicator: str, jurisdiction: str, plan: Plan, k: int, cum: float, profile: Sequence[float], results: Sequence[ScenarioResult]
) -> list[tuple[ScenarioPoint, dict[int, float]]]:
    out = []
    rest = tuple(range(k + 1, 5))
    for r in results:
        for g in r.scenario.growth:
            if g.indicator != indicator or (g.jurisdiction or plan.jurisdiction) != jurisdiction:
                continue
            path = growth_path(profile, k, cum, g.fractions(r.scenario.period), basis=g.basis)
            row = r.model.targets[r.model.targets["target_id"] == t_id]
            year_end = math.nan
            if r.period.end_month == 12 and len(row) and pd.notna(row["actual"].iloc[0]):
                year_end = from_percent(float(row["actual"].iloc[0]))
            out.append((ScenarioPoint(r.id, r.label, math.nan, math.nan, year_end), {q: path.single[q] for q in rest}))
    return out


def growth_outlook(
    plan: Plan, data: EvaluationData, base: ReportModel, results: Sequence[ScenarioResult] = ()
) -> tuple[tuple[GrowthOutlook, ...], tuple[str, ...]]:
    """The growth outlook of every growth target on statistics with last year's profile, and
    a sentence for each growth target left out (why)."""
    period = base.period
    k = period.quarter
    out: list[GrowthOutlook] = []
    notes: list[str] = []
    rows = base.targets.set_index("target_id")
    for t in plan.targets:
        if t.measure is not Measure.GROWTH or t.year not in (None, plan.year):
            continue
        basis = effective_basis(t)
        if basis is not Basis.STATISTICS:
            how = f"按{basis.zh}考核" if basis is not None else "指标未知"
            notes.append(f"{t.label}：{how}，不是统计部门公布的累计增速，不作季度增速测算")
            continue
        jur = t.scope.jurisdiction
        actual = rows.at[t.id, "actual"]
        profile = profile_levels(data.profiles, jur, t.indicator, plan.year - 1)
        target = t.fraction  # a growth target is in %, so this is None only when the plan gives no value
        if target is None:
            notes.append(f"{t.label}：计划未给出目标值，不作增速测算")
            continue
        if pd.isna(actual):
            notes.append(f"{t.label}：统计数据中没有{jur}{period.label_zh()}的累计增速，不作增速测算")
            continue
        if profile is None:
            notes.append(f"{t.label}：没有{jur} {plan.year - 1} 年的季度基数（profiles），无法按上年季节分布测算")
            continue
        cum = from_percent(float(actual))
        required = required_growth_compared(target, profile, cum, k)
        found = _points(t.id, t.indicator, jur, plan, k, cum, profile, results)
        probe = sensitivity_grid(profile, k, cum, target, rows=[0.0], cols=[0.0])
        row_q, col_q = probe.row_quarters, probe.col_quarters
        placed = [dataclasses.replace(p, row=_weighted(single, row_q, profile), col=_weighted(single, col_q, profile)) for p, single in found]
        rows_axis = _axis(required.seasonal, [cum, *(p.row for p in placed)])
        cols_axis = _axis(required.seasonal, [cum, *(p.col for p in placed)]) if col_q else None
        grid = sensitivity_grid(profile, k, cum, target, rows=rows_axis, cols=cols_axis)
        band = history_band(history_from_profiles(data.profiles, jur, t.indicator, plan.year), profile, k, cum, target)
        out.append(GrowthOutlook(t.id, t.label, t.indicator, jur, target, cum, tuple(profile), required, grid, band, tuple(placed)))  # type: ignore[arg-type]
    return tuple(out), tuple(notes)


# ---- the comparison ---------------------------------------------------------------------------------


def _num(x: Any) -> float:
    return math.nan if x is None or pd.isna(x) else float(x)


@dataclass(frozen=True, eq=False)
class WhatIf:
    """The baseline at the base quarter and each scenario at ``at``, with the growth outlook."""

    plan: Plan
    data: EvaluationData
    base: ReportModel
    scenarios: tuple[ScenarioResult, ...]
    at: Period
    growth: tuple[GrowthOutlook, ...]
    growth_notes: tuple[str, ...]

    def __repr__(self) -> str:
        return f"（情景测算：{self.plan.jurisdiction} 基期{self.base.period_zh}，{len(self.scenarios)}个{ASSUMED_ZH}）"

    @property
    def period(self) -> Period:
        """The base quarter."""
        return self.base.period

    @property
    def heading(self) -> str:
        return f"{self.plan.jurisdiction}{self.plan.year}年 情景测算｜基期{self.base.period_zh}，测算至{self.at.label_zh()}"

    @property
    def banner(self) -> str:
        """The baseline's banner and a reminder that scenario figures are assumptions."""
        return f"{self.base.banner}情景各列为{ASSUMED_ZH}推算的数字，不是统计数据。"

    def scenario(self, scenario_id: str) -> ScenarioResult:
        for r in self.scenarios:
            if r.id == scenario_id:
                return r
        raise KeyError(scenario_id)

    def outlook(self, target_id: str) -> GrowthOutlook:
        for g in self.growth:
            if g.target_id == target_id:
                return g
        raise KeyError(target_id)

    def names(self) -> list[tuple[str, ScenarioResult]]:
        """Short names for column headers: 情景1, 情景2 …"""
        return [(f"情景{i}", r) for i, r in enumerate(self.scenarios, start=1)]

    def table(self) -> pd.DataFrame:
        """Baseline against every scenario, target by target (:data:`COMPARE_COLUMNS`)."""
        base = self.base.targets.set_index("target_id")
        rows = []
        for r in self.scenarios:
            for s in r.model.targets.itertuples():
                b = base.loc[s.target_id]
                change = _num(s.actual) - _num(b["actual"])
                rows.append(
                    {
                        "scenario_id": r.id,
                        "scenario_label": r.label,
                        "assumed": r.assumed,
                        "target_id": s.target_id,
                        "label": s.label,
                        "unit": s.unit,
                        "gap_unit": s.gap_unit,
                        "base_period": self.base.period.label(),
                        "base_annual_value": _num(b["annual_value"]),
                        "base_checkpoint": _num(b["checkpoint"]),
                        "base_actual": _num(b["actual"]),
                        "base_gap": _num(b["gap"]),
                        "base_status": b["status"],
                        "base_required_growth": _num(b["required_growth"]),
                        "scenario_period": r.period.label(),
                        "scenario_annual_value": _num(s.annual_value),
                        "scenario_checkpoint": _num(s.checkpoint),
                        "scenario_actual": _num(s.actual),
                        "scenario_gap": _num(s.gap),
                        "scenario_status": s.status,
                        "change": change,
                        "note": "；".join(x for x in (r.note_zh, s.note) if x),
                    }
                )
        return pd.DataFrame(rows, columns=COMPARE_COLUMNS)

    def changes(self) -> pd.DataFrame:
        """What each scenario assumes, one change a row (scenario_id, label, kind, text)."""
        rows = [{"scenario_id": r.id, "label": r.label, "kind": c.kind, "text": c.text} for r in self.scenarios for c in r.changes]
        return pd.DataFrame(rows, columns=["scenario_id", "label", "kind", "text"])

    def new_starts(self) -> pd.DataFrame:
        """Planned new starts started by each quarter end, in the baseline (dates as the ledger
        records them) and in each scenario (:data:`NEW_START_COLUMNS`).

        Counted by the evaluation's own :func:`~hzlib.evaluate.projects.project_status`
        on key projects (谋划/储备 rows left out, as for the start rate). ``q1 .. q4`` are
        cumulative; ``next_year`` are expected to start after the plan year and
        ``no_date`` have no expected start, so ``q4 + next_year + no_date = planned``:
        a slip moves projects between quarters and never loses one.
        """
        rows = [self._starts("base", f"基期（{self.base.period_zh}，按台账记录）", False, self.data.ledger)]
        rows += [self._starts(r.id, f"{ASSUMED_ZH}：{r.label}", True, r.tables.ledger) for r in self.scenarios]
        return pd.DataFrame([r for r in rows if r], columns=NEW_START_COLUMNS)

    def _starts(self, sid: str, label: str, assumed: bool, ledger: pd.DataFrame) -> dict[str, object]:
        if ledger.empty or "is_new_start" not in ledger.columns:
            return {}
        key = ~ledger["batch"].isin(NOT_THIS_YEAR) if "batch" in ledger.columns else pd.Series(True, index=ledger.index)
        new = ledger[key & ledger["is_new_start"].astype("boolean").fillna(False).astype(bool)]
        year = self.plan.year
        row: dict[str, object] = {"scenario_id": sid, "label": label, "assumed": assumed, "planned": len(new)}
        for q in range(1, 5):
            row[f"q{q}"] = int(project_status(new, pd.DataFrame(), Period(year, 3 * q, "quarter"))["started"].sum())
        start = pd.to_datetime(new["actual_start"]) if "actual_start" in new.columns else pd.Series(pd.NaT, index=new.index)
        row["next_year"] = int((start.dt.year > year).sum())
        row["no_date"] = int(start.isna().sum())
        return row

    def status_counts(self) -> pd.DataFrame:
        """Targets by status: the baseline at the base quarter and each scenario (index: status)."""
        cols = {f"基期（{self.base.period_zh}）": self.base.summary}
        cols |= {f"{name}（{ASSUMED_ZH}，{r.period.label_zh()}）": r.model.summary for name, r in self.names()}
        return pd.DataFrame(cols)

    def to_dict(self) -> dict[str, Any]:
        """Everything for ``--format json``: stable English keys; growth figures as percent
        numbers (keys ending ``_pct``), target figures in each target's unit."""

        def pct(x: float) -> float | None:
            return None if x is None or not math.isfinite(x) else to_percent(x)

        def clean(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r.items()} for r in records]

        growth = []
        for g in self.growth:
            be = g.grid.break_even
            growth.append(
                {
                    "target_id": g.target_id,
                    "label": g.label,
                    "indicator": g.indicator,
                    "jurisdiction": g.jurisdiction,
                    "target_pct": pct(g.target),
                    "cum_growth_pct": pct(g.cum_growth),
                    "through_quarter": g.through,
                    "required_seasonal_pct": pct(g.required.seasonal),
                    "required_even_pct": pct(g.required.even),
                    "sentence": g.required.sentence_zh(g.label.removesuffix("增长").removesuffix("增速")),
                    "break_even": {
                        "row_quarters": list(g.grid.row_quarters),
                        "col_quarters": list(g.grid.col_quarters),
                        "row_weight": be.row_weight,
                        "col_weight": be.col_weight,
                        "constant": be.constant,
                        "sentence": g.break_even_sentence(),
                    },
                    "grid": {
                        "rows_pct": [pct(x) for x in g.grid.rows],
                        "cols_pct": [pct(x) for x in g.grid.cols],
                        "year_end_pct": to_percent(np.asarray(g.grid.values)).tolist(),
                    },
                    "history": {
                        "available": g.band.available,
                        "sentence": g.band.sentence_zh(),
                        "years": list(g.band.years),
                        "year_end_pct": [pct(x) for x in g.band.outcomes],
                        "low_pct": pct(g.band.low),
                        "median_pct": pct(g.band.median),
                        "high_pct": pct(g.band.high),
                        "share_reaching_pct": pct(g.band.share_reaching),
                    },
                    "scenarios": [
                        {"scenario_id": p.scenario_id, "row_pct": pct(p.row), "col_pct": pct(p.col), "year_end_pct": pct(p.year_end)} for p in g.points
                    ],
                }
            )
        return {
            "plan": self.plan.id,
            "title": self.plan.title,
            "base_quarter": self.base.period.label(),
            "at": self.at.label(),
            "data_end": self.base.coverage.end.label() if self.base.coverage.end else None,
            "illustrative": self.base.illustrative,
            "banner": self.banner,
            "scenarios": [
                {
                    "id": r.id,
                    "label": r.label,
                    "assumed": r.assumed,
                    "evaluated_at": r.period.label(),
                    "partial": r.partial,
                    "note": r.note_zh,
                    "banner": r.banner,
                    "changes": [{"kind": c.kind, "text": c.text} for c in r.changes],
                }
                for r in self.scenarios
            ],
            "targets": clean(self.table().to_dict(orient="records")),
            "growth": growth,
            "growth_notes": list(self.growth_notes),
            "new_starts": self.new_starts().to_dict(orient="records"),
        }


def check_base(baseline: ReportModel) -> Period:
    """The base quarter of a baseline model: a quarter end before Q4, or a :class:`UsageError`."""
    base = baseline.period
    if not base.is_quarter_end:
        q = baseline.coverage.latest_quarter()
        hint = f"，可用 {q.label()}" if q is not None else ""
        raise UsageError(f"情景测算的基期应为季末：数据截至{baseline.data_end_zh}，{base.label()} 不是季末{hint}")
    if base.quarter == 4:
        raise UsageError(f"基期 {base.label()} 已是四季度，没有剩余季度可作假设：请选择一至三季度作为基期")
    return base


def compare(
    plan: Plan,
    data: EvaluationData,
    base_quarter: str | Period = "latest",
    scenarios: Sequence[Scenario] = (),
    *,
    at: str | Period | None = None,
    allow_partial: bool = False,
    problems: Sequence[Problem] = (),
    baseline: ReportModel | None = None,
) -> WhatIf:
    """The baseline at ``base_quarter`` against each scenario at ``at`` (Q4 by default); pure.

    ``baseline``: a report model already built for ``plan`` and ``data`` at the base
    quarter (the notebook's sliders reuse it); ``problems`` are the data files' warnings.
    Every scenario must have the base quarter as its own; ids must be unique.
    Raises :class:`~hzlib.errors.UsageError` for a base quarter that leaves nothing to
    assume or a scenario of another base quarter, and what :func:`apply_scenario` raises
    for a scenario that does not fit the plan or the data.
    """
    if baseline is None:
        baseline = build_report(plan, data, base_quarter, allow_partial=allow_partial, problems=problems)
    elif baseline.plan is not plan and baseline.plan != plan:
        raise ValueError("baseline was built for another plan")
    base = check_base(baseline)
    ids = [s.id for s in scenarios]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise UsageError(f"情景 id 重复：{'、'.join(repeated)}")
    end = _requested_period(at, plan.year, base)
    results = tuple(run_scenario(plan, data, baseline, s, end) for s in scenarios)
    outlook, notes = growth_outlook(plan, data, baseline, results)
    return WhatIf(plan, data, baseline, results, end, outlook, notes)
