"""Turn (plan, contract tables, scenario) into a modified (plan, tables) and a list of changes.

Nothing here evaluates anything: the modified plan and tables go through the
one evaluation like real data, so no rule is implemented twice. Inputs are
never mutated; the results are new objects. Order of application:

1. changed targets → a new :class:`~hzlib.plan.schema.Plan` (``model_copy``);
2. projects removed (ledger and progress rows) and added (ledger rows);
3. ``dates: planned`` — projects not started (completed) by the base quarter
   end start (complete) on their planned date when it is later; the others
   (planned date already passed) are assumed not to start (complete) this
   year;
4. slips — the expected start (completion) moves later by whole months;
5. pace — progress rows for every month after the base quarter;
6. growth — indicator rows (``cum_yoy`` and ``level``) for the quarter ends
   after the base quarter, from :func:`hzlib.whatif.growth.growth_path`.

Dates and figures after the base quarter end that are already in the tables
are replaced where an assumption covers them (pace, growth, ``dates:
planned``) and kept otherwise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from ..arithmetic import milestone_count
from ..contracts import BATCH_ZH
from ..errors import ERROR, InputError
from ..evaluate.projects import cumulative_at
from ..glossary import MILESTONE_ZH, indicator_short_zh
from ..ingest.table import empty_frame
from ..periods import Period
from ..plan.schema import Measure, Plan, Target
from ..textfmt import fmt_number
from ..units import from_percent, to_percent
from .growth import QUARTER_ZH, growth_path
from .scenario import GrowthAssumption, Pace, Scenario, Slip, TargetChange, check_scenario
from .tables import ContractTables, date_column, period_ends, profile_levels, published_growth

__all__ = [
    "Change",
    "apply_scenario",
    "apply_target_changes",
    "apply_project_list",
    "apply_planned_dates",
    "apply_slips",
    "apply_pace",
    "apply_growth",
    "select_slipped",
]

T = TypeVar("T", bound=ContractTables)
ChangeKind = Literal["target", "add", "remove", "dates", "slip", "pace", "growth"]


@dataclass(frozen=True)
class Change:
    """One change a scenario made, as a Chinese sentence for a report."""

    kind: ChangeKind
    text: str

    def __str__(self) -> str:
        return self.text


def apply_scenario(plan: Plan, tables: T, scenario: Scenario) -> tuple[Plan, T, list[Change]]:
    """The plan and tables as the scenario assumes them, and what changed.

    ``tables`` is a dataclass holding the contract frames (such as
    :class:`hzlib.evaluate.engine.EvaluationData`); the result is the same
    type with new frames. Raises :class:`InputError` when the scenario does
    not fit the plan or the data (unknown targets, projects, indicators ...).
    """
    errors = [p for p in check_scenario(scenario, plan, tables) if p.severity == ERROR]
    if errors:
        raise InputError(errors, what=f"情景 {scenario.id}")
    base = scenario.period
    changes: list[Change] = []
    new_plan, c = apply_target_changes(plan, scenario.targets)
    changes += c
    ledger, progress, c = apply_project_list(tables.ledger, tables.progress, scenario.add_projects, scenario.remove_projects)
    changes += c
    if scenario.dates == "planned":
        ledger, c = apply_planned_dates(ledger, base)
        changes += c
    if scenario.slips:
        ledger, c = apply_slips(ledger, scenario.slips, base, dates=scenario.dates)
        changes += c
    if scenario.pace is not None:
        progress, c = apply_pace(progress, ledger, scenario.pace, base)
        changes += c
    indicators, c = apply_growth(tables.indicators, tables.profiles, scenario.growth, base, plan, source=f"情景假设：{scenario.label}")
    changes += c
    new_tables = dataclasses.replace(  # type: ignore[type-var]
        tables,
        ledger=ledger,
        progress=progress,
        indicators=indicators,
        profiles=tables.profiles.copy(),
        tasks=tables.tasks.copy(),
    )
    return new_plan, new_tables, changes


# ---- targets -----------------------------------------------------------------------------------


def _rescaled_schedule(t: Target, new: float) -> dict[str, float] | None:
    """A target's quarterly schedule under a new annual value.

    Cumulative milestones (rates, amounts, counts) scale with the annual
    value; growth and share schedules move by the same number of points.
    """
    if not t.schedule or t.value is None:
        return t.schedule
    if t.measure in (Measure.GROWTH, Measure.SHARE):
        return {k: v + (new - t.value) for k, v in t.schedule.items()}
    if t.value == 0:
        return t.schedule
    return {k: v * new / t.value for k, v in t.schedule.items()}


def apply_target_changes(plan: Plan, changes: Mapping[str, TargetChange]) -> tuple[Plan, list[Change]]:
    """A new plan with the changed targets (schedules follow, see :func:`_rescaled_schedule`)."""
    if not changes:
        return plan, []
    out: list[Change] = []
    targets = []
    for t in plan.targets:
        ch = changes.get(t.id)
        if ch is None:
            targets.append(t)
            continue
        new = ch.new_value(t.value)
        schedule = _rescaled_schedule(t, new)
        small = t.small_percent or ch.percent_written
        targets.append(t.model_copy(update={"value": new, "schedule": schedule, "small_percent": small}))
        old = "（无）" if t.value is None else f"{fmt_number(t.value, 4)}{t.unit}"
        text = f"目标“{t.label}”（{t.id}）由 {old} 调整为 {fmt_number(new, 4)}{t.unit}"
        if schedule != t.schedule:
            text += "，季度安排相应调整为 " + "、".join(f"{k} {fmt_number(v, 4)}{t.unit}" for k, v in (schedule or {}).items())
        out.append(Change("target", text))
    return plan.model_copy(update={"targets": targets}), out


# ---- projects added and removed ---------------------------------------------------------------------


def _added_frame(ledger: pd.DataFrame, added: Sequence[object]) -> pd.DataFrame:
    rows = [p.model_dump() for p in added]  # type: ignore[attr-defined]
    frame = empty_frame("ledger", len(rows))
    for col in frame.columns:
        values = [r.get(col) for r in rows]
        if frame[col].dtype.kind == "M":
            frame[col] = pd.to_datetime(pd.Series(values, dtype=object))
        elif col == "profit_tax_rate":  # percent number in the file, fraction inside
            frame[col] = pd.Series([np.nan if v is None else from_percent(v) for v in values], dtype=float)
        else:
            frame[col] = pd.Series(values, dtype=frame[col].dtype)
    keep = [c for c in frame.columns if c in ledger.columns or frame[c].notna().any()]
    frame = frame[keep]
    for col in frame.columns.intersection(ledger.columns):
        try:
            frame[col] = frame[col].astype(ledger[col].dtype)
        except (TypeError, ValueError):
            pass
    return frame


def apply_project_list(
    ledger: pd.DataFrame, progress: pd.DataFrame, added: Sequence[object], removed: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Change]]:
    """Ledger without the removed projects and with the added ones; progress without the removed."""
    out: list[Change] = []
    ledger, progress = ledger.copy(), progress.copy()
    if removed:
        gone = ledger["project_id"].isin(list(removed))
        names = _names(ledger[gone])
        ledger = ledger[~gone].reset_index(drop=True)
        if not progress.empty:
            progress = progress[~progress["project_id"].isin(list(removed))].reset_index(drop=True)
        out.append(Change("remove", f"移除项目 {int(gone.sum())} 个：{names}"))
    if added:
        frame = _added_frame(ledger, added)
        ledger = pd.concat([ledger, frame], ignore_index=True) if not ledger.empty else frame
        plan_sum = float(frame["annual_plan"].sum())
        out.append(Change("add", f"新增项目 {len(frame)} 个（年度计划投资合计 {fmt_number(plan_sum)} 万元）：{_names(frame)}"))
    return ledger, progress, out


def _names(frame: pd.DataFrame, most: int = 5) -> str:
    ids = frame["project_id"].astype(str)
    names = frame["name"].astype(str) if "name" in frame.columns else ids
    shown = "、".join((ids + " " + names).head(most))
    return shown + (f" 等 {len(frame)} 个" if len(frame) > most else "")


# ---- dates ----------------------------------------------------------------------------------------

_DATE_PAIRS = {"start": ("actual_start", "planned_start"), "completion": ("actual_completion", "planned_completion")}
_DATE_ZH = MILESTONE_ZH


def apply_planned_dates(ledger: pd.DataFrame, base: Period) -> tuple[pd.DataFrame, list[Change]]:
    """Projects not started (completed) by the base quarter end start (complete) on their planned date.

    Only planned dates in the rest of the plan year are used. A planned date on
    or before the base quarter end has passed without the event: the project
    is assumed not to start (complete) this year; one after the year end gets
    no date either. A project that does not start does not complete.
    """
    end = pd.Timestamp(base.end_date)
    year_end = pd.Timestamp(base.year, 12, 31)
    out = ledger.copy()
    texts = []
    for kind, (actual, planned) in _DATE_PAIRS.items():
        a, p = date_column(out, actual), date_column(out, planned)
        happened = a.notna() & (a <= end)
        new = a.where(happened, p.where((p > end) & (p <= year_end)))
        if kind == "completion":
            start = date_column(out, "actual_start")
            new = new.where(happened | (start.notna() & (new >= start)))
        changed = ~(new.eq(a) | (new.isna() & a.isna()))
        out[actual] = new
        future = int((~happened & new.notna()).sum())
        overdue = int((~happened & new.isna() & p.notna() & (p <= end)).sum())
        texts.append(
            f"年内 {future} 个项目按计划{_DATE_ZH[kind]}，{overdue} 个计划{_DATE_ZH[kind]}时间已过仍未{_DATE_ZH[kind]}、假定年内不{_DATE_ZH[kind]}（改动 {int(changed.sum())} 个项目的实际{_DATE_ZH[kind]}时间）"
        )
    return out, [Change("dates", f"{base.label_zh()}以后按计划日期推算：" + "；".join(texts))]


def _expected(a: pd.Series, p: pd.Series, end: pd.Timestamp, dates: str) -> pd.Series:
    """The expected date after the base quarter end: the recorded actual date after it, else
    (``dates: recorded``) the planned date. With ``dates: planned`` the actual column already
    holds every expected date (:func:`apply_planned_dates`): a project it leaves without one
    is assumed not to start (complete) this year, and a slip does not give it a date."""
    later = a.where(a > end)
    return later if dates == "planned" else later.fillna(p)


def select_slipped(ledger: pd.DataFrame, slip: Slip, base: Period, *, dates: str = "recorded") -> pd.Index:
    """Index labels of the projects a slip moves (deterministic; see :class:`Slip`)."""
    end = pd.Timestamp(base.end_date)
    actual, planned = _DATE_PAIRS[slip.kind]
    a, p = date_column(ledger, actual), date_column(ledger, planned)
    mask = pd.Series(True, index=ledger.index)
    if slip.projects:
        mask &= ledger["project_id"].isin(slip.projects)
    if slip.batch is not None:
        mask &= ledger["batch"].eq(slip.batch) if "batch" in ledger.columns else False
    if slip.unit is not None:
        mask &= ledger["unit"].eq(slip.unit) if "unit" in ledger.columns else False
    if slip.new_starts:
        mask &= ledger["is_new_start"].fillna(False).astype(bool) if "is_new_start" in ledger.columns else False
    happened = a.notna() & (a <= end)
    expected = _expected(a, p, end, dates)
    mask &= ~happened & expected.notna()
    chosen = ledger[mask]
    if slip.share is None and slip.count is None:
        return chosen.index
    n = milestone_count(from_percent(slip.share), len(chosen)) if slip.share is not None else min(int(slip.count or 0), len(chosen))
    order = pd.DataFrame({"planned": p[mask], "project_id": chosen["project_id"].astype(str)})
    if slip.order == "latest_planned":
        order = order.sort_values(["planned", "project_id"], ascending=[False, True], na_position="last", kind="mergesort")
    else:
        order = order.sort_values("project_id", kind="mergesort")
    return order.index[:n]


def apply_slips(ledger: pd.DataFrame, slips: Sequence[Slip], base: Period, *, dates: str = "recorded") -> tuple[pd.DataFrame, list[Change]]:
    """Move the expected start (completion) of the selected projects later by whole months.

    The expected date is the actual date when one is recorded after the base
    quarter end, else the planned date; the planned date itself (the
    yardstick) never moves. A moved date that would fall on or before the
    base quarter end is set to the first day after it. When a start moves past
    an expected completion, the completion moves by the same months. With
    ``dates="planned"`` (after :func:`apply_planned_dates`) only projects with an
    expected date after the base quarter move: one assumed not to start (complete)
    this year keeps no date, so a slip never makes a late project happen.
    """
    end = pd.Timestamp(base.end_date)
    first_after = end + pd.Timedelta(days=1)
    out = ledger.copy()
    changes: list[Change] = []
    for slip in slips:
        idx = select_slipped(out, slip, base, dates=dates)
        actual, planned = _DATE_PAIRS[slip.kind]
        a, p = date_column(out, actual), date_column(out, planned)
        expected = _expected(a, p, end, dates)[idx]
        moved = expected + pd.DateOffset(months=slip.months)
        moved = moved.where(moved > end, first_after)
        column = a.copy()
        column.loc[idx] = moved
        out[actual] = column
        if slip.kind == "start":
            c = date_column(out, "actual_completion")
            late = c.loc[idx].notna() & (c.loc[idx] < moved)
            pushed = c.loc[idx][late] + pd.DateOffset(months=slip.months)
            c.loc[pushed.index] = pushed.where(pushed >= moved[late], moved[late])
            if late.any():
                out["actual_completion"] = c
        year_end = pd.Timestamp(base.year, 12, 31)
        left_year = int(((expected <= year_end) & (moved > year_end)).sum())
        changes.append(Change("slip", _slip_text(out.loc[idx], slip, left_year)))
    return out, changes


def _slip_text(moved: pd.DataFrame, slip: Slip, left_year: int) -> str:
    zh = _DATE_ZH[slip.kind]
    which = []
    if slip.batch:
        which.append(f"项目类别“{BATCH_ZH.get(slip.batch, slip.batch)}”")
    if slip.unit:
        which.append(f"责任单位“{slip.unit}”")
    if slip.new_starts:
        which.append("计划新开工")
    scope = "、".join(which) or "点名"
    if slip.share is not None or slip.count is not None:
        part = f"{fmt_number(slip.share)}%" if slip.share is not None else f"{slip.count} 个"
        rule = "计划日期从晚到早" if slip.order == "latest_planned" else "项目编号顺序"
        scope += f"的尚未{zh}项目中按{rule}选取 {part}"
        if slip.count is not None and 0 < len(moved) < slip.count:
            scope += f"，符合条件的只有 {len(moved)} 个"
    if moved.empty:
        return f"推迟{zh}{slip.months}个月：{scope}项目中没有尚未{zh}的项目，未作改动"
    text = f"推迟{zh}{slip.months}个月（{scope}）：{_names(moved)}"
    if left_year:
        text += f"；其中 {left_year} 个因此推迟到下一年"
    return text


# ---- pace -------------------------------------------------------------------------------------------


def apply_pace(progress: pd.DataFrame, ledger: pd.DataFrame, pace: Pace, base: Period) -> tuple[pd.DataFrame, list[Change]]:
    """Progress rows for every month after the base quarter, at the scenario's pace.

    Rows already there for those months are replaced. A project is active from
    the month after the base quarter if it started by then or has completed
    something, else from the month of its (expected) start this year.
    Vectorised over projects × months.
    """
    year, m0 = base.year, base.end_month
    months = np.arange(m0 + 1, 13)
    if months.size == 0 or ledger.empty:
        return progress.copy(), []
    ids = ledger["project_id"].astype(str).to_numpy()
    done = ledger["project_id"].astype(str).map(cumulative_at(progress, base)).fillna(0.0).astype(float).to_numpy()
    start = date_column(ledger, "actual_start")
    started = (start.notna() & (start <= pd.Timestamp(base.end_date))).to_numpy() | (done > 0)
    start_month = np.where(start.dt.year.eq(year).to_numpy(), start.dt.month.fillna(13).to_numpy(), 13).astype(float)
    first = np.where(started, m0 + 1, np.where(start.notna().to_numpy() & (start > pd.Timestamp(base.end_date)).to_numpy(), start_month, 13))
    active = np.clip(months[None, :] - first[:, None] + 1, 0, None)
    if pace.basis == "share_of_remaining":
        annual = pd.to_numeric(ledger.get("annual_plan", pd.Series(0.0, index=ledger.index)), errors="coerce").fillna(0.0).to_numpy()
        remaining = np.clip(annual - done, 0, None)
        cum = done[:, None] + np.minimum(from_percent(active * remaining[:, None] * (pace.share or 0)), remaining[:, None])
        how = f"每月完成{base.label_zh()}末剩余年度计划的{fmt_number(pace.share)}%（不超过年度计划）"
    else:
        total = pd.to_numeric(ledger.get("total_investment", pd.Series(np.nan, index=ledger.index)), errors="coerce").to_numpy()
        cap = np.where(np.isfinite(total) & (total > 0), np.maximum(total, done), np.inf)
        cum = np.minimum(done[:, None] + active * (done / m0)[:, None], cap[:, None])
        how = f"每月按{base.label_zh()}的月均完成额继续推进（不超过总投资）"
    keep = cum > 0
    rows = pd.DataFrame(
        {
            "project_id": np.repeat(ids, months.size)[keep.ravel()],
            "month": np.tile(np.array([f"{year}-{m:02d}" for m in months]), len(ids))[keep.ravel()],
            "completed_cum": cum.ravel()[keep.ravel()],
        }
    )
    if progress.empty:
        kept = progress.iloc[0:0]
    else:
        later = progress["month"].astype(str).between(f"{year}-{m0 + 1:02d}", f"{year}-12")
        kept = progress[~later]
    replaced = len(progress) - len(kept)
    new = pd.concat([kept, rows.astype({"completed_cum": float})], ignore_index=True) if len(kept) else rows
    total_end = float(cum[:, -1].sum())
    text = f"{year}年{m0 + 1}—12月进度：{how}，新增 {len(rows)} 行，预计全年累计完成投资 {fmt_number(total_end)} 万元"
    if replaced:
        text += f"（替换基期之后已有的 {replaced} 行）"
    return new, [Change("pace", text)]


# ---- growth -----------------------------------------------------------------------------------------


def _indicator_zh(plan: Plan, indicator: str) -> str:
    for t in plan.targets:
        if t.indicator == indicator and t.measure is Measure.GROWTH:
            return t.label.removesuffix("增长").removesuffix("增速")
    return indicator_short_zh(indicator)  # when no growth target names it


def apply_growth(
    indicators: pd.DataFrame,
    profiles: pd.DataFrame,
    growth: Sequence[GrowthAssumption],
    base: Period,
    plan: Plan,
    *,
    source: str = "情景假设",
) -> tuple[pd.DataFrame, list[Change]]:
    """Indicator rows for the quarter ends after ``base`` under the assumed growth.

    ``cum_yoy`` is the cumulative growth of :func:`growth_path` (last year's
    profile, published growth at the base quarter); ``level`` is the published
    level at the base quarter (or (1 + growth) × last year's level so far)
    plus the assumed quarters' levels. Rows of the same indicator and area for
    later periods of the year are replaced.
    """
    out = indicators.copy()
    if not growth:
        return out, []
    changes: list[Change] = []
    new_rows: list[dict[str, object]] = []
    drop = pd.Series(False, index=out.index)
    ends = period_ends(out["period"]) if not out.empty else pd.DataFrame({"year": [], "end_month": []})
    for g in growth:
        jur = g.jurisdiction or plan.jurisdiction
        profile = profile_levels(profiles, jur, g.indicator, plan.year - 1)
        published = published_growth(indicators, jur, g.indicator, base)
        if profile is None or published is None:  # check_scenario reports these
            continue
        cum_k, level_k = published
        path = growth_path(profile, base.quarter, cum_k, g.fractions(base), basis=g.basis)
        level = level_k if np.isfinite(level_k) else path.done_level
        for q in range(base.quarter + 1, 5):
            level += path.levels[q]
            new_rows.append(
                {"jurisdiction": jur, "period": f"{base.year}Q{q}", "indicator": g.indicator, "level": level, "cum_yoy": path.cumulative[q], "source": source}
            )
        if not out.empty:
            drop |= (out["jurisdiction"] == jur) & (out["indicator"] == g.indicator) & (ends["year"] == base.year) & (ends["end_month"] > base.end_month)
        said = "、".join(f"{QUARTER_ZH[q]}{to_percent(path.single[q]):.1f}%" for q in range(base.quarter + 1, 5))
        cums = "、".join(f"{Period(base.year, 3 * q, 'quarter').label_zh()}{to_percent(path.cumulative[q]):.1f}%" for q in range(base.quarter + 1, 5))
        basis = "按各季度末累计增速假设" if g.basis == "cumulative" else "假设当季增长"
        changes.append(
            Change(
                "growth",
                f"{_indicator_zh(plan, g.indicator)}（{jur}）：{base.label_zh()}累计增长{to_percent(cum_k):.1f}%，{basis}，当季增速{said}；推算累计增速{cums}",
            )
        )
    added = pd.DataFrame(new_rows, columns=list(out.columns) if not out.empty else None)
    kept = out[~drop]
    if len(kept) and len(added):  # a made row has no file/sheet/row (its ``source`` says 情景假设): the read rows' types stay
        result = pd.concat([kept, added.dropna(axis=1, how="all")], ignore_index=True).reindex(columns=out.columns)
    else:
        result = (kept if len(kept) else added).reset_index(drop=True)
    return result, changes
