"""A report's key: a hash over everything its output depends on, computed without reading data.

The key covers the notebooks, the parameters, the content of every input file (plan,
data, mapping, scoring rules and inputs, scenario), hzlib's own code and templates, and
the rendering settings (formats, PDF engine). ``hz run`` records it in the report's
``manifest.json`` and in ``reports/.cache/``; the next run renders a report again only when
its key changed (``--force`` renders anyway). A changed data file changes only the keys of
the reports that read it.

>>> j = Job("ankang-2019", "2019Q2", ("html",))
>>> job_key(j) == job_key(j), len(job_key(j))
(True, 64)
>>> job_key(j) != job_key(Job("ankang-2019", "2019Q2", ("html", "pdf")))
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..inputs import file_hash, input_files
from ..paths import package_dir, project

__all__ = ["Job", "job_key", "code_hash", "cached_folder", "record_key", "CACHE_FOLDER"]

#: Inside the output folder: one small record per report (its key and folder).
CACHE_FOLDER = ".cache"


@dataclass(frozen=True)
class Job:
    """One report to render: a plan at a quarter (as asked: ``latest`` or ``2024Q2``), possibly a what-if scenario."""

    plan: str
    quarter: str
    formats: tuple[str, ...] = ("html", "pdf", "xlsx")
    data_dir: str | None = None
    allow_partial: bool = False
    scenario: str | None = None

    @property
    def label(self) -> str:
        asked = "最新季度" if self.quarter == "latest" else self.quarter
        return f"{self.plan} {asked}" + (f"（情景 {self.scenario}）" if self.scenario else "")

    @property
    def record_name(self) -> str:
        return f"{self.plan}__{self.quarter}__{self.scenario or ''}.json"


@functools.cache
def code_hash() -> str:
    """Hash of hzlib's code and templates (a change of code renders every report again)."""
    h = hashlib.sha256()
    pkg = package_dir()
    for p in sorted(pkg.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".css", ".j2", ".json", ".tpl") and "__pycache__" not in p.parts:
            h.update(p.relative_to(pkg).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _pdf_engine() -> str:
    return os.environ.get("HZ_PDF_ENGINE", "").strip() or "default"


def job_key(job: Job) -> str:
    """The key of ``job`` over the content of everything its report depends on."""
    scenario = None
    if job.scenario:
        from ..whatif.scenario import scenario_path

        scenario = scenario_path(job.plan, job.scenario)
    files = input_files(job.plan, job.data_dir, scenario=scenario)
    notebook_dir = project().notebook_dir
    notebooks = tuple(sorted(p.name for p in notebook_dir.glob("*.ipynb")))
    doc = {
        "job": asdict(job) | {"notebooks": list(notebooks)},
        "inputs": {role: file_hash(p) for role, p in sorted(files.items()) if p.exists()},
        "notebooks": {nb: file_hash(notebook_dir / nb) for nb in notebooks if (notebook_dir / nb).exists()},
        "code": code_hash(),
        "pdf_engine": _pdf_engine() if "pdf" in job.formats else "",
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def cached_folder(job: Job, key: str, out_dir: Path, expected: tuple[str, ...]) -> Path | None:
    """The report folder rendered for exactly this key, when it is still complete (its manifest
    says the same key and every expected output file exists); else None."""
    record = out_dir / CACHE_FOLDER / job.record_name
    try:
        rec = json.loads(record.read_text(encoding="utf-8"))
        folder = out_dir / rec["folder"]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    if rec.get("key") != key or manifest.get("key") != key:
        return None
    if not all((folder / name).exists() for name in expected):
        return None
    return folder


def record_key(job: Job, key: str, out_dir: Path, folder: Path) -> None:
    """Remember that ``folder`` holds the report of ``job`` for ``key``."""
    from ..render.atomic import atomic_write_text

    atomic_write_text(out_dir / CACHE_FOLDER / job.record_name,
                      json.dumps({"key": key, "folder": folder.relative_to(out_dir).as_posix()}, ensure_ascii=False) + "\n")
