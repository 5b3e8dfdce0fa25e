"""The monthly bulletin (月通报): key projects' progress at the end of a month.

The plans' own rhythm is "周监测、月通报、季考核、年终评" (镇巴 2024, 四、（二）): every month the
office reports how the key projects stand; targets are assessed at quarter ends; the year-end
review is the fourth quarter's bulletin (with the annual scores where the plan has scoring
rules). A month that ends a quarter gets the quarterly bulletin; any other month with data gets
this shorter one, computed from the same evaluation as the quarterly report
(:func:`hzlib.report.model.build_report` attaches it as :attr:`ReportModel.monthly`):

- key projects' cumulative completed investment against the annual plan, beside the month's
  time progress (end of month n: n/12), for all key projects and by project level;
- planned new starts started and projects completed, to date;
- the projects behind time progress, unit by unit;
- the statistics published for that month, where there are any.

Worked example (two key projects, 1-5月, time progress 5/12 = 41.67%): annual plans 600 and
400 万元, 300 and 50 万元 completed → 350/1000 = 35.00% of the annual plan, 6.67 points below
time progress:

>>> import pandas as pd
>>> from hzlib.periods import Period
>>> st = pd.DataFrame({"project_id": ["a", "b"], "unit": ["甲镇", "乙镇"], "level": ["city", "county"],
...                    "annual_plan": [600.0, 400.0], "completed_cum": [300.0, 50.0]})
>>> row = progress_rows(st, Period.parse("2024-05")).iloc[0]
>>> from hzlib.units import to_percent
>>> [round(to_percent(float(row[c])), 2) for c in ("completion", "time_progress")], round(float(row["gap_pp"]), 2)
([35.0, 41.67], -6.67)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..arithmetic import ScheduleCheck, Status, completion_vs_schedule
from ..contracts import LEVEL_ZH
from ..errors import CoverageError
from ..evaluate.projects import behind_schedule
from ..periods import Period, period_ends, same_period
from ..plan.schema import Plan, Tolerances
from ..textfmt import fmt_number
from ..units import WAN_PER_YI, to_percent

__all__ = [
    "MonthlyBulletin",
    "is_month_request",
    "months_with_data",
    "months_zh",
    "check_month",
    "progress_rows",
    "openings_rows",
    "behind_by_unit",
    "month_statistics",
    "build_monthly",
    "BULLETIN_ZH",
    "bulletin_kind",
]

#: The two kinds of bulletin, by their Chinese names.
BULLETIN_ZH = {"monthly": "月通报", "quarterly": "季度通报"}

PROGRESS_COLUMNS = ["scope", "projects", "annual_plan", "completed_cum", "completion", "time_progress", "gap_pp", "status"]
OPENINGS_COLUMNS = ["item", "planned", "due", "done", "rate"]
BEHIND_COLUMNS = ["unit", "projects", "behind", "behind_projects", "worst_gap_pp"]
STATISTICS_COLUMNS = ["jurisdiction", "indicator", "indicator_zh", "level", "cum_yoy", "target"]


@dataclass(frozen=True)
class MonthlyBulletin:
    """What a monthly bulletin shows beyond the heading and banner (all figures from the one evaluation)."""

    month: Period
    #: key projects' completion against the annual plan and time progress: all, then by level
    progress: pd.DataFrame
    #: planned new starts started and planned completions completed, to date
    openings: pd.DataFrame
    #: the units with projects behind time progress, most behind first
    behind: pd.DataFrame
    #: the statistics published for the month (empty: none published)
    statistics: pd.DataFrame
    sentences: tuple[str, ...]
    #: the next quarter end, when the targets are assessed (季考核)
    next_assessment: Period


def bulletin_kind(label: str) -> str:
    """``monthly`` for a period label that is a month inside a quarter, else ``quarterly``.

    >>> bulletin_kind("2024-05"), bulletin_kind("2024Q2"), bulletin_kind("2024Q2-fast"), bulletin_kind("latest")
    ('monthly', 'quarterly', 'quarterly', 'quarterly')
    """
    return "monthly" if is_month_request(label) else "quarterly"


def is_month_request(requested: str | Period) -> bool:
    """Whether a requested period is a month that does not end a quarter (a monthly bulletin).

    >>> [is_month_request(s) for s in ("2024-05", "2024年1-5月", "2024-06", "2024Q2", "2024H1", "latest", "nonsense")]
    [True, True, False, False, False, False, False]
    """
    if isinstance(requested, Period):
        return not requested.is_quarter_end
    if requested.strip().lower() == "latest":
        return False
    try:
        return not Period.parse(requested).is_quarter_end
    except ValueError:
        return False


def _months(column: pd.Series, year: int) -> set[int]:
    ends = period_ends(column)
    return {int(m) for m in ends.loc[ends["year"] == year, "end_month"].dropna()}


def months_with_data(progress: pd.DataFrame, indicators: pd.DataFrame, tasks: pd.DataFrame, year: int) -> dict[str, list[int]]:
    """The months of ``year`` each source has data for: project progress (``progress``, by 月份), published
    statistics (``indicators``, by 期别) and reported figures (``tasks``, by 期别); sources without any are left out.

    >>> months_with_data(pd.DataFrame({"month": ["2024-01", "2024-02", "2023-12"]}), pd.DataFrame({"period": ["2024Q1"]}),
    ...                  pd.DataFrame(), 2024)
    {'项目进度': [1, 2], '统计指标': [3]}
    """
    out: dict[str, list[int]] = {}
    for name, frame, col in (("项目进度", progress, "month"), ("统计指标", indicators, "period"), ("任务报送", tasks, "period")):
        if not frame.empty and col in frame.columns:
            months = sorted(_months(frame[col], year))
            if months:
                out[name] = months
    return out


def months_zh(months: Iterable[int]) -> str:
    """Months as a statistician writes them: runs of consecutive months joined.

    >>> months_zh([1, 2, 3, 4, 5, 6, 7, 8, 9]), months_zh([3, 6, 9]), months_zh([1, 2, 3, 5]), months_zh([])
    ('1-9月', '3、6、9月', '1-3、5月', '无')
    """
    ms = sorted(set(months))
    if not ms:
        return "无"
    runs: list[list[int]] = []
    for m in ms:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return "、".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs) + "月"


def check_month(month: Period, year: int, sources: dict[str, list[int]]) -> None:
    """Refuse a monthly bulletin for a month none of the data files has (:class:`CoverageError`, exit code 2),
    naming the months that have data.

    >>> check_month(Period(2024, 11), 2024, {"项目进度": [1, 2, 3], "统计指标": [3]})
    Traceback (most recent call last):
    ...
    hzlib.errors.CoverageError: 2024年11月没有数据，不能生成月通报：有数据的月份为 2024年1-3月（项目进度 1-3月；统计指标 3月）
    """
    if month.year == year and any(month.end_month in ms for ms in sources.values()):
        return
    every = sorted({m for ms in sources.values() for m in ms})
    if not every:
        raise CoverageError(f"{month.year}年{month.end_month}月没有数据，不能生成月通报：数据中没有 {year} 年任何月份的项目进度、统计指标或任务报送")
    detail = "；".join(f"{name} {months_zh(ms)}" for name, ms in sources.items())
    raise CoverageError(f"{month.year}年{month.end_month}月没有数据，不能生成月通报：有数据的月份为 {year}年{months_zh(every)}（{detail}）")


def progress_rows(status: pd.DataFrame, month: Period, tolerances: Tolerances | None = None, overall: ScheduleCheck | None = None) -> pd.DataFrame:
    """Key projects' cumulative completed investment (万元) against the annual plan (万元) at the end of
    ``month``, beside its time progress: one row for all key projects, then one per project level.
    ``overall``: the evaluation's check over all key projects (:attr:`hzlib.evaluate.engine.Evaluation.completion`),
    shown as the first row as it is, so the monthly bulletin and the evaluation show one figure.

    ``completion`` and ``time_progress`` are fractions, ``gap_pp`` their difference in percentage points.
    """
    tp = float(month.progress)
    groups: list[tuple[str, pd.DataFrame]] = [("全部重点项目", status)]
    if "level" in status.columns and status["level"].notna().any():
        for level, zh in LEVEL_ZH.items():
            g = status[status["level"] == level]
            if len(g) and len(g) < len(status):
                groups.append((f"其中：{zh}", g))
    near = (tolerances or Tolerances()).near_pp
    rows = []
    for scope, g in groups:
        planned = float(g["annual_plan"].astype(float).fillna(0.0).sum()) if "annual_plan" in g.columns else 0.0
        if not g["completed_cum"].notna().any():
            rows.append(
                {
                    "scope": scope,
                    "projects": len(g),
                    "annual_plan": planned,
                    "completed_cum": float("nan"),
                    "completion": float("nan"),
                    "time_progress": tp,
                    "gap_pp": float("nan"),
                    "status": Status.NO_DATA.value,
                }
            )
            continue
        # completion against time progress: the one rule and the one sentence (hzlib.arithmetic.ScheduleCheck)
        c = (
            overall
            if overall is not None and g is status
            else completion_vs_schedule(float(g["completed_cum"].astype(float).sum()), planned, month, near_pp=near)
        )
        rows.append(
            {
                "scope": scope,
                "projects": len(g),
                "annual_plan": planned,
                "completed_cum": c.completed,
                "completion": c.rate,
                "time_progress": c.time_progress,
                "gap_pp": c.gap_pp,
                "status": c.status.value,
                "check": c,
            }
        )
    return pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, "check"])


def _flag(status: pd.DataFrame, name: str) -> pd.Series:
    if name not in status.columns:
        return pd.Series(False, index=status.index)
    return status[name].astype("boolean").fillna(False).astype(bool)


def openings_rows(status: pd.DataFrame) -> pd.DataFrame:
    """Planned new starts and planned completions of the year: how many in the plan (``planned``), how
    many due by the month's end (``due``: planned start/completion date by then) and how many done by
    then (``done``: actual start/completion date by then); ``rate`` = done ÷ planned."""
    new = _flag(status, "is_new_start")
    completing = _flag(status, "planned_completion_this_year")
    rows = [
        {
            "item": "计划新开工项目开工",
            "planned": int(new.sum()),
            "due": int((new & _flag(status, "due_start")).sum()),
            "done": int((new & _flag(status, "started")).sum()),
        },
        {
            "item": "计划年内竣工项目竣工",
            "planned": int(completing.sum()),
            "due": int(_flag(status, "due_completion").sum()),
            "done": int((completing & _flag(status, "completed")).sum()),
        },
    ]
    out = pd.DataFrame(rows, columns=OPENINGS_COLUMNS)
    out["rate"] = [d / p if p else float("nan") for d, p in zip(out["done"], out["planned"])]
    return out


def behind_by_unit(status: pd.DataFrame, tolerance_pp: float) -> pd.DataFrame:
    """Per responsible unit, its key projects whose completion is behind time progress by more than
    ``tolerance_pp`` points (:func:`hzlib.evaluate.projects.behind_schedule`), most behind first:
    ``behind_projects`` names them, each with how far behind it is."""
    if status.empty or "completion_ratio" not in status.columns:
        return pd.DataFrame(columns=BEHIND_COLUMNS)
    behind = behind_schedule(status, tolerance_pp)
    counts = status.groupby("unit", sort=True).size()
    rows = []
    for unit, g in behind.groupby("unit", sort=True):
        g = g.sort_values(["gap_pp", "project_id"])
        names = "、".join(f"{n}（落后{fmt_number(-float(v), 1)}个百分点）" for n, v in zip(g["name"], g["gap_pp"]))
        rows.append(
            {"unit": unit, "projects": int(counts.get(unit, len(g))), "behind": len(g), "behind_projects": names, "worst_gap_pp": float(g["gap_pp"].min())}
        )
    out = pd.DataFrame(rows, columns=BEHIND_COLUMNS)
    return out.sort_values(["behind", "worst_gap_pp", "unit"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def month_statistics(indicators: pd.DataFrame, month: Period, indicator_names: dict[str, str], growth_targets: dict[tuple[str, str], float]) -> pd.DataFrame:
    """The statistics published for ``month`` (rows of the indicators table whose 期别 is that month,
    however written): cumulative level (万元) and growth (%, as published), beside the plan's annual
    growth target where there is one (``growth_targets``: (jurisdiction, indicator) → target %), for
    reference: targets are assessed at quarter ends, so no status is given."""
    if indicators.empty:
        return pd.DataFrame(columns=STATISTICS_COLUMNS)
    rows = indicators[same_period(indicators["period"], month)]
    out = []
    for r in rows.itertuples():
        key = (str(r.jurisdiction), str(r.indicator))
        target = growth_targets.get(key, float("nan"))
        level = getattr(r, "level", float("nan"))
        out.append(
            {
                "jurisdiction": key[0],
                "indicator": key[1],
                "indicator_zh": indicator_names.get(key[1], key[1]),
                "level": level,
                "cum_yoy": to_percent(float(r.cum_yoy)) if pd.notna(r.cum_yoy) else float("nan"),
                "target": target,
            }
        )
    return pd.DataFrame(out, columns=STATISTICS_COLUMNS)


def _sentences(
    plan: Plan, month: Period, progress: pd.DataFrame, openings: pd.DataFrame, behind: pd.DataFrame, statistics: pd.DataFrame, next_q: Period
) -> list[str]:
    pzh = month.label_zh()
    tp = to_percent(float(month.progress))
    out = [
        f"本通报为{plan.jurisdiction}{plan.year}年重点项目建设月通报（{pzh}，时序进度{month.end_month}/12即{fmt_number(tp, 2)}%）："
        f"通报重点项目进展；各项目标按季度考核，下一次考核为{next_q.label_zh()}（{next_q.label()}）。"
    ]
    if len(progress):
        r = progress.iloc[0]
        if pd.notna(r["completion"]):
            out.append(
                r["check"].sentence_zh(
                    unit="亿元", period_zh=f"截至{month.end_month}月底，", subject=f"{int(r['projects'])}个重点项目", per_unit=WAN_PER_YI, with_status=True
                )
                + "。"
            )
        else:
            out.append(f"截至{month.end_month}月底，重点项目累计完成投资{Status.NO_DATA.zh}（项目进度表没有本年截至本月的数据）。")
    o = openings.set_index("item")
    ns = o.loc["计划新开工项目开工"]
    if ns["planned"]:
        out.append(
            f"{int(ns['planned'])}个计划新开工项目已开工{int(ns['done'])}个（开工率{fmt_number(to_percent(float(ns['rate'])), 1)}%），"
            f"按计划开工时间截至本月应开工{int(ns['due'])}个。"
        )
    cp = o.loc["计划年内竣工项目竣工"]
    if cp["planned"]:
        out.append(f"计划年内竣工{int(cp['planned'])}个项目已竣工{int(cp['done'])}个，按计划竣工时间截至本月应竣工{int(cp['due'])}个。")
    if len(behind):
        out.append(f"{int(behind['behind'].sum())}个项目投资进度落后于时序进度，涉及{len(behind)}个责任单位。")
    fai = statistics[(statistics["jurisdiction"] == plan.jurisdiction) & (statistics["indicator"] == "fai")] if len(statistics) else statistics
    if len(fai) and pd.notna(fai["cum_yoy"].iloc[0]):
        out.append(
            f"统计部门公布：{pzh}{plan.jurisdiction}{fai['indicator_zh'].iloc[0]}累计增长{fmt_number(float(fai['cum_yoy'].iloc[0]), 1)}%"
            f"（{len(statistics)}项指标见下表）。"
        )
    if statistics.empty:
        out.append(f"{pzh}没有公布的统计数据（统计数据只在公布的月份列出）。")
    return out


def build_monthly(
    plan: Plan,
    status: pd.DataFrame,
    month: Period,
    *,
    indicators: pd.DataFrame,
    indicator_names: dict[str, str],
    growth_targets: dict[tuple[str, str], float],
    completion: ScheduleCheck | None = None,
) -> MonthlyBulletin:
    """The monthly bulletin of ``plan`` at ``month`` from the key projects' status at its end
    (:attr:`hzlib.evaluate.engine.Evaluation.status`), their completion against time progress
    (:attr:`~hzlib.evaluate.engine.Evaluation.completion`) and the indicators table (pure)."""
    progress = progress_rows(status, month, plan.tolerances, completion) if not status.empty else pd.DataFrame(columns=PROGRESS_COLUMNS)
    openings = openings_rows(status)
    behind = behind_by_unit(status, plan.tolerances.near_pp)
    stats = month_statistics(indicators, month, indicator_names, growth_targets)
    next_q = Period(month.year, 3 * month.quarter, "quarter")
    sentences = _sentences(plan, month, progress, openings, behind, stats, next_q)
    return MonthlyBulletin(month, progress, openings, behind, stats, tuple(sentences), next_q)
