"""The I/O edge of a report: read the plan and its data files, then build the model.

>>> from hzlib.report.load import load_report
>>> m = load_report("ankang-2019", "2019Q2")         # doctest: +SKIP
>>> m.target("city_key_investment")["actual"]        # doctest: +SKIP
2392000.0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data import LoadedData, load_data
from ..plan import load_plan
from ..plan.schema import Plan
from .model import ReportModel, build_report

__all__ = ["load_report", "LoadedReport", "load_inputs"]


@dataclass(frozen=True)
class LoadedReport:
    """The plan and data a report was built from (for manifests: the files and their problems)."""

    plan: Plan
    loaded: LoadedData


def load_inputs(plan_id: str, data_dir: str | Path | None = None) -> LoadedReport:
    """Read the plan and every data file of ``data/<plan-id>/`` (or ``data_dir``), all problems at once."""
    plan = load_plan(plan_id)
    return LoadedReport(plan, load_data(plan_id, data_dir, year=plan.year, plan=plan))


def load_report(plan_id: str, period: str = "latest", data_dir: str | Path | None = None, *,
                allow_partial: bool = False, inputs: LoadedReport | None = None) -> ReportModel:
    """Read the inputs (unless given) and build the report model of ``plan_id`` at ``period``."""
    inp = inputs or load_inputs(plan_id, data_dir)
    return build_report(inp.plan, inp.loaded.data, period, allow_partial=allow_partial, problems=inp.loaded.problems)
