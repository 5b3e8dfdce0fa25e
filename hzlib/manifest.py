"""A report's ``manifest.json``: what the report was made from, how, and when.

:func:`build_manifest` is a pure function: the same arguments give the same manifest, and it
reads no file and no clock. What it is given is gathered once per report by the runner: the
input files' sha256 (:class:`hzlib.runner.keys.InputDigest`, also used for the report's key),
the software (:func:`software`: hzlib's version, the lock file's sha256, package versions, the
git commit) and the run's start and end.

Everything in a manifest but :data:`RUN_FIELD` is the same for the same inputs, code and
environment; ``run`` holds the run's times (the only part that differs between two renders),
and :func:`comparable` drops it for a byte comparison (``hz rerun``).

>>> m = {"plan": "x", "run": {"started": "2026-01-01T00:00:00+00:00"}}
>>> comparable(m)
{'plan': 'x'}
>>> manifest_text(comparable(m)) == manifest_text({"plan": "x"})
True
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import platform
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .errors import UsageError
from .fileerrors import os_reason

__all__ = ["RUN_FIELD", "LOCK_FILE", "FileDigest", "Software", "build_manifest", "comparable", "manifest_text", "read_manifest", "software"]

#: The manifest field that holds the run's times: left out when renders are compared.
RUN_FIELD = "run"
#: The lock file at the project's top (``make lock``, ``hz init``): its sha256 goes into the manifest.
LOCK_FILE = "requirements.lock"
#: The packages whose versions a manifest records.
PACKAGES = ("hzlib", "pandas", "numpy", "matplotlib", "papermill", "nbconvert", "pydantic", "openpyxl", "weasyprint")


@dataclass(frozen=True)
class FileDigest:
    """One input file of a report: its name and the sha256 of its bytes."""

    file: str
    sha256: str


@dataclass(frozen=True)
class Software:
    """The software a report was rendered with."""

    hzlib: str
    versions: dict[str, str] = field(default_factory=dict)
    lock_sha256: str | None = None  # None: the project has no lock file
    git_commit: str | None = None


def build_manifest(
    *,
    plan_id: str,
    plan: Any,
    model: Any,
    quarter: str,
    quarter_asked: str,
    scenario: str | None,
    parameters: Mapping[str, Any],
    formats: tuple[str, ...],
    key: str | None,
    inputs: Mapping[str, FileDigest],
    data_folder: str,
    software: Software,
    started: dt.datetime,
    finished: dt.datetime,
) -> dict[str, Any]:
    """The manifest of one report (a JSON-ready dict, keys in a fixed order).

    ``plan``, ``model``: the report's plan and model (title, period, status counts); ``quarter``:
    the quarter rendered, ``quarter_asked`` as asked (``latest`` or the quarter); ``scenario``: the
    what-if scenario's id or None; ``key``: the report's key (:mod:`hzlib.runner.keys`) when rendered
    by ``hz run``; ``inputs``: every file read (plan, data, mapping, scoring, scenario, notebooks) by role.
    """
    return {
        "plan": plan_id,
        "title": plan.title,
        "jurisdiction": plan.jurisdiction,
        "quarter": quarter,
        "quarter_asked": quarter_asked,
        "scenario": scenario,
        "parameters": dict(parameters),
        "formats": list(formats),
        "key": key,
        "period_evaluated": model.period.label(),
        "data_end": model.coverage.end.label() if model.coverage.end else None,
        "partial": model.partial,
        "assumed": model.assumed,
        "bulletin": "monthly" if model.monthly is not None else "quarterly",
        # a month assesses no target (月通报): no overall status, no count of statuses
        "overall_status": None if model.monthly is not None else model.overall_status,
        "summary": {} if model.monthly is not None else model.summary,
        "illustrative": model.illustrative,
        "inputs": {role: {"file": d.file, "sha256": d.sha256} for role, d in sorted(inputs.items())},
        "data_folder": data_folder,
        "hzlib_version": software.hzlib,
        "lock": {"file": LOCK_FILE, "sha256": software.lock_sha256} if software.lock_sha256 else None,
        "versions": dict(software.versions),
        "git_commit": software.git_commit,
        RUN_FIELD: {
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "seconds": round((finished - started).total_seconds(), 1),
        },
    }


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """The manifest as written to ``manifest.json``."""
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def comparable(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """``manifest`` without its run times (:data:`RUN_FIELD`): what two renders of the same inputs share."""
    return {k: v for k, v in manifest.items() if k != RUN_FIELD}


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``; a :class:`~hzlib.errors.UsageError` naming it when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"{path}：无法读取，{os_reason(e)}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} 不是 manifest.json（无法按 UTF-8 读取）") from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise UsageError(f"{path} 不是 manifest.json（第 {getattr(e, 'lineno', '?')} 行不是有效的 JSON）") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} 不是 manifest.json（应为 JSON 对象）")
    missing = [k for k in ("plan", "quarter", "parameters", "formats", "inputs") if k not in data]
    if missing:
        raise UsageError(f"{path} 不是 hz run 写的 manifest.json：缺少字段 {'、'.join(missing)}")
    params = data["parameters"]
    if not isinstance(params, dict) or not isinstance(params.get("plan"), str) or not isinstance(params.get("quarter"), str):
        raise UsageError(f"{path}：字段 parameters 应含 plan 和 quarter（文字）")
    if not isinstance(data["formats"], list) or not all(isinstance(f, str) for f in data["formats"]):
        raise UsageError(f'{path}：字段 formats 应为文字列表，如 ["html", "pdf", "xlsx"]')
    if not isinstance(data["inputs"], dict) or not all(isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in data["inputs"].values()):
        raise UsageError(f"{path}：字段 inputs 应为 {{角色: {{file, sha256}}}}")
    return data


# ---- gathering (reads files and runs git: not part of the pure function above) --------------


@functools.cache
def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def software(root: Path) -> Software:
    """The software of this process, for a project at ``root`` (its lock file, its git commit)."""
    versions = _versions()
    return Software(versions.get("hzlib", "0.0.0"), versions, _sha256(root / LOCK_FILE), _git_commit(root))
