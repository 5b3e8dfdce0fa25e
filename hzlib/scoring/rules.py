"""The scoring rules schema (``params/scoring/<rules-id>.yaml``) and its loader.

A rules file encodes one assessment table (考核评分表) item by item: which unit
kinds it scores (县区, 市直部门 ...), per kind the items with their standard
points (标准分值), the rule that turns inputs into points, the inputs each rule
reads, the source quote, and the ambiguities of the text with the reading chosen;
then what disqualifies a unit from prizes and how prizes are counted and split.

Numbers are written as the text writes them: percentages as percent numbers (80
means 80%), percentage-point shortfalls as pp numbers (10 means 10 个百分点);
inside the engine rates are fractions. Points that deduct are negative numbers
(``points: -0.5``). Every bound of a band or bracket states whether it is
included (``lower_inclusive`` / ``upper_inclusive``), so 10%（含） is written, not guessed:

>>> b = Bracket(lower=0, lower_inclusive=False, upper=10, upper_inclusive=True, points=-0.5)
>>> b.contains(10.0), b.contains(0.0), b.label_zh("个百分点")
(True, False, '超过0个百分点至10个百分点（含）')

See ``docs/scoring.md`` for the format with examples; :func:`load_rules` reads
and checks a file and reports every problem with file, YAML line and field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from hzlib.schemabase import DOC_ID_PATTERN, ID_PATTERN, StrictModel

from ..errors import FieldProblems, InputError, Problem
from ..paths import project
from ..plan import load_plan
from ..plan.quotes import Quoted, verify_sources
from ..plan.schema import Source
from ..units import ALL_UNITS, COUNT_UNITS, MONEY_UNITS, PERCENT, from_percent
from ..yamldoc import YamlDoc, read_yaml_model, yaml_ids, yaml_path
from .ledger import PROJECT_MEASURES, LedgerMeasure

__all__ = [
    "BOOL_UNIT",
    "Ambiguity",
    "InputDef",
    "AllocationRef",
    "Band",
    "Bracket",
    "SmallUnit",
    "interval_problems",
    "Checkpoint",
    "Term",
    "TermGroup",
    "Condition",
    "RatioItem",
    "ProjectBandsItem",
    "ShortfallItem",
    "PerCountItem",
    "ConditionItem",
    "Item",
    "Disqualify",
    "Tier",
    "Award",
    "NoProjects",
    "UnitKind",
    "ScoringRules",
    "rules_path",
    "list_rules_ids",
    "read_rules_file",
    "load_rules",
    "verify_rule_quotes",
]


def _rules_dir() -> Path:
    """Default folder of rules files: ``params/scoring`` in the project (:func:`hzlib.paths.project`)."""
    return project().scoring_dir


#: Unit of a yes/no input (是/否; 1/0 inside).
BOOL_UNIT = "是否"
_ID = ID_PATTERN
_RULES_ID = DOC_ID_PATTERN
_QUARTER = Literal["Q1", "Q2", "Q3", "Q4"]


_Strict = StrictModel


def _raise(problems: list[tuple[str, str]]) -> None:
    """Raise the problems with their fields, which the YAML loader points at each field's line."""
    if problems:
        raise FieldProblems(problems)


class Ambiguity(_Strict):
    """A place where the text can be read several ways, and the reading this file uses.

    ``param`` names the parameter that encodes the choice, so a user knows what to edit.
    """

    id: Annotated[str, Field(pattern=_ID)]
    topic: str
    readings: list[str] = Field(min_length=2)
    chosen: str
    why: str
    param: str | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _chosen_is_a_reading(self) -> Ambiguity:
        if self.chosen not in self.readings:
            _raise([("chosen", "chosen 应与 readings 中的某一项完全相同")])
        return self


class AllocationRef(_Strict):
    """A column of the plan's task table (任务分解表) that gives an input per unit."""

    table: Annotated[str, Field(pattern=_ID)]
    column: Annotated[str, Field(pattern=_ID)]


class InputDef(_Strict):
    """One input the rules read, per unit or per project.

    ``origin`` says who fills it: ``ledger`` (derived from the project ledger by the
    evaluation), ``plan`` (a column of the plan's task table, ``allocation``) or
    ``reported`` (the ``scoring_inputs.csv`` table). Values inside the engine: ``%``
    inputs are fractions (0.8), ``是否`` inputs are 1/0, money and counts as written.
    ``default`` is used when the value is missing (and the note says so); without
    it a missing value makes the item incomplete.
    """

    id: Annotated[str, Field(pattern=_ID)]
    label: Annotated[str, Field(min_length=1)]
    unit: str
    per: Literal["unit", "project"] = "unit"
    origin: Literal["ledger", "plan", "reported"]
    ledger: LedgerMeasure | None = None  # origin ledger: which figure of the report model (hzlib.scoring.ledger)
    at: Literal["Q1", "Q2", "Q3", "Q4"] | None = None  # origin ledger: read at this quarter's end (default: the scoring period)
    allocation: AllocationRef | None = None
    default: float | None = None
    #: origin reported: what the 期别 of a reported value means. ``cumulative``: since January to the
    #: period's end (as every period in this project); ``quarter``: within the quarter ending then.
    period_basis: Literal["cumulative", "quarter"] | None = None
    #: id of another per-unit count input that bounds this one (未完成的前期项目 ≤ 分解的前期项目): above it is an input error.
    at_most: str | None = None
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, v: str) -> str:
        if v != BOOL_UNIT and v not in ALL_UNITS:
            raise ValueError(f"未知单位 {v!r}；可用：%、万元、个、次、条、{BOOL_UNIT} 等（见 hzlib/units.py）")
        return v

    @model_validator(mode="after")
    def _coherent(self) -> InputDef:
        problems: list[tuple[str, str]] = []
        if (self.origin == "plan") != (self.allocation is not None):
            problems.append(("allocation", "origin 为 plan 时必须给出 allocation（且只有此时给出）"))
        if self.per == "project" and self.origin != "ledger":
            problems.append(("per", "逐项目输入只能由台账计算（origin: ledger）"))
        if (self.origin == "ledger") != (self.ledger is not None):
            problems.append(("ledger", "origin 为 ledger 时必须给出 ledger（台账指标名，见 hzlib/scoring/ledger.py），且只有此时给出"))
        if self.ledger is not None and (self.per == "project") != (self.ledger in PROJECT_MEASURES):
            problems.append(("ledger", f"台账指标 {self.ledger} 是{'逐项目' if self.ledger in PROJECT_MEASURES else '逐单位'}的，与 per: {self.per} 不符"))
        if self.at is not None and self.origin != "ledger":
            problems.append(("at", "at（检查点季度）只用于 origin: ledger 的输入"))
        if self.default is not None and self.default < 0 and self.unit != PERCENT:
            problems.append(("default", "默认值不能为负"))
        if (self.origin == "reported") != (self.period_basis is not None):
            problems.append(
                ("period_basis", "报送的输入（origin: reported）必须写明 period_basis（cumulative：自年初累计至期末；quarter：该季度内），且只有此时写")
            )
        if self.at_most is not None and (self.per != "unit" or not self.is_count):
            problems.append(("at_most", "at_most 只用于逐单位的计数输入（个、次、条……）"))
        _raise(problems)
        return self

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def is_bool(self) -> bool:
        return self.unit == BOOL_UNIT

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS


class _Interval(_Strict):
    """An interval of a number, each bound stated with whether it is included."""

    lower: float | None = None
    lower_inclusive: bool | None = None
    upper: float | None = None
    upper_inclusive: bool | None = None

    @model_validator(mode="after")
    def _explicit(self) -> _Interval:
        problems: list[tuple[str, str]] = []
        for side in ("lower", "upper"):
            bound, inc = getattr(self, side), getattr(self, f"{side}_inclusive")
            if bound is not None and inc is None:
                problems.append((f"{side}_inclusive", f"给出了 {side}，必须写明是否包含该边界（true/false）"))
            if bound is None and inc is not None:
                problems.append((f"{side}_inclusive", f"没有 {side}，不应写 {side}_inclusive"))
        if self.lower is None and self.upper is None:
            problems.append(("lower", "lower 与 upper 至少给出一个"))
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            problems.append(("upper", f"upper ({self.upper:g}) 应大于 lower ({self.lower:g})"))
        _raise(problems)
        return self

    def contains(self, x: float) -> bool:
        """Whether ``x`` is in the interval (scalar form of :meth:`mask`)."""
        return bool(self.mask(np.array([x]))[0])

    def mask(self, x: np.ndarray) -> np.ndarray:
        """Elementwise membership; NaN is in no interval."""
        out: np.ndarray = ~np.isnan(x)
        if self.lower is not None:
            out &= (x >= self.lower) if self.lower_inclusive else (x > self.lower)
        if self.upper is not None:
            out &= (x <= self.upper) if self.upper_inclusive else (x < self.upper)
        return out

    def label_zh(self, unit: str = "%") -> str:
        """Chinese wording: ``80%（含）至100%（不含）``, ``低于80%``, ``30个百分点（含）以上``."""
        lo = hi = ""
        if self.lower is not None:
            lo = f"{self.lower:g}{unit}（含）" if self.lower_inclusive else f"超过{self.lower:g}{unit}"
        if self.upper is not None:
            hi = f"{self.upper:g}{unit}（{'含' if self.upper_inclusive else '不含'}）"
        if lo and hi:
            return f"{lo}至{hi}"
        if lo:
            return f"{lo}以上" if self.lower_inclusive else lo
        return f"{self.upper:g}{unit}（含）以下" if self.upper_inclusive else f"低于{self.upper:g}{unit}"


def interval_problems(intervals: list[_Interval], field: str) -> list[tuple[str, str]]:
    """Overlaps and single-point holes between intervals (a bound included by neither neighbour).

    >>> a = Band(lower=80, lower_inclusive=True, upper=100, upper_inclusive=False, points=-1)
    >>> b = Band(upper=80, upper_inclusive=True, points=-3)
    >>> interval_problems([a, b], "bands")
    [('bands.1', '与 bands[0] 重叠（80 同时属于两档）')]
    """
    out: list[tuple[str, str]] = []
    lo = [-math.inf if i.lower is None else i.lower for i in intervals]
    for i in range(len(intervals)):
        for j in range(i + 1, len(intervals)):
            x, y = (i, j) if lo[i] <= lo[j] else (j, i)
            ix, iy = intervals[x], intervals[y]
            hi_x = math.inf if ix.upper is None else ix.upper
            lo_y = lo[y]
            if hi_x > lo_y or (hi_x == lo_y and ix.upper_inclusive and iy.lower_inclusive):
                out.append((f"{field}.{j}", f"与 {field}[{i}] 重叠（{lo_y:g} 同时属于两档）" if hi_x == lo_y else f"与 {field}[{i}] 重叠"))
            elif hi_x == lo_y and not ix.upper_inclusive and not iy.lower_inclusive:
                out.append((f"{field}.{j}", f"{lo_y:g} 不属于任何一档（与 {field}[{i}] 都不包含该边界）"))
    return out


class Band(_Interval):
    """A band of a project's completion of its annual plan (in %), with the points each such project costs."""

    points: float = Field(le=0)
    points_small: float | None = Field(default=None, le=0)  # in units with fewer than ``small_unit.fewer_than`` projects


class Bracket(_Interval):
    """A bracket of a shortfall (in pp, or % of the target), with the points it costs."""

    points: float = Field(le=0)


class SmallUnit(_Strict):
    """Units with fewer than ``fewer_than`` things (projects) get the ``points_small`` amounts.

    ``count`` is the input role giving the number; for project bands it may be left
    out, and then the unit's project rows are counted.
    """

    fewer_than: int = Field(ge=1)
    count: str | None = None


class RatioParams(_Strict):
    """points = min(cap, points × numerator ÷ denominator)."""

    points: float = Field(gt=0)
    cap: float | None = Field(default=None, gt=0)  # default: the item's max_points


class ProjectBandsParams(_Strict):
    """Each project in a band costs its points; the unit's total deduction is capped."""

    bands: list[Band] = Field(min_length=1)
    cap: float = Field(gt=0)
    small_unit: SmallUnit | None = None

    @model_validator(mode="after")
    def _bands(self) -> ProjectBandsParams:
        problems = interval_problems(list(self.bands), "bands")
        if self.small_unit is not None:
            problems += [(f"bands.{i}.points_small", "有 small_unit 时每档都要给出 points_small") for i, b in enumerate(self.bands) if b.points_small is None]
        else:
            problems += [(f"bands.{i}.points_small", "没有 small_unit 时不应给出 points_small") for i, b in enumerate(self.bands) if b.points_small is not None]
        _raise(problems)
        return self


class Checkpoint(_Strict):
    """A quarterly rate checkpoint: the input role, the target in %, the quarter it is due."""

    id: Annotated[str, Field(pattern=_ID)]  # the role in the item's inputs
    label: str  # 上半年, 三季度
    target: float = Field(gt=0, le=100)
    due: _QUARTER


class ShortfallParams(_Strict):
    """Deduction by bracket of the shortfall of a rate below each due checkpoint.

    ``shortfall: pp`` measures target − actual in percentage points; ``relative``
    measures (target − actual) ÷ target in % of the target. ``combine: sum`` adds
    the deductions of every due checkpoint; ``latest`` uses only the latest one.
    """

    checkpoints: list[Checkpoint] = Field(min_length=1)
    brackets: list[Bracket] = Field(min_length=1)
    shortfall: Literal["pp", "relative"]
    combine: Literal["sum", "latest"]
    base: float | None = Field(default=None, ge=0)  # points before deductions; default max_points

    @model_validator(mode="after")
    def _brackets(self) -> ShortfallParams:
        problems = interval_problems(list(self.brackets), "brackets")
        ids = [c.id for c in self.checkpoints]
        if len(set(ids)) != len(ids):
            problems.append(("checkpoints", f"检查点 id 重复：{ids}"))
        _raise(problems)
        return self


class Term(_Strict):
    """``points`` for every ``per`` of an input (every 100 万元: per 100); ``whole_steps`` counts whole steps only."""

    input: str  # the role in the item's inputs
    points: float
    per: float = Field(default=1, gt=0)
    whole_steps: bool = False
    points_small: float | None = None


class TermGroup(_Strict):
    """Terms added together; ``cap`` limits the size of their sum (最高得/最多扣)."""

    terms: list[Term] = Field(min_length=1)
    cap: float | None = Field(default=None, gt=0)


class PerCountParams(_Strict):
    """points = base (only when ``base_if`` is yes, if given) + Σ groups (each capped)."""

    base: float = Field(default=0, ge=0)
    base_if: str | None = None  # role of a 是否 input
    groups: list[TermGroup] = Field(default_factory=list)
    small_unit: SmallUnit | None = None

    @model_validator(mode="after")
    def _small(self) -> PerCountParams:
        terms = [(g, t) for g, grp in enumerate(self.groups) for t in range(len(grp.terms))]
        problems: list[tuple[str, str]] = []
        if self.small_unit is not None and self.small_unit.count is None:
            problems.append(("small_unit.count", "small_unit 须给出 count（计数输入的角色名）"))
        if self.small_unit is None:
            problems += [
                (f"groups.{g}.terms.{t}.points_small", "没有 small_unit 时不应给出 points_small")
                for g, t in terms
                if self.groups[g].terms[t].points_small is not None
            ]
        if not self.groups and self.base_if is None:
            problems.append(("groups", "至少给出一组 groups，或 base_if"))
        _raise(problems)
        return self


class Condition(_Strict):
    """``points`` when the yes/no input is yes."""

    input: str  # the role in the item's inputs
    points: float = Field(gt=0)


class ConditionParams(_Strict):
    conditions: list[Condition] = Field(min_length=1)


class _ItemBase(_Strict):
    """Fields every item has; ``rule`` selects the parameters."""

    id: Annotated[str, Field(pattern=_ID)]
    label: Annotated[str, Field(min_length=1)]
    group: str | None = None  # the table's 考核内容 row the item belongs to
    max_points: float = Field(ge=0)  # 标准分值: score/bonus range 0..max, penalty −max..0
    direction: Literal["score", "bonus", "penalty"] = "score"
    inputs: dict[str, str] = Field(min_length=1)  # role -> input id
    applies_if: str | None = None  # role of a count/money input: the item applies when it is > 0
    not_applicable: Literal["full", "zero", "excluded"] = "excluded"
    scored_at: Literal["every_period", "year_end"] = "every_period"
    source: Source
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    note: str | None = None

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        """Every input role the item uses, and what it must be (per and allowed unit classes)."""
        return {self.applies_if: ("unit", "count", "money")} if self.applies_if else {}

    def point_amounts(self) -> list[tuple[str, float]]:
        """(field, points) of every amount the rule can add or deduct, for sign checks."""
        return []

    @model_validator(mode="after")
    def _roles(self) -> _ItemBase:
        problems: list[tuple[str, str]] = []
        used = set(self.role_needs())
        for role in sorted(used - set(self.inputs)):
            problems.append(("inputs", f"缺少输入角色 {role!r}"))
        for role in sorted(set(self.inputs) - used):
            problems.append((f"inputs.{role}", f"输入角色 {role!r} 未被规则使用"))
        if self.applies_if is None and self.not_applicable != "excluded":
            problems.append(("not_applicable", "not_applicable 只与 applies_if 一起使用"))
        if self.scored_at == "year_end" and self.direction == "score":
            problems.append(("scored_at", "年终才计的项（year_end）只能是加分项或扣分项（bonus/penalty）：年中不计即为 0 分"))
        if self.direction == "penalty":
            problems += [(f, "扣分项（penalty）的分值应为负数或 0") for f, p in self.point_amounts() if p > 0]
        if self.direction == "bonus":
            problems += [(f, "加分项（bonus）的分值应为正数") for f, p in self.point_amounts() if p < 0]
        _raise(problems)
        return self

    @property
    def low(self) -> float:
        """Lowest points of the item."""
        return -self.max_points if self.direction == "penalty" else 0.0

    @property
    def high(self) -> float:
        """Highest points of the item."""
        return 0.0 if self.direction == "penalty" else self.max_points


class RatioItem(_ItemBase):
    """Ratio × points with a cap: 完成投资额/年度计划投资额×35，最高得35分."""

    rule: Literal["ratio"]
    params: RatioParams

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        either = ("unit", "count", "money", "percent")
        return super().role_needs() | {"numerator": either, "denominator": either}


class ProjectBandsItem(_ItemBase):
    """Per-project deductions by band of completion, with a cap and other amounts for small units."""

    rule: Literal["project_bands"]
    params: ProjectBandsParams

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        needs = super().role_needs() | {"project": ("project", "percent")}
        su = self.params.small_unit
        if su is not None and su.count:
            needs[su.count] = ("unit", "count")
        return needs

    def point_amounts(self) -> list[tuple[str, float]]:
        out = [(f"params.bands.{i}.points", b.points) for i, b in enumerate(self.params.bands)]
        return out + [(f"params.bands.{i}.points_small", b.points_small) for i, b in enumerate(self.params.bands) if b.points_small is not None]


class ShortfallItem(_ItemBase):
    """Bracketed deduction by shortfall of a rate against quarterly checkpoints."""

    rule: Literal["shortfall_brackets"]
    params: ShortfallParams

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        return super().role_needs() | {c.id: ("unit", "percent") for c in self.params.checkpoints}

    def point_amounts(self) -> list[tuple[str, float]]:
        return [(f"params.brackets.{i}.points", b.points) for i, b in enumerate(self.params.brackets)]


class PerCountItem(_ItemBase):
    """Points per counted thing (event, article, project, 100 万元), groups capped: deductions and bonuses."""

    rule: Literal["per_count"]
    params: PerCountParams

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        p = self.params
        needs = super().role_needs() | {t.input: ("unit", "count", "money", "bool") for g in p.groups for t in g.terms}
        if p.base_if:
            needs[p.base_if] = ("unit", "bool")
        if p.small_unit is not None and p.small_unit.count:
            needs[p.small_unit.count] = ("unit", "count")
        return needs

    def point_amounts(self) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        for g, grp in enumerate(self.params.groups):
            for t, term in enumerate(grp.terms):
                out.append((f"params.groups.{g}.terms.{t}.points", term.points))
                if term.points_small is not None:
                    out.append((f"params.groups.{g}.terms.{t}.points_small", term.points_small))
        if self.params.base:
            out.append(("params.base", self.params.base))
        return out


class ConditionItem(_ItemBase):
    """Fixed points for each yes/no condition met."""

    rule: Literal["condition"]
    params: ConditionParams

    def role_needs(self) -> dict[str, tuple[str, ...]]:
        return super().role_needs() | {c.input: ("unit", "bool") for c in self.params.conditions}

    def point_amounts(self) -> list[tuple[str, float]]:
        return [(f"params.conditions.{i}.points", c.points) for i, c in enumerate(self.params.conditions)]


Item = Annotated[RatioItem | ProjectBandsItem | ShortfallItem | PerCountItem | ConditionItem, Field(discriminator="rule")]


class Disqualify(_Strict):
    """What takes a unit out of the prizes (较大事故): its score is kept, it gets no prize.

    ``slot: pass_on`` gives its place to the next eligible unit (名额顺延);
    ``vacant`` leaves the place empty.
    """

    input: str  # id of a 是否 input
    label: str
    slot: Literal["pass_on", "vacant"]
    source: Source
    ambiguities: list[Ambiguity] = Field(default_factory=list)


class Tier(_Strict):
    """One prize tier (一等奖); ``count`` fixed, or left out to share the rest."""

    label: str
    count: int | None = Field(default=None, ge=1)


class Award(_Strict):
    """Prizes (or 蜗牛 notices) for the units of a kind at the top or bottom of the ranking.

    The number is ``count``, or ``share`` (% of the units of the kind) rounded by
    ``rounding``. ``tiers`` split it: fixed counts first, the rest shared evenly by
    the tiers without a count, one more to the lowest tiers while some are left.
    ``ties``: units with the same total share a rank; at a boundary,
    ``include_all`` gives every tied unit the better outcome, ``exclude_all`` the worse.
    """

    id: Annotated[str, Field(pattern=_ID)]
    label: str
    end: Literal["top", "bottom"] = "top"
    count: int | None = Field(default=None, ge=1)
    share: float | None = Field(default=None, gt=0, le=100)
    rounding: Literal["floor", "ceil", "half_up"] | None = None
    tiers: list[Tier] = Field(default_factory=list)
    ties: Literal["include_all", "exclude_all"]
    disqualified_eligible: bool = False  # true for notices such as 蜗牛 that a disqualified unit can still get
    source: Source
    ambiguities: list[Ambiguity] = Field(default_factory=list)

    @model_validator(mode="after")
    def _number(self) -> Award:
        problems: list[tuple[str, str]] = []
        if (self.count is None) == (self.share is None):
            problems.append(("count", "count 与 share 必须且只能给出一个"))
        if self.share is not None and self.rounding is None:
            problems.append(("rounding", "按比例（share）设奖时必须写明取整方式 rounding（floor/ceil/half_up）"))
        if self.share is None and self.rounding is not None:
            problems.append(("rounding", "只有按比例（share）设奖时才写 rounding"))
        fixed = sum(t.count or 0 for t in self.tiers)
        if self.count is not None and fixed > self.count:
            problems.append(("tiers", f"各等级固定名额之和 {fixed} 超过名额 {self.count}"))
        _raise(problems)
        return self

    def number(self, units: int) -> int:
        """How many places for ``units`` units of the kind.

        >>> a = Award(id="p", label="奖", share=35, rounding="floor", ties="include_all", source=Source(section="s", quote="q q"))
        >>> a.number(13), a.number(17), a.model_copy(update={"rounding": "half_up"}).number(13)
        (4, 5, 5)
        """
        if self.count is not None:
            return self.count
        exact: float = round(from_percent(units * (self.share or 0)), 9)
        if self.rounding == "floor":
            return math.floor(exact)
        if self.rounding == "ceil":
            return math.ceil(exact)
        return math.floor(exact + 0.5)

    def tier_counts(self, n: int) -> list[tuple[str, int]]:
        """Places per tier for ``n`` places; one tier (the award's label) when no tiers are given.

        >>> a = Award(id="p", label="奖", count=4, ties="include_all", source=Source(section="s", quote="q q"),
        ...           tiers=[Tier(label="一等奖", count=1), Tier(label="二等奖"), Tier(label="三等奖")])
        >>> a.tier_counts(4), a.tier_counts(5)
        ([('一等奖', 1), ('二等奖', 1), ('三等奖', 2)], [('一等奖', 1), ('二等奖', 2), ('三等奖', 2)])
        """
        if not self.tiers:
            return [(self.label, n)]
        out: list[list[Any]] = []
        left = n
        for t in self.tiers:
            c = min(t.count, left) if t.count is not None else 0
            out.append([t.label, c])
            left -= c
        free = [i for i, t in enumerate(self.tiers) if t.count is None]
        if free and left > 0:
            share, extra = divmod(left, len(free))
            for k, i in enumerate(free):
                out[i][1] += share + (1 if k >= len(free) - extra else 0)
        return [(str(label), int(c)) for label, c in out]


class NoProjects(_Strict):
    """How a unit with no key project is scored (the text is silent; the rules file chooses).

    ``item`` is the item whose ``applies_if`` input is 0 for such a unit (年度计划投资 0 万元).
    ``treatment``: ``rescale`` (the item is left out and the other items are scaled to the
    standard points; the unit is ranked and can get awards), ``exclude_from_awards`` (scored
    the same way, for information, but neither ranked nor awarded; the awards go by rank to the
    units that have key projects) or ``zero`` (the item scores 0 out of its standard points).
    """

    item: Annotated[str, Field(pattern=_ID)]
    treatment: Literal["rescale", "exclude_from_awards", "zero"]
    label: str = "没有市级重点建设项目"
    ambiguities: list[Ambiguity] = Field(default_factory=list)


class UnitKind(_Strict):
    """The units of one kind (县区, 市直部门), ranked separately, with their items and prizes.

    ``units`` lists them, or ``plan_kinds`` takes the plan's units whose task-table
    row has one of these kinds (county, zone, department ...).
    ``rescale_excluded``: when an item is excluded for a unit (``not_applicable:
    excluded``), its score items are scaled to the full standard points (按适用项目折算).
    """

    id: Annotated[str, Field(pattern=_ID)]
    label: str
    units: list[str] = Field(default_factory=list)
    plan_kinds: list[str] = Field(default_factory=list)
    rescale_excluded: bool = False
    items: list[Item] = Field(min_length=1)
    no_projects: NoProjects | None = None
    disqualify: Disqualify | None = None
    awards: list[Award] = Field(default_factory=list)
    source: Source | None = None
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _units(self) -> UnitKind:
        if bool(self.units) == bool(self.plan_kinds):
            _raise([("units", "units 与 plan_kinds 必须且只能给出一个")])
        return self

    @property
    def standard_points(self) -> float:
        """Sum of the standard points of the score items (bonuses and penalties not included)."""
        return float(sum(i.max_points for i in self.items if i.direction == "score"))

    def input_ids(self) -> list[str]:
        """Input ids the kind reads, in order of first use (items, then the disqualifying input)."""
        out: list[str] = []
        for it in self.items:
            out += [v for v in it.inputs.values() if v not in out]
        if self.disqualify is not None and self.disqualify.input not in out:
            out.append(self.disqualify.input)
        return out


class ScoringRules(_Strict):
    """One assessment table (考核评分表) as data."""

    id: Annotated[str, Field(pattern=_RULES_ID)]
    label: str
    plan: Annotated[str, Field(pattern=_RULES_ID)] | None = None
    source_file: Annotated[str, Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")]
    source: Source
    period: Literal["year", "quarter"]
    decimals: int = Field(default=2, ge=0, le=6)
    inputs: list[InputDef] = Field(min_length=1)
    kinds: list[UnitKind] = Field(min_length=1)
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    note: str | None = None
    #: ``origin: plan`` inputs, unit → value (None: blank cell), filled by the loader from the plan; never written in a file.
    plan_values: dict[str, dict[str, float | None]] = Field(default_factory=dict)

    def input(self, input_id: str) -> InputDef:
        for d in self.inputs:
            if d.id == input_id:
                return d
        raise KeyError(input_id)

    def kind(self, kind_id: str) -> UnitKind:
        for k in self.kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)

    def unit_kinds(self) -> dict[str, str]:
        """unit → kind id, for every unit scored."""
        return {u: k.id for k in self.kinds for u in k.units}


# ---- loading ----------------------------------------------------------------------------------

_ID_KEYS = ("inputs", "kinds", "items", "awards", "ambiguities", "checkpoints")


def rules_path(rules: str | Path, rules_dir: Path | None = None) -> Path:
    """Resolve a rules id (``ankang-2019``) or a path to a rules file."""
    return yaml_path(rules, rules_dir or _rules_dir(), "rules")


def list_rules_ids(rules_dir: Path | None = None) -> list[str]:
    return yaml_ids(rules_dir or _rules_dir())


def read_rules_file(path: Path, plans_dir: Path | None = None) -> tuple[ScoringRules | None, list[Problem]]:
    """Parse and check one rules file; return the rules (units resolved from the plan) or None, and all problems."""
    return read_yaml_model(
        path,
        ScoringRules,
        lambda rules, doc: _resolve_and_check(rules, doc, path, plans_dir),
        what="评分规则文件",
        what_en="rules file",
        id_keys=_ID_KEYS,
        shape_hint="（id: …, inputs: …, kinds: …）",
    )


def _dups(values: list[str]) -> dict[int, int]:
    """Position of each repeated value → position of its first occurrence."""
    first: dict[str, int] = {}
    out: dict[int, int] = {}
    for i, v in enumerate(values):
        if v in first:
            out[i] = first[v]
        first.setdefault(v, i)
    return out


def _resolve_and_check(rules: ScoringRules, doc: YamlDoc, path: Path, plans_dir: Path | None) -> tuple[ScoringRules, list[Problem]]:
    """Cross-field checks pydantic cannot see; units taken from the plan where ``plan_kinds`` says so."""
    out: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str) -> None:
        out.append(doc.problem(loc, msg))

    if path.stem != rules.id:
        at(("id",), f"规则 id {rules.id!r} 应与文件名 {path.stem!r} 一致")
    if "plan_values" in doc.data:
        at(("plan_values",), "plan_values 由程序从计划的任务分解表读取，不要写在规则文件中")
    for i, j in _dups([d.id for d in rules.inputs]).items():
        at(("inputs", i, "id"), f"输入 id {rules.inputs[i].id!r} 重复（第一次出现在 inputs[{j}]）")
    for i, j in _dups([k.id for k in rules.kinds]).items():
        at(("kinds", i, "id"), f"单位类别 id {rules.kinds[i].id!r} 重复（第一次出现在 kinds[{j}]）")
    for i, d in enumerate(rules.inputs):
        bound = _input_def(rules, d.at_most) if d.at_most else None
        if d.at_most and (bound is None or bound.per != "unit" or not bound.is_count):
            at(("inputs", i, "at_most"), f"at_most 应为已定义的逐单位计数输入的 id，实际为 {d.at_most!r}")

    plan = None
    needs_plan = any(k.plan_kinds for k in rules.kinds) or any(d.allocation for d in rules.inputs)
    if rules.plan is not None:
        try:
            plan = load_plan(rules.plan, plans_dir)
        except InputError as e:  # the plan's own problems, not only their count
            said = [str(p) for p in (e.errors or e.problems)]
            at(
                ("plan",),
                f"无法读取计划 {rules.plan!r}：" + "；".join(said[:3]) + (f"（另有 {len(said) - 3} 处，见 hz check {rules.plan}）" if len(said) > 3 else ""),
            )
        except ValueError as e:
            at(("plan",), f"无法读取计划 {rules.plan!r}：{e}")
    elif needs_plan:
        at(("plan",), "使用 plan_kinds 或 allocation 时必须给出 plan（计划 id）")
    plan_values: dict[str, dict[str, float | None]] = {}
    if plan is not None:
        tables = {a.id: a for a in plan.allocations}
        for i, d in enumerate(rules.inputs):
            if d.allocation is None:
                continue
            table = tables.get(d.allocation.table)
            if table is None:
                at(("inputs", i, "allocation", "table"), f"计划 {plan.id} 中没有任务分解表 {d.allocation.table!r}")
            elif d.allocation.column not in {c.id for c in table.columns}:
                at(("inputs", i, "allocation", "column"), f"任务分解表 {table.id} 中没有列 {d.allocation.column!r}")
            else:
                plan_values[d.id] = {r.unit: r.values.get(d.allocation.column) for r in table.rows}

    kinds = []
    for k_i, kind in enumerate(rules.kinds):
        if kind.plan_kinds and plan is not None:
            row_kind = {r.unit: r.kind for a in plan.allocations for r in a.rows}
            units = [u for u in plan.units if row_kind.get(u) in kind.plan_kinds]
            if not units:
                at(("kinds", k_i, "plan_kinds"), f"计划 {plan.id} 的 units 中没有类别为 {kind.plan_kinds} 的单位")
            kind = kind.model_copy(update={"units": units})
        kinds.append(kind)
        for i, _j in _dups(list(kind.units)).items():
            at(("kinds", k_i, "units", i), f"单位 {kind.units[i]!r} 重复")
        for i, j in _dups([it.id for it in kind.items]).items():
            at(("kinds", k_i, "items", i, "id"), f"评分项 id {kind.items[i].id!r} 重复（第一次出现在 items[{j}]）")
        for i, _j in _dups([a.id for a in kind.awards]).items():
            at(("kinds", k_i, "awards", i, "id"), f"奖项 id {kind.awards[i].id!r} 重复")
        for i_i, item in enumerate(kind.items):
            for problem in _input_problems(item, rules):
                at(("kinds", k_i, "items", i_i) + problem[0], problem[1])
        if kind.no_projects is not None:
            target = next((it for it in kind.items if it.id == kind.no_projects.item), None)
            if target is None or target.applies_if is None:
                at(("kinds", k_i, "no_projects", "item"), f"no_projects.item 应为本类别中带 applies_if 的评分项 id，实际为 {kind.no_projects.item!r}")
        if kind.disqualify is not None:
            dq = _input_def(rules, kind.disqualify.input)
            if dq is None:
                at(("kinds", k_i, "disqualify", "input"), f"未在 inputs 中定义的输入 {kind.disqualify.input!r}")
            elif not dq.is_bool or dq.per != "unit":
                at(("kinds", k_i, "disqualify", "input"), f"取消评奖资格的输入 {dq.id!r} 应为逐单位的“{BOOL_UNIT}”输入")
    seen: dict[str, str] = {}
    for k_i, kind in enumerate(kinds):
        for u_i, u in enumerate(kind.units):
            if u in seen and seen[u] != kind.id:
                field = ("units", u_i) if rules.kinds[k_i].units else ("plan_kinds",)
                at(("kinds", k_i) + field, f"单位 {u!r} 同时属于 {seen[u]} 和 {kind.id}")
            seen.setdefault(u, kind.id)
    return rules.model_copy(update={"kinds": kinds, "plan_values": plan_values}), out


def _input_def(rules: ScoringRules, input_id: str) -> InputDef | None:
    try:
        return rules.input(input_id)
    except KeyError:
        return None


_CLASS_ZH = {"count": "计数", "money": "金额", "percent": "%", "bool": BOOL_UNIT}


def _unit_class(d: InputDef) -> str:
    if d.is_percent:
        return "percent"
    if d.is_bool:
        return "bool"
    if d.is_money:
        return "money"
    return "count"


def _input_problems(item: Item, rules: ScoringRules) -> list[tuple[tuple[Any, ...], str]]:
    """Unknown input ids and inputs of the wrong kind (per unit/per project, unit class) for their role."""
    out: list[tuple[tuple[Any, ...], str]] = []
    needs = item.role_needs()
    for role, input_id in item.inputs.items():
        d = _input_def(rules, input_id)
        if d is None:
            out.append((("inputs", role), f"未在 inputs 中定义的输入 {input_id!r}"))
            continue
        per, *classes = needs.get(role, ("unit",))
        if d.per != per:
            out.append((("inputs", role), f"输入 {input_id!r} 应为{'逐项目' if per == 'project' else '逐单位'}的输入（per: {per}）"))
        if classes and _unit_class(d) not in classes:
            want = "、".join(_CLASS_ZH[c] for c in classes)
            out.append((("inputs", role), f"输入 {input_id!r} 的单位“{d.unit}”不适用于此处（应为{want}）"))
    if isinstance(item, RatioItem):
        num, den = (_input_def(rules, item.inputs.get(r, "")) for r in ("numerator", "denominator"))
        if num is not None and den is not None and num.unit != den.unit:
            out.append((("inputs", "denominator"), f"分子（{num.unit}）与分母（{den.unit}）单位不同"))
    return out


def load_rules(rules: str | Path, rules_dir: Path | None = None, plans_dir: Path | None = None) -> ScoringRules:
    """Load a rules file by id or path; raise :class:`InputError` listing every problem.

    >>> r = load_rules("ankang-2019")
    >>> [k.id for k in r.kinds], len(r.kind("county").units), len(r.kind("department").units)
    (['county', 'department'], 13, 17)
    """
    path = rules_path(rules, rules_dir)
    result, problems = read_rules_file(path, plans_dir)
    if result is None:
        raise InputError(problems, what=f"评分规则文件 {path.name}")
    return result


def _sources(rules: ScoringRules) -> list[tuple[str, Source]]:
    out: list[tuple[str, Source]] = [("source", rules.source)]
    out += [(f"ambiguities({a.id}).source", a.source) for a in rules.ambiguities if a.source]
    for k in rules.kinds:
        head = f"kinds({k.id})"
        if k.source:
            out.append((f"{head}.source", k.source))
        out += [(f"{head}.ambiguities({a.id}).source", a.source) for a in k.ambiguities if a.source]
        for it in k.items:
            out.append((f"{head}.items({it.id}).source", it.source))
            out += [(f"{head}.items({it.id}).ambiguities({a.id}).source", a.source) for a in it.ambiguities if a.source]
        if k.no_projects:
            out += [(f"{head}.no_projects.ambiguities({a.id}).source", a.source) for a in k.no_projects.ambiguities if a.source]
        if k.disqualify:
            out.append((f"{head}.disqualify.source", k.disqualify.source))
            out += [(f"{head}.disqualify.ambiguities({a.id}).source", a.source) for a in k.disqualify.ambiguities if a.source]
        for aw in k.awards:
            out.append((f"{head}.awards({aw.id}).source", aw.source))
            out += [(f"{head}.awards({aw.id}).ambiguities({a.id}).source", a.source) for a in aw.ambiguities if a.source]
    return out


def verify_rule_quotes(rules: ScoringRules, seeds_dir: Path, file: str | None = None) -> list[Problem]:
    """An error for each quote of the rules file not found verbatim in its seed text (whitespace ignored)."""
    quotes = [Quoted(column, src.file, src.quote) for column, src in _sources(rules)]
    return verify_sources(quotes, rules.source_file, seeds_dir, file or f"{rules.id}.yaml")
