"""Blank tables for people to fill (``hz tasks-template``, ``hz scoring-template``) that never
overwrite a filled file.

A template written onto an existing file:

- the file holds no reported value: it is replaced (the old file is kept in ``.history/``);
- it holds reported values: refused (a :class:`~hzlib.errors.UsageError` naming the file and how
  many values it holds), unless ``force`` (replaced, the old file kept in ``.history/`` beside it)
  or ``merge``: the file's rows are kept as they are, every filled value with them, and the
  template's rows the file lacks are added; rows the template no longer has are kept and reported.

>>> import tempfile
>>> from pathlib import Path
>>> t = pd.DataFrame({"k": ["a", "b"], "v": [None, None]})
>>> merged, added, extra = merge_rows(pd.DataFrame({"k": ["a", "c"], "v": ["5", ""]}), t, ["k"])
>>> merged.to_dict("list"), added, extra
({'k': ['a', 'c', 'b'], 'v': ['5', '', '']}, 1, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .atomicfile import atomic_write_bytes
from .contracts import Column
from .errors import UsageError
from .history import Snapshot, describe, keep_then_write, write_error
from .ingest.parse import blank_mask
from .ingest.read import read_raw
from .periods import PeriodError, canonical_label

__all__ = ["HeaderFinder", "Existing", "TemplateWrite", "read_existing", "merge_rows", "write_template"]

#: cells → (position of the header row, column position → contract id), or None when no header is found.
HeaderFinder = Callable[[pd.DataFrame], "tuple[int, dict[int, str]] | None"]


@dataclass
class Existing:
    """A filled (or blank) table already at the output path: its rows as text, and how many values are filled."""

    frame: pd.DataFrame  # contract ids (and unknown headers as written) → text ("" for blank)
    filled: int


@dataclass
class TemplateWrite:
    """What :func:`write_template` did."""

    path: Path
    rows: int
    added: int = 0  # template rows added to an existing file (merge)
    kept: int = 0  # rows of the existing file the template does not have, kept (merge)
    filled: int = 0  # filled values the existing file held
    backup: Snapshot | None = None
    merged: bool = False

    def message(self, what: str = "行待填报", what_en: str = "rows to fill") -> str:
        """One or two Chinese lines for the command line (``what``: what the rows are, 行待填报)."""
        where = f"；原文件保存在 {self.path.parent / describe(self.backup)}" if self.backup is not None else ""
        if self.merged:
            text = (
                f"✓ 已并入 {self.path}：新增 {self.added} 行，保留原有 {self.rows - self.added} 行及其中已填的 {self.filled} 个值"
                f"（共 {self.rows} 行）{where} / merged"
            )
            if self.kept:
                text += f"\n  原文件中有 {self.kept} 行不在本次模板中（目标或单位已不在计划/规则中，或期别不同），已保留，请核对是否仍需要"
            return text
        return f"✓ 已写入 {self.path}：{self.rows} {what}{where} / {self.rows} {what_en}"


def _text(s: pd.Series) -> pd.Series:
    """Cells as text ("" for blank); numbers as typed (12.0 → 12)."""

    def one(v: object) -> str:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return s.map(one, na_action="ignore").where(~blank_mask(s), "").astype(object)


def read_existing(path: Path, find: HeaderFinder, value: str) -> Existing:
    """Read the table at ``path`` with its header; a file that cannot be read is a :class:`UsageError`."""
    raw = read_raw(path)
    found = find(raw.cells) if raw.ok and not raw.cells.empty else None
    if found is None:
        if raw.ok and (raw.cells.empty or raw.cells.isna().all().all()):
            return Existing(pd.DataFrame(), 0)
        raise UsageError(
            f"{path} 已存在，但读不出表头（{'；'.join(p.message for p in raw.problems) or '不是本命令生成的表'}）：不覆盖。"
            "确需覆盖时加 --force（原文件保存在 .history/），或用 --out 写到另一个文件"
        )
    pos, ids = found
    body = raw.cells.iloc[pos + 1 :]
    headers = raw.cells.iloc[pos]
    cols = {
        (ids[j] if j in ids else str(headers.iloc[j]).strip()): _text(body.iloc[:, j])
        for j in range(body.shape[1])
        if j in ids or not blank_mask(pd.Series([headers.iloc[j]])).iloc[0]
    }
    frame = pd.DataFrame(cols).reset_index(drop=True) if cols else pd.DataFrame()
    if frame.empty:
        return Existing(frame, 0)
    frame = frame[~(frame == "").all(axis=1)].reset_index(drop=True)
    filled = int((frame[value] != "").sum()) if value in frame else 0
    return Existing(frame, filled)


def _joint_key(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Each row's key as one text; a 期别 (``period``) in any form counts as its canonical period, so
    ``2024年上半年`` in the file and ``2024Q2`` in the template are the same row."""
    if not len(frame):
        return pd.Series([], dtype=str)
    parts = frame[key].astype(str)
    if "period" in key:
        parts["period"] = parts["period"].map(_canonical_or_text)
    return parts.agg("\x1f".join, axis=1)


def _canonical_or_text(text: str) -> str:
    try:
        return canonical_label(text.strip())
    except PeriodError:
        return text


def merge_rows(existing: pd.DataFrame, template: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, int, int]:
    """The existing rows as they are, then the template's rows whose ``key`` the file lacks;
    (merged, rows added, existing rows the template does not have)."""
    tpl = template.astype(object).where(template.notna(), "")
    ex = existing.copy()
    for c in tpl.columns:
        if c not in ex:
            ex[c] = ""
    have, want = _joint_key(ex, key), _joint_key(tpl, key)
    new = tpl[~want.isin(set(have))]
    extra = int((~have.isin(set(want))).sum())
    columns = [*tpl.columns, *[c for c in ex.columns if c not in tpl.columns]]
    merged = pd.concat([ex[columns], new.reindex(columns=columns, fill_value="")], ignore_index=True).fillna("")
    return merged, len(new), extra


def write_template(
    path: Path,
    template: pd.DataFrame,
    columns: tuple[Column, ...],
    *,
    find: HeaderFinder,
    key: list[str],
    value: str,
    command: str,
    force: bool = False,
    merge: bool = False,
) -> TemplateWrite:
    """Write ``template`` (contract ids) to ``path`` as CSV with Chinese headers (UTF-8 with BOM), never losing a filled value."""
    zh = {c.id: c.zh for c in columns}
    out = template
    result = TemplateWrite(path, len(template))
    if path.exists() and not (force and not merge):
        existing = read_existing(path, find, value)
        result.filled = existing.filled
        if merge and not existing.frame.empty:
            if path.suffix.lower() != ".csv":
                raise UsageError(f"--merge 只能并入 .csv 文件，{path} 不是：请另存为 CSV 后再试，或用 --out 写到另一个文件")
            missing = [zh[k] for k in key if k not in existing.frame]
            if missing:
                raise UsageError(f"{path} 缺少列 {'、'.join(missing)}，无法按行并入：请补上这些列，或用 --out 写到另一个文件")
            out, result.added, result.kept = merge_rows(existing.frame, template, key)
            result.rows, result.merged = len(out), True
        elif existing.filled and not force:
            raise UsageError(
                f"{path} 已有 {existing.filled} 个填报值，不覆盖 / the file holds reported values：用 --merge 把新模板并入"
                "（保留已填的值，只添加新的行），用 --force 覆盖（原文件保存在同一文件夹的 .history/ 中），或用 --out 写到另一个文件"
            )
    text = "\ufeff" + out.rename(columns=zh).to_csv(index=False, lineterminator="\n")
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return result
    result.backup = keep_then_write(path.parent, {path.name: data}, command) if path.exists() else None
    if result.backup is None:
        _write_new(path, data)
    return result


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file atomically (nothing to keep); an ``OSError`` becomes a one-line error naming it."""
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise write_error(e, path) from e
