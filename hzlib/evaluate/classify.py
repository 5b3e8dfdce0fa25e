"""A plan's project list (项目清单): which ledger projects enter it, and in which class.

汉中 2022 附件2 is the model: projects of 1亿元 and more (foreign-funded projects:
5000万美元 and more) enter the list, classed by the year they are planned to
start or complete relative to the plan year Y (谋划 Y+2..Y+3, 储备 Y+1, 开工 Y,
推进 started before Y and completing after Y, 竣工 Y), and the five classes never
overlap. The rule itself is data (:class:`hzlib.plan.schema.ProjectList`).

Readings, all stated in the plan file or here:

- "拟于……开工/竣工" are planned dates: a class is decided by the planned start
  and completion year; where a planned date is missing the actual one is used;
- "1亿元以上" includes 1亿元 (统计上“以上”含本数);
- a foreign-funded project (ownership ``foreign``) is held to the foreign
  threshold only, in 万美元 as the ledger states them; without a US-dollar
  amount it is converted at the plan's stated rate, and with neither it cannot
  be decided and is listed as such;
- when a project matches several classes the lowest ``priority`` wins and all
  matches are kept in ``matched`` so the overlap stays visible.

Worked example (plan year 2022, threshold 1亿元 = 10000万元):

>>> import pandas as pd
>>> from hzlib.plan.schema import ProjectList
>>> rule = ProjectList.model_validate({
...     "label": "清单", "min_total_investment": {"value": 1, "unit": "亿元"},
...     "min_total_investment_foreign": {"value": 5000, "unit": "万美元"},
...     "classes": [
...         {"id": "start", "label": "开工项目", "start_offset": [0, 0], "priority": 1},
...         {"id": "complete", "label": "竣工项目", "completion_offset": [0, 0], "priority": 2},
...         {"id": "advance", "label": "推进项目", "start_offset": [None, -1], "completion_offset": [1, None], "priority": 3}],
...     "source": {"section": "附件2", "quote": "五类项目互不交叉"}})
>>> ledger = pd.DataFrame({
...     "project_id": ["A", "B", "C", "D"], "ownership": ["state", "state", "foreign", "private"],
...     "total_investment": [10000.0, 9999.0, 20100.0, 50000.0], "total_investment_usd": [None, None, 3000.0, None],
...     "planned_start": pd.to_datetime(["2022-03-01", "2022-04-01", "2022-05-01", "2021-06-01"]),
...     "planned_completion": pd.to_datetime(["2022-11-30", "2023-12-31", "2023-06-30", "2024-06-30"])})
>>> out = classify_projects(ledger, rule, 2022)
>>> out[["project_id", "in_list", "list_class", "matched"]].values.tolist()
[['A', True, 'start', 'start+complete'], ['B', False, None, ''], ['C', False, None, ''], ['D', True, 'advance', 'advance']]
>>> out.loc[1, "reason"], out.loc[2, "reason"]
('总投资9,999万元，不足1亿元', '外资项目总投资3,000万美元，不足5,000万美元')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plan.schema import ProjectList
from ..textfmt import fmt_number
from ..units import convert_money, to_wan

__all__ = ["CLASSIFY_COLUMNS", "classify_projects", "list_summary", "list_mismatches"]

#: Columns of :func:`classify_projects` besides the ledger's own.
CLASSIFY_COLUMNS = ["in_list", "list_class", "list_label", "matched", "start_year", "completion_year", "reason"]


def _years(ledger: pd.DataFrame, planned: str, actual: str) -> pd.Series:
    """Planned year, else actual year (Int64, NA when neither is known)."""
    out = pd.Series(pd.NA, index=ledger.index, dtype="Int64")
    for col in (planned, actual):
        if col in ledger.columns:
            y = pd.to_datetime(ledger[col], errors="coerce").dt.year.astype("Int64")
            out = out.fillna(y)
    return out


def _within(year: pd.Series, base: int, offset: tuple[int | None, int | None] | None) -> pd.Series:
    """Year within ``base + offset`` (open ends are None); no condition when offset is None."""
    if offset is None:
        return pd.Series(True, index=year.index)
    lo, hi = offset
    ok = year.notna()
    if lo is not None:
        ok &= year.fillna(0) >= base + lo
    if hi is not None:
        ok &= year.fillna(0) <= base + hi
    return ok.astype(bool)


def classify_projects(ledger: pd.DataFrame, rule: ProjectList, year: int, *, cny_per_usd: float | None = None) -> pd.DataFrame:
    """Each ledger project's place in the plan's project list (see the module docstring).

    Returns the ledger's id columns plus :data:`CLASSIFY_COLUMNS`: ``in_list``
    is True/False (NA when it cannot be decided), ``list_class`` the class id
    (None outside the list), ``reason`` says in Chinese why a project is not
    in the list or not decided ('' when classed).
    """
    keep = [c for c in ("project_id", "name", "unit", "level", "ownership", "batch", "total_investment", "total_investment_usd") if c in ledger.columns]
    out = ledger[keep].copy()
    n = len(out)
    total = pd.to_numeric(ledger.get("total_investment", pd.Series(np.nan, index=ledger.index)), errors="coerce").astype(float)
    foreign = ledger.get("ownership", pd.Series("", index=ledger.index)).eq("foreign").to_numpy(dtype=bool)
    if rule.min_total_investment_foreign is None:
        foreign = np.zeros(n, dtype=bool)

    # threshold test, in 万元 for domestic projects and in 万美元 for foreign ones
    cny_min = to_wan(rule.min_total_investment.value, rule.min_total_investment.unit)
    cny_ok = (total >= cny_min - 1e-6).to_numpy(dtype=bool)
    reason = np.full(n, "", dtype=object)
    cny_label = fmt_number(rule.min_total_investment.value) + rule.min_total_investment.unit
    short = ~cny_ok & ~foreign & total.notna().to_numpy()
    reason[short] = ("总投资" + total[short].map(fmt_number).astype(str) + f"万元，不足{cny_label}").to_numpy(dtype=object)
    no_total = total.isna().to_numpy() & ~foreign
    reason[no_total] = "总投资未填，无法判定是否达到入库门槛"
    decided = ~no_total
    passes = cny_ok.copy()
    if foreign.any():
        ft = rule.min_total_investment_foreign
        assert ft is not None
        usd_min = convert_money(ft.value, ft.unit, "万美元")
        usd = pd.to_numeric(ledger.get("total_investment_usd", pd.Series(np.nan, index=ledger.index)), errors="coerce").astype(float)
        if cny_per_usd:
            usd = usd.fillna(total / cny_per_usd)
        usd_ok = (usd >= usd_min - 1e-6).to_numpy(dtype=bool)
        usd_known = usd.notna().to_numpy()
        f_label = fmt_number(ft.value) + ft.unit
        f_short = foreign & usd_known & ~usd_ok
        reason[f_short] = ("外资项目总投资" + usd[f_short].map(fmt_number).astype(str) + f"万美元，不足{f_label}").to_numpy(dtype=object)
        f_unknown = foreign & ~usd_known
        reason[f_unknown] = f"外资项目未填外资总投资（万美元），方案未给汇率，无法判定是否达到{f_label}"
        passes = np.where(foreign, usd_ok, passes)
        decided = np.where(foreign, usd_known, decided)

    start_y = _years(ledger, "planned_start", "actual_start")
    end_y = _years(ledger, "planned_completion", "actual_completion")
    classes = sorted(rule.classes, key=lambda c: c.priority)
    hits = np.column_stack([(_within(start_y, year, c.start_offset) & _within(end_y, year, c.completion_offset)).to_numpy(dtype=bool) for c in classes])
    ids = np.array([c.id for c in classes], dtype=object)
    labels = {c.id: c.label for c in classes}
    any_hit = hits.any(axis=1)
    first = np.where(any_hit, ids[hits.argmax(axis=1)], None)
    joined = np.full(n, "", dtype=object)
    for k, cid in enumerate(ids):  # one pass per class, not per project
        joined = np.where(hits[:, k], np.where(joined == "", cid, joined + "+" + cid), joined)
    matched = pd.Series(joined, index=out.index, dtype=object)

    in_list = pd.array(np.where(decided, passes & any_hit, False), dtype="boolean")
    in_list[~np.asarray(decided, dtype=bool)] = pd.NA
    eligible_unclassed = np.asarray(decided, dtype=bool) & passes & ~any_hit
    if eligible_unclassed.any():

        def when(y: pd.Series, what: str) -> pd.Series:
            return (what + y.astype("string") + "年").fillna(what + "未填")

        m = pd.Series(eligible_unclassed, index=out.index)
        desc = when(start_y[m], "计划开工") + "、" + when(end_y[m], "计划竣工")
        reason[eligible_unclassed] = ("不属于任何一类（" + desc + "）").to_numpy(dtype=object)
    klass = np.where(np.asarray(in_list.fillna(False), dtype=bool), first, np.asarray(None, dtype=object))
    out["in_list"] = in_list
    out["list_class"] = pd.Series(klass, index=out.index, dtype=object)
    out["list_label"] = out["list_class"].map(labels)
    out["matched"] = matched.where(np.asarray(in_list.fillna(False), dtype=bool), "")
    out["start_year"] = start_y
    out["completion_year"] = end_y
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    return out.reset_index(drop=True)


def list_summary(classified: pd.DataFrame, rule: ProjectList) -> pd.DataFrame:
    """Count and total investment (万元) per class, then the projects outside the list and undecided.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"in_list": pd.array([True, True, False, pd.NA], dtype="boolean"),
    ...                   "list_class": ["start", "start", None, None], "total_investment": [1.0e4, 2.0e4, 5.0e3, 9.0e4]})
    >>> from types import SimpleNamespace as NS
    >>> rule = NS(classes=[NS(id="start", label="开工项目", priority=1)])
    >>> list_summary(c, rule)[["class", "projects", "total_investment"]].values.tolist()
    [['start', 2, 30000.0], ['outside', 1, 5000.0], ['undecided', 1, 90000.0]]
    """
    total = classified.get("total_investment", pd.Series(np.nan, index=classified.index))
    rows = []
    inl = classified["in_list"]
    for c in sorted(rule.classes, key=lambda c: c.priority):
        if getattr(rule, "exclusive", True):
            m = classified["list_class"].eq(c.id) & inl.fillna(False).astype(bool)
        else:  # overlapping classes: a project counts in every class it matches
            m = classified["matched"].str.split("+").map(lambda ids, c=c: c.id in ids) & inl.fillna(False).astype(bool)
        rows.append({"class": c.id, "label": c.label, "projects": int(m.sum()), "total_investment": float(total[m].sum())})
    out_m = inl.eq(False).fillna(False).astype(bool)
    und = inl.isna()
    rows.append({"class": "outside", "label": "不入清单", "projects": int(out_m.sum()), "total_investment": float(total[out_m].sum())})
    rows.append({"class": "undecided", "label": "无法判定", "projects": int(und.sum()), "total_investment": float(total[und].sum())})
    return pd.DataFrame(rows, columns=["class", "label", "projects", "total_investment"])


def list_mismatches(classified: pd.DataFrame) -> pd.DataFrame:
    """Projects whose ledger class (项目类别) differs from the class the rule gives.

    Only projects in the list are compared; a ledger without a class column gives none.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"project_id": ["A", "B"], "batch": ["start", "advance"], "list_class": ["start", "complete"],
    ...                   "in_list": pd.array([True, True], dtype="boolean")})
    >>> list_mismatches(c)["project_id"].tolist()
    ['B']
    """
    if "batch" not in classified.columns:
        return classified.iloc[0:0]
    inl = classified["in_list"].fillna(False).astype(bool)
    m = inl & classified["batch"].notna() & classified["batch"].ne(classified["list_class"])
    return classified[m]
