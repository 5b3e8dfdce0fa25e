"""What every ``hz`` subcommand shares: exit codes, how problems are printed, the options
several subcommands take (one help text each), and the period they name."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TextIO

from ..errors import Problem
from ..periods import Period

__all__ = [
    "EXIT_OK",
    "EXIT_FAIL",
    "EXIT_INPUT",
    "print_problems",
    "QUARTER_HELP",
    "SHARED_HELP",
    "add_quarter",
    "add_data",
    "add_allow_partial",
    "quarter_label",
    "fill_help",
]

#: 0 success; 1 a report failed; 2 bad input or usage.
EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2

QUARTER_HELP = "期别：2024Q2、2024年二季度、2024年上半年、2024年1-6月、2024-06 等写法都可以（与数据文件的期别写法相同）"

#: Help of options that several subcommands take, by destination; also fills in an option
#: registered elsewhere without help (see :func:`fill_help`).
SHARED_HELP = {
    "quarter": QUARTER_HELP + "；latest 为数据覆盖的最新季度",
    "data": "数据目录（默认 data/<计划 id>/）",
    "allow_partial": "数据不到所请求季度末时，按数据截止月评价（每页注明“数据截至…”）",
    "format": "输出格式",
    "plan": "计划 id（params/plans/ 下的文件名，不含 .yaml）",
    "help": "显示本帮助并退出 / show this help and exit",
}


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """One line per problem, indented, to ``stream`` (stderr by default)."""
    out = stream or sys.stderr
    for p in problems:
        print(f"  - {p}", file=out)


def add_quarter(p: argparse.ArgumentParser, *, default: str | None = "latest", required: bool = False) -> None:
    """``--quarter``: any period form the data files accept (see :meth:`hzlib.periods.Period.parse`)."""
    text = SHARED_HELP["quarter"] + ("（默认 latest）" if default == "latest" else "")
    if required:
        p.add_argument("--quarter", required=True, help=QUARTER_HELP)
    else:
        p.add_argument("--quarter", default=default, help=text)


def add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DIR", help=SHARED_HELP["data"])


def add_allow_partial(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-partial", action="store_true", help=SHARED_HELP["allow_partial"])


def quarter_label(text: str) -> str:
    """``--quarter`` as the quarter label used in folder names (``2024Q2``), or ``latest``.

    >>> quarter_label("2024年上半年"), quarter_label("2024-06"), quarter_label(" Latest ")
    ('2024Q2', '2024Q2', 'latest')
    """
    if text.strip().lower() == "latest":
        return "latest"
    return Period.parse(text).to_quarter().label()


def fill_help(parser: argparse.ArgumentParser) -> None:
    """Chinese headings and ``-h`` help for ``parser`` and its subcommands; options registered
    without help get the shared text of their destination (with their choices and default)."""
    parser._positionals.title = "参数 / arguments"
    parser._optionals.title = "选项 / options"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                fill_help(sub)
            continue
        if isinstance(action, argparse._HelpAction):
            action.help = SHARED_HELP["help"]
            continue
        if action.help is not None:
            continue
        text = SHARED_HELP.get(action.dest, "")
        if action.choices:
            text += "：" + "、".join(map(str, action.choices))
        if action.default not in (None, False, argparse.SUPPRESS):
            text += f"（默认 {action.default}）"
        action.help = text or None
