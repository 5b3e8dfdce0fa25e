"""Data contracts: the normalised tables that every reader produces and every
evaluation consumes. Documented for users in ``docs/data.md``.

Money is always 万元 (float) inside hzlib after reading (the one exception is
``total_investment_usd``, kept in 万美元 because a plan's foreign-project
threshold is in 万美元 and no exchange rate is guessed); growth and rates are
fractions (0.092 is 9.2%) inside hzlib, and percent numbers (9.2) in files.
Dates are ``datetime64[ns]`` (NaT when not yet happened); months are
``YYYY-MM`` strings.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Column",
    "LEDGER_COLUMNS",
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
    """One column of a contract."""

    id: str
    zh: str  # the Chinese header written in files we produce
    kind: str  # str | money | usd | number | percent | date | month | period | int | bool | category
    required: bool = True
    description: str = ""
    choices: tuple[str, ...] = ()


#: Project level (项目级别).
LEVELS = ("province", "city", "county", "district")
#: Ownership (投资主体).
OWNERSHIPS = ("private", "state", "government", "foreign")
#: Project batch: 四个一批 plus 汉中 2022 推进 (started earlier, completes later).
BATCHES = ("plan", "reserve", "start", "advance", "complete")
#: Chinese labels of the batches, as written in ledgers and reports.
BATCH_ZH = {"plan": "谋划", "reserve": "储备", "start": "开工", "advance": "推进", "complete": "竣工"}
#: Chinese labels of the levels and ownerships, as written in ledgers and reports.
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "district": "区级"}
OWNERSHIP_ZH = {"private": "民间投资", "state": "国有投资", "government": "政府投资", "foreign": "外商投资"}
#: Values of the ledger's 行业领域 (``sector``) that make a project an infrastructure project
#: (scope ``projects: infrastructure``). Exact values, not text search: a ledger that writes
#: its sectors otherwise maps them with the office's mapping file.
INFRASTRUCTURE_SECTORS = frozenset(
    {"基础设施", "交通", "交通运输", "水利", "能源", "市政", "市政设施", "城建", "城市建设", "信息基础设施", "新型基础设施"}
)
#: Main procedures (主要手续) whose completion dates the ledger records.
PROCEDURES = ("proc_planning", "proc_land", "proc_eia", "proc_energy")

LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", "str", description="unique within the ledger"),
    Column("name", "项目名称", "str"),
    Column("unit", "责任单位", "str", description="county/district/department responsible"),
    Column("level", "项目级别", "category", choices=LEVELS),
    Column("sector", "行业领域", "str", required=False),
    Column("chain", "产业链", "str", required=False, description="empty when not on a key industry chain"),
    Column("ownership", "投资主体", "category", choices=OWNERSHIPS),
    Column("is_industry", "是否产业项目", "bool", required=False),
    Column("batch", "项目类别", "category", choices=BATCHES),
    Column("is_new_start", "是否新开工", "bool", description="a planned new start this year"),
    Column("total_investment", "总投资（万元）", "money"),
    Column(
        "total_investment_usd", "外资总投资（万美元）", "usd", required=False,
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

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", "str"),
    Column("month", "月份", "month", description="YYYY-MM"),
    Column("completed_cum", "累计完成投资（万元）", "money", description="cumulative since January of that year"),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("jurisdiction", "地区", "str"),
    Column("period", "期别", "period", description="2024-06 or 2024Q2, cumulative from January"),
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
    Column("q1", "一季度", "money"),
    Column("q2", "二季度", "money"),
    Column("q3", "三季度", "money"),
    Column("q4", "四季度", "money"),
)

#: Reported achievements of targets that no ledger or statistics table measures
#: (任务完成情况): counts of events, kilometres built, 5G stations, amounts in 万美元,
#: procedure percentages ... One row per target and period, in the target's unit.
TASK_COLUMNS: tuple[Column, ...] = (
    Column("target_id", "目标编号", "str", description="the target's id in the plan file (hz tasks-template lists them)"),
    Column("label", "目标名称", "str", required=False, description="for the reader; not used"),
    Column("period", "期别", "period", description="2024-06 or 2024Q2; cumulative from January"),
    Column("value", "完成值", "number", description="achieved at the period end, in 计量单位"),
    Column("unit", "计量单位", "str", description="the target's unit: %, 个, 次, 公里, 亿元, 万美元 ..."),
    Column("jurisdiction", "地区", "str", required=False),
    Column("source", "数据来源", "str", required=False),
    Column("note", "备注", "str", required=False),
)
