"""Deterministic sample data (示意数据) for the bundled plans, and a fast benchmark generator.

Every table is generated from a seeded :func:`numpy.random.default_rng`, so the
same spec and seed give the same DataFrames and the same file bytes. The specs
live in ``params/samples/<plan-id>.yaml`` (one per plan). A few figures are
real and are hit exactly (安康 2019 H1: 239.2亿元 completed by the 200 city key
projects, 17 planned new starts not started, FAI +9.2%); everything else is
illustrative and is labelled so in the files (``数据来源`` = ``示意数据``) and in
the ``README.md`` written next to them.

The pure functions return DataFrames whose columns are the contract ids of
:mod:`hzlib.contracts` (money in 万元, rates and growth as fractions, dates as
``datetime64[ns]``). :func:`write_sample` writes them with the Chinese headers
(``Column.zh``), percent numbers (9.2) and Chinese category labels, optionally
"messy" the way real exports are (GBK, a title row, a totals row, mixed date
spellings): none of these are errors, a good reader must accept them.

>>> led, prog = generate_ledger(1000, 2024, seed=1, months=3)
>>> len(led), len(prog), list(prog.columns)
(1000, 3000, ['project_id', 'month', 'completed_cum'])
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from hzlib.contracts import (
    BATCH_ZH,
    INDICATOR_COLUMNS,
    LEDGER_COLUMNS,
    LEVEL_ZH,
    OWNERSHIP_ZH,
    PROFILE_COLUMNS,
    PROGRESS_COLUMNS,
    TASK_COLUMNS,
    Column,
)
from hzlib.paths import project
from hzlib.textfmt import fmt_number

if TYPE_CHECKING:
    from hzlib.periods import Period
    from hzlib.plan.schema import Target

__all__ = [
    "SAMPLE_PLAN_IDS",
    "SYNTHETIC_SOURCE",
    "LEVEL_ZH",
    "OWNERSHIP_ZH",
    "BATCH_ZH",
    "SampleSpec",
    "UnitSpec",
    "LevelSpec",
    "SampleData",
    "samples_dir",
    "generate_sample",
    "generate_ledger_frame",
    "generate_progress",
    "generate_indicators",
    "plan_indicators",
    "generate_ledger",
    "write_sample",
    "to_file_frame",
]


#: Plans that have a bundled sample spec.
SAMPLE_PLAN_IDS = ("ankang-2019", "zhenba-2024", "xian-port-2023", "hanzhong-2022", "hanzhong-2023")
#: ``数据来源`` of every synthetic indicator row.
SYNTHETIC_SOURCE = "示意数据"

#: Chinese labels written in files for the contract categories.

_CATEGORY_ZH: dict[str, dict[str, str]] = {"level": LEVEL_ZH, "ownership": OWNERSHIP_ZH, "batch": BATCH_ZH}

_INDUSTRY_SECTORS = ("工业", "农业", "服务业")
_INDUSTRY_SECTOR_P = (0.6, 0.15, 0.25)
_OTHER_SECTORS = ("基础设施", "社会事业", "生态环保")
_OTHER_SECTOR_P = (0.55, 0.25, 0.2)
_NAME_STEMS: dict[str, tuple[str, ...]] = {
    "工业": (
        "新型建材生产线",
        "智能制造产业园",
        "食品精深加工",
        "新材料产业园",
        "电子元器件生产基地",
        "标准化厂房",
        "装备制造产业园",
        "绿色循环产业园",
        "锂电池材料生产线",
        "农副产品加工园",
        "机械零部件生产线",
        "包装材料生产基地",
    ),
    "农业": ("现代农业产业园", "茶叶标准化种植基地", "中药材种植基地", "生猪养殖基地", "食用菌产业园", "高标准农田建设", "设施蔬菜基地"),
    "服务业": ("现代物流园", "商贸综合体", "冷链物流中心", "文化旅游综合开发", "乡村旅游示范区", "电商产业园", "康养中心", "农产品交易市场"),
    "基础设施": (
        "城市道路改造",
        "供水工程",
        "农村公路提升",
        "集中供热工程",
        "污水管网改造",
        "变电站新建工程",
        "水库除险加固",
        "城市停车场",
        "老旧小区改造",
        "防洪堤建设",
    ),
    "社会事业": ("人民医院改扩建", "中学新建", "职业教育中心", "养老服务中心", "全民健身中心", "保障性住房", "妇幼保健院迁建"),
    "生态环保": ("污水处理厂提标改造", "生活垃圾处理场", "河道综合治理", "矿山生态修复", "国土绿化", "水土保持综合治理"),
}
_ORDINALS = ("", "（二期）", "（三期）", "（四期）", "（五期）", "（六期）", "（七期）", "（八期）")

#: Share of last year's FAI used for each breakdown indicator when the spec gives none.
_DEFAULT_SHARES: dict[str, float] = {
    "private_inv": 0.55,
    "industry_inv": 0.55,
    "industrial_inv": 0.32,
    "manufacturing_inv": 0.22,
    "high_tech_inv": 0.06,
    "infrastructure_inv": 0.26,
    "culture_inv": 0.015,
    "wholesale_retail_inv": 0.025,
    "accommodation_catering_inv": 0.012,
    "social_capital_inv": 0.6,
}
#: Indicators used when neither the spec nor the plan names any.
DEFAULT_INDICATORS = (
    "fai",
    "private_inv",
    "industrial_inv",
    "industry_inv",
    "manufacturing_inv",
    "high_tech_inv",
    "infrastructure_inv",
    "culture_inv",
    "wholesale_retail_inv",
    "accommodation_catering_inv",
)
_DEFAULT_SEASONAL = (3.5, 4.5, 8.5, 9.0, 10.0, 12.5, 8.0, 8.0, 9.0, 8.0, 8.0, 11.0)
_DEFAULT_START_WEIGHTS = (8, 12, 22, 18, 14, 10, 6, 4, 3, 2, 1, 0)


def samples_dir() -> Path:
    """The directory of the sample specs (``params/samples``)."""
    from hzlib.paths import project

    return project().samples_dir


# --------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class UnitSpec:
    """One responsible unit (责任单位) and what the task table gives it."""

    unit: str
    kind: str = "county"  # county | park | department | town | enterprise
    projects: int = 0
    new_starts: int | None = None
    annual_plan: float | None = None  # 万元


@dataclass(frozen=True)
class LevelSpec:
    """Projects of one level (省级/市级/县级/区级): exact counts and totals, or a share."""

    level: str
    projects: int | None = None
    new_starts: int | None = None
    annual_plan: float | None = None  # 万元
    new_start_annual_plan: float | None = None  # 万元, part of annual_plan
    share: float | None = None  # probability of the level when counts are not given


@dataclass
class SampleSpec:
    """Everything the generator needs for one plan (``params/samples/<plan-id>.yaml``)."""

    plan_id: str
    jurisdiction: str
    year: int
    data_through: str  # YYYY-MM
    seed: int
    units: list[UnitSpec]
    levels: list[LevelSpec] = field(default_factory=lambda: [LevelSpec("city", share=1.0)])
    id_prefix: str = "P"
    ledger_title: str | None = None
    stated_totals: dict[str, float] = field(default_factory=dict)
    ownership_mix: dict[str, float] = field(default_factory=lambda: {"private": 0.55, "state": 0.25, "government": 0.18, "foreign": 0.02})
    private_investment_share: float | None = None
    industry_share: float = 0.55
    infrastructure_plan_share: float | None = None  # 基础设施 projects carry this share of the annual plan
    chain_share: float = 0.6
    chains: list[str] = field(default_factory=list)
    new_start_share: float = 0.4
    new_start_month_weights: list[float] = field(default_factory=lambda: list(_DEFAULT_START_WEIGHTS))
    late_start_prob: float = 0.25
    not_started_prob: float = 0.06
    slip_prob: float = 0.2
    complete_share: float = 0.2
    complete_count: int | None = None
    extra_batches: dict[str, int] = field(default_factory=dict)
    extra_reserve_started_share: float = 0.0
    class_mix: dict[str, float] | None = None  # 汉中 2022 five classes
    named_projects: list[dict[str, Any]] = field(default_factory=list)
    below_threshold_count: int = 0
    foreign_projects: list[dict[str, Any]] = field(default_factory=list)
    start_complete_count: int = 0  # new starts planned to complete within the year (开工 and 竣工 at once)
    cny_per_usd: float = 7.0
    procedure_missing_prob: float = 0.08
    signed_share: float = 0.2
    signed_count: int | None = None
    land_approved_rate: float = 0.8
    annual_plan_median: float = 15000.0  # 万元, when no totals are given
    seasonal_curve: list[float] = field(default_factory=lambda: list(_DEFAULT_SEASONAL))
    real: dict[str, Any] = field(default_factory=dict)
    real_notes: list[str] = field(default_factory=list)  # figures taken from the text, for the README
    indicators: dict[str, Any] = field(default_factory=dict)
    messy: dict[str, Any] = field(default_factory=dict)

    @property
    def data_month(self) -> int:
        """The last month of data (6 for ``2019-06``)."""
        return int(self.data_through.split("-")[1])

    @property
    def data_end(self) -> np.datetime64:
        """The last day of the data month."""
        m = self.data_month
        return np.datetime64(f"{self.year}-{m:02d}-{calendar.monthrange(self.year, m)[1]:02d}")

    @property
    def n_projects(self) -> int:
        return int(sum(u.projects for u in self.units))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SampleSpec:
        """Build a spec from a parsed YAML mapping."""
        d = dict(d)
        units = [UnitSpec(**u) for u in d.pop("units")]
        levels = [LevelSpec(**lv) for lv in d.pop("levels", [{"level": "city", "share": 1.0}])]
        d["data_through"] = str(d["data_through"])
        spec = cls(units=units, levels=levels, **d)
        if str(spec.year) != spec.data_through[:4]:
            raise ValueError(f"{spec.plan_id}: data_through {spec.data_through} is not in year {spec.year}")
        return spec

    @classmethod
    def load(cls, plan_id: str, directory: Path | None = None) -> SampleSpec:
        """Read ``params/samples/<plan_id>.yaml`` (or a path to a spec file)."""
        path = Path(plan_id)
        if path.suffix not in (".yaml", ".yml"):
            path = (directory or samples_dir()) / f"{plan_id}.yaml"
        if not path.exists():
            raise FileNotFoundError(f"没有样例数据规格 / no sample spec: {path.name}")
        with path.open(encoding="utf-8") as fh:
            return cls.from_dict(yaml.safe_load(fh))


@dataclass
class SampleData:
    """The contract tables of one plan's sample."""

    spec: SampleSpec
    ledger: pd.DataFrame
    progress: pd.DataFrame
    indicators: pd.DataFrame
    profiles: pd.DataFrame
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[c.id for c in TASK_COLUMNS]))


# --------------------------------------------------------------------------- helpers


def _rng(seed: int, *stream: int | str) -> np.random.Generator:
    """An independent, stable random stream for one part of the sample."""
    keys = [int(seed)] + [zlib.crc32(s.encode("utf-8")) if isinstance(s, str) else int(s) for s in stream]
    return np.random.default_rng(keys)


def _ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Vectorised date construction (datetime64[D]); day is clipped to 28."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + np.asarray(month, dtype=np.int64) - 1
    return np.asarray(months.astype("datetime64[M]").astype("datetime64[D]") + (np.minimum(np.asarray(day, dtype=np.int64), 28) - 1))


def _year_of(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[Y]").astype(np.int64) + 1970


def _month_of(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[M]").astype(np.int64) % 12 + 1


def _rank_within(groups: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank (0-based) of each element within its group, ordered by ``key``."""
    order = np.lexsort((key, groups))
    g = groups[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - first
    return rank


def _allocate(weights: np.ndarray, groups: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Split integer ``totals[g]`` over the members of each group in proportion to ``weights``
    (largest remainder), so every group sums exactly to its total."""
    gsum = np.bincount(groups, weights=weights, minlength=len(totals))
    raw = weights / gsum[groups] * totals[groups]
    floor = np.floor(raw)
    missing = np.rint(totals - np.bincount(groups, weights=floor, minlength=len(totals))).astype(np.int64)
    rank = _rank_within(groups, -(raw - floor))
    return np.asarray(floor + (rank < missing[groups]))


def _choose_exact(rng: np.random.Generator, mask: np.ndarray, k: int) -> np.ndarray:
    """A boolean mask selecting exactly ``k`` random elements where ``mask`` is true."""
    idx = np.flatnonzero(mask)
    out = np.zeros(len(mask), dtype=bool)
    out[rng.permutation(idx)[: min(k, len(idx))]] = True
    return out


def _cum_share(curve: Sequence[float]) -> np.ndarray:
    """Cumulative share at the end of months 0..12 (index 0 is 0)."""
    w = np.asarray(curve, dtype=float)
    return np.asarray(np.r_[0.0, np.cumsum(w) / w.sum()])


def _to_ns(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[ns]")


# --------------------------------------------------------------------------- ledger


def _skeleton(spec: SampleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Rows per unit, new-start flags, levels and batches (four-a-batch / 汉中 classes)."""
    counts = np.array([u.projects for u in spec.units], dtype=np.int64)
    unit_idx = np.repeat(np.arange(len(spec.units)), counts)
    n = len(unit_idx)
    unit_names = np.array([u.unit for u in spec.units], dtype=object)
    unit_kinds = np.array([u.kind for u in spec.units], dtype=object)
    df = pd.DataFrame({"unit": unit_names[unit_idx], "_kind": unit_kinds[unit_idx]})
    df["_unit_idx"] = unit_idx
    df["name"] = ""
    df["sector"] = ""
    df["chain"] = ""
    df["note"] = ""
    df["_usd"] = np.nan
    df["_below"] = False
    df["_fixed_sector"] = False

    # Overrides: named projects and foreign projects take the first free rows of their unit.
    batch = np.full(n, "", dtype=object)
    taken = np.zeros(n, dtype=bool)

    def take(unit: str) -> int:
        rows = np.flatnonzero((unit_names[unit_idx] == unit) & ~taken)
        if len(rows) == 0:
            raise ValueError(f"{spec.plan_id}: unit {unit} has no room for a named project")
        taken[rows[0]] = True
        return int(rows[0])

    for p in spec.named_projects:
        i = take(p["unit"])
        df.at[i, "name"] = p["name"]
        batch[i] = p.get("batch", "")
        if p.get("sector"):
            df.at[i, "sector"] = p["sector"]
            df.at[i, "_fixed_sector"] = True
        if p.get("chain"):
            df.at[i, "chain"] = p["chain"]
        df.at[i, "note"] = "原文点名项目（金额、日期为示意）"
    for p in spec.foreign_projects:
        i = take(p["unit"])
        batch[i] = p.get("batch", "start")
        df.at[i, "_usd"] = float(p["usd_wan"])
    free = ~taken

    if spec.class_mix:  # 汉中 2022: every row gets one of the five classes
        keys = list(spec.class_mix)
        mix = np.array([spec.class_mix[k] for k in keys], dtype=float)
        drawn = np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=mix / mix.sum())]
        batch = np.where(batch == "", drawn, batch)
        is_new = batch == "start"
        below = _choose_exact(rng, free & np.isin(batch, ("start", "advance", "complete")), spec.below_threshold_count)
        df["_below"] = below
    else:
        if all(u.new_starts is not None for u in spec.units):
            ns = np.array([u.new_starts for u in spec.units], dtype=np.int64)
            is_new = _rank_within(unit_idx, rng.random(n)) < ns[unit_idx]
        elif any(lv.new_starts is not None for lv in spec.levels):
            is_new = _choose_exact(rng, np.ones(n, bool), int(sum(lv.new_starts or 0 for lv in spec.levels)))
        else:
            is_new = rng.random(n) < spec.new_start_share
        # 竣工 (complete) batch: mostly continuing projects that finish this year.
        cont = ~is_new
        if spec.complete_count is not None:
            complete = _choose_exact(rng, cont, spec.complete_count)
            short = spec.complete_count - int(complete.sum())
            if short > 0:
                complete |= _choose_exact(rng, is_new, short)
        else:
            complete = cont & (rng.random(n) < spec.complete_share)
        batch = np.where(complete, "complete", "start").astype(object)
    df["is_new_start"] = is_new
    df["batch"] = batch

    # Levels: exact counts per level (new starts and others separately) or shares.
    if all(lv.projects is not None for lv in spec.levels):
        level = np.empty(n, dtype=object)
        for flag in (True, False):
            rows = rng.permutation(np.flatnonzero(is_new == flag))
            sizes = [(lv.new_starts or 0) if flag else (lv.projects or 0) - (lv.new_starts or 0) for lv in spec.levels]
            if sum(sizes) != len(rows):
                raise ValueError(f"{spec.plan_id}: level counts {sizes} do not match {len(rows)} rows (new start={flag})")
            level[rows] = np.repeat(np.array([lv.level for lv in spec.levels], dtype=object), sizes)
    else:
        shares = np.array([lv.share or 0.0 for lv in spec.levels], dtype=float)
        level = np.array([lv.level for lv in spec.levels], dtype=object)[rng.choice(len(shares), size=n, p=shares / shares.sum())]
    df["level"] = level

    # Extra 四个一批 rows (谋划/储备) outside the key-project list.
    extras = [(b, k) for b, k in spec.extra_batches.items() if k]
    if extras:
        m = sum(k for _, k in extras)
        eb = np.repeat(np.array([b for b, _ in extras], dtype=object), [k for _, k in extras])
        pick = rng.integers(0, len(spec.units), size=m)
        extra = pd.DataFrame(
            {
                "unit": unit_names[pick],
                "_kind": unit_kinds[pick],
                "_unit_idx": pick,
                "name": "",
                "sector": "",
                "chain": "",
                "note": np.where(eb == "plan", "四个一批谋划项目，不计入年度重点项目", "四个一批储备项目，不计入年度重点项目"),
                "_usd": np.nan,
                "_below": False,
                "_fixed_sector": False,
                "is_new_start": False,
                "batch": eb,
                "level": spec.levels[-1].level,
            }
        )
        df = pd.concat([df, extra], ignore_index=True)
    return df


def _annual_plan(df: pd.DataFrame, spec: SampleSpec, rng: np.random.Generator) -> np.ndarray:
    """Annual planned investment (万元), hitting the unit or level totals exactly."""
    n = len(df)
    active = ~df["batch"].isin(["plan", "reserve"]).to_numpy()
    w = rng.lognormal(0.0, 0.9, size=n)
    w = np.where(df["batch"].to_numpy() == "complete", w * 0.6, w)
    out = np.zeros(n)
    idx = np.flatnonzero(active)
    if all(u.annual_plan is not None for u in spec.units):
        groups = df["_unit_idx"].to_numpy()[idx]
        totals = np.array([u.annual_plan for u in spec.units], dtype=float)
    elif all(lv.annual_plan is not None for lv in spec.levels):
        lv_index = {lv.level: i for i, lv in enumerate(spec.levels)}
        li = df["level"].map(lv_index).to_numpy()[idx]
        new = df["is_new_start"].to_numpy()[idx]
        groups = li * 2 + np.where(new, 1, 0)
        totals = np.zeros(2 * len(spec.levels))
        for i, lv in enumerate(spec.levels):
            if lv.new_start_annual_plan is not None:
                totals[2 * i + 1] = lv.new_start_annual_plan
                totals[2 * i] = float(lv.annual_plan or 0) - lv.new_start_annual_plan
            else:  # one pool per level: put everything in the "not new" slot
                totals[2 * i] = float(lv.annual_plan or 0)
                groups = np.where(groups // 2 == i, 2 * i, groups)
    else:
        out[idx] = np.maximum(np.rint(w[idx] * spec.annual_plan_median), 100.0)
        return out
    out[idx] = _allocate(w[idx], groups, np.rint(totals))
    return out


def _dates(df: pd.DataFrame, spec: SampleSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Planned/actual start and completion and the four procedure dates (datetime64[D], NaT)."""
    n = len(df)
    y = spec.year
    end = spec.data_end
    jan1 = np.datetime64(f"{y}-01-01")
    nat = np.datetime64("NaT", "D")
    batch = df["batch"].to_numpy()
    is_new = df["is_new_start"].to_numpy(dtype=bool)
    day = rng.integers(1, 29, size=n)
    sw = np.asarray(spec.new_start_month_weights, dtype=float)
    new_month = rng.choice(12, size=n, p=sw / sw.sum()) + 1
    any_month = rng.integers(1, 13, size=n)

    # Planned start year by batch.
    start_year = np.where(is_new, y, y - rng.integers(1, 4, size=n))
    start_year = np.where(batch == "plan", y + rng.integers(2, 4, size=n) if spec.class_mix else y + rng.integers(1, 3, size=n), start_year)
    start_year = np.where(batch == "reserve", y + 1, start_year)
    start_month = np.where(start_year == y, new_month, any_month)
    planned_start = _ymd(start_year, start_month, day)

    # Planned completion: this year for 竣工, later for the rest.
    lo = np.where(start_year == y, np.minimum(start_month + 2, 12), 3)
    comp_month_this = lo + np.floor(rng.random(n) * (13 - lo)).astype(np.int64)
    comp_year = np.where(batch == "complete", y, np.maximum(start_year, y) + rng.integers(1, 4, size=n))
    comp_month = np.where(batch == "complete", comp_month_this, rng.integers(1, 13, size=n))
    if spec.start_complete_count:
        quick = _choose_exact(rng, is_new & (batch == "start") & (start_month <= 6), spec.start_complete_count)
        comp_year = np.where(quick, y, comp_year)
        comp_month = np.where(quick, np.minimum(start_month + 5, 12), comp_month)
    planned_completion = _ymd(comp_year, comp_month, rng.integers(1, 29, size=n))
    planned_completion = np.maximum(planned_completion, planned_start + 60)

    # Actual start.
    late = rng.random(n) < spec.late_start_prob
    lag = np.where(late, rng.integers(15, 121, size=n), rng.integers(-10, 9, size=n))
    actual_start = planned_start + lag
    in_year = planned_start >= jan1
    actual_start = np.where(in_year, np.maximum(actual_start, jan1 + 1), actual_start)
    stuck = in_year & (rng.random(n) < spec.not_started_prob)
    actual_start = np.where(stuck | (actual_start > end), nat, actual_start)
    actual_start = np.where(np.isin(batch, ("plan", "reserve")), nat, actual_start)
    if spec.extra_reserve_started_share:
        early = (batch == "reserve") & (rng.random(n) < spec.extra_reserve_started_share)
        span = int((end - jan1).astype(np.int64))
        actual_start = np.where(early, jan1 + rng.integers(30, max(span, 31), size=n), actual_start)

    target = spec.real.get("not_started_new_starts")
    if target is not None:  # hit the real count exactly: the latest starters are the ones not started
        new_idx = np.flatnonzero(is_new)
        key = np.where(np.isnat(actual_start[new_idx]), np.int64(1 << 40), actual_start[new_idx].astype(np.int64))
        key = key * 1000 + rng.integers(0, 1000, size=len(new_idx))
        order = new_idx[np.argsort(-key, kind="stable")]
        actual_start[order[: int(target)]] = nat
        rest = order[int(target) :]
        fix = rest[np.isnat(actual_start[rest]) | (actual_start[rest] > end)]
        actual_start[fix] = np.minimum(planned_start[fix], end - rng.integers(1, 25, size=len(fix)))
        actual_start[fix] = np.maximum(actual_start[fix], jan1 + 1)

    # Actual completion: due by the data month, most on time, some slip (NaT).
    due = (planned_completion <= end) & ~np.isnat(actual_start)
    slipped = rng.random(n) < spec.slip_prob
    actual_completion = planned_completion + rng.integers(-20, 16, size=n)
    actual_completion = np.minimum(np.maximum(actual_completion, actual_start + 30), end)
    actual_completion = np.where(due & ~slipped, actual_completion, nat)

    # Procedures, mostly done before the start; some missing, some after the start.
    ref = np.where(np.isnat(actual_start), planned_start, actual_start)
    started = ~np.isnat(actual_start)
    base_miss = np.where(started, spec.procedure_missing_prob * 0.5, spec.procedure_missing_prob * 3 + 0.1)
    base_miss = np.where(batch == "plan", 0.75, np.where(batch == "reserve", 0.4, base_miss))
    procs: dict[str, np.ndarray] = {}
    for j, col in enumerate(("proc_planning", "proc_land", "proc_eia", "proc_energy")):
        d = ref - rng.integers(15, 241, size=n)
        after = rng.random(n) < 0.05
        d = np.where(after, ref + rng.integers(5, 61, size=n), d)
        miss = rng.random(n) < (base_miss + (0.06 if col == "proc_energy" else 0.0) + 0.02 * j)
        procs[col] = np.where(miss | (d > end), nat, d)
    return {
        "planned_start": planned_start,
        "actual_start": actual_start,
        "planned_completion": planned_completion,
        "actual_completion": actual_completion,
        **procs,
    }


def _names(df: pd.DataFrame, spec: SampleSpec, rng: np.random.Generator, fast: bool) -> np.ndarray:
    """Plausible project names (unique), keeping the named ones."""
    n = len(df)
    if fast:
        return np.asarray(("示意项目" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(6)).to_numpy(dtype=object))
    names = df["name"].to_numpy(dtype=object).copy()
    kind = df["_kind"].to_numpy()
    prefix = np.where(np.isin(kind, ("county", "town", "park")), df["unit"].to_numpy(dtype=object), spec.jurisdiction)
    stems = np.empty(n, dtype=object)
    sector = df["sector"].to_numpy()
    chain = df["chain"].to_numpy()
    for s, options in _NAME_STEMS.items():
        rows = np.flatnonzero(sector == s)
        stems[rows] = np.array(options, dtype=object)[rng.integers(0, len(options), size=len(rows))]
    use_chain = (chain != "") & (rng.random(n) < 0.4)
    stems = np.where(use_chain, chain.astype(object) + "产业园", stems)
    gen = prefix.astype(object) + stems + "项目"
    usd = df["_usd"].to_numpy()
    gen = np.where(~np.isnan(usd), prefix.astype(object) + "外资" + stems + "项目", gen)
    names = np.where(names == "", gen, names)
    k = pd.Series(names).groupby(names).cumcount().to_numpy()
    suffix = np.array(_ORDINALS, dtype=object)[np.minimum(k, len(_ORDINALS) - 1)]
    suffix = np.where(k >= len(_ORDINALS) - 1, "（" + pd.Series(k + 1).astype(str).to_numpy(dtype=object) + "期）", suffix)
    return np.asarray(names + suffix)


def _calibrate_infrastructure(
    sector: np.ndarray, annual: np.ndarray, active: np.ndarray, free: np.ndarray, amount: float, rng: np.random.Generator
) -> np.ndarray:
    """Sectors such that the active 基础设施 projects carry about ``amount`` of annual plan (万元, never
    more): a random prefix of the ``free`` projects (active, not industry, sector not fixed) is 基础设施,
    the rest of them 社会事业 or 生态环保. Active projects with a fixed sector keep it and count.

    >>> s = np.array(["基础设施"] * 4, dtype=object)
    >>> out = _calibrate_infrastructure(s, np.array([10.0, 10, 10, 10]), np.full(4, True), np.full(4, True), 25.0, np.random.default_rng(1))
    >>> int((out == "基础设施").sum()), set(out) - {"基础设施"} <= {"社会事业", "生态环保"}
    (2, True)
    """
    out = sector.copy()
    fixed_infra = annual[active & ~free & (sector == "基础设施")].sum()
    rows = rng.permutation(np.flatnonzero(free))
    keep = np.cumsum(annual[rows]) <= max(amount - fixed_infra, 0.0)
    out[rows[keep]] = "基础设施"
    others = np.array(_OTHER_SECTORS[1:], dtype=object)
    out[rows[~keep]] = others[rng.integers(0, len(others), size=int((~keep).sum()))]
    return out


def generate_ledger_frame(spec: SampleSpec, *, fast_names: bool = False) -> pd.DataFrame:
    """The project ledger of ``spec`` in contract columns (ids of ``LEDGER_COLUMNS``)."""
    rng = _rng(spec.seed, "ledger")
    df = _skeleton(spec, rng)
    n = len(df)
    batch = df["batch"].to_numpy()
    active = ~np.isin(batch, ("plan", "reserve"))

    # Sector, industry flag and chain.
    fixed = df["_fixed_sector"].to_numpy(dtype=bool)
    is_ind = rng.random(n) < spec.industry_share
    is_ind = np.where(fixed, np.isin(df["sector"].to_numpy(), _INDUSTRY_SECTORS), is_ind)
    ind_sec = np.array(_INDUSTRY_SECTORS, dtype=object)[rng.choice(3, size=n, p=_INDUSTRY_SECTOR_P)]
    oth_sec = np.array(_OTHER_SECTORS, dtype=object)[rng.choice(3, size=n, p=_OTHER_SECTOR_P)]
    df["sector"] = np.where(fixed, df["sector"].to_numpy(dtype=object), np.where(is_ind, ind_sec, oth_sec))
    df["is_industry"] = is_ind
    if spec.chains:
        on_chain = is_ind & (rng.random(n) < spec.chain_share)
        drawn = np.array(spec.chains, dtype=object)[rng.integers(0, len(spec.chains), size=n)]
        chain = df["chain"].to_numpy(dtype=object)
        df["chain"] = np.where(chain != "", chain, np.where(on_chain, drawn, ""))

    annual = _annual_plan(df, spec, rng)
    if spec.infrastructure_plan_share is not None:
        df["sector"] = _calibrate_infrastructure(
            df["sector"].to_numpy(dtype=object),
            annual,
            active,
            active & ~fixed & ~is_ind,
            spec.infrastructure_plan_share * annual[active].sum(),
            _rng(spec.seed, "infrastructure"),
        )

    # Ownership: from the mix, or calibrated so private projects carry a given share of the plan.
    keys = list(spec.ownership_mix)
    p = np.array([spec.ownership_mix[k] for k in keys], dtype=float)
    own = np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]
    if spec.private_investment_share is not None:
        others = [k for k in keys if k != "private"]
        q = np.array([spec.ownership_mix[k] for k in others], dtype=float)
        own = np.array(others, dtype=object)[rng.choice(len(others), size=n, p=q / q.sum())]
        perm = rng.permutation(np.flatnonzero(active))
        cum = np.cumsum(annual[perm])
        own[perm[cum <= spec.private_investment_share * annual[active].sum()]] = "private"
    usd = df["_usd"].to_numpy()
    own = np.where(~np.isnan(usd), "foreign", own)
    df["ownership"] = own

    # Total investment ≥ annual plan.
    mult = np.where(
        batch == "complete", rng.uniform(1.0, 2.5, n), np.where(df["is_new_start"].to_numpy(dtype=bool), rng.uniform(1.3, 4.0, n), rng.uniform(2.0, 6.0, n))
    )
    total = np.rint(annual * mult)
    total = np.where(active, total, np.rint(rng.lognormal(np.log(50000.0), 0.8, n)))
    if spec.class_mix:  # the 汉中 2022 list: ≥1亿元 except the designated small ones
        below = df["_below"].to_numpy(dtype=bool)
        total = np.where(below, np.rint(rng.uniform(2000, 9500, n)), np.maximum(total, np.rint(rng.uniform(10000, 15000, n))))
    fx = ~np.isnan(usd)
    total = np.where(fx, np.round(usd * spec.cny_per_usd, 2), total)
    annual = np.where(active, np.minimum(annual, np.where(df["_below"].to_numpy(dtype=bool) | fx, np.rint(total * 0.6), annual)), 0.0)
    annual = np.minimum(annual, total)
    df["total_investment"] = total.astype(float)
    df["annual_plan"] = annual.astype(float)

    dates = _dates(df, spec, rng)
    for col, arr in dates.items():
        df[col] = _to_ns(arr)

    # Investment attraction: signed projects and their land approval (招商引资落地率).
    cand = np.isin(own, ("private", "foreign")) & is_ind & active
    if spec.signed_count is not None:
        signed = _choose_exact(rng, cand, spec.signed_count)
        if signed.sum() < spec.signed_count:
            signed |= _choose_exact(rng, active & ~signed, spec.signed_count - int(signed.sum()))
    else:
        signed = cand & (rng.random(n) < spec.signed_share)
    n_signed = int(signed.sum())
    k_land = int(np.floor(spec.land_approved_rate * n_signed + 0.5))
    started_first = np.where(np.isnat(dates["actual_start"]), 1.0, 0.0) + rng.random(n)
    sidx = np.flatnonzero(signed)
    land = np.zeros(n, dtype=bool)
    land[sidx[np.argsort(started_first[sidx], kind="stable")[:k_land]]] = True
    df["is_signed"] = pd.array(signed, dtype="boolean")
    df["land_approved"] = pd.array(np.where(signed, land, False), dtype="boolean")
    df.loc[~signed, "land_approved"] = pd.NA

    # Profit-and-tax rate of completed industry projects (项目效益).
    done = ~np.isnat(dates["actual_completion"]) & is_ind
    df["profit_tax_rate"] = np.where(done, np.round(rng.uniform(3.0, 22.0, n), 1) / 100.0, np.nan)

    # Notes for the special rows.
    note = df["note"].to_numpy(dtype=object)
    foreign = own == "foreign"
    df["total_investment_usd"] = np.where(fx, usd, np.where(foreign, np.round(total / spec.cny_per_usd), np.nan))
    note = np.where(foreign & (note == ""), f"外资项目：总投资按1美元={spec.cny_per_usd:g}元人民币折算为万元（示意）", note)
    note = np.where(df["_below"].to_numpy(dtype=bool), "总投资不足1亿元", note)
    df["note"] = note

    df["name"] = _names(df, spec, rng, fast_names)
    order = np.lexsort((rng.random(len(df)), np.isin(batch, ("plan", "reserve")), df["_unit_idx"].to_numpy()))
    df = df.iloc[order].reset_index(drop=True)
    width = max(4, len(str(len(df))))
    df["project_id"] = spec.id_prefix + "-" + pd.Series(np.arange(1, len(df) + 1)).astype(str).str.zfill(width)
    df["level"] = df["level"].astype(str)
    df["is_new_start"] = df["is_new_start"].astype(bool)
    df["is_industry"] = df["is_industry"].astype(bool)
    return df[[c.id for c in LEDGER_COLUMNS]]


# --------------------------------------------------------------------------- progress


def _month_progress_matrix(ledger: pd.DataFrame, year: int, months: int, curve: Sequence[float], factor: np.ndarray) -> np.ndarray:
    """Unrounded cumulative completed investment, shape (n projects, months)."""
    C = _cum_share(curve)
    ps = ledger["planned_start"].to_numpy().astype("datetime64[D]")
    acts = ledger["actual_start"].to_numpy().astype("datetime64[D]")
    pc = ledger["planned_completion"].to_numpy().astype("datetime64[D]")
    annual = ledger["annual_plan"].to_numpy(dtype=float)
    total = ledger["total_investment"].to_numpy(dtype=float)

    def month_in_year(d: np.ndarray, before: int, after: int, nat: int) -> np.ndarray:
        yy = _year_of(d)
        m = np.where(yy < year, before, np.where(yy > year, after, _month_of(d)))
        return np.where(np.isnat(d), nat, m)

    s_plan = month_in_year(ps, 0, 13, 13)
    s_act = month_in_year(acts, 0, 13, 13)
    e = np.maximum(month_in_year(pc, 12, 12, 12), np.minimum(s_plan, 12))
    base = C[np.clip(s_plan - 1, 0, 12)]
    denom = np.maximum(C[e] - base, 1e-9)
    start_base = C[np.clip(s_act - 1, 0, 12)]
    m = np.arange(1, months + 1)
    num = C[m][None, :] - start_base[:, None]
    num = np.where(m[None, :] >= s_act[:, None], num, 0.0)
    g = np.clip(num / denom[:, None], 0.0, 1.0)
    cum = (annual * factor)[:, None] * g
    return np.asarray(np.minimum(cum, total[:, None]))


def generate_progress(ledger: pd.DataFrame, spec: SampleSpec) -> pd.DataFrame:
    """Monthly cumulative completed investment, January to the data month (contract columns).

    Non-decreasing per project, 0 before the actual start; projects run behind or
    ahead of the seasonal curve. With ``real.completed_cum_total`` in the spec the
    sum at the data month is scaled to that figure exactly (to 0.01万元).
    """
    rng = _rng(spec.seed, "progress")
    n = len(ledger)
    factor = np.clip(rng.lognormal(0.0, 0.22, n), 0.3, 1.7)
    raw = _month_progress_matrix(ledger, spec.year, spec.data_month, spec.seasonal_curve, factor)
    target = spec.real.get("completed_cum_total")
    cum = np.round(raw, 2)
    if target is not None:
        k = float(target) / raw[:, -1].sum()
        cum = np.round(np.minimum(raw * k, ledger["total_investment"].to_numpy(dtype=float)[:, None]), 2)
        residual = round(float(target) - float(cum[:, -1].sum()), 2)
        j = int(np.argmax(cum[:, -1]))  # the largest project absorbs the rounding residual
        cum[j, -1] = round(cum[j, -1] + residual, 2)
    return _progress_frame(ledger["project_id"].to_numpy(dtype=object), spec.year, cum)


def _progress_frame(ids: np.ndarray, year: int, cum: np.ndarray) -> pd.DataFrame:
    n, months = cum.shape
    labels = np.array([f"{year}-{m:02d}" for m in range(1, months + 1)], dtype=object)
    return pd.DataFrame(
        {
            "project_id": np.repeat(ids, months),
            "month": np.tile(labels, n),
            "completed_cum": cum.reshape(-1),
        }
    )[[c.id for c in PROGRESS_COLUMNS]]


# --------------------------------------------------------------------------- indicators


def plan_indicators(plan_id: str, plans_dir: Path | None = None) -> tuple[list[str], dict[str, float]]:
    """Indicators that a plan's statistics targets use (``basis: statistics``).

    Returns the indicator ids (a share target gives its numerator and denominator,
    from the indicator catalogue) and the growth target values as fractions. A missing
    or unreadable plan file gives nothing: the spec's own list is used then.
    """
    from hzlib.plan.indicators import INDICATORS

    path = (plans_dir or project().plans_dir) / f"{plan_id}.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        targets = list(data.get("targets") or [])
        year = int(data["year"])
    except (OSError, yaml.YAMLError, TypeError, ValueError, KeyError):
        return [], {}
    out: list[str] = []
    growth: dict[str, float] = {}
    for t in targets:
        if not isinstance(t, dict) or t.get("basis") != "statistics" or t.get("year") not in (None, year):
            continue
        ind = str(t.get("indicator", ""))
        if t.get("measure") == "share":
            share_of = INDICATORS[ind].share_of if ind in INDICATORS else None
            if share_of is not None:
                out += [share_of[1], share_of[0]]
        elif t.get("measure") == "growth":
            out.append(ind)
            if isinstance(t.get("value"), (int, float)) and ind not in growth:
                growth[ind] = float(t["value"]) / 100.0
        else:
            out.append(ind)
    return list(dict.fromkeys(out)), growth


def generate_indicators(spec: SampleSpec, plans_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregate indicators (cumulative level and growth) and last year's quarterly profiles.

    Jurisdictions: the plan's own and its units of the kinds listed in
    ``indicators.jurisdiction_kinds``. Each (jurisdiction, indicator) has its own
    random stream, so adding an indicator does not change the others.
    """
    conf = spec.indicators
    from_plan, plan_growth = plan_indicators(spec.plan_id, plans_dir)
    inds = list(dict.fromkeys(["fai", *conf.get("list", DEFAULT_INDICATORS), *from_plan]))
    growth_conf = {k: float(v) / 100.0 for k, v in (conf.get("growth") or {}).items()}
    shares = {**_DEFAULT_SHARES, **(conf.get("shares") or {})}
    kinds = set(conf.get("jurisdiction_kinds") or [])
    jurisdictions = [spec.jurisdiction] + [u.unit for u in spec.units if u.kind in kinds]
    fai_base = float(conf.get("fai_base", 5_000_000))
    freq = conf.get("frequency", "quarter")
    M = spec.data_month
    if freq == "month":
        first = int(conf.get("first_month", 2))
        periods = [(m, f"{spec.year}-{m:02d}") for m in range(first, M + 1)]
    else:
        periods = [(m, f"{spec.year}Q{m // 3}") for m in (3, 6, 9, 12) if m <= M]
    real = {(r["jurisdiction"], str(r["period"]), r["indicator"]): r for r in spec.real.get("indicators", [])}
    curve = np.asarray(spec.seasonal_curve, dtype=float)

    # County bases: shares of the city (they need not add up, as in real statistics).
    wj = _rng(spec.seed, "jurisdictions").dirichlet(np.full(max(len(jurisdictions) - 1, 1), 3.0)) * 0.95
    base_of = {spec.jurisdiction: fai_base, **{j: fai_base * float(w) for j, w in zip(jurisdictions[1:], wj)}}

    rows: list[dict[str, Any]] = []
    prof: list[dict[str, Any]] = []
    for j in jurisdictions:
        B_fai: np.ndarray | None = None
        for ind in inds:
            r = _rng(spec.seed, "indicator", j, ind)
            if ind == "fai":
                w = curve * r.uniform(0.9, 1.1, 12)
                B = base_of[j] * w / w.sum()
                B_fai = B
            elif B_fai is not None and ind in shares:
                B = B_fai * shares[ind] * r.uniform(0.85, 1.15) * r.uniform(0.95, 1.05, 12)
            else:
                w = curve * r.uniform(0.85, 1.15, 12)
                B = base_of[j] * 0.08 * r.uniform(0.5, 1.5) * w / w.sum()
            g0 = growth_conf.get(ind, plan_growth.get(ind, 0.08))
            spread = 0.015 if j == spec.jurisdiction else 0.035
            g = g0 + r.normal(0.0, spread) + np.cumsum(r.normal(0.0, 0.012, 12))[::-1] * 0.5
            A = B * (1.0 + g)
            for (rj, rp, ri), rec in real.items():
                if rj == j and ri == ind:
                    k = int(str(rp).split("-")[1]) if "-" in str(rp) else 3 * int(str(rp)[-1])
                    A[k - 1] = (1.0 + float(rec["cum_yoy"]) / 100.0) * B[:k].sum() - A[: k - 1].sum()
            cA, cB = np.cumsum(A), np.cumsum(B)
            for m, label in periods:
                rec = real.get((j, label, ind))
                pct = float(rec["cum_yoy"]) if rec else round(100.0 * (cA[m - 1] / cB[m - 1] - 1.0), 1)
                rows.append(
                    {
                        "jurisdiction": j,
                        "period": label,
                        "indicator": ind,
                        "level": round(float(cA[m - 1]), 2),
                        "cum_yoy": round(pct, 1) / 100.0,
                        "source": rec["source"] if rec else SYNTHETIC_SOURCE,
                    }
                )
            q = B.reshape(4, 3).sum(axis=1)
            prof.append({"jurisdiction": j, "indicator": ind, "year": spec.year - 1, **{f"q{i + 1}": round(float(q[i]), 2) for i in range(4)}})
    ind_df = pd.DataFrame(rows, columns=[c.id for c in INDICATOR_COLUMNS])
    prof_df = pd.DataFrame(prof, columns=[c.id for c in PROFILE_COLUMNS])
    return ind_df, prof_df


# --------------------------------------------------------------------------- whole sample


#: Share of reportable targets left unreported in a sample (so reports show what 无数据 looks like).
UNREPORTED_SHARE = 0.15


def _duty_count(t: Target, period: Period, rng: np.random.Generator) -> float | None:
    """An illustrative cumulative count of a recurring duty since its start, at ``period``'s end:
    the times due (value × whole periods elapsed), one short in about a quarter of the
    cases; None when the duty starts after the period."""
    from hzlib.targets import periods_elapsed

    assert t.frequency is not None and t.value is not None
    start = t.frequency.start or dt.date(period.year, 1, 1)
    if start > period.end_date:
        return None
    due = math.ceil(float(t.value) * periods_elapsed(t.frequency.per, start, period.end_date) - 1e-9)
    short = 1 if due >= 1 and rng.random() < 0.25 else 0
    return float(max(0, due - short))


def _coverage_share(in_force: bool, rng: np.random.Generator) -> float:
    """An illustrative coverage in %: once due, 100 in most cases, otherwise a little below
    (90–99.5); before its deadline, part of the way (55–95)."""
    if not in_force:
        return float(np.round(rng.uniform(55.0, 95.0), 1))
    return 100.0 if rng.random() < 0.6 else float(np.round(rng.uniform(90.0, 99.5), 1))


def generate_tasks(spec: SampleSpec, indicators: pd.DataFrame, plans_dir: Path | None = None) -> pd.DataFrame:
    """Illustrative reported values for the targets the other tables cannot measure.

    For each target neither the ledger nor ``indicators`` measures
    (:func:`hzlib.tasks.reportable_targets`), a value near its checkpoint at the data quarter (or near the time-progress share of the
    annual value when nothing is due yet): counts and amounts 75–125% of it,
    percentages within a few points. Recurring duties (``measure: frequency``) report the
    cumulative count since the duty's start (:func:`_duty_count`), coverage duties a
    share of 100 or a little below (:func:`_coverage_share`). About
    :data:`UNREPORTED_SHARE` of them stay unreported. Every row's 数据来源 is 示意数据.
    """
    from hzlib.errors import InputError
    from hzlib.plan import load_plan
    from hzlib.plan.schema import Measure
    from hzlib.targets import checkpoints_frame, quarter_period
    from hzlib.tasks import reportable_targets
    from hzlib.units import COUNT_UNITS

    cols = [c.id for c in TASK_COLUMNS]
    try:
        plan = load_plan(spec.plan_id, plans_dir)
    except (InputError, OSError):  # a spec without a (valid) plan file has no targets to report
        return pd.DataFrame(columns=cols)
    q = spec.data_month // 3
    if q < 1:
        return pd.DataFrame(columns=cols)
    period = quarter_period(plan.year, f"{spec.year}Q{q}")
    frame = checkpoints_frame(plan, period).set_index("target_id")
    checkpoints, in_force = frame["checkpoint"], frame["is_checkpoint"]
    rows = []
    for t in reportable_targets(plan, set(indicators["indicator"].astype(str))):
        rng = _rng(spec.seed, "task", t.id)
        if rng.random() < UNREPORTED_SHARE:
            continue
        cp = checkpoints.get(t.id)
        base = cp if cp is not None and not pd.isna(cp) else (t.value or 0.0) * (1.0 if t.is_percent else float(period.progress))
        if t.measure is Measure.FREQUENCY:
            count = _duty_count(t, period, rng)
            if count is None:  # the duty starts after the period: nothing to report yet
                continue
            v = count
        elif t.measure is Measure.COVERAGE:
            v = _coverage_share(bool(in_force.get(t.id, True)), rng)
        elif t.measure is Measure.DEADLINE and t.value is None:  # a task with no number: done (1) or not yet (0)
            v = float(rng.random() < 0.8)
        elif t.is_percent:
            hi = 100.0 if t.measure in (Measure.RATE, Measure.SHARE, Measure.DEADLINE) else None
            v = float(np.round(base + rng.normal(0.0, 3.0), 1))
            v = min(max(v, 0.0), hi) if hi is not None else v
        elif t.measure is Measure.COUNT or t.unit in COUNT_UNITS:
            v = float(max(0, round(base * rng.uniform(0.75, 1.25))))
        else:
            v = float(np.round(base * rng.uniform(0.75, 1.25), 2))
        rows.append(
            {
                "target_id": t.id,
                "label": t.label,
                "period": period.label(),
                "value": v,
                "unit": t.unit,
                "jurisdiction": t.scope.jurisdiction,
                "source": SYNTHETIC_SOURCE,
                "note": "",
            }
        )
    return pd.DataFrame(rows, columns=cols)


def generate_sample(spec: SampleSpec | str, *, plans_dir: Path | None = None) -> SampleData:
    """All tables for one plan (a spec or a plan id with a spec in ``params/samples``)."""
    if isinstance(spec, str):
        spec = SampleSpec.load(spec)
    ledger = generate_ledger_frame(spec)
    progress = generate_progress(ledger, spec)
    indicators, profiles = generate_indicators(spec, plans_dir)
    tasks = generate_tasks(spec, indicators, plans_dir)
    return SampleData(spec, ledger, progress, indicators, profiles, tasks)


def generate_ledger(n_projects: int, year: int, seed: int, *, months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fast path for benchmarks: ``n_projects`` illustrative projects and ``months`` of progress.

    Uses the same vectorised code as the bundled samples with generic units
    (单位001…) and simple names (示意项目000001…).
    """
    if n_projects < 1:
        raise ValueError("n_projects must be positive")
    if not 1 <= months <= 12:
        raise ValueError("months must be 1..12")
    n_units = int(min(max(n_projects // 200, 1), 500))
    counts = np.random.default_rng([seed, 1]).multinomial(n_projects, np.full(n_units, 1.0 / n_units))
    units = [UnitSpec(f"单位{i + 1:03d}", "county", int(c)) for i, c in enumerate(counts) if c > 0]
    spec = SampleSpec(
        plan_id="benchmark",
        jurisdiction="示意市",
        year=year,
        data_through=f"{year}-{months:02d}",
        seed=seed,
        units=units,
        levels=[LevelSpec("province", share=0.1), LevelSpec("city", share=0.5), LevelSpec("county", share=0.4)],
        id_prefix=f"B{year}",
        chains=["装备制造", "新材料", "绿色食品", "生物医药", "电子信息", "文化旅游"],
    )
    ledger = generate_ledger_frame(spec, fast_names=True)
    rng = _rng(seed, "progress")
    factor = np.clip(rng.lognormal(0.0, 0.22, len(ledger)), 0.3, 1.7)
    cum = np.round(_month_progress_matrix(ledger, year, months, spec.seasonal_curve, factor), 2)
    return ledger, _progress_frame(ledger["project_id"].to_numpy(dtype=object), year, cum)


# --------------------------------------------------------------------------- files


def _fmt_money(x: pd.Series) -> pd.Series:
    v = x.to_numpy(dtype=float)
    whole = np.isclose(v, np.round(v), rtol=0, atol=1e-9)
    out = np.where(whole, pd.Series(np.round(v)).map(lambda t: "" if t != t else f"{t:.0f}"), pd.Series(v).map(lambda t: f"{t:.2f}"))
    return pd.Series(np.where(np.isnan(v), "", out), index=x.index)


def _fmt_dates(x: pd.Series, rng: np.random.Generator | None) -> pd.Series:
    iso = x.dt.strftime("%Y-%m-%d").fillna("")
    if rng is None:
        return iso
    y = x.dt.year.astype("Int64").astype(str)
    m = x.dt.month.astype("Int64").astype(str)
    d = x.dt.day.astype("Int64").astype(str)
    slash = y + "/" + m + "/" + d
    zh = y + "年" + m + "月" + d + "日"
    pick = rng.integers(0, 3, size=len(x))
    out = np.where(pick == 0, iso, np.where(pick == 1, slash, zh))
    return pd.Series(np.where(x.isna(), "", out), index=x.index)


def _fmt_bool(x: pd.Series) -> pd.Series:
    return x.map(lambda b: "" if b is pd.NA or b is None or (isinstance(b, float) and b != b) else ("是" if b else "否"))


def to_file_frame(df: pd.DataFrame, columns: Iterable[Column], *, mixed_dates_rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Format a contract table as it is written in files: Chinese headers, percent
    numbers, Chinese category labels, 是/否, money without trailing zeros."""
    out: dict[str, pd.Series] = {}
    for c in columns:
        s = df[c.id]
        if c.kind == "number":
            out[c.zh] = s.map(lambda v: "" if v is None or v != v else fmt_number(float(v), 4).replace(",", ""))
        elif c.kind in ("money", "usd"):
            out[c.zh] = _fmt_money(s)
        elif c.kind == "percent":
            v = pd.Series(np.round(s.to_numpy(dtype=float) * 100.0, 1), index=s.index)
            out[c.zh] = v.map(lambda t: "" if t != t else f"{t:.1f}")
        elif c.kind == "date":
            out[c.zh] = _fmt_dates(s, mixed_dates_rng)
        elif c.kind == "bool":
            out[c.zh] = _fmt_bool(s)
        elif c.kind == "category" and c.id in _CATEGORY_ZH:
            out[c.zh] = s.map(_CATEGORY_ZH[c.id])
        else:
            out[c.zh] = s.astype(str).where(s.notna(), "")
    return pd.DataFrame(out)


def _csv_text(frame: pd.DataFrame, *, title: str | None = None, totals: Sequence[str] | None = None, newline: str = "\n") -> str:
    ncol = frame.shape[1]
    body = frame.to_csv(index=False, lineterminator=newline)
    head = (title + "," * (ncol - 1) + newline) if title else ""
    tail = (",".join(totals) + newline) if totals else ""
    return head + str(body) + tail


def _readme(data: SampleData, files: dict[str, str], messy: bool) -> str:
    s, led, prog = data.spec, data.ledger, data.progress
    key = led[~led["batch"].isin(["plan", "reserve"])]
    last = prog[prog["month"] == s.data_through]
    done_sum = float(last["completed_cum"].sum())
    new_starts = key[key["is_new_start"]]
    not_started = int(new_starts["actual_start"].isna().sum())
    lines = [
        f"# 数据说明：{s.plan_id}（{s.jurisdiction} {s.year}年）",
        "",
        "**示意数据，非真实统计。** 本目录由 `hz sample "
        + s.plan_id
        + "` 按 `params/samples/"
        + s.plan_id
        + ".yaml`（随机种子 "
        + str(s.seed)
        + "）确定性生成；除下文“真实数字”所列外，"
        "项目名称、金额、日期、指标数值均为示意，仅用于演示和测试。",
        "",
        f"数据截至 {s.data_through}（项目进度按月累计，自 {s.year}-01 起）。金额单位：万元；增速、比率单位：%（9.2 表示 9.2%）。",
        "",
        "## 真实数字（来自原文）",
        "",
    ]
    real = s.real
    lines += [f"- {t}" for t in s.real_notes]
    if real:
        if "completed_cum_total" in real:
            plan_sum = float(key["annual_plan"].sum())
            lines.append(
                f"- {s.data_through} 全部重点项目累计完成投资 {float(real['completed_cum_total']):.0f} 万元"
                f"（本数据合计 {done_sum:.2f} 万元，占年度计划 {done_sum / plan_sum:.2%}）。来源：安政办发〔2019〕36号。"
            )
        if "not_started_new_starts" in real:
            lines.append(
                f"- 新开工项目中截至 {s.data_through} 未开工 {real['not_started_new_starts']} 个"
                f"（本数据 {not_started} 个，`实际开工时间` 为空）。来源：安政办发〔2019〕36号。"
            )
        for r in real.get("indicators", []):
            lines.append(
                f"- {r['jurisdiction']} {r['period']} 指标 `{r['indicator']}` 累计同比增速 {r['cum_yoy']}%"
                f"（`数据来源` = {r['source']}；该行只有增速是真实的，`累计值` 为与示意基数一致的示意数）。"
            )
    elif not s.real_notes:
        lines.append("- 无。")
    lines += ["", "## 计数与合计", ""]
    lines.append(f"- 重点项目 {len(key)} 个，其中计划新开工 {int(key['is_new_start'].sum())} 个；年度计划投资合计 {key['annual_plan'].sum():.0f} 万元。")
    lvl = key.groupby("level").agg(n=("project_id", "size"), new=("is_new_start", "sum"), plan=("annual_plan", "sum"))
    for lv, r in lvl.iterrows():
        lines.append(f"  - {LEVEL_ZH.get(str(lv), lv)}：{int(r['n'])} 个，新开工 {int(r['new'])} 个，年度计划 {r['plan']:.0f} 万元")
    if s.stated_totals:
        st = s.stated_totals
        rows_p = sum(u.projects for u in s.units)
        rows_n = sum(u.new_starts or 0 for u in s.units)
        rows_a = sum(u.annual_plan or 0 for u in s.units)
        lines.append(f"- 原文合计：项目 {st.get('projects', '—')} 个、新开工 {st.get('new_starts', '—')} 个、年度计划 {st.get('annual_plan', '—')} 万元。")
        if all(u.annual_plan is not None for u in s.units):
            same = (rows_p, rows_n, rows_a) == (st.get("projects"), st.get("new_starts"), st.get("annual_plan"))
            lines.append(
                f"- 任务分解表逐单位相加：项目 {rows_p} 个、新开工 {rows_n} 个、年度计划 {rows_a:.0f} 万元——"
                + ("与合计行一致。" if same else "**与合计行不一致**；本数据按逐单位数字生成。")
            )
        elif s.stated_totals.get("projects") != len(key):
            lines.append(
                f"- 本数据另含原文范围之外的示意项目（如区级项目），故总数 {len(key)} 与原文 {st.get('projects')} 不同；按 `项目级别` 筛选即可得到原文口径。"
            )
    if s.extra_batches:
        lines.append(
            "- `项目类别` 为 谋划/储备 的行是“四个一批”谋划、储备项目（"
            + "、".join(f"{BATCH_ZH[b]} {k} 个" for b, k in s.extra_batches.items())
            + "），不属于年度重点项目：计算重点项目个数、投资完成率时请只取 开工/竣工 行。"
            "储备项目中已提前开工的，`实际开工时间` 有值（储备项目开工率），其进度记为 0。"
        )
    if s.class_mix:
        lines.append(
            "- `项目类别` 按附件2 五类规则（谋划/储备/开工/推进/竣工）由计划开工、竣工年份确定；"
            "`备注` 为“总投资不足1亿元”的项目不符合入库门槛；外资项目按 `外资总投资（万美元）` 对照5000万美元门槛，"
            "其 `总投资（万元）` 按示意汇率折算。计划于当年开工并当年竣工的项目同时符合开工、竣工两类，按方案文件的读法归入开工项目。"
        )
    if s.chains:
        lines.append(f"- 产业链（示意）：{'、'.join(s.chains)}；`产业链` 为空表示不在重点产业链上。")
    if s.private_investment_share is not None:
        key_active = key[key["annual_plan"] > 0]
        sh = key_active.loc[key_active["ownership"] == "private", "annual_plan"].sum() / key_active["annual_plan"].sum()
        lines.append(f"- 民间投资项目年度计划投资占比 {sh:.1%}（原文：民间资本投资项目只占1/3左右）。")
    lines += ["", "## 文件", ""]
    for name, desc in files.items():
        lines.append(f"- `{name}`：{desc}")
    lines += [
        "",
        "类别取值：项目级别 省级/市级/县级/区级；投资主体 民间投资/国有投资/政府投资/外商投资；"
        "项目类别 谋划/储备/开工/推进/竣工；是否类字段 是/否（空表示不适用）。",
    ]
    if messy:
        m = s.messy
        feats = []
        if m.get("encoding", "utf-8").lower() in ("gbk", "gb18030"):
            feats.append("`ledger.csv` 为 GBK 编码、CRLF 换行（常见的 Excel 导出）")
        if m.get("encoding", "").lower() == "utf-8-sig":
            feats.append("`ledger.csv` 带 UTF-8 BOM")
        if m.get("title_row"):
            feats.append("`ledger.csv` 第一行是标题行（“" + (s.ledger_title or "") + "”），表头在第二行")
        if m.get("totals_row"):
            feats.append("`ledger.csv` 最后一行是“合计”行（总投资、年度计划投资的合计），不是项目")
        if m.get("mixed_dates"):
            feats.append("`ledger.csv` 的日期写法混用：2024-03-05、2024/3/5、2024年3月5日")
        if feats:
            lines += ["", "## 导出格式特点（不是错误，读取时须正确处理）", ""] + [f"- {f}" for f in feats]
    lines.append("")
    return "\n".join(lines)


def write_sample(
    plan_id: str, out_dir: Path | str | None = None, *, messy: bool = True, clean: bool = False, samples: Path | None = None, plans_dir: Path | None = None
) -> Path:
    """Generate the sample of ``plan_id`` and write it to ``<out_dir>/<plan-id>/``.

    Files: ``ledger.csv``, ``progress.csv``, ``indicators.csv``, ``profiles.csv``
    and ``README.md`` (数据说明: what is real, what is illustrative). ``out_dir``
    defaults to the project's ``data/``. With ``messy`` the ledger is written the
    way the spec's ``messy`` block says (encoding, title row, totals row, mixed
    dates); otherwise every file is plain UTF-8 with ISO dates. ``clean`` also removes
    the folder's other files. Replaced and removed files are kept in ``.history/``
    (``hz import --undo`` restores them). Returns the folder.
    """
    spec = SampleSpec.load(plan_id, samples)
    data = generate_sample(spec, plans_dir=plans_dir)
    folder = Path(out_dir) if out_dir is not None else project().data_dir
    folder = folder / spec.plan_id
    out: dict[str, bytes] = {}  # every file, written together at the end (a data folder's old files kept)

    m = spec.messy if messy else {}
    encoding = str(m.get("encoding", "utf-8"))
    newline = "\r\n" if encoding.lower() in ("gbk", "gb18030") else "\n"
    led = to_file_frame(data.ledger, LEDGER_COLUMNS, mixed_dates_rng=_rng(spec.seed, "mixed-dates") if m.get("mixed_dates") else None)
    totals = None
    if m.get("totals_row"):
        cells = [""] * led.shape[1]
        cells[0] = "合计"
        ids = [c.id for c in LEDGER_COLUMNS]
        for col in ("total_investment", "annual_plan"):
            cells[ids.index(col)] = f"{data.ledger[col].sum():.0f}" if float(data.ledger[col].sum()).is_integer() else f"{data.ledger[col].sum():.2f}"
        totals = cells
    title = (spec.ledger_title or f"{spec.year}年{spec.jurisdiction}重点项目台账") if m.get("title_row") else None
    text = _csv_text(led, title=title, totals=totals, newline=newline)
    out["ledger.csv"] = text.encode(encoding)
    for name, df, cols in (
        ("progress.csv", data.progress, PROGRESS_COLUMNS),
        ("indicators.csv", data.indicators, INDICATOR_COLUMNS),
        ("profiles.csv", data.profiles, PROFILE_COLUMNS),
        ("tasks.csv", data.tasks, TASK_COLUMNS),
    ):
        if name == "tasks.csv" and df.empty:
            continue
        out[name] = _csv_text(to_file_frame(df, cols)).encode("utf-8")
    files = {
        "ledger.csv": f"项目台账，每个项目一行（{len(data.ledger)} 行），编码 {encoding}",
        "progress.csv": "月度累计完成投资（万元），每个项目每月一行，自 1 月至数据截止月",
        "indicators.csv": "分地区统计指标：累计值（万元）、累计同比增速（%）、数据来源",
        "profiles.csv": f"{spec.year - 1}年分季度水平（万元），用于测算全年目标所需增速",
    }
    if not data.tasks.empty:
        files["tasks.csv"] = (
            f"任务完成情况：台账和统计指标算不出的 {len(data.tasks)} 项目标的报送值（示意），"
            "按目标编号、期别、完成值、计量单位填写；个别目标故意未报送。"
            "工作频次类目标（每周、每月、每季度……）的完成值是自起算日以来的累计次数，"
            "按人计的是各人累计次数中的最少者；覆盖类目标（全覆盖、一对一）的完成值是已覆盖的百分比"
        )
    from .scoring import SAMPLE_COLUMNS, scoring_inputs

    scoring = scoring_inputs(spec.plan_id, spec.seed, spec.data_through)
    if scoring is not None:
        out["scoring_inputs.csv"] = _csv_text(to_file_frame(scoring, SAMPLE_COLUMNS)).encode("utf-8")
        files["scoring_inputs.csv"] = (
            f"评分报送表：台账算不出的考核评分输入（示意），{len(scoring)} 行，按 params/scoring/{spec.plan_id}.yaml 填写；"
            "每行有“期别”，每个季度末一组（累计数为截至期末的数）"
        )
    out["README.md"] = _readme(data, files, messy).encode("utf-8")
    _write_kept(folder, out, clean=clean)
    return folder


def _write_kept(folder: Path, files: dict[str, bytes], *, clean: bool) -> None:
    """Write ``files`` into ``folder``; the files they replace (and, with ``clean``, the folder's other
    files, and a tasks.csv the sample no longer has) are kept in ``.history/`` first, so
    ``hz import --undo`` brings them back. Nothing is kept when nothing changes or the folder is new."""
    from hzlib.history import keep_then_write

    present = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    stale = {n for n in present if n not in files and (clean or n == "tasks.csv")}
    changed = {n: b for n, b in files.items() if n not in present or (folder / n).read_bytes() != b}
    if not (present & set(changed)) and not stale:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in changed.items():
            (folder / name).write_bytes(data)
    elif changed or stale:
        keep_then_write(folder, changed, "sample", remove=sorted(stale))
