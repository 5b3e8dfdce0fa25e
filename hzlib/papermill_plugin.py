"""papermill plugin (entry point ``papermill.engine``: ``hz``), so that plain papermill is as
clear as ``hz run``.

papermill loads its engine plugins when it starts. Loading this one does two things:

- **The papermill command's error output.** When a cell fails, papermill's command ends
  with an uncaught ``PapermillExecutionError``, and Python prints papermill's own stack
  (about 25 lines of click and papermill frames that say nothing about the notebook)
  above the notebook's error. In the ``papermill`` command only, this module's
  ``sys.excepthook`` prints the notebook's error alone: an hzlib error, which the
  notebook already shows as one Chinese line (:mod:`hzlib.report.notebook`), is printed
  as that line; any other error as the notebook's traceback. The exit code stays 1.
- **Engine** ``hz`` (``papermill --engine hz …``): papermill's nbclient engine with the kernel
  options of ``hz run`` (local IPC sockets instead of TCP, so no "Kernel is running over
  TCP without encryption" warning).

The module imports nothing heavy: papermill loads it on every start. ``HzEngine`` is made on
first use (papermill's engine module, which it subclasses, is what imports this module).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["notebook_error_message", "install_excepthook"]  # and HzEngine, made on first use

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_error_message(error: Any) -> str:
    """What the papermill command prints for a failed notebook (a ``PapermillExecutionError``).

    >>> class E:  # the attributes papermill's error has
    ...     ename, evalue, exec_count = "UsageError", "没有计划 'nosuch'", 3
    ...     traceback = ["UsageError: 没有计划 'nosuch'"]
    >>> notebook_error_message(E())
    "错误 / error: 没有计划 'nosuch'"
    """
    lines = [_ANSI.sub("", line) for line in (error.traceback or [])]
    if len(lines) == 1 and lines[0].startswith(f"{error.ename}: "):  # one line: an hzlib error
        return f"错误 / error: {error.evalue}"
    body = "\n".join(lines) or f"{error.ename}: {error.evalue}"
    return f"notebook 第 {error.exec_count} 个执行的单元格出错 / error in cell In [{error.exec_count}]:\n{body}"


def _excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(value, PapermillExecutionError):
        print(notebook_error_message(value), file=sys.stderr)
        return
    sys.__excepthook__(etype, value, tb)


def install_excepthook(argv0: str | None = None) -> bool:
    """Install the hook when this process is the ``papermill`` command and no other hook is set."""
    path = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else ""))
    command = path.name == "papermill" or (path.name == "__main__.py" and path.parent.name == "papermill")
    if not command or sys.excepthook is not sys.__excepthook__:
        return False
    sys.excepthook = _excepthook
    return True


def _make_engine() -> type:
    from papermill.engines import NBClientEngine

    class HzEngine(NBClientEngine):
        """papermill engine ``hz``: the nbclient engine with ``hz run``'s kernel options."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            from .kernels import kernel_options

            return super().execute_managed_notebook(nb_man, kernel_name, **(kernel_options() | kwargs))

    return HzEngine


_ENGINE: list[type] = []


def __getattr__(name: str) -> Any:
    if name == "HzEngine":
        if not _ENGINE:
            _ENGINE.append(_make_engine())
        return _ENGINE[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


install_excepthook()
