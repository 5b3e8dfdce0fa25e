"""The I/O edge of what-if: read the plan, its data and the scenario files, then :func:`compare`.

Used by ``hz whatif``, ``notebooks/05_whatif.ipynb`` (:func:`open_whatif`) and, for the
runner, :func:`scenario_models`.

>>> w = load_whatif("zhenba-2024", "2024Q2", assume=["Q3=6%,Q4=10%"])          # doctest: +SKIP
>>> w.table().set_index("target_id").loc["fai_growth", "scenario_actual"]    # doctest: +SKIP
7.87...
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import PlanError, Problem, UsageError
from ..evaluate.engine import EvaluationData
from ..plan.schema import Plan
from ..report.load import LoadedReport, load_inputs
from ..report.model import ReportModel, build_report
from ..report.params import check_parameters, install_error_handler
from .compare import WhatIf, check_base, compare
from .live import default_scenario
from .scenario import Scenario, list_scenarios, read_scenario_file, scenario_from_args, scenario_path

__all__ = ["read_scenarios", "assumed_scenarios", "load_whatif", "scenario_models", "open_whatif"]


def read_scenarios(plan_id: str, names: Sequence[str | Path], plan: Plan, tables: EvaluationData) -> list[Scenario]:
    """Scenario files by name (``params/scenarios/<plan-id>/<name>.yaml``) or path, checked
    against the plan and the data; every problem of every file at once (:class:`PlanError`)."""
    out: list[Scenario] = []
    problems: list[Problem] = []
    bad: list[str] = []
    for name in names:
        path = scenario_path(plan_id, name)
        if not path.exists() and Path(name).suffix not in (".yaml", ".yml"):
            known = "、".join(list_scenarios(plan_id)) or "无"
            problems.append(Problem(str(name), None, None, f"计划 {plan_id} 没有情景 {str(name)!r}（可用：{known}；也可给出情景文件的路径）"))
            bad.append(str(name))
            continue
        scenario, found = read_scenario_file(path, plan, tables)
        if scenario is None:
            problems += found
            bad.append(path.name)
        else:
            out.append(scenario)
    if problems:
        raise PlanError(problems, what=f"情景文件 {'、'.join(bad)}")
    return out


def assumed_scenarios(plan: Plan, tables: EvaluationData, base: str, texts: Sequence[str], *, source: str = "命令行参数 --assume") -> list[Scenario]:
    """One scenario per growth string (``Q3=6%,Q4=10%``); ids ``assume``, ``assume-2`` …"""
    out: list[Scenario] = []
    for i, text in enumerate(texts, start=1):
        scenario, problems = scenario_from_args(plan.id, base, growth=text, label=f"增速假设 {text.strip()}", plan=plan, tables=tables, source=source)
        if scenario is None:
            raise PlanError(problems, what=f"{source} {text!r}")
        out.append(scenario.model_copy(update={"id": "assume" if i == 1 else f"assume-{i}"}))
    return out


def load_whatif(
    plan_id: str,
    quarter: str = "latest",
    *,
    scenarios: Sequence[str | Path] = (),
    assume: Sequence[str] = (),
    data_dir: str | Path | None = None,
    allow_partial: bool = False,
    at: str | None = None,
    default: bool = False,
    source: str = "命令行参数 --assume",
    inputs: LoadedReport | None = None,
) -> WhatIf:
    """Read the plan, its data and the scenarios, and compare them with the baseline.

    ``quarter`` is the base quarter; ``latest`` (or empty) takes the first scenario
    file's base quarter, else the latest quarter the data covers. ``assume`` strings
    become one scenario each. With no scenario at all, ``default`` compares
    :func:`~hzlib.whatif.live.default_scenario` (the sliders' starting point); without it,
    that is a :class:`UsageError`. ``inputs``: the plan and data already read (by :func:`load_inputs`).
    """
    inputs = inputs or load_inputs(plan_id, data_dir)
    plan, data = inputs.plan, inputs.loaded.data
    loaded = read_scenarios(plan_id, scenarios, plan, data)
    if (not quarter or quarter.strip().lower() == "latest") and loaded:
        quarter = loaded[0].quarter
    baseline = build_report(plan, data, quarter or "latest", allow_partial=allow_partial, problems=inputs.loaded.problems)
    base = check_base(baseline)
    loaded += assumed_scenarios(plan, data, base.label(), assume, source=source)
    if not loaded:
        if not default:
            raise UsageError('请用 --scenario（情景文件名或路径）或 --assume（如 "Q3=6%,Q4=10%"）给出至少一个情景假设')
        loaded = [default_scenario(plan, data, base)]
    return compare(plan, data, base, loaded, at=at, baseline=baseline)


def scenario_models(
    plan_id: str,
    quarter: str,
    scenarios: Sequence[str | Path],
    *,
    data_dir: str | Path | None = None,
    allow_partial: bool = False,
    at: str | None = None,
    inputs: LoadedReport | None = None,
) -> dict[str, ReportModel]:
    """For the runner (``hz run --scenario``): scenario id → its report model at ``at`` (Q4).

    Each model is :func:`hzlib.report.build_report` on the scenario's plan and tables; its
    ``extra`` has ``assumed: True``, ``scenario_id``, ``scenario_label``, ``base_quarter``,
    ``changes`` and the ``heading`` and ``banner`` a page of it must show (情景假设 …),
    which replace :attr:`ReportModel.heading`/:attr:`ReportModel.banner` (those speak of
    data and would say the data reach the year end). Raises what :func:`load_whatif` raises.
    """
    w = load_whatif(plan_id, quarter, scenarios=scenarios, data_dir=data_dir, allow_partial=allow_partial, at=at, inputs=inputs)
    return {r.id: r.model for r in w.scenarios}


def open_whatif(plan: str, quarter: str, data_dir: str = "", allow_partial: bool = False, scenario: str = "", assume: str = "") -> WhatIf:
    """What ``05_whatif.ipynb`` calls first: check its parameters, then :func:`load_whatif`.

    ``scenario`` is a scenario name or path, ``assume`` a growth string; with neither, the
    default scenario (the sliders' starting point) is compared. Errors a user can cause
    show as one Chinese line (see :mod:`hzlib.report.params`).
    """
    install_error_handler()
    check_parameters(plan, quarter, data_dir, allow_partial)
    for name, value in (("scenario", scenario), ("assume", assume)):
        if not isinstance(value, str):
            raise UsageError(f"参数 {name} 应为 str，实际为 {type(value).__name__}：{value!r}")
    return load_whatif(
        plan,
        quarter,
        scenarios=[scenario] if scenario.strip() else [],
        assume=[assume] if assume.strip() else [],
        data_dir=data_dir or None,
        allow_partial=allow_partial,
        default=True,
        source="notebook 参数 assume",
    )
