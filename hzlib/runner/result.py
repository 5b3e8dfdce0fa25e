"""What rendering one report gave: :class:`RunResult`, the same whether it was rendered in this
process, in a pool process or on a Dask worker (it travels back pickled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RunResult"]


@dataclass
class RunResult:
    plan: str
    quarter: str
    ok: bool
    folder: Path | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: failed because of its inputs (plan, data, quarter, scenario): ``hz run`` then exits with 2
    input_error: bool = False
