"""The data folder's history: every command that rewrites a file in ``data/<plan>/`` first keeps
what it replaces, and ``hz import --undo`` puts the last state back.

A write goes through :func:`keep_then_write`: the files about to be replaced are copied into
``<folder>/.history/<YYYYmmdd-HHMMSS>-<command>/`` together with ``history.json`` (which command
wrote, when, which files it replaced and which it created); then the new files are written
atomically, all or none. :func:`undo` restores the newest state not yet undone (a file the
command created is removed again) and keeps the state it replaces too, so an undo is never a
loss; a second undo goes one step further back. The readers of a data folder look for fixed
file names (``ledger.csv`` …) and never below it, so ``.history`` is never read as data.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "ledger.csv").write_text("old", encoding="utf-8")
>>> snap = keep_then_write(d, {"ledger.csv": b"new", "progress.csv": b"p"}, "import")
>>> (d / "ledger.csv").read_text(encoding="utf-8"), snap.replaced, snap.created
('new', ['ledger.csv'], ['progress.csv'])
>>> done = undo(d)
>>> (d / "ledger.csv").read_text(encoding="utf-8"), (d / "progress.csv").exists(), done.restored, done.removed
('old', False, ['ledger.csv'], ['progress.csv'])
>>> undo(d) is None
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomicfile import atomic_write_bytes
from .errors import HzError
from .yamldoc import display_path

__all__ = ["HISTORY_DIR", "Snapshot", "Undone", "WriteError", "describe", "keep_then_write", "snapshots", "undo", "write_error"]

#: The history folder inside a data folder.
HISTORY_DIR = ".history"
_META = "history.json"
_UNDO = "undo"

_REASONS = {
    errno.EACCES: "权限不足",
    errno.EPERM: "权限不足",
    errno.EROFS: "文件系统只读（权限不足）",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
}


class WriteError(HzError):
    """A data file could not be written (read-only folder, disk full); nothing was changed."""


def write_error(error: OSError, path: Path) -> WriteError:
    """One Chinese line: which path, why, and that nothing was changed.

    >>> print(write_error(PermissionError(errno.EACCES, "Permission denied"), Path("data/x/ledger.csv")))
    无法写入 data/x/ledger.csv：权限不足（Permission denied），没有改动任何文件 / cannot write, nothing changed
    """
    where = Path(error.filename) if isinstance(error.filename, str) else path
    reason = _REASONS.get(error.errno or 0, "写入失败")
    return WriteError(f"无法写入 {display_path(where)}：{reason}（{error.strerror or error}），没有改动任何文件 / cannot write, nothing changed")


@dataclass
class Snapshot:
    """One kept state: the folder it is in, the command that replaced it, what it replaced and created."""

    path: Path
    command: str
    time: str
    seq: int
    replaced: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    undone: bool = False
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    def save(self) -> None:
        data = {
            "command": self.command,
            "time": self.time,
            "seq": self.seq,
            "replaced": self.replaced,
            "created": self.created,
            "undone": self.undone,
            "note": self.note,
        }
        (self.path / _META).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Snapshot | None:
        try:
            d = json.loads((path / _META).read_text(encoding="utf-8"))
            return cls(
                path,
                str(d["command"]),
                str(d["time"]),
                int(d["seq"]),
                list(d.get("replaced", [])),
                list(d.get("created", [])),
                bool(d.get("undone", False)),
                str(d.get("note", "")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not a snapshot (or a broken one): never restored from


def snapshots(folder: Path) -> list[Snapshot]:
    """The folder's kept states, oldest first."""
    root = folder / HISTORY_DIR
    if not root.is_dir():
        return []
    found = [s for p in root.iterdir() if p.is_dir() and (s := Snapshot.load(p)) is not None]
    return sorted(found, key=lambda s: s.seq)


def _new_snapshot(folder: Path, command: str, note: str) -> Snapshot:
    root = folder / HISTORY_DIR
    root.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now()
    stamp = f"{now:%Y%m%d-%H%M%S}-{command}"
    path, n = root / stamp, 1
    while path.exists():
        n += 1
        path = root / f"{stamp}-{n}"
    path.mkdir()
    seq = max((s.seq for s in snapshots(folder)), default=0) + 1
    return Snapshot(path, command, now.isoformat(timespec="seconds"), seq, note=note or " ".join(sys.argv[1:]))


def keep_then_write(folder: Path, files: dict[str, bytes], command: str, note: str = "", remove: Iterable[str] = ()) -> Snapshot:
    """Keep the files of ``folder`` that ``files`` replaces (and the files named in ``remove``) in a
    new snapshot, then write ``files`` and remove those.

    All or none: if a write fails, the files already written are put back and the snapshot is
    removed; an ``OSError`` becomes a :class:`WriteError` naming the path.
    """
    target = folder
    snap: Snapshot | None = None
    written: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        snap = _new_snapshot(folder, command, note)
        for name in files:
            target = folder / name
            if target.exists():
                shutil.copy2(target, snap.path / name)
                snap.replaced.append(name)
            else:
                snap.created.append(name)
        gone = [n for n in remove if n not in files and (folder / n).is_file()]
        for name in gone:
            shutil.copy2(folder / name, snap.path / name)
            snap.replaced.append(name)
        snap.save()
        for name, data in files.items():
            target = folder / name
            atomic_write_bytes(target, data)
            written.append(name)
        for name in gone:
            target = folder / name
            written.append(name)
            target.unlink()
    except BaseException as e:
        if snap is not None:
            try:
                _put_back(folder, snap, written)
            except OSError as again:
                raise WriteError(
                    f"写入 {folder} 时失败（{e}），且已写的文件 {'、'.join(written)} 未能恢复（{again.strerror or again}）："
                    f"原文件保存在 {folder / describe(snap)}，请复制回去 / partly written, see the backup"
                ) from e
            shutil.rmtree(snap.path, ignore_errors=True)
            with contextlib.suppress(OSError):
                (folder / HISTORY_DIR).rmdir()  # only when empty
        if isinstance(e, OSError):
            raise write_error(e, target) from e
        raise
    return snap


def _put_back(folder: Path, snap: Snapshot, names: list[str]) -> None:
    """Put the kept copies of ``names`` back (a file the snapshot's command created is removed)."""
    for name in names:
        if name in snap.replaced:
            atomic_write_bytes(folder / name, (snap.path / name).read_bytes())
        else:
            (folder / name).unlink(missing_ok=True)


@dataclass
class Undone:
    """What :func:`undo` did: the snapshot restored, the files put back and removed, where the undone state is kept."""

    snapshot: Snapshot
    restored: list[str]
    removed: list[str]
    kept: Snapshot


def undo(folder: Path) -> Undone | None:
    """Restore the newest snapshot not yet undone (None when there is none); the state it replaces is kept too."""
    todo = [s for s in snapshots(folder) if s.command != _UNDO and not s.undone]
    if not todo:
        return None
    last = todo[-1]
    names = last.replaced + last.created
    lost = [n for n in last.replaced if not (last.path / n).is_file()]
    if lost:
        raise WriteError(f"{folder / describe(last)} 中缺少备份文件 {'、'.join(lost)}，无法撤销；没有改动任何文件 / the backup is incomplete")
    kept: Snapshot | None = None
    try:
        kept = _new_snapshot(folder, _UNDO, f"撤销 {last.name} 之前的状态")
        for n in names:
            if (folder / n).exists():
                shutil.copy2(folder / n, kept.path / n)
                kept.replaced.append(n)
            else:
                kept.created.append(n)
        kept.save()
    except OSError as e:
        if kept is not None:
            shutil.rmtree(kept.path, ignore_errors=True)
        raise write_error(e, folder) from e
    try:
        _put_back(folder, last, names)
        last.undone = True
        last.save()
    except OSError as e:
        with contextlib.suppress(OSError):
            _put_back(folder, kept, names)  # back to the state before the undo
        shutil.rmtree(kept.path, ignore_errors=True)
        raise write_error(e, folder) from e
    return Undone(last, list(last.replaced), [n for n in last.created if n in kept.replaced], kept)


def describe(snap: Snapshot) -> str:
    """``.history/20240701-093000-import``（import，2024-07-01T09:30:00）"""
    return f"{HISTORY_DIR}/{snap.name}（{snap.command}，{snap.time.replace('T', ' ')}）"
