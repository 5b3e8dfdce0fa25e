"""Write files and folders so that readers never see half of them.

Temporary names carry the writing process's id and a short hash of its machine's name
(``.bulletin.xlsx.<pid>-<host>.<random>.tmp``, ``.2024Q2.staging.<pid>-<host>.<random>``), so
that :func:`remove_leftovers` can tell the leftovers of a killed run from the work of a run
still going, and removes only the former. On a file system shared by several machines a
process id means something only on its own machine: another machine's temporary names are
left to a run on that machine.
A file system that refuses a write (read-only, full, no permission) is a
:class:`hzlib.errors.RenderError` naming the path and the reason in Chinese.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "a.txt", "通报")
>>> (d / "a.txt").read_text(encoding="utf-8")
'通报'
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import RenderError

__all__ = ["atomic_write_bytes", "atomic_write_text", "staging_dir", "remove_leftovers", "process_alive", "write_failure", "writing"]

#: errno → why a write failed, in Chinese.
_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOTDIR: "路径中有同名文件而不是文件夹",
    errno.EEXIST: "同名文件已存在",
    errno.ENAMETOOLONG: "路径太长",
}

#: ``.<name>.staging.<owner>.<random>``, ``.<name>.old.<owner>.<random>`` and ``.<name>.<owner>.<random>.tmp``
#: with ``<owner>`` = ``<pid>-<host>`` (see :func:`owner`); names written before the pid was added
#: (no owner) count as leftovers too, names with a pid and no host as this machine's.
_OWNER = r"(?P<{p}>\d+)(?:-(?P<{h}>[0-9a-f]{{8}}))?\."
_LEFTOVER = re.compile(
    r"^\.(?P<name>.+?)\.(?:(?P<kind>staging|old)\.(?:"
    + _OWNER.format(p="pid", h="host")
    + r")?[^.]+|(?:"
    + _OWNER.format(p="tpid", h="thost")
    + r")?[^.]+\.tmp)$"
)


@functools.cache
def host_tag() -> str:
    """Eight hex digits naming this machine (from its host name), for temporary names."""
    return hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def owner() -> str:
    r"""``<pid>-<host>``: this process on this machine, as temporary names carry it.

    >>> re.fullmatch(r"\d+-[0-9a-f]{8}", owner()) is not None
    True
    """
    return f"{os.getpid()}-{host_tag()}"


def write_failure(error: OSError, path: str | os.PathLike[str] | None = None) -> RenderError:
    """A :class:`RenderError` for a failed write: which path, and why in Chinese.

    >>> print(write_failure(OSError(errno.ENOSPC, "No space left on device"), "reports/index.html"))
    无法写入 reports/index.html：磁盘空间已满（No space left on device）
    """
    where = path if path is not None else (error.filename or "输出文件夹")
    reason = _REASONS.get(error.errno or 0, "写入失败")
    detail = error.strerror or str(error)
    return RenderError(f"无法写入 {os.fspath(where)}：{reason}（{detail}）")


@contextlib.contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into a :func:`write_failure` for ``path``."""
    try:
        yield
    except OSError as e:
        raise write_failure(e, e.filename or path) from e


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (this process counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return not _ended(pid)


def _ended(pid: int) -> bool:
    """Whether ``pid`` has ended but not been reaped yet (a zombie, on Linux): a killed run's
    worker whose parent was killed too stays one until the system reaps it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 1 :].split()[:1] == ["Z"]


def remove_leftovers(folder: str | os.PathLike[str], *, own: bool = False) -> list[Path]:
    """Remove what killed runs left in ``folder`` (not below it): staging folders and temp files
    of processes of this machine that no longer exist (and this process's own with ``own=True``,
    for an interrupted run on its way out). A report folder a killed run had moved aside
    (``.<name>.old.…``) is put back when nothing replaced it. Returns the paths removed."""
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in sorted(folder.iterdir()):
        m = _LEFTOVER.match(entry.name)
        if not m:
            continue
        pid = m.group("pid") or m.group("tpid")
        host = m.group("host") or m.group("thost")
        if host is not None and host != host_tag():
            continue  # another machine's: its process ids mean nothing here
        if pid is not None and process_alive(int(pid)) and not (own and int(pid) == os.getpid()):
            continue
        final = folder / m.group("name")
        if m.group("kind") == "old" and entry.is_dir() and not final.exists():
            os.rename(entry, final)
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
        removed.append(entry)
    return removed


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temp file next to ``path``, fsync, then rename over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{owner()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Text version of :func:`atomic_write_bytes` (UTF-8, ``\\n`` line ends kept as given)."""
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def staging_dir(final_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temp folder next to ``final_dir``; on success it replaces ``final_dir``.

    On an exception (including Ctrl-C) the temp folder is removed and an existing
    ``final_dir`` is left untouched.
    """
    final = Path(final_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging.{owner()}.", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old: Path | None = None
    try:
        os.chmod(tmp, 0o755)
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old.{owner()}.", dir=final.parent))
            old.rmdir()
            os.rename(final, old)
        os.rename(tmp, final)
    except BaseException:
        if old is not None and not final.exists():
            os.rename(old, final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
