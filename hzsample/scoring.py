"""Illustrative reported scoring inputs (示意数据) for plans with scoring rules.

The inputs no ledger has (media items, planning funds, bonus and penalty events,
accidents …) are drawn deterministically from the plan's seed, in the units the
rules file declares; yes/no inputs are mostly yes. One county reports a major
accident so that the rule "no prize, score kept" shows in the bundled bulletin.

Every value has a 期别 (``period``): one block of rows per quarter end up to the data's
last month, the latest first. ``period_basis: cumulative`` counts grow from quarter to
quarter (the latest is drawn, earlier ones are its share by elapsed quarters); counts
bounded by another input (``at_most``: 未完成的重点前期项目 ≤ 附件2 重点前期项目) stay
within the bound and shrink as the year goes on; ``quarter`` counts are drawn per quarter.

>>> f = scoring_inputs("ankang-2019", seed=20190630, data_through="2019-06")
>>> f is not None and set(f["unit_kind"]) == {"county", "department"}, sorted(set(f["period"]))
(True, ['2019Q1', '2019Q2'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hzlib.paths import project
from hzlib.periods import Period
from hzlib.scoring import load_rules
from hzlib.scoring.inputs import PERIOD_COLUMN, SCORING_INPUT_COLUMNS, scoring_template
from hzlib.scoring.rules import ScoringRules

#: Columns of the sample file: the template's, with 期别 before 备注.
SAMPLE_COLUMNS = (*SCORING_INPUT_COLUMNS[:-1], PERIOD_COLUMN, SCORING_INPUT_COLUMNS[-1])

__all__ = ["scoring_inputs", "SAMPLE_COLUMNS"]

#: Ranges of illustrative counts by input unit (inclusive).
_COUNT_RANGE = {"条": (0, 12), "个": (0, 4), "次": (0, 2), "项": (0, 3)}


def scoring_inputs(plan_id: str, seed: int, data_through: str) -> pd.DataFrame | None:
    """The filled ``scoring_inputs.csv`` table of ``plan_id``, every quarter end to ``data_through`` (None when the plan has no rules)."""
    if not (project().scoring_dir / f"{plan_id}.yaml").exists():
        return None
    rules = load_rules(plan_id)
    latest = _latest(rules, seed)
    last = Period.parse(data_through)
    quarters = max(last.quarter if last.is_quarter_end else last.quarter - 1, 1)
    blocks = [_earlier(rules, latest, seed, q, quarters).assign(period=f"{last.year}Q{q}") for q in range(quarters, 0, -1)]
    return pd.concat(blocks, ignore_index=True)[[c.id for c in SAMPLE_COLUMNS]]


def _earlier(rules: ScoringRules, latest: pd.DataFrame, seed: int, q: int, last_q: int) -> pd.DataFrame:
    """The rows of quarter ``q`` (of ``last_q``) from the latest quarter's draws."""
    if q == last_q:
        return latest.copy()
    t = latest.copy()
    rng = np.random.default_rng([seed, 7, q])
    values = []
    for input_id, unit, v in zip(t["input_id"], t["unit"], t["value"]):
        d = rules.input(input_id)
        if d.is_bool:
            values.append(v)
        elif d.period_basis == "quarter":
            lo, hi = _COUNT_RANGE.get(d.unit, (0, 3))
            values.append(float(rng.integers(lo, hi + 1)))
        elif d.at_most is not None:  # not done yet at the quarter's end: more earlier in the year, never above the bound
            bound = _bound(rules, d.at_most, unit)
            values.append(float(min(bound, v + np.ceil((bound - v) * (last_q - q) / last_q))))
        elif d.unit == "万元":
            values.append(float(np.floor(v * q / last_q / 100.0)) * 100.0)
        else:
            values.append(float(np.floor(v * q / last_q)))
    t["value"] = values
    return t


def _bound(rules: ScoringRules, input_id: str, unit: str) -> float:
    """The value of the bounding input for ``unit`` (the plan's task table), its default when blank."""
    v = rules.plan_values.get(input_id, {}).get(unit)
    return float(v if v is not None else (rules.input(input_id).default or 0.0))


def _latest(rules: ScoringRules, seed: int) -> pd.DataFrame:
    """The rows of the latest quarter: drawn as the single-period sample always was, bounded counts capped."""
    t = scoring_template(rules)
    rng = np.random.default_rng([seed, 7])
    values = []
    for input_id, unit in zip(t["input_id"], t["unit"]):
        d = rules.input(input_id)
        if d.is_bool:
            v = 0.0 if input_id == "major_accident" else float(rng.random() < 0.85)
        elif d.unit == "万元":
            v = float(rng.integers(0, 6)) * 100.0
        else:
            lo, hi = _COUNT_RANGE.get(d.unit, (0, 3))
            v = float(rng.integers(lo, hi + 1))
            if d.at_most is not None:
                v = min(v, _bound(rules, d.at_most, unit))
        values.append(v)
    t["value"] = values
    counties = t.loc[(t["unit_kind"] == "county") & (t["input_id"] == "major_accident"), "unit"].tolist()
    if counties:
        t.loc[(t["unit"] == counties[-1]) & (t["input_id"] == "major_accident"), ["value", "note"]] = [
            1.0,
            "示意：发生较大安全事故（用于演示“不评奖，得分保留”）",
        ]
    t["note"] = t["note"].replace("", "示意数据")
    return t
