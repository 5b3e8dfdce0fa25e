"""The report's charts, from a :class:`~hzlib.report.model.ReportModel`.

Each function returns a :class:`Chart` (drawn once per model and kept while the model lives:
the notebooks of one report share it): the PNG (drawn in :func:`hzlib.charts_style.chart_style`,
without touching matplotlib's global settings), its title, and ``data``: the numbers it
draws with their statuses, exactly as the model has them, so a test can check that a
chart and a table never disagree. Colours come from the statuses in the model (the one
status rule), never from thresholds recomputed here.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from .. import charts
from ..charts_style import chart_style, savefig
from ..plan.schema import Measure, Phasing
from ..units import to_percent
from .model import ReportModel, ranked_rates

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "Chart",
    "or_placeholder",
    "ranking_chart",
    "status_chart",
    "growth_charts",
    "start_rate_chart",
    "completion_chart",
    "batch_chart",
    "checkpoint_paths_chart",
]


def _once(fn: F) -> F:
    """Draw each chart of a model once: the same model's chart is shown by several notebooks of
    a report (they run in one kernel). A model is immutable and hashed by identity; its charts
    are kept only as long as the model itself (a worker rendering hundreds of reports keeps
    no chart of a model it has dropped)."""
    memo: weakref.WeakKeyDictionary[ReportModel, dict[Any, Any]] = weakref.WeakKeyDictionary()

    @functools.wraps(fn)
    def once(m: ReportModel, *args: Any, **kwargs: Any) -> Any:
        charts_of_m = memo.setdefault(m, {})
        key = (args, tuple(sorted(kwargs.items())))
        if key not in charts_of_m:
            charts_of_m[key] = fn(m, *args, **kwargs)
        return charts_of_m[key]

    return once  # type: ignore[return-value]


class Chart:
    """A figure shown as a PNG without software/date metadata; its text form is its title."""

    def __init__(self, title: str, data: pd.DataFrame, draw: Any) -> None:
        with chart_style():
            fig = draw()
            self.png = savefig(fig, format="png")
        self.title = title
        self.data = data

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"（图：{self.title}）"


def or_placeholder(chart: Chart | None) -> Any:
    """What a notebook cell shows for a chart that may be absent: the chart, or a sentence saying
    there is no such chart this period (a chart function returns None when it has no data)."""
    if chart is not None:
        return chart
    from IPython.display import Markdown  # lazy: IPython.display costs 40 ms at import of this module (hz whatif and the renderers draw charts without it)

    return Markdown("（本期无此图：没有相应数据）")


@_once
def status_chart(m: ReportModel) -> Chart:
    counts = m.summary
    data = pd.DataFrame({"status": list(counts), "targets": list(counts.values())})
    return Chart("目标完成情况", data, lambda: charts.status_chart(counts))


@_once
def growth_charts(m: ReportModel, limit: int = 6) -> list[Chart]:
    """Cumulative growth by quarter against the target, for the plan's jurisdiction: every
    indicator with a growth target, then FAI even without one (what the data says)."""
    tr = m.indicators
    if tr.empty:
        return []
    own = tr[tr["jurisdiction"] == m.plan.jurisdiction]
    picked = pd.concat([own[own["target_id"] != ""], own[(own["target_id"] == "") & (own["indicator"] == "fai")]])
    out: list[Chart] = []
    k = m.period.quarter if m.period.is_quarter_end else m.period.end_month // 3
    for r in picked.head(limit).itertuples():
        series = [None if pd.isna(v) else float(v) for v in (r.q1, r.q2, r.q3, r.q4)]
        if not any(v is not None for v in series):
            continue
        target = None if r.target is None or pd.isna(r.target) else float(r.target)
        required = None
        if r.target_id:
            row = m.target(r.target_id)
            required = None if pd.isna(row["required_growth"]) else float(row["required_growth"])
        title = f"{r.indicator_zh}（累计同比）" + ("" if target is not None else "：计划未设目标")
        data = pd.DataFrame({"quarter": [1, 2, 3, 4], "growth": series, "target": [target] * 4, "required": [required] * 4})
        out.append(Chart(r.indicator_zh, data, lambda s=series, t=target, q=required, ti=title: charts.growth_chart(ti, s, [t] * 4, q, max(k, 1))))
    return out


@_once
def start_rate_chart(m: ReportModel) -> Chart | None:
    u = m.units
    if u.empty or not (u["new_starts"] > 0).any():
        return None
    has = u[u["new_starts"] > 0]
    cp = None
    if m.start_target is not None:
        cp = float(m.target(m.start_target)["checkpoint"])
    data = pd.DataFrame({"unit": has.index.astype(str), "rate": to_percent(has["start_rate"]), "status": has["start_status"]}).reset_index(drop=True)
    title = "分单位新开工项目开工率（%）"
    return Chart("分单位开工率", data, lambda: charts.unit_rate_chart(list(data["unit"]), list(data["rate"]), cp, title, statuses=list(data["status"])))


@_once
def completion_chart(m: ReportModel) -> Chart | None:
    u = m.units
    if u.empty or not (u["annual_plan"] > 0).any():
        return None
    has = u[u["annual_plan"] > 0]
    data = pd.DataFrame({"unit": has.index.astype(str), "rate": to_percent(has["invest_completion"]), "status": has["invest_status"]}).reset_index(drop=True)
    tp = float(m.period.progress)
    near = m.plan.tolerances.near_pp
    return Chart(
        "计划投资完成率与时序进度", data, lambda: charts.completion_chart(list(data["unit"]), list(data["rate"]), tp, near, statuses=list(data["status"]))
    )


@_once
def batch_chart(m: ReportModel) -> Chart | None:
    if m.batches.empty:
        return None
    b = m.batches
    data = pd.DataFrame({"batch": b["batch_zh"].values, "projects": b["projects"].values, "total_investment": b["total_investment"].values})
    return Chart("四个一批", data, lambda: charts.batch_chart(b))


@_once
def checkpoint_paths_chart(m: ReportModel) -> Chart | None:
    """Phased targets' checkpoints by quarter as % of their annual value (one line per distinct path)."""
    plan = m.plan
    paths: dict[str, list[float]] = {}
    for t in plan.targets:
        if t.value in (None, 0) or t.year not in (None, plan.year):
            continue
        ph = t.effective_phasing
        if ph not in (Phasing.SCHEDULE, Phasing.TIME_PROGRESS, Phasing.PROFILE) or t.measure is Measure.GROWTH:
            continue
        cps = m.evaluation.checkpoint_path.loc[t.id]  # the evaluation's checkpoints at each quarter end
        assert t.value is not None
        paths[t.label] = [to_percent(float(c) / float(t.value)) for c in cps if not pd.isna(c)]
    groups: dict[tuple[float, ...], list[str]] = {}
    for label, vals in paths.items():
        groups.setdefault(tuple(round(v, 6) for v in vals), []).append(label)
    named = {(labels[0] if len(labels) == 1 else f"{labels[0]}等{len(labels)}项"): list(key) for key, labels in list(groups.items())[:8]}
    if not named:
        return None
    frame = pd.DataFrame(named).T
    frame.columns = ["Q1", "Q2", "Q3", "Q4"][: frame.shape[1]]
    return Chart("各季度目标进度", frame, lambda: charts.checkpoint_paths_chart(frame))


@_once
def ranking_chart(m: ReportModel) -> Chart | None:
    """Each kind's units, best on top: by score under the plan's own rule (its awards coloured by
    their typed tone), else by the rate the units' progress is ordered by, without awards."""
    rk = m.ranking
    if rk.empty or (m.scores is not None and rk["total"].isna().all()):
        return None
    scored = m.scores is not None
    if scored:
        value, title = rk["total"], "考核得分（分）"
    else:
        rates = ranked_rates(rk)  # the rates the units are ordered by, first first
        if not rates:
            return None
        rate, zh = next(iter(rates.items()))
        value, title = to_percent(rk[rate]), f"{zh}（%，由高到低排列，不评比）"
    data = pd.DataFrame({"kind": rk["kind_zh"], "unit": rk["unit"], "value": value, "rank": rk["rank"], "award": rk["award"], "tone": rk["award_tone"]})
    data = data[data["value"].notna()].reset_index(drop=True)
    return Chart("排名" if scored else "分单位进度", data, lambda: charts.ranking_chart(data, title, higher_is_better=True))
