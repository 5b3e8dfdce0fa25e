"""``hz import``: an office's workbook, as it is, into the contract files of a plan's data folder.

:func:`import_workbook` reads the workbook as a ledger (every shape :mod:`.workbook`
and :mod:`.table` meet: title, 序号, 合计 row, section rows, merged cells, one sheet
per county, a cumulative completed-investment column), then writes
``data/<plan>/ledger.csv`` and ``progress.csv`` in the strict contract form (Chinese
contract headers, money in 万元, UTF-8), so that the next run reads clean data and a
person can review the change in git.

- Nothing is written when the workbook has an error: every error is listed.
- Progress already in the folder is kept for the other months; the sheet's months
  replace theirs (each changed figure is listed); rows of projects no longer in the
  ledger are dropped (listed).
- The new files are validated (read back with the strict readers) before anything is
  replaced; each file is written atomically, and if the second write fails the first
  is put back: never half-written.
- Every transformation is listed: the sheet read, rows skipped, ids made, fields
  derived, values filled, units converted.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..contracts import BATCH_ZH, LEDGER_COLUMNS, LEDGER_SHEET_COLUMNS, LEVEL_ZH, OWNERSHIP_ZH, PROGRESS_COLUMNS, Column
from ..errors import ERROR, Problem
from ..render.atomic import atomic_write_text
from . import read_ledger, read_progress
from .mapping import MappingFile, mapping_for
from .result import ReadResult

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
        return _number_text(s.astype(float) * 100.0)
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
    return out.to_csv(index=False, lineterminator="\n")


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

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def _existing_progress(folder: Path, year: int | None) -> tuple[ReadResult | None, list[Problem]]:
    path = folder / "progress.csv"
    if not path.is_file():
        return None, []
    old = read_progress(path, year=year)
    return old, [p for p in old.problems if p.severity == ERROR]


def _in_ledger_order(progress: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """Progress rows in the ledger's project order, months ascending (the same file for the same data)."""
    order = pd.Series(range(len(ids)), index=ids.astype(str).to_numpy())
    key = progress["project_id"].astype(str).map(order)
    return progress.assign(_order=key).sort_values(["_order", "month"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _merge_progress(new: pd.DataFrame, old: ReadResult | None, ledger_ids: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """The folder's progress with the sheet's months replaced; what changed, in words."""
    if old is None or old.frame.empty:
        return new, []
    notes: list[str] = []
    months = set(new["month"])
    o = old.frame
    keep = o[~o["month"].isin(months)]
    gone = keep[~keep["project_id"].astype(str).isin(ledger_ids)]
    if len(gone):
        ids = sorted(set(gone["project_id"].astype(str)))
        shown = "、".join(ids[:10]) + ("…" if len(ids) > 10 else "")
        notes.append(f"删去已不在台账中的 {len(ids)} 个项目的进度 {len(gone)} 行（{shown}）")
        keep = keep[keep["project_id"].astype(str).isin(ledger_ids)]
    if len(keep):
        notes.append(f"保留原有 {', '.join(sorted(set(keep['month'])))} 的进度 {len(keep)} 行")
    replaced = o[o["month"].isin(months)]
    if len(replaced):
        both = replaced.merge(new, on=["project_id", "month"], suffixes=("_old", ""))
        changed = both[(both["completed_cum"] - both["completed_cum_old"]).abs() > 1e-6]
        notes.append(f"{'、'.join(sorted(months))} 原有 {len(replaced)} 行由本表替换，其中数值改变 {len(changed)} 行")
        for r in changed.head(50).itertuples():
            notes.append(f"  {r.project_id} {r.month}：{r.completed_cum_old:g} → {r.completed_cum:g} 万元")
        if len(changed) > 50:
            notes.append(f"  另有 {len(changed) - 50} 行数值改变")
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


def _write_all(folder: Path, texts: dict[str, str]) -> None:
    """Write every file atomically; if one fails, put back the ones already replaced."""
    done: list[tuple[Path, bytes | None]] = []
    try:
        for name, text in texts.items():
            target = folder / name
            done.append((target, target.read_bytes() if target.exists() else None))
            atomic_write_text(target, text, encoding="utf-8-sig")
    except BaseException:
        for target, before in reversed(done[:-1]):
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
        raise


def import_workbook(path: str | Path, folder: Path, *, year: int | None, sheet: str | None = None,
                    mapping: MappingFile | str | Path | None = None, month: str | int | None = None,
                    default_level: str | None = None, dry_run: bool = False) -> ImportResult:
    """Read ``path`` (an office's ledger workbook) and write the contract files into ``folder``.

    ``year`` is the plan year; ``default_level`` the level of the plan's project targets
    (for a sheet without a level column whose title names none); ``dry_run``: read,
    check and say what would be written, write nothing.
    """
    from ..data import fill_level

    the_map = mapping_for(mapping, folder)
    r = read_ledger(path, sheet=sheet, year=year, month=month, mapping=the_map)
    fill_level(r, default_level)
    result = ImportResult(read=r, folder=folder, dry_run=dry_run)
    if not r.ok:
        result.problems = r.errors
        return result
    texts: dict[str, str] = {}
    ledger_frame = r.frame.copy()
    # the columns the sheet had or the reader derived: an absent optional column stays absent (not blank cells)
    columns = tuple(c for c in LEDGER_COLUMNS if c.required or c.id in r.columns)
    if "owner" in r.extra.columns and r.extra["owner"].notna().any():
        ledger_frame["owner"] = r.extra["owner"].to_numpy()
        columns = (*columns, _OWNER)
    texts["ledger.csv"] = contract_csv(ledger_frame, columns)
    result.rows["ledger.csv"] = len(ledger_frame)
    old_ledger = folder / "ledger.csv"
    if old_ledger.is_file():
        before = read_ledger(old_ledger, year=year)
        old_ids, new_ids = set(before.frame["project_id"].dropna().astype(str)), set(ledger_frame["project_id"].dropna().astype(str))
        result.notes.append(f"ledger.csv 原有 {len(before.frame)} 行，替换为 {len(ledger_frame)} 行（新增项目 {len(new_ids - old_ids)} 个，删去 {len(old_ids - new_ids)} 个）")
    if (folder / "ledger.xlsx").is_file():
        result.notes.append("目录中另有 ledger.xlsx：之后读取的是 ledger.csv，请把 ledger.xlsx 移走，免得两处不一致")
    if r.progress is not None:
        old, errors = _existing_progress(folder, year)
        if errors:
            result.problems = [Problem(e.file, e.row, e.column, "现有进度文件有错误，请先修正：" + e.message) for e in errors]
            return result
        progress, notes = _merge_progress(r.progress.frame, old, set(ledger_frame["project_id"].dropna().astype(str)))
        progress = _in_ledger_order(progress, ledger_frame["project_id"])
        result.notes += notes
        texts["progress.csv"] = contract_csv(progress, PROGRESS_COLUMNS)
        result.rows["progress.csv"] = len(progress)
    else:
        result.notes.append("表中没有累计完成投资列，只写入 ledger.csv（进度文件不变）")
    result.problems = _validate(texts, year)
    if result.problems or dry_run:
        return result
    folder.mkdir(parents=True, exist_ok=True)
    _write_all(folder, texts)
    result.written = {name: folder / name for name in texts}
    return result

