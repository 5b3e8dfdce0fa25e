"""The ``hz`` command: check plans, print quarterly targets, evaluate, render bulletins.

Messages for people are in Chinese; csv/json output uses stable English
column names for programs. Input problems are printed as a list (file, row,
column, message) and the exit code is 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import HzError, InputError
from ._common import EXIT_OK, fill_help

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    from . import data, plans, report, sample, score, whatif

    parser = argparse.ArgumentParser(prog="hz", description="高质量项目建设推进年 季度跟踪工具 / quarterly plan tracking")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (plans, data, report, score, whatif, sample):
        module.register(sub)
    fill_help(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except HzError as e:
        print(e.render() if isinstance(e, InputError) else f"错误 / error: {e.render()}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # pragma: no cover - `hz ... | head`
        return EXIT_OK
    except KeyboardInterrupt:
        print("\n已中断 / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
