"""environment.yml lists the same dependencies, with the same version ranges, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"pyyaml": "pyyaml"}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", req)
    assert m, req
    name = re.sub(r"\[.*\]", "", m.group(1)).lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"].get("optional-dependencies", {}).values():
        reqs += extra
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python=", "python ", "pip")) and dep != "pip":
            name, spec = _split(dep)
            out[name] = spec
    return out


def drift(py: dict[str, str], env: dict[str, str]) -> list[str]:
    out = [f"only in pyproject.toml: {k}" for k in sorted(set(py) - set(env))]
    out += [f"only in environment.yml: {k}" for k in sorted(set(env) - set(py))]
    out += [f"{k}: pyproject {py[k]!r} vs environment {env[k]!r}" for k in sorted(set(py) & set(env)) if py[k] != env[k]]
    return out


def test_environment_matches_pyproject() -> None:
    problems = drift(_pyproject(), _environment())
    assert not problems, "\n".join(problems)


def test_drift_reports_changed_missing_and_extra() -> None:
    py = _pyproject()
    env = dict(py)
    env["pandas"] = ">=1.0"
    del env["nbval"]
    env["leftpad"] = ""
    assert drift(py, env) == [
        "only in pyproject.toml: nbval",
        "only in environment.yml: leftpad",
        "pandas: pyproject '>=2.1,<3' vs environment '>=1.0'",
    ]
