"""``hz import``: an office's workbook, as it is, into the contract files of a plan's data folder.

:func:`import_workbook` reads the workbook as a ledger (every shape :mod:`.workbook`
and :mod:`.table` meet: title, 序号, 合计 row, section rows, merged cells, one sheet
per county, a cumulative completed-investment column), then writes
``data/<plan>/ledger.csv`` and ``progress.csv`` in the strict contract form (Chinese
contract headers, money in 万元, UTF-8), so that the next run reads clean data and a
person can review the change in git.

- Nothing is written when the workbook has an error: every error is listed. A workbook
  whose title names another year or another place than the plan's, or whose units are
  not the plan's (nor already in the ledger), is refused with the reason.
- It merges, never silently replaces: the sheet's projects are added or updated (a cell
  the sheet leaves blank keeps its value; a value the reader derived, such as a level
  read from the title, never overwrites one the ledger has); the sheet's progress
  replaces the same project and month; projects and months the sheet does not cover are
  kept. Removing the projects the sheet lacks is an explicit choice (``replace=True``,
  ``hz import --replace``), listed before anything is written.
- The new files are validated (read back with the strict readers) before anything is
  replaced; the files they replace are kept in ``.history/`` (:mod:`hzlib.history`,
  ``hz import --undo``); the writes are all or none: never half-written.
- Every transformation is listed: the sheet read, rows skipped, ids made, fields
  derived, values filled, units converted.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..contracts import BATCH_ZH, LEDGER_COLUMNS, LEDGER_SHEET_COLUMNS, LEVEL_ZH, OWNERSHIP_ZH, PROGRESS_COLUMNS, Column
from ..errors import ERROR, Problem
from ..history import Snapshot, keep_then_write
from ..units import to_percent
from . import read_ledger, read_progress
from .combine import fill_level, merge_progress
from .derive import _key
from .mapping import MappingFile, mapping_for
from .result import ReadResult
from .table import compact_rows

__all__ = ["ImportResult", "import_workbook", "contract_csv"]

_CATEGORY_ZH = {"level": LEVEL_ZH, "ownership": OWNERSHIP_ZH, "batch": BATCH_ZH}
_OWNER = next(c for c in LEDGER_SHEET_COLUMNS if c.id == "owner")


def _number_text(s: pd.Series) -> pd.Series:
    v = s.astype(float)
    text = v.map(lambda x: f"{x:.6f}".rstrip("0").rstrip("."), na_action="ignore")
    return text.where(v.notna(), "").astype(str)


def _column_text(c: Column, s: pd.Series) -> pd.Series:
    """One contract column as the strict files write it (Chinese category words, 是/否, YYYY-MM-DD)."""
    if c.kind in ("money", "usd", "number"):
        return _number_text(s)
    if c.kind == "percent":
        # percent numbers; one of at most 1 carries its % sign, so the file reads back the same
        # under any header (a column of small plain numbers without a unit reads as fractions,
        # see ingest.parse.parse_percent)
        pct = to_percent(s.astype(float))
        text = _number_text(pct)
        small = pct.notna() & (pct.round(6).abs() > 0) & (pct.round(6).abs() <= 1)
        return text.where(~small, text + "%")
    if c.kind == "date":
        return pd.to_datetime(s).dt.strftime("%Y-%m-%d").fillna("")
    if c.kind == "bool":
        b = s.astype("boolean")
        return pd.Series(np.where(b.isna(), "", np.where(b.fillna(False), "是", "否")), index=s.index)
    if c.kind == "category":
        return s.map(_CATEGORY_ZH.get(c.id, {})).fillna(s).fillna("").astype(str)
    return s.fillna("").astype(str)


def contract_csv(frame: pd.DataFrame, columns: tuple[Column, ...]) -> str:
    """``frame`` (contract ids) as a CSV with the contract's Chinese headers.

    >>> f = pd.DataFrame({"project_id": ["P1"], "month": ["2019-06"], "completed_cum": [1200.5]})
    >>> print(contract_csv(f, PROGRESS_COLUMNS), end="")
    项目编号,月份,累计完成投资（万元）
    P1,2019-06,1200.5
    """
    out = pd.DataFrame({c.zh: _column_text(c, frame[c.id]) for c in columns if c.id in frame.columns})
    return str(out.to_csv(index=False, lineterminator="\n"))


@dataclass
class ImportResult:
    """What an import read, did and wrote (or why it wrote nothing)."""

    read: ReadResult
    folder: Path
    written: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what happened to the files already there
    problems: list[Problem] = field(default_factory=list)  # errors that stopped the import
    rows: dict[str, int] = field(default_factory=dict)  # rows in each new file
    dry_run: bool = False
    replace: bool = False
    backup: Snapshot | None = None  # where the replaced files are kept
    unchanged: bool = False  # the folder already holds exactly these files

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


@dataclass(frozen=True)
class PlanFit:
    """What a workbook must fit: the plan's id, place and units (empty: the plan lists none)."""

    plan_id: str
    jurisdiction: str
    units: frozenset[str] = frozenset()


_PLACE = re.compile(r"(?:^|年|度)([\u4e00-\u9fff]{1,10}?[市县区])(?=市级|县级|区级|省级|重点|重大|项目|\d|年|$)")


def title_place(title: str) -> str | None:
    """The place a sheet's title names (the first line only), if any.

    >>> title_place("2019年安康市市级重点建设项目进度表（1-6月） 填报单位：安康市发改委"), title_place("镇巴县2024年上半年重点项目进展")
    ('安康市', '镇巴县')
    >>> title_place("2019年度汉中市重点项目台账"), title_place("重点项目进度表") is None
    ('汉中市', True)
    """
    first = title.split(" ")[0] if title else ""
    m = _PLACE.search(first)
    return m.group(1).removeprefix("度") if m else None


def _same_place(a: str, b: str) -> bool:
    """安康市 / 安康 / 安康市 …: the same place written with or without its suffix."""
    stem = lambda x: x[:-1] if len(x) > 2 and x[-1] in "市县区" else x  # noqa: E731
    return stem(a) == stem(b) or a in b or b in a


def _fit_problems(r: ReadResult, fit: PlanFit | None, old_units: Collection[str], year: int | None) -> tuple[list[Problem], list[str]]:
    """Errors for a workbook of another year, place or units than the plan's; notes for what cannot be checked."""
    problems: list[Problem] = []
    notes: list[str] = []
    if year is not None and r.title_year is not None and r.title_year != year:
        problems.append(
            Problem(
                r.where,
                None,
                None,
                f"标题写的是 {r.title_year} 年，而计划（或 --year）是 {year} 年，本表不导入：请核对是否用错了表或计划（--plan） / the title names another year",
            )
        )
    if year is not None and r.progress is not None and not r.progress.frame.empty:
        months = sorted(m for m in set(r.progress.frame["month"].astype(str)) if not m.startswith(f"{year}-"))
        if months:
            problems.append(
                Problem(
                    r.where,
                    r.header_row,
                    None,
                    f"累计完成投资截至 {'、'.join(months)}，不在计划年度 {year} 年内：本表不导入，"
                    "请核对是否用错了表或计划（--plan），或表头、标题中的年份是否写错 / progress of another year",
                )
            )
    if fit is None:
        return problems, notes
    place = title_place(r.title)
    known = set(fit.units) | set(old_units)
    if place is not None and not _same_place(place, fit.jurisdiction) and place not in known:
        if fit.units or place[-1] == fit.jurisdiction[-1]:
            problems.append(
                Problem(
                    r.where,
                    None,
                    None,
                    f"标题写的是“{place}”，而计划 {fit.plan_id} 是{fit.jurisdiction}的计划（计划中也没有“{place}”这个单位）："
                    "本表不导入，请核对是否用错了表或计划（--plan） / the title names another place",
                )
            )
        else:
            notes.append(f"标题写的是“{place}”，计划 {fit.plan_id} 是{fit.jurisdiction}的计划且没有列出单位，无法核对是否属于本计划，请自行核对")
    if fit.units and not r.frame.empty:
        problems += _unit_problems(r, fit, known)
    return problems, notes


def _unit_problems(r: ReadResult, fit: PlanFit, known: set[str]) -> list[Problem]:
    """One error per unit that is neither the plan's nor already in the ledger, naming its rows."""
    unit = r.frame["unit"]
    bad = unit.notna() & ~unit.astype(str).isin(known)
    if not bad.any():
        return []
    labels = r.row_labels if r.row_labels is not None else pd.Series(r.where, index=r.frame.index)
    header = r.columns.get("unit", "责任单位")
    shown = "、".join(sorted(fit.units)[:8]) + ("等" if len(fit.units) > 8 else "")
    out = []
    for (label, u), idx in r.frame[bad].groupby([labels[bad], unit[bad].astype(str)], sort=False).groups.items():
        rows = [int(r.rows[i]) for i in idx]
        out.append(
            Problem(
                str(label),
                rows[0],
                header,
                f"单位“{u}”（第{compact_rows(rows)}行）不是计划 {fit.plan_id} 的单位（{shown}），现有台账中也没有：本表不导入，"
                "请核对是否用错了表或计划，或改正单位名称（写法不同时可用映射文件 mapping.yaml） / unit not in the plan",
            )
        )
    return out


def _old_ledger(folder: Path, year: int | None, mapping: MappingFile | None) -> tuple[ReadResult | None, list[Problem]]:
    """The folder's ledger (``ledger.csv``, else the office's ``ledger.xlsx`` the readers use), and its errors
    (which stop the import: a merge needs it read)."""
    path = next((p for p in (folder / "ledger.csv", folder / "ledger.xlsx") if p.is_file()), None)
    if path is None:
        return None, []
    old = read_ledger(path, year=year, mapping=mapping)
    return old, [Problem(e.file, e.row, e.column, "现有台账有错误，请先修正（或用 hz import --undo 恢复）：" + e.message) for e in old.errors]


def _old_progress(folder: Path, year: int | None, ledger: ReadResult | None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The folder's progress: ``progress.csv`` and, when the ledger is the office's sheet, its cumulative column."""
    path = folder / "progress.csv"
    file = read_progress(path, year=year) if path.is_file() else None
    errors = [Problem(e.file, e.row, e.column, "现有进度文件有错误，请先修正：" + e.message) for e in (file.errors if file else [])]
    sheet = ledger.progress if ledger is not None else None
    if file is None and sheet is None:
        return None, errors
    frame, disagree = merge_progress(sheet, file)
    return frame, errors + disagree


def _derived(r: ReadResult) -> set[str]:
    """Columns the reader made rather than read (level from the title, is_new_start inferred …)."""
    return set(r.derived)


def _as_text(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Contract columns as the strict files write them (text; blank is "")."""
    return pd.DataFrame({c.id: _column_text(c, frame[c.id]).astype(str).to_numpy() for c in columns if c.id in frame.columns}, dtype=object)


def _sheet_text(r: ReadResult) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    """A read ledger as contract text, with the columns it had (an absent optional column stays absent)."""
    frame = r.frame.copy()
    columns = tuple(c for c in LEDGER_COLUMNS if c.required or c.id in r.columns)
    if "owner" in r.extra.columns and r.extra["owner"].notna().any():
        frame["owner"] = r.extra["owner"].to_numpy()
        columns = (*columns, _OWNER)
    return _as_text(frame, columns), columns


def _match_ids(new: pd.DataFrame, old: pd.DataFrame, generated: bool) -> dict[str, str]:
    """Sheet id → the ledger's id of the same project (same name and unit) when the sheet had no 项目编号."""
    if not generated or old.empty:
        return {}
    key = lambda f: _key(f["unit"]) + "\x1f" + _key(f["name"])  # noqa: E731
    ok = key(old)
    once = ok[~ok.duplicated(keep=False)]
    by_key = pd.Series(old.loc[once.index, "project_id"].to_numpy(), index=once.to_numpy())
    found = key(new).map(by_key)
    same = found.notna() & (found != new["project_id"])
    return dict(zip(new.loc[same, "project_id"], found[same]))


def _merge_ledger(
    new: pd.DataFrame, new_cols: tuple[Column, ...], derived: set[str], old: pd.DataFrame, old_cols: tuple[Column, ...], replace: bool
) -> tuple[pd.DataFrame, tuple[Column, ...], list[str], list[str]]:
    """The ledger with the sheet's projects added or updated; the ids dropped (``replace`` only) and notes."""
    ids = {c.id for c in new_cols} | {c.id for c in old_cols}
    columns = tuple(c for c in (*LEDGER_COLUMNS, _OWNER) if c.id in ids)
    names = [c.id for c in columns]
    o = old.reindex(columns=names, fill_value="").set_index("project_id", drop=False)
    n = new.reindex(columns=names).set_index("project_id", drop=False)
    common = n.index[n.index.isin(o.index)]
    added = n.index[~n.index.isin(o.index)]
    absent = o.index[~o.index.isin(n.index)]
    notes: list[str] = []
    upd = o.loc[common].copy()
    sheet_cols = [c.id for c in new_cols if c.id != "project_id"]
    blank_kept = changed = 0
    shown: list[str] = []
    zh = {c.id: c.zh for c in columns}
    for cid in sheet_cols:
        before, after = upd[cid].astype(str), n.loc[common, cid].fillna("").astype(str)
        take = (after != "") & ((before == "") if cid in derived else pd.Series(True, index=common))
        blank_kept += int(((after == "") & (before != "")).sum()) if cid not in derived else 0
        diff = take & (before != after)
        changed += int(diff.sum())
        shown += [f"  {pid} [{zh[cid]}]：{before[pid] or '（空）'} → {after[pid]}" for pid in diff[diff].index[: max(0, 20 - len(shown))]]
        upd[cid] = after.where(take, before)
    # old order first (updated rows in place), then the sheet's new projects in sheet order
    kept = o.loc[o.index.isin(common) | (not replace)]  # old order; --replace keeps only the sheet's projects
    merged = pd.concat([kept[~kept.index.isin(common)], upd]).loc[kept.index]
    merged = pd.concat([merged, n.loc[added].fillna("")], ignore_index=True).reindex(columns=names).fillna("")
    dropped = [str(x) for x in absent] if replace else []
    notes.append(
        f"ledger.csv 原有 {len(o)} 行，合并后 {len(merged)} 行（新增项目 {len(added)} 个，删去 {len(dropped)} 个；"
        f"更新 {len(common)} 个，{'本表没有的 ' + str(len(absent)) + ' 个项目保留' if not replace else '本表没有的项目按 --replace 删去'}）"
    )
    if changed:
        notes.append(f"更新的项目中 {changed} 个值改变：")
        notes += shown + ([f"  另有 {changed - len(shown)} 个值改变"] if changed > len(shown) else [])
    if blank_kept:
        notes.append(f"本表留空的 {blank_kept} 个单元格保留台账原有的值")
    if dropped:
        listed = "、".join(dropped[:10]) + ("…" if len(dropped) > 10 else "")
        notes.append(f"--replace：删去本表没有的 {len(dropped)} 个项目（{listed}）及其进度")
    elif len(absent):
        notes.append(f"本表没有的 {len(absent)} 个项目及其进度保留不变（确需删去时加 --replace）")
    return merged, columns, dropped, notes


def _row_refs(r: ReadResult, mask: pd.Series) -> str:
    """The rows of ``mask`` as people find them: 第4-6行, or 汉滨区第4行、汉阴县第4行 when several sheets were read."""
    rows = r.rows[mask.to_numpy()].astype(int)
    if r.row_labels is None or r.row_labels.nunique() <= 1:
        return f"第{compact_rows(rows.tolist())}行"
    labels = r.row_labels[mask.to_numpy()].astype(str)
    short = lambda lab: lab.replace(r.file, "", 1).strip("（）") or lab  # noqa: E731
    parts = [f"{short(lab)}第{compact_rows(g.tolist())}行" for lab, g in rows.groupby(labels.to_numpy(), sort=False)]
    return "、".join(parts[:6]) + ("等" if len(parts) > 6 else "")


def _new_projects_lacking(r: ReadResult, new: pd.DataFrame, old: pd.DataFrame, columns: tuple[Column, ...]) -> list[Problem]:
    """Errors for the sheet's new projects that leave blank a column the ledger requires when it has it (投资主体 …)."""
    added = ~new["project_id"].isin(set(old["project_id"])) if "project_id" in old else pd.Series(True, index=new.index)
    out = []
    for c in columns:
        if c.if_blank != "error" or c.id not in old.columns or not len(old):
            continue
        cells = new[c.id] if c.id in new else pd.Series("", index=new.index)
        lack = added & cells.fillna("").eq("")
        if lack.any():
            where = _row_refs(r, lack)
            names = "、".join(new.loc[lack, "name"].astype(str).head(5)) + ("等" if int(lack.sum()) > 5 else "")
            out.append(
                Problem(
                    r.where if r.row_labels is None else r.file,
                    None,
                    c.zh,
                    f"本表有 {int(lack.sum())} 个台账中没有的新项目（{where}：{names}），"
                    f"台账有“{c.zh}”列而本表{'没有这一列' if c.id not in new else '这些行为空'}：请在本表加上并填写“{c.zh}”，"
                    "或先在 ledger.csv 中加入这些项目 / new projects lack a column the ledger requires",
                )
            )
    return out


def _in_ledger_order(progress: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """Progress rows in the ledger's project order, months ascending (the same file for the same data)."""
    order = pd.Series(range(len(ids)), index=ids.astype(str).to_numpy())
    key = progress["project_id"].astype(str).map(order)
    return progress.assign(_order=key).sort_values(["_order", "month"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _merge_progress(new: pd.DataFrame, o: pd.DataFrame | None, dropped: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """The folder's progress with the sheet's project-months replaced; what changed, in words."""
    if o is None or o.empty:
        return new, []
    notes: list[str] = []
    pair = lambda f: f["project_id"].astype(str) + "\x00" + f["month"].astype(str)  # noqa: E731
    covered = pair(o).isin(set(pair(new)))
    keep = o[~covered]
    gone = keep[keep["project_id"].astype(str).isin(dropped)]
    if len(gone):
        notes.append(f"--replace：删去这些项目的进度 {len(gone)} 行")
        keep = keep[~keep["project_id"].astype(str).isin(dropped)]
    if len(keep):
        notes.append(f"保留原有 {', '.join(sorted(set(keep['month'])))} 的进度 {len(keep)} 行")
    replaced = o[covered]
    if len(replaced):
        both = replaced.merge(new, on=["project_id", "month"], suffixes=("_old", ""))
        changed = both[(both["completed_cum"] - both["completed_cum_old"]).abs() > 1e-6]
        months = "、".join(sorted(set(replaced["month"])))
        notes.append(f"{months} 原有 {len(replaced)} 行由本表替换，其中数值改变 {len(changed)} 行")
        for r in changed.head(50).itertuples():
            notes.append(f"  {r.project_id} {r.month}：{r.completed_cum_old:g} → {r.completed_cum:g} 万元")
        if len(changed) > 50:
            notes.append(f"  另有 {len(changed) - 50} 行数值改变")
    added = len(new) - len(replaced)
    if added:
        notes.append(f"新增进度 {added} 行")
    return pd.concat([keep, new], ignore_index=True), notes


def _validate(texts: dict[str, str], year: int | None) -> list[Problem]:
    """Read the new files back with the strict readers; their errors (if any) stop the import."""
    with tempfile.TemporaryDirectory(prefix="hz-import-") as tmp:
        paths = {}
        for name, text in texts.items():
            paths[name] = Path(tmp) / name
            paths[name].write_text(text, encoding="utf-8-sig")
        ledger = read_ledger(paths["ledger.csv"], year=year)
        problems = list(ledger.errors)
        if "progress.csv" in paths:
            problems += read_progress(paths["progress.csv"], year=year, ledger=ledger).errors
    return problems


def import_workbook(
    path: str | Path,
    folder: Path,
    *,
    year: int | None,
    sheet: str | None = None,
    mapping: MappingFile | str | Path | None = None,
    month: str | int | None = None,
    default_level: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    fit: PlanFit | None = None,
) -> ImportResult:
    """Read ``path`` (an office's ledger workbook) and merge it into the contract files of ``folder``.

    ``year`` is the plan year; ``default_level`` the level of the plan's project targets
    (for a sheet without a level column whose title names none); ``fit``: the plan's place
    and units the workbook must fit; ``replace``: remove the projects the sheet does not
    have; ``dry_run``: read, check and say what would be written, write nothing.
    """
    the_map = mapping_for(mapping, folder)
    r = read_ledger(path, sheet=sheet, year=year, month=month, mapping=the_map)
    fill_level(r, default_level)
    result = ImportResult(read=r, folder=folder, dry_run=dry_run, replace=replace)
    if not r.ok:
        result.problems = r.errors
        return result
    before, problems = _old_ledger(folder, year, the_map)
    old_progress, progress_errors = _old_progress(folder, year, before)
    old_units = set(before.frame["unit"].dropna().astype(str)) if before is not None else set()
    fit_errors, result.notes = _fit_problems(r, fit, old_units, year)
    if problems or fit_errors:
        result.problems = fit_errors + problems
        return result
    new_text, new_cols = _sheet_text(r)
    if before is not None:
        old_text, old_cols = _sheet_text(before)
    else:
        old_text, old_cols = pd.DataFrame(columns=[c.id for c in new_cols], dtype=object), ()
    renamed = _match_ids(new_text, old_text, "生成" in r.columns.get("project_id", ""))
    if renamed:
        new_text["project_id"] = new_text["project_id"].replace(renamed)
        result.notes.append(f"表中没有项目编号：{len(renamed)} 个项目按项目名称和责任单位对应到台账原有的项目编号")
    ledger, columns, dropped, notes = _merge_ledger(new_text, new_cols, _derived(r), old_text, old_cols, replace)
    result.problems = _new_projects_lacking(r, new_text, old_text, columns)
    if before is not None:
        result.notes += notes
        if before.file.endswith(".xlsx"):
            result.notes.append("目录中的 ledger.xlsx（单位原表）与本表合并写入 ledger.csv；之后读取的是 ledger.csv，ledger.xlsx 未改动，可以移走")
    if (folder / "ledger.xlsx").is_file() and (before is None or not before.file.endswith(".xlsx")):
        result.notes.append("目录中另有 ledger.xlsx：之后读取的是 ledger.csv，请把 ledger.xlsx 移走，免得两处不一致")
    texts = {"ledger.csv": ledger.rename(columns={c.id: c.zh for c in columns}).to_csv(index=False, lineterminator="\n")}
    result.rows["ledger.csv"] = len(ledger)
    if r.progress is not None or (old_progress is not None and (dropped or (before is not None and before.progress is not None))):
        if progress_errors:
            result.problems += progress_errors
        new_progress = (
            r.progress.frame.assign(project_id=r.progress.frame["project_id"].replace(renamed))
            if r.progress is not None
            else pd.DataFrame(columns=[c.id for c in PROGRESS_COLUMNS])
        )
        progress, notes = _merge_progress(new_progress, old_progress, set(dropped))
        result.notes += notes if r.progress is not None else ["表中没有累计完成投资列，进度只按上面所列变化", *notes]
        texts["progress.csv"] = contract_csv(_in_ledger_order(progress, ledger["project_id"]), PROGRESS_COLUMNS)
        result.rows["progress.csv"] = len(progress)
    else:
        result.notes.append("表中没有累计完成投资列，只写入 ledger.csv（进度文件不变）")
    if result.problems:
        return result
    result.problems = _validate(texts, year)
    if result.problems:
        return result
    data = {name: text.encode("utf-8-sig") for name, text in texts.items()}
    changed = {name: b for name, b in data.items() if not ((folder / name).is_file() and (folder / name).read_bytes() == b)}
    result.unchanged = not changed
    if dry_run or not changed:
        return result
    result.backup = keep_then_write(folder, changed, "import")
    result.written = {name: folder / name for name in changed}
    return result
