"""papermill plugin (entry point ``papermill.engine``: ``hz``), so that plain papermill is as
clear as ``hz run``.

papermill loads its engine plugins when it starts; loading this one changes nothing (no hook,
no registration) except in the ``papermill`` command, where ``hz`` becomes the default engine.
What the engine does when it runs:

- **The papermill command's error output.** When a cell fails, papermill's command ends
  with an uncaught ``PapermillExecutionError``, and Python prints papermill's own stack
  (about 25 lines of click and papermill frames that say nothing about the notebook)
  above the notebook's error. In the ``papermill`` command only, once the engine runs, this
  module's ``sys.excepthook`` prints the notebook's error alone: an hzlib error, which the
  notebook already shows as one Chinese line (:mod:`hzlib.report.notebook`), is printed
  as that line; any other error as the notebook's traceback. The exit code stays 1.
  An hzlib error raised in this process (a parameter the notebook does not take) is
  printed the same way: ``错误 / error: …``.
- **Engine** ``hz`` (``papermill --engine hz …``, and the default engine of the papermill
  command): papermill's nbclient engine with the kernel options of ``hz run`` (local IPC
  sockets instead of TCP, so no "Kernel is running over TCP without encryption" warning).
  Before it starts a kernel it checks the parameters of an hzlib notebook against its
  parameters cell (:func:`parameter_problems`): a misspelt name (``-p quartr 2024Q3``, which papermill
  would only warn about and run the default quarter) or a value of the wrong type
  (``-p quarter 2``) stops it with one line saying what the notebook takes. The injected-parameters
  cell gets an id derived from the parameters (papermill's is random).

The module imports nothing heavy: papermill loads it on every start. ``HzEngine`` is made on
first use (papermill's engine module, which it subclasses, is what imports this module).
"""

from __future__ import annotations

import difflib
import logging
import re
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import HzError, UsageError
from .kernels import kernel_options
from .runner.kernel import pin_parameters_cell

__all__ = ["notebook_error_message", "install_excepthook", "parameter_problems", "check_parameters", "UnknownParameterInChinese"]  # and HzEngine

#: What to write for each parameter of the report notebooks (for the message of a wrong value).
PARAMETER_HINTS = {
    "plan": "计划 id，如 zhenba-2024",
    "quarter": "期别，如 2024Q2",
    "data_dir": "数据目录，如 data/zhenba-2024（空为默认）",
    "allow_partial": " True 或 False",
    "scenario": "情景名，如 q3-slow（空为不用情景）",
    "assume": "增速假设，如 Q3=6%,Q4=10%",
}

#: Python type names papermill infers for a parameter → the types of value it accepts.
_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "bool": (bool,), "int": (int,), "float": (int, float)}

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


def _wrong_type(name: str, value: Any, expected: str) -> str | None:
    """The message for ``value`` of parameter ``name`` when it is not of type ``expected``; None when it is."""
    kinds = _TYPES.get(expected)
    if kinds is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
        return None
    text = f"参数 {name} 应为 {expected}，实际为 {type(value).__name__}：{value!r}"
    if name in PARAMETER_HINTS:
        text += f"；{name} 应写{PARAMETER_HINTS[name]}"
    if expected == "str" and isinstance(value, (int, float)):
        text += f"（papermill 的 -p 把数字读成数值，写文字请用 -r {name} {value}）"
    return text


def parameter_problems(declared: dict[str, Any], given: dict[str, Any]) -> list[str]:
    """What is wrong with the parameters ``given`` to a notebook whose parameters cell declares
    ``declared`` (as :func:`papermill.inspect_notebook` returns): unknown names, wrong types.

    >>> declared = {"plan": {"inferred_type_name": "str"}, "quarter": {"inferred_type_name": "str"}}
    >>> parameter_problems(declared, {"quartr": "2024Q3"})
    ['未知参数 quartr：本 notebook 的参数为 plan、quarter；是否想写 quarter？']
    >>> parameter_problems(declared, {"quarter": 2}) == [
    ...     "参数 quarter 应为 str，实际为 int：2；quarter 应写期别，如 2024Q2（papermill 的 -p 把数字读成数值，写文字请用 -r quarter 2）"]
    True
    """
    out = []
    names = "、".join(declared)
    for name, value in given.items():
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
            out.append(f"未知参数 {name}：本 notebook 的参数为 {names}" + (f"；是否想写 {close[0]}？" if close else ""))
        elif (wrong := _wrong_type(name, value, str(declared[name].get("inferred_type_name", "None")))) is not None:
            out.append(wrong)
    return out


def _uses_hzlib(nb: Any) -> bool:
    """Whether ``nb`` is an hzlib notebook (its code imports hzlib); other notebooks keep papermill's ways."""
    return any(c.get("cell_type") == "code" and "hzlib" in str(c.get("source", "")) for c in nb.get("cells", []))


def check_parameters(nb: Any, input_path: Any) -> None:
    """Raise a :class:`~hzlib.errors.UsageError` when the parameters papermill put in ``nb``
    (``metadata.papermill.parameters``) do not fit the parameters cell of the hzlib notebook at ``input_path``."""
    given = dict(nb.get("metadata", {}).get("papermill", {}).get("parameters") or {})
    if not given or not isinstance(input_path, str) or not _uses_hzlib(nb):
        return

    import papermill  # lazy: papermill imports this module while it starts (its engine entry point): a cycle

    log = logging.getLogger("papermill")
    level = log.level
    log.setLevel(logging.WARNING)  # inspect_notebook logs "Input Notebook: …" a second time
    try:
        declared = papermill.inspect_notebook(input_path)
    finally:
        log.setLevel(level)
    if not declared:  # no parameters cell: papermill puts the parameters first, as for any notebook
        return
    problems = parameter_problems(declared, given)
    if problems:
        raise UsageError("；".join(problems))


def _excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    from papermill.exceptions import PapermillExecutionError  # lazy: papermill imports this module while it starts (its engine entry point): a cycle

    if isinstance(value, PapermillExecutionError):
        print(notebook_error_message(value), file=sys.stderr)
        return
    if isinstance(value, HzError):
        print(f"错误 / error: {value.render()}", file=sys.stderr)
        return
    sys.__excepthook__(etype, value, tb)


def _papermill_command(argv0: str | None = None) -> bool:
    """Whether this process is the ``papermill`` command (``argv0``: default ``sys.argv[0]``)."""
    path = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else ""))
    return path.name == "papermill" or (path.name == "__main__.py" and path.parent.name == "papermill")


def install_excepthook(argv0: str | None = None) -> bool:
    """Install the hook when this process is the ``papermill`` command and no other hook is set
    (called when the engine runs, never at import)."""
    if not _papermill_command(argv0) or sys.excepthook is not sys.__excepthook__:
        return False
    sys.excepthook = _excepthook
    return True


def _make_engine() -> type:
    from papermill.engines import NBClientEngine  # lazy: papermill imports this module while it starts (its engine entry point): a cycle

    class HzEngine(NBClientEngine):
        """papermill engine ``hz``: the nbclient engine with ``hz run``'s kernel options, which
        checks the parameters first."""

        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: Any, **kwargs: Any) -> Any:
            install_excepthook()  # the papermill command only: its errors as one line
            check_parameters(nb, kwargs.get("input_path"))
            pin_parameters_cell(nb)
            return super().execute_notebook(nb, kernel_name, **kwargs)

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            return super().execute_managed_notebook(nb_man, kernel_name, **(kernel_options() | kwargs))

    return HzEngine


_ENGINE: list[type] = []


class UnknownParameterInChinese(logging.Filter):
    """papermill's own warning for a parameter the notebook does not declare, Chinese first
    (the papermill command; an hzlib notebook then stops with the parameters it does declare).

    >>> rec = logging.LogRecord("papermill", logging.WARNING, "", 0, "Passed unknown parameter: quartr", None, None)
    >>> UnknownParameterInChinese().filter(rec), rec.getMessage()
    (True, '未知参数 quartr：notebook 的参数单元格中没有它 / Passed unknown parameter: quartr')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if msg.startswith(_UNKNOWN):
            record.msg, record.args = f"未知参数 {msg.removeprefix(_UNKNOWN)}：notebook 的参数单元格中没有它 / {msg}", None
        return True


_UNKNOWN = "Passed unknown parameter: "


def __getattr__(name: str) -> Any:
    if name == "HzEngine":
        if not _ENGINE:
            _ENGINE.append(_make_engine())
            if _papermill_command():  # the papermill command: hz is its default engine, its warnings Chinese first
                logging.getLogger("papermill").addFilter(UnknownParameterInChinese())
                engines = sys.modules.get("papermill.engines")
                if engines is not None and hasattr(engines, "papermill_engines"):
                    engines.papermill_engines.register(None, _ENGINE[0])
        return _ENGINE[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
