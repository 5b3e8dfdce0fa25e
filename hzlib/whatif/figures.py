"""Charts of a :class:`~hzlib.whatif.compare.WhatIf`, drawn in the bulletin's style.

Each function returns a :class:`hzlib.report.figures.Chart` (PNG without metadata, drawn
inside :func:`hzlib.charts_style.chart_style`, text repr ``（图：title）``) whose ``data`` is
exactly what it draws, read from the comparison model; every title says 情景假设 where a
scenario is drawn. Figures are made without pyplot, so a notebook shows each once.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from ..charts import Segment, label_segments, renderer_of
from ..charts_style import PALETTE, STATUS_COLORS, STATUS_LABELS
from ..report.figures import Chart
from ..units import from_percent, to_percent
from .compare import ASSUMED_ZH, GrowthOutlook, WhatIf

__all__ = ["sensitivity_chart", "sensitivity_charts", "required_chart", "history_chart", "status_compare_chart", "new_starts_chart"]

_MARKERS = ("o", "s", "^", "D", "v", "P")


def _points_frame(g: GrowthOutlook, w: WhatIf) -> pd.DataFrame:
    names = {r.id: name for name, r in w.names()}
    return pd.DataFrame(
        {
            "scenario": [names.get(p.scenario_id, p.scenario_id) for p in g.points],
            "row": [to_percent(p.row) for p in g.points],
            "col": [to_percent(p.col) for p in g.points],
            "year_end": [to_percent(p.year_end) for p in g.points],
        }
    )


def sensitivity_chart(g: GrowthOutlook, w: WhatIf) -> Chart:
    """Year-end growth over the remaining quarters' growth: a heat map centred on the target,
    the break-even line (solved, not read off the grid) and where each scenario lands.
    With one quarter left it is a line: year-end growth against Q4 growth."""
    grid = g.grid
    values = to_percent(np.asarray(grid.values, dtype=float))
    rows = to_percent(np.asarray(grid.rows))
    target = to_percent(g.target)
    pts = _points_frame(g, w)
    title = f"{g.label}：其余季度增速与全年增速（{ASSUMED_ZH}测算）"
    if grid.col_quarters:
        cols = to_percent(np.asarray(grid.cols))
        data = pd.DataFrame(values, index=pd.Index(rows, name=grid.row_label_zh), columns=pd.Index(cols, name=grid.col_label_zh))
    else:
        cols = np.asarray([], dtype=float)
        data = pd.DataFrame({"全年增速": values}, index=pd.Index(rows, name=grid.row_label_zh))

    def draw() -> Figure:
        fig = Figure(figsize=(7.2, 5.4) if grid.col_quarters else (7.2, 3.8))
        ax = fig.subplots()
        be = grid.break_even
        if grid.col_quarters:
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            norm = TwoSlopeNorm(vcenter=target, vmin=min(lo, target - 1e-6), vmax=max(hi, target + 1e-6))
            step_c = cols[1] - cols[0] if len(cols) > 1 else 1.0
            step_r = rows[1] - rows[0] if len(rows) > 1 else 1.0
            mesh = ax.pcolormesh(
                np.append(cols - step_c / 2, cols[-1] + step_c / 2),
                np.append(rows - step_r / 2, rows[-1] + step_r / 2),
                values,
                cmap="RdYlGn",
                norm=norm,
                shading="flat",
            )
            fig.colorbar(mesh, ax=ax, label="全年增速（%）", shrink=0.85)
            if values.size <= 196:
                for i, r in enumerate(rows):
                    for j, c in enumerate(cols):
                        ax.text(c, r, f"{values[i, j]:.1f}", ha="center", va="center", fontsize=6, color="#222222")
            xs = np.linspace(cols[0] - step_c / 2, cols[-1] + step_c / 2, 50)
            ys = np.array([to_percent(be.row_for(from_percent(x))) for x in xs])
            ax.plot(xs, ys, color="#111111", linestyle="--", linewidth=1.6, label=f"恰好实现全年{target:.1f}%的组合")
            ax.set_xlim(xs[0], xs[-1])
            ax.set_ylim(rows[0] - step_r / 2, rows[-1] + step_r / 2)
            ax.set_xlabel(f"{grid.col_label_zh}（%，当季同比）")
            ax.set_ylabel(f"{grid.row_label_zh}（%，当季同比）")
            ax.grid(False)
            for k, p in enumerate(pts.itertuples()):
                if math.isnan(p.row) or math.isnan(p.col):
                    continue
                label = f"{p.scenario}（{ASSUMED_ZH}）" + ("" if math.isnan(p.year_end) else f"：全年{p.year_end:.1f}%")
                ax.plot(
                    [p.col],
                    [p.row],
                    marker=_MARKERS[k % len(_MARKERS)],
                    markersize=9,
                    markerfacecolor="white",
                    markeredgecolor="#111111",
                    linestyle="",
                    label=label,
                )
            cum = to_percent(g.cum_growth)
            ax.plot(
                [cum],
                [cum],
                marker="*",
                markersize=12,
                color="#1f5fa8",
                linestyle="",
                label=f"保持{w.base.period_zh.removeprefix(f'{w.plan.year}年')}累计增速{cum:.1f}%",
            )
        else:
            ax.plot(rows, values, color=PALETTE[0], marker="o", markersize=3, label="全年增速")
            ax.axhline(target, color="#555555", linestyle="--", linewidth=1, label=f"全年目标 {target:.1f}%")
            ax.axvline(to_percent(be.rate), color="#111111", linestyle=":", linewidth=1.4, label=f"恰好实现目标：{to_percent(be.rate):.1f}%")
            for k, p in enumerate(pts.itertuples()):
                if math.isnan(p.row) or math.isnan(p.year_end):
                    continue
                ax.plot(
                    [p.row],
                    [p.year_end],
                    marker=_MARKERS[k % len(_MARKERS)],
                    markersize=9,
                    markerfacecolor="white",
                    markeredgecolor="#111111",
                    linestyle="",
                    label=f"{p.scenario}（{ASSUMED_ZH}）：全年{p.year_end:.1f}%",
                )
            ax.set_xlabel(f"{grid.row_label_zh}（%，当季同比）")
            ax.set_ylabel("全年增速（%）")
        ax.set_title(title, fontsize=11)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8)
        fig.tight_layout()
        return fig

    return Chart(title, data, draw)


def sensitivity_charts(w: WhatIf, limit: int = 2) -> list[Chart]:
    """Sensitivity charts of at most ``limit`` growth targets: FAI first, then targets a scenario
    makes assumptions for, then the rest (every grid is in :func:`hzlib.whatif.views.growth_view`
    and the workbook)."""
    order = sorted(w.growth, key=lambda g: (g.indicator != "fai", not g.points))
    return [sensitivity_chart(g, w) for g in order[:limit]]


def required_chart(w: WhatIf) -> Chart | None:
    """Growth still needed in the remaining quarters, with last year's profile and evenly, per growth target."""
    if not w.growth:
        return None
    data = pd.DataFrame(
        {
            "target": [g.label for g in w.growth],
            "cum_growth": [to_percent(g.cum_growth) for g in w.growth],
            "target_value": [to_percent(g.target) for g in w.growth],
            "seasonal": [to_percent(g.required.seasonal) for g in w.growth],
            "even": [to_percent(g.required.even) for g in w.growth],
        }
    )

    def draw() -> Figure:
        n = len(data)
        fig = Figure(figsize=(7.2, max(2.6, 0.55 * n + 1.2)))
        ax = fig.subplots()
        ys = np.arange(n)[::-1]
        ax.barh(ys + 0.18, data["seasonal"], height=0.34, color=PALETTE[0], label="按上年季节分布")
        ax.barh(ys - 0.18, data["even"], height=0.34, color=PALETTE[1], label="按各季度均匀分布")
        for y, s, e, t in zip(ys, data["seasonal"], data["even"], data["target_value"]):
            # a value label starts after the bar and after the target mark, never on it
            ax.text(max(s, t), y + 0.18, f"  {s:.2f}%", va="center", fontsize=7)
            ax.text(max(e, t), y - 0.18, f"  {e:.2f}%", va="center", fontsize=7)
        ax.plot(data["target_value"], ys, linestyle="", marker="|", markersize=14, color="#111111", label="全年目标")
        ax.set_yticks(ys, list(data["target"]))
        ax.set_xlabel("其余季度所需当季增速（%）")
        ax.set_xlim(min(0.0, float(data[["seasonal", "even"]].min().min()) * 1.2), float(data[["seasonal", "even", "target_value"]].max().max()) * 1.25)
        ax.set_title(f"其余季度所需增速：上年季节分布与均匀分布（基期{w.base.period_zh}）", fontsize=11)
        ax.grid(axis="x", color="#e0e0e0")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
        fig.tight_layout()
        return fig

    return Chart("其余季度所需增速", data, draw)


def history_chart(g: GrowthOutlook, w: WhatIf) -> Chart | None:
    """Year-end growth if the rest of the year followed each past year (the band), the target
    and each scenario's year end; None when there is no band (``g.band.reason_zh`` says why)."""
    if not g.band.available:
        return None
    band = g.band.frame()
    pts = _points_frame(g, w)
    data = pd.DataFrame({"year": band["year"], "year_end": to_percent(band["year_end"]), "reaches": band["reaches"]})
    target = to_percent(g.target)

    def draw() -> Figure:
        fig = Figure(figsize=(7.2, 2.8))
        ax = fig.subplots()
        ax.axvspan(to_percent(g.band.low), to_percent(g.band.high), color=PALETTE[5], alpha=0.2, label="历年走势区间")
        ax.plot(data["year_end"], [0] * len(data), "o", color=PALETTE[0], label="按各年走势推算")
        ax.axvline(target, color="#555555", linestyle="--", label=f"全年目标 {target:.1f}%")
        for k, p in enumerate(pts.itertuples()):
            if not math.isnan(p.year_end):
                ax.plot(
                    [p.year_end],
                    [-0.5],
                    marker=_MARKERS[k % len(_MARKERS)],
                    color="#111111",
                    linestyle="",
                    label=f"{p.scenario}（{ASSUMED_ZH}）{p.year_end:.1f}%",
                )
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.set_xlabel("全年增速（%）")
        ax.set_title(f"{g.label}：按历年季度走势推算的全年增速", fontsize=11)
        ax.legend(loc="upper right", fontsize=7)
        fig.tight_layout()
        _year_labels(fig, ax, list(data["year_end"]), list(data["year"]), target)
        return fig

    return Chart(f"{g.label}：历年走势区间", data, draw)


def _year_labels(fig: Figure, ax: Any, xs: list[float], years: list[Any], target: float) -> None:
    """Each year above its point; one that would sit on the target line goes to the line's far side."""
    r = renderer_of(fig)
    line_px = ax.transData.transform((target, 0))[0]
    for x, y in zip(xs, years):
        t = ax.annotate(str(y), (x, 0), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=7)
        box = t.get_window_extent(renderer=r)
        if box.x0 - 2 <= line_px <= box.x1 + 2:
            right = x >= target
            t.set_horizontalalignment("left" if right else "right")
            t.set_position((3 if right else -3, 8))


def status_compare_chart(w: WhatIf) -> Chart:
    """Targets by status: the baseline at the base quarter and each scenario (stacked bars)."""
    counts = w.status_counts()
    order = [s for s in ("met", "near", "missed", "pending", "no_data") if counts.loc[s].sum() > 0] if len(counts) else []
    data = counts.loc[order].T

    def draw() -> Figure:
        fig = Figure(figsize=(7.2, 0.75 * len(data) + 1.4))
        ax = fig.subplots()
        ys = np.arange(len(data))[::-1]
        left = np.zeros(len(data))
        segments: list[list[Segment]] = [[] for _ in ys]
        for s in order:
            v = data[s].to_numpy(dtype=float)
            ax.barh(ys, v, left=left, color=STATUS_COLORS[s], height=0.5, label=STATUS_LABELS[s])
            for i, (x0, x) in enumerate(zip(left, v)):
                if x > 0:
                    segments[i].append(Segment(float(x0), float(x), f"{int(x)}", "white" if s in ("met", "missed") else "black"))
            left += v
        ax.set_yticks(ys, list(data.index))
        ax.set_xlabel("目标（项）")
        ax.set_title(f"目标完成情况：基期与{ASSUMED_ZH}", fontsize=11)
        ax.grid(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(order), fontsize=8)
        ax.set_ylim(-0.5, len(data) - 0.5 + 0.4)  # room above the top bar for a narrow segment's label
        fig.tight_layout()
        for y, segs in zip(ys, segments):
            label_segments(fig, ax, segs, y=float(y), half_height=0.25, fontsize=7, leader=False)
        return fig

    return Chart(f"目标完成情况：基期与{ASSUMED_ZH}", data, draw)


def new_starts_chart(w: WhatIf) -> Chart | None:
    """Planned new starts started by each quarter end: the baseline (ledger as recorded) and each scenario."""
    ns = w.new_starts()
    if ns.empty:
        return None
    names = {r.id: f"{name}（{ASSUMED_ZH}）" for name, r in w.names()} | {"base": "基期（台账记录）"}
    data = pd.DataFrame(
        {names[s]: ns.loc[i, ["q1", "q2", "q3", "q4"]].astype(int).to_list() for i, s in zip(ns.index, ns["scenario_id"])},
        index=pd.Index([1, 2, 3, 4], name="quarter"),
    )
    planned = int(ns["planned"].iloc[0])

    def draw() -> Figure:
        fig = Figure(figsize=(7.2, 3.4))
        ax = fig.subplots()
        for k, col in enumerate(data.columns):
            ax.plot(data.index, data[col], marker=_MARKERS[k % len(_MARKERS)], color=PALETTE[k % len(PALETTE)], label=col, linestyle="-" if k == 0 else "--")
        ax.axhline(planned, color="#555555", linestyle=":", linewidth=1, label=f"计划新开工 {planned} 个")
        ax.set_xticks([1, 2, 3, 4], ["一季度末", "上半年末", "前三季度末", "年末"])
        ax.set_ylabel("已开工（个）")
        ax.set_ylim(0, planned * 1.15 + 1)
        ax.set_title(f"计划新开工项目累计开工：基期与{ASSUMED_ZH}", fontsize=11)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        return fig

    return Chart(f"计划新开工项目累计开工：基期与{ASSUMED_ZH}", data, draw)
