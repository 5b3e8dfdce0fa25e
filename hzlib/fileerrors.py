"""What went wrong with a file, in Chinese: the reason of an :class:`OSError` (a folder where a
file was expected, no permission, disk full), for the one-line messages of ``hz``, papermill
and nbconvert."""

from __future__ import annotations

import errno
import os

__all__ = ["os_reason", "os_error_message"]

#: Chinese (and English) reasons of the errors a file can hit, by errno.
_REASONS = {
    errno.EISDIR: "是文件夹，不是文件 / is a folder",
    errno.ENOTDIR: "路径中有一段不是文件夹 / not a folder",
    errno.ENOENT: "文件或文件夹不存在 / no such file or folder",
    errno.EACCES: "没有权限 / permission denied",
    errno.EPERM: "没有权限 / permission denied",
    errno.EROFS: "只读文件系统，不能写入 / read-only file system",
    errno.ENOSPC: "磁盘已满 / disk full",
    errno.EDQUOT: "超出磁盘配额 / disk quota exceeded",
    errno.ENAMETOOLONG: "文件名太长 / file name too long",
    errno.EEXIST: "已存在 / already exists",
}


def os_reason(e: OSError) -> str:
    """The reason of ``e`` in Chinese (and English).

    >>> os_reason(PermissionError(13, "Permission denied"))
    '没有权限 / permission denied'
    """
    return _REASONS.get(e.errno or 0, e.strerror or str(e))


def os_error_message(e: OSError) -> str:
    """One line naming the file of ``e`` (when known) and the reason.

    >>> os_error_message(IsADirectoryError(21, "Is a directory", "out"))
    'out：是文件夹，不是文件 / is a folder'
    >>> os_error_message(IsADirectoryError(21, "Is a directory", ".out.1234.tmp", None, "out"))
    'out：是文件夹，不是文件 / is a folder'
    """
    named = e.filename2 if e.filename2 is not None else e.filename  # a rename names the target second
    where = None if named is None else os.fspath(named)
    return f"{where}：{os_reason(e)}" if where else f"读写文件失败：{os_reason(e)}"
