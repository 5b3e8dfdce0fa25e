"""docs/tutorial.md works as written: its files are written and its commands run, in order,
in a copy of the project layout, with the exit codes and output the page shows.

Conventions of the page (kept readable on GitHub):

- a fenced block whose info string has ``file=PATH`` is a file the reader saves at PATH;
- each line of a ``bash`` block is a command run from the project folder; a trailing
  comment ``# …退出码为 N`` gives its exit code (otherwise 0);
- a ``text`` block right after a ``bash`` block holds lines the block's output contains.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)
_EXIT = re.compile(r"#.*退出码为\s*(\d+)")

#: What a copy of the project needs to run ``hz`` from it (``.venv`` is linked, not copied).
PROJECT_PARTS = ("hzlib", "hzsample", "params", "notebooks")


@dataclass
class Block:
    info: str
    body: str
    expected: list[str] = field(default_factory=list)  # for bash blocks: lines the output shows

    @property
    def file(self) -> str | None:
        m = re.search(r"\bfile=(\S+)", self.info)
        return m.group(1) if m else None

    @property
    def is_bash(self) -> bool:
        return self.info.split()[:1] == ["bash"]


def blocks(markdown: str) -> list[Block]:
    """The page's fenced blocks in order; a ``text`` block is attached to the bash block before it."""
    out: list[Block] = []
    for m in _FENCE.finditer(markdown):
        info, body = m.group(1).strip(), m.group(2)
        if info == "text" and out and out[-1].is_bash:
            out[-1].expected = [line.rstrip() for line in body.splitlines() if line.strip()]
            continue
        out.append(Block(info, body))
    return out


def commands(block: Block) -> list[tuple[str, int]]:
    """The commands of a bash block with their expected exit codes."""
    out = []
    for line in block.body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _EXIT.search(line)
        out.append((line.strip(), int(m.group(1)) if m else 0))
    return out


def tutorial_plan_text() -> str:
    """The tutorial's plan file after the fix the page makes (its ``sed`` command)."""
    page = blocks(TUTORIAL.read_text(encoding="utf-8"))
    plan = next(b.body for b in page if (b.file or "").startswith("params/plans/"))
    fix = next(c for b in page if b.is_bash for c, _ in commands(b) if c.startswith("sed "))
    old, new = re.match(r"sed -i 's/(.+?)/(.+?)/'", fix).groups()  # type: ignore[union-attr]
    return plan.replace(old, new)


def _ignore(folder: str, names: list[str]) -> set[str]:
    """Caches, and anything that is neither a file nor a folder (a socket left by a killed kernel)."""
    return {n for n in names if n == "__pycache__" or not (os.path.isfile(os.path.join(folder, n)) or os.path.isdir(os.path.join(folder, n)))}


def copy_project(dest: Path) -> Path:
    """A copy of the project layout with no data, using this checkout's ``.venv``."""
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, dest / part, ignore=_ignore)
    (dest / "data").mkdir()
    shutil.copy2(ROOT / "hzproject.toml", dest / "hzproject.toml")  # marks the copy as a project (hzlib.paths)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def test_page_has_the_steps() -> None:
    page = blocks(TUTORIAL.read_text(encoding="utf-8"))
    files = [b.file for b in page if b.file]
    assert files == ["params/plans/shifan-2024.yaml", "data/shifan-2024/ledger.csv", "data/shifan-2024/progress.csv", "data/shifan-2024/indicators.csv"]
    plan = next(b.body for b in page if b.file == files[0])
    assert 3 <= plan.count("\n  - id: ") <= 5
    runs = [c for b in page if b.is_bash for c, _ in commands(b)]
    assert any(c.startswith(".venv/bin/hz check") for c in runs) and any(c.startswith(".venv/bin/hz run") for c in runs)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "hz").exists(), reason="needs the project's .venv (make setup)")
def test_tutorial_runs_as_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    env = os.environ | {"PYTHONPATH": str(project), "MPLBACKEND": "Agg"}
    for block in blocks(TUTORIAL.read_text(encoding="utf-8")):
        if block.file:
            path = project / block.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body, encoding="utf-8")
            continue
        if not block.is_bash:
            continue
        output = ""
        for command, code in commands(block):
            done = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True)
            output += done.stdout + done.stderr
            assert done.returncode == code, f"{command}\n{done.stdout}\n{done.stderr}"
            assert "Traceback" not in done.stderr, done.stderr
            if command.startswith(".venv/bin/hz run"):
                folder = project / "reports" / "shifan-2024" / "2024Q2"
                assert (folder / "bulletin.html").exists() and (folder / "bulletin.xlsx").exists()
                assert "示范县" in (folder / "bulletin.html").read_text(encoding="utf-8")
                assert not list(folder.parent.glob(".*"))  # no staging or temp files left
        for line in block.expected:
            assert line in output, f"{block.body}\nexpected: {line}\noutput:\n{output}"
    assert not (project / "params" / "plans" / "shifan-2024.yaml").exists()  # the page cleans up after itself


def test_tutorial_plan_is_a_valid_plan(tmp_path: Path) -> None:
    from test_plans import assert_plan_properties

    from hzlib.plan import load_plan

    path = tmp_path / "shifan-2024.yaml"
    path.write_text(tutorial_plan_text(), encoding="utf-8")
    assert_plan_properties(load_plan(path))
