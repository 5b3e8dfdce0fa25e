"""Project-ledger measures at a period end. Pure, vectorised pandas; no I/O.

Input frames follow :mod:`hzlib.contracts` (money in 万元, dates as datetime64).
Rates are fractions. Worked example (three planned new starts, two started by
the end of June):

>>> import pandas as pd
>>> ledger = pd.DataFrame({
...     "project_id": ["a", "b", "c"], "unit": ["甲县", "甲县", "乙县"], "level": ["city"] * 3,
...     "ownership": ["private", "state", "private"], "batch": ["start"] * 3, "is_new_start": [True] * 3,
...     "total_investment": [1000.0, 2000.0, 500.0], "annual_plan": [400.0, 600.0, 200.0],
...     "actual_start": pd.to_datetime(["2019-03-01", None, "2019-06-30"])})
>>> progress = pd.DataFrame({"project_id": ["a", "c"], "month": ["2019-06", "2019-06"],
...     "completed_cum": [250.0, 20.0]})
>>> st = project_status(ledger, progress, "2019Q2")
>>> st["started"].tolist(), st["completed_cum"].tolist()
([True, False, True], [250.0, 0.0, 20.0])
>>> r = unit_rates(st, "2019Q2")
>>> float(r.loc["甲县", "start_rate"]), float(r.loc["甲县", "invest_completion"])
(0.5, 0.25)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arithmetic import DEFAULT_NEAR_PP, ScheduleCheck, Status, completion_vs_schedule, status_for_gap, statuses_for_gaps
from ..contracts import BATCH_ZH, LEDGER_COLUMNS, PROCEDURES
from ..periods import Period
from ..plan.indicators import INDICATORS
from ..units import to_percent
from .measures import NO_PROCEDURES, NO_PROGRESS
from .scope import filled_columns

__all__ = [
    "project_status",
    "cumulative_rows_at",
    "unit_flags",
    "unit_rates",
    "rate_gaps",
    "RATE_COLUMNS",
    "NO_DATA_COLUMNS",
    "batch_summary",
    "not_started",
    "behind_schedule",
    "unit_statuses",
    "completion_check",
    "missed_completions",
    "ownership_shares",
]

#: Rates computed per unit, with their Chinese names.
RATE_COLUMNS = {
    "start_rate": "开工率",
    "procedure_rate": "前期手续办结率",
    "invest_completion": "计划投资完成率",
    "completion_rate": "竣工投产达效率",
    "reserve_start_rate": "储备项目开工率",
    "landing_rate": "招商引资落地率",
}


_COLUMN_ZH = {c.id: c.zh for c in LEDGER_COLUMNS}


def _col(df: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series(default, index=df.index)


def _bool(df: pd.DataFrame, name: str) -> pd.Series:
    return _col(df, name, False).fillna(False).astype(bool)


def _date(df: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(_col(df, name, pd.NaT))


def cumulative_at(progress: pd.DataFrame, period: str | Period) -> pd.Series:
    """Cumulative completed investment (万元) per project at the period end.

    Uses the latest month of the period's year up to the end month; a project
    with no progress row by then has completed 0. Vectorised for millions of rows:
    months and project ids are factorised once, then each month of the year is
    visited from the latest back, filling projects not filled yet.

    >>> prog = pd.DataFrame({"project_id": ["a", "a", "b", "a"], "month": ["2024-03", "2024-06", "2024-03", "2024-09"],
    ...                      "completed_cum": [1.0, 2.0, 5.0, 9.0]})
    >>> cumulative_at(prog, "2024Q2").to_dict()
    {'a': 2.0, 'b': 5.0}
    """
    pos = cumulative_rows_at(progress, period)
    if pos.empty:
        return pd.Series(dtype=float, name="completed_cum")
    values = progress["completed_cum"].to_numpy(dtype=float)
    return pd.Series(values[pos.to_numpy()], index=pos.index, name="completed_cum")


def cumulative_rows_at(progress: pd.DataFrame, period: str | Period) -> pd.Series:
    """Per project, the position (0-based, in ``progress``) of the row :func:`cumulative_at` reads.

    >>> prog = pd.DataFrame({"project_id": ["a", "a", "b"], "month": ["2024-03", "2024-06", "2024-03"], "completed_cum": [1.0, 2.0, 5.0]})
    >>> cumulative_rows_at(prog, "2024Q2").to_dict()
    {'a': 1, 'b': 2}
    """
    p = Period.parse(period)
    empty = pd.Series(dtype="int64", name="row", index=pd.Index([], name="project_id"))
    if progress.empty:
        return empty
    month_codes, months = pd.factorize(progress["month"].astype(str), sort=True)
    wanted = [(i, m) for i, m in enumerate(months) if f"{p.year}-01" <= m <= f"{p.year}-{p.end_month:02d}"]
    if not wanted:
        return empty
    pid_codes, pids = pd.factorize(progress["project_id"])
    out = np.full(len(pids), -1, dtype=np.int64)
    filled = np.zeros(len(pids), dtype=bool)
    for code, _ in reversed(wanted):  # latest month first
        rows = np.flatnonzero(month_codes == code)
        ids = pid_codes[rows]
        new = ~filled[ids]
        out[ids[new]] = rows[new]
        filled[ids[new]] = True
    return pd.Series(out[filled], index=pd.Index(pids[filled], name="project_id"), name="row")


def project_status(ledger: pd.DataFrame, progress: pd.DataFrame, period: str | Period) -> pd.DataFrame:
    """One row per project with what is true of it at the period end.

    Added columns: ``started``, ``procedures_done``, ``completed`` (actual
    completion by the end), ``due_completion`` (planned completion this year by
    the end), ``due_start`` (planned start by the end), ``completed_cum`` (万元),
    ``completion_ratio`` (completed_cum / annual_plan), ``time_progress``,
    ``gap_pp`` (completion ratio − time progress, in pp).

    What the ledger cannot tell is NA, never False or 0: ``procedures_done`` when it
    has no procedure date at all, ``completed_cum`` when there is no monthly progress
    of the year up to the period end (a project missing from progress that exists has 0).
    """
    p = Period.parse(period)
    end = pd.Timestamp(p.end_date)
    year_start = pd.Timestamp(p.year, 1, 1)
    out = ledger.copy()
    actual_start = _date(out, "actual_start")
    actual_completion = _date(out, "actual_completion")
    planned_start = _date(out, "planned_start")
    planned_completion = _date(out, "planned_completion")
    out["started"] = actual_start.notna() & (actual_start <= end)
    procs = [c for c in PROCEDURES if c in out.columns]
    if any(out[c].notna().any() for c in procs):  # a ledger without any procedure date cannot tell (NA, 无数据)
        done = np.ones(len(out), dtype=bool)
        for c in procs:
            d = pd.to_datetime(out[c])
            done &= (d.notna() & (d <= end)).to_numpy()
        out["procedures_done"] = done
    else:
        out["procedures_done"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out["completed"] = actual_completion.notna() & (actual_completion <= end)
    out["due_completion"] = planned_completion.notna() & (planned_completion >= year_start) & (planned_completion <= end)
    out["planned_completion_this_year"] = planned_completion.dt.year.eq(p.year).fillna(False)
    out["due_start"] = planned_start.notna() & (planned_start <= end)
    rows_read = cumulative_rows_at(progress, p)  # the progress row each project's completed_cum is read from
    if len(rows_read):
        pos = out["project_id"].map(rows_read)
        at = pos.fillna(0).astype("int64").to_numpy()
        vals = progress["completed_cum"].to_numpy(dtype=float)[at]
        read = pos.notna().to_numpy() & ~np.isnan(vals)
        out["completed_cum"] = np.where(read, vals, 0.0)  # a project without a row of the year by then has completed 0
    else:  # without any progress of the year up to the end, completed investment is unknown (无数据), not 0
        out["completed_cum"] = np.nan
    if len(rows_read) and "_src_row" in progress.columns:  # provenance of each completed_cum
        has = pd.Series(pos.notna().to_numpy(), index=out.index)
        for c in ("_src_file", "_src_sheet", "_src_row"):
            src = progress[c].take(at)  # only the rows read, in their own (compact) dtype
            src.index = out.index
            out[c.replace("_src_", "_src_cum_")] = src.where(has)
    plan = _col(out, "annual_plan", np.nan).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["completion_ratio"] = np.where(plan > 0, out["completed_cum"] / plan, np.nan)
    tp = float(p.progress)
    out["time_progress"] = tp
    out["gap_pp"] = to_percent(out["completion_ratio"] - tp)
    return out


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = num.astype(float)
    den = den.astype(float)
    return (num / den.where(den > 0)).astype(float)


def unit_flags(status: pd.DataFrame) -> pd.DataFrame:
    """Per project (status row), what it adds to each numerator and denominator of :func:`unit_rates`
    (the rows behind a unit's rates, see :mod:`hzlib.evaluate.derivation`)."""
    s = status
    new = _bool(s, "is_new_start")
    reserve = _col(s, "batch", "").eq("reserve")
    signed = _bool(s, "is_signed")
    landed = _bool(s, "land_approved")
    return pd.DataFrame(
        {
            "projects": 1,
            "new_starts": new.astype(int),
            "new_started": (new & s["started"]).astype(int),
            "new_procedures_done": (new & s["procedures_done"].fillna(False).astype(bool)).astype(int),
            "annual_plan": _col(s, "annual_plan", 0.0).astype(float).fillna(0.0),
            "completed_cum": s["completed_cum"].astype(float),
            "planned_completions": s["planned_completion_this_year"].astype(int),
            "completions": (s["planned_completion_this_year"] & s["completed"]).astype(int),
            "due_completions": s["due_completion"].astype(int),
            "due_completed": (s["due_completion"] & s["completed"]).astype(int),
            "reserve": reserve.astype(int),
            "reserve_started": (reserve & s["started"]).astype(int),
            "signed": signed.astype(int),
            "landed": (signed & landed).astype(int),
        },
        index=s.index,
    )


#: Rate → the column of :func:`unit_rates` that says why the ledger cannot give it ("" when it can).
NO_DATA_COLUMNS = {rate: f"{rate}_no_data" for rate in RATE_COLUMNS}


def unit_rates(status: pd.DataFrame, period: str | Period, by: str | list[str] = "unit") -> pd.DataFrame:
    """The rates (fractions) and their numerators/denominators per group.

    - 开工率: planned new starts started by the end ÷ planned new starts
    - 前期手续办结率: planned new starts with all main procedures done ÷ planned new starts
    - 计划投资完成率: completed investment ÷ annual planned investment
    - 竣工投产达效率: projects completed ÷ projects planned to complete this year
      (``due_completions``/``due_completed``: those planned to complete by the period end)
    - 储备项目开工率: reserve projects started ÷ reserve projects
    - 招商引资落地率: signed projects with approved land ÷ signed projects

    A rate the ledger cannot give (:func:`rate_gaps`: its columns have no value) is NaN for
    every group; its :data:`NO_DATA_COLUMNS` column says why (empty for a rate it gives), and
    ``no_data`` says which and why in one line (``开工率：why；…``, 无数据, never 0%).
    """
    s = status
    frame = unit_flags(s)
    keys = [by] if isinstance(by, str) else list(by)
    for k in keys:
        frame[k] = s[k].values
    g = frame.groupby(keys, sort=True, dropna=False).sum(numeric_only=True)
    g["start_rate"] = _ratio(g["new_started"], g["new_starts"])
    g["procedure_rate"] = _ratio(g["new_procedures_done"], g["new_starts"])
    g["invest_completion"] = _ratio(g["completed_cum"], g["annual_plan"])
    g["completion_rate"] = _ratio(g["completions"], g["planned_completions"])
    g["reserve_start_rate"] = _ratio(g["reserve_started"], g["reserve"])
    g["landing_rate"] = _ratio(g["landed"], g["signed"])
    gaps = rate_gaps(s)
    for rate in gaps:
        g[rate] = float("nan")
    if s["completed_cum"].isna().all():  # no progress: completed investment unknown, not 0
        g["completed_cum"] = float("nan")
    g["no_data"] = "；".join(f"{RATE_COLUMNS[r]}：{why}" for r, why in gaps.items())
    for rate, col in NO_DATA_COLUMNS.items():
        g[col] = gaps.get(rate, "")
    g["time_progress"] = float(Period.parse(period).progress)
    g["invest_gap_pp"] = to_percent(g["invest_completion"] - g["time_progress"])
    return g


def rate_gaps(status: pd.DataFrame) -> dict[str, str]:
    """The rates of :data:`RATE_COLUMNS` this ledger cannot give, with why (无数据, never 0%).

    A rate needs the columns of its measure (the catalogue's ``needs``) to have values, and
    前期手续办结率 at least one procedure date column with a value.

    >>> rate_gaps(pd.DataFrame({"is_new_start": [True], "proc_land": [pd.NaT], "batch": ["start"],
    ...                         "planned_completion": [pd.NaT], "annual_plan": [1.0]}))["procedure_rate"]
    '台账没有前期手续办结时间列（规划、土地、环评、能评）'
    """
    filled = filled_columns(status)
    out: dict[str, str] = {}
    for rate in RATE_COLUMNS:
        lacking = [c for c in INDICATORS[rate].needs if c not in filled]
        if lacking:
            out[rate] = "台账没有" + "、".join(f"“{_COLUMN_ZH.get(c, c)}”" for c in lacking) + "列（或该列全为空）"
        elif rate == "procedure_rate" and not any(c in filled for c in PROCEDURES):
            out[rate] = NO_PROCEDURES
        elif INDICATORS[rate].needs_progress and "completed_cum" not in filled:
            out[rate] = NO_PROGRESS
    return out


def totals(status: pd.DataFrame, period: str | Period) -> pd.Series:
    """The same measures as :func:`unit_rates` over all projects."""
    s = status.assign(_all="全部")
    return unit_rates(s, period, by="_all").iloc[0]


def batch_summary(status: pd.DataFrame, batch_col: str = "batch") -> pd.DataFrame:
    """Counts and investment (万元) per 四个一批 batch."""
    order = ["plan", "reserve", "start", "advance", "complete"]
    b = status[batch_col].astype("string").fillna("unknown")
    g = (
        pd.DataFrame(
            {
                "batch": b,
                "projects": 1,
                "total_investment": _col(status, "total_investment", 0.0).astype(float),
                "annual_plan": _col(status, "annual_plan", 0.0).astype(float),
                "completed_cum": status["completed_cum"].astype(float),
            }
        )
        .groupby("batch", sort=False)
        .sum()
    )
    g = g.reindex([x for x in order if x in g.index] + [x for x in g.index if x not in order])
    g.insert(0, "batch_zh", [BATCH_ZH.get(x, x) for x in g.index])
    return g


def not_started(status: pd.DataFrame) -> pd.DataFrame:
    """Planned new starts not started by the period end (攻坚台账), latest planned start last."""
    s = status[_bool(status, "is_new_start") & ~status["started"]]
    return s.sort_values(["unit", "planned_start", "project_id"], na_position="last")


def behind_schedule(status: pd.DataFrame, near_pp: float = DEFAULT_NEAR_PP) -> pd.DataFrame:
    """Projects whose completion against time progress is 未达标 by the one status rule
    (:func:`hzlib.arithmetic.status_for_gap`): behind by more than ``near_pp`` (the plan's
    ``tolerances.near_pp``), most behind first. A project without a ratio is not listed.

    >>> st = pd.DataFrame({"project_id": ["a", "b", "c"], "completion_ratio": [0.47, 0.48, None], "gap_pp": [-3.0, -2.0, None]})
    >>> behind_schedule(st)["project_id"].tolist(), behind_schedule(st, 1.0)["project_id"].tolist()
    (['a'], ['a', 'b'])
    """
    missed = np.array([st is Status.MISSED for st in statuses_for_gaps(status["gap_pp"].to_numpy(dtype=float), near_pp)], dtype=bool)
    s = status[missed & status["completion_ratio"].notna().to_numpy()]
    return s.sort_values(["gap_pp", "project_id"])


def unit_statuses(units: pd.DataFrame, near_pp: float, start_checkpoint: float | None) -> pd.DataFrame:
    """:func:`unit_rates` with each unit's statuses by the one status rule
    (:func:`hzlib.arithmetic.status_for_gap`, band ``near_pp``):

    - ``invest_status``: completion against time progress (``invest_gap_pp``);
    - ``start_status``: the start rate against ``start_checkpoint`` (%, the plan's start-rate
      target this period; 未到期 when there is none).

    A unit without annual planned investment (or new starts), or without the figure, is 无数据.

    >>> u = pd.DataFrame({"annual_plan": [100.0, 0.0], "invest_completion": [0.49, float("nan")], "invest_gap_pp": [-1.0, float("nan")],
    ...                   "new_starts": [4, 2], "start_rate": [0.5, 1.0]}, index=["甲县", "乙县"])
    >>> r = unit_statuses(u, 2.0, 60.0)
    >>> r["invest_status"].tolist(), r["start_status"].tolist()
    (['near', 'no_data'], ['missed', 'met'])
    >>> unit_statuses(u, 2.0, None)["start_status"].tolist()
    ['pending', 'pending']
    """
    if units.empty:
        return units
    u = units.copy()

    def status(gaps: pd.Series, values: pd.Series, has: pd.Series, due: bool) -> list[str]:
        out = []
        for g, v, ok in zip(gaps, values, has):
            if not ok or pd.isna(v):
                out.append(Status.NO_DATA.value)
            else:
                out.append(status_for_gap(float(g), near_pp).value if due else Status.PENDING.value)
        return out

    u["invest_status"] = status(u["invest_gap_pp"], u["invest_completion"], u["annual_plan"] > 0, True)
    start_gap = to_percent(u["start_rate"]) - (start_checkpoint if start_checkpoint is not None else np.nan)
    u["start_status"] = status(start_gap, u["start_rate"], u["new_starts"] > 0, start_checkpoint is not None)
    return u


def completion_check(totals: pd.Series, period: str | Period, near_pp: float) -> ScheduleCheck | None:
    """Completed investment of all projects against time progress (figures in 万元), by the one
    status rule; None when the ledger cannot tell (no annual planned investment, no progress)."""
    if not len(totals) or not float(totals["annual_plan"]) > 0 or pd.isna(totals["invest_completion"]):
        return None
    done = float(totals["completed_cum"])
    if not done >= 0:
        return None
    return completion_vs_schedule(done, float(totals["annual_plan"]), period, near_pp=near_pp)


def missed_completions(status: pd.DataFrame) -> pd.DataFrame:
    """Projects planned to complete by the period end that have not completed."""
    s = status[status["due_completion"] & ~status["completed"]]
    return s.sort_values(["unit", "planned_completion", "project_id"])


def ownership_shares(status: pd.DataFrame) -> dict[str, float]:
    """Shares of completed investment: private (民间) and industry (产业项目) in all.

    Ledger-based shares cover key projects only; published statistics, when
    present, are preferred for the plan's share targets.
    """
    total = float(status["completed_cum"].sum())
    if total <= 0:
        return {"private_share": float("nan"), "industry_share": float("nan")}
    private = float(status.loc[_col(status, "ownership", "").eq("private"), "completed_cum"].sum())
    industry = float(status.loc[_bool(status, "is_industry"), "completed_cum"].sum())
    return {"private_share": private / total, "industry_share": industry / total}
