"""What every ``hz`` subcommand shares: exit codes and how problems are printed."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from ..errors import Problem

__all__ = ["EXIT_OK", "EXIT_FAIL", "EXIT_INPUT", "print_problems"]

#: 0 success; 1 a report failed; 2 bad input or usage.
EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """One line per problem, indented, to ``stream`` (stderr by default)."""
    out = stream or sys.stderr
    for p in problems:
        print(f"  - {p}", file=out)
