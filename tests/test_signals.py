"""Ctrl-C and SIGTERM stop a real ``hz run`` with one Chinese line and exit code 130/143, and
leave no staging folder; what a SIGKILL leaves behind is removed by the next run.

Each test starts ``hz run`` as a subprocess, waits until its staging folder exists (polling; no
time limit: the run ends by itself if the folder never comes, and the test then fails), sends the
signal and waits for the process to end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PLAN, QUARTER = "ankang-2019", "2019Q2"
HZ = [sys.executable, "-c", "import sys; from hzlib.cli import main; sys.exit(main())"]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def _default_sigint() -> None:
    # A process started with SIGINT ignored (a shell's background job) keeps ignoring it, like
    # Python itself; the test wants the interactive case, so the child starts with the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*HZ, "run", PLAN, "--quarter", QUARTER, "--formats", "html", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )


def staging(out: Path) -> list[Path]:
    folder = out / PLAN
    return sorted(folder.glob(f".{QUARTER}.staging.*")) if folder.is_dir() else []


def wait_for_staging(proc: subprocess.Popen[str], out: Path) -> None:
    while not staging(out):
        if proc.poll() is not None:
            pytest.fail(
                f"hz run ended before staging: {proc.returncode}\n{proc.stdout.read() if proc.stdout else ''}{proc.stderr.read() if proc.stderr else ''}"
            )
        time.sleep(0.05)  # polling interval, not a limit


@pytest.mark.parametrize(
    ("sig", "code", "words"),
    [
        (signal.SIGINT, 130, "已中断（Ctrl-C）"),
        (signal.SIGTERM, 143, "已终止（收到 SIGTERM）"),
    ],
)
def test_interrupt_stops_cleanly(tmp_path: Path, sig: signal.Signals, code: int, words: str) -> None:
    out = tmp_path / "reports"
    proc = start_run(out)
    wait_for_staging(proc, out)
    proc.send_signal(sig)
    _, stderr = proc.communicate()
    assert proc.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines.count(f"✗ {words}：{PLAN} {QUARTER} 未完成，临时文件已删除，已有的通报未改动") == 1, stderr
    assert sum(words in line for line in lines) == 1 and "Traceback" not in stderr, stderr
    assert staging(out) == []
    assert sorted(p.name for p in (out / PLAN).iterdir()) == []  # no report, no .failed, no temp file


def test_the_next_run_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    proc = start_run(out)
    wait_for_staging(proc, out)
    left = staging(out)
    proc.kill()
    proc.communicate()
    assert staging(out) == left  # SIGKILL cannot be handled: the staging folder stays …
    done = subprocess.run([*HZ, "run", PLAN, "--quarter", QUARTER, "--formats", "xlsx", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert staging(out) == []  # … until the next run
    assert f"已删除上次中断的运行留下的 reports/{PLAN}/{left[0].name}" in done.stdout
    assert (out / PLAN / QUARTER / "bulletin.xlsx").exists()
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr
