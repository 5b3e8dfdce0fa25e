"""Check that every quote in a plan file appears verbatim in its seed text.

Whitespace (spaces, line breaks) is ignored on both sides, since the seed
texts break lines and pad numbers with spaces; every other character must
match exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ERROR, WARNING, Problem
from .schema import Plan, Source

__all__ = ["default_seeds_dir", "verify_quotes", "verify_sources"]

_WS = re.compile(r"\s+")


def default_seeds_dir() -> Path | None:
    """``../shared/seeds`` beside the project, when it is there."""
    from ..paths import seeds_dir

    return seeds_dir()


def _norm(text: str) -> str:
    return _WS.sub("", text)


def _sources(plan: Plan) -> list[tuple[str, Source]]:
    out: list[tuple[str, Source]] = []
    for t in plan.targets:
        out.append((f"targets({t.id}).source", t.source))
        out += [(f"targets({t.id}).alternatives[{i}].source", a.source) for i, a in enumerate(t.alternatives)]
    out += [(f"allocations({a.id}).source", a.source) for a in plan.allocations]
    out += [(f"ambiguities({a.id}).source", a.source) for a in plan.ambiguities]
    out += [(f"deviations({d.id}).source", d.source) for d in plan.deviations]
    if plan.project_list is not None:
        out.append(("project_list.source", plan.project_list.source))
    return out


def verify_quotes(plan: Plan, seeds_dir: Path, file: str | None = None) -> list[Problem]:
    """Return an error for each quote not found in its seed file."""
    return verify_sources(_sources(plan), plan.source_file, seeds_dir, file or f"{plan.id}.yaml")


def verify_sources(sources: list[tuple[str, Source]], default_file: str | None, seeds_dir: Path, name: str) -> list[Problem]:
    """Check each ``(field path, source)``: its quote must be in its seed file (``default_file`` when unset)."""
    cache: dict[str, str] = {}
    problems: list[Problem] = []
    for column, src in sources:
        seed = src.file or default_file
        if seed is None:
            problems.append(Problem(name, None, column, "未核对出处：没有给出原文文件（source_file）", WARNING))
            continue
        if seed not in cache:
            path = seeds_dir / seed
            if not path.exists():
                problems.append(Problem(name, None, column, f"找不到出处文件 {seed}"))
                cache[seed] = ""
                continue
            cache[seed] = _norm(path.read_text(encoding="utf-8"))
        if cache[seed] and _norm(src.quote) not in cache[seed]:
            problems.append(Problem(name, None, column, f"引文在 {seed} 中找不到：“{src.quote}”", ERROR))
    return problems
