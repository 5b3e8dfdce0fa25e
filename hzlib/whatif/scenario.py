"""Scenario files ``params/scenarios/<plan-id>/<name>.yaml``: schema, checks and loader.

A scenario states assumptions about the rest of a plan year, from a base
quarter on: growth of statistical indicators, changed targets, projects that
slip, are added or removed, and the pace of monthly completion. Like plan
files, percentages are written as percent numbers (``6`` is 6%); a number that
looks like a fraction (``0.06``) is an error with the fix, and ``"0.5%"`` (with
the sign, quoted) says that a small percent is meant. Every problem is
reported at once with file, YAML line and field path, in Chinese. The format is
documented in ``docs/whatif.md``.

>>> s, problems = validate_scenario({"id": "q3-slow", "label": "三季度放缓", "plan": "zhenba-2024",
...     "quarter": "2024Q2", "growth": [{"indicator": "fai", "quarters": {"Q3": 6, "Q4": "10%"}}]})
>>> problems, s.growth[0].fractions(s.period)
([], {3: 0.06, 4: 0.1})
>>> _, problems = validate_scenario({"id": "x", "label": "x", "plan": "zhenba-2024", "quarter": "2024Q2",
...     "growth": [{"indicator": "fai", "flat": 0.06}]})
>>> print(problems[0])
情景 [growth[0](fai).flat]：0.06 像是小数写法：增速按百分数填写，6% 写作 6；如确为 0.06%，请写作 "0.06%"

The same growth assumptions from a command-line string (``hz whatif --assume``,
the ``assume`` parameter of ``notebooks/05_whatif.ipynb``):

>>> s, problems = scenario_from_args("zhenba-2024", "2024Q2", growth="Q3=6%,Q4=10%")
>>> problems, s.growth[0].indicator, s.growth[0].fractions(s.period)
([], 'fai', {3: 0.06, 4: 0.1})
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    create_model,
    model_validator,
)

from hzlib.schemabase import ID_PATTERN, SLUG_PATTERN, GrowthPercent, LedgerPercent, SharePercent, StrictModel

from ..contracts import LEDGER_COLUMNS
from ..errors import ERROR, WARNING, FieldProblems, PlanError, Problem
from ..ingest.aliases import VALUE_ALIASES, normalise_value
from ..paths import project
from ..periods import Period, PeriodError
from ..plan.schema import Plan, Target
from ..safety import check_id
from ..units import from_percent, to_percent
from ..yamldoc import YamlDoc, read_yaml_doc
from .growth import QUARTER_ZH
from .tables import ContractTables, profile_levels, published_growth

__all__ = [
    "GrowthAssumption",
    "TargetChange",
    "Slip",
    "NewProject",
    "Pace",
    "Scenario",
    "check_scenario",
    "validate_scenario",
    "read_scenario_file",
    "load_scenario",
    "scenario_path",
    "list_scenarios",
    "parse_growth_arg",
    "scenario_from_args",
    "parse_quarter_key",
]


_ID = ID_PATTERN
_SLUG = SLUG_PATTERN
_QUARTER_KEY = re.compile(r"^(?:(\d{4}))?[Qq]([1-4])$")
#: List fields whose items are named in field paths: growth[0](fai).quarters.Q3
_LABELS = {"growth": "indicator", "add_projects": "project_id"}


# ---- percent numbers: one convention for every file, in hzlib.schemabase ------------------


def parse_quarter_key(key: str, base: Period) -> int:
    """Quarter number of ``Q3`` or ``2024Q3``, which must be in the base year and after the base quarter.

    >>> parse_quarter_key("Q3", Period.parse("2024Q2")), parse_quarter_key("2024q4", Period.parse("2024Q2"))
    (3, 4)
    >>> parse_quarter_key("Q2", Period.parse("2024Q2"))
    Traceback (most recent call last):
    ...
    ValueError: Q2 不在基期 2024Q2 之后：只能对三季度及以后的季度作假设
    """
    m = _QUARTER_KEY.match(str(key).strip())
    if not m:
        raise ValueError(f"无法识别的季度 {key!r}：应写作 Q3 或 {base.year}Q3")
    year = int(m.group(1)) if m.group(1) else base.year
    q = int(m.group(2))
    if year != base.year:
        raise ValueError(f"{key} 不在基期所在的 {base.year} 年内：情景只推算本年度其余季度")
    if q <= base.quarter:
        after = f"只能对{QUARTER_ZH[base.quarter + 1]}及以后的季度作假设" if base.quarter < 4 else "基期已是四季度，没有剩余季度"
        raise ValueError(f"{key} 不在基期 {base.label()} 之后：{after}")
    return q


def _category(column: str) -> Callable[[object], object]:
    aliases = VALUE_ALIASES[column]
    accepted = "、".join(k for k in aliases if not k.isascii() and len(k) <= 2)

    def parse(value: object) -> object:
        if value is None:
            return value
        key = normalise_value(value)
        if key in aliases:
            return aliases[key]
        raise ValueError(f"无法识别的取值“{value}”，应为 {accepted} 之一（或 {'/'.join(dict.fromkeys(aliases.values()))}）")

    return parse


# ---- the schema ------------------------------------------------------------------------


_Strict = StrictModel


class GrowthAssumption(_Strict):
    """Assumed growth of one indicator for each remaining quarter (percent numbers)."""

    indicator: Annotated[str, Field(pattern=_ID)]
    jurisdiction: str | None = None  # default: the plan's jurisdiction
    basis: Literal["single", "cumulative"] = "single"  # 当季同比 | 累计同比 at each quarter end
    quarters: dict[str, GrowthPercent] | None = None  # Q3: 6, Q4: 10 (or 2024Q3: 6)
    flat: GrowthPercent | None = None  # one rate for every remaining quarter
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> GrowthAssumption:
        if self.quarters is None and self.flat is None:
            raise ValueError("请给出 quarters（各季度增速，如 {Q3: 6, Q4: 10}）或 flat（其余季度同一增速）")
        if self.quarters is not None and self.flat is not None:
            raise FieldProblems([("flat", "quarters 和 flat 只能写一个")])
        return self

    def fractions(self, base: Period) -> dict[int, float]:
        """Quarter → assumed growth as a fraction, for every quarter after ``base`` (checked first)."""
        if self.flat is not None:
            return {q: from_percent(self.flat) for q in range(base.quarter + 1, 5)}
        return {parse_quarter_key(k, base): from_percent(v) for k, v in (self.quarters or {}).items()}


class TargetChange(_Strict):
    """A target's new value (``value``) or a change to it (``change``), in the target's unit.

    A bare number is the new value: ``county_key_investment: 45.86``. For a % target
    ``change`` is in percentage points (``change: 0.5`` raises 8% to 8.5%), so a small
    change is never taken for a fraction; ``value`` follows the percent-number convention.
    """

    value: float | None = None
    change: float | None = None
    note: str | None = None
    _percent_written: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _shorthand(cls, data: Any, handler: Callable[[Any], TargetChange]) -> TargetChange:
        if isinstance(data, (int, float, str)) and not isinstance(data, bool):
            data = {"value": data}
        written = False
        if isinstance(data, dict):
            data = dict(data)
            for key in ("value", "change"):
                v = data.get(key)
                if isinstance(v, str) and v.strip().replace("％", "%").endswith("%"):
                    data[key] = v.strip().replace("％", "%").removesuffix("%").strip()
                    written = True
        model = handler(data)
        model._percent_written = written
        return model

    @model_validator(mode="after")
    def _one(self) -> TargetChange:
        if (self.value is None) == (self.change is None):
            raise ValueError("请写新目标值 value 或调整量 change 之一（如 value: 45.86 或 change: -10）")
        return self

    @property
    def percent_written(self) -> bool:
        """Whether the number was written with a % sign (then a small value is meant as it is)."""
        return self._percent_written

    def new_value(self, old: float | None) -> float:
        if self.value is not None:
            return self.value
        return (old or 0.0) + (self.change or 0.0)


class Slip(_Strict):
    """Projects whose start or completion moves later by whole months.

    Which projects: named ``projects``, or those matching all of ``batch``
    (项目类别), ``unit`` (责任单位) and ``new_starts``; of those not yet
    started (completed) by the base quarter end, ``share`` percent or ``count``
    of them, chosen by ``order``: ``latest_planned`` (latest planned date
    first, then project id) or ``project_id`` (id order).
    """

    projects: list[Annotated[str, Field(min_length=1)]] | None = None
    batch: Annotated[str | None, BeforeValidator(_category("batch"))] = None
    unit: str | None = None
    new_starts: bool = False
    start: Annotated[int, Field(le=120)] | None = None  # months the start moves
    completion: Annotated[int, Field(le=120)] | None = None  # months the completion moves
    share: SharePercent | None = None
    count: Annotated[int, Field(ge=1)] | None = None
    order: Literal["latest_planned", "project_id"] = "latest_planned"
    note: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Slip:
        problems: list[tuple[str, str]] = []
        if self.start is None and self.completion is None:
            problems.append(("start", "请写 start（开工推迟的月数）或 completion（竣工推迟的月数）"))
        if self.start is not None and self.completion is not None:
            problems.append(("completion", "每条只推迟一种日期：开工和竣工请分两条写"))
        for name in ("start", "completion"):
            months = getattr(self, name)
            if months is not None and months <= 0:
                problems.append((name, f"推迟月数应为正整数，实际为 {months}：推迟只把日期往后移"))
        if not (self.projects or self.batch or self.unit or self.new_starts):
            problems.append(("projects", "请用 projects（项目编号）、batch（项目类别）、unit（责任单位）或 new_starts: true 选出项目"))
        if self.projects and (self.batch or self.unit or self.new_starts):
            problems.append(("projects", "已用 projects 点名项目，不能再与 batch、unit、new_starts 合用"))
        if self.share is not None and self.count is not None:
            problems.append(("count", "share 和 count 只能写一个"))
        if problems:
            raise FieldProblems(problems)
        return self

    @property
    def kind(self) -> Literal["start", "completion"]:
        return "start" if self.start is not None else "completion"

    @property
    def months(self) -> int:
        return int(self.start if self.start is not None else self.completion or 0)


_KIND_TYPES: dict[str, Any] = {
    "str": Annotated[str, Field(min_length=1)],
    "money": Annotated[float, Field(ge=0)],
    "usd": Annotated[float, Field(ge=0)],
    "number": float,
    "percent": LedgerPercent,
    "date": dt.date,
    "int": int,
    "bool": bool,
}


class _ProjectBase(_Strict):
    @model_validator(mode="after")
    def _order(self) -> _ProjectBase:
        problems: list[tuple[str, str]] = []
        for first, then, zh in (("planned_start", "planned_completion", "计划开工不能晚于计划竣工"), ("actual_start", "actual_completion", "开工不能晚于竣工")):
            a, b = getattr(self, first, None), getattr(self, then, None)
            if a is not None and b is not None and a > b:
                problems.append((first, f"{first} {a} 晚于 {then} {b}：{zh}"))
        if problems:
            raise FieldProblems(problems)
        return self


#: Fields a project added by a scenario must give: the ledger may derive them for an office's
#: sheet, but a scenario's own project states them (its id is how slips and removals name it).
_NEW_PROJECT_REQUIRED = frozenset({"project_id", "name", "unit", "level", "ownership", "batch", "is_new_start", "total_investment", "annual_plan"})


def _project_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for c in LEDGER_COLUMNS:
        kind = Annotated[str, BeforeValidator(_category(c.id))] if c.kind == "category" else _KIND_TYPES[c.kind]
        fields[c.id] = (kind, ...) if c.id in _NEW_PROJECT_REQUIRED else (kind | None, None)
    return fields


#: A project added by a scenario: one ledger row in contract form (money in 万元, ids as in
#: ``hzlib.contracts.LEDGER_COLUMNS``; category values in English or Chinese: ``start`` or 开工).
NewProject: type[_ProjectBase] = create_model("NewProject", __base__=_ProjectBase, **_project_fields())


class Pace(_Strict):
    """Monthly completed investment for every month after the base quarter.

    ``share_of_remaining``: each month a project completes ``share`` percent of
    what remained of its annual plan at the base quarter end (never more than
    the annual plan); ``average_so_far``: each month it completes its average
    monthly amount so far (never more than its total investment). A project
    completes nothing before it starts.
    """

    basis: Literal["share_of_remaining", "average_so_far"]
    share: SharePercent | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _share(self) -> Pace:
        if self.basis == "share_of_remaining" and self.share is None:
            raise FieldProblems([("share", "basis 为 share_of_remaining 时请写 share：每月完成剩余年度计划的百分比（写作 15 表示 15%）")])
        if self.basis == "average_so_far" and self.share is not None:
            raise FieldProblems([("share", "average_so_far 按已完成的月均进度推算，不用 share")])
        return self


def _quarter(value: object) -> str:
    try:
        p = Period.parse(str(value))
    except PeriodError:
        raise ValueError(f"基期应为季度，如 2024Q2，实际为 {value!r}") from None
    if not p.is_quarter_end:
        raise ValueError(f"基期应为季末，如 2024Q2，实际为 {value!r}")
    return f"{p.year}Q{p.quarter}"


class Scenario(_Strict):
    """One what-if scenario for a plan, from a base quarter on."""

    id: Annotated[str, Field(pattern=_SLUG, max_length=64)]
    label: Annotated[str, Field(min_length=1)]  # Chinese, shown in reports
    plan: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    quarter: Annotated[str, BeforeValidator(_quarter)]  # the base quarter: the last one with data, 2024Q2
    description: str | None = None
    growth: list[GrowthAssumption] = Field(default_factory=list)
    targets: dict[str, TargetChange] = Field(default_factory=dict)
    dates: Literal["recorded", "planned"] = "recorded"
    slips: list[Slip] = Field(default_factory=list)
    add_projects: list[NewProject] = Field(default_factory=list)  # type: ignore[valid-type]
    remove_projects: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    pace: Pace | None = None

    @property
    def period(self) -> Period:
        return Period.parse(self.quarter)

    @property
    def is_empty(self) -> bool:
        """True when the scenario assumes nothing (applying it changes no table)."""
        return not (self.growth or self.targets or self.dates != "recorded" or self.slips or self.add_projects or self.remove_projects or self.pace)


# ---- checks that need the base quarter, the plan or the data -----------------------------------


def check_scenario(scenario: Scenario, plan: Plan | None = None, tables: ContractTables | None = None, *, doc: YamlDoc | None = None) -> list[Problem]:
    """Cross-field problems: quarters, and references to the plan and the data (when given).

    ``doc`` locates the problems in the scenario file; without it they name
    the field path only.
    """
    doc = doc or YamlDoc("情景", scenario.model_dump(), {}, _LABELS)
    out: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str, severity: str = ERROR) -> None:
        out.append(doc.problem(loc, msg, severity))

    base = scenario.period
    _check_growth_quarters(scenario, base, at)
    if scenario.pace is not None and base.quarter == 4:
        at(("pace",), "基期已是四季度，没有剩余月份可推算进度")
    added = [p.project_id for p in scenario.add_projects]  # type: ignore[attr-defined]
    seen: set[str] = set()
    for i, pid in enumerate(added):
        if pid in seen:
            at(("add_projects", i, "project_id"), f"新增项目编号 {pid!r} 重复")
        seen.add(pid)
    for i, pid in enumerate(scenario.remove_projects):
        if pid in seen:
            at(("remove_projects", i), f"项目 {pid!r} 既新增又移除")
    if scenario.slips and scenario.dates == "recorded":
        at(
            ("dates",) if "dates" in doc.data else ("slips",),
            "推迟只移动所选项目的日期；其余尚未开工（竣工）的项目没有假定日期，比较开工率、竣工率时请写 dates: planned",
            WARNING,
        )
    if plan is not None:
        _check_against_plan(scenario, plan, tables, at)
    if tables is not None:
        _check_against_ledger(scenario, tables, set(added), at)
    return out


_At = Callable[..., None]


def _check_growth_quarters(scenario: Scenario, base: Period, at: _At) -> None:
    pairs: dict[tuple[str, str | None], int] = {}
    for i, g in enumerate(scenario.growth):
        key = (g.indicator, g.jurisdiction)
        if key in pairs:
            at(("growth", i, "indicator"), f"指标 {g.indicator} 的假设重复（第一次出现在 growth[{pairs[key]}]）")
        pairs.setdefault(key, i)
        if base.quarter == 4:
            at(("growth", i), f"基期 {base.label()} 已是四季度，没有剩余季度可作假设")
            continue
        if g.quarters is None:
            continue
        found: dict[int, str] = {}
        for k in g.quarters:
            try:
                q = parse_quarter_key(k, base)
            except ValueError as e:
                at(("growth", i, "quarters", k), str(e))
                continue
            if q in found:
                at(("growth", i, "quarters", k), f"{k} 与 {found[q]} 是同一季度")
            found[q] = k
        missing = [f"Q{q}" for q in range(base.quarter + 1, 5) if q not in found]
        if missing and len(found) == len(g.quarters):
            at(("growth", i, "quarters"), f"缺少 {'、'.join(missing)} 的假设：基期 {base.label()} 之后的每个季度都要给出增速（或用 flat）")


def _close(word: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(word, choices, n=1)
    return f"（是否为 {near[0]}？）" if near else ""


def _check_against_plan(scenario: Scenario, plan: Plan, tables: ContractTables | None, at: _At) -> None:
    if scenario.plan != plan.id:
        at(("plan",), f"情景的基础计划为 {scenario.plan}，与所用计划 {plan.id} 不同")
    base = scenario.period
    if base.year != plan.year:
        at(("quarter",), f"基期 {base.label()} 不在计划年度 {plan.year} 年内")
    known = {t.indicator for t in plan.targets}
    if tables is not None:
        for frame in (tables.indicators, tables.profiles):
            if not frame.empty and "indicator" in frame.columns:
                known |= set(frame["indicator"].dropna().astype(str))
    for i, g in enumerate(scenario.growth):
        if g.indicator not in known and tables is None:
            at(("growth", i, "indicator"), f"指标 {g.indicator!r} 不是计划 {plan.id} 中目标的指标；未提供统计数据，无法确认该指标存在", WARNING)
            continue
        if g.indicator not in known:
            at(("growth", i, "indicator"), f"未知指标 {g.indicator!r}：既不是计划 {plan.id} 中目标的指标，也不在统计数据中{_close(g.indicator, sorted(known))}")
            continue
        if tables is None or base.quarter == 4 or base.year != plan.year:
            continue
        jur = g.jurisdiction or plan.jurisdiction
        if profile_levels(tables.profiles, jur, g.indicator, plan.year - 1) is None:
            at(("growth", i), f"没有{jur} {g.indicator} {plan.year - 1} 年的季度基数（profiles），无法按上年季节分布推算")
        if published_growth(tables.indicators, jur, g.indicator, base) is None:
            at(("growth", i), f"统计数据中没有{jur} {g.indicator} {base.label()} 的累计增速，无法从基期推算")
    by_id = {t.id: t for t in plan.targets}
    for tid, ch in scenario.targets.items():
        t = by_id.get(tid)
        if t is None:
            at(("targets", tid), f"未知目标 {tid!r}：计划 {plan.id} 中没有这个目标{_close(tid, sorted(by_id))}")
            continue
        field = "value" if ch.value is not None else "change"
        number = ch.value if ch.value is not None else ch.change
        if ch.change is not None and t.value is None:
            at(("targets", tid, "change"), f"目标 {tid} 没有数值，不能用 change 调整；请写 value")
            continue
        # a change is in percentage points: 0.5 (points) is an ordinary change, never a fraction typed by mistake
        if t.is_percent and field == "value" and not ch.percent_written and number is not None and 0 < abs(number) < 1:
            pct = to_percent(number)
            at(("targets", tid, field), f'{number:g} 像是小数写法：目标 {t.label} 的单位为 %，{pct:g}% 写作 {pct:g}；如确为 {number:g}%，请写作 "{number:g}%"')
            continue
        try:  # the plan schema's own rules decide whether the new value is valid
            # "0.5%" says it means 0.5%; a value reached by a change in points (1% − 0.5) is a percent number too
            small = t.small_percent or ch.percent_written or field == "change"
            # lazy: whatif/apply.py imports this module, so at the top it is a cycle; the schedule follows the new value, as applying it does
            from .apply import _rescaled_schedule

            new = ch.new_value(t.value)
            schedule = _rescaled_schedule(t, new) if new is not None else t.schedule
            Target.model_validate({**t.model_dump(), "value": new, "schedule": schedule, "small_percent": small})
        except ValidationError as exc:
            for err in exc.errors():
                raised = (err.get("ctx") or {}).get("error")
                msgs = [m for _, m in raised.problems] if isinstance(raised, FieldProblems) else [err["msg"].removeprefix("Value error, ")]
                for msg in msgs:
                    at(("targets", tid, field), msg)


def _check_against_ledger(scenario: Scenario, tables: ContractTables, added: set[str], at: _At) -> None:
    ledger = tables.ledger
    ids = set(ledger["project_id"].astype(str)) if "project_id" in ledger.columns else set()
    units = set(ledger["unit"].dropna().astype(str)) if "unit" in ledger.columns else set()
    units |= {str(p.unit) for p in scenario.add_projects}  # type: ignore[attr-defined]
    for i, p in enumerate(scenario.add_projects):
        if p.project_id in ids:  # type: ignore[attr-defined]
            at(("add_projects", i, "project_id"), f"项目编号 {p.project_id!r} 已在台账中")  # type: ignore[attr-defined]
    for i, pid in enumerate(scenario.remove_projects):
        if pid not in ids:
            at(("remove_projects", i), f"项目编号 {pid!r} 不在项目台账中{_close(pid, sorted(ids))}")
    for i, slip in enumerate(scenario.slips):
        for j, pid in enumerate(slip.projects or []):
            if pid not in ids and pid not in added:
                at(("slips", i, "projects", j), f"项目编号 {pid!r} 不在项目台账中{_close(pid, sorted(ids))}")
        if slip.unit is not None and slip.unit not in units:
            at(("slips", i, "unit"), f"责任单位 {slip.unit!r} 不在项目台账中{_close(slip.unit, sorted(units))}")


# ---- loading -------------------------------------------------------------------------------


def validate_scenario(
    data: Mapping[str, Any],
    *,
    name: str = "情景",
    plan: Plan | None = None,
    tables: ContractTables | None = None,
    doc: YamlDoc | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario given as a mapping (from a file, a notebook's sliders or the command line)."""
    doc = doc or YamlDoc(name, dict(data), {}, _LABELS)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        return None, doc.validation_problems(exc)
    problems = check_scenario(scenario, plan, tables, doc=doc)
    return (None if any(p.severity == ERROR for p in problems) else scenario), problems


def scenario_path(plan_id: str, name: str | Path, scenarios_dir: Path | None = None) -> Path:
    """``params/scenarios/<plan-id>/<name>.yaml``, or ``name`` itself when it is a YAML path."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml"):
        return p

    check_id(plan_id, "plan")
    check_id(str(name), "scenario")
    return (scenarios_dir or project().scenarios_dir) / plan_id / f"{name}.yaml"


def list_scenarios(plan_id: str, scenarios_dir: Path | None = None) -> list[str]:
    """Names of the scenario files of a plan."""
    check_id(plan_id, "plan")
    return sorted(p.stem for p in ((scenarios_dir or project().scenarios_dir) / plan_id).glob("*.yaml"))


def read_scenario_file(path: Path, plan: Plan | None = None, tables: ContractTables | None = None) -> tuple[Scenario | None, list[Problem]]:
    """Parse and check one scenario file; return the scenario (or None) and every problem."""
    doc, problems = read_yaml_doc(path, what="情景文件", what_en="scenario file", shape_hint="（id: …, plan: …, quarter: …）", id_keys=_LABELS)
    if doc is None:
        return None, problems
    scenario, problems = validate_scenario(doc.data, plan=plan, tables=tables, doc=doc)
    if scenario is not None:
        if path.stem != scenario.id:
            problems.append(doc.problem(("id",), f"情景 id {scenario.id!r} 应与文件名 {path.stem!r} 一致"))
        folder = path.resolve().parent
        if folder.parent.name == "scenarios" and folder.name != scenario.plan:
            problems.append(doc.problem(("plan",), f"基础计划 {scenario.plan!r} 应与所在目录 {folder.name!r} 一致"))
    return (None if any(p.severity == ERROR for p in problems) else scenario), problems


def load_scenario(
    plan_id: str,
    name: str | Path,
    *,
    plan: Plan | None = None,
    tables: ContractTables | None = None,
    scenarios_dir: Path | None = None,
) -> Scenario:
    """Load a scenario by plan id and name (or path); raise every problem (:class:`hzlib.errors.PlanError`)."""
    path = scenario_path(plan_id, name, scenarios_dir)
    scenario, problems = read_scenario_file(path, plan, tables)
    if scenario is None:
        raise PlanError(problems, what=f"情景文件 {path.name}")
    return scenario


# ---- the command line ----------------------------------------------------------------------

_BASIS_WORDS = {"single": "single", "当季": "single", "cumulative": "cumulative", "cum": "cumulative", "累计": "cumulative"}
_FLAT_WORDS = ("flat", "其余", "rest")


def parse_growth_arg(text: str, *, indicator: str = "fai") -> tuple[list[dict[str, Any]], list[str]]:
    """Growth assumptions from a command-line string, as scenario ``growth`` items.

    ``Q3=6%,Q4=10%`` (for ``indicator``); ``flat=7%`` for every remaining
    quarter; ``basis=cumulative`` for cumulative growth at each quarter end;
    several indicators separated by ``;``, each as ``indicator[@地区]:...``.
    Values keep their text, so the scenario schema judges them exactly as in a
    file (``0.06`` is refused as a fraction). Returns the items and syntax errors.

    >>> parse_growth_arg("Q3=6%,Q4=10%; private_inv@镇巴县:flat=8,basis=cumulative")
    ([{'indicator': 'fai', 'quarters': {'Q3': '6%', 'Q4': '10%'}}, {'indicator': 'private_inv', 'jurisdiction': '镇巴县', 'flat': '8', 'basis': 'cumulative'}], [])
    >>> parse_growth_arg("Q3:6")[1]
    ['“Q3:6” 应写作 季度=增速，如 Q3=6%']
    """
    items: list[dict[str, Any]] = []
    errors: list[str] = []
    for group in (g.strip() for g in text.replace("；", ";").split(";")):
        if not group:
            continue
        item: dict[str, Any] = {"indicator": indicator}
        head, sep, body = group.partition(":")
        if sep and "=" not in head and not _QUARTER_KEY.match(head.strip()):
            name, _, jur = head.strip().partition("@")
            item["indicator"] = name.strip()
            if jur.strip():
                item["jurisdiction"] = jur.strip()
        else:
            body = group
        for part in (p.strip() for p in body.replace("，", ",").split(",")):
            if not part:
                continue
            key, eq, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not eq or not key or not value:
                errors.append(f"“{part}” 应写作 季度=增速，如 Q3=6%")
            elif key.lower() == "basis":
                if value.lower() in _BASIS_WORDS:
                    item["basis"] = _BASIS_WORDS[value.lower()]
                else:
                    errors.append(f"“{part}”：basis 应为 single（当季）或 cumulative（累计）")
            elif key.lower() in _FLAT_WORDS:
                item["flat"] = value
            else:
                item.setdefault("quarters", {})[key] = value
        items.append(item)
    return items, errors


def scenario_from_args(
    plan_id: str,
    quarter: str,
    *,
    growth: str | None = None,
    label: str = "命令行假设",
    plan: Plan | None = None,
    tables: ContractTables | None = None,
    source: str = "命令行参数 --assume",
) -> tuple[Scenario | None, list[Problem]]:
    """A scenario from command-line arguments (``hz whatif --assume "Q3=6%,Q4=10%"``), checked like a file.

    ``source`` names where the string came from in every problem (the option, or a notebook parameter).
    """
    name = source
    items, errors = parse_growth_arg(growth) if growth else ([], [])
    if errors:
        return None, [Problem(name, None, "growth", e) for e in errors]
    data = {"id": "cli", "label": label, "plan": plan_id, "quarter": quarter, "growth": items}
    return validate_scenario(data, name=name, plan=plan, tables=tables)
