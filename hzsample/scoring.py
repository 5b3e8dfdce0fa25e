"""Illustrative reported scoring inputs (示意数据) for plans with scoring rules.

The inputs no ledger has (media items, planning funds, bonus and penalty events,
accidents …) are drawn deterministically from the plan's seed, in the units the
rules file declares; yes/no inputs are mostly yes. One county reports a major
accident so that the rule "no prize, score kept" shows in the bundled bulletin.

>>> f = scoring_inputs("ankang-2019", seed=20190630)
>>> f is not None and set(f["unit_kind"]) == {"county", "department"}
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hzlib.paths import SCORING_DIR
from hzlib.scoring import load_rules
from hzlib.scoring.inputs import SCORING_INPUT_COLUMNS, scoring_template

__all__ = ["scoring_inputs"]

#: Ranges of illustrative counts by input unit (inclusive).
_COUNT_RANGE = {"条": (0, 12), "个": (0, 4), "次": (0, 2), "项": (0, 3)}


def scoring_inputs(plan_id: str, seed: int) -> pd.DataFrame | None:
    """The filled ``scoring_inputs.csv`` table of ``plan_id`` (None when the plan has no rules)."""
    if not (SCORING_DIR / f"{plan_id}.yaml").exists():
        return None
    rules = load_rules(plan_id)
    t = scoring_template(rules)
    rng = np.random.default_rng([seed, 7])
    values = []
    for input_id in t["input_id"]:
        d = rules.input(input_id)
        if d.is_bool:
            v = 0.0 if input_id == "major_accident" else float(rng.random() < 0.85)
        elif d.unit == "万元":
            v = float(rng.integers(0, 6)) * 100.0
        else:
            lo, hi = _COUNT_RANGE.get(d.unit, (0, 3))
            v = float(rng.integers(lo, hi + 1))
        values.append(v)
    t["value"] = values
    counties = t.loc[(t["unit_kind"] == "county") & (t["input_id"] == "major_accident"), "unit"].tolist()
    if counties:
        t.loc[(t["unit"] == counties[-1]) & (t["input_id"] == "major_accident"), ["value", "note"]] = [1.0, "示意：发生较大安全事故（用于演示“不评奖，得分保留”）"]
    t["note"] = t["note"].replace("", "示意数据")
    return t[[c.id for c in SCORING_INPUT_COLUMNS]]
