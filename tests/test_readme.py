"""The README works as written: its ``.venv/bin/…`` commands run (in order, from the project folder
of a copy with the bundled data), its ``make`` targets exist, its Python examples give what they
show; and plain papermill with a bad parameter prints one Chinese line, not a traceback."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_tutorial import blocks, copy_project

from hzlib.render.pdf import chromium_available

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV_BIN = ROOT / ".venv" / "bin"
needs_venv = pytest.mark.skipif(not (VENV_BIN / "hz").exists(), reason="needs the project's .venv (make setup)")


def shell_commands() -> list[list[str]]:
    """The README's shell commands (``bash`` blocks), comments removed, as argument lists."""
    out = []
    for block in blocks(README.read_text(encoding="utf-8")):
        if block.is_bash:
            out += [shlex.split(line, comments=True) for line in block.body.splitlines() if line.strip()]
    return [c for c in out if c]


def test_readme_commands_are_the_ones_people_can_run() -> None:
    commands = shell_commands()
    assert {c[0] for c in commands} <= {"make", ".venv/bin/hz", ".venv/bin/papermill", ".venv/bin/jupyter"}, commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for c in commands:
        if c[0] == "make":
            assert re.search(rf"^{re.escape(c[1])}:", makefile, re.M), c
    assert [".venv/bin/hz", "indicators"] in commands
    assert any(c[:3] == [".venv/bin/jupyter", "nbconvert", "--to"] and c[3] == "hzpdf" for c in commands)


def test_readme_python_examples() -> None:
    for block in blocks(README.read_text(encoding="utf-8")):
        if block.info == "python":
            test = doctest.DocTestParser().get_doctest(block.body, {}, "README", str(README), 0)
            result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test)
            assert result.failed == 0


@needs_venv
def test_readme_commands_run_as_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "tests" / "workbook_corpus", project / "tests" / "workbook_corpus")  # the README's example workbook
    env = os.environ | {"PYTHONPATH": str(project), "MPLBACKEND": "Agg"}
    ran = 0
    for command in shell_commands():
        if command[0] == "make":
            continue
        if command[:2] == [".venv/bin/jupyter", "nbconvert"] and not chromium_available():
            continue
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr and "WARNING" not in done.stderr, f"{shlex.join(command)}\n{done.stderr}"
        ran += 1
    assert ran >= 8
    assert (project / "tasks.csv").exists() and (project / "out.ipynb").exists()
    assert (project / "reports" / "ankang-2019" / "2019Q2" / "bulletin.xlsx").exists()
    if chromium_available():
        assert (project / "out.pdf").read_bytes().startswith(b"%PDF")


# ---- plain papermill ---------------------------------------------------------------------
@needs_venv
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-p", "plan", "nosuch"], "没有计划 'nosuch'"),
        (["-p", "plan", "../../etc/passwd"], "plan 名称不合法：'../../etc/passwd'"),
        (["-y", "plan: [x]"], "参数 plan 应为 str，实际为 list"),
    ],
)
def test_papermill_with_a_bad_parameter_prints_one_line(tmp_path: Path, args: list[str], words: str) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "papermill"), "notebooks/02_evaluate.ipynb", str(tmp_path / "out.ipynb"), *args, "--no-progress-bar"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr, done.stderr
    last = [line for line in done.stderr.splitlines() if line.strip()][-1]
    assert last.startswith("错误 / error: ") and words in last, done.stderr
    assert done.stderr.count(words) == 1


def test_the_papermill_message_for_other_errors_keeps_the_notebook_traceback() -> None:
    from hzlib.papermill_plugin import install_excepthook, notebook_error_message

    failure = SimpleNamespace(
        ename="KeyError",
        evalue="'x'",
        exec_count=4,
        traceback=[
            "\x1b[31m---------\x1b[0m",
            "KeyError                                  Traceback (most recent call last)",
            "Cell In[4], line 1",
            "KeyError: 'x'",
        ],
    )
    text = notebook_error_message(failure)
    assert text.startswith("notebook 第 4 个执行的单元格出错") and "Cell In[4], line 1" in text and "\x1b" not in text
    assert not install_excepthook("/usr/bin/python")  # only the papermill command gets the hook
