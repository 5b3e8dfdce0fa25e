"""Header and value aliases: how the headers and words people type map to contract ids.

Headers are compared after :func:`normalise_header` (NFKC, no spaces or line
breaks, lower case) and with the unit in brackets taken off:

>>> split_header("总投资\\n（亿元）")
('总投资', '亿元')
>>> match_header("总投资（亿元）", "ledger")
'total_investment'
>>> match_header("2024年计划投资（万元）", "ledger")
'annual_plan'
>>> match_header("序号", "ledger") is None
True

Category values map to contract choices; English ids are accepted as is:

>>> VALUE_ALIASES["batch"]["续建"], VALUE_ALIASES["level"]["市级重点"]
('advance', 'city')

A ledger sheet's cumulative completed-investment column names its month, or leaves it
to the title (:func:`cumulative_header`):

>>> cumulative_header("2019年1-6月完成投资（万元）"), cumulative_header("本年累计完成投资"), cumulative_header("本月完成投资")
((2019, 6), (None, None), None)
>>> BOOL_VALUES["√"], BOOL_VALUES["否"]
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..contracts import (
    BATCHES,
    INDICATOR_COLUMNS,
    LEDGER_COLUMNS,
    LEDGER_SHEET_COLUMNS,
    LEVELS,
    OWNERSHIPS,
    PROFILE_COLUMNS,
    PROGRESS_COLUMNS,
    TASK_COLUMNS,
    Column,
)
from ..glossary import LEVEL_ZH, OWNERSHIP_ZH, QUARTER_ZH, Batch

__all__ = [
    "KINDS",
    "CONTRACTS",
    "SHEET_COLUMNS",
    "fields_of",
    "cumulative_header",
    "not_this_year_header",
    "span_end",
    "HEADER_ALIASES",
    "HEADER_PATTERNS",
    "IGNORED_HEADERS",
    "VALUE_ALIASES",
    "BOOL_VALUES",
    "UNIT_COLUMN_HEADERS",
    "USD_TWINS",
    "normalise_header",
    "normalise_value",
    "split_header",
    "match_header",
    "accepted_headers",
]

#: The kinds of data files, in the order used when guessing.
KINDS: tuple[str, ...] = ("ledger", "progress", "indicators", "profiles", "tasks")

CONTRACTS: dict[str, tuple[Column, ...]] = {
    "ledger": LEDGER_COLUMNS,
    "progress": PROGRESS_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "profiles": PROFILE_COLUMNS,
    "tasks": TASK_COLUMNS,
}

#: Columns a file of a kind may carry beyond its contract (read, checked, moved or derived).
SHEET_COLUMNS: dict[str, tuple[Column, ...]] = {"ledger": LEDGER_SHEET_COLUMNS}


def fields_of(kind: str) -> tuple[Column, ...]:
    """Every column a file of ``kind`` may have: the contract's, then the sheet-only ones.

    >>> [c.id for c in fields_of("ledger")][-3:]
    ['owner', 'completed_cum', 'completion_pct']
    """
    return CONTRACTS[kind] + SHEET_COLUMNS.get(kind, ())


_ID = ("项目编号", "项目代码", "项目编码", "编号", "代码", "id", "项目id", "project_id", "projectid", "code")

#: Accepted headers per kind and contract id (compared normalised, without the bracketed unit).
#: The contract's own Chinese header and the English id are always accepted too.
HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "ledger": {
        "project_id": _ID,
        "name": ("项目名称", "名称", "项目", "name", "project_name", "project"),
        "unit": (
            "责任单位",
            "县区",
            "主抓单位",
            "牵头单位",
            "责任县区",
            "县区部门",
            "县区/部门",
            "县区(部门)",
            "所属县区",
            "县区名称",
            "县市区",
            "所属县市区",
            "区县",
            "所属区县",
            "所在县区",
            "责任部门",
            "牵头部门",
            "责任县区部门",
            "unit",
        ),
        "level": ("项目级别", "级别", "重点项目级别", "level"),
        "sector": ("行业领域", "行业", "领域", "所属行业", "行业类别", "sector"),
        "chain": ("产业链", "所属产业链", "重点产业链", "chain"),
        "ownership": ("投资主体", "投资主体性质", "主体性质", "投资性质", "ownership"),
        "is_industry": ("是否产业项目", "产业项目", "is_industry"),
        "batch": ("项目类别", "类别", "项目分类", "四个一批", "批次", "项目状态", "batch"),
        "is_new_start": ("是否新开工", "是否新开工项目", "新开工", "is_new_start"),
        "total_investment": ("总投资", "计划总投资", "项目总投资", "总投资额", "total_investment"),
        "total_investment_usd": ("外资总投资", "外资项目总投资", "总投资美元", "total_investment_usd"),
        "annual_plan": (
            "年度计划投资",
            "本年计划投资",
            "年度计划",
            "年度投资计划",
            "本年度计划投资",
            "年计划投资",
            "本年计划",
            "本年度计划",
            "年计划",
            "annual_plan",
        ),
        "planned_start": ("计划开工时间", "计划开工日期", "计划开工", "planned_start"),
        "actual_start": ("实际开工时间", "实际开工日期", "实际开工", "actual_start"),
        "planned_completion": ("计划竣工时间", "计划竣工日期", "计划竣工", "planned_completion"),
        "actual_completion": ("实际竣工时间", "实际竣工日期", "实际竣工", "actual_completion"),
        "proc_planning": ("规划手续办结时间", "规划手续", "规划许可", "规划", "proc_planning"),
        "proc_land": ("土地手续办结时间", "土地手续", "用地手续", "土地", "用地", "proc_land"),
        "proc_eia": ("环评手续办结时间", "环评手续", "环评", "proc_eia"),
        "proc_energy": ("能评手续办结时间", "能评手续", "能评", "节能审查", "proc_energy"),
        "is_signed": ("是否招商签约项目", "招商签约项目", "是否签约", "是否招商引资项目", "is_signed"),
        "land_approved": ("是否获批建设用地", "获批建设用地", "是否获批用地", "land_approved"),
        "profit_tax_rate": ("利税率", "profit_tax_rate"),
        "note": ("备注", "说明", "note", "notes", "remark", "remarks"),
        # an office's own sheet (LEDGER_SHEET_COLUMNS); completed_cum is matched by cumulative_header
        "owner": ("建设单位", "项目业主", "业主单位", "项目建设单位", "项目业主单位", "业主", "建设业主", "owner"),
        "completion_pct": (
            "占年度计划",
            "占年度计划比例",
            "占年度计划投资",
            "占年度计划投资比例",
            "占年度计划的比例",
            "占年计划",
            "完成年度计划",
            "完成年度计划比例",
            "完成年度投资计划",
            "占年度投资计划",
            "年度计划完成率",
            "投资完成率",
            "计划完成率",
            "年度投资完成率",
            "完成率",
            "completion_pct",
        ),
    },
    "progress": {
        "project_id": _ID,
        "month": ("月份", "月度", "统计月份", "时间", "期别", "month"),
        "completed_cum": (
            "累计完成投资",
            "累计完成",
            "本年累计完成投资",
            "自年初累计完成投资",
            "截至本月累计完成投资",
            "年度累计完成投资",
            "completed_cum",
            "completed",
        ),
    },
    "indicators": {
        "jurisdiction": ("地区", "区域", "地区名称", "县区", "jurisdiction", "region", "area"),
        "period": ("期别", "时期", "期间", "统计期", "报告期", "period"),
        "indicator": ("指标", "指标名称", "指标id", "indicator"),
        "level": ("累计值", "本年累计", "累计", "绝对值", "level", "value"),
        "cum_yoy": (
            "累计同比增速",
            "同比增长",
            "同比增速",
            "累计增速",
            "累计同比",
            "增速",
            "比上年同期增长",
            "比去年同期增长",
            "cum_yoy",
            "yoy",
        ),
        "source": ("数据来源", "来源", "source"),
    },
    "profiles": {
        "jurisdiction": ("地区", "区域", "地区名称", "县区", "jurisdiction", "region"),
        "indicator": ("指标", "指标名称", "indicator"),
        "year": ("年份", "年度", "year"),
        **{f"q{q}": (QUARTER_ZH[q], f"第{QUARTER_ZH[q]}", f"{q}季度", f"q{q}") for q in range(1, 5)},
    },
    "tasks": {
        "target_id": ("目标编号", "目标id", "目标代码", "target_id", "target"),
        "label": ("目标名称", "目标", "任务", "任务名称", "label"),
        "period": ("期别", "时期", "期间", "统计期", "报告期", "period"),
        "value": ("完成值", "完成数", "实际完成", "完成情况", "本期完成", "累计完成", "value", "actual"),
        "unit": ("计量单位", "unit"),
        "jurisdiction": ("地区", "区域", "地区名称", "jurisdiction", "region"),
        "source": ("数据来源", "来源", "报送单位", "source"),
        "note": ("备注", "说明", "note", "remark"),
    },
}

# ---------------------------------------------------------------- periods written in words

_DASH = r"\s*[-—–~～至到]\s*"
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTH_NUM = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
#: Words that end a span of months from January: 1-6月, 1月至6月, 截至6月底, 上半年, 前三季度 ...
_SPAN_RES: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (re.compile(rf"(?:1|一)月?份?{_DASH}{_MONTH_NUM}月(?:份|底|末)?"), None),
    (re.compile(rf"截[至止]\s*(?:20\d\d年)?{_MONTH_NUM}月(?:份|底|末|止)?"), None),
    (re.compile(rf"{_MONTH_NUM}月(?:底|末)"), None),
    (re.compile(r"上半年|1-2季度|一二季度|二季度末"), 6),
    (re.compile(r"前三季度|1-3季度|三季度末"), 9),
    (re.compile(r"(?:第?一|1)季度"), 3),
    (re.compile(r"全年|1-12月|年底|年末"), 12),
)
_YEAR_RE = re.compile(r"(20\d\d)\s*年")


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else _ZH_NUM[text]


def span_end(text: str) -> tuple[int | None, int | None, str]:
    """The year and the last month of a January-to-month span written in ``text``, and the words.

    >>> span_end("2019年××市市级重点建设项目进度表（1-6月）")
    (2019, 6, '1-6月')
    >>> span_end("截至9月底累计完成"), span_end("2024年上半年"), span_end("2023年项目台账")
    ((None, 9, '截至9月底'), (2024, 6, '上半年'), (2023, None, ''))
    """
    t = unicodedata.normalize("NFKC", str(text))
    y = _YEAR_RE.search(t)
    year = int(y.group(1)) if y else None
    for pattern, month in _SPAN_RES:
        m = pattern.search(t)
        if m:
            return year, (month if month is not None else _month_number(m.group(1))), m.group(0)
    return year, None, ""


_CUM_BODY = re.compile(r"完成(固定资产)?投资(额)?$|累计完成(额)?$|完成额$|累计投资(额)?$")
_CUM_FULL = re.compile(r"(累计)?完成(固定资产)?投资(额|完成额)?|累计完成(额)?|累计投资(额)?|完成额")
_THIS_YEAR = re.compile(r"^(本年度?|今年|年度|年初至今|自年初|年内|当年)")
_NOT_THIS_YEAR = re.compile(r"开工以来|自开工|开工至今|项目累计|建设以来|以前年度|历年|至上年|上年")
_ONE_MONTH = re.compile(rf"(本月|当月|^(20\d\d年)?{_MONTH_NUM}月份?)(累计)?完成")


def not_this_year_header(text: object) -> str | None:
    """Why a completed-investment header is not this year's cumulative figure, or None.

    >>> not_this_year_header("开工以来累计完成投资"), not_this_year_header("6月完成投资"), not_this_year_header("1-6月完成投资")
    ('自开工以来的累计数，不是本年累计', '单月完成数，不是自年初累计', None)
    """
    name = split_header(text)[0]
    if not _CUM_BODY.search(name):
        return None
    if _NOT_THIS_YEAR.search(name):
        return "自开工以来的累计数，不是本年累计"
    if _ONE_MONTH.search(name) and span_end(name)[1] is None:
        return "单月完成数，不是自年初累计"
    return None


def cumulative_header(text: object) -> tuple[int | None, int | None] | None:
    """``(year, month)`` when ``text`` heads this year's cumulative completed investment, else None.

    The month is the end of the span the header names (1-6月, 截至6月底, 上半年); None when
    the header leaves it to the sheet's title (本年累计完成投资, 累计完成投资).

    >>> cumulative_header("1—6月累计完成投资"), cumulative_header("截至6月底累计完成"), cumulative_header("完成投资")
    ((None, 6), (None, 6), None)
    """
    name = split_header(text)[0]
    if not _CUM_BODY.search(name) or not_this_year_header(text) is not None:
        return None
    year, month, words = span_end(name)
    rest = _YEAR_RE.sub("", name.replace(words, "", 1) if words else name)
    rest = re.sub(r"^(止|为止)", "", rest)
    this_year = _THIS_YEAR.match(rest)
    rest = rest[this_year.end() :] if this_year else rest
    if not _CUM_FULL.fullmatch(rest):
        return None
    if month is None and this_year is None and "累计" not in rest:
        return None  # "完成投资" alone: since when? (a mapping file can say)
    return year, month


#: Headers matched by pattern (a year written into the header).
HEADER_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "ledger": (
        (re.compile(r"^(20\d\d)年度?计划(完成)?投资(额)?$"), "annual_plan"),
        (re.compile(r"^(20\d\d)年度?投资计划$"), "annual_plan"),
    ),
    "progress": ((re.compile(r"^(20\d\d)年?1?-?\d{0,2}月?累计完成投资(额)?$"), "completed_cum"),),
    "indicators": (),
    "profiles": (),
    "tasks": (),
}

#: Money columns whose header, when its unit is a US-dollar unit, means a twin column kept in 万美元.
USD_TWINS: dict[str, dict[str, str]] = {"ledger": {"total_investment": "total_investment_usd"}}

#: Headers that are known and deliberately not read (no "unknown column" warning).
IGNORED_HEADERS = frozenset({"序号", "no", "no.", "#", "单位", "金额单位", "unit_of_money"})

#: Headers of a per-row money unit column (单位 column).
UNIT_COLUMN_HEADERS = frozenset({"单位", "金额单位", "计量单位", "money_unit"})

#: Category values (normalised) to contract choices. Documented in docs/data.md.
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "level": {
        LEVEL_ZH["province"]: "province",
        "省级重点": "province",
        "省重点": "province",
        "省": "province",
        LEVEL_ZH["city"]: "city",
        "市级重点": "city",
        "市重点": "city",
        "市": "city",
        LEVEL_ZH["county"]: "county",
        "县级重点": "county",
        "县重点": "county",
        "县": "county",
        LEVEL_ZH["district"]: "district",
        "区级重点": "district",
        "区重点": "district",
        "区": "district",
        **{c: c for c in LEVELS},
    },
    "ownership": {
        "民间": "private",
        "民营": "private",
        OWNERSHIP_ZH["private"]: "private",
        "民营企业": "private",
        "私营": "private",
        "国有": "state",
        "国企": "state",
        "国有企业": "state",
        OWNERSHIP_ZH["state"]: "state",
        "政府": "government",
        OWNERSHIP_ZH["government"]: "government",
        "外资": "foreign",
        "外商": "foreign",
        OWNERSHIP_ZH["foreign"]: "foreign",
        **{c: c for c in OWNERSHIPS},
    },
    # 四个一批 plus 推进: 开工 and 新开工 are both "start" (new this year); 在建, 推进 and
    # 续建 are all "advance" (started in an earlier year, still building); 竣工 and
    # 投产 (and 竣工投产) are "complete".
    "batch": {
        Batch.PLAN.zh: "plan",
        f"{Batch.PLAN.zh}一批": "plan",
        Batch.RESERVE.zh: "reserve",
        f"{Batch.RESERVE.zh}一批": "reserve",
        Batch.START.zh: "start",
        Batch.START.ledger_zh: "start",
        f"{Batch.START.zh}一批": "start",
        "在建": "advance",
        Batch.ADVANCE.zh: "advance",
        Batch.ADVANCE.ledger_zh: "advance",
        f"{Batch.ADVANCE.zh}一批": "advance",
        Batch.COMPLETE.zh: "complete",
        "投产": "complete",
        "竣工投产": "complete",
        f"{Batch.COMPLETE.zh}一批": "complete",
        "投产一批": "complete",
        **{c: c for c in BATCHES},
    },
}

#: Boolean cell values (normalised, lower case).
BOOL_VALUES: dict[str, bool] = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "1.0": True,
    "0.0": False,
    "true": True,
    "false": False,
    "√": True,
    "✓": True,
    "✔": True,
    "×": False,
    "✗": False,
    "x": False,
}

_BRACKETS = re.compile(r"[\(\[【<]\s*([^()\[\]【】<>]*?)\s*[\)\]】>]")
_SPACE = re.compile(r"\s+")


def normalise_header(text: object) -> str:
    """Comparable form of a header or value: NFKC, no whitespace, lower case.

    >>> normalise_header(" 总投资\\n（万元） ")
    '总投资(万元)'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return _SPACE.sub("", s).lower()


def normalise_value(text: object) -> str:
    """Comparable form of a category value: NFKC, stripped, lower case.

    >>> normalise_value(" 市级重点 ")
    '市级重点'
    """
    return normalise_header(text)


def split_header(text: object) -> tuple[str, str | None]:
    """Split a header into its name and the unit in brackets, if any.

    >>> split_header("累计同比增速（%）")
    ('累计同比增速', '%')
    >>> split_header("Total investment (10k yuan)")
    ('totalinvestment', '10kyuan')
    >>> split_header("项目名称")
    ('项目名称', None)
    """
    s = normalise_header(text)
    unit: str | None = None
    m = _BRACKETS.search(s)
    if m:
        unit = m.group(1) or None
        s = (s[: m.start()] + s[m.end() :]).strip()
    elif s.endswith("%"):
        unit, s = "%", s[:-1]
    else:
        for suffix in ("/万元", "/亿元", "/元", "万元", "亿元"):
            if s.endswith(suffix) and len(s) > len(suffix):
                unit, s = suffix.lstrip("/"), s[: -len(suffix)].rstrip("/")
                break
    return s, unit


def _table(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in fields_of(kind):
        for alias in (col.id, split_header(col.zh)[0], *HEADER_ALIASES[kind].get(col.id, ())):
            out.setdefault(split_header(alias)[0].replace("_", ""), col.id)
            out.setdefault(split_header(alias)[0], col.id)
    return out


_TABLES: dict[str, dict[str, str]] = {k: _table(k) for k in KINDS}


def match_header(text: object, kind: str, extra: Mapping[str, str] | None = None) -> str | None:
    """The contract id a header stands for in a file of ``kind``, or None.

    ``extra`` maps headers (normalised, with or without the bracketed unit) to ids: an
    office's mapping file (:mod:`hzlib.ingest.mapping`), looked at first.

    >>> match_header("Project ID", "ledger"), match_header("累计同比增速(%)", "indicators")
    ('project_id', 'cum_yoy')
    >>> match_header("总投资（万美元）", "ledger"), match_header("外资总投资", "ledger")
    ('total_investment_usd', 'total_investment_usd')
    >>> match_header("县（市、区）", "ledger"), match_header("建设单位", "ledger"), match_header("1-6月完成投资", "ledger")
    ('unit', 'owner', 'completed_cum')
    >>> match_header("区县名", "ledger", {"区县名": "unit"})
    'unit'
    """
    name, unit = split_header(text)
    if not name:
        return None
    if extra:
        hit = extra.get(normalise_header(text)) or extra.get(name)
        if hit:
            return hit
    table = _TABLES[kind]
    hit = table.get(name) or table.get(name.replace("_", ""))
    if hit:
        # "总投资（万美元）" is the foreign-currency amount, not the 万元 column
        twin = USD_TWINS.get(kind, {}).get(hit)
        if twin is not None and unit is not None and ("美" in unit or "usd" in unit):
            return twin
        return hit
    if kind == "ledger" and cumulative_header(text) is not None:
        return "completed_cum"
    for pattern, cid in HEADER_PATTERNS[kind]:
        if pattern.match(name):
            return cid
    if unit:  # brackets that belong to the name: 县（区）, 县（市、区）
        return table.get(re.sub(r"[、,，/]", "", name + unit))
    return None


def accepted_headers(kind: str, column_id: str) -> list[str]:
    """The headers accepted for one contract column, contract header first.

    >>> accepted_headers("progress", "month")[:3]
    ['月份', '月度', '统计月份']
    """
    col = next(c for c in fields_of(kind) if c.id == column_id)
    out = [col.zh]
    for alias in (*HEADER_ALIASES[kind].get(column_id, ()), column_id):
        if alias not in out and split_header(alias)[0] != split_header(col.zh)[0]:
            out.append(alias)
    return out
