"""What a report notebook calls first: check its parameters, build the model, and make
errors a user can cause read as one Chinese line instead of a traceback.

Under IPython (a notebook, papermill, nbval), :func:`open_report` registers a handler
for :class:`hzlib.errors.HzError`: the cell still fails (papermill and ``hz run`` see
the error and stop), but what is shown is the message, e.g.
``UsageError: 没有计划 'nosuch'（可用：ankang-2019、…）``, not a stack of frames.
``hz run`` reports that line with the cell and the notebook kept under ``.failed/``; the
``papermill`` command prints it as its only error line (``错误 / error: …``, exit code 1)
through :mod:`hzlib.papermill_plugin`, instead of papermill's own stack.
"""

from __future__ import annotations

from typing import Any

from ..errors import HzError, UsageError
from .load import load_report
from .model import ReportModel

__all__ = ["open_report", "check_parameters", "install_error_handler"]


def check_parameters(plan: object, quarter: object, data_dir: object, allow_partial: object) -> None:
    """The notebook parameters' types and the plan id, before anything is read."""
    from ..plan import list_plan_ids
    from ..safety import check_id

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
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - plain Python
        return
    ip = get_ipython()
    if ip is not None:
        ip.set_custom_exc((HzError,), _short_traceback)


def open_report(plan: str, quarter: str, data_dir: str = "", allow_partial: bool = False) -> ReportModel:
    """Check the parameters and build the report model of ``plan`` at ``quarter``."""
    install_error_handler()
    check_parameters(plan, quarter, data_dir, allow_partial)
    return load_report(plan, quarter, data_dir or None, allow_partial=allow_partial)
