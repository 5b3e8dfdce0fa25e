"""Check that every quote in a plan file appears verbatim in its seed text.

Whitespace (spaces, line breaks) is ignored on both sides, since the seed
texts break lines and pad numbers with spaces; every other character must
match exactly.

>>> normalise("13个 新开工\\n项目")
'13个新开工项目'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..errors import ERROR, WARNING, Problem
from ..paths import seeds_dir
from .schema import Plan

__all__ = ["Quoted", "default_seeds_dir", "normalise", "plan_quotes", "verify_quotes", "verify_sources"]

_WS = re.compile(r"\s+")


class Quoted(NamedTuple):
    """One quote of a plan file: where it sits in the file, its seed file (None: the plan's) and the text."""

    column: str
    file: str | None
    quote: str


def default_seeds_dir() -> Path | None:
    """``../shared/seeds`` beside the project, when it is there."""
    return seeds_dir()


def normalise(text: str) -> str:
    """``text`` without any whitespace: the form quotes and seed texts are compared in."""
    return _WS.sub("", text)


def plan_quotes(plan: Plan) -> list[Quoted]:
    """Every quote of ``plan``: targets and their alternatives, allocations, ambiguities,
    deviations, the project list and the non-targets (passages deliberately not encoded)."""
    out: list[Quoted] = []
    for t in plan.targets:
        out.append(Quoted(f"targets({t.id}).source", t.source.file, t.source.quote))
        out += [Quoted(f"targets({t.id}).alternatives[{i}].source", a.source.file, a.source.quote) for i, a in enumerate(t.alternatives)]
    out += [Quoted(f"allocations({a.id}).source", a.source.file, a.source.quote) for a in plan.allocations]
    out += [Quoted(f"ambiguities({a.id}).source", a.source.file, a.source.quote) for a in plan.ambiguities]
    out += [Quoted(f"deviations({d.id}).source", d.source.file, d.source.quote) for d in plan.deviations]
    if plan.project_list is not None:
        out.append(Quoted("project_list.source", plan.project_list.source.file, plan.project_list.source.quote))
    out += [Quoted(f"non_targets[{i}]", n.file, n.quote) for i, n in enumerate(plan.non_targets)]
    return out


def verify_quotes(plan: Plan, seeds_dir: Path, file: str | None = None) -> list[Problem]:
    """Return an error for each quote not found in its seed file."""
    return verify_sources(plan_quotes(plan), plan.source_file, seeds_dir, file or f"{plan.id}.yaml")


def verify_sources(quotes: Iterable[Quoted], default_file: str | None, seeds_dir: Path, name: str) -> list[Problem]:
    """Check each quote against its seed file (``default_file`` when the quote names none).

    A quote whose document has no text here is a warning (未核对出处), not an error.
    """
    cache: dict[str, str] = {}
    problems: list[Problem] = []
    for column, src_file, quote in quotes:
        seed = src_file or default_file
        if seed is None:
            problems.append(Problem(name, None, column, "未核对出处：没有给出原文文件（source_file）", WARNING))
            continue
        if seed not in cache:
            path = seeds_dir / seed
            if not path.exists():
                problems.append(Problem(name, None, column, f"找不到出处文件 {seed}"))
                cache[seed] = ""
                continue
            cache[seed] = normalise(path.read_text(encoding="utf-8"))
        if cache[seed] and normalise(quote) not in cache[seed]:
            problems.append(Problem(name, None, column, f"引文在 {seed} 中找不到：“{quote}”", ERROR))
    return problems
