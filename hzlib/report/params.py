"""A report notebook's parameters, checked before anything is read, and errors a user can
cause shown as one Chinese line instead of a traceback (for :mod:`hzlib.report.notebook` and
:func:`hzlib.whatif.open_whatif`).

>>> check_parameters("ankang-2019", 2, "", False)
Traceback (most recent call last):
...
hzlib.errors.UsageError: 参数 quarter 应为 str，实际为 int：2
"""

from __future__ import annotations

from typing import Any

from ..errors import HzError, UsageError
from ..plan import list_plan_ids
from ..safety import check_id

__all__ = ["check_parameters", "install_error_handler"]


def check_parameters(plan: object, quarter: object, data_dir: object, allow_partial: object) -> None:
    """The notebook parameters' types and the plan id, before anything is read."""
    for name, value, kind in (("plan", plan, str), ("quarter", quarter, str), ("data_dir", data_dir, str), ("allow_partial", allow_partial, bool)):
        if not isinstance(value, kind):
            raise UsageError(f"参数 {name} 应为 {kind.__name__}，实际为 {type(value).__name__}：{value!r}")
    assert isinstance(plan, str)
    check_id(plan, "plan")
    known = list_plan_ids()
    if plan not in known:
        raise UsageError(f"没有计划 {plan!r}（可用：{'、'.join(known)}）")


def _short_traceback(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    text = value.render() if isinstance(value, HzError) else str(value)
    lines = [f"{etype.__name__}: {text}"]
    shell._showtraceback(etype, value, lines)
    return lines


def install_error_handler() -> None:
    """Under IPython, show an :class:`~hzlib.errors.HzError` as its message (the cell still fails)."""
    try:
        from IPython import get_ipython  # lazy: IPython is absent in plain Python, present in every notebook
    except ImportError:  # pragma: no cover - plain Python
        return
    ip = get_ipython()
    if ip is not None:
        ip.set_custom_exc((HzError,), _short_traceback)
