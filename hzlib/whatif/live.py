"""Sliders in JupyterLab: the remaining quarters' growth and a slip for new starts, live.

:func:`slider_scenario` turns slider values into a checked :class:`Scenario` (pure);
:class:`LiveWhatIf` holds the sliders and calls the same :func:`~hzlib.whatif.compare.compare`
on every change, showing the same views and charts as the static cells. :func:`live_whatif`
creates the widgets only when a front end that renders them is present
(:func:`frontend_has_widgets`); under papermill, nbconvert and nbval it shows one
static line instead, so executed notebooks hold no widget output and no widget state.

How a front end is recognised (any one suffices; ``HZ_WIDGETS=1``/``0`` forces the answer):

- the cell being executed came with a ``cellId`` in its request metadata, which
  JupyterLab, Jupyter Notebook 7 and VS Code send and headless executors (nbclient,
  hence papermill and nbconvert, and nbval) do not;
- a widget manager has opened the ``jupyter.widget.control`` comm (it asks the kernel for
  its widgets when it connects).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import ERROR, HzError, PlanError
from ..evaluate.engine import EvaluationData
from ..glossary import indicator_short_zh
from ..periods import Period
from ..plan.schema import Plan
from ..textfmt import fmt_number
from ..units import to_percent
from .compare import ASSUMED_ZH, WhatIf, compare
from .growth import QUARTER_ZH, growth_path
from .scenario import GrowthAssumption, Scenario, Slip, check_scenario, validate_scenario
from .tables import profile_levels, published_growth

__all__ = [
    "SLIDER_ID",
    "default_scenario",
    "slider_scenario",
    "initial_growth",
    "frontend_has_widgets",
    "LiveWhatIf",
    "live_views",
    "live_whatif",
    "STATIC_NOTE",
]

#: Id of the scenario the sliders build.
SLIDER_ID = "sliders"
#: What a notebook shows instead of sliders when nothing can render them.
STATIC_NOTE = (
    "（在 JupyterLab 中打开本 notebook 并运行全部单元格，可用滑块调整其余季度增速和新开工项目推迟月数，"
    "上面的对比表和敏感性图随之更新；批量执行（papermill、nbconvert、nbval）时只显示静态结果。）"
)


def _percent_text(value: float) -> str:
    """A percent number as scenario files write it with its sign: 0.5 → "0.5%" (never read as a fraction)."""
    return f"{round(float(value), 6)!r}%"


def initial_growth(plan: Plan, data: EvaluationData, base: Period, start: Scenario | None = None, indicator: str = "fai") -> dict[int, float] | None:
    """Starting slider values (percent numbers, one per remaining quarter) for ``indicator`` in
    the plan's jurisdiction: the single-quarter growth ``start`` assumes for it, else the
    cumulative growth published at the base quarter (the rest of the year grows as the part
    done). None when the data cannot project it (no profile or no published growth)."""
    jur = plan.jurisdiction
    profile = profile_levels(data.profiles, jur, indicator, plan.year - 1)
    published = published_growth(data.indicators, jur, indicator, base)
    if profile is None or published is None or base.quarter == 4:
        return None
    rest = range(base.quarter + 1, 5)
    for g in start.growth if start is not None else ():
        if g.indicator == indicator and (g.jurisdiction or jur) == jur:
            path = growth_path(profile, base.quarter, published[0], g.fractions(base), basis=g.basis)
            return {q: round(to_percent(path.single[q]), 2) for q in rest}
    return {q: round(to_percent(published[0]), 2) for q in rest}


def _done_zh(base: Period) -> str:
    return base.label_zh().removeprefix(f"{base.year}年")


def default_scenario(plan: Plan, data: EvaluationData, base: Period) -> Scenario:
    """The sliders' starting point when no scenario is given: FAI grows in every remaining
    quarter as much as it has so far, projects start on their planned dates and keep their
    average monthly pace so far."""
    growth = initial_growth(plan, data, base)
    s = slider_scenario(plan, data, base, growth, 0)
    done = _done_zh(base)
    keep = f"其余季度固定资产投资保持{done}累计增速（{fmt_number(next(iter(growth.values())), 1)}%）；" if growth else ""
    return s.model_copy(update={"id": "default", "label": f"{keep}项目按计划日期开工、按{done}月均完成额推进"})


def slider_scenario(
    plan: Plan,
    data: EvaluationData,
    base: Period,
    growth: Mapping[int, float] | None,
    slip_months: int = 0,
    *,
    start: Scenario | None = None,
    indicator: str = "fai",
) -> Scenario:
    """A scenario from slider values: ``growth`` quarter → single-quarter growth of
    ``indicator`` (percent numbers) and new starts slipping ``slip_months`` months.

    Without ``start``: projects start on their planned dates and keep their average
    monthly pace so far (``dates: planned``, ``pace: average_so_far``). With ``start``
    (a scenario file or ``--assume``): its assumptions, with the growth of ``indicator``
    replaced by the sliders' and the slip added. Checked like a file; raises
    :class:`~hzlib.errors.PlanError` with every problem.
    """
    jur = plan.jurisdiction
    parts: list[str] = []
    if start is None or start.id == "default":
        data_ = {"id": SLIDER_ID, "label": "滑块", "plan": plan.id, "quarter": base.label(), "dates": "planned", "pace": {"basis": "average_so_far"}}
        scenario, problems = validate_scenario(data_, name="滑块", plan=plan)
        if scenario is None:
            raise PlanError(problems, what="滑块情景")
        start = scenario
        tail = f"项目按计划日期开工、按{_done_zh(base)}月均完成额推进"
    else:
        tail = f"其余按情景“{start.label}”"
    growth_items = list(start.growth)
    if growth:
        quarters = {f"Q{q}": _percent_text(v) for q, v in sorted(growth.items())}
        item = GrowthAssumption.model_validate({"indicator": indicator, "quarters": quarters})
        growth_items = [g for g in growth_items if not (g.indicator == indicator and (g.jurisdiction or jur) == jur)] + [item]
        parts.append("、".join(f"{QUARTER_ZH[q]}{fmt_number(v, 1)}%" for q, v in sorted(growth.items())))
    slips = list(start.slips)
    if slip_months > 0:
        slips.append(Slip.model_validate({"new_starts": True, "start": int(slip_months)}))
        parts.append(f"计划新开工项目推迟{int(slip_months)}个月")
    label = "；".join([*parts, tail]) if parts else tail
    scenario = start.model_copy(update={"id": SLIDER_ID, "label": f"滑块：{label}", "growth": growth_items, "slips": slips})
    errors = [p for p in check_scenario(scenario, plan, data) if p.severity == ERROR]
    if errors:
        raise PlanError(errors, what="滑块情景")
    return scenario


def frontend_has_widgets() -> bool:
    """Whether the running kernel's front end renders ipywidgets (see the module docstring)."""
    forced = os.environ.get("HZ_WIDGETS", "").strip().lower()
    if forced in ("0", "false", "no", "off"):
        return False
    try:
        # lazy: IPython costs 57 ms at import of this module, which hz whatif imports (whatif/load.py); only a notebook needs it
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    try:
        from ipywidgets import Widget  # lazy: optional package (the lab extra)
    except ImportError:  # pragma: no cover - ipywidgets is a dependency
        return False
    if forced in ("1", "true", "yes", "on"):
        return True
    parent: Any = kernel.get_parent("shell") if hasattr(kernel, "get_parent") else getattr(kernel, "_parent_header", {})
    meta = (parent or {}).get("metadata") or {}
    return "cellId" in meta or Widget._control_comm is not None


Show = Callable[[WhatIf], Sequence[Any]]


class LiveWhatIf:
    """Sliders for the remaining quarters' growth and a new-start slip, and what they show.

    Every change builds a scenario (:func:`slider_scenario`), calls :func:`compare` with
    the baseline already built, keeps the result in :attr:`last` and shows ``show(last)``
    in :attr:`output`. Works without a front end (tests set slider values directly).
    """

    def __init__(self, w: WhatIf, show: Show, *, start: Scenario | None = None, indicator: str = "fai") -> None:
        import ipywidgets as widgets  # lazy: optional package (the lab extra)

        self.whatif = w
        self.start = start
        self.indicator = indicator
        self.show = show
        self.last: WhatIf | None = None
        self.error: str = ""
        base = w.period
        init = initial_growth(w.plan, w.data, base, start, indicator)
        style = {"description_width": "initial"}
        layout = widgets.Layout(width="340px")
        self.growth: dict[int, Any] = {}
        for q, v in (init or {}).items():
            self.growth[q] = widgets.FloatSlider(
                value=v,
                min=math.floor(v) - 15,
                max=math.ceil(v) + 15,
                step=0.1,
                readout_format=".1f",
                description=f"{QUARTER_ZH[q]}当季增速（%）",
                continuous_update=False,
                style=style,
                layout=layout,
            )
        self.slip = widgets.IntSlider(
            value=0, min=0, max=12, step=1, description="计划新开工项目推迟（月）", continuous_update=False, style=style, layout=layout
        )
        self.output = widgets.Output()
        for s in [*self.growth.values(), self.slip]:
            s.observe(self.update, names="value")
        what = indicator_short_zh(indicator)
        head = f"<b>{ASSUMED_ZH}（滑块）</b>：{w.plan.jurisdiction}{what}其余季度的当季增速，计划新开工项目推迟的月数"
        if init is None:
            head += f"（统计数据中没有{w.plan.jurisdiction}{what}{w.period.label_zh()}的累计增速或上年季度基数，不能调整增速）"
        self.widget = widgets.VBox([widgets.HTML(head), widgets.HBox(list(self.growth.values())), self.slip, self.output])

    def scenario(self) -> Scenario:
        growth = {q: float(s.value) for q, s in self.growth.items()} or None
        w = self.whatif
        return slider_scenario(w.plan, w.data, w.period, growth, int(self.slip.value), start=self.start, indicator=self.indicator)

    def compute(self) -> WhatIf:
        """The comparison for the current slider values (the same :func:`compare`)."""
        w = self.whatif
        return compare(w.plan, w.data, w.period, [self.scenario()], at=w.at, baseline=w.base)

    def update(self, _change: object = None) -> None:
        # lazy: IPython costs 57 ms at import of this module, which hz whatif imports (whatif/load.py); only a notebook needs it
        from IPython.display import Markdown, display

        with self.output:
            self.output.clear_output(wait=True)
            try:
                self.last = self.compute()
                self.error = ""
            except (HzError, ValueError) as e:
                self.last = None
                self.error = e.render() if isinstance(e, HzError) else str(e)
                display(Markdown(f"**无法按滑块取值测算**：{self.error}"))
                return
            for item in self.show(self.last):
                display(item)


def live_views(result: WhatIf) -> list[Any]:
    """What the sliders show for each result: the comparison table, the FAI sensitivity chart
    with the sliders' point, and new starts by quarter (the static cells' own views)."""
    # lazy: whatif.figures and whatif.views (matplotlib) cost 410 ms at import of this module, which hz whatif imports (whatif/load.py)
    from . import figures, views

    shown: list[Any] = [views.compare_view(result), *figures.sensitivity_charts(result, limit=1), figures.new_starts_chart(result)]
    return [x for x in shown if x is not None]


def live_whatif(w: WhatIf, show: Show = live_views, *, start: Scenario | None = None, indicator: str = "fai") -> LiveWhatIf | None:
    """Display the sliders (and their first result) when a front end renders widgets; else
    display :data:`STATIC_NOTE` and return None.

    ``start``: the scenario the sliders modify (a scenario file's, ``assume``'s); None or
    the default scenario: FAI growth with planned dates and the pace so far.
    """
    # lazy: IPython costs 57 ms at import of this module, which hz whatif imports (whatif/load.py); only a notebook needs it
    from IPython.display import Markdown, display

    if not frontend_has_widgets():
        display(Markdown(STATIC_NOTE))
        return None
    from ..lab import static_fallback  # lazy: hzlib.lab (traitlets) costs 15 ms at import of this module, which hz whatif imports

    live = LiveWhatIf(w, show, start=start, indicator=indicator)
    display(live.widget, metadata=static_fallback(Markdown(STATIC_NOTE)))  # saved from JupyterLab as the static note
    live.update()
    return live
