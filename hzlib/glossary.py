"""The project's vocabularies, each word defined once, with its Chinese label and its colour.

Every Chinese word the bulletin shows for a code value comes from here: evaluation statuses
(达标 …), 四个一批 batches (谋划 …), unit kinds (县区 …), awards (红旗, 蜗牛), quarter
names (一季度 … 全年) and the names of the statistics indicators. Code compares the
enum members or their ``value``; a label is only ever printed, never compared or parsed
back. This module sits at the bottom of the layers: it imports nothing from hzlib.

>>> Status.NEAR.zh, Status.NEAR.css_class, Status.NEAR.color
('基本达标', 'status-near', '#f9a825')
>>> Batch("start").zh, Batch.START.ledger_zh, UnitKind.COUNTY.zh
('开工', '新开工', '县区')
>>> [cumulative_zh(q) for q in range(1, 5)], quarter_zh(3)
(['一季度', '上半年', '前三季度', '全年'], '三季度')
>>> AwardTone.BAD.color == Status.MISSED.color, Award.SNAIL.tone is AwardTone.BAD
(True, True)
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "Status",
    "STATUS_ZH",
    "INCOMPLETE_ZH",
    "Deviation",
    "Batch",
    "BATCH_ZH",
    "BATCH_LEDGER_ZH",
    "NOT_THIS_YEAR",
    "MILESTONE_ZH",
    "LEVEL_ZH",
    "OWNERSHIP_ZH",
    "UnitKind",
    "UNIT_KIND_ZH",
    "ALL_UNITS_ZH",
    "AwardTone",
    "Award",
    "award_tone",
    "QUARTER_ZH",
    "CUMULATIVE_ZH",
    "YEAR_PARTS_ZH",
    "quarter_zh",
    "cumulative_zh",
    "FAI_ZH",
    "STATISTICS_ZH",
    "indicator_zh",
    "indicator_short_zh",
]


# ----------------------------------------------------------------------------- statuses


class Status(str, Enum):
    """Evaluation status of a target at a checkpoint."""

    MET = "met"
    NEAR = "near"
    MISSED = "missed"
    PENDING = "pending"  # not due yet (deadline in a later quarter)
    NO_DATA = "no_data"  # no actual figure for this target
    NOT_APPLICABLE = "n/a"  # e.g. a rate over zero projects

    @property
    def zh(self) -> str:
        """The Chinese label (达标, 基本达标, 未达标, 未到期, 无数据, 不适用)."""
        return _STATUS[self][0]

    @property
    def css_class(self) -> str:
        """The bulletin's CSS class for this status (``bulletin.css``)."""
        return _STATUS[self][1]

    @property
    def color(self) -> str:
        """The colour of this status in charts."""
        return _STATUS[self][2]


#: Status → (Chinese label, CSS class, chart colour).
_STATUS: dict[Status, tuple[str, str, str]] = {
    Status.MET: ("达标", "status-met", "#2e7d32"),  # green
    Status.NEAR: ("基本达标", "status-near", "#f9a825"),  # amber
    Status.MISSED: ("未达标", "status-missed", "#c62828"),  # red
    Status.PENDING: ("未到期", "status-pending", "#9e9e9e"),  # grey
    Status.NO_DATA: ("无数据", "status-pending", "#bdbdbd"),  # light grey
    Status.NOT_APPLICABLE: ("不适用", "status-pending", "#bdbdbd"),
}

#: Status value → Chinese label.
STATUS_ZH: dict[str, str] = {st.value: st.zh for st in Status}
#: A unit's inputs, or a 偏离度 dimension's figures, with some parts missing: not scored, not judged.
INCOMPLETE_ZH = "数据不全"


class Deviation(str, Enum):
    """The judgement of a 偏离度 dimension from its targets' statuses (see ``hzlib.evaluate.status``)."""

    DEVIATED = "deviated"  # some target 未达标
    SLIGHT = "slight"  # none 未达标, some 基本达标
    NONE = "none"  # all due targets 达标

    @property
    def zh(self) -> str:
        """偏离, 轻微偏离 or 未偏离."""
        return _DEVIATION[self]


_DEVIATION: dict[Deviation, str] = {Deviation.DEVIATED: "偏离", Deviation.SLIGHT: "轻微偏离", Deviation.NONE: "未偏离"}


# ----------------------------------------------------------------------------- 四个一批 batches


class Batch(str, Enum):
    """A project's batch: 四个一批 (谋划, 储备, 开工, 竣工) plus 汉中 2022 推进 (started earlier, completes later)."""

    PLAN = "plan"
    RESERVE = "reserve"
    START = "start"
    ADVANCE = "advance"
    COMPLETE = "complete"

    @property
    def zh(self) -> str:
        """The batch's name in the 四个一批 (谋划 …), as plans and reports write it."""
        return _BATCH[self][0]

    @property
    def ledger_zh(self) -> str:
        """How a ledger usually writes the batch (新开工, 续建), shown when a cell is quoted back."""
        return _BATCH[self][1] or _BATCH[self][0]


#: A project's two milestones: start of construction and completion (also the names of two batches).
MILESTONE_ZH: dict[str, str] = {"start": "开工", "completion": "竣工"}

#: Batch → (四个一批 name, the ledgers' usual word when it differs).
_BATCH: dict[Batch, tuple[str, str | None]] = {
    Batch.PLAN: ("谋划", None),
    Batch.RESERVE: ("储备", None),
    Batch.START: (MILESTONE_ZH["start"], "新" + MILESTONE_ZH["start"]),
    Batch.ADVANCE: ("推进", "续建"),
    Batch.COMPLETE: (MILESTONE_ZH["completion"], None),
}

#: Batch value → its 四个一批 name, and → the ledgers' usual word.
BATCH_ZH: dict[str, str] = {b.value: b.zh for b in Batch}
BATCH_LEDGER_ZH: dict[str, str] = {b.value: b.ledger_zh for b in Batch}
#: Batches that are not this year's key projects (谋划, 储备): left out unless a target names them.
NOT_THIS_YEAR: tuple[str, ...] = (Batch.PLAN.value, Batch.RESERVE.value)


# ----------------------------------------------------------------------------- levels and ownerships

#: Project level (项目级别) → Chinese label, as written in ledgers and reports.
LEVEL_ZH: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级", "district": "区级"}


# ----------------------------------------------------------------------------- unit kinds


class UnitKind(str, Enum):
    """The kind of a responsible unit; units are ranked like with like."""

    COUNTY = "county"
    DISTRICT = "district"
    ZONE = "zone"
    DEPARTMENT = "department"
    COMPANY = "company"
    TOWN = "town"

    @property
    def zh(self) -> str:
        """The kind's Chinese name (县区, 区, 园区, 部门, 企业, 镇街)."""
        return _UNIT_KIND[self]


_UNIT_KIND: dict[UnitKind, str] = {
    UnitKind.COUNTY: "县区",
    UnitKind.DISTRICT: "区",
    UnitKind.ZONE: "园区",
    UnitKind.DEPARTMENT: "部门",
    UnitKind.COMPANY: "企业",
    UnitKind.TOWN: "镇街",
}
#: Unit kind value → Chinese name.
UNIT_KIND_ZH: dict[str, str] = {k.value: k.zh for k in UnitKind}
#: The group name of units without a kind.
ALL_UNITS_ZH = "全部单位"


# ----------------------------------------------------------------------------- awards


class AwardTone(str, Enum):
    """Whether an award praises (top of a ranking) or names the last (bottom)."""

    GOOD = "top"
    BAD = "bottom"

    @property
    def color(self) -> str:
        """Chart colour: the 达标 green for praise, the 未达标 red for a notice."""
        return Status.MET.color if self is AwardTone.GOOD else Status.MISSED.color


class Award(str, Enum):
    """The awards of the ranking made when a plan gives no scoring rule (scoring rules name their own)."""

    RED_FLAG = "red_flag"
    SNAIL = "snail"

    @property
    def zh(self) -> str:
        """红旗 or 蜗牛."""
        return _AWARD[self][0]

    @property
    def tone(self) -> AwardTone:
        return _AWARD[self][1]


_AWARD: dict[Award, tuple[str, AwardTone]] = {
    Award.RED_FLAG: ("红旗", AwardTone.GOOD),
    Award.SNAIL: ("蜗牛", AwardTone.BAD),
}


def award_tone(end: str | None) -> AwardTone | None:
    """The tone of an award from the end of the ranking it goes to (``top``/``bottom``), None for none.

    >>> award_tone("bottom"), award_tone("top").color, award_tone("")
    (<AwardTone.BAD: 'bottom'>, '#2e7d32', None)
    """
    return AwardTone(end) if end else None


# ----------------------------------------------------------------------------- quarter names

#: One quarter alone (当季): quarter number → name.
QUARTER_ZH: dict[int, str] = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
#: The cumulative period that ends with a quarter: quarter number → name (一季度, 上半年, 前三季度, 全年).
CUMULATIVE_ZH: dict[int, str] = {1: QUARTER_ZH[1], 2: "上半年", 3: "前三季度", 4: "全年"}
#: Cumulative parts of a year as statisticians name them (上半年 is January to June) → end month.
#: 下半年 ends in December, so as a cumulative period it is the whole year.
YEAR_PARTS_ZH: dict[str, int] = {CUMULATIVE_ZH[2]: 6, CUMULATIVE_ZH[3]: 9, "下半年": 12, CUMULATIVE_ZH[4]: 12}


def quarter_zh(quarter: int) -> str:
    """The name of one quarter alone: 1 → 一季度 … 4 → 四季度."""
    return QUARTER_ZH[quarter]


def cumulative_zh(quarter: int) -> str:
    """The name of the cumulative period ending with ``quarter``: 1 → 一季度, 2 → 上半年, 3 → 前三季度, 4 → 全年."""
    return CUMULATIVE_ZH[quarter]


# ----------------------------------------------------------------------------- indicator names

#: The short name of fixed-asset investment, as running text (and the plans) write it.
FAI_ZH = "固定资产投资"
#: Statistics indicators (统计口径): id → the name the statistics bureaus publish. The monthly
#: fixed-asset investment series is published without rural households (固定资产投资（不含农户）,
#: the series the plans' growth targets are checked against), so catalogues and tables name it
#: so; sentences use the short name (:func:`indicator_short_zh`), as the bulletins always have.
STATISTICS_ZH: dict[str, str] = {
    "fai": f"{FAI_ZH}（不含农户）",
    "private_inv": "民间投资",
    "manufacturing_inv": "制造业投资",
    "high_tech_inv": "高技术产业投资",
    "industrial_inv": "工业投资",
    "industry_inv": "产业投资",
    "infrastructure_inv": "基础设施投资",
    "culture_inv": "文化和娱乐业投资",
    "wholesale_retail_inv": "批发和零售业投资",
    "accommodation_catering_inv": "住宿和餐饮业投资",
    "social_capital_inv": "社会资本（企业）投资（不含房地产开发）",
    "industrial_value_added": "规模以上工业增加值",
}


#: Ownership (投资主体) → Chinese label; 民间投资 is the statistic's name too.
OWNERSHIP_ZH: dict[str, str] = {"private": STATISTICS_ZH["private_inv"], "state": "国有投资", "government": "政府投资", "foreign": "外商投资"}


def indicator_zh(indicator: str) -> str:
    """The published name of a statistics indicator, or the id itself when it is not one.

    >>> indicator_zh("fai"), indicator_zh("other")
    ('固定资产投资（不含农户）', 'other')
    """
    return STATISTICS_ZH.get(indicator, indicator)


#: Short names where running text abbreviates the published one.
_SHORT_ZH: dict[str, str] = {"fai": FAI_ZH}


def indicator_short_zh(indicator: str) -> str:
    """The name of a statistics indicator in a sentence (固定资产投资累计增长…), or the id itself.

    >>> indicator_short_zh("fai"), indicator_short_zh("private_inv"), indicator_short_zh("other")
    ('固定资产投资', '民间投资', 'other')
    """
    return _SHORT_ZH.get(indicator) or indicator_zh(indicator)
