"""The measure registry: what each indicator is, on which basis it is measured, and the one
function that measures it. Adding a measure is one entry here; nothing else changes.

Three bases (:class:`hzlib.plan.schema.Basis`):

- ``ledger``: a function of the project status table at the period end (one row per
  project, see :func:`hzlib.evaluate.projects.project_status`), restricted to the
  target's typed scope (:mod:`hzlib.evaluate.scope`);
- ``statistics``: the indicators table (jurisdiction, period, indicator, level,
  cum_yoy): growth is the published cumulative growth (authoritative), a share is
  the ratio of two levels of the same period (or a published share), an amount
  is the cumulative level;
- ``report``: the figure a department reported for exactly this target and period
  (``tasks`` table). Any target may be reported: a ``basis: report`` target's
  indicator need not be in this registry.

Every measurement says which basis and scope it used (``basis_zh``), or why there
is no figure (``reason``); nothing falls back to another basis unless the plan
asks for it (``fallback``).

>>> REGISTRY["start_rate"].zh, REGISTRY["start_rate"].bases
('开工率', (<Basis.LEDGER: 'ledger'>,))
>>> closest("new_start_rate")[:2]
['start_rate', 'reserve_start_rate']
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from ..arithmetic import EPS
from ..contracts import PROCEDURES
from ..glossary import STATISTICS_ZH, Status
from ..periods import Period, same_period
from ..plan.schema import Basis, Measure, Plan, Scope, Target
from ..units import CNY_UNITS, from_wan
from .coverage import Coverage
from .scope import Selection, has_values, missing_column_reason, select_projects

__all__ = [
    "Measurement",
    "Contribution",
    "MeasureContext",
    "Indicator",
    "REGISTRY",
    "STATISTICS",
    "closest",
    "measure",
    "effective_basis",
    "is_flow",
    "is_discrete",
    "projectable",
    "DISCRETE_COUNT_MAX",
]


@dataclass(frozen=True, eq=False)
class Contribution:
    """The rows a figure was computed from, and how (read by :mod:`hzlib.evaluate.derivation`).

    ``op``: ``sum`` (Σ ``column`` over ``numerator`` × ``scale``), ``ratio`` (Σ ``column`` over
    ``numerator`` ÷ Σ ``den_column`` over ``denominator`` × 100), ``count`` (rows of ``numerator``),
    ``count_ratio`` (rows of ``numerator`` ÷ rows of ``denominator`` × 100), ``statistic`` /
    ``statistic_ratio`` (the published row(s) in ``records``) or ``report`` (the reported task row).
    Row sets are labels of the status table (:attr:`MeasureContext.status`); ``decided_by`` names
    the columns that put a row into a counted set.
    """

    op: str
    rows: pd.Index | None = None  # every row of the scope
    numerator: pd.Index | None = None
    denominator: pd.Index | None = None
    column: str = ""
    den_column: str = ""
    scale: float = 1.0
    decided_by: tuple[str, ...] = ()
    records: pd.DataFrame | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measurement:
    """One figure for one target at one period, in the target's unit, with its basis.

    ``count``/``denominator``: for rates, how many of how many projects; for counts, the count.
    ``value`` None means 无数据 and ``reason`` says why.
    """

    value: float | None
    basis: Basis | None
    basis_zh: str = ""
    count: int | None = None
    denominator: float | None = None
    reason: str = ""
    contribution: Contribution | None = field(default=None, compare=False, repr=False)

    @classmethod
    def none(cls, basis: Basis | None, reason: str) -> Measurement:
        return cls(None, basis, "", reason=reason)


@dataclass(frozen=True)
class MeasureContext:
    """What a measure may read: the plan, the period, and the contract tables (already at the period end).

    ``filled`` (columns of ``status`` with values) and the scope selections are computed
    once per evaluation and shared by every target.
    """

    plan: Plan
    period: Period
    status: pd.DataFrame  # every ledger row with its state at the period end
    indicators: pd.DataFrame
    tasks: pd.DataFrame
    coverage: Coverage
    filled: frozenset[str] = frozenset()
    selections: dict[tuple[object, ...], Selection] = field(default_factory=dict, compare=False, repr=False)

    def select(self, scope: Scope, pool: str) -> Selection:
        key = (scope.level, scope.exact_level, scope.batch, scope.projects, pool)
        if key not in self.selections:
            self.selections[key] = select_projects(self.status, scope, "all" if pool == "all" else "key", self.filled)
        return self.selections[key]


class Rows:
    """A scope's rows of the status table, column by column on demand (no copy of the whole table).

    >>> r = Rows(pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]}), pd.Series([True, False, True]))
    >>> len(r), r["b"].tolist()
    (2, [4, 6])
    """

    def __init__(self, frame: pd.DataFrame, mask: pd.Series) -> None:
        self._frame = frame
        self._mask = mask.to_numpy(dtype=bool)
        self._cols: dict[str, pd.Series] = {}
        self._index: pd.Index | None = None

    def __getitem__(self, col: str) -> pd.Series:
        if col not in self._cols:
            self._cols[col] = self._frame[col][self._mask]
        return self._cols[col]

    def __len__(self) -> int:
        return int(self._mask.sum())

    @property
    def columns(self) -> pd.Index:
        return self._frame.columns

    @property
    def index(self) -> pd.Index:
        """The labels of the scope's rows in the status table (computed once)."""
        if self._index is None:
            self._index = self._frame.index[self._mask]
        return self._index


LedgerFn = Callable[["Rows", Target, MeasureContext], Measurement]


@dataclass(frozen=True)
class Indicator:
    """One measurable indicator: its Chinese name, the bases and target measures it supports,
    the contract columns it needs, whether it accumulates over the year (so a year-end
    projection makes sense), and how it is measured on the ledger."""

    id: str
    zh: str
    bases: tuple[Basis, ...]
    measures: tuple[Measure, ...]
    description: str
    example: str
    needs: tuple[str, ...] = ()  # ledger columns that must have values
    needs_progress: bool = False  # reads completed investment (monthly progress at the period end)
    accumulates: bool = False  # a flow over the year (completed investment): projections allowed
    pool: str = "key"  # "all": look at 谋划/储备 rows too (batch scopes, reserve start rate)
    ledger: LedgerFn | None = field(default=None, repr=False, compare=False)
    share_of: tuple[str, str] | None = None  # statistics share: (numerator, denominator) indicator ids


REGISTRY: dict[str, Indicator] = {}


def _register(ind: Indicator) -> Indicator:
    if ind.id in REGISTRY:
        raise RuntimeError(f"indicator {ind.id!r} registered twice")  # a programming error
    if (Basis.LEDGER in ind.bases) != (ind.ledger is not None):
        raise RuntimeError(f"indicator {ind.id!r}: a ledger basis needs exactly one ledger function")
    REGISTRY[ind.id] = ind
    return ind


def _ledger(
    id: str,
    zh: str,
    measures: tuple[Measure, ...],
    description: str,
    example: str,
    *,
    needs: tuple[str, ...] = (),
    needs_progress: bool = False,
    accumulates: bool = False,
    pool: str = "key",
    bases: tuple[Basis, ...] = (Basis.LEDGER,),
    share_of: tuple[str, str] | None = None,
) -> Callable[[LedgerFn], LedgerFn]:
    def wrap(fn: LedgerFn) -> LedgerFn:
        _register(Indicator(id, zh, bases, measures, description, example, needs, needs_progress, accumulates, pool, fn, share_of))
        return fn

    return wrap


# ----------------------------------------------------------------------------- ledger measures


def _b(s: Rows, col: str) -> pd.Series:
    return s[col].astype("boolean").fillna(False).astype(bool)


def _rate(num: int, den: int, what: str) -> Measurement:
    if den <= 0:
        return Measurement.none(Basis.LEDGER, f"范围内没有{what}（分母为零）")
    return Measurement(num / den * 100.0, Basis.LEDGER, count=num, denominator=float(den))


def _money(value_wan: float, t: Target) -> float:
    return from_wan(value_wan, t.unit) if t.unit in CNY_UNITS else value_wan


def _labels(mask: pd.Series) -> pd.Index:
    return mask.index[mask.to_numpy(dtype=bool)]


def _counted(m: Measurement, s: Rows, num: pd.Series, den: pd.Series, *decided_by: str) -> Measurement:
    """``m`` with the rows it counted (numerator ÷ denominator)."""
    return replace(m, contribution=Contribution("count_ratio", s.index, _labels(num), _labels(den), decided_by=decided_by))


def _summed(m: Measurement, s: Rows, column: str, t: Target, part: pd.Series | None = None) -> Measurement:
    """``m`` with the rows whose ``column`` it summed (all of the scope, or ``part``)."""
    num = s.index if part is None else _labels(part)
    return replace(m, contribution=Contribution("sum", s.index, num, column=column, scale=_money(1.0, t)))


@_ledger(
    "start_rate",
    "开工率",
    (Measure.RATE,),
    "计划新开工项目中截至期末已开工的比例：已开工 ÷ 计划新开工（按实际开工时间）",
    "87个计划新开工项目已开工70个：80.5%",
    needs=("is_new_start",),
)
def _start_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    new = _b(s, "is_new_start")
    done = new & s["started"]
    return _counted(_rate(int(done.sum()), int(new.sum()), "计划新开工项目"), s, done, new, "is_new_start", "actual_start")


#: Why 前期手续办结率 is 无数据 for a ledger without any procedure date.
NO_PROCEDURES = "台账没有前期手续办结时间列（规划、土地、环评、能评）"
#: Why a figure on completed investment is 无数据 without monthly progress up to the period end.
NO_PROGRESS = "没有本年截至期末的月度进度（累计完成投资）数据"


@_ledger(
    "procedure_rate",
    "前期手续办结率",
    (Measure.RATE,),
    "范围内项目中规划、土地、环评、能评四项主要手续截至期末全部办结的比例（按各手续办结时间）；哪些项目由目标的范围定（新开工项目、市级重点项目……）",
    "30个新开工项目中24个手续全部办结：80%",
)
def _procedure_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    if not any(has_values(s, c) for c in PROCEDURES):
        return Measurement.none(Basis.LEDGER, NO_PROCEDURES)
    done = s["procedures_done"].astype("boolean").fillna(False).astype(bool)
    every = pd.Series(True, index=done.index)
    return _counted(_rate(int(done.sum()), len(s), "项目"), s, done, every, *PROCEDURES)


@_ledger(
    "invest_completion",
    "计划投资完成率",
    (Measure.RATE,),
    "截至期末累计完成投资 ÷ 年度计划投资（范围内项目合计）",
    "完成239.2亿元 ÷ 年度计划490.09亿元 = 48.81%",
    needs=("annual_plan",),
    needs_progress=True,
)  # a rate: never projected
def _invest_completion(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    plan = float(s["annual_plan"].fillna(0.0).sum())
    if plan <= 0:
        return Measurement.none(Basis.LEDGER, "范围内项目没有年度计划投资")
    m = Measurement(float(s["completed_cum"].sum()) / plan * 100.0, Basis.LEDGER, denominator=plan)
    return replace(m, contribution=Contribution("ratio", s.index, s.index, s.index, "completed_cum", "annual_plan"))


@_ledger(
    "completion_rate",
    "竣工投产达效率",
    (Measure.RATE,),
    "计划本年竣工的项目中截至期末实际竣工的比例（按实际竣工时间）",
    "计划竣工16个，已竣工5个：31.3%",
    needs=("planned_completion",),
)
def _completion_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    due = s["planned_completion_this_year"].astype(bool)
    done = due & s["completed"]
    return _counted(_rate(int(done.sum()), int(due.sum()), "计划本年竣工的项目"), s, done, due, "planned_completion", "actual_completion")


@_ledger(
    "reserve_start_rate",
    "储备项目开工率",
    (Measure.RATE,),
    "“四个一批”储备项目中截至期末已开工的比例",
    "储备项目30个已开工6个：20%",
    needs=("batch",),
    pool="all",
)
def _reserve_start_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    reserve = s["batch"].eq("reserve").fillna(False).astype(bool)
    done = reserve & s["started"]
    return _counted(_rate(int(done.sum()), int(reserve.sum()), "储备项目"), s, done, reserve, "batch", "actual_start")


@_ledger(
    "landing_rate",
    "招商引资落地率",
    (Measure.RATE,),
    "招商引资签约项目中已获批建设用地的比例",
    "签约项目20个，16个获批建设用地：80%",
    needs=("is_signed", "land_approved"),
)
def _landing_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    signed = _b(s, "is_signed")
    done = signed & _b(s, "land_approved")
    return _counted(_rate(int(done.sum()), int(signed.sum()), "招商引资签约项目"), s, done, signed, "is_signed", "land_approved")


@_ledger(
    "completed_investment",
    "累计完成投资",
    (Measure.AMOUNT,),
    "范围内项目截至期末的累计完成投资（自1月起）",
    "200个市级重点项目上半年完成239.2亿元",
    needs_progress=True,
    accumulates=True,
)
def _completed_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _summed(Measurement(_money(float(s["completed_cum"].sum()), t), Basis.LEDGER), s, "completed_cum", t)


@_ledger("project_count", "项目个数", (Measure.COUNT,), "台账中范围内的项目个数（清单规模，不是完成数）", "市级重点项目200个，其中新开工87个")
def _project_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    n = len(s)
    return replace(Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, s.index, decided_by=("project_id",)))


@_ledger(
    "project_total_investment",
    "项目总投资",
    (Measure.AMOUNT,),
    "台账中范围内项目的总投资合计（清单规模）",
    "储备项目30个，总投资85亿元",
    needs=("total_investment",),
)
def _project_total_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _summed(Measurement(_money(float(s["total_investment"].fillna(0.0).sum()), t), Basis.LEDGER), s, "total_investment", t)


@_ledger(
    "started_count", "已开工项目个数", (Measure.COUNT,), "范围内计划新开工项目中截至期末实际开工的个数", "13个新开工项目已开工11个", needs=("is_new_start",)
)
def _started_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    started = _b(s, "is_new_start") & s["started"]
    n = int(started.sum())
    return replace(
        Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, _labels(started), decided_by=("is_new_start", "actual_start"))
    )


def _completed_this_year(s: Rows, ctx: MeasureContext) -> pd.Series:
    done = pd.to_datetime(s["actual_completion"])
    return done.notna() & (done.dt.year == ctx.period.year) & (done <= pd.Timestamp(ctx.period.end_date))


@_ledger(
    "completed_project_count",
    "竣工项目个数",
    (Measure.COUNT,),
    "本年截至期末实际竣工的项目个数（按实际竣工时间；计划竣工而未竣工的不计）",
    "竣工项目16个：截至三季度末实际竣工9个",
    needs=("actual_completion",),
    pool="all",
)
def _completed_project_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    done = _completed_this_year(s, ctx)
    n = int(done.sum())
    return replace(Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, _labels(done), decided_by=("actual_completion",)))


@_ledger(
    "completed_project_investment",
    "竣工项目总投资",
    (Measure.AMOUNT,),
    "本年截至期末实际竣工项目的总投资合计",
    "竣工项目总投资36.34亿元",
    needs=("actual_completion", "total_investment"),
    pool="all",
)
def _completed_project_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    done = _completed_this_year(s, ctx)
    m = Measurement(_money(float(s["total_investment"][done].fillna(0.0).sum()), t), Basis.LEDGER, count=int(done.sum()))
    return _summed(m, s, "total_investment", t, done)


def _completed_share(s: Rows, part: pd.Series) -> Measurement:
    total = float(s["completed_cum"].sum())
    if total <= 0:
        return Measurement.none(Basis.LEDGER, "范围内项目没有完成投资")
    m = Measurement(float(s["completed_cum"][part].sum()) / total * 100.0, Basis.LEDGER)
    return replace(m, contribution=Contribution("ratio", s.index, _labels(part), s.index, "completed_cum", "completed_cum"))


@_ledger(
    "private_inv_share",
    "民间投资占比",
    (Measure.SHARE,),
    "台账口径：范围内项目完成投资中民间投资项目所占比例；统计口径：民间投资 ÷ 固定资产投资（同期累计值）",
    "重点项目完成投资100亿元，其中民间投资项目37亿元：37%",
    needs=("ownership",),
    needs_progress=True,
    bases=(Basis.LEDGER, Basis.STATISTICS),
    share_of=("private_inv", "fai"),
)
def _private_share(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _completed_share(s, s["ownership"].eq("private").fillna(False).astype(bool))


@_ledger(
    "industry_inv_share",
    "产业投资占比",
    (Measure.SHARE,),
    "台账口径：范围内项目完成投资中产业项目所占比例；统计口径：产业投资 ÷ 固定资产投资（同期累计值）",
    "重点项目完成投资100亿元，其中产业项目47亿元：47%",
    needs=("is_industry",),
    needs_progress=True,
    bases=(Basis.LEDGER, Basis.STATISTICS),
    share_of=("industry_inv", "fai"),
)
def _industry_share(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _completed_share(s, _b(s, "is_industry"))


# ----------------------------------------------------------------------------- statistics catalogue

#: Statistics indicators (统计口径): id → Chinese name. Growth is the published cumulative growth.
#: Figures that departments compile (引进内资、利用外资、争取政策性资金 …) are not statistics:
#: their targets are ``basis: report``.
STATISTICS: dict[str, str] = STATISTICS_ZH  # the published names are the glossary's
#: Statistics shares beyond the two ledger/statistics shares above: id → (name, numerator, denominator).
_STAT_SHARES = {
    "private_in_social_capital_share": ("民间投资占社会资本投资比重", "private_inv", "social_capital_inv"),
}

for _id, _zh in STATISTICS.items():
    _register(
        Indicator(
            _id,
            _zh,
            (Basis.STATISTICS,),
            (Measure.GROWTH, Measure.AMOUNT),
            f"统计部门公布的{_zh}：累计同比增速（以公布增速为准）或累计值",
            f"{_zh}累计增长9.2%",
            accumulates=True,
        )
    )
for _id, (_zh, _num, _den) in _STAT_SHARES.items():
    _register(
        Indicator(
            _id,
            _zh,
            (Basis.STATISTICS,),
            (Measure.SHARE,),
            f"统计口径：{STATISTICS[_num]} ÷ {STATISTICS[_den]}（同期累计值），或统计部门公布的占比",
            f"{_zh}60%",
            share_of=(_num, _den),
        )
    )


def _stat_rows(ctx: MeasureContext, jurisdiction: str) -> pd.DataFrame:
    """The statistics of ``jurisdiction`` at the period, one row per indicator.

    Periods match on (year, end month), however they are written; the reader has refused
    two rows of one indicator and period that disagree, so any row of a repeated one will do.
    """
    ind = ctx.indicators
    if ind.empty:
        return ind
    sel = ind[(ind["jurisdiction"] == jurisdiction) & same_period(ind["period"], ctx.period)]
    return sel.drop_duplicates("indicator", keep="last").set_index("indicator")


def _statistics(t: Target, ctx: MeasureContext) -> Measurement:
    by = _stat_rows(ctx, t.scope.jurisdiction)
    ind = t.indicator
    if by.empty:
        return Measurement.none(Basis.STATISTICS, f"统计数据中没有{t.scope.jurisdiction}{ctx.period.label_zh()}的指标")

    def used(m: Measurement, ids: list[str], fld: str, scale: float = 100.0) -> Measurement:
        op = "statistic_ratio" if len(ids) == 2 else "statistic"
        return replace(m, contribution=Contribution(op, records=by.loc[ids].reset_index(), fields=(fld,), scale=scale))

    def level(i: str) -> float | None:
        if i in by.index and "level" in by.columns and pd.notna(by.at[i, "level"]):
            return float(by.at[i, "level"])
        return None

    if t.measure is Measure.GROWTH:
        if ind in by.index and pd.notna(by.at[ind, "cum_yoy"]):
            return used(Measurement(float(by.at[ind, "cum_yoy"]) * 100.0, Basis.STATISTICS, "统计数据（公布的累计同比增速）"), [ind], "cum_yoy")
        return Measurement.none(Basis.STATISTICS, f"统计数据中没有{REGISTRY[ind].zh}本期的累计增速")
    if t.measure is Measure.SHARE:
        published = level(ind)
        if published is not None:
            return used(Measurement(published * 100.0, Basis.STATISTICS, "统计数据（公布的占比）"), [ind], "level")
        share_of = REGISTRY[ind].share_of
        assert share_of is not None
        num, den = level(share_of[0]), level(share_of[1])
        if num is None or den is None or den <= 0:
            return Measurement.none(
                Basis.STATISTICS, f"统计数据中没有本期{STATISTICS.get(share_of[0], share_of[0])}和{STATISTICS.get(share_of[1], share_of[1])}的累计值"
            )
        return used(Measurement(num / den * 100.0, Basis.STATISTICS, "统计数据（同期累计值之比）"), list(share_of), "level")
    value = level(ind)
    if value is None:
        return Measurement.none(Basis.STATISTICS, f"统计数据中没有{REGISTRY[ind].zh}本期的累计值")
    if t.unit not in CNY_UNITS:
        return Measurement.none(Basis.STATISTICS, f"统计累计值以万元计，不能换算为{t.unit}")
    return used(Measurement(_money(value, t), Basis.STATISTICS, "统计数据（累计值）"), [ind], "level", _money(1.0, t))


def _report(t: Target, ctx: MeasureContext) -> Measurement:
    tasks = ctx.tasks
    if tasks.empty:
        return Measurement.none(Basis.REPORT, "未报送（任务完成情况表中没有本期数值）")
    sel = tasks[(tasks["target_id"] == t.id) & same_period(tasks["period"], ctx.period) & tasks["value"].notna()]
    if sel.empty:
        return Measurement.none(Basis.REPORT, "未报送（任务完成情况表中没有本期数值）")
    r = sel.iloc[-1]
    v = float(r["value"])
    count = round(v) if t.measure is Measure.COUNT and abs(v - round(v)) < EPS else None
    src = r.get("source")
    m = Measurement(v, Basis.REPORT, "任务报送" + (f"（{src}）" if isinstance(src, str) and src else ""), count=count)
    return replace(m, contribution=Contribution("report", records=sel.iloc[[-1]].reset_index(drop=True), fields=("value",)))


def _ledger_measure(t: Target, ind: Indicator, ctx: MeasureContext) -> Measurement:
    st = ctx.status
    if st.empty:
        return Measurement.none(Basis.LEDGER, "没有项目台账")
    cov = ctx.coverage
    if cov.progress is not None and cov.progress < ctx.period.end_month:
        return Measurement.none(Basis.LEDGER, f"项目台账和进度数据截至{cov.year}年{cov.progress}月，不到本期末")
    if ind.needs_progress and cov.progress is None:
        return Measurement.none(Basis.LEDGER, f"没有{cov.year}年的月度进度（累计完成投资）数据")
    if ind.needs_progress and not has_values(st, "completed_cum", ctx.filled):
        return Measurement.none(Basis.LEDGER, NO_PROGRESS)
    for col in ind.needs:
        if not has_values(st, col, ctx.filled):
            return Measurement.none(Basis.LEDGER, missing_column_reason(col, ind.zh))
    sel = ctx.select(t.scope, ind.pool)
    if sel.mask is None:
        return Measurement.none(Basis.LEDGER, sel.reason)
    assert ind.ledger is not None
    m = ind.ledger(Rows(st, sel.mask), t, ctx)
    label = f"重点项目台账（{sel.describe}）"
    return Measurement(m.value, m.basis, label if m.value is not None else "", m.count, m.denominator, m.reason, m.contribution)


def effective_basis(t: Target) -> Basis | None:
    """The basis ``t`` is measured on: its own ``basis``, else its indicator's only basis, else
    statistics for a jurisdiction-wide scope and the ledger for a project scope; None for an
    indicator the registry does not know (the plan check reports it)."""
    if t.basis is not None:
        return t.basis
    ind = REGISTRY.get(t.indicator)
    if ind is None:
        return None
    if len(ind.bases) == 1:
        return ind.bases[0]
    level_all = t.scope.level.value == "all" and t.scope.projects is None and t.scope.batch is None
    return Basis.STATISTICS if level_all and Basis.STATISTICS in ind.bases else Basis.LEDGER


def _on(basis: Basis, t: Target, ctx: MeasureContext) -> Measurement:
    if basis is Basis.REPORT:
        return _report(t, ctx)
    ind = REGISTRY.get(t.indicator)
    if ind is None or basis not in ind.bases:
        return Measurement.none(basis, f"指标 {t.indicator} 不能按{basis.zh}计算")
    if basis is Basis.STATISTICS:
        return _statistics(t, ctx)
    return _ledger_measure(t, ind, ctx)


def measure(t: Target, ctx: MeasureContext) -> Measurement:
    """The actual figure of ``t`` at ``ctx.period``, on exactly its basis (or the plan's fallback, labelled)."""
    basis = effective_basis(t)
    if basis is None:
        return Measurement.none(None, f"未知指标 {t.indicator}")
    m = _on(basis, t, ctx)
    if m.value is None and t.fallback is not None:
        f = _on(t.fallback, t, ctx)
        if f.value is not None:
            label = f"{f.basis_zh}（{basis.zh}{Status.NO_DATA.zh}：{m.reason}；按计划文件的 fallback 改用{t.fallback.zh}）"
            return Measurement(f.value, f.basis, label, f.count, f.denominator, contribution=f.contribution)
        return Measurement.none(basis, f"{m.reason}；{t.fallback.zh}也无数据：{f.reason}")
    return m


def closest(name: str, n: int = 3) -> list[str]:
    """Registered indicator ids closest to ``name`` (for an unknown indicator's message)."""
    ids = list(REGISTRY)
    near = difflib.get_close_matches(name, ids, n=n, cutoff=0.4)
    tokens = set(name.split("_"))
    by_token = sorted((i for i in ids if tokens & set(i.split("_")) and i not in near), key=lambda i: (-len(tokens & set(i.split("_"))), i))
    return (near + by_token)[:n]


#: A count target of at most this many items is a count of discrete items (变电站1座, 中小河流治理1处,
#: 高新技术企业5家): one item is at least a tenth of the target, so a pace projection moves in
#: steps of more than a tenth of it (1 item at September is "1.36 items"). Such a target is shown
#: as done / not done, or as whole items still to do with the time that remains, never projected.
DISCRETE_COUNT_MAX = 10


def is_flow(t: Target) -> bool:
    """Whether ``t``'s figure accumulates over the year. A rate, share or growth never does
    (completed ÷ planned is a ratio, not an amount); nor do deadlines, duties and coverage."""
    basis = effective_basis(t)
    if t.measure in (Measure.GROWTH, Measure.SHARE, Measure.RATE, Measure.DEADLINE, Measure.FREQUENCY, Measure.COVERAGE):
        return False
    if basis is Basis.REPORT or t.indicator not in REGISTRY:
        return t.measure in (Measure.AMOUNT, Measure.COUNT, Measure.QUANTITY) and t.effective_phasing.value in ("time_progress", "profile", "year_end")
    return REGISTRY[t.indicator].accumulates


def is_discrete(t: Target) -> bool:
    """Whether ``t`` counts discrete items: a count target of at most :data:`DISCRETE_COUNT_MAX`.

    >>> from hzlib.plan.schema import Target
    >>> src = {"file": "x.txt", "section": "一", "quote": "新建110千伏变电站1座"}
    >>> one = Target.model_validate({"id": "s", "label": "变电站", "indicator": "substation_count", "measure": "count",
    ...     "value": 1, "unit": "座", "basis": "report", "phasing": "year_end", "scope": {"jurisdiction": "镇巴县"}, "source": src})
    >>> is_discrete(one), is_discrete(one.model_copy(update={"value": 274.0}))
    (True, False)
    """
    return t.measure is Measure.COUNT and t.value is not None and t.value <= DISCRETE_COUNT_MAX


def projectable(t: Target) -> bool:
    """Whether a year-end projection of ``t`` makes sense: an amount, quantity or count of many
    items that accumulates over the year (:func:`is_flow`), not a count of discrete items."""
    return is_flow(t) and not is_discrete(t)
