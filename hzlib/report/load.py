"""The I/O edge of a report: read the plan and its data files, then build the model.

>>> from hzlib.report.load import load_report
>>> m = load_report("ankang-2019", "2019Q2")         # doctest: +SKIP
>>> m.target("city_key_investment")["actual"]        # doctest: +SKIP
2392000.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data import LoadedData, load_data
from ..errors import WARNING, Problem
from ..ingest.provenance import SOURCE_COLUMNS, attach
from ..inputs import data_dir_for, input_files
from ..paths import project
from ..plan import load_plan
from ..plan.schema import Plan
from ..scoring import load_rules
from ..scoring.engine import UNIT_INPUT_COLUMNS, ScoringInputs
from ..scoring.inputs import SCORING_INPUTS_FILE, read_scoring_inputs
from ..scoring.report import ScoringSetup
from .model import ReportModel, build_report

__all__ = ["load_report", "LoadedReport", "load_inputs", "load_scoring"]


@dataclass(frozen=True)
class LoadedReport:
    """The plan and data a report was built from (for manifests: the files and their problems)."""

    plan: Plan
    loaded: LoadedData
    scoring: ScoringSetup | None = None
    files: dict[str, Path] = field(default_factory=dict)  # every input file read, by role


def load_scoring(plan: Plan, folder: Path) -> ScoringSetup | None:
    """The plan's scoring rules (``params/scoring/<plan-id>.yaml``) and reported inputs
    (``scoring_inputs.csv`` in its data folder), when the plan has rules."""
    path = project().scoring_dir / f"{plan.id}.yaml"
    if not path.exists():
        return None
    rules = load_rules(path)
    csv = folder / SCORING_INPUTS_FILE
    if not csv.exists():
        empty = ScoringInputs()  # no unit inputs
        note = Problem(SCORING_INPUTS_FILE, None, None, "没有评分报送表（hz scoring-template 生成空表）：台账算不出的评分项标为缺数据", WARNING)
        return ScoringSetup(rules, empty, (note,))
    r = read_scoring_inputs(csv, rules).raise_for_errors()
    attach(r)  # each reported value keeps its file and row (溯源)
    frame = r.frame.reindex(columns=[*UNIT_INPUT_COLUMNS, "period", *SOURCE_COLUMNS])  # 期别 kept: scored per period (a blank template has no rows, no sources)
    return ScoringSetup(rules, ScoringInputs(frame), tuple(r.problems))


def load_inputs(
    plan_id: str, data_dir: str | Path | None = None, *, sheet: str | None = None, mapping: str | Path | None = None, month: str | None = None
) -> LoadedReport:
    """Read the plan, every data file of ``data/<plan-id>/`` (or ``data_dir``) and the scoring inputs, all problems at once.

    ``sheet``, ``mapping``, ``month``: how to read an office's own workbook (see ``docs/data.md``);
    by default the folder's ``mapping.yaml`` (which may name the sheet and month) is used."""
    plan = load_plan(plan_id)
    loaded = load_data(plan_id, data_dir, year=plan.year, plan=plan, sheet=sheet, mapping=mapping, month=month)
    scoring = load_scoring(plan, data_dir_for(plan_id, data_dir))
    return LoadedReport(plan, loaded, scoring, input_files(plan_id, data_dir))


def load_report(
    plan_id: str, period: str = "latest", data_dir: str | Path | None = None, *, allow_partial: bool = False, inputs: LoadedReport | None = None
) -> ReportModel:
    """Read the inputs (unless given) and build the report model of ``plan_id`` at ``period``."""
    inp = inputs or load_inputs(plan_id, data_dir)
    problems = [*inp.loaded.problems, *(inp.scoring.problems if inp.scoring else ())]
    return build_report(inp.plan, inp.loaded.data, period, allow_partial=allow_partial, problems=problems, scoring=inp.scoring)
