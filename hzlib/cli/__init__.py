"""The ``hz`` command: check plans, print quarterly targets, evaluate, render bulletins.

Messages for people are in Chinese; csv/json output uses stable English
column names for programs. Input problems are printed as a list (file, row,
column, message) and the exit code is 2, never a traceback. A command line argparse
cannot read, and a file that cannot be read or written (a folder, no permission, disk
full), are one Chinese line, exit code 2, too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import HzError, InputError
from ..paths import set_project
from . import data, explain, plans, report, rerun, sample, score, whatif
from . import init as init_command  # `from . import init` confuses mypy (a package's __init__)
from ._common import EXIT_INPUT, EXIT_OK, ArgsError, HzArgumentParser, add_project, args_message, fill_help, os_error_message

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = HzArgumentParser(prog="hz", description="高质量项目建设推进年 季度跟踪工具 / quarterly plan tracking")
    add_project(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=HzArgumentParser)
    for module in (plans, data, report, rerun, score, explain, whatif, sample, init_command):
        module.register(sub)
    for command in sub.choices.values():
        if not any(a.dest == "project" for a in command._actions):
            add_project(command)
    fill_help(parser)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; arguments no option takes are an :class:`ArgsError` of their subcommand."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub = action.choices.get(args.command, parser)
        raise ArgsError(args_message(f"unrecognized arguments: {' '.join(extra)}"), sub.prog)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = _parse(parser, argv)
        if getattr(args, "project", None) and not getattr(args, "no_project", False):
            set_project(args.project)
        return int(args.func(args))
    except HzError as e:
        print(e.render() if isinstance(e, InputError) else f"错误 / error: {e.render()}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # pragma: no cover - `hz ... | head`
        return EXIT_OK
    except OSError as e:  # a file hzlib reads or writes: a folder, no permission, disk full
        print(f"错误 / error: {os_error_message(e)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("\n已中断 / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
