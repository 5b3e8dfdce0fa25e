"""The indicator catalogue: every indicator a plan's target may name on a ledger or statistics
basis, with its Chinese name, the bases and target measures it supports and the data it needs.

How each indicator is computed from the data is :mod:`hzlib.evaluate.measures` (one function
per ledger indicator, registered by id); what it is, and therefore what a plan may ask of it, is
here, so that the plan check and the reported-tasks table need nothing from the evaluation.

Three bases (:class:`hzlib.plan.schema.Basis`):

- ``ledger``: a function of the project status table at the period end (one row per
  project), restricted to the target's typed scope;
- ``statistics``: the indicators table (jurisdiction, period, indicator, level,
  cum_yoy): growth is the published cumulative growth (authoritative), a share is
  the ratio of two levels of the same period (or a published share), an amount
  is the cumulative level;
- ``report``: the figure a department reported for exactly this target and period
  (``tasks`` table). Any target may be reported: a ``basis: report`` target's
  indicator need not be in this catalogue.

>>> INDICATORS["start_rate"].zh, INDICATORS["start_rate"].bases
('开工率', (<Basis.LEDGER: 'ledger'>,))
>>> closest("new_start_rate")[:2]
['start_rate', 'reserve_start_rate']
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from ..glossary import STATISTICS_ZH
from .schema import Basis, Measure, Target

__all__ = ["Indicator", "INDICATORS", "STATISTICS", "closest", "effective_basis"]


@dataclass(frozen=True)
class Indicator:
    """One measurable indicator: its Chinese name, the bases and target measures it supports,
    the contract columns it needs, whether it accumulates over the year (so a year-end
    projection makes sense), and which projects a ledger measure looks at."""

    id: str
    zh: str
    bases: tuple[Basis, ...]
    measures: tuple[Measure, ...]
    description: str
    example: str
    needs: tuple[str, ...] = ()  # ledger columns that must have values
    needs_progress: bool = False  # reads completed investment (monthly progress at the period end)
    accumulates: bool = False  # a flow over the year (completed investment): projections allowed
    pool: Literal["key", "all"] = "key"  # "all": look at 谋划/储备 rows too (batch scopes, reserve start rate)
    share_of: tuple[str, str] | None = None  # statistics share: (numerator, denominator) indicator ids


_LEDGER = (Basis.LEDGER,)
_BOTH = (Basis.LEDGER, Basis.STATISTICS)

#: The ledger indicators (two of them also on statistics), in the order ``hz indicators`` lists them.
_LEDGER_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "start_rate",
        "开工率",
        _LEDGER,
        (Measure.RATE,),
        "计划新开工项目中截至期末已开工的比例：已开工 ÷ 计划新开工（按实际开工时间）",
        "87个计划新开工项目已开工70个：80.5%",
        needs=("is_new_start",),
    ),
    Indicator(
        "procedure_rate",
        "前期手续办结率",
        _LEDGER,
        (Measure.RATE,),
        "范围内项目中规划、土地、环评、能评四项主要手续截至期末全部办结的比例（按各手续办结时间）；哪些项目由目标的范围定（新开工项目、市级重点项目……）",
        "30个新开工项目中24个手续全部办结：80%",
    ),
    Indicator(
        "invest_completion",
        "计划投资完成率",
        _LEDGER,
        (Measure.RATE,),
        "截至期末累计完成投资 ÷ 年度计划投资（范围内项目合计）",
        "完成239.2亿元 ÷ 年度计划490.09亿元 = 48.81%",
        needs=("annual_plan",),
        needs_progress=True,
    ),  # a rate: never projected
    Indicator(
        "completion_rate",
        "竣工投产达效率",
        _LEDGER,
        (Measure.RATE,),
        "计划本年竣工的项目中截至期末实际竣工的比例（按实际竣工时间）",
        "计划竣工16个，已竣工5个：31.3%",
        needs=("planned_completion",),
    ),
    Indicator(
        "reserve_start_rate",
        "储备项目开工率",
        _LEDGER,
        (Measure.RATE,),
        "“四个一批”储备项目中截至期末已开工的比例",
        "储备项目30个已开工6个：20%",
        needs=("batch",),
        pool="all",
    ),
    Indicator(
        "landing_rate",
        "招商引资落地率",
        _LEDGER,
        (Measure.RATE,),
        "招商引资签约项目中已获批建设用地的比例",
        "签约项目20个，16个获批建设用地：80%",
        needs=("is_signed", "land_approved"),
    ),
    Indicator(
        "completed_investment",
        "累计完成投资",
        _LEDGER,
        (Measure.AMOUNT,),
        "范围内项目截至期末的累计完成投资（自1月起）",
        "200个市级重点项目上半年完成239.2亿元",
        needs_progress=True,
        accumulates=True,
    ),
    Indicator("project_count", "项目个数", _LEDGER, (Measure.COUNT,), "台账中范围内的项目个数（清单规模，不是完成数）", "市级重点项目200个，其中新开工87个"),
    Indicator(
        "project_total_investment",
        "项目总投资",
        _LEDGER,
        (Measure.AMOUNT,),
        "台账中范围内项目的总投资合计（清单规模）",
        "储备项目30个，总投资85亿元",
        needs=("total_investment",),
    ),
    Indicator(
        "started_count",
        "已开工项目个数",
        _LEDGER,
        (Measure.COUNT,),
        "范围内计划新开工项目中截至期末实际开工的个数",
        "13个新开工项目已开工11个",
        needs=("is_new_start",),
    ),
    Indicator(
        "completed_project_count",
        "竣工项目个数",
        _LEDGER,
        (Measure.COUNT,),
        "本年截至期末实际竣工的项目个数（按实际竣工时间；计划竣工而未竣工的不计）",
        "竣工项目16个：截至三季度末实际竣工9个",
        needs=("actual_completion",),
        pool="all",
    ),
    Indicator(
        "completed_project_investment",
        "竣工项目总投资",
        _LEDGER,
        (Measure.AMOUNT,),
        "本年截至期末实际竣工项目的总投资合计",
        "竣工项目总投资36.34亿元",
        needs=("actual_completion", "total_investment"),
        pool="all",
    ),
    Indicator(
        "private_inv_share",
        "民间投资占比",
        _BOTH,
        (Measure.SHARE,),
        "台账口径：范围内项目完成投资中民间投资项目所占比例；统计口径：民间投资 ÷ 固定资产投资（同期累计值）",
        "重点项目完成投资100亿元，其中民间投资项目37亿元：37%",
        needs=("ownership",),
        needs_progress=True,
        share_of=("private_inv", "fai"),
    ),
    Indicator(
        "industry_inv_share",
        "产业投资占比",
        _BOTH,
        (Measure.SHARE,),
        "台账口径：范围内项目完成投资中产业项目所占比例；统计口径：产业投资 ÷ 固定资产投资（同期累计值）",
        "重点项目完成投资100亿元，其中产业项目47亿元：47%",
        needs=("is_industry",),
        needs_progress=True,
        share_of=("industry_inv", "fai"),
    ),
)

#: Statistics indicators (统计口径): id → Chinese name. Growth is the published cumulative growth.
#: Figures that departments compile (引进内资、利用外资、争取政策性资金 …) are not statistics:
#: their targets are ``basis: report``.
STATISTICS: dict[str, str] = STATISTICS_ZH  # the published names are the glossary's
#: Statistics shares beyond the two ledger/statistics shares above: id → (name, numerator, denominator).
_STAT_SHARES = {
    "private_in_social_capital_share": ("民间投资占社会资本投资比重", "private_inv", "social_capital_inv"),
}


def _catalogue() -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    every = [
        *_LEDGER_INDICATORS,
        *(
            Indicator(
                key,
                zh,
                (Basis.STATISTICS,),
                (Measure.GROWTH, Measure.AMOUNT),
                f"统计部门公布的{zh}：累计同比增速（以公布增速为准）或累计值",
                f"{zh}累计增长9.2%",
                accumulates=True,
            )
            for key, zh in STATISTICS.items()
        ),
        *(
            Indicator(
                key,
                zh,
                (Basis.STATISTICS,),
                (Measure.SHARE,),
                f"统计口径：{STATISTICS[num]} ÷ {STATISTICS[den]}（同期累计值）",
                f"{zh}60%",
                share_of=(num, den),
            )
            for key, (zh, num, den) in _STAT_SHARES.items()
        ),
    ]
    for ind in every:
        if ind.id in out:
            raise RuntimeError(f"indicator {ind.id!r} listed twice")  # a programming error
        out[ind.id] = ind
    return out


#: Every indicator a ledger or statistics target may name: id → :class:`Indicator`.
INDICATORS: dict[str, Indicator] = _catalogue()


def effective_basis(t: Target) -> Basis | None:
    """The basis ``t`` is measured on: its own ``basis``, else its indicator's only basis, else
    statistics for a jurisdiction-wide scope and the ledger for a project scope; None for an
    indicator the catalogue does not know (the plan check reports it)."""
    if t.basis is not None:
        return t.basis
    ind = INDICATORS.get(t.indicator)
    if ind is None:
        return None
    if len(ind.bases) == 1:
        return ind.bases[0]
    level_all = t.scope.level.value == "all" and t.scope.projects is None and t.scope.batch is None
    return Basis.STATISTICS if level_all and Basis.STATISTICS in ind.bases else Basis.LEDGER


def closest(name: str, n: int = 3) -> list[str]:
    """Catalogued indicator ids closest to ``name`` (for an unknown indicator's message)."""
    ids = list(INDICATORS)
    near = difflib.get_close_matches(name, ids, n=n, cutoff=0.4)
    tokens = set(name.split("_"))
    by_token = sorted((i for i in ids if tokens & set(i.split("_")) and i not in near), key=lambda i: (-len(tokens & set(i.split("_"))), i))
    return (near + by_token)[:n]
