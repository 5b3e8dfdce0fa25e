"""Fields an office's ledger sheet does not have, derived from the ones it has, and its progress.

After a ledger sheet is read (:func:`.table.build_table`, several sheets combined by
:mod:`.workbook`), :func:`finish_ledger`:

- makes a 项目编号 from name and unit when the sheet has none (stable: the same project
  gets the same id every quarter); two rows with the same name and unit are an error
  naming both rows;
- derives 是否新开工 from 项目类别 (新开工/开工 → 是, 续建/在建 → 否) or, failing that,
  from the planned start year against the ledger year;
- moves the cumulative completed-investment column(s) ("1-6月完成投资") into a monthly
  progress table (:attr:`ReadResult.progress`), checked against the ledger (more than the
  total investment is an error; a later month below an earlier one is an error);
- recomputes "占年度计划(%)" and warns where the sheet's figure differs beyond rounding.

Every derived value is reported (:meth:`ReadResult.did`).

>>> make_ids(pd.Series(["汉江大桥", "汉江大桥"]), pd.Series(["汉台区", "南郑区"])).str[:3].tolist()
['ID-', 'ID-']
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pandas as pd

from ..errors import WARNING, Problem
from ..units import WAN_PER_YI, to_percent
from .result import ReadResult
from .table import cell_problems
from .validate import check_progress, fmt_numbers, header_of, row_refs, where

__all__ = ["make_ids", "finish_ledger", "derive_ids", "derive_new_start", "split_progress", "check_completion_pct", "PCT_TOLERANCE_PP"]

#: "占年度计划(%)" may differ from completed ÷ annual plan by this many percentage points (rounding).
PCT_TOLERANCE_PP = 0.5
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _key(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)


def make_ids(name: pd.Series, unit: pd.Series) -> pd.Series:
    """Stable project ids from name and unit (NFKC, spaces ignored): ``ID-`` and 12 hex digits.

    The same name and unit give the same id in every file and every quarter, so a
    progress file made from one quarter's sheet still matches the next quarter's ledger.

    >>> a = make_ids(pd.Series(["汉江 大桥"]), pd.Series(["汉台区"])).iloc[0]
    >>> b = make_ids(pd.Series(["汉江大桥"]), pd.Series(["汉台区"])).iloc[0]
    >>> a == b, len(a)
    (True, 15)
    """
    return _ids_of(_key(unit), _key(name))


def _ids_of(unit_key: pd.Series, name_key: pd.Series) -> pd.Series:
    """:func:`make_ids` from the already normalised unit and name (:func:`_key`)."""
    keys = (unit_key + "\x1f" + name_key).to_numpy(dtype=object)
    h = pd.util.hash_array(keys, categorize=False) & np.uint64((1 << 48) - 1)
    shifts = np.arange(44, -1, -4, dtype=np.uint64)
    nibbles = ((h[:, None] >> shifts) & np.uint64(0xF)).astype(np.intp)
    text = np.ascontiguousarray(_HEX[nibbles]).view("S12").ravel().astype(str)
    return pd.Series(np.char.add("ID-", text), index=name_key.index, dtype=object)


def derive_ids(r: ReadResult) -> None:
    """A 项目编号 for every row of a ledger without one; rows with the same name and unit are errors."""
    f = r.frame
    if "project_id" in r.columns or "name" not in r.columns or f.empty:
        return
    named = f["name"].notna()
    unit_key, name_key = _key(f["unit"]), _key(f["name"])
    ids = _ids_of(unit_key, name_key).where(named, None)
    key = unit_key + "/" + name_key
    dup = key.duplicated(keep=False) & named
    if dup.any():
        for k, idx in key[dup].groupby(key[dup], sort=False).groups.items():
            rows = list(idx)
            r.problems.append(
                Problem(
                    _label_at(r, rows[1]),
                    int(r.rows[rows[1]]),
                    header_of(r, "name"),
                    f"项目名称和责任单位“{k}”相同的有 {len(rows)} 行：{row_refs(r, rows)}；表中没有项目编号时按名称和单位区分项目，"
                    "请删去重复的行、改正名称，或加一列项目编号 / same name and unit on several rows",
                )
            )
        nth = f.groupby(key, sort=False).cumcount()
        ids = ids.where(nth == 0, ids + "-" + (nth + 1).astype(str))
    r.frame["project_id"] = ids.astype(object)
    r.columns["project_id"] = "项目编号（由项目名称和责任单位生成）"
    r.derived.add("project_id")
    r.did(
        Problem.said(
            r.where,
            None,
            "项目编号",
            f"表中没有项目编号，按项目名称和责任单位生成稳定编号 {int(named.sum())} 个（如 {ids[named].iloc[0] if named.any() else ''}），"
            "同一项目各季度编号不变",
            "project ids made from name and unit",
            WARNING,
        )
    )


def derive_new_start(r: ReadResult) -> None:
    """是否新开工 from 项目类别 (新开工 → 是, 续建 → 否) or the planned start year; reported."""
    f = r.frame
    if "is_new_start" in r.columns or f.empty:
        return
    out = pd.Series(pd.NA, index=f.index, dtype="boolean")
    batch = f["batch"]
    by_batch = batch.isin(["start", "advance"])
    out[by_batch] = batch[by_batch].eq("start")
    planned = f["planned_start"]
    by_year = out.isna() & planned.notna() & (r.year is not None)
    if by_year.any():
        out[by_year] = planned[by_year].dt.year.eq(r.year)
    rest = out.isna() & batch.notna()
    out[rest] = False  # 竣工/谋划/储备 without a planned start this year: not a planned new start
    r.frame["is_new_start"] = out
    said = []
    if by_batch.any():
        n_new, n_old = int(batch[by_batch].eq("start").sum()), int(batch[by_batch].eq("advance").sum())
        said.append(f"由项目类别推断 {int(by_batch.sum())} 行（新开工→是 {n_new} 行，续建/在建→否 {n_old} 行）")
    if by_year.any():
        said.append(f"由计划开工时间推断 {int(by_year.sum())} 行（{r.year}年开工→是 {int(out[by_year].sum())} 行）")
    if rest.any():
        said.append(f"项目类别为竣工/谋划/储备且无本年计划开工时间→否 {int(rest.sum())} 行")
    if not said:
        r.problems.append(
            Problem(
                r.where, None, "是否新开工", "表中没有“是否新开工”列，也没有项目类别和计划开工时间可推断：开工率等目标将为无数据 / no new-start column", WARNING
            )
        )
        return
    r.columns["is_new_start"] = "是否新开工（推断）"
    r.derived.add("is_new_start")
    left = int(out.isna().sum())
    tail = f"；{left} 行无法推断，按缺失处理" if left else ""
    r.did(Problem.said(r.where, None, "是否新开工", "表中没有“是否新开工”列，" + "；".join(said) + tail, "is_new_start derived", WARNING))


def _label_at(r: ReadResult, i: int) -> str:
    return str(r.row_labels.iloc[i]) if r.row_labels is not None else r.where


def _one_month(r: ReadResult, month: str) -> ReadResult:
    """The progress rows of one cumulative column, as a progress file would give them."""
    col = r.cumulative[month]
    keep = col.values.notna() & r.frame["project_id"].notna()
    frame = pd.DataFrame(
        {"project_id": r.frame["project_id"][keep].astype(object), "month": month, "completed_cum": col.values[keep].astype(float)}
    ).reset_index(drop=True)
    p = ReadResult(
        kind="progress",
        file=r.file,
        frame=frame,
        encoding=r.encoding,
        sheet=r.sheet,
        year=r.year,
        label=r.label,
        rows=r.rows[keep].reset_index(drop=True),
        source_rows=int(keep.sum()),
        sheets=list(r.sheets),
        columns={"project_id": header_of(r, "project_id"), "month": f"月份（{col.header}）", "completed_cum": col.header},
    )
    p.row_labels = None if r.row_labels is None else r.row_labels[keep].reset_index(drop=True)
    p.wan_typed = {"completed_cum": col.wan[keep].reset_index(drop=True)}
    blank = int((col.blank & r.frame["project_id"].notna()).sum())
    if blank:
        r.did(Problem.said(r.where, None, col.header, f"{blank} 个项目本列为空，按截至 {month} 尚未完成投资处理（没有进度行）", "blank: no progress", WARNING))
    return p


def _tiny_against_total(r: ReadResult, p: ReadResult) -> list[Problem]:
    """Values that look like 亿元 typed into a 万元 column: tiny against the project's total investment."""
    total = r.frame.drop_duplicates("project_id").set_index("project_id")["total_investment"]
    t = p.frame["project_id"].map(total)
    v = p.frame["completed_cum"]
    tiny = p.wan_typed["completed_cum"] & (v > 0) & (v < 10) & (v < t / 1000)
    h = header_of(p, "completed_cum")
    return cell_problems(
        where(p),
        p.rows,
        tiny,
        h,
        lambda i: (
            "数值 "
            + fmt_numbers(v[i])
            + " 比该项目总投资 "
            + fmt_numbers(t[i])
            + " 万元小一千倍以上，疑为以亿元填写（本列按万元读入）；如确为亿元，请改为 "
            + fmt_numbers(v[i] * WAN_PER_YI)
            + " 或在表头写明（亿元） / looks 10^4 too small against the total"
        ),
        WARNING,
    )


def _falling(r: ReadResult) -> list[Problem]:
    """A later cumulative column below an earlier one on the same row (error: 自年初累计值不应减少)."""
    out: list[Problem] = []
    for a, b in pairwise(sorted(r.cumulative)):
        if a[:4] != b[:4]:
            continue
        va, vb = r.cumulative[a].values, r.cumulative[b].values
        down = va.notna() & vb.notna() & (vb < va - 1e-9)
        out += cell_problems(where(r), r.rows, down, r.cumulative[b].header, _went_down(a, b, va, vb))
    return out


def _went_down(a: str, b: str, va: pd.Series, vb: pd.Series) -> Callable[[pd.Index], pd.Series]:
    def said(i: pd.Index) -> pd.Series:
        return (
            f"累计完成投资从 {a} 的 "
            + fmt_numbers(va[i])
            + f" 万元降到 {b} 的 "
            + fmt_numbers(vb[i])
            + " 万元；自年初累计值不应减少，请核对两列 / cumulative progress went down"
        )

    return said


def split_progress(r: ReadResult) -> None:
    """Move a ledger sheet's cumulative columns into ``r.progress`` and check them against the ledger."""
    if not r.cumulative or r.frame.empty:
        return
    parts = [_one_month(r, m) for m in sorted(r.cumulative)]
    for p in parts:
        r.problems += check_progress(p, r)
        if "total_investment" in r.columns:
            r.problems += _tiny_against_total(r, p)
    r.problems += _falling(r)
    progress = parts[0] if len(parts) == 1 else _concat_progress(r, parts)
    r.progress = progress
    months = "、".join(f"“{r.cumulative[m].header}”→ {m}" for m in sorted(r.cumulative))
    r.did(Problem.said(r.where, None, None, f"累计完成投资列读作月度进度：{months}（{len(progress.frame)} 行）", "cumulative column read as progress", WARNING))


def _concat_progress(r: ReadResult, parts: list[ReadResult]) -> ReadResult:
    p = ReadResult(
        kind="progress",
        file=r.file,
        frame=pd.concat([q.frame for q in parts], ignore_index=True),
        encoding=r.encoding,
        sheet=r.sheet,
        year=r.year,
        label=r.label,
        rows=pd.concat([q.rows for q in parts], ignore_index=True),
        source_rows=sum(q.source_rows for q in parts),
        sheets=list(r.sheets),
        columns=dict(parts[-1].columns),
    )
    if r.row_labels is not None:
        p.row_labels = pd.concat([q.row_labels for q in parts if q.row_labels is not None], ignore_index=True)
    p.wan_typed = {"completed_cum": pd.concat([q.wan_typed["completed_cum"] for q in parts], ignore_index=True)}
    return p


def check_completion_pct(r: ReadResult) -> list[Problem]:
    """ "占年度计划(%)" against completed ÷ annual plan (the latest cumulative column); warnings beyond rounding."""
    if "completion_pct" not in r.extra.columns or not r.cumulative or "annual_plan" not in r.columns:
        return []
    month = max(r.cumulative)
    col = r.cumulative[month]
    typed = to_percent(r.extra["completion_pct"])
    plan = r.frame["annual_plan"]
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = to_percent(col.values / plan)
    bad = typed.notna() & computed.notna() & (plan > 0) & ((typed - computed).abs() > PCT_TOLERANCE_PP)
    h = header_of(r, "completion_pct")
    return cell_problems(
        where(r),
        r.rows,
        bad,
        h,
        lambda i: (
            "写的是 "
            + fmt_numbers(typed[i].round(2))
            + f"%，按“{col.header}” "
            + fmt_numbers(col.values[i])
            + " ÷ 年度计划投资 "
            + fmt_numbers(plan[i])
            + " 算得 "
            + computed[i].map(lambda x: f"{x:.2f}")
            + "%；请核对这三个数中哪个有误 / percent differs from completed ÷ plan"
        ),
        WARNING,
    )


def finish_ledger(r: ReadResult) -> None:
    """Everything derived after a ledger (all its sheets) is read: ids, 是否新开工, progress, the % check."""
    if r.kind != "ledger" or r.frame.empty:
        return
    derive_ids(r)
    derive_new_start(r)
    split_progress(r)
    r.problems += check_completion_pct(r)
