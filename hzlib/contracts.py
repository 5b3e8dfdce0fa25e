"""Data contracts: the normalised tables that every reader produces and every
evaluation consumes. Documented for users in ``docs/data.md``.

Money is always 万元 (float) inside hzlib after reading (the one exception is
``total_investment_usd``, kept in 万美元 because a plan's foreign-project
threshold is in 万美元 and no exchange rate is guessed); growth and rates are
fractions (0.092 is 9.2%) inside hzlib, and percent numbers (9.2) in files.
Dates are ``datetime64[ns]`` (NaT when not yet happened); months are
``YYYY-MM`` strings.

Periods (``period`` of indicators and tasks) run from January to their end month, so a
period is its year and end month: the reader writes every form a file may use
(``2024Q2``, ``2024年二季度``, ``2024H1``, ``2024年上半年``, ``2024年1-6月``, ``2024-06``, ``2024年6月``)
as one canonical label, ``YYYYQn`` at a quarter end (a year is ``YYYYQ4``) and ``YYYY-MM``
otherwise (:meth:`hzlib.periods.Period.canonical`). Code matches periods on (year, end month)
with :func:`hzlib.periods.same_period` / :func:`hzlib.periods.period_ends`, never on the text,
so a table built in code with any readable label matches too. Two rows of one key (one
jurisdiction, period and indicator; one target and period) are one figure when their values
agree and an error naming both rows when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from .glossary import BATCH_ZH, LEVEL_ZH, OWNERSHIP_ZH, QUARTER_ZH, Batch

__all__ = [
    "Column",
    "LEDGER_COLUMNS",
    "LEDGER_SHEET_COLUMNS",
    "PROGRESS_COLUMNS",
    "INDICATOR_COLUMNS",
    "PROFILE_COLUMNS",
    "TASK_COLUMNS",
    "LEVELS",
    "OWNERSHIPS",
    "BATCHES",
    "BATCH_ZH",
    "LEVEL_ZH",
    "OWNERSHIP_ZH",
    "PROCEDURES",
    "INFRASTRUCTURE_SECTORS",
]


@dataclass(frozen=True)
class Column:
    """One column of a contract.

    ``required``: a file without this column is refused (after what the reader can
    derive: a 项目编号 made from name and unit, a unit from the sheet name ...).
    An optional column absent from a file is all missing in the table, and the
    measures that need it say so (``hzlib.evaluate.measures``: 无数据 with the reason).
    ``blank``: what a blank cell is when the column is there: ``error``, ``warning``
    or ``ok``; by default an error in a required text/category/month/period/int
    column, a warning in another required column, fine in an optional one.

    >>> LEDGER_COLUMNS[0].required, LEDGER_COLUMNS[0].if_blank
    (False, 'error')
    >>> Column("x", "甲", "money").if_blank, Column("x", "甲", "str", required=False).if_blank
    ('warning', 'ok')
    """

    id: str
    zh: str  # the Chinese header written in files we produce
    kind: str  # str | money | usd | number | percent | date | month | period | int | bool | category
    required: bool = True
    description: str = ""
    choices: tuple[str, ...] = ()
    blank: str | None = None

    @property
    def if_blank(self) -> str:
        """Severity of a blank cell in this column when the file has it (error, warning or ok)."""
        if self.blank is not None:
            return self.blank
        if not self.required:
            return "ok"
        return "error" if self.kind in ("str", "category", "month", "period", "int") else "warning"


#: Project level (项目级别).
LEVELS = ("province", "city", "county", "district")
#: Ownership (投资主体).
OWNERSHIPS = ("private", "state", "government", "foreign")
#: Project batch: 四个一批 plus 汉中 2022 推进 (started earlier, completes later); their Chinese
#: labels (``BATCH_ZH``) are the glossary's.
BATCHES = tuple(b.value for b in Batch)
#: Chinese labels of the levels and ownerships (``LEVEL_ZH``, ``OWNERSHIP_ZH``) are the glossary's.
#: Values of the ledger's 行业领域 (``sector``) that make a project an infrastructure project
#: (scope ``projects: infrastructure``). Exact values, not text search: a ledger that writes
#: its sectors otherwise maps them with the office's mapping file.
INFRASTRUCTURE_SECTORS = frozenset({"基础设施", "交通", "交通运输", "水利", "能源", "市政", "市政设施", "城建", "城市建设", "信息基础设施", "新型基础设施"})
#: Main procedures (主要手续) whose completion dates the ledger records.
PROCEDURES = ("proc_planning", "proc_land", "proc_eia", "proc_energy")

#: The project ledger. Only name, unit, total investment and annual plan are required in a
#: file: a missing 项目编号 is made from name and unit, a missing 项目级别 comes from the
#: title or the plan, a missing 是否新开工 from 项目类别 or the planned start year; what is
#: still missing leaves the targets that need it without data (the indicator catalogue's
#: ``needs``, :mod:`hzlib.plan.indicators`), never the whole ledger refused.
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column(
        "project_id", "项目编号", "str", required=False, blank="error", description="unique within the ledger; made from name and unit when the file has none"
    ),
    Column("name", "项目名称", "str"),
    Column("unit", "责任单位", "str", description="county/district/department responsible"),
    Column("level", "项目级别", "category", required=False, blank="error", choices=LEVELS),
    Column("sector", "行业领域", "str", required=False),
    Column("chain", "产业链", "str", required=False, description="empty when not on a key industry chain"),
    Column("ownership", "投资主体", "category", required=False, blank="error", choices=OWNERSHIPS),
    Column("is_industry", "是否产业项目", "bool", required=False),
    Column("batch", "项目类别", "category", required=False, blank="error", choices=BATCHES),
    Column(
        "is_new_start",
        "是否新开工",
        "bool",
        required=False,
        blank="warning",
        description="a planned new start this year; derived from 项目类别 or the planned start when absent",
    ),
    Column("total_investment", "总投资（万元）", "money"),
    Column(
        "total_investment_usd",
        "外资总投资（万美元）",
        "usd",
        required=False,
        description="foreign-funded projects: total investment in 万美元 as agreed, for a plan's foreign-project threshold",
    ),
    Column("annual_plan", "年度计划投资（万元）", "money"),
    Column("planned_start", "计划开工时间", "date", required=False),
    Column("actual_start", "实际开工时间", "date", required=False),
    Column("planned_completion", "计划竣工时间", "date", required=False),
    Column("actual_completion", "实际竣工时间", "date", required=False),
    Column("proc_planning", "规划手续办结时间", "date", required=False),
    Column("proc_land", "土地手续办结时间", "date", required=False),
    Column("proc_eia", "环评手续办结时间", "date", required=False),
    Column("proc_energy", "能评手续办结时间", "date", required=False),
    Column("is_signed", "是否招商签约项目", "bool", required=False),
    Column("land_approved", "是否获批建设用地", "bool", required=False),
    Column("profit_tax_rate", "利税率（%）", "percent", required=False),
    Column("note", "备注", "str", required=False),
)

#: Columns an office's own ledger sheet often has beyond the contract: read, checked, and
#: moved where they belong (never part of the ledger table). ``owner`` (建设单位/项目业主)
#: is the company building the project, not the unit responsible for it; ``completed_cum``
#: ("1-6月完成投资": cumulative to the month its header or title names) becomes monthly
#: progress; ``completion_pct`` ("占年度计划(%)") is recomputed and only checked.
LEDGER_SHEET_COLUMNS: tuple[Column, ...] = (
    Column("owner", "建设单位", "str", required=False, description="the project owner (建设单位/项目业主)"),
    Column(
        "completed_cum",
        "本年累计完成投资（万元）",
        "money",
        required=False,
        description="cumulative since January to the month in the header or title; read as progress",
    ),
    Column("completion_pct", "占年度计划（%）", "percent", required=False, description="completed ÷ annual plan as typed; recomputed, a mismatch is a warning"),
)

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", "str"),
    Column("month", "月份", "month", description="YYYY-MM"),
    Column("completed_cum", "累计完成投资（万元）", "money", description="cumulative since January of that year"),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("jurisdiction", "地区", "str"),
    Column(
        "period",
        "期别",
        "period",
        description="cumulative from January, any form of hzlib.periods (2024Q2, 2024年上半年, 2024年1-6月, 2024-06 ...); "
        "canonical after reading: YYYYQn at a quarter end, else YYYY-MM",
    ),
    Column("indicator", "指标", "str", description="indicator id: fai, private_inv, ..."),
    Column("level", "累计值", "money", required=False, description="cumulative level, in 万元 after reading"),
    Column("cum_yoy", "累计同比增速（%）", "percent", description="as published; fraction after reading"),
    Column("source", "数据来源", "str", required=False),
)

#: Last year's quarterly levels of an indicator, for required growth.
PROFILE_COLUMNS: tuple[Column, ...] = (
    Column("jurisdiction", "地区", "str"),
    Column("indicator", "指标", "str"),
    Column("year", "年份", "int"),
    *(Column(f"q{q}", QUARTER_ZH[q], "money") for q in range(1, 5)),
)

#: Reported achievements of targets that no ledger or statistics table measures
#: (任务完成情况): counts of events, kilometres built, 5G stations, amounts in 万美元,
#: procedure percentages ... One row per target and period, in the target's unit.
TASK_COLUMNS: tuple[Column, ...] = (
    Column("target_id", "目标编号", "str", description="the target's id in the plan file (hz tasks-template lists them)"),
    Column("label", "目标名称", "str", required=False, description="for the reader; not used"),
    Column("period", "期别", "period", description="as in INDICATOR_COLUMNS: any form, canonical after reading"),
    Column("value", "完成值", "number", description="achieved at the period end, in 计量单位"),
    Column("unit", "计量单位", "str", description="the target's unit: %, 个, 次, 公里, 亿元, 万美元 ..."),
    Column("jurisdiction", "地区", "str", required=False),
    Column("source", "数据来源", "str", required=False),
    Column("note", "备注", "str", required=False),
)
