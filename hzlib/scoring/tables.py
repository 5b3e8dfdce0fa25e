"""Scoring results as tables with Chinese headers (notebooks, Excel) and as JSON-ready records.

- :func:`item_table`: each unit's items: 考核内容, 评分项, 标准分值, 得分, 使用数据, 说明;
- :func:`ranking_table`: totals and rank within each kind, prize, notes;
- :func:`prize_table`: who gets which prize, kind by kind;
- :func:`records`: one dict per unit and item with the engine's field names (NaN → None).

Numbers stay numbers (points as floats, NaN where an item is incomplete), so that
Excel can sum them; the notes carry the words.

>>> from hzlib.scoring import load_rules, inputs_from_dicts, score
>>> rules = load_rules("ankang-2019")
>>> r = score(rules, inputs_from_dicts(rules, {"市发改委": {"media_own": 25, "media_city": 4, "media_province": 1, "media_central": 0}}))
>>> t = item_table(r, unit="市发改委")
>>> list(t.columns)
['单位', '类别', '考核内容', '评分项', '性质', '标准分值', '得分', '使用数据', '说明']
>>> t.loc[t["评分项"] == "项目宣传", ["得分", "使用数据"]].values.tolist()
[[5.5, '本单位网站、微博、微信播发 25条；市级新闻媒体采用 4条；省级新闻媒体采用 1条；中央媒体采用 0条']]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..glossary import INCOMPLETE_ZH
from .engine import ScoreResult, value_text

__all__ = ["item_table", "ranking_table", "prize_table", "records", "special_lines", "DIRECTION_ZH"]

DIRECTION_ZH = {"score": "得分项", "bonus": "加分项", "penalty": "扣分项"}


def _kind_labels(result: ScoreResult) -> dict[str, str]:
    return {k.id: k.label for k in result.rules.kinds}


def _inputs_text(result: ScoreResult, used: dict[str, float | None]) -> str:
    return "；".join(f"{result.rules.input(i).label} {value_text(result.rules.input(i), v)}" for i, v in used.items())


def item_table(result: ScoreResult, unit: str | None = None, kind: str | None = None) -> pd.DataFrame:
    """The item breakdown: one row per unit and item (of one unit or kind when given)."""
    it = result.items
    if unit is not None:
        it = it[it["unit"] == unit]
    if kind is not None:
        it = it[it["unit_kind"] == kind]
    labels = _kind_labels(result)
    return pd.DataFrame(
        {
            "单位": it["unit"],
            "类别": it["unit_kind"].map(labels),
            "考核内容": it["group"].fillna(""),
            "评分项": it["label"],
            "性质": it["direction"].map(DIRECTION_ZH),
            "标准分值": it["max_points"].astype(float),
            "得分": it["points"].astype(float),
            "使用数据": [_inputs_text(result, u) for u in it["inputs"]],
            "说明": it["note"],
        }
    ).reset_index(drop=True)


def _ordered(result: ScoreResult, kind: str | None) -> pd.DataFrame:
    u = result.units
    if kind is not None:
        u = u[u["unit_kind"] == kind]
    order = {k.id: n for n, k in enumerate(result.rules.kinds)}
    return u.assign(_k=u["unit_kind"].map(order)).sort_values(["_k", "rank", "unit"], na_position="last", kind="stable")


def ranking_table(result: ScoreResult, kind: str | None = None) -> pd.DataFrame:
    """Totals, rank within each kind (counties and departments separately) and prizes."""
    u = _ordered(result, kind)
    return pd.DataFrame(
        {
            "类别": u["unit_kind"].map(_kind_labels(result)),
            "排名": u["rank"],
            "单位": u["unit"],
            "总分": u["total"].astype(float),
            "得分项": u["score_points"].astype(float),
            "加分": u["bonus"].astype(float),
            "扣分": u["penalty"].astype(float),
            "标准分值": u["max_total"].astype(float),
            "奖项": u["prize"].fillna(""),
            "取消评奖资格": u["disqualified"].map({True: "是", False: ""}),
            "特别处理": u["special"],
            INCOMPLETE_ZH: u["incomplete"].map({True: "是", False: ""}),
            "说明": u["note"],
        }
    ).reset_index(drop=True)


def special_lines(result: ScoreResult, kind: str | None = None) -> list[str]:
    """Units scored in a special way (items not applicable and rescaled, no key project), one line per kind and treatment.

    >>> from hzlib.scoring import load_rules, inputs_from_dicts, score
    >>> rules = load_rules("ankang-2019")
    >>> r = score(rules, inputs_from_dicts(rules, {"市商务局": {"planned_investment": 0}, "市科技局": {"planned_investment": 0}}))
    >>> special_lines(r)[0].split("：")[0]
    '市直部门 市商务局、市科技局（2 个）'
    """
    u = _ordered(result, kind)
    u = u[u["special"] != ""]
    labels = _kind_labels(result)
    return [
        f"{labels[k]} {'、'.join(g['unit'])}（{len(g)} 个）：{text}"
        for (k, text), g in u.sort_values("unit", kind="stable").groupby(["unit_kind", "special"], sort=False)
    ]


def prize_table(result: ScoreResult) -> pd.DataFrame:
    """The prize list: kind, prize (tier), unit, total, rank; best tier first."""
    u = _ordered(result, None)
    u = u[u["prize"].notna()]
    tier_order = {(p.unit_kind, label): (n, m) for n, p in enumerate(result.places) for m, (label, _) in enumerate(p.tiers)}
    key = [tier_order.get((k, t), (99, 99)) for k, t in zip(u["unit_kind"], u["prize"])]
    u = u.assign(_t=key).sort_values(["_k", "_t", "rank", "unit"], kind="stable")
    return pd.DataFrame(
        {
            "类别": u["unit_kind"].map(_kind_labels(result)),
            "奖项": u["prize"],
            "单位": u["unit"],
            "总分": u["total"].astype(float),
            "排名": u["rank"],
        }
    ).reset_index(drop=True)


def _json(v: Any) -> Any:
    if isinstance(v, float) and v != v:
        return None
    if v is pd.NA:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def records(result: ScoreResult) -> list[dict[str, Any]]:
    """JSON-ready records: unit, unit_kind, item, points, max_points, inputs, note, incomplete, with the unit's total, rank and prize.

    >>> from hzlib.scoring import load_rules, inputs_from_dicts, score
    >>> rules = load_rules("ankang-2019")
    >>> rec = records(score(rules, inputs_from_dicts(rules, {"汉滨区": {"media_city": 3}})))[0]
    >>> sorted(rec)
    ['applicable', 'award_excluded', 'direction', 'disqualified', 'group', 'incomplete', 'inputs', 'item', 'label', 'max_points', 'note', 'points', 'prize', 'rank', 'special', 'total', 'unit', 'unit_kind']
    >>> rec["item"], rec["points"], rec["total"], rec["inputs"]
    ('invest_completion', None, None, {'planned_investment': None, 'completed_investment': None})
    """
    unit_fields = result.units.set_index("unit")[["total", "rank", "prize", "disqualified", "award_excluded", "special"]]
    out = []
    for row in result.items.to_dict("records"):
        rec = {k: _json(v) for k, v in row.items() if k != "inputs"}
        rec["inputs"] = {k: _json(v) for k, v in row["inputs"].items()}
        rec.update({k: _json(v) for k, v in unit_fields.loc[row["unit"]].items()})
        out.append(rec)
    return out
