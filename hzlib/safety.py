"""Checks on names that end up in file paths (plan ids, quarters).

>>> check_id("zhenba-2024", "plan")
'zhenba-2024'
>>> check_id("../etc", "plan")
Traceback (most recent call last):
...
hzlib.errors.UsageError: plan 名称不合法：'../etc'（只允许小写字母、数字和连字符）
"""

from __future__ import annotations

import re

from .errors import UsageError

__all__ = ["check_id", "check_quarter"]

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def check_id(value: str, what: str = "id") -> str:
    """Accept only ``[a-z0-9-]`` names, so an id can never climb out of a folder."""
    if not _SAFE.match(value):
        raise UsageError(f"{what} 名称不合法：{value!r}（只允许小写字母、数字和连字符）")
    return value


def check_quarter(value: str) -> str:
    """Accept ``2024Q2`` only (used in report paths)."""
    if not _QUARTER.match(value):
        raise UsageError(f"季度格式不合法：{value!r}（应为 2024Q2 这样的形式）")
    return value
