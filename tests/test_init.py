"""``hz init``: an office's own project, found like git finds its repository, upgraded without
touching the office's files; and hzlib as a normal (non-editable) package that works in one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hzlib
from hzlib import paths
from hzlib.cli import main
from hzlib.office import version

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_project_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without --project or HZ_PROJECT, and what it sets is undone."""
    monkeypatch.setattr(paths, "_override", None)
    monkeypatch.setenv(paths.ENV_VAR, "")
    monkeypatch.delenv(paths.ENV_VAR)


def _params(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    return "".join(cell["source"])


def _init(tmp_path: Path, *args: str) -> Path:
    office = tmp_path / "镇巴项目"
    assert main(["init", str(office), *args]) == 0
    return office


def test_init_from_a_bundled_plan_makes_a_complete_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = _init(tmp_path, "--from", "zhenba-2024")
    assert "已建立 hz 项目" in capsys.readouterr().out
    for folder in ("params/plans", "params/scoring", "params/scenarios", "data", "notebooks", "reports"):
        assert (office / folder).is_dir(), folder
    assert f'hzlib_version = "{version()}"' in (office / "hzproject.toml").read_text(encoding="utf-8")
    assert f"hzlib=={version()}" in (office / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert "requirements.lock" in (office / "environment.yml").read_text(encoding="utf-8")
    assert "--nbval-lax" in (office / "pytest.ini").read_text(encoding="utf-8")
    assert "reports/" in (office / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "hz run zhenba-2024 --quarter latest" in (office / "README.md").read_text(encoding="utf-8")
    # the plan, its scenarios and its data folder; zhenba-2024 has no scoring rules
    assert (office / "params/plans/zhenba-2024.yaml").read_bytes() == (ROOT / "params/plans/zhenba-2024.yaml").read_bytes()
    assert (office / "params/scenarios/zhenba-2024/q3-slow.yaml").is_file()
    assert not list((office / "params/scoring").iterdir())
    assert sorted(p.name for p in (office / "data/zhenba-2024").iterdir()) == sorted(p.name for p in (ROOT / "data/zhenba-2024").iterdir())
    # every suite notebook, outputs cleared (they were computed on the bundled data), defaults set to the plan
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (office / "notebooks").glob("*.ipynb")) == names
    for name in names:
        nb = json.loads((office / "notebooks" / name).read_text(encoding="utf-8"))
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in nb["cells"] if c["cell_type"] == "code"), name
        params = _params(office / "notebooks" / name)
        assert 'plan: str = "zhenba-2024"' in params and 'quarter: str = "latest"' in params, name
    assert (office / "notebooks/matplotlibrc").is_file() and (office / "jupyter_config.py").is_file()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = _init(tmp_path)
    capsys.readouterr()
    assert main(["init", str(office)]) == 2
    assert "已经是 hz 项目" in capsys.readouterr().err
    other = tmp_path / "other"
    (other / "data").mkdir(parents=True)
    (other / "README.md").write_text("本单位自己的说明\n", encoding="utf-8")
    assert main(["init", str(other), "--from", "zhenba-2024"]) == 2
    err = capsys.readouterr().err
    assert "已有这些文件" in err and "README.md" in err and "Traceback" not in err
    assert (other / "README.md").read_text(encoding="utf-8") == "本单位自己的说明\n" and not (other / paths.MARKER).exists()
    assert main(["init", str(tmp_path / "x"), "--from", "nosuch-2024"]) == 2
    assert "内置示例中没有这份计划" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_the_project_is_found_from_below_by_env_and_by_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    office = _init(tmp_path, "--from", "zhenba-2024")
    monkeypatch.chdir(office / "notebooks")  # where the kernels run
    assert paths.project().root == office.resolve()
    assert paths.project().plans_dir == office.resolve() / "params" / "plans"
    monkeypatch.chdir(tmp_path)
    assert paths.project().root == ROOT  # outside any project: the bundled example (editable install)
    monkeypatch.setenv(paths.ENV_VAR, str(office))
    assert paths.project().root == office.resolve()
    monkeypatch.delenv(paths.ENV_VAR)
    capsys.readouterr()
    assert main(["--project", str(office), "targets", "zhenba-2024", "--quarter", "2024Q2", "--format", "csv"]) == 0
    assert os.environ[paths.ENV_VAR] == str(office.resolve())  # what papermill's and hz run's kernels see
    monkeypatch.setattr(paths, "_override", None)
    # a plan only the project has: found there, not in the bundled example
    plan = (office / "params/plans/zhenba-2024.yaml").read_text(encoding="utf-8")
    (office / "params/plans/zhenba-copy.yaml").write_text(plan.replace("id: zhenba-2024", "id: zhenba-copy", 1), encoding="utf-8")
    shutil.copytree(office / "data/zhenba-2024", office / "data/zhenba-copy")
    assert main(["targets", "zhenba-copy", "--quarter", "2024Q2", "--project", str(office)]) == 0
    assert main(["targets", "zhenba-2024", "--quarter", "2024Q2", "--project", str(tmp_path)]) == 2
    assert "不是 hz 项目" in capsys.readouterr().err


def test_outside_any_project_a_command_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "bundled_root", lambda: None)  # as in an installed wheel
    assert main(["targets", "zhenba-2024", "--quarter", "2024Q2"]) == 2
    err = capsys.readouterr().err
    assert "不是 hz 项目" in err and "hz init" in err and "Traceback" not in err


def test_upgrade_replaces_only_the_suite_and_keeps_what_it_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = _init(tmp_path, "--from", "zhenba-2024")
    nb_path = office / "notebooks" / "02_evaluate.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = _params(nb_path).replace('"zhenba-2024"', '"zhenba-2025"').replace('"latest"', '"2025Q1"')
    nb["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "本单位加的说明"})
    nb_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    ledger = office / "data/zhenba-2024/ledger.csv"
    ledger.write_bytes(ledger.read_bytes() + b"\n")
    plan_before, ledger_before = (office / "params/plans/zhenba-2024.yaml").read_bytes(), ledger.read_bytes()
    (office / "notebooks/01_targets.ipynb").unlink()
    capsys.readouterr()
    assert main(["init", "--upgrade", str(office)]) == 0
    out = capsys.readouterr().out
    assert "已更新 notebooks/02_evaluate.ipynb（删除 1 个单元格）" in out and "已新增 notebooks/01_targets.ipynb" in out and "notebooks/.history/" in out
    kept = list((office / "notebooks/.history").glob("*/02_evaluate.ipynb"))
    assert len(kept) == 1 and "本单位加的说明" in kept[0].read_text(encoding="utf-8")
    new = nb_path.read_text(encoding="utf-8")
    assert "本单位加的说明" not in new
    assert 'plan: str = "zhenba-2025"' in _params(nb_path) and 'quarter: str = "2025Q1"' in _params(nb_path)  # the office's choice stays
    assert (office / "params/plans/zhenba-2024.yaml").read_bytes() == plan_before and ledger.read_bytes() == ledger_before
    assert main(["init", "--upgrade", str(office)]) == 0
    assert "已是最新" in capsys.readouterr().out
    assert main(["init", "--upgrade", str(tmp_path)]) == 2
    assert "不是 hz 项目" in capsys.readouterr().err


@pytest.mark.slow
def test_the_wheel_installs_makes_a_project_and_renders_a_bulletin(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources, install it apart from this repository, and work in a new project."""
    src = tmp_path / "src"
    src.mkdir()
    skip = shutil.ignore_patterns("__pycache__", ".*", "*.egg-info", "kernel-*")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "hzproject.toml", "jupyter_config.py"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("hzlib", "hzsample", "notebooks", "params", "data"):
        shutil.copytree(ROOT / name, src / name, ignore=skip)
    dist, target, work = tmp_path / "dist", tmp_path / "site", tmp_path / "work"
    wheel_cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)]
    built = subprocess.run(wheel_cmd, capture_output=True, text=True, check=False)
    if built.returncode != 0:  # no index for an isolated build environment: build with this environment's setuptools
        built = subprocess.run([*wheel_cmd, "--no-build-isolation"], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next(dist.glob("hzlib-*.whl"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    env.pop(paths.ENV_VAR, None)

    def hz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hzlib.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)

    where = subprocess.run(
        [sys.executable, "-c", "import hzlib; print(hzlib.__file__)"], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(target.resolve()), where
    assert Path(hzlib.__file__).resolve().is_relative_to(ROOT)  # this process: the editable install
    outside = hz("targets", "zhenba-2024", "--quarter", "2024Q2", cwd=work)
    assert outside.returncode == 2 and "不是 hz 项目" in outside.stderr  # no bundled example outside the repository
    made = hz("init", "office", "--from", "zhenba-2024", cwd=work)
    assert made.returncode == 0, made.stderr
    office = work / "office"
    assert (office / "notebooks/quarterly_report.ipynb").is_file() and (office / "data/zhenba-2024/ledger.csv").is_file()
    run = hz("run", "zhenba-2024", "--quarter", "2024Q2", "--formats", "html", "--jobs", "1", cwd=office / "notebooks")
    assert run.returncode == 0, run.stdout + run.stderr
    bulletin = office / "reports/zhenba-2024/2024Q2/bulletin.html"
    assert bulletin.is_file() and "镇巴" in bulletin.read_text(encoding="utf-8")
