"""Which files a report reads, found without reading them (no pandas: ``hz run`` decides
from these files' content hashes whether a report must be rendered again).

A plan's inputs: its plan file; the data files of its data folder (``ledger``,
``progress``, ``indicators``, ``profiles``, ``tasks`` as ``.csv`` or ``.xlsx``); the
office's ``mapping.yaml`` there; its scoring rules (``params/scoring/<plan>.yaml``) and
reported scoring inputs (``scoring_inputs.csv``); a what-if scenario file when one is asked for.

>>> sorted(input_files("ankang-2019"))[:3]
['data/indicators', 'data/ledger', 'data/profiles']
>>> len(file_hash(input_files("ankang-2019")["plan"]))
64
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .paths import project
from .safety import check_id

__all__ = ["KINDS", "data_dir_for", "data_files", "input_files", "file_hash", "MAPPING_FILE", "SCORING_INPUTS_FILE"]

#: The kinds of data file, in the order they are read.
KINDS = ("ledger", "progress", "indicators", "profiles", "tasks")
#: An office's own headers and words (see docs/data.md).
MAPPING_FILE = "mapping.yaml"
#: Reported scoring inputs (see docs/scoring.md).
SCORING_INPUTS_FILE = "scoring_inputs.csv"


def data_dir_for(plan_id: str, data_dir: str | Path | None = None) -> Path:
    """``data_dir`` if given (a folder holding the files, or a parent holding ``<plan-id>/``)."""
    check_id(plan_id, "plan")
    if data_dir is None:
        return project().data_dir / plan_id
    d = Path(data_dir)
    return d / plan_id if (d / plan_id).is_dir() else d


def _find(folder: Path, kind: str) -> Path | None:
    for ext in (".csv", ".xlsx"):
        p = folder / f"{kind}{ext}"
        if p.exists():
            return p
    return None


def data_files(folder: Path) -> dict[str, Path]:
    """The data files of a folder by kind (``ledger.csv`` or ``ledger.xlsx`` …)."""
    return {kind: p for kind in KINDS if (p := _find(folder, kind)) is not None}


def input_files(plan_id: str, data_dir: str | Path | None = None, *, scenario: Path | None = None) -> dict[str, Path]:
    """Every file a report of ``plan_id`` reads, by role (``plan``, ``data/ledger``, ``mapping``,
    ``scoring_rules``, ``scoring_inputs``, ``scenario``)."""
    from .plan.loader import plan_path  # lazy: hzlib.plan (pandas) costs 168 ms at import of this module, which hz run imports to hash inputs without pandas

    folder = data_dir_for(plan_id, data_dir)
    out: dict[str, Path] = {"plan": plan_path(plan_id)}
    out |= {f"data/{k}": p for k, p in data_files(folder).items()}
    mapping_path = folder / MAPPING_FILE
    if mapping_path.exists():
        out["mapping"] = mapping_path
    rules = project().scoring_dir / f"{plan_id}.yaml"
    if rules.exists():
        out["scoring_rules"] = rules
        if (folder / SCORING_INPUTS_FILE).exists():
            out["scoring_inputs"] = folder / SCORING_INPUTS_FILE
    if scenario is not None:
        out["scenario"] = scenario
    return out


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
