"""What-if modelling: scenario files, their effect on the plan and the data, and the comparison with the baseline.

A scenario (``params/scenarios/<plan-id>/<name>.yaml``, see ``docs/whatif.md``)
states assumptions from a base quarter on. This package validates it and turns
(plan, contract tables, scenario) into a modified (plan, tables); the one
evaluation then measures the modified inputs exactly as it measures real data,
so no evaluation rule is implemented twice. It also holds the growth
mathematics for sensitivity questions (:mod:`hzlib.whatif.growth`).

Modules:

- :mod:`~hzlib.whatif.growth` — projected cumulative growth, sensitivity grids
  with an analytic break-even line, required growth (seasonal and even), and
  a band from past years' quarterly patterns; fractions throughout, no I/O.
- :mod:`~hzlib.whatif.scenario` — the scenario schema, its checks against the
  plan and the data, the file loader and the command-line parser.
- :mod:`~hzlib.whatif.apply` — :func:`apply_scenario` and its steps.
- :mod:`~hzlib.whatif.tables` — look-ups in the contract tables shared by the
  checks and the changes.
- :mod:`~hzlib.whatif.compare` — :func:`compare`: the baseline report model at
  the base quarter against each scenario's report model at the year end (the
  same :func:`hzlib.report.build_report`), target by target, with the growth
  outlook; every scenario figure marked 情景假设 (pure).
- :mod:`~hzlib.whatif.views`, :mod:`~hzlib.whatif.figures` — tables and charts of
  a comparison (they read the model only).
- :mod:`~hzlib.whatif.live` — the notebook's sliders (widgets only when a front
  end renders them).
- :mod:`~hzlib.whatif.load` — the I/O edge: :func:`load_whatif` (``hz whatif``),
  :func:`open_whatif` (``notebooks/05_whatif.ipynb``), :func:`scenario_models`
  (for the runner).

In one call (files read, scenarios checked, compared)::

    w = load_whatif("zhenba-2024", "2024Q2", scenarios=["q3-slow"], assume=["Q3=6%,Q4=10%"])
    w.table()              # one row per scenario and target (stable English columns)
    w.growth               # growth still needed, sensitivity grid, break-even, history band

Step by step::

    plan = load_plan(plan_id)
    data = load_data(plan_id).data                         # EvaluationData (contract tables)
    scenario = load_scenario(plan_id, name, plan=plan, tables=data)   # InputError lists every problem
    #   or: scenario, problems = scenario_from_args(plan_id, "2024Q2", growth="Q3=6%,Q4=10%", plan=plan, tables=data)
    #   or (sliders): scenario, problems = validate_scenario({...}, plan=plan, tables=data)
    plan2, data2, changes = apply_scenario(plan, data, scenario)   # new objects, inputs untouched
    w = compare(plan, data, "2024Q2", [scenario])          # applies it; both through build_report, side by side

    # growth questions without a scenario (one indicator, fractions):
    required_growth_compared(target, profile, cum_growth, quarter).sentence_zh()
    sensitivity_grid(profile, quarter, cum_growth, target).frame()
    history_band(history_from_profiles(data.profiles, area, "fai", plan.year), profile, quarter, cum_growth, target)

>>> from hzlib.whatif import projected_growth
>>> round(projected_growth([18, 30, 27, 25], "2024Q2", 0.06, {3: 0.06, 4: 0.10}), 4)
0.07
"""

from .apply import Change, apply_scenario
from .compare import ASSUMED_ZH, COMPARE_COLUMNS, GrowthOutlook, ScenarioResult, WhatIf, compare
from .growth import (
    BreakEven,
    GrowthPath,
    HistoryBand,
    RequiredGrowth,
    SensitivityGrid,
    flat_sensitivity,
    growth_path,
    history_band,
    history_from_profiles,
    projected_growth,
    required_growth_compared,
    sensitivity_grid,
)
from .load import load_whatif, open_whatif, scenario_models
from .scenario import (
    Scenario,
    check_scenario,
    list_scenarios,
    load_scenario,
    parse_growth_arg,
    read_scenario_file,
    scenario_from_args,
    validate_scenario,
)

__all__ = [
    "ASSUMED_ZH",
    "COMPARE_COLUMNS",
    "GrowthOutlook",
    "ScenarioResult",
    "WhatIf",
    "compare",
    "load_whatif",
    "open_whatif",
    "scenario_models",
    "BreakEven",
    "Change",
    "GrowthPath",
    "HistoryBand",
    "RequiredGrowth",
    "Scenario",
    "SensitivityGrid",
    "apply_scenario",
    "check_scenario",
    "flat_sensitivity",
    "growth_path",
    "history_band",
    "history_from_profiles",
    "list_scenarios",
    "load_scenario",
    "parse_growth_arg",
    "projected_growth",
    "read_scenario_file",
    "required_growth_compared",
    "scenario_from_args",
    "sensitivity_grid",
    "validate_scenario",
]
