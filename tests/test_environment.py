"""environment.yml lists the same dependencies, with the same version ranges, as pyproject.toml;
requirements.lock pins each of them (with its extras make installs) inside those ranges, with hashes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

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


# --- requirements.lock: what `make` installs, hash-checked --------------------------------

LOCK = ROOT / "requirements.lock"
HEAVY = {"weasyprint": "pdf", "distributed": "dask", "jupyterlab": "lab", "ipywidgets": "lab"}


def _norm(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _makefile_var(name: str) -> str:
    m = re.search(rf"^{name}\s*:?=\s*(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert m, f"Makefile has no {name}"
    return m.group(1).strip()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _locked_requirements(extras: list[str]) -> list[Requirement]:
    """pyproject's dependencies, those of ``extras``, and the build-system requirements."""
    data = _project()
    reqs = list(data["project"]["dependencies"]) + list(data["build-system"]["requires"])
    for extra in extras:
        reqs += data["project"]["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


def parse_lock(text: str) -> dict[str, tuple[str, int]]:
    """name -> (pinned version, number of sha256 hashes) of a pip requirements file."""
    out: dict[str, tuple[str, int]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", line)
        assert m, f"not an exact pin: {line[:80]}"
        out[_norm(m.group(1))] = (m.group(2), line.count("--hash=sha256:"))
    return out


def lock_problems(reqs: list[Requirement], lock: dict[str, tuple[str, int]]) -> list[str]:
    """What keeps ``lock`` from installing ``reqs`` with ``pip --require-hashes``."""
    out = []
    for req in reqs:
        pin = lock.get(_norm(req.name))
        if pin is None:
            out.append(f"{req.name}: not in requirements.lock")
        elif not req.specifier.contains(pin[0], prereleases=True):
            out.append(f"{req.name}: locked {pin[0]} is outside pyproject's {req.specifier}")
    out += [f"{name}=={version}: no hash" for name, (version, hashes) in sorted(lock.items()) if hashes == 0]
    return out


def test_make_installs_every_extra() -> None:
    extras = _makefile_var("EXTRAS").split(",")
    assert sorted(extras) == sorted(_project()["project"]["optional-dependencies"])


def test_heavy_parts_are_extras() -> None:
    core = {_norm(Requirement(r).name) for r in _project()["project"]["dependencies"]}
    optional = _project()["project"]["optional-dependencies"]
    for name, extra in HEAVY.items():
        assert name not in core
        assert name in {_norm(Requirement(r).name) for r in optional[extra]}


def test_lock_agrees_with_pyproject() -> None:
    lock = parse_lock(LOCK.read_text(encoding="utf-8"))
    reqs = _locked_requirements(_makefile_var("EXTRAS").split(","))
    problems = lock_problems(reqs, lock)
    assert not problems, "\n".join(problems) + "\n(run `make lock`)"
    assert {"pandas", "weasyprint", "distributed", "jupyterlab", "pytest", "setuptools"} <= set(lock)


def test_lock_problems_names_missing_outside_and_unhashed() -> None:
    lock = parse_lock(
        "# generated\npandas==3.0.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via hzlib\nnumpy==2.4.6 \\\n    --hash=sha256:cc\nsix==1.17.0\n"
    )
    assert lock == {"pandas": ("3.0.1", 2), "numpy": ("2.4.6", 1), "six": ("1.17.0", 0)}
    reqs = [Requirement("pandas>=2.1,<3"), Requirement("numpy>=1.26,<3"), Requirement("nbval>=0.11,<1")]
    assert lock_problems(reqs, lock) == [
        "pandas: locked 3.0.1 is outside pyproject's <3,>=2.1",
        "nbval: not in requirements.lock",
        "six==1.17.0: no hash",
    ]


def test_lock_header_says_python_311_on_linux() -> None:
    head = "\n".join(LOCK.read_text(encoding="utf-8").splitlines()[:6])
    assert "CPython 3.11 on Linux x86_64" in head
    assert "make lock" in head
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlock:", 1)[1].split("\n\n", 1)[0]
    assert "--python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes" in recipe


def test_make_installs_the_lock_then_hzlib_without_deps() -> None:
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert len(installs) == 2, installs
    assert "--require-hashes -r $(LOCK)" in installs[0]
    assert "--no-deps" in installs[1] and installs[1].endswith("-e .")
    assert "$(LOCK)" in recipe.splitlines()[0]  # a new lock reinstalls


_BLOCK_HEAVY = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"weasyprint", "distributed", "dask", "ipywidgets", "jupyterlab"}:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, Block())
from hzlib.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_hz_evaluate_works_without_the_extras() -> None:
    """`import hzlib` and `hz evaluate` need none of the heavy extras (they are imported lazily)."""
    r = subprocess.run(
        [sys.executable, "-c", _BLOCK_HEAVY, "evaluate", "ankang-2019", "--quarter", "2019Q2", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout.startswith("target_id,") and "\ncity_key_projects,project_count," in r.stdout
