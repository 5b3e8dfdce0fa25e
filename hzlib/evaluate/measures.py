"""How each indicator is measured: one function per ledger indicator, registered by id, the
statistics and reported figures, and :func:`measure`, which takes a target's actual figure on
exactly its basis. What each indicator is (its name, bases, measures and the data it needs) is
the catalogue :mod:`hzlib.plan.indicators`; adding a ledger measure is one entry there and one
function here.

- ``ledger``: a function of the project status table at the period end (one row per
  project, see :func:`hzlib.evaluate.projects.project_status`), restricted to the
  target's typed scope (:mod:`hzlib.evaluate.scope`);
- ``statistics``: the indicators table: growth is the published cumulative growth, a share
  the ratio of two levels of the same period (or a published share), an amount the cumulative level;
- ``report``: the figure a department reported for exactly this target and period
  (``tasks`` table). Any target may be reported: a ``basis: report`` target's
  indicator need not be in the catalogue.

Every measurement says which basis and scope it used (``basis_zh``), or why there
is no figure (``reason``); nothing falls back to another basis unless the plan
asks for it (``fallback``).

>>> sorted(LEDGER_MEASURES)[:2]
['completed_investment', 'completed_project_count']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from ..arithmetic import EPS
from ..contracts import PROCEDURES
from ..glossary import Status
from ..periods import Period, same_period
from ..plan.indicators import INDICATORS, STATISTICS, Indicator, effective_basis
from ..plan.schema import Basis, Measure, Plan, Scope, Target
from ..units import CNY_UNITS, from_wan, to_percent
from .coverage import Coverage
from .scope import Selection, has_values, missing_column_reason, select_projects

__all__ = [
    "Measurement",
    "Contribution",
    "MeasureContext",
    "LEDGER_MEASURES",
    "measure",
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


#: Ledger indicator id → the function that measures it on a scope's rows (one for each indicator
#: of :data:`hzlib.plan.indicators.INDICATORS` with a ledger basis).
LEDGER_MEASURES: dict[str, LedgerFn] = {}


def _measures(id: str) -> Callable[[LedgerFn], LedgerFn]:
    """Register the decorated function as how ledger indicator ``id`` is measured."""

    def wrap(fn: LedgerFn) -> LedgerFn:
        ind = INDICATORS.get(id)
        if ind is None or Basis.LEDGER not in ind.bases or id in LEDGER_MEASURES:  # a programming error
            raise RuntimeError(f"indicator {id!r}: not a ledger indicator of the catalogue, or measured twice")
        LEDGER_MEASURES[id] = fn
        return fn

    return wrap


# ----------------------------------------------------------------------------- ledger measures


def _b(s: Rows, col: str) -> pd.Series:
    return s[col].astype("boolean").fillna(False).astype(bool)


def _rate(num: int, den: int, what: str) -> Measurement:
    if den <= 0:
        return Measurement.none(Basis.LEDGER, f"范围内没有{what}（分母为零）")
    return Measurement(to_percent(num / den), Basis.LEDGER, count=num, denominator=float(den))


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


@_measures("start_rate")
def _start_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    new = _b(s, "is_new_start")
    done = new & s["started"]
    return _counted(_rate(int(done.sum()), int(new.sum()), "计划新开工项目"), s, done, new, "is_new_start", "actual_start")


#: Why 前期手续办结率 is 无数据 for a ledger without any procedure date.
NO_PROCEDURES = "台账没有前期手续办结时间列（规划、土地、环评、能评）"
#: Why a figure on completed investment is 无数据 without monthly progress up to the period end.
NO_PROGRESS = "没有本年截至期末的月度进度（累计完成投资）数据"


@_measures("procedure_rate")
def _procedure_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    if not any(has_values(s, c) for c in PROCEDURES):
        return Measurement.none(Basis.LEDGER, NO_PROCEDURES)
    done = s["procedures_done"].astype("boolean").fillna(False).astype(bool)
    every = pd.Series(True, index=done.index)
    return _counted(_rate(int(done.sum()), len(s), "项目"), s, done, every, *PROCEDURES)


@_measures("invest_completion")
def _invest_completion(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    plan = float(s["annual_plan"].fillna(0.0).sum())
    if plan <= 0:
        return Measurement.none(Basis.LEDGER, "范围内项目没有年度计划投资")
    m = Measurement(to_percent(float(s["completed_cum"].sum()) / plan), Basis.LEDGER, denominator=plan)
    return replace(m, contribution=Contribution("ratio", s.index, s.index, s.index, "completed_cum", "annual_plan"))


@_measures("completion_rate")
def _completion_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    due = s["planned_completion_this_year"].astype(bool)
    done = due & s["completed"]
    return _counted(_rate(int(done.sum()), int(due.sum()), "计划本年竣工的项目"), s, done, due, "planned_completion", "actual_completion")


@_measures("reserve_start_rate")
def _reserve_start_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    reserve = s["batch"].eq("reserve").fillna(False).astype(bool)
    done = reserve & s["started"]
    return _counted(_rate(int(done.sum()), int(reserve.sum()), "储备项目"), s, done, reserve, "batch", "actual_start")


@_measures("landing_rate")
def _landing_rate(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    signed = _b(s, "is_signed")
    done = signed & _b(s, "land_approved")
    return _counted(_rate(int(done.sum()), int(signed.sum()), "招商引资签约项目"), s, done, signed, "is_signed", "land_approved")


@_measures("completed_investment")
def _completed_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _summed(Measurement(_money(float(s["completed_cum"].sum()), t), Basis.LEDGER), s, "completed_cum", t)


@_measures("project_count")
def _project_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    n = len(s)
    return replace(Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, s.index, decided_by=("project_id",)))


@_measures("project_total_investment")
def _project_total_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _summed(Measurement(_money(float(s["total_investment"].fillna(0.0).sum()), t), Basis.LEDGER), s, "total_investment", t)


@_measures("started_count")
def _started_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    started = _b(s, "is_new_start") & s["started"]
    n = int(started.sum())
    return replace(
        Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, _labels(started), decided_by=("is_new_start", "actual_start"))
    )


def _completed_this_year(s: Rows, ctx: MeasureContext) -> pd.Series:
    done = pd.to_datetime(s["actual_completion"])
    return done.notna() & (done.dt.year == ctx.period.year) & (done <= pd.Timestamp(ctx.period.end_date))


@_measures("completed_project_count")
def _completed_project_count(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    done = _completed_this_year(s, ctx)
    n = int(done.sum())
    return replace(Measurement(float(n), Basis.LEDGER, count=n), contribution=Contribution("count", s.index, _labels(done), decided_by=("actual_completion",)))


@_measures("completed_project_investment")
def _completed_project_investment(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    done = _completed_this_year(s, ctx)
    m = Measurement(_money(float(s["total_investment"][done].fillna(0.0).sum()), t), Basis.LEDGER, count=int(done.sum()))
    return _summed(m, s, "total_investment", t, done)


def _completed_share(s: Rows, part: pd.Series) -> Measurement:
    total = float(s["completed_cum"].sum())
    if total <= 0:
        return Measurement.none(Basis.LEDGER, "范围内项目没有完成投资")
    m = Measurement(to_percent(float(s["completed_cum"][part].sum()) / total), Basis.LEDGER)
    return replace(m, contribution=Contribution("ratio", s.index, _labels(part), s.index, "completed_cum", "completed_cum"))


@_measures("private_inv_share")
def _private_share(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _completed_share(s, s["ownership"].eq("private").fillna(False).astype(bool))


@_measures("industry_inv_share")
def _industry_share(s: Rows, t: Target, ctx: MeasureContext) -> Measurement:
    return _completed_share(s, _b(s, "is_industry"))


# ----------------------------------------------------------------------------- statistics and reported figures


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

    def used(m: Measurement, ids: list[str], fld: str, scale: float = to_percent(1.0)) -> Measurement:  # fraction rows, percent figure
        op = "statistic_ratio" if len(ids) == 2 else "statistic"
        return replace(m, contribution=Contribution(op, records=by.loc[ids].reset_index(), fields=(fld,), scale=scale))

    def level(i: str) -> float | None:
        if i in by.index and "level" in by.columns and pd.notna(by.at[i, "level"]):
            return float(by.at[i, "level"])
        return None

    if t.measure is Measure.GROWTH:
        if ind in by.index and pd.notna(by.at[ind, "cum_yoy"]):
            return used(Measurement(to_percent(float(by.at[ind, "cum_yoy"])), Basis.STATISTICS, "统计数据（公布的累计同比增速）"), [ind], "cum_yoy")
        return Measurement.none(Basis.STATISTICS, f"统计数据中没有{INDICATORS[ind].zh}本期的累计增速")
    if t.measure is Measure.SHARE:
        # a share has no level of its own (the reader refuses one: ingest/validate.py check_share_levels)
        share_of = INDICATORS[ind].share_of
        assert share_of is not None
        num, den = level(share_of[0]), level(share_of[1])
        if num is None or den is None or den <= 0:
            return Measurement.none(
                Basis.STATISTICS, f"统计数据中没有本期{STATISTICS.get(share_of[0], share_of[0])}和{STATISTICS.get(share_of[1], share_of[1])}的累计值"
            )
        return used(Measurement(to_percent(num / den), Basis.STATISTICS, "统计数据（同期累计值之比）"), list(share_of), "level")
    value = level(ind)
    if value is None:
        return Measurement.none(Basis.STATISTICS, f"统计数据中没有{INDICATORS[ind].zh}本期的累计值")
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
    m = LEDGER_MEASURES[ind.id](Rows(st, sel.mask), t, ctx)
    label = f"重点项目台账（{sel.describe}）"
    return Measurement(m.value, m.basis, label if m.value is not None else "", m.count, m.denominator, m.reason, m.contribution)


def _on(basis: Basis, t: Target, ctx: MeasureContext) -> Measurement:
    if basis is Basis.REPORT:
        return _report(t, ctx)
    ind = INDICATORS.get(t.indicator)
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
    if basis is Basis.REPORT or t.indicator not in INDICATORS:
        return t.measure in (Measure.AMOUNT, Measure.COUNT, Measure.QUANTITY) and t.effective_phasing.value in ("time_progress", "profile", "year_end")
    return INDICATORS[t.indicator].accumulates


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
