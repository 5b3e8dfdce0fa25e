"""The one error hierarchy of hzlib, and problems reported all at once with file, row and column.

Everything a user can cause is an :class:`HzError`; the command line and the
notebooks print its :meth:`HzError.render` (Chinese, no traceback) and nothing else.

- :class:`InputError`: problems in input files, all at once (:class:`PlanError` for
  plan files, :class:`DataError` for data files);
- :class:`UsageError`: a bad command-line option or notebook parameter (unknown plan,
  quarter outside the plan year, unknown output format);
- :class:`CoverageError`: a period the data does not reach;
- :class:`RenderError`: a report could not be written (browser failed, folder not writable).

Anything else that escapes is a bug in hzlib, and is shown as one.

A :class:`Problem` names where (file, row or YAML line, column or field path)
and what was expected. Checks collect problems instead of raising on the
first one; :class:`InputError` carries the whole list to the edge of the
program, where it is printed without a traceback.

>>> p = Problem("plan.yaml", 12, "targets[3].value", "百分比应在 0 到 100 之间，实际为 800")
>>> str(p)
'plan.yaml 第12行 [targets[3].value]：百分比应在 0 到 100 之间，实际为 800'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "Problem",
    "HzError",
    "InputError",
    "PlanError",
    "DataError",
    "UsageError",
    "CoverageError",
    "RenderError",
    "ERROR",
    "WARNING",
    "format_problems",
    "FieldProblems",
    "GLOSS_SEP",
]

ERROR = "error"
WARNING = "warning"


#: How a message gives an English gloss after its Chinese: ``中文 / english``.
GLOSS_SEP = " / "


@dataclass(frozen=True)
class Problem:
    """One problem in one place of one input file.

    A message made with :meth:`said` keeps its Chinese part (:attr:`message_zh`) beside the
    message with its English gloss, so a listing that shows only the Chinese reads it, never
    cuts it out of the text:

    >>> p = Problem.said("a.xlsx", 3, "总投资", "已换算为万元", "converted to 万元", WARNING)
    >>> p.message, p.message_zh
    ('已换算为万元 / converted to 万元', '已换算为万元')
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR
    #: The Chinese part of a message with an English gloss (:meth:`said`); None when the message is all.
    zh: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def said(cls, file: str, row: int | None, column: str | None, zh: str, english: str, severity: str = ERROR) -> Problem:
        """A problem whose message is ``zh`` with the English gloss ``english`` after it."""
        return cls(file, row, column, f"{zh}{GLOSS_SEP}{english}", severity, zh=zh)

    @property
    def message_zh(self) -> str:
        """The message without its English gloss.

        Messages made as one string before :meth:`said` existed carry the gloss after
        :data:`GLOSS_SEP`; this is the one place that reads that convention.
        """
        if self.zh is not None:
            return self.zh
        return self.message.split(GLOSS_SEP)[0]

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" [{self.column}]"
        prefix = "" if self.severity == ERROR else "警告："
        return f"{where}：{prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class HzError(Exception):
    """Base of every error a user can cause; :meth:`render` is the message to print.

    >>> str(UsageError("没有计划 'x'"))
    "没有计划 'x'"
    >>> isinstance(PlanError([]), InputError) and isinstance(PlanError([]), HzError)
    True
    """

    #: Process exit code when this error ends a command.
    exit_code = 2

    def render(self) -> str:
        return str(self)


class UsageError(HzError, ValueError):
    """A bad option or parameter: unknown plan id, malformed quarter, unknown format."""


class CoverageError(HzError):
    """The period asked for lies beyond the last month the data covers."""


class RenderError(HzError):
    """A report could not be rendered or written."""

    exit_code = 1


class InputError(HzError):
    """Raised with every problem of an input at once."""

    def __init__(self, problems: Iterable[Problem], what: str = "输入文件") -> None:
        self.problems = list(problems)
        self.what = what
        super().__init__(self.render())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def render(self) -> str:
        errs = self.errors
        head = f"{self.what}有 {len(errs)} 处错误 / {len(errs)} error(s) in {self.what}:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(f"  - {p}" for p in problems)


class FieldProblems(ValueError):
    """What a model validator found wrong, each problem with the field it concerns.

    Raised inside a pydantic validator; pydantic keeps the exception (``ctx["error"]`` of the
    error), so the YAML loader reads the fields from :attr:`problems` and points each message
    at its field's line, and nothing parses the message back.

    >>> e = FieldProblems([("count", "share 和 count 只能写一个")])
    >>> e.problems, str(e)
    ((('count', 'share 和 count 只能写一个'),), 'count：share 和 count 只能写一个')
    """

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        super().__init__("；".join(f"{f}：{msg}" for f, msg in self.problems))


class PlanError(InputError):
    """Problems in a plan, scoring-rules or scenario file."""


class DataError(InputError):
    """Problems in data files (ledger, progress, indicators, profiles, tasks)."""
