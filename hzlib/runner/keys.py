"""A report's key: a hash over everything its output depends on, computed without reading data.

The key covers the notebooks, the parameters, the content of every input file (plan,
data, mapping, scoring rules and inputs, scenario), hzlib's own code and templates, and
the rendering settings (formats, PDF engine). ``hz run`` records it in the report's
``manifest.json`` and in ``reports/.cache/``; the next run renders a report again only when
its key changed (``--force`` renders anyway). A changed data file changes only the keys of
the reports that read it.

The input files are hashed once per report (:func:`digest_inputs`): the same
:class:`InputDigest` gives the key, the report model's cache key and the manifest's ``inputs``.

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

from ..atomicfile import atomic_write_text
from ..inputs import file_hash, input_files
from ..paths import package_dir, project

__all__ = ["Job", "InputDigest", "digest_inputs", "job_key", "code_hash", "cached_folder", "record_key", "CACHE_FOLDER"]

#: Inside the output folder: one small record per report (its key and folder).
CACHE_FOLDER = ".cache"


@dataclass(frozen=True)
class Job:
    """One report to render: a plan at a period (as asked: ``latest``, a quarter ``2024Q2``, or a month inside a
    quarter ``2024-05`` for the monthly bulletin; the key and the record differ by it), possibly a what-if scenario."""

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


@dataclass(frozen=True)
class InputDigest:
    """Every file one report reads, by role (``plan``, ``data/ledger``, ``mapping``, ``scoring_rules``,
    ``scoring_inputs``, ``scenario``; only those that exist), with the sha256 of each; and the
    sha256 of every notebook of the project's notebook folder, by name."""

    files: dict[str, Path]
    sha256: dict[str, str]
    notebooks: dict[str, str]


def digest_inputs(plan: str, data_dir: str | None = None, scenario: str | None = None) -> InputDigest:
    """Hash the files a report of ``plan`` (with ``data_dir`` and a what-if ``scenario``) reads."""
    scenario_file = None
    if scenario:
        from ..whatif.scenario import scenario_path  # lazy: hzlib.whatif.scenario costs 880 ms at import of this module; only a scenario's report needs it

        scenario_file = scenario_path(plan, scenario)
    files = {role: p for role, p in sorted(input_files(plan, data_dir, scenario=scenario_file).items()) if p.exists()}
    notebook_dir = project().notebook_dir
    notebooks = {p.name: file_hash(p) for p in sorted(notebook_dir.glob("*.ipynb")) if p.is_file()}
    return InputDigest(files, {role: file_hash(p) for role, p in files.items()}, notebooks)


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


def job_key(job: Job, digest: InputDigest | None = None) -> str:
    """The key of ``job`` over the content of everything its report depends on (``digest``: its
    input files already hashed, see :func:`digest_inputs`)."""
    d = digest or digest_inputs(job.plan, job.data_dir, job.scenario)
    doc = {
        "job": asdict(job) | {"notebooks": list(d.notebooks)},
        "inputs": d.sha256,
        "notebooks": d.notebooks,
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
        folder = out_dir / str(rec["folder"])
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
    atomic_write_text(
        out_dir / CACHE_FOLDER / job.record_name, json.dumps({"key": key, "folder": folder.relative_to(out_dir).as_posix()}, ensure_ascii=False) + "\n"
    )
