"""The plan file schema (``params/plans/<plan-id>.yaml``).

A plan file encodes every quantitative target of one plan document. Values are
written as the text writes them, with an explicit unit: ``value: 8`` with
``unit: "%"`` is 8 percent; :attr:`Target.fraction` gives 0.08. Nothing in a
plan file is a bare fraction.

See ``docs/plans.md`` for the field-by-field guide with examples.
"""

from __future__ import annotations

import datetime as dt
import itertools
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..arithmetic import DEFAULT_NEAR_PP
from ..contracts import BATCH_ZH, LEVEL_ZH
from ..errors import FieldProblems
from ..schemabase import DOC_ID_PATTERN, ID_PATTERN, StrictModel, written_with_percent_sign
from ..units import ALL_UNITS, CNY_UNITS, MONEY_UNITS, PERCENT, USD_UNITS, from_percent

__all__ = [
    "Basis",
    "Comparator",
    "Frequency",
    "Measure",
    "NonTarget",
    "Period_",
    "ProjectSet",
    "Phasing",
    "Level",
    "Source",
    "Scope",
    "Reading",
    "Target",
    "Tolerances",
    "AllocationColumn",
    "AllocationRow",
    "Allocation",
    "Ambiguity",
    "Plan",
    "ProjectClass",
    "ProjectList",
    "Deviation",
    "Threshold",
    "QUARTER_KEYS",
]

QUARTER_KEYS = ("Q1", "Q2", "Q3", "Q4")
_ID = ID_PATTERN
_PLAN_ID = DOC_ID_PATTERN
#: A plain file name (no folders): the plan document's text, looked up beside the plan file or among the seeds.
_FILE_NAME = r"^[^/\\]+\.(txt|md)$"


def _check_unit(v: str) -> str:
    if v not in ALL_UNITS:
        raise ValueError(f"未知单位 {v!r}；可用单位见 hzlib/units.py")
    return v


_Strict = StrictModel


class Comparator(str, Enum):
    """How the text phrases the target.

    - ``at_least``: 以上 / 不低于 / 达到 / 不少于 (actual ≥ value)
    - ``more_than``: 突破 / 超过 (actual > value)
    - ``about``: 左右 (actual ≥ value − about tolerance; over-delivery is fine)
    - ``at_most``: 以内 / 不超过 (actual ≤ value)
    """

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    AT_MOST = "at_most"

    @property
    def zh(self) -> str:
        return {"at_least": "不低于", "more_than": "突破", "about": "左右", "at_most": "不超过"}[self.value]


class Measure(str, Enum):
    """What kind of quantity a target is."""

    GROWTH = "growth"  # cumulative year-on-year growth, in %
    SHARE = "share"  # share of a breakdown in a total, in %
    RATE = "rate"  # a project rate (开工率, 办结率, 落地率 ...), in %
    AMOUNT = "amount"  # money (万元, 亿元, 万美元)
    COUNT = "count"  # number of projects, firms, households ...
    QUANTITY = "quantity"  # physical quantity (公里, 亩, 座 ...)
    DEADLINE = "deadline"  # a task to finish by a date (value optional)
    FREQUENCY = "frequency"  # a recurring duty: N times per week/month/quarter/year (每周、每月、每季度)
    COVERAGE = "coverage"  # a coverage duty, in %: 全覆盖、一对一 (every project/unit of a set)


class Basis(str, Enum):
    """Where a target's actual figure comes from; a figure is measured on exactly this basis.

    - ``statistics``: the statistics bureau's indicators (jurisdiction-wide, 统计口径)
    - ``ledger``: the key-project ledger with its monthly progress (重点项目台账口径)
    - ``report``: a figure the responsible department reports (任务报送, ``tasks`` file)
    """

    STATISTICS = "statistics"
    LEDGER = "ledger"
    REPORT = "report"

    @property
    def zh(self) -> str:
        return {"statistics": "统计数据", "ledger": "重点项目台账", "report": "任务报送"}[self.value]


class ProjectSet(str, Enum):
    """A typed subset of the ledger's projects (the scope's ``projects``).

    Each member is decided by one contract column, never by searching text:

    - ``new_start`` 新开工项目: ``is_new_start`` is true (planned to start this year)
    - ``continuing`` 续建项目: ``is_new_start`` is false
    - ``under_construction`` 在建项目: continuing, or a new start that has started by the period end
    - ``industry`` 产业项目: ``is_industry`` is true
    - ``private`` 民间投资项目: ``ownership`` is ``private``
    - ``infrastructure`` 基础设施项目: ``sector`` is one of :data:`hzlib.contracts.INFRASTRUCTURE_SECTORS`
    - ``signed`` 招商引资签约项目: ``is_signed`` is true
    """

    NEW_START = "new_start"
    CONTINUING = "continuing"
    UNDER_CONSTRUCTION = "under_construction"
    INDUSTRY = "industry"
    PRIVATE = "private"
    INFRASTRUCTURE = "infrastructure"
    SIGNED = "signed"

    @property
    def zh(self) -> str:
        return PROJECT_SET_ZH[self.value]


PROJECT_SET_ZH = {
    "new_start": "新开工项目",
    "continuing": "续建项目",
    "under_construction": "在建项目",
    "industry": "产业项目",
    "private": "民间投资项目",
    "infrastructure": "基础设施项目",
    "signed": "招商引资签约项目",
}

Batch = Literal["plan", "reserve", "start", "advance", "complete"]


class Period_(str, Enum):
    """The period a recurring duty repeats in (每周、每月、每两月、每季度、每半年、每年)."""

    WEEK = "week"
    MONTH = "month"
    TWO_MONTHS = "two_months"  # 每两月（双月）: blocks Jan–Feb, Mar–Apr, … counted in the calendar year
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"

    @property
    def zh(self) -> str:
        return {"week": "每周", "month": "每月", "two_months": "每两月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}[self.value]


class Phasing(str, Enum):
    """How an annual target becomes a quarterly checkpoint.

    - ``constant``: the annual value at every quarter (growth rates, shares, scope counts)
    - ``time_progress``: annual value × time progress (linear in the year)
    - ``profile``: annual value × cumulative share of the plan's seasonal profile
    - ``schedule``: the quarterly points the text gives (``schedule``); quarters
      before the first point are interpolated linearly from zero at the start of
      the year, quarters after the last point keep the last value
    - ``year_end``: only the year end is checked; earlier quarters show the
      annual value as information, not as a checkpoint
    - ``deadline``: due at ``due``; pending before the quarter that contains it
    - ``frequency``: a recurring duty: times per period × whole periods elapsed
      since ``frequency.start`` (1 January by default) at the period end
    """

    CONSTANT = "constant"
    TIME_PROGRESS = "time_progress"
    PROFILE = "profile"
    SCHEDULE = "schedule"
    YEAR_END = "year_end"
    DEADLINE = "deadline"
    FREQUENCY = "frequency"


DEFAULT_PHASING = {
    Measure.GROWTH: Phasing.CONSTANT,
    Measure.SHARE: Phasing.CONSTANT,
    Measure.RATE: Phasing.TIME_PROGRESS,
    Measure.AMOUNT: Phasing.TIME_PROGRESS,
    Measure.COUNT: Phasing.YEAR_END,
    Measure.QUANTITY: Phasing.YEAR_END,
    Measure.DEADLINE: Phasing.DEADLINE,
    Measure.FREQUENCY: Phasing.FREQUENCY,
    Measure.COVERAGE: Phasing.CONSTANT,
}


class Level(str, Enum):
    """Project level of a target's scope."""

    PROVINCE = "province"  # 省级重点项目
    CITY = "city"  # 市级重点项目
    COUNTY = "county"  # 县级重点项目
    DISTRICT = "district"  # 区级重点项目 (a district or development zone's own list)
    ALL = "all"  # the whole jurisdiction (statistics, not a project list)

    @property
    def zh(self) -> str:
        return {**LEVEL_ZH, "all": "全域"}[self.value]


class Source(_Strict):
    """Where a number comes from: seed file, section and a short verbatim quote."""

    file: Annotated[str, Field(pattern=_FILE_NAME)] | None = None  # default: the plan's source_file
    section: Annotated[str, Field(min_length=1, max_length=120)]
    quote: Annotated[str, Field(min_length=2, max_length=160)]


#: The levels above each level, for an exact-level scope's description (市级（不含省级）).
_LEVELS_ABOVE_ZH = {
    "city": LEVEL_ZH["province"],
    "county": f"{LEVEL_ZH['province']}、{LEVEL_ZH['city']}",
    "district": f"{LEVEL_ZH['province']}、{LEVEL_ZH['city']}",
}


class Scope(_Strict):
    """Which jurisdiction and which projects a target covers.

    ``level``, ``exact_level``, ``projects`` and ``batch`` are typed: the evaluation selects
    projects by them alone. ``subset`` is the text's own words for the reader; no code reads it.

    A ``level`` includes the levels above it (a county's key projects include the city- and
    province-level ones in the county); ``exact_level: true`` keeps only projects of exactly
    that level (市级重点项目 without the 省级 ones, where the text names the 市级 list alone).
    """

    jurisdiction: Annotated[str, Field(min_length=1)]
    level: Level = Level.ALL
    exact_level: bool = False  # only projects of exactly ``level`` (not the levels above it)
    projects: ProjectSet | None = None  # typed subset of projects (新开工, 在建, 产业, 民间 ...)
    batch: Batch | None = None  # a 四个一批 batch (谋划, 储备, 开工, 推进, 竣工)
    subset: str | None = None  # the text's words, shown to readers, e.g. 重点项目投资中产业项目投资

    def describe(self) -> str:
        """The scope in Chinese: 汉中市·市级·新开工项目.

        >>> Scope(jurisdiction="汉中市", level="city", projects="new_start").describe()
        '汉中市·市级·新开工项目'
        >>> Scope(jurisdiction="汉中市", level="city", exact_level=True).describe()
        '汉中市·市级（不含省级）'
        """
        parts = [self.jurisdiction]
        if self.level is not Level.ALL:
            above = _LEVELS_ABOVE_ZH.get(self.level.value, "") if self.exact_level else ""
            parts.append(self.level.zh + (f"（不含{above}）" if above else ""))
        if self.batch is not None:
            parts.append(f"“四个一批”{BATCH_ZH[self.batch]}")
        if self.projects is not None:
            parts.append(self.projects.zh)
        elif self.subset and self.batch is None:
            parts.append(self.subset)
        return "·".join(parts)


class Frequency(_Strict):
    """A recurring duty: ``value`` times ``per`` period, counted from ``start``."""

    per: Period_
    start: dt.date | None = None  # first day the duty applies (default: 1 January of the year)


class NonTarget(_Strict):
    """A passage that reads like a target (a frequency, 全覆盖) but is deliberately not encoded."""

    quote: Annotated[str, Field(min_length=2, max_length=160)]
    section: Annotated[str, Field(min_length=1, max_length=120)]
    reason: Annotated[str, Field(min_length=2)]
    file: Annotated[str, Field(min_length=1)] | None = None


class Reading(_Strict):
    """Another reading of the same target where the text contradicts itself."""

    value: float
    source: Source
    note: str


class Target(_Strict):
    """One quantitative target of a plan."""

    id: Annotated[str, Field(pattern=_ID)]
    label: Annotated[str, Field(min_length=1)]
    indicator: Annotated[str, Field(pattern=_ID)]
    measure: Measure
    comparator: Comparator = Comparator.AT_LEAST
    value: float | None = None
    unit: str
    aspiration: bool = False  # 力争
    year: int | None = None  # when the target is for another year than the plan's
    scope: Scope
    basis: Basis | None = None  # default: the indicator's own basis (see ``hz indicators``)
    fallback: Basis | None = None  # another basis the plan itself allows when this one has no figure
    frequency: Frequency | None = None  # recurring duties (measure: frequency)
    phasing: Phasing | None = None
    schedule: dict[str, float] | None = None  # Q1..Q4 -> value in `unit`
    base_count: int | None = Field(default=None, ge=0)  # projects a rate applies to
    base_target: str | None = None  # id of the count target that gives base_count
    part_of: str | None = None  # id of a target this one is a subset of (same measure)
    due: dt.date | None = None
    tolerance: float | None = Field(default=None, ge=0)  # overrides the plan's near band
    small_percent: bool = False  # set when the file wrote a percent with its sign ("0.5%"): a small value is meant
    responsible: list[str] = Field(default_factory=list)  # lead unit first
    source: Source
    alternatives: list[Reading] = Field(default_factory=list)
    note: str | None = None

    _known_unit = field_validator("unit")(_check_unit)

    @model_validator(mode="before")
    @classmethod
    def _percent_signs(cls, data: Any) -> Any:
        """``value: "0.5%"`` (and schedule values) as every hz file writes a percent under 1."""
        if not isinstance(data, dict):
            return data
        signed = written_with_percent_sign(data.get("value")) or any(written_with_percent_sign(v) for v in (data.get("schedule") or {}).values())
        if not signed:
            return data

        def number(v: Any) -> Any:
            if not written_with_percent_sign(v):
                return v
            text = v.strip().replace("％", "%").removesuffix("%").strip()
            try:
                return float(text)
            except ValueError:
                return v

        out = dict(data)
        out["value"] = number(data.get("value"))
        if isinstance(data.get("schedule"), dict):
            out["schedule"] = {k: number(v) for k, v in data["schedule"].items()}
        out["small_percent"] = True
        return out

    @field_validator("schedule")
    @classmethod
    def _quarter_keys(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        bad = [k for k in v if k not in QUARTER_KEYS]
        if bad:
            raise ValueError(f"进度安排的键只能是 Q1..Q4，发现 {bad}")
        return {k: v[k] for k in QUARTER_KEYS if k in v}

    @model_validator(mode="after")
    def _coherent(self) -> Target:
        # Each problem names its field (FieldProblems) so the loader can point at its line.
        problems: list[tuple[str, str]] = []
        unit, m = self.unit, self.measure
        if m in (Measure.GROWTH, Measure.SHARE, Measure.RATE) and unit != PERCENT:
            problems.append(("unit", f"{m.value} 类目标的单位应为 %，实际为 {unit!r}"))
        if m is Measure.AMOUNT and unit not in MONEY_UNITS:
            problems.append(("unit", f"amount 类目标的单位应为货币单位（万元/亿元/万美元），实际为 {unit!r}"))
        if m is not Measure.DEADLINE and self.value is None:
            problems.append(("value", "缺少目标值 value"))
        if m is Measure.DEADLINE and self.due is None:
            problems.append(("due", "deadline 类目标必须给出 due 日期"))
        checks: list[tuple[str, float]] = [("value", self.value)] if self.value is not None else []
        checks += [(f"schedule.{k}", v) for k, v in (self.schedule or {}).items()]
        if unit == PERCENT:
            for field, x in checks:
                if m is Measure.GROWTH and not -100 < x <= 100:
                    problems.append((field, f"增速应在 -100% 到 100% 之间（写作 8 表示 8%），实际为 {x:g}"))
                elif m is not Measure.GROWTH and not 0 <= x <= 100:
                    problems.append((field, f"百分比应在 0 到 100 之间（写作 80 表示 80%），实际为 {x:g}"))
                elif 0 < abs(x) < 1 and not self.small_percent:
                    problems.append(
                        (field, f'{x:g}% 像是把比例写成了小数：计划文件按原文写百分数（80% 写作 80，不写 0.8）；原文确为 {x:g}% 时请写作 "{x:g}%"（带百分号）')
                    )
        phasing = self.effective_phasing
        if phasing is Phasing.SCHEDULE and not self.schedule:
            problems.append(("schedule", "phasing 为 schedule 时必须给出 schedule"))
        if self.schedule and phasing is not Phasing.SCHEDULE:
            problems.append(("phasing", f"给出了 schedule，但 phasing 为 {phasing.value}；请写 phasing: schedule"))
        if self.schedule and m is not Measure.GROWTH:
            items = list(self.schedule.items())
            for (qa, a), (qb, b) in itertools.pairwise(items):
                if b < a:
                    problems.append((f"schedule.{qb}", f"累计进度不能下降：{qa} 为 {a:g}，{qb} 为 {b:g}"))
            # A cumulative schedule ends the year at the annual value: a checkpoint above it asks
            # more by a quarter than the whole year (80 at Q2 of a 50% target), a typing error.
            for q, x in items:
                if self.value is not None and x > self.value + 1e-9:
                    problems.append(
                        (
                            f"schedule.{q}",
                            f"{q} 的进度 {x:g}{unit} 高于全年目标 {self.value:g}{unit}：累计进度到年末等于全年目标，"
                            f"季度节点不能高于全年；请核对原文的全年目标和各季度进度",
                        )
                    )
        if phasing is Phasing.DEADLINE and self.due is None and m is not Measure.DEADLINE:
            problems.append(("due", "phasing 为 deadline 时必须给出 due 日期"))
        if phasing is Phasing.PROFILE and m not in (Measure.AMOUNT, Measure.COUNT, Measure.QUANTITY):
            problems.append(("phasing", "profile 分解只适用于金额、个数或实物量目标"))
        if (self.base_count is not None or self.base_target) and m is not Measure.RATE:
            problems.append(("base_target", "base_count / base_target 只用于 rate 类目标"))
        if m is Measure.FREQUENCY and self.frequency is None:
            problems.append(("frequency", "frequency 类目标必须给出 frequency: {per: week|month|two_months|quarter|half_year|year}"))
        if self.frequency is not None and m is not Measure.FREQUENCY:
            problems.append(("frequency", "frequency 只用于 measure: frequency（周期性工作）"))
        if m is Measure.COVERAGE and unit != PERCENT:
            problems.append(("unit", f"coverage 类目标（全覆盖）的单位应为 %，实际为 {unit!r}"))
        if self.fallback is not None and self.fallback is self.basis:
            problems.append(("fallback", "fallback 与 basis 相同"))
        if problems:
            raise FieldProblems(problems)
        return self

    @property
    def effective_phasing(self) -> Phasing:
        if self.phasing is not None:
            return self.phasing
        if self.schedule:
            return Phasing.SCHEDULE
        return DEFAULT_PHASING[self.measure]

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def fraction(self) -> float | None:
        """The value as a fraction when it is a percentage (8 -> 0.08)."""
        if self.value is None or not self.is_percent:
            return None
        return float(from_percent(self.value))


class Tolerances(_Strict):
    """Bands that turn a gap into met / near / missed (documented in docs/plans.md)."""

    near_pp: float = Field(default=DEFAULT_NEAR_PP, ge=0)  # near band for %, in percentage points
    about_pp: float = Field(default=0.5, ge=0)  # how far below a 左右 target still counts as met
    near_ratio: float = Field(default=0.10, ge=0, le=1)  # near band for amounts and counts, relative


class AllocationColumn(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    label: str
    unit: str
    total_target: str | None = None  # id of the plan target this column breaks down

    _known_unit = field_validator("unit")(_check_unit)


#: Kinds of responsible units; units are ranked like with like (counties with counties).
UnitKind = Literal["county", "district", "zone", "department", "company", "town"]


class AllocationRow(_Strict):
    unit: Annotated[str, Field(min_length=1)]  # the responsible unit (县区/部门)
    kind: UnitKind
    values: dict[str, float | None]
    note: str | None = None


class Allocation(_Strict):
    """A task table (任务分解表): one row per responsible unit, with a stated total."""

    id: Annotated[str, Field(pattern=_ID)]
    label: str
    source: Source
    columns: list[AllocationColumn]
    total: dict[str, float | None]
    rows: list[AllocationRow]
    note: str | None = None

    @model_validator(mode="after")
    def _columns_known(self) -> Allocation:
        ids = {c.id for c in self.columns}
        bad: list[str] = []
        for key in self.total:
            if key not in ids:
                bad.append(f"合计行的列 {key!r} 未在 columns 中定义")
        for row in self.rows:
            for key in row.values:
                if key not in ids:
                    bad.append(f"{row.unit} 的列 {key!r} 未在 columns 中定义")
        dup = sorted({r.unit for r in self.rows if sum(1 for s in self.rows if s.unit == r.unit) > 1})
        if dup:
            bad.append(f"单位重复：{dup}")
        if bad:
            raise ValueError("；".join(bad))
        return self


class Ambiguity(_Strict):
    """A place where the text is ambiguous or contradicts itself, and the reading chosen."""

    id: Annotated[str, Field(pattern=_ID)]
    topic: str
    readings: list[str] = Field(min_length=2)
    chosen: str
    why: str
    source: Source
    targets: list[str] = Field(default_factory=list)


class Threshold(_Strict):
    value: float = Field(gt=0)
    unit: str

    @field_validator("unit")
    @classmethod
    def _money(cls, v: str) -> str:
        if v not in MONEY_UNITS:
            raise ValueError(f"门槛单位应为货币单位，实际为 {v!r}")
        return v


class ProjectClass(_Strict):
    """One class of a project list, by start and completion year relative to the plan year.

    ``start_offset: [2, 3]`` means planned start in year Y+2..Y+3; ``[null, -1]``
    means started before Y; ``completion_offset: [1, null]`` means completes after Y.
    """

    id: Literal["plan", "reserve", "start", "advance", "complete"]
    label: str
    start_offset: tuple[int | None, int | None] | None = None
    completion_offset: tuple[int | None, int | None] | None = None
    priority: int = Field(ge=1, description="when several classes match, the lowest priority number wins")


class ProjectList(_Strict):
    """Rules for which projects enter the plan's project list and how they are classed."""

    label: str
    min_total_investment: Threshold
    min_total_investment_foreign: Threshold | None = None
    classes: list[ProjectClass] = Field(min_length=1)
    exclusive: bool = True  # classes never overlap: a project matching several takes the lowest priority
    source: Source

    @field_validator("min_total_investment")
    @classmethod
    def _cny(cls, v: Threshold) -> Threshold:
        if v.unit not in CNY_UNITS:
            raise ValueError(f"入库门槛应为人民币金额（万元/亿元），实际为 {v.unit!r}")
        return v

    @field_validator("min_total_investment_foreign")
    @classmethod
    def _usd(cls, v: Threshold | None) -> Threshold | None:
        if v is not None and v.unit not in USD_UNITS:
            raise ValueError(f"外资项目门槛应为美元金额（万美元/美元/亿美元），实际为 {v.unit!r}")
        return v

    @model_validator(mode="after")
    def _distinct(self) -> ProjectList:
        ids = [c.id for c in self.classes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"classes 中类别重复：{ids}")
        prios = [c.priority for c in self.classes]
        if self.exclusive and len(set(prios)) != len(prios):
            raise ValueError(f"exclusive 为 true 时各类别的 priority 必须互不相同（实际为 {prios}），否则重叠项目的归类不确定")
        return self


class Deviation(_Strict):
    """One deviation dimension (偏离度) the plan asks to control."""

    id: Annotated[str, Field(pattern=_ID)]
    label: str
    description: str
    targets: list[str] = Field(default_factory=list)  # plan targets that measure it, if any
    measurable_from: list[str] = Field(default_factory=list)  # ledger/indicator columns needed
    source: Source


class Plan(_Strict):
    """One plan document encoded as data."""

    id: Annotated[str, Field(pattern=_PLAN_ID)]
    title: str
    jurisdiction: str
    jurisdiction_level: Literal["city", "county", "district"]
    year: int = Field(ge=2000, le=2100)
    issued: dt.date | None = None
    document_no: str | None = None
    draft: bool = False  # 征求意见稿
    source_file: Annotated[str, Field(pattern=_FILE_NAME)] | None = None  # the document's text, if the office has it
    summary: str | None = None
    tolerances: Tolerances = Field(default_factory=Tolerances)
    cny_per_usd: float | None = Field(default=None, gt=0)  # only when the plan states it
    seasonal_profile: list[float] | None = None  # last year's quarterly shares, if the plan gives them
    units: list[str] = Field(default_factory=list)  # responsible units evaluated and ranked
    unit_kinds: dict[str, UnitKind] = Field(default_factory=dict)  # unit → kind, for ranking like with like
    targets: list[Target] = Field(min_length=1)
    allocations: list[Allocation] = Field(default_factory=list)
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    non_targets: list[NonTarget] = Field(default_factory=list)  # target-like passages not encoded, with the reason
    project_list: ProjectList | None = None
    deviations: list[Deviation] = Field(default_factory=list)

    @field_validator("seasonal_profile")
    @classmethod
    def _four(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and (len(v) != 4 or any(x < 0 for x in v) or sum(v) <= 0):
            raise ValueError("季节分布应为 4 个非负数（各季度占全年比重）")
        return v

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)

    def unit_kind_map(self) -> dict[str, str]:
        """unit → kind from the task tables and ``unit_kinds`` (the latter wins)."""
        out: dict[str, str] = {r.unit: r.kind for a in self.allocations for r in a.rows}
        out.update(self.unit_kinds)
        return out

    def allocation(self, allocation_id: str) -> Allocation:
        for a in self.allocations:
            if a.id == allocation_id:
                return a
        raise KeyError(allocation_id)
