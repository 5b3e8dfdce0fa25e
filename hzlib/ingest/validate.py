"""Checks across rows and across files, after every cell has been read.

Each check returns problems naming the file, the source row and the header as
written. Errors make the file unusable until fixed; warnings are shown and the
data is used as read.

====================================  ========  =========================================
check                                 severity  applies to
====================================  ========  =========================================
duplicate project ids                 error     ledger (all rows sharing an id named)
annual plan > total investment        warning   ledger
actual start after actual completion  error     ledger
外资总投资 on a non-foreign project   warning   ledger
planned start after planned end       error     ledger
actual/procedure dates after the      error     ledger (period: latest cumulative column,
sheet's period                                  else the title)
same name under two units             warning   ledger (error when total investment and
                                                annual plan are equal too)
dates far outside plausible years     warning   ledger
亿元 typed in a 万元 column             warning   every money column (median); annual plan
                                                against the project's total
duplicate project + month             error     progress
cumulative progress going down        error     progress
month not in the ledger year          warning   progress
project id not in the ledger          error     progress (when a ledger is given)
completed > total investment          error     progress (when a ledger is given)
duplicate keys                        error     profiles
same period twice (any spelling)      warning   indicators, tasks (error when the values differ)
"85%" with a unit other than %        error     tasks
====================================  ========  =========================================

>>> import pandas as pd
>>> from .result import ReadResult
>>> f = pd.DataFrame({"project_id": ["P1", "P2", "P1"]})
>>> r = ReadResult(kind="ledger", file="a.csv", frame=f, rows=pd.Series([3, 4, 7]))
>>> [str(p) for p in check_duplicates(r, ["project_id"])]
['a.csv 第7行 [项目编号]：项目编号“P1”重复，共 2 行：第3、7行 / duplicate project id']
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..errors import ERROR, WARNING, Problem
from ..plan.indicators import INDICATORS, STATISTICS
from ..units import WAN_PER_YI
from .aliases import CONTRACTS, span_end, split_header
from .repeated_periods import check_repeated_periods
from .result import ReadResult
from .table import cell_problems, compact_rows

__all__ = [
    "header_of",
    "where",
    "row_refs",
    "fmt_numbers",
    "check_duplicates",
    "check_wan_magnitudes",
    "check_dates",
    "check_ledger",
    "check_progress",
    "check_indicators",
    "check_profiles",
    "check_tasks",
    "PLAUSIBLE_YEARS",
]

#: Dates outside these years are warned about when the ledger year is unknown;
#: with a ledger year Y the range is Y-25 .. Y+25.
PLAUSIBLE_YEARS = (1980, 2060)


def header_of(r: ReadResult, cid: str) -> str:
    """The header of ``cid`` as written in the file, else the contract header."""
    if cid in r.columns:
        return r.columns[cid]
    return next(c.zh for c in CONTRACTS[r.kind] if c.id == cid)


def fmt_numbers(x: pd.Series) -> pd.Series:
    """Numbers for messages: 12000.0 -> '12000', 0.25 -> '0.25'."""
    return x.map(lambda v: f"{v:.6f}".rstrip("0").rstrip("."), na_action="ignore").astype(str)


_fmt = fmt_numbers


def where(r: ReadResult) -> str | pd.Series:
    """The label problems name: the file (and sheet), or one label per row when rows come from several sheets."""
    return r.row_labels if r.row_labels is not None else r.where


def row_refs(r: ReadResult, idx: list[int]) -> str:
    """Rows of ``r.frame`` (positions) as users find them: 第3、7行, or 汉台区 第3行、南郑区 第7行 across sheets.

    >>> r = ReadResult(kind="ledger", file="a.csv", frame=pd.DataFrame({"x": [1, 2]}), rows=pd.Series([3, 7]))
    >>> row_refs(r, [0, 1])
    '第3、7行'
    """
    rows = [int(r.rows.iloc[i]) for i in idx]
    if r.row_labels is None or r.row_labels.iloc[idx].nunique() <= 1:
        return f"第{compact_rows(rows) if len(rows) > 6 else '、'.join(map(str, sorted(rows)))}行"
    return "、".join(f"{r.row_labels.iloc[i]} 第{n}行" for i, n in zip(idx, rows))


def check_duplicates(r: ReadResult, keys: list[str]) -> list[Problem]:
    """Rows that share the same key (one error per key, naming every row)."""
    f = r.frame
    if f.empty or any(k not in f.columns for k in keys):
        return []
    present = f[keys].notna().all(axis=1)
    dup = f[keys].duplicated(keep=False) & present
    if not dup.any():
        return []
    key = f.loc[dup, keys].astype(str).agg("/".join, axis=1)
    names = "/".join(header_of(r, k) for k in keys)
    col = header_of(r, keys[0]) if len(keys) == 1 else names
    what = "项目编号" if keys == ["project_id"] else names
    en = "duplicate project id" if keys == ["project_id"] else "duplicate key"
    out = []
    for k, idx in key.groupby(key, sort=False).groups.items():
        pos = sorted((f.index.get_loc(i) for i in idx), key=lambda i: (str(r.row_labels.iloc[i]) if r.row_labels is not None else "", int(r.rows.iloc[i])))
        second = pos[1]
        label = str(r.row_labels.iloc[second]) if r.row_labels is not None else r.where
        out.append(Problem(label, int(r.rows.iloc[second]), col, f"{what}“{k}”重复，共 {len(pos)} 行：{row_refs(r, pos)} / {en}"))
    return out


_YI_TAIL = " 或在表头写明（亿元） / looks 10^4 too small: 亿元 typed in a 万元 column?"


def check_wan_magnitudes(r: ReadResult) -> list[Problem]:
    """Values about 10^4 too small for a 万元 column: 亿元 typed in a 万元 column.

    A positive value typed in 万元 is suspect when it is below 1 while the
    column's median is at least 1000, or (total investment) below a
    thousandth of the same row's annual plan, or (annual plan) below 10 and
    below a thousandth of the same row's total investment. (A ledger sheet's
    cumulative column is checked against the total in ``derive``.)
    """
    f = r.frame
    out: list[Problem] = []
    for cid, wan in r.wan_typed.items():
        v = f[cid]
        pos = (v > 0) & wan
        if not pos.any():
            continue
        med = float(v[pos].median())
        small = pos & (v < 1) & (med >= 1000)
        if cid == "total_investment" and "annual_plan" in f.columns:
            small |= pos & (v < f["annual_plan"] / 1000)
        # against the project's own total: an annual plan of 3 where the total is 45000
        by_total = pos & ~small & (v < 10) & (v < f["total_investment"] / 1000) if cid == "annual_plan" and "total_investment" in r.columns else pos & False
        h = header_of(r, cid)
        if small.any():

            def msg(i: pd.Index, v: pd.Series = v, med: float = med) -> pd.Series:
                return (
                    "数值 "
                    + _fmt(v[i])
                    + f" 比同列其他数值（中位数 {med:g}）小约一万倍，疑为以亿元填写（本列按万元读入）；如确为亿元，请改为 "
                    + _fmt(v[i] * WAN_PER_YI)
                    + _YI_TAIL
                )

            out += cell_problems(where(r), r.rows, small, h, msg, WARNING)
        if by_total.any():

            def msg_total(i: pd.Index, v: pd.Series = v) -> pd.Series:
                return (
                    "数值 "
                    + _fmt(v[i])
                    + " 比该项目总投资 "
                    + _fmt(f["total_investment"][i])
                    + " 万元小一千倍以上，疑为以亿元填写（本列按万元读入）；如确为亿元，请改为 "
                    + _fmt(v[i] * WAN_PER_YI)
                    + _YI_TAIL
                )

            out += cell_problems(where(r), r.rows, by_total, h, msg_total, WARNING)
    return out


def check_dates(r: ReadResult) -> list[Problem]:
    """Dates far outside plausible years (warning)."""
    lo, hi = (r.year - 25, r.year + 25) if r.year else PLAUSIBLE_YEARS
    out: list[Problem] = []
    for c in CONTRACTS[r.kind]:
        if c.kind != "date" or c.id not in r.columns:
            continue
        d = r.frame[c.id]
        far = d.notna() & ((d.dt.year < lo) | (d.dt.year > hi))
        msg = lambda i, d=d: "日期 " + d[i].dt.strftime("%Y-%m-%d").fillna("") + f" 超出合理年份范围（{lo}–{hi}），请核对 / implausible year"  # noqa: E731
        out += cell_problems(where(r), r.rows, far, header_of(r, c.id), msg, WARNING)
    return out


def _order(r: ReadResult, first: str, then: str, severity: str, zh: str) -> list[Problem]:
    f = r.frame
    if first not in r.columns or then not in r.columns:
        return []
    a, b = f[first], f[then]
    bad = a.notna() & b.notna() & (a > b)

    def msg(i: pd.Index) -> pd.Series:
        return (
            header_of(r, first)
            + " "
            + a[i].dt.strftime("%Y-%m-%d").fillna("")
            + " 晚于 "
            + header_of(r, then)
            + " "
            + b[i].dt.strftime("%Y-%m-%d").fillna("")
            + f"：{zh}"
        )

    return cell_problems(where(r), r.rows, bad, header_of(r, first), msg, severity)


def _key(s: pd.Series) -> pd.Series:
    """Names and units compared as people mean them (NFKC, spaces ignored)."""
    return s.fillna("").astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)


def check_same_name(r: ReadResult) -> list[Problem]:
    """The same project name under two units (one sheet per county, or a project copied into two groups).

    A warning naming every row and unit; an error when the rows also have equal total
    investment and annual plan (almost certainly one project entered twice). Rows with the
    same name and the same unit are :func:`.derive.derive_ids`'s error.
    """
    f = r.frame
    if f.empty or "name" not in r.columns or "unit" not in f.columns:
        return []
    name, unit = _key(f["name"]), _key(f["unit"])
    named = f["name"].notna() & name.ne("")
    first = named & ~(name + "\x1f" + unit).duplicated()  # one row per name and unit
    multi = name[first].duplicated(keep=False)
    many = multi[multi].index
    if many.empty:
        return []
    money = [c for c in ("total_investment", "annual_plan") if c in r.columns]
    out: list[Problem] = []
    for _, idx in name[many].groupby(name[many], sort=False).groups.items():
        rows = list(idx)
        amounts = f.loc[rows, money]
        same_money = bool(money) and bool(amounts.notna().all().all()) and bool((amounts.nunique() == 1).all())
        refs = [_row_with_unit(r, i) for i in rows]
        places = "、".join(refs[:-1]) + "和" + refs[-1]
        shown = str(f["name"].iloc[rows[0]])
        if same_money:
            zh = {c.id: split_header(c.zh)[0] for c in CONTRACTS["ledger"]}
            said = "、".join(f"{zh[c]} {_fmt(f[c].iloc[rows[:1]]).iloc[0]} 万元" for c in money)
            msg = (
                f"项目“{shown}”在{places}各出现一次，且{said}都相同，几乎可以肯定是同一项目录入了两次：请删去多余的行；"
                "若确为不同项目，请在名称中区分 / the same project under two units"
            )
            severity = ERROR
        else:
            msg = f"项目“{shown}”在{places}各出现一次：若为同一项目请删去一行，若为不同项目请在名称中区分 / same project name under two units"
            severity = WARNING
        label = r.row_labels.iloc[rows[-1]] if r.row_labels is not None else r.where
        out.append(Problem(str(label), int(r.rows.iloc[rows[-1]]), header_of(r, "name"), msg, severity))
    return out


def _row_with_unit(r: ReadResult, i: int) -> str:
    """第5行（汉台区）; 表.xlsx（工作表“汉台区”） 第5行 when the rows come from several sheets (the sheet is the unit)."""
    unit = r.frame["unit"].iloc[i]
    shown = "未填单位" if pd.isna(unit) or not str(unit).strip() else str(unit)
    if r.row_labels is None:
        return f"{row_refs(r, [i])}（{shown}）"
    label = str(r.row_labels.iloc[i])
    ref = f"{label} 第{int(r.rows.iloc[i])}行"
    return ref if f"“{shown}”" in label else f"{ref}（{shown}）"


#: Dates that say something happened: they cannot fall after the period the sheet reports on.
_DONE_DATES = ("actual_start", "actual_completion", "proc_planning", "proc_land", "proc_eia", "proc_energy")


def sheet_period(r: ReadResult) -> str | None:
    """The ``YYYY-MM`` a ledger sheet reports to: its latest cumulative column, else its title (with the year)."""
    if r.cumulative:
        return max(r.cumulative)
    year, month, _ = span_end(r.title) if r.title else (None, None, "")
    year = year or r.year
    return f"{year:04d}-{month:02d}" if year and month else None


def check_after_period(r: ReadResult) -> list[Problem]:
    """实际开工/竣工 and 手续办结 dates after the end of the sheet's period (error: not yet happened)."""
    period = sheet_period(r)
    if period is None or r.kind != "ledger":
        return []
    end = pd.Period(period, freq="M").end_time.normalize()
    y, m = int(period[:4]), int(period[5:])
    shown = f"{y}年{m}月末" if m == 1 else f"{y}年1-{m}月末"
    out: list[Problem] = []
    for cid in _DONE_DATES:
        if cid not in r.columns:
            continue
        d = r.frame[cid]
        late = d.notna() & (d > end)
        h = header_of(r, cid)
        out += cell_problems(where(r), r.rows, late, h, _late_message(d, h, shown))
    return out


def _late_message(d: pd.Series, header: str, shown: str) -> Callable[[pd.Index], pd.Series]:
    def said(i: pd.Index) -> pd.Series:
        return header + " " + d[i].dt.strftime("%Y-%m-%d").fillna("") + f" 晚于本表期别 {shown}：请核对（未发生的日期不要填写） / date after the sheet's period"

    return said


def check_ledger(r: ReadResult) -> list[Problem]:
    """Checks across the rows of a project ledger."""
    f = r.frame
    out = check_duplicates(r, ["project_id"])
    if "total_investment" in r.columns and "annual_plan" in r.columns:
        over = f["annual_plan"] > f["total_investment"]

        def msg(i: pd.Index) -> pd.Series:
            return (
                "年度计划投资 "
                + _fmt(f["annual_plan"][i])
                + " 万元大于总投资 "
                + _fmt(f["total_investment"][i])
                + " 万元，请核对单位或数值 / annual plan exceeds total investment"
            )

        out += cell_problems(where(r), r.rows, over, header_of(r, "annual_plan"), msg, WARNING)
    if "total_investment_usd" in r.columns and "ownership" in r.columns:
        stray = f["total_investment_usd"].notna() & f["ownership"].ne("foreign") & f["ownership"].notna()
        out += cell_problems(
            where(r),
            r.rows,
            stray,
            header_of(r, "total_investment_usd"),
            "填写了外资总投资，但投资主体不是外商投资；外资门槛只用于外资项目 / US-dollar amount on a project that is not foreign-funded",
            WARNING,
        )
    out += _order(r, "actual_start", "actual_completion", ERROR, "开工不能晚于竣工 / actual start after actual completion")
    out += _order(r, "planned_start", "planned_completion", ERROR, "计划开工不能晚于计划竣工 / planned start after planned completion")
    out += check_dates(r)
    out += check_after_period(r)
    out += check_same_name(r)
    out += check_wan_magnitudes(r)
    return out


def check_progress(r: ReadResult, ledger: ReadResult | pd.DataFrame | None = None) -> list[Problem]:
    """Checks across the rows of monthly progress, and against the ledger when given."""
    f = r.frame
    out = check_duplicates(r, ["project_id", "month"])
    out += check_wan_magnitudes(r)
    if f.empty or "month" not in r.columns:
        return out
    h_cum = header_of(r, "completed_cum")
    # cumulative values must not go down within a year
    if "completed_cum" in r.columns and "project_id" in r.columns:
        d = pd.DataFrame({"id": f["project_id"], "month": f["month"], "v": f["completed_cum"]}).dropna()
        d = d.sort_values(["id", "month"], kind="stable")
        g = d.groupby("id", sort=False)
        prev_v, prev_m = g["v"].shift(), g["month"].shift()
        down = prev_v.notna() & (d["v"] < prev_v - 1e-9) & (prev_m.str[:4] == d["month"].str[:4])
        down = down.reindex(f.index, fill_value=False)

        def msg(i: pd.Index) -> pd.Series:
            return (
                "累计完成投资从 "
                + prev_m.reindex(i).fillna("").astype(str)
                + " 的 "
                + _fmt(prev_v.reindex(i))
                + " 万元降到 "
                + f["month"][i].fillna("").astype(str)
                + " 的 "
                + _fmt(f["completed_cum"][i])
                + " 万元；自年初累计值不应减少 / cumulative progress went down"
            )

        out += cell_problems(where(r), r.rows, down, h_cum, msg)
    # months in the ledger year
    year = r.year
    if year is None and isinstance(ledger, ReadResult):
        year = ledger.year
    years = f["month"].str[:4]
    if year is None and years.notna().any():
        year = int(years.mode().iloc[0])
    if year is not None:
        other = years.notna() & (years != f"{year:04d}")
        msg = lambda i: "月份 " + f["month"][i].fillna("").astype(str) + f" 不在台账年度 {year} 年内 / month outside the ledger year"  # noqa: E731
        out += cell_problems(where(r), r.rows, other, header_of(r, "month"), msg, WARNING)
    # against the ledger
    lf = ledger.frame if isinstance(ledger, ReadResult) else ledger
    if lf is not None and "project_id" in lf.columns and "project_id" in r.columns:
        known = lf["project_id"].dropna()
        unknown = f["project_id"].notna() & ~f["project_id"].isin(known)
        msg = lambda i: "项目编号“" + f["project_id"][i].fillna("").astype(str) + "”不在项目台账中 / project id not in the ledger"  # noqa: E731
        out += cell_problems(where(r), r.rows, unknown, header_of(r, "project_id"), msg)
        if "total_investment" in lf.columns and "completed_cum" in r.columns:
            total = lf.drop_duplicates("project_id").set_index("project_id")["total_investment"]
            t = f["project_id"].map(total)
            over = t.notna() & f["completed_cum"].notna() & (f["completed_cum"] > t + 1e-6)
            names = lf.drop_duplicates("project_id").set_index("project_id")["name"] if "name" in lf.columns else pd.Series(dtype=object)

            def msg(i: pd.Index) -> pd.Series:
                pid = f["project_id"][i].fillna("").astype(str)
                name = pid.map(names).fillna("")
                return (
                    "累计完成投资 "
                    + _fmt(f["completed_cum"][i])
                    + " 万元超过项目“"
                    + pid
                    + name.where(name == "", "（" + name + "）")
                    + "”的总投资 "
                    + _fmt(t[i])
                    + " 万元：请核对本行完成投资或总投资（单位是否一致） / completed exceeds total investment"
                )

            out += cell_problems(where(r), r.rows, over, h_cum, msg)
    return out


def check_indicators(r: ReadResult) -> list[Problem]:
    """Checks across the rows of an indicators file."""
    # one period written two ways is one key (periods are canonical): equal values are one figure, else an error
    return check_repeated_periods(r, ["jurisdiction", "period", "indicator"], ["level", "cum_yoy"]) + check_wan_magnitudes(r) + check_share_levels(r)


def check_share_levels(r: ReadResult) -> list[Problem]:
    """A share indicator (民间投资占比 …) has no 累计值: the 累计值 column holds money (read in 万元
    with the header's unit), so a share written there would be taken as an amount and shown
    a hundred or a million times too large. The share is the ratio of the two amounts
    (:attr:`hzlib.plan.indicators.Indicator.share_of`), each on its own row.

    Example: a row 汉中市, 2023Q2, private_inv_share, 累计值 37.5 is an error on its 累计值 cell
    (``tests/test_rate_units.py``); the rows of private_inv and fai give the share.
    """
    f = r.frame
    if "level" not in f.columns or "indicator" not in f.columns:
        return []
    shares = {i.id: i for i in INDICATORS.values() if i.share_of is not None}
    ind = f["indicator"].astype("string")
    bad = ind.isin(list(shares)).fillna(False) & f["level"].notna()
    if not bad.any():
        return []

    def message(idx: pd.Index) -> pd.Series:
        def one(i: object) -> str:
            share = shares[str(ind[i])]
            assert share.share_of is not None
            num, den = (STATISTICS.get(k, k) for k in share.share_of)
            return (
                f"{share.zh}是比率，不是累计值：请分别填写 {num} 和 {den} 的累计值（各占一行），占比由两者之比算出 / a share has no level: give its two amounts"
            )

        return pd.Series([one(i) for i in idx], index=idx)

    return cell_problems(where(r), r.rows, bad, header_of(r, "level"), message)


def check_profiles(r: ReadResult) -> list[Problem]:
    """Checks across the rows of a quarterly profile file."""
    return check_duplicates(r, ["jurisdiction", "indicator", "year"]) + check_wan_magnitudes(r)


def check_tasks(r: ReadResult) -> list[Problem]:
    """Checks across the rows of a reported-tasks file (the plan-aware checks are in :mod:`hzlib.tasks`)."""
    out = check_repeated_periods(r, ["target_id", "period"], ["value", "unit"], filled="value", amounts={"value": "unit"})
    pct = r.percent_typed.get("value")
    if pct is not None and "unit" in r.frame.columns:
        f = r.frame
        unit = f["unit"].fillna("").astype(str).str.strip()
        bad = pct.to_numpy(dtype=bool) & ~unit.isin(["%", "％", "百分比"]).to_numpy(dtype=bool)
        out += cell_problems(
            where(r),
            r.rows,
            pd.Series(bad, index=f.index),
            header_of(r, "value"),
            lambda i: "完成值带百分号，但计量单位是“" + unit[i] + "”；百分比目标的计量单位应填 % / percent sign with a non-percent unit",
        )
    return out
