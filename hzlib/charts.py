"""Drawing primitives of the bulletin's charts: each returns a matplotlib Figure with Chinese labels.

Figures are made without pyplot, so notebooks show each one exactly once. Colours of
bars come from statuses the caller passes (the report model's, from the one status
rule), never from thresholds recomputed here. Draw inside
:func:`hzlib.charts_style.chart_style` (:mod:`hzlib.report.figures` does).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from .charts_style import STATUS_COLORS, STATUS_LABELS, status_color
from .glossary import QUARTER_ZH, AwardTone
from .textfmt import fmt_number
from .units import to_percent, wan_to_yi

__all__ = [
    "Segment",
    "label_segments",
    "renderer_of",
    "ranking_chart",
    "checkpoint_paths_chart",
    "growth_chart",
    "growth_axis_limits",
    "unit_rate_chart",
    "completion_chart",
    "batch_chart",
    "status_chart",
]

_Q = list(QUARTER_ZH.values())


def checkpoint_paths_chart(paths: pd.DataFrame, title: str = "季度目标进度（占全年目标%）") -> Figure:
    """Lines of checkpoints as % of the annual target, one line per target.

    ``paths``: index = target labels, columns = Q1..Q4, values in % of annual.
    """
    fig = Figure(figsize=(7.2, 3.8))
    ax = fig.subplots()
    for label, row in paths.iterrows():
        ax.plot(range(1, 5), row.values, marker="o", label=str(label))
    ax.set_xticks(range(1, 5), _Q)
    ax.set_ylim(0, 105)
    ax.set_ylabel("占全年目标（%）")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


#: The least span (percentage points) of a growth chart's y axis: a 0.2 pp change is not drawn as a fall
#: from the top of the chart to its bottom.
GROWTH_MIN_SPAN_PP = 6.0


def growth_axis_limits(values: Sequence[float | None], min_span: float = GROWTH_MIN_SPAN_PP) -> tuple[float, float]:
    """The y range (%) of a growth chart: every value shown with room for its label, at least
    ``min_span`` percentage points tall, centred on the values.

    >>> growth_axis_limits([10.3, 10.3, 10.1])
    (6.6, 13.8)
    >>> growth_axis_limits([-5.0, 12.0])
    (-6.7, 13.7)
    """
    shown = [float(v) for v in values if v is not None and not math.isnan(v)]
    lo, hi = (min(shown), max(shown)) if shown else (0.0, 0.0)
    if hi - lo < min_span:
        mid = (hi + lo) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    pad = (hi - lo) * 0.1
    return round(lo - pad, 6), round(hi + pad, 6)


def growth_chart(
    label: str,
    actual: Sequence[float | None],
    checkpoint: Sequence[float | None],
    required: float | None,
    through: int,
) -> Figure:
    """Cumulative growth by quarter (%) against the checkpoint path, with the growth still needed."""
    fig = Figure(figsize=(7.2, 3.6))
    ax = fig.subplots()
    xs = list(range(1, 5))
    cps = [math.nan if v is None else v for v in checkpoint]
    if not all(math.isnan(v) for v in cps):
        ax.plot(xs, cps, linestyle="--", color="#555555", marker="", label="目标")
    act = [math.nan if v is None else v for v in actual[:through]]
    ax.plot(xs[:through], act, marker="o", color="#1565c0", label="累计增速（实际）")
    for x, v, c in zip(xs[:through], act, cps):
        if not math.isnan(v):
            # on the side of the point away from the target line, never on it
            below = not math.isnan(c) and v < c
            ax.annotate(
                f"{v:.1f}%", (x, v), textcoords="offset points", xytext=(0, -8 if below else 7), ha="center", va="top" if below else "bottom", fontsize=8
            )
    if required is not None and not math.isnan(required) and through < 4:
        # growth still needed over the remaining quarters, not a cumulative value: markers only, no line from the cumulative path
        ax.plot(xs[through:], [required] * (4 - through), color="#ef6c00", marker="s", linestyle="none", label=f"其余季度需增长 {required:.2f}%（非累计）")
    ax.set_xticks(xs, _Q)
    ax.set_xlim(0.6, 4.4)  # room for the first and last quarters' labels
    ax.set_ylim(*growth_axis_limits([*cps, *act, required]))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    ax.set_ylabel("增速（%）")
    ax.set_title(label)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def unit_rate_chart(
    names: Sequence[str], values: Sequence[float], milestone: float | None, title: str, xlabel: str = "（%）", *, statuses: Sequence[str]
) -> Figure:
    """Horizontal bars of a rate by unit (in %), coloured by each unit's status, with the milestone line."""
    n = len(names)
    fig = Figure(figsize=(7.2, max(2.4, 0.26 * n + 1.0)))
    ax = fig.subplots()
    vals = [0.0 if (v is None or math.isnan(v)) else v for v in values]
    colors = [status_color(s) for s in statuses]
    ys = list(range(n))[::-1]
    ax.barh(ys, vals, color=colors, height=0.65)
    ax.set_yticks(ys, list(names))
    if milestone is not None:
        ax.axvline(milestone, color="#333333", linestyle="--", linewidth=1)
        ax.text(milestone, n - 0.4, f"目标 {milestone:g}%", ha="center", va="bottom", fontsize=8)
    ax.set_xlim(0, max(105.0, max(vals, default=0) * 1.05))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", color="#e0e0e0")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def completion_chart(
    names: Sequence[str], rates: Sequence[float], time_progress: float, near_pp: float, title: str = "计划投资完成率与时序进度", *, statuses: Sequence[str]
) -> Figure:
    """Completion rate by unit (%) against the time-progress line, coloured by each unit's status; near band shaded."""
    n = len(names)
    fig = Figure(figsize=(7.2, max(2.4, 0.26 * n + 1.0)))
    ax = fig.subplots()
    tp = to_percent(time_progress)
    vals = [0.0 if math.isnan(v) else v for v in rates]
    colors = [status_color(s) for s in statuses]
    ys = list(range(n))[::-1]
    ax.barh(ys, vals, color=colors, height=0.65)
    ax.axvspan(tp - near_pp, tp, color=STATUS_COLORS["near"], alpha=0.12)
    ax.axvline(tp, color="#333333", linestyle="--", linewidth=1)
    ax.text(tp, n - 0.4, f"时序进度 {fmt_number(tp, 2)}%", ha="center", va="bottom", fontsize=8)
    ax.set_yticks(ys, list(names))
    ax.set_xlim(0, max(105.0, max(vals, default=0) * 1.05))
    ax.set_xlabel("完成率（%）")
    ax.set_title(title)
    ax.grid(axis="x", color="#e0e0e0")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def batch_chart(batches: pd.DataFrame, title: str = "“四个一批”项目") -> Figure:
    """Projects and investment (亿元) per 四个一批 batch."""
    fig = Figure(figsize=(7.2, 3.2))
    ax = fig.subplots()
    labels = list(batches["batch_zh"])
    counts = list(batches["projects"])
    ax.bar(labels, counts, color="#1565c0", width=0.55)
    for i, (c, inv) in enumerate(zip(counts, wan_to_yi(batches["total_investment"]))):
        ax.text(i, c, f"{c}个\n{inv:,.1f}亿元", ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("项目数（个）")
    ax.set_ylim(0, max(counts, default=1) * 1.35)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def status_chart(counts: dict[str, int], title: str = "目标完成情况") -> Figure:
    """Number of targets per status: one stacked bar, each segment's label inside it when it fits,
    else above the bar with a leader line (labels never cross a segment's edge or the bar's end)."""
    order = ["met", "near", "missed", "pending", "no_data"]
    keys = [k for k in order if counts.get(k, 0) > 0]
    fig = Figure(figsize=(7.2, 1.9))
    ax = fig.subplots()
    left = 0
    segments = []
    for k in keys:
        v = counts[k]
        ax.barh([0], [v], left=left, color=STATUS_COLORS[k], height=0.6)
        segments.append(Segment(left, v, f"{STATUS_LABELS[k]} {v}", "white" if k in ("met", "missed") else "black"))
        left += v
    ax.set_xlim(0, max(left, 1))
    ax.set_ylim(-0.4, 1.1)
    ax.axis("off")
    ax.set_title(title)
    fig.tight_layout()
    label_segments(fig, ax, segments, y=0.0, half_height=0.3, fontsize=9)
    return fig


class Segment(NamedTuple):
    """One segment of a stacked bar: where it starts, how long it is (data units), its label and the
    label's colour inside the segment."""

    start: float
    length: float
    label: str
    color: str = "black"


def renderer_of(fig: Figure) -> Any:
    """The figure's Agg renderer (text sizes are measured with it)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]


#: Space (pixels) a label keeps from its segment's edges and from its neighbours.
LABEL_PAD_PX = 4.0


def label_segments(fig: Figure, ax: Any, segments: Sequence[Segment], *, y: float, half_height: float, fontsize: float = 9, leader: bool = True) -> list[Any]:
    """Label each segment of a horizontal stacked bar centred at ``y``: inside, centred, when the label
    fits the segment with ``LABEL_PAD_PX`` to spare; else above the bar, joined to the segment by a
    leader line (or just above it when ``leader`` is False: stacked rows), the outside labels spread left to right so that none overlaps another or runs past
    the axes. Call after the layout is final (``tight_layout``). Returns the text artists."""
    r = renderer_of(fig)
    to_px = ax.transData.transform
    px_per_unit = to_px((1.0, y))[0] - to_px((0.0, y))[0]
    out: list[Any] = []
    outside: list[tuple[Segment, float]] = []
    for seg in segments:
        if seg.length <= 0:
            continue
        t = ax.text(seg.start + seg.length / 2, y, seg.label, ha="center", va="center", fontsize=fontsize, color=seg.color)
        width_px = t.get_window_extent(renderer=r).width
        if width_px + 2 * LABEL_PAD_PX <= seg.length * px_per_unit:
            out.append(t)
        else:
            t.remove()
            outside.append((seg, (width_px + LABEL_PAD_PX) / px_per_unit))
    if not outside:
        return out
    lo, hi = ax.get_xlim()
    xs = [s.start + s.length / 2 for s, _ in outside]
    widths = [w for _, w in outside]
    for i in range(len(xs)):  # left to right: no overlap with the previous label
        floor = lo + widths[i] / 2 if i == 0 else xs[i - 1] + (widths[i - 1] + widths[i]) / 2
        xs[i] = max(xs[i], floor)
    for i in reversed(range(len(xs))):  # right to left: inside the axes, no overlap with the next
        ceil = hi - widths[i] / 2 if i == len(xs) - 1 else xs[i + 1] - (widths[i + 1] + widths[i]) / 2
        xs[i] = min(xs[i], ceil)
    top = y + half_height
    for (seg, _), x in zip(outside, xs):
        centre = seg.start + seg.length / 2
        if leader:
            ax.plot([centre, centre, x], [top, top + 0.12, top + 0.2], color="#666666", linewidth=0.7, solid_capstyle="butt")
        out.append(ax.text(x, top + (0.22 if leader else 0.02), seg.label, ha="center", va="bottom", fontsize=fontsize, color="black"))
    return out


def ranking_chart(data: pd.DataFrame, title: str, *, higher_is_better: bool) -> Figure:
    """Horizontal bars per unit, one panel per kind (``data``: kind, unit, value, award, tone), best on top.

    The colour follows the award's typed tone (:class:`hzlib.glossary.AwardTone`, from the rule's
    ``end``): praise (红旗, prizes) green, a notice of the last (蜗牛) red, no award grey; the
    award's label is only printed beside the unit, never compared.
    """
    kinds = list(dict.fromkeys(data["kind"]))
    heights = [max(1.2, 0.26 * int((data["kind"] == k).sum()) + 0.6) for k in kinds]
    fig = Figure(figsize=(7.2, sum(heights) + 0.6))
    axes = fig.subplots(len(kinds), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    for ax, k in zip(axes, kinds):
        g = data[data["kind"] == k]
        g = g.sort_values("value", ascending=not higher_is_better, kind="stable")
        ys = list(range(len(g)))[::-1]
        tones = g["tone"] if "tone" in g.columns else pd.Series("", index=g.index)
        colors = [AwardTone(t).color if t else STATUS_COLORS["pending"] for t in tones]
        ax.barh(ys, list(g["value"]), color=colors, height=0.65)
        labels = [f"{u}（{a}）" if a else str(u) for u, a in zip(g["unit"], g["award"])]
        ax.set_yticks(ys, labels)
        for y, v in zip(ys, g["value"]):
            ax.text(v, y, f" {v:.1f}", va="center", fontsize=8)
        ax.set_title(f"{k}：{title}", fontsize=10)
        ax.grid(axis="x", color="#e0e0e0")
        ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
