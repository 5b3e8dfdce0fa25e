from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from hzlib.errors import Problem

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

# Keep matplotlib from trying a GUI backend in tests.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("seed texts (../shared/seeds) not present")
    return SEEDS


#: What a bad input file must get: (line as printed, field path, words of the message), in order.
Located = list[tuple[str, str, str]]


def assert_problems(problems: Sequence[Problem], name: str, expected: Located) -> None:
    """Each problem names the file, the line (第N行), the field path and the words expected, in order."""
    assert len(problems) == len(expected), [str(p) for p in problems]
    for problem, (line, column, words) in zip(problems, expected):
        text = str(problem)
        assert name in text and line in text and words in text, text
        assert (problem.column or "") == column


@pytest.fixture(scope="session")
def assert_located() -> Callable[[Sequence[Problem], str, Located], None]:
    """:func:`assert_problems` as a fixture."""
    return assert_problems
