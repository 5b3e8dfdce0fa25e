"""Assessment scoring as rules in data: item-by-item points, totals, ranks within each kind, prizes.

A rules file (``params/scoring/<id>.yaml``, format in ``docs/scoring.md``) encodes
one assessment table; :func:`score` applies it to explicit inputs and explains
every point given or taken, in Chinese. Changing a rule is editing the file.

>>> from hzlib.scoring import load_rules, inputs_from_dicts, score
>>> rules = load_rules("ankang-2019")
>>> r = score(rules, inputs_from_dicts(rules, {"汉滨区": {"media_city": 3, "media_province": 2, "media_central": 1}}))
>>> r.items.set_index(["unit", "item"]).loc[("汉滨区", "publicity"), "note"]
'市级新闻媒体采用 3条 × 0.3 + 省级新闻媒体采用 2条 × 0.5 + 中央媒体采用 1条 × 2 = 3.9'

Modules: :mod:`.rules` (schema, :func:`load_rules`, :func:`verify_rule_quotes`),
:mod:`.engine` (:class:`ScoringInputs`, :func:`score`, :class:`ScoreResult`),
:mod:`.inputs` (``scoring_inputs.csv``: :func:`read_scoring_inputs`,
:func:`load_scoring_inputs`, :func:`scoring_template`, :func:`write_scoring_template`),
:mod:`.tables` (Chinese tables and JSON records).

Inputs the engine expects
-------------------------
Values inside the engine: ``%`` inputs as fractions (0.8), ``是否`` as 1/0, 万元 and
counts as they are. Units with no projects get 0 (not a missing value) for the
ledger counts and amounts. ``ledger`` inputs are filled from the evaluation (the
report model); ``plan`` inputs are read by :func:`load_rules` from the plan's task
table; ``reported`` inputs come from ``data/<plan>/scoring_inputs.csv``.

``ankang-2019`` (annual; period ``2019``, or a quarter for a trial run). From the ledger:

- ``completed_investment`` (万元): city key projects' completed investment since January (``unit_rates.completed_cum``);
- ``planned_investment`` (万元): their annual planned investment (``unit_rates.annual_plan``);
- ``key_projects`` (个): the unit's city key projects (``unit_rates.projects``);
- ``project_completion`` (%, fraction, PER PROJECT): completed ÷ annual plan (``project_status.completion_ratio``);
- ``new_starts`` (个): planned new starts (``unit_rates.new_starts``);
- ``start_rate_h1``, ``start_rate_q3`` (%, fraction): opening rate of planned new starts at the end of June
  and of September (``unit_rates.start_rate`` at 2019Q2 and 2019Q3; Q3 is not needed before Q3);
- ``completions_missed`` (个): projects planned to complete by the period end, not completed (``missed_completions``).

From the plan (read by :func:`load_rules`): ``preliminary_projects`` (附件2 重点前期项目个数; blank → 0).

Reported in ``scoring_inputs.csv``: ``preliminary_not_done`` (个), ``planning_task_done`` (是否),
``packaged_over_20yi`` (个, including 百亿元 ones), ``packaged_over_100yi``, ``packaged_feasibility``,
``packaged_filed`` (个), ``planning_funds`` (万元), ``media_own``, ``media_city``, ``media_province``,
``media_central`` (条; each article once, at its highest level), ``provincial_ahead``, ``adopted_next_year``
(个), ``late_or_false_reports``, ``support_failures``, ``support_severe`` (次), ``major_accident`` (是否),
and for departments ``mechanism_established``, ``management_effective``, ``monthly_reporting`` (是否).

``hanzhong-2022`` (quarterly 红旗/蜗牛, counties and zones): ledger ``new_starts``,
``new_started`` (planned new starts started by the period end), ``completed_investment``,
``scheduled_investment`` (annual_plan × time progress, 万元), ``planned_completions``
(planned completion between 1 January and the period end), ``completions`` (of those,
completed by the period end); reported ``attraction_task``, ``attracted`` (招引 task and
projects landed), ``inspection_plus``, ``inspection_minus`` (督查 findings).
"""

from .engine import (
    ITEM_COLUMNS,
    UNIT_COLUMNS,
    AwardPlaces,
    ScoreResult,
    ScoringInputs,
    combine_inputs,
    inputs_from_dicts,
    score,
)
from .inputs import (
    SCORING_INPUT_COLUMNS,
    SCORING_INPUTS_FILE,
    load_scoring_inputs,
    read_scoring_inputs,
    scoring_template,
    write_scoring_template,
)
from .rules import ScoringRules, list_rules_ids, load_rules, read_rules_file, verify_rule_quotes
from .tables import item_table, prize_table, ranking_table, records

__all__ = [
    "ITEM_COLUMNS",
    "UNIT_COLUMNS",
    "SCORING_INPUT_COLUMNS",
    "SCORING_INPUTS_FILE",
    "AwardPlaces",
    "ScoreResult",
    "ScoringInputs",
    "ScoringRules",
    "combine_inputs",
    "inputs_from_dicts",
    "item_table",
    "list_rules_ids",
    "load_rules",
    "load_scoring_inputs",
    "prize_table",
    "ranking_table",
    "read_rules_file",
    "read_scoring_inputs",
    "records",
    "score",
    "scoring_template",
    "verify_rule_quotes",
    "write_scoring_template",
]
