"""The scoring engine: rules (data) and inputs → points item by item, totals, ranks and prizes.

Pure: no I/O. Inputs come as long tables (:class:`ScoringInputs`): per unit
``unit, unit_kind, input_id, value`` and per project ``unit, project_id,
input_id, value``. Values inside are fractions for ``%`` inputs (0.8 is 80%), 1/0
for ``是否`` inputs, 万元 and counts as they are. A missing input makes its item
incomplete (points NaN, the unit unranked), never silently 0, unless the rules
give the input a ``default``.

Worked example (the 安康 2019 county item 市级重点建设项目完成情况, 35 points):

>>> from hzlib.scoring.rules import load_rules
>>> rules = load_rules("ankang-2019")
>>> inputs = inputs_from_dicts(rules, {"汉滨区": {"completed_investment": 307245.75, "planned_investment": 409661}})
>>> r = score(rules, inputs)
>>> row = r.items.set_index(["unit", "item"]).loc[("汉滨区", "invest_completion")]
>>> float(row["points"]), row["note"]
(26.25, '完成投资 307,245.75万元 ÷ 年度计划投资 409,661万元 = 75%，× 35 = 26.25 分')
>>> bool(r.units.set_index("unit").loc["汉滨区", "incomplete"])   # the other items have no inputs here
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ERROR, WARNING, InputError, Problem
from ..glossary import INCOMPLETE_ZH
from ..periods import Period
from ..textfmt import fmt_number
from ..units import from_percent, to_percent
from .rules import (
    Award,
    Checkpoint,
    ConditionItem,
    InputDef,
    Item,
    PerCountItem,
    ProjectBandsItem,
    RatioItem,
    ScoringRules,
    ShortfallItem,
    SmallUnit,
    UnitKind,
)

__all__ = [
    "UNIT_INPUT_COLUMNS",
    "PROJECT_INPUT_COLUMNS",
    "ITEM_COLUMNS",
    "UNIT_COLUMNS",
    "ScoringInputs",
    "ScoreResult",
    "AwardPlaces",
    "score",
    "inputs_from_dicts",
    "combine_inputs",
    "round_half_up",
    "value_text",
    "bound_problems",
]

UNIT_INPUT_COLUMNS = ("unit", "unit_kind", "input_id", "value")
PROJECT_INPUT_COLUMNS = ("unit", "project_id", "input_id", "value")
#: Columns of :attr:`ScoreResult.items` (one row per unit and item).
ITEM_COLUMNS = ("unit", "unit_kind", "item", "label", "group", "direction", "points", "max_points", "applicable", "incomplete", "inputs", "note")
#: Columns of :attr:`ScoreResult.units` (one row per unit).
UNIT_COLUMNS = (
    "unit",
    "unit_kind",
    "total",
    "max_total",
    "score_points",
    "bonus",
    "penalty",
    "rank",
    "prize",
    "award",
    "disqualified",
    "award_excluded",
    "special",
    "incomplete",
    "note",
)
_SOURCE = "评分输入"
#: A ``%`` input above this is taken for a percent number typed where a fraction is expected.
_MAX_FRACTION = 10.0


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else object) for c in columns})


@dataclass(frozen=True)
class ScoringInputs:
    """What the engine scores: per-unit and per-project input values, and the period.

    ``period`` (``2019Q2``, ``2019``) decides which quarterly checkpoints are due
    and whether year-end items count; ``None`` scores as at the year end.
    """

    units: pd.DataFrame = field(default_factory=lambda: _empty(UNIT_INPUT_COLUMNS))
    projects: pd.DataFrame = field(default_factory=lambda: _empty(PROJECT_INPUT_COLUMNS))
    period: str | None = None


def inputs_from_dicts(
    rules: ScoringRules,
    units: Mapping[str, Mapping[str, float]],
    projects: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
    period: str | None = None,
) -> ScoringInputs:
    """Build inputs from ``{unit: {input_id: value}}`` and ``{unit: {project_id: {input_id: value}}}``.

    Unit kinds are taken from the rules (a unit the rules do not score gets kind ``""``).
    """
    kinds = rules.unit_kinds()
    rows = [(u, kinds.get(u, ""), i, float(v)) for u, d in units.items() for i, v in d.items()]
    prow = [(u, p, i, float(v)) for u, ps in (projects or {}).items() for p, d in ps.items() for i, v in d.items()]
    u = pd.DataFrame(rows, columns=list(UNIT_INPUT_COLUMNS)) if rows else _empty(UNIT_INPUT_COLUMNS)
    pr = pd.DataFrame(prow, columns=list(PROJECT_INPUT_COLUMNS)) if prow else _empty(PROJECT_INPUT_COLUMNS)
    return ScoringInputs(u, pr, period)


def combine_inputs(*parts: ScoringInputs) -> ScoringInputs:
    """One set of inputs from several (ledger-derived, plan, reported); the same value twice is an error.

    >>> from hzlib.scoring.rules import load_rules
    >>> rules = load_rules("ankang-2019")
    >>> a = inputs_from_dicts(rules, {"汉滨区": {"media_city": 3}})
    >>> combine_inputs(a, inputs_from_dicts(rules, {"汉阴县": {"media_city": 1}})).units["unit"].tolist()
    ['汉滨区', '汉阴县']
    >>> combine_inputs(a, a)
    Traceback (most recent call last):
    ...
    hzlib.errors.InputError: 评分输入有 1 处错误 / 1 error(s) in 评分输入:
      - 评分输入 [汉滨区.media_city]：重复给出（合并的输入中出现 2 次）
    """
    periods = {p.period for p in parts if p.period is not None}
    if len(periods) > 1:
        raise InputError([Problem(_SOURCE, None, "period", f"合并的输入期别不一致：{sorted(periods)}")], what=_SOURCE)
    units = pd.concat([p.units for p in parts], ignore_index=True) if parts else _empty(UNIT_INPUT_COLUMNS)
    projects = pd.concat([p.projects for p in parts], ignore_index=True) if parts else _empty(PROJECT_INPUT_COLUMNS)
    problems = [
        Problem(_SOURCE, None, ".".join(map(str, key)), f"重复给出（合并的输入中出现 {n} 次）")
        for frame, keys in ((units, ["unit", "input_id"]), (projects, ["unit", "project_id", "input_id"]))
        for key, n in frame.groupby(keys, sort=True).size().items()
        if n > 1
    ]
    if problems:
        raise InputError(problems, what=_SOURCE)
    return ScoringInputs(units, projects, next(iter(periods), None))


@dataclass(frozen=True)
class AwardPlaces:
    """How many places an award has for a kind, and how they were counted."""

    unit_kind: str
    award: str
    label: str
    places: int
    tiers: list[tuple[str, int]]
    basis: str  # Chinese: 13个单位 × 35% = 4.55，向下取整为 4 个
    awarded: int  # units that got it (ties may add, vacancies remove)


@dataclass
class ScoreResult:
    """Points per unit and item (``items``), totals, ranks and prizes per unit (``units``), and problems."""

    rules: ScoringRules
    period: str | None
    items: pd.DataFrame
    units: pd.DataFrame
    places: list[AwardPlaces] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no unit has a missing input."""
        return not bool(self.units["incomplete"].any())


# ---- numbers and words -------------------------------------------------------------------------


def round_half_up(x: float, decimals: int) -> float:
    """Round as people do (0.125 → 0.13 at 2 decimals); NaN stays NaN.

    >>> round_half_up(0.125, 2), round_half_up(2.675, 2), round_half_up(float("nan"), 2) != round_half_up(1, 2)
    (0.13, 2.68, True)
    """
    if x != x:
        return x
    return float(Decimal(repr(round(x, 9))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _none(x: Any) -> float | None:
    """A float, or None for a missing value (JSON-ready)."""
    return None if x is None or x != x else float(x)


def _clean(x: np.ndarray) -> np.ndarray:
    """Round away binary noise (0.3 × 3 = 0.8999999999999999 → 0.9)."""
    return np.round(x.astype(float), 9)


def _pts(x: float) -> str:
    return fmt_number(float(x), 4)


def value_text(d: InputDef, v: float | dict[str, float | None] | None) -> str:
    """An input value as people read it: 75%, 是, 409,661万元, 3条; 缺 when missing; per-project values counted.

    >>> from hzlib.scoring.rules import InputDef
    >>> value_text(InputDef(id="r", label="开工率", unit="%", origin="ledger", ledger="start_rate"), 0.7), value_text(InputDef(id="n", label="n", unit="条", origin="reported", period_basis="cumulative"), 3.0)
    ('70%', '3条')
    """
    if isinstance(v, dict):
        return f"{len(v)} 个项目（见说明）"
    if v is None or v != v:
        return "缺"
    if d.is_percent:
        return f"{fmt_number(to_percent(v), 2)}%"
    if d.is_bool:
        return "是" if v >= 0.5 else "否"
    return f"{fmt_number(v, 2)}{d.unit}"


# ---- the context of one kind -------------------------------------------------------------------


class _Kind:
    """Input values of the units of one kind, by input id, with defaults applied."""

    def __init__(self, rules: ScoringRules, kind: UnitKind, values: pd.DataFrame, projects: pd.DataFrame, period: Period | None):
        self.rules = rules
        self.kind = kind  # the unit kind being scored
        self.index = pd.Index(kind.units, name="unit")
        self.values = values.reindex(index=self.index)
        self.projects = projects[projects["unit"].isin(kind.units)]
        self.period = period

    def given(self, input_id: str) -> pd.Series:
        """Values as given (from the plan's task table for ``origin: plan`` inputs), NaN where missing."""
        if input_id in self.rules.plan_values:
            table = self.rules.plan_values[input_id]
            return pd.Series([table.get(u) for u in self.index], index=self.index, dtype=float)
        if input_id in self.values.columns:
            return self.values[input_id].astype(float)
        return pd.Series(np.nan, index=self.index)

    def value(self, input_id: str) -> pd.Series:
        """Values with the input's default where missing."""
        d = self.rules.input(input_id)
        s = self.given(input_id)
        return s.fillna(d.default) if d.default is not None else s

    def defaulted(self, input_id: str) -> pd.Series:
        return self.given(input_id).isna() & (self.rules.input(input_id).default is not None)

    def project_rows(self, input_id: str) -> pd.DataFrame:
        p = self.projects
        return p[p["input_id"] == input_id][["unit", "project_id", "value"]]

    @property
    def year_end(self) -> bool:
        return self.period is None or self.period.end_month == 12


@dataclass
class _Outcome:
    """Raw result of one rule over the units of a kind (before applicability and clipping)."""

    points: np.ndarray
    notes: list[str]
    missing: np.ndarray  # bool: a needed input is missing
    needed: list[str]  # input ids the rule read
    extra_missing: list[str] | None = None  # per unit: why incomplete, besides missing inputs


# ---- the rules ---------------------------------------------------------------------------------


def _ratio(item: RatioItem, k: _Kind) -> _Outcome:
    num_id, den_id = item.inputs["numerator"], item.inputs["denominator"]
    num, den = k.value(num_id).to_numpy(), k.value(den_id).to_numpy()
    p = item.params
    cap = p.cap if p.cap is not None else item.max_points
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
    raw = _clean(p.points * ratio)
    points = np.minimum(raw, cap)
    dn, dd = k.rules.input(num_id), k.rules.input(den_id)
    notes, extra = [], []
    for n, d, r, x in zip(num, den, ratio, raw):
        if n != n or d != d:
            notes.append("")
            extra.append("")
            continue
        if not d > 0:
            notes.append(f"{dd.label}为 {value_text(dd, d)}，无法计算比例")
            extra.append("分母为 0")
            continue
        text = f"{dn.label} {value_text(dn, n)} ÷ {dd.label} {value_text(dd, d)} = {fmt_number(to_percent(r), 2)}%，× {p.points:g} = {_pts(x)} 分"
        notes.append(text + (f"，超过上限按 {cap:g} 分计" if x > cap else ""))
        extra.append("")
    missing = np.isnan(num) | np.isnan(den)
    return _Outcome(points, notes, missing, [num_id, den_id], extra)


def _small_units(k: _Kind, item: Item, small: SmallUnit | None, fallback: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(is small, count, input ids read) for a ``small_unit`` rule; counts come from ``small.count`` or ``fallback``."""
    if small is None:
        return np.zeros(len(k.index), dtype=bool), np.full(len(k.index), np.nan), []
    if small.count:
        cid = item.inputs[small.count]
        count = k.value(cid).to_numpy()
        return count < small.fewer_than, count, [cid]
    count = (fallback if fallback is not None else pd.Series(0, index=k.index)).reindex(k.index).fillna(0).to_numpy(dtype=float)
    return count < small.fewer_than, count, []


def _project_bands(item: ProjectBandsItem, k: _Kind) -> _Outcome:
    pid = item.inputs["project"]
    rows = k.project_rows(pid)
    p = item.params
    n_rows = rows.groupby("unit").size()
    small, count, needed = _small_units(k, item, p.small_unit, n_rows)
    pct = _clean(to_percent(rows["value"].to_numpy(dtype=float)))
    band = np.full(len(rows), -1)
    for b_i, b in enumerate(p.bands):
        band[(band < 0) & b.mask(pct)] = b_i
    normal = np.array([b.points for b in p.bands] + [0.0])  # band -1 (no band) takes the last entry: 0
    reduced = np.array([b.points if b.points_small is None else b.points_small for b in p.bands] + [0.0])
    row_small = rows["unit"].map(dict(zip(k.index, small))).fillna(False).to_numpy(dtype=bool)
    each = np.where(row_small, reduced[band], normal[band])
    rows = rows.assign(band=band, each=each, pct=pct)
    total = rows.groupby("unit")["each"].sum().reindex(k.index).fillna(0.0).to_numpy()
    points = np.maximum(_clean(total), -p.cap)
    by_unit = {u: g for u, g in rows.groupby("unit", sort=False)}
    notes, extra = [], []
    small_text = f"（少于 {p.small_unit.fewer_than} 个项目的单位）" if p.small_unit else ""
    for u, sm, c, raw, pts in zip(k.index, small, count, total, points):
        g = by_unit.get(u)
        n = 0 if g is None else len(g)
        blank = [] if g is None else g.loc[g["pct"].isna(), "project_id"].astype(str).tolist()
        if blank:
            notes.append("")
            extra.append(f"项目 {'、'.join(blank[:10])}{' 等' if len(blank) > 10 else ''} 缺少{k.rules.input(pid).label}")
            continue
        if p.small_unit and p.small_unit.count and c == c and int(c) != n:
            notes.append("")
            extra.append(f"逐项目数据 {n} 个，与项目个数 {fmt_number(c, 0)} 个不符")
            continue
        if n == 0:
            if p.small_unit and p.small_unit.count and c == 0:
                notes.append("没有项目，不扣分")
                extra.append("")
            else:
                notes.append("")
                extra.append("没有逐项目数据")
            continue
        assert g is not None  # n > 0
        parts = []
        for b_i, b in enumerate(p.bands):
            hit = g[g["band"] == b_i]
            if hit.empty:
                continue
            amount = b.points_small if sm and b.points_small is not None else b.points
            listed = "、".join(f"{pj} {fmt_number(x, 2)}%" for pj, x in zip(hit["project_id"].astype(str)[:10], hit["pct"][:10]))
            more = f" 等 {len(hit)} 个" if len(hit) > 10 else ""
            parts.append(f"{b.label_zh()} {len(hit)} 个 × {amount:g} = {_pts(len(hit) * amount)}（{listed}{more}）")
        head = f"{n} 个项目{small_text if sm else ''}"
        if not parts:
            notes.append(f"{head}，均不在扣分档次，不扣分")
        else:
            capped = f"，最多扣 {p.cap:g} 分，按 {_pts(pts)} 计" if raw < -p.cap else ""
            notes.append(f"{head}：" + "；".join(parts) + f"；合计 {_pts(raw)} 分{capped}")
        extra.append("")
    missing = np.zeros(len(k.index), dtype=bool)
    if needed:
        missing |= np.isnan(count)
    return _Outcome(points, notes, missing, needed + [pid], extra)


def _due(item: ShortfallItem, k: _Kind) -> tuple[list[Checkpoint], list[Checkpoint]]:
    """(checkpoints assessed, checkpoints not yet due at the period)."""
    due = [c for c in item.params.checkpoints if k.period is None or int(c.due[1]) <= k.period.quarter]
    pending = [c for c in item.params.checkpoints if c not in due]
    if item.params.combine == "latest" and due:
        due = [max(due, key=lambda c: c.due)]
    return due, pending


def _shortfall(item: ShortfallItem, k: _Kind) -> _Outcome:
    p = item.params
    base = p.base if p.base is not None else item.max_points
    due, pending = _due(item, k)
    n = len(k.index)
    points = np.full(n, float(base))
    missing = np.zeros(n, dtype=bool)
    texts: list[list[str]] = [[] for _ in range(n)]
    unit = "个百分点" if p.shortfall == "pp" else "%"
    for c in due:
        iid = item.inputs[c.id]
        rate = k.value(iid).to_numpy()
        gap = _clean(c.target - to_percent(rate))
        short = gap if p.shortfall == "pp" else _clean(to_percent(gap / c.target))
        deduct = np.zeros(n)
        which = np.full(n, -1)
        for b_i, b in enumerate(p.brackets):
            hit = (which < 0) & (short > 0) & b.mask(short)
            which[hit] = b_i
            deduct[hit] = b.points
        points = points + deduct
        missing |= np.isnan(rate)
        d = k.rules.input(iid)
        for i in range(n):
            if rate[i] != rate[i]:
                continue
            head = f"{c.label}{d.label} {value_text(d, rate[i])}（目标 {c.target:g}%）"
            if gap[i] <= 0:
                texts[i].append(f"{head}，达到目标，不扣分")
            elif which[i] < 0:
                texts[i].append(f"{head}，低 {fmt_number(short[i], 2)}{unit}，不在任何扣分档次，不扣分")
            else:
                how = (
                    f"低 {fmt_number(gap[i], 2)} 个百分点"
                    if p.shortfall == "pp"
                    else f"低 {fmt_number(gap[i], 2)} 个百分点，即目标的 {fmt_number(short[i], 2)}%"
                )
                texts[i].append(f"{head}，{how}，属“{p.brackets[which[i]].label_zh(unit)}”档，扣 {-deduct[i]:g} 分")
    later = [f"{c.label}检查点（{c.due}末）未到期" for c in pending]
    notes = ["；".join([f"基础分 {base:g}", *texts[i], *later, f"得 {_pts(points[i])} 分"]) for i in range(n)]
    return _Outcome(_clean(points), notes, missing, [item.inputs[c.id] for c in due])


def _per_count(item: PerCountItem, k: _Kind) -> _Outcome:
    p = item.params
    n = len(k.index)
    small, small_count, needed = _small_units(k, item, p.small_unit)
    missing = np.zeros(n, dtype=bool)
    texts: list[list[str]] = [[] for _ in range(n)]
    total = np.zeros(n)
    if p.base_if:
        bid = item.inputs[p.base_if]
        yes = k.value(bid).to_numpy()
        missing |= np.isnan(yes)
        needed.append(bid)
        got = np.where(yes >= 0.5, p.base, 0.0)
        total += got
        d = k.rules.input(bid)
        for i in range(n):
            texts[i].append(f"{d.label}：{value_text(d, yes[i])}，基础分 {_pts(got[i])}")
    elif p.base:
        total += p.base
        for i in range(n):
            texts[i].append(f"基础分 {p.base:g}")
    for grp in p.groups:
        s = np.zeros(n)
        words: list[list[str]] = [[] for _ in range(n)]
        for t in grp.terms:
            iid = item.inputs[t.input]
            v = k.value(iid).to_numpy()
            missing |= np.isnan(v)
            needed.append(iid)
            steps = _clean(v / t.per)
            if t.whole_steps:
                steps = np.floor(steps)
            amount = np.where(small & (t.points_small is not None), t.points_small if t.points_small is not None else 0.0, t.points)
            s = s + _clean(steps * amount)
            d = k.rules.input(iid)
            per = f"每 {t.per:g}{d.unit}" if t.per != 1 else ""
            for i in range(n):
                if v[i] == v[i]:
                    words[i].append(f"{d.label} {value_text(d, v[i])}{per} × {amount[i]:g}")
        s = _clean(s)
        capped = np.clip(s, -grp.cap, grp.cap) if grp.cap is not None else s
        total += capped
        for i in range(n):
            if words[i]:
                text = " + ".join(words[i]) + f" = {_pts(s[i])}"
                if capped[i] != s[i]:
                    text += f"，最多 {grp.cap:g} 分，按 {_pts(capped[i])} 计"
                texts[i].append(text)
    small_text = f"（少于 {p.small_unit.fewer_than} 个的单位）" if p.small_unit else ""
    notes = [("；".join(t) + (small_text if sm else "")) for t, sm in zip(texts, small)]
    if p.small_unit and p.small_unit.count:
        missing |= np.isnan(small_count)
    return _Outcome(_clean(total), notes, missing, list(dict.fromkeys(needed)))


def _condition(item: ConditionItem, k: _Kind) -> _Outcome:
    n = len(k.index)
    total = np.zeros(n)
    missing = np.zeros(n, dtype=bool)
    texts: list[list[str]] = [[] for _ in range(n)]
    needed = []
    for c in item.params.conditions:
        iid = item.inputs[c.input]
        v = k.value(iid).to_numpy()
        needed.append(iid)
        missing |= np.isnan(v)
        got = np.where(v >= 0.5, c.points, 0.0)
        total += got
        d = k.rules.input(iid)
        for i in range(n):
            texts[i].append(f"{d.label}：{value_text(d, v[i])}，{'+' if got[i] else ''}{_pts(got[i])}")
    return _Outcome(_clean(total), ["；".join(t) for t in texts], missing, needed)


_RULES = {RatioItem: _ratio, ProjectBandsItem: _project_bands, ShortfallItem: _shortfall, PerCountItem: _per_count, ConditionItem: _condition}


def _score_item(item: Item, k: _Kind) -> pd.DataFrame:
    """One row per unit of the kind: points, applicable, incomplete, inputs used, note."""
    n = len(k.index)
    if item.scored_at == "year_end" and not k.year_end:
        return pd.DataFrame(
            {
                "points": np.zeros(n),
                "applicable": True,
                "incomplete": False,
                "inputs": [{} for _ in range(n)],
                "note": f"年终考核项，{k.period.label_zh() if k.period else ''}不计分",
            },
            index=k.index,
        )
    out = _RULES[type(item)](item, k)  # type: ignore[operator]
    points = out.points.astype(float)
    notes = list(out.notes)
    applicable = np.ones(n, dtype=bool)
    missing = out.missing.copy()
    needed = list(out.needed)
    extra = out.extra_missing or [""] * n
    if item.applies_if:
        aid = item.inputs[item.applies_if]
        base = k.value(aid).to_numpy()
        needed = [aid] + [x for x in needed if x != aid]
        base_missing = np.isnan(base)
        off = ~base_missing & (base <= 0)
        d = k.rules.input(aid)
        mode = item.not_applicable
        npj = k.kind.no_projects
        if npj is not None and npj.item == item.id and npj.treatment == "zero":
            mode = "zero"  # the rules file's reading for units with no key project (no_projects: zero)
        fill = {"full": item.high, "zero": 0.0, "excluded": np.nan}[mode]
        word = {
            "full": f"按规则得满分 {item.high:g} 分",
            "zero": f"按规则（no_projects: zero）得 0 分（标准分值 {item.max_points:g} 分照计）" if mode != item.not_applicable else "不得分",
            "excluded": "本项不适用，不计入得分和标准分值",
        }[mode]
        points = np.where(off, fill, points)
        applicable = ~(off & (mode == "excluded"))
        for i in np.flatnonzero(off).tolist():
            notes[i] = f"{d.label}为 {value_text(d, base[i])}，{word}"
        missing = np.where(off, False, missing | base_missing)
        extra = ["" if off[i] else extra[i] for i in range(n)]
    low, high = item.low, item.high
    clipped = np.clip(points, low, high)
    for i in np.flatnonzero((clipped != points) & ~np.isnan(points)).tolist():
        notes[i] += f"；本项得分范围 {low:g} 至 {high:g}，按 {_pts(clipped[i])} 计"
    points = clipped
    defs = {iid: k.rules.input(iid) for iid in needed}
    per_project = [iid for iid in needed if defs[iid].per == "project"]
    needed = [iid for iid in needed if iid not in per_project]
    vals = {iid: k.value(iid).to_numpy() for iid in needed}
    dflt = {iid: k.defaulted(iid).to_numpy() for iid in needed}
    by_project = {
        iid: {u: dict(zip(g["project_id"].astype(str), g["value"].map(_none))) for u, g in k.project_rows(iid).groupby("unit")} for iid in per_project
    }
    used: list[dict[str, Any]] = []
    incomplete = np.zeros(n, dtype=bool)
    for i in range(n):
        gone = [f"{defs[iid].label}（{iid}）" for iid in needed if vals[iid][i] != vals[iid][i]]
        if (missing[i] and gone) or extra[i]:
            incomplete[i] = True
            why = "；".join(x for x in (f"缺少输入：{'、'.join(gone)}" if gone else "", extra[i]) if x)
            notes[i] = f"{INCOMPLETE_ZH}，未计分：{why}"
        defaulted = [f"{defs[iid].label}未给出，按默认值 {defs[iid].default:g} 计" for iid in needed if dflt[iid][i]]
        if defaulted and not incomplete[i]:
            notes[i] += "（" + "；".join(defaulted) + "）"
        used.append({iid: _none(vals[iid][i]) for iid in needed} | {iid: by_project[iid].get(k.index[i], {}) for iid in per_project})
    points = np.where(incomplete, np.nan, points)
    return pd.DataFrame({"points": points, "applicable": applicable, "incomplete": incomplete, "inputs": used, "note": notes}, index=k.index)


# ---- totals, ranks, prizes ---------------------------------------------------------------------


def _totals(kind: UnitKind, frames: list[pd.DataFrame], k: _Kind, decimals: int) -> pd.DataFrame:
    idx = k.index
    direction = [it.direction for it in kind.items]
    pts = pd.concat([f["points"].rename(it.id) for f, it in zip(frames, kind.items)], axis=1)
    appl = pd.concat([f["applicable"].rename(it.id) for f, it in zip(frames, kind.items)], axis=1)
    inc = pd.concat([f["incomplete"].rename(it.id) for f, it in zip(frames, kind.items)], axis=1)
    score_cols = [it.id for it, d in zip(kind.items, direction) if d == "score"]
    maxes = pd.Series({it.id: it.max_points for it in kind.items})
    score = pts[score_cols].where(appl[score_cols]).sum(axis=1, min_count=0)
    applicable_max = appl[score_cols].mul(maxes[score_cols], axis=1).sum(axis=1)
    standard = kind.standard_points
    notes: list[list[str]] = [[] for _ in range(len(idx))]
    special: list[list[str]] = [[] for _ in range(len(idx))]
    no_proj = _no_projects(kind, k)
    if no_proj.any():
        assert kind.no_projects is not None
        how = {
            "rescale": "该项不适用，按适用项目折算，照常排名评奖",
            "zero": "该项按 0 分计",
            "exclude_from_awards": "该项不适用，其余各项按适用项目折算（供参考），不参加排名和评奖",
        }[kind.no_projects.treatment]
        for i in np.flatnonzero(no_proj):
            special[i].append(f"{kind.no_projects.label}：{how}（评分规则 no_projects: {kind.no_projects.treatment}）")
    if kind.rescale_excluded:
        scale = np.where((applicable_max > 0) & (applicable_max < standard), standard / applicable_max.where(applicable_max > 0, 1), 1.0)
        for i in np.flatnonzero((scale != 1.0) & ~inc.any(axis=1).to_numpy()):
            notes[i].append(f"有不适用的评分项，得分项 {_pts(score.iloc[i])} 分按适用项目折算：÷ {applicable_max.iloc[i]:g} × {standard:g}")
            off = [it.label for it in kind.items if it.direction == "score" and not appl.iloc[i][it.id]]
            special[i].append(f"{'、'.join(off)}不适用，得分项按适用的 {applicable_max.iloc[i]:g} 分折算到 {standard:g} 分")
        score = score * scale
        max_total = pd.Series(standard, index=idx)
    else:
        max_total = applicable_max
    bonus = pts[[it.id for it in kind.items if it.direction == "bonus"]].sum(axis=1)
    penalty = pts[[it.id for it in kind.items if it.direction == "penalty"]].sum(axis=1)
    incomplete = inc.any(axis=1)
    disq = pd.Series(False, index=idx)
    if kind.disqualify is not None:
        d = kind.disqualify
        flag = k.value(d.input)
        disq = flag.fillna(0) >= 0.5
        dd = k.rules.input(d.input)
        for i in np.flatnonzero(flag.isna().to_numpy()):
            notes[i].append(f"缺少输入：{dd.label}（{d.input}），能否评奖无法确定")
        for i in np.flatnonzero(disq.to_numpy()):
            notes[i].append(f"{d.label}：取消评奖资格（得分保留）")
        incomplete = incomplete | flag.isna()
    excluded = no_proj & (kind.no_projects is not None and kind.no_projects.treatment == "exclude_from_awards")
    for i in np.flatnonzero(excluded):
        assert kind.no_projects is not None
        notes[i].append(f"{kind.no_projects.label}，不参加排名和评奖（得分供参考），评奖名额由有项目的单位按名次获得")
    for i in np.flatnonzero(inc.any(axis=1).to_numpy()):
        names = [it.label for it in kind.items if inc.iloc[i][it.id]]
        notes[i].append(f"{INCOMPLETE_ZH}（{'、'.join(names)}），不参加排名和评奖")
    raw = score + bonus + penalty
    total = np.array([np.nan if bad else round_half_up(float(x), decimals) for x, bad in zip(raw, incomplete)])
    return pd.DataFrame(
        {
            "unit": idx,
            "unit_kind": kind.id,
            "total": total,
            "max_total": max_total.to_numpy(dtype=float),
            "score_points": score.map(lambda x: round_half_up(float(x), decimals)).to_numpy(),
            "bonus": bonus.map(lambda x: round_half_up(float(x), decimals)).to_numpy(),
            "penalty": penalty.map(lambda x: round_half_up(float(x), decimals)).to_numpy(),
            "disqualified": disq.to_numpy(),
            "award_excluded": excluded,
            "special": ["；".join(x) for x in special],
            "incomplete": incomplete.to_numpy(),
            "notes": notes,
        }
    )


def _no_projects(kind: UnitKind, k: _Kind) -> np.ndarray:
    """Units of the kind with no key project: the ``no_projects`` item's ``applies_if`` input is 0 (not missing)."""
    n = len(k.index)
    if kind.no_projects is None:
        return np.zeros(n, dtype=bool)
    item = next(it for it in kind.items if it.id == kind.no_projects.item)
    assert item.applies_if is not None  # checked when the rules are loaded
    base: np.ndarray = k.value(item.inputs[item.applies_if]).to_numpy(dtype=float)
    empty: np.ndarray = ~np.isnan(base) & (base <= 0)
    return empty


def _competition_rank(values: pd.Series, ascending: bool, method: str) -> pd.Series:
    """Same value → same rank: ``min`` gives 1,2,2,4; ``max`` gives 1,3,3,4."""
    return values.rank(ascending=ascending, method=method).astype("Int64")


def _places_basis(award: Award, units: int, places: int) -> str:
    if award.count is not None:
        return f"{places} 个"
    exact = from_percent(units * (award.share or 0))
    how = {"floor": "向下取整", "ceil": "向上取整", "half_up": "四舍五入"}[award.rounding or "floor"]
    return f"{units} 个单位 × {award.share:g}% = {fmt_number(exact, 2)}，{how}为 {places} 个"


def _awards(kind: UnitKind, df: pd.DataFrame) -> tuple[pd.DataFrame, list[AwardPlaces]]:
    """Rank the complete units (same total, same rank) and give each award in turn.

    An award's positions count from its end (top or bottom) among the units that can
    get it; with ``ties: include_all`` a tied group takes its best position (all get
    the better outcome), with ``exclude_all`` its worst. A unit gets one award at most.
    """
    df = df.copy()
    done = ~df["incomplete"] & ~df["award_excluded"]  # a unit out of the awards (no key project) is not ranked either
    df["rank"] = _competition_rank(df.loc[done, "total"], ascending=False, method="min").reindex(df.index)
    df["prize"] = None
    df["award"] = None
    places: list[AwardPlaces] = []
    slot = kind.disqualify.slot if kind.disqualify is not None else "pass_on"
    for award in kind.awards:
        n = award.number(len(df))
        tiers = award.tier_counts(n)
        cum = [int(c) for c in np.cumsum([c for _, c in tiers])]
        barred = df["disqualified"] & (not award.disqualified_eligible)
        pool = df[done & df["award"].isna() & ~(barred & (slot == "pass_on"))]
        bottom = award.end == "bottom"
        lo = _competition_rank(pool["total"], ascending=bottom, method="min")
        hi = _competition_rank(pool["total"], ascending=bottom, method="max")
        pos = lo if award.ties == "include_all" else hi
        rule = "并列均取较高结果" if award.ties == "include_all" else "并列均取较低结果"
        got = 0
        for i in pool.index:
            if any(lo[i] <= c < hi[i] for c in cum):
                where = f"并列{'倒数' if bottom else ''}第 {lo[i]} 名"
                df.at[i, "notes"] = df.at[i, "notes"] + [f"与另外 {hi[i] - lo[i]} 个单位同分，{where}，跨“{award.label}”名额边界，{rule}"]
            tier = next((label for (label, _), c in zip(tiers, cum) if pos[i] <= c), None)
            if tier is None:
                continue
            if barred[i]:
                df.at[i, "notes"] = df.at[i, "notes"] + [f"按名次应得“{tier}”，因取消评奖资格空缺"]
                continue
            df.at[i, "prize"] = tier
            df.at[i, "award"] = award.id
            got += 1
        places.append(AwardPlaces(kind.id, award.id, award.label, n, tiers, _places_basis(award, len(df), n), got))
    return df, places


# ---- checks on the inputs ----------------------------------------------------------------------


def bound_problems(rules: ScoringRules, units: pd.DataFrame) -> list[tuple[Any, str]]:
    """(row index, message) for each reported count above the count that bounds it (``at_most``).

    安康 2019 附件3 deducts for a unit's own 附件2 重点前期项目 not done, so 未完成的个数 cannot
    exceed 附件2's 重点前期项目个数; a count reported for a unit with no such task is wrong too.
    ``units`` has ``unit, input_id, value`` (one period).

    >>> from hzlib.scoring.rules import load_rules
    >>> rules = load_rules("ankang-2019")
    >>> f = pd.DataFrame({"unit": ["瀛湖生态旅游区", "汉滨区"], "input_id": ["preliminary_not_done"] * 2, "value": [4.0, 3.0]})
    >>> [(i, m.split("：")[0]) for i, m in bound_problems(rules, f)]
    [(0, '瀛湖生态旅游区报送“未完成前期工作年度任务的重点前期项目” 4个，多于任务分解表分解给该单位的“重点前期项目个数” 1个')]
    """
    out: list[tuple[Any, str]] = []
    for d in rules.inputs:
        if d.at_most is None:
            continue
        bd = rules.input(d.at_most)
        rows = units[(units["input_id"] == d.id) & units["value"].notna()]
        if rows.empty:
            continue
        if d.at_most in rules.plan_values:
            table = rules.plan_values[d.at_most]
            bounds = {u: table.get(u) for u in rows["unit"]}
            where = "任务分解表"
        else:
            given = units[units["input_id"] == d.at_most].set_index("unit")["value"]
            bounds = {u: given.get(u) for u in rows["unit"]}
            where = "报送表"
        for i, u, v in zip(rows.index, rows["unit"], rows["value"]):
            b = bounds.get(u)
            if b is None or b != b:
                b = bd.default
            if b is None or v <= b:
                continue
            said = f"{u}报送“{d.label}” {fmt_number(v, 2)}{d.unit}"
            if b > 0:
                out.append((i, f"{said}，多于{where}分解给该单位的“{bd.label}” {fmt_number(b, 2)}{bd.unit}：未完成的不能多于分解的任务，请核实后改正"))
            else:
                out.append(
                    (
                        i,
                        f"{said}，但{where}没有给该单位分解“{bd.label}”（按 0 个计）：没有任务就没有未完成，"
                        "请删去该行或改为 0；若是分解表漏列了该单位的任务，请先改正计划文件",
                    )
                )
    return out


def _check(rules: ScoringRules, inputs: ScoringInputs) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Clean frames (known units and inputs only) and problems; raise :class:`InputError` on errors."""
    problems: list[Problem] = []
    frames = []
    kinds = rules.unit_kinds()
    defs = {d.id: d for d in rules.inputs}
    for name, frame, cols, per in (("units", inputs.units, UNIT_INPUT_COLUMNS, "unit"), ("projects", inputs.projects, PROJECT_INPUT_COLUMNS, "project")):
        file = f"{_SOURCE}（{name}）"
        lacking = [c for c in cols if c not in frame.columns]
        if lacking:
            problems.append(Problem(file, None, None, f"缺少列 {lacking}（应有 {list(cols)}）"))
            frames.append(_empty(cols))
            continue
        f = frame[list(cols)].reset_index(drop=True).copy()
        rows = pd.Series(np.arange(1, len(f) + 1), index=f.index)
        f["value"] = pd.to_numeric(f["value"], errors="coerce").astype(float)
        bad = frame["value"].reset_index(drop=True).notna() & f["value"].isna()
        problems += [Problem(file, int(rows[i]), "value", f"数值应为数字，实际为 {frame['value'].iloc[i]!r}") for i in np.flatnonzero(bad)]
        unknown_unit = ~f["unit"].isin(list(kinds))
        for u in sorted(set(f.loc[unknown_unit, "unit"].astype(str))):
            problems.append(Problem(file, None, "unit", f"单位“{u}”不在评分规则 {rules.id} 的考核单位中，其输入未使用", WARNING))
        unknown_input = ~f["input_id"].isin(list(defs))
        for iid in sorted(set(f.loc[unknown_input, "input_id"].astype(str))):
            problems.append(Problem(file, None, "input_id", f"评分规则 {rules.id} 中没有输入“{iid}”，未使用", WARNING))
        f = f[~unknown_unit & ~unknown_input]
        if per == "unit":
            wrong = f["unit_kind"].astype(str) != f["unit"].map(kinds)
            for i in f.index[wrong]:
                problems.append(
                    Problem(
                        file, int(rows[i]), "unit_kind", f"单位“{f.at[i, 'unit']}”在评分规则中属于 {kinds[f.at[i, 'unit']]}，输入中为 {f.at[i, 'unit_kind']!r}"
                    )
                )
        for i in f.index:
            d = defs[f.at[i, "input_id"]]
            v = f.at[i, "value"]
            where = (file, int(rows[i]), f"{f.at[i, 'unit']}.{d.id}")
            if d.per != per:
                problems.append(Problem(*where, f"输入 {d.id} 是{'逐项目' if d.per == 'project' else '逐单位'}的输入，不应出现在 {name} 表中"))
            elif d.origin == "plan":
                problems.append(Problem(*where, f"输入 {d.id} 取自计划 {rules.plan} 的任务分解表，不应另行给出"))
            elif v != v:
                continue
            elif d.is_bool and v not in (0.0, 1.0):
                problems.append(Problem(*where, f"{d.label}应为 1（是）或 0（否），实际为 {v:g}"))
            elif d.is_percent and abs(v) > _MAX_FRACTION:
                problems.append(Problem(*where, f"{d.label}在输入中应为小数（0.8 表示 80%），实际为 {v:g}"))
            elif not d.is_percent and v < 0:
                problems.append(Problem(*where, f"{d.label}不能为负数，实际为 {v:g}"))
        keys = ["unit", "input_id"] if per == "unit" else ["unit", "project_id", "input_id"]
        dup = f.duplicated(keys, keep="first")
        for i in f.index[dup]:
            problems.append(Problem(file, int(rows[i]), ".".join(str(f.at[i, c]) for c in keys), "重复给出"))
        if per == "unit":
            problems += [Problem(file, int(rows[i]), f"{f.at[i, 'unit']}.{f.at[i, 'input_id']}", msg) for i, msg in bound_problems(rules, f[~dup])]
        frames.append(f[~dup])
    if any(p.severity == ERROR for p in problems):
        raise InputError(problems, what=_SOURCE)
    return frames[0], frames[1], problems


def score(rules: ScoringRules, inputs: ScoringInputs) -> ScoreResult:
    """Score every unit of every kind, item by item; rank each kind separately; give the prizes.

    Raises :class:`InputError` when the inputs themselves are wrong (wrong unit kind,
    duplicates, negative counts, percent numbers where fractions are expected);
    inputs for units or ids the rules do not know are warnings in ``problems``.
    """
    units, projects, problems = _check(rules, inputs)
    period = Period.parse(inputs.period) if inputs.period else None
    values = units.pivot(index="unit", columns="input_id", values="value") if not units.empty else pd.DataFrame()
    item_frames, unit_frames, places = [], [], []
    for k_i, kind in enumerate(rules.kinds):
        k = _Kind(rules, kind, values, projects, period)
        frames = [_score_item(it, k) for it in kind.items]
        for i_i, (it, f) in enumerate(zip(kind.items, frames)):
            item_frames.append(
                f.reset_index().assign(
                    unit_kind=kind.id,
                    item=it.id,
                    label=it.label,
                    group=it.group,
                    direction=it.direction,
                    max_points=it.max_points,
                    _kind=k_i,
                    _unit=np.arange(len(f)),
                    _item=i_i,
                )
            )
        tot, pl = _awards(kind, _totals(kind, frames, k, rules.decimals))
        unit_frames.append(tot)
        places += pl
    items = pd.concat(item_frames, ignore_index=True)
    items = items.sort_values(["_kind", "_unit", "_item"], kind="stable")[list(ITEM_COLUMNS)].reset_index(drop=True)
    units_out = pd.concat(unit_frames, ignore_index=True)
    units_out["note"] = units_out.pop("notes").map("；".join)
    units_out = units_out[list(UNIT_COLUMNS)]
    for _, row in units_out[units_out["incomplete"]].iterrows():
        problems.append(Problem(_SOURCE, None, row["unit"], f"{row['unit']}：{row['note']}", WARNING))
    return ScoreResult(rules, inputs.period, items, units_out, places, problems)
