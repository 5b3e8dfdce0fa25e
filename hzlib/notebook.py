"""What the notebooks show, assembled in one call each (notebooks stay thin).

Each function returns a small object whose attributes are ready to display:
headings as Markdown text, tables as escaped HTML, charts as Figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .periods import Period
from .plan import check_plan, load_plan
from .plan.schema import Measure, Phasing
from .present import checkpoint_display, html_table
from .targets import checkpoint, checkpoints_frame

__all__ = ["TargetsOverview", "targets_overview"]



class Chart:
    """A figure shown as a PNG without software/date metadata; its text form is its title."""

    def __init__(self, fig: Any, title: str) -> None:
        from .charts_style import savefig

        self.png = savefig(fig, format="png")
        self.title = title

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"（图：{self.title}）"


@dataclass
class TargetsOverview:
    heading: str
    table: Any
    chart: Any
    warnings: Any
    frame: pd.DataFrame


def targets_overview(plan_id: str, quarter: str) -> TargetsOverview:
    """The plan's targets and this quarter's checkpoints (notebook 01)."""
    from . import charts

    plan = load_plan(plan_id)
    period = Period.parse(quarter)
    cp = checkpoints_frame(plan, period)
    n_cp = int(cp["is_checkpoint"].sum())
    heading = (
        f"## {plan.title}\n\n"
        f"**{period.label_zh()}**（时序进度 {float(period.progress):.0%}）：共 {len(cp)} 项量化目标，"
        f"其中 {n_cp} 项在本季度考核。出处：{plan.document_no or plan.source_file}"
        + ("（征求意见稿）" if plan.draft else "")
    )
    # paths of phased targets, as % of the annual value
    paths: dict[str, list[float]] = {}
    for t in plan.targets:
        if t.value in (None, 0) or t.year not in (None, plan.year):
            continue
        ph = t.effective_phasing
        if ph not in (Phasing.SCHEDULE, Phasing.TIME_PROGRESS, Phasing.PROFILE) or t.measure is Measure.GROWTH:
            continue
        cps = [checkpoint(t, plan.year, f"{plan.year}Q{q}", profile=plan.seasonal_profile).checkpoint for q in range(1, 5)]
        paths[t.label] = [float(c) / float(t.value) * 100.0 for c in cps if c is not None]
    # one line per distinct path, named after its first target and how many share it
    groups: dict[tuple[float, ...], list[str]] = {}
    for label, vals in paths.items():
        groups.setdefault(tuple(round(v, 6) for v in vals), []).append(label)
    paths = {
        (labels[0] if len(labels) == 1 else f"{labels[0]}等{len(labels)}项"): list(key)
        for key, labels in list(groups.items())[:8]
    }
    chart: Any = (
        Chart(charts.checkpoint_paths_chart(pd.DataFrame(paths).T), "各季度目标进度") if paths else "（本计划没有按季度分解的目标）"
    )
    warns = check_plan(plan)
    wtable = html_table(
        pd.DataFrame({"位置": [w.column or "" for w in warns], "说明": [w.message for w in warns]}),
        caption="计划文件核对",
        text=f"（计划文件核对：{len(warns)} 条）",
    )
    return TargetsOverview(heading, html_table(checkpoint_display(cp), text=f"（季度目标表：{len(cp)} 行）"), chart, wtable, cp)
