"""``hz run`` ends without a traceback: wrong inputs are one message before any kernel starts, a
kernel stopped while it warms up prints nothing, a wrong or unreachable ``--scheduler`` is one
line, ``--all`` with plan ids is refused, and ``kill -9`` of the run leaves no worker, kernel or
PDF helper running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hzlib.atomicfile import remove_leftovers
from hzlib.cli import main
from hzlib.runner.pool import check_scheduler_address

HZ = [sys.executable, "-m", "hzlib.cli"]
ROOT = Path(__file__).resolve().parents[1]


def hz(*args: str) -> subprocess.CompletedProcess[str]:
    """``hz`` in its own process: what the user sees, kernels' output included."""
    return subprocess.run([*HZ, *args], capture_output=True, text=True, cwd=ROOT)


# ---- wrong inputs: one message, exit code 2, nothing started --------------------------------
@pytest.mark.parametrize(
    ("args", "first_line", "lines"),
    [
        (["--quarter", "2030Q1"], "错误 / error: 期别 2030Q1 不在计划年度 2024 年内 / period 2030Q1 is outside plan year 2024", 1),
        (
            ["--quarter", "2024Q4"],
            "错误 / error: 数据截至2024年9月，不能评价2024年全年（2024Q4）：可评价的最近季度为 2024Q3；"
            "如需按截至2024年9月的数据评价，请加 --allow-partial（notebook 参数 allow_partial=True）",
            1,
        ),
        (["--quarter", "2024Q2", "--data", "EMPTY"], "数据目录有 1 处错误 / 1 error(s) in 数据目录:", 2),
    ],
)
def test_wrong_inputs_are_one_message_and_exit_code_2(tmp_path: Path, args: list[str], first_line: str, lines: int) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "reports"
    done = hz("run", "zhenba-2024", *[str(empty) if a == "EMPTY" else a for a in args], "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    err = done.stderr.splitlines()
    assert err[0] == first_line and len(err) == lines, done.stderr  # no traceback, no ZMQError, no progress line
    assert not out.exists()  # nothing written


def test_several_reports_with_wrong_inputs_start_no_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def no_kernel(*args: object, **kwargs: object) -> object:
        raise AssertionError("a kernel was started for a report whose inputs are wrong")

    monkeypatch.setattr("hzlib.kernels.new_kernel_manager", no_kernel)
    assert main(["run", "zhenba-2024", "ankang-2019", "--quarter", "2030Q1", "--out", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "✗ zhenba-2024 2030Q1\n  - 期别 2030Q1 不在计划年度 2024 年内" in out
    assert "✗ ankang-2019 2030Q1\n  - 期别 2030Q1 不在计划年度 2019 年内" in out
    assert "共 2 个通报：成功 0 个，失败 2 个" in out
    assert not list(tmp_path.glob("*/*"))  # no report folder, no staging folder


def test_an_output_folder_that_cannot_be_written_is_one_message_after_the_kernel_started(tmp_path: Path) -> None:
    """The inputs are right, so the kernel starts; then the plan's folder cannot be made (a file has
    its name): the report fails with one message, and the kernel stopped mid-warm-up prints nothing."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / "zhenba-2024").write_text("不是文件夹", encoding="utf-8")
    done = hz("run", "zhenba-2024", "--quarter", "2024Q2", "--formats", "html", "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert f"✗ zhenba-2024 2024Q2\n  - 无法写入 {out / 'zhenba-2024'}：同名文件已存在" in done.stdout
    assert done.stderr.splitlines() == ["… zhenba-2024 2024Q2"], done.stderr  # the progress line only


# ---- a kernel stopped while it warms up ------------------------------------------------------
WARMING_EXIT = """
import threading
from hzlib.runner.kernel import WarmKernel
from hzlib.runner.worker import process_worker

executing = threading.Event()
original = WarmKernel._warm_up

def warm_up(self):
    executing.set()
    return original(self)

WarmKernel._warm_up = warm_up
process_worker()  # its kernel warms up in the background
executing.wait()  # the warm-up cell is being sent: exit now (the worker is closed at exit)
"""


def test_exiting_while_the_kernel_warms_up_prints_nothing() -> None:
    """The process ends while the kernel runs its warm-up cell: before, nbclient's exit handler asked
    the kernel to shut down mid-cell and the kernel printed ``ZMQError: Socket operation on non-socket``."""
    done = subprocess.run([sys.executable, "-c", WARMING_EXIT], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_nbclient_exit_handler_leaves_the_kept_kernel_to_its_owner() -> None:
    """What nbclient runs at interpreter exit while a notebook executes (``_cleanup_kernel``) must not
    shut down a :class:`WarmKernel`: that graceful shutdown, racing the running cell, is what printed
    the ZMQError (and left the warm-up waiting for a client taken away); the kernel's owner kills it."""
    import nbformat

    from hzlib.runner.kernel import WarmKernel

    with WarmKernel() as k:
        k.start()
        k._ready()  # started and warmed up
        k._client(nbformat.v4.new_notebook())._cleanup_kernel()
        assert k.alive()
    assert not k.alive()


def test_closing_a_kernel_while_it_warms_up_stops_the_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm-up that never ends (here a cell sleeping an hour) does not hold up :meth:`WarmKernel.close`:
    the kernel is killed and the warm-up stops waiting for it (nbclient's wait had no time limit)."""
    import threading

    from hzlib.runner.kernel import WarmKernel

    executing = threading.Event()
    original = WarmKernel._warm_up

    def warm_up(self: WarmKernel) -> None:
        executing.set()
        original(self)

    monkeypatch.setattr("hzlib.runner.kernel.WARM_UP", "import time\ntime.sleep(3600)\n")
    monkeypatch.setattr(WarmKernel, "_warm_up", warm_up)
    k = WarmKernel()
    k.start()
    warming = k._warming
    assert warming is not None
    executing.wait()
    k.close()
    assert not warming.is_alive() and not k.alive()


# ---- --scheduler -----------------------------------------------------------------------------
@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tls://sched.example.org:8786", "tcp://[::1]:8786"])
def test_scheduler_addresses_dask_accepts(address: str) -> None:
    assert check_scheduler_address(address) == address


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("10.0.0.5", "缺少端口"),
        ("tcp://10.0.0.5", "缺少端口"),
        ("http://10.0.0.5:8786", "的协议 http:// 不能用于 Dask 集群"),
        ("tcp://10.0.0.5:99999", "的端口 99999 不在 1–65535 之间"),
        ("tcp://10.0.0.5:port", "写法不对"),
        ("10.0.0.5 8786", "写法不对"),
    ],
)
def test_a_scheduler_address_of_the_wrong_form_is_one_line(address: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "ankang-2019", "--scheduler", address, "--out", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"错误 / error: --scheduler 的地址 {address!r} {why}：应写为 tcp://主机:端口，如 tcp://10.0.0.5:8786"
        "（也可用 tls://、ws://、wss://、ucx://；不写协议时按 tcp://）\n"
    )
    assert not (tmp_path / "reports").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr("hzlib.runner.pool.SCHEDULER_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{port}"
    assert main(["run", "zhenba-2024", "--quarter", "2024Q2", "--scheduler", address, "--out", str(tmp_path)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("… ")]
    assert err == [
        f"错误 / error: 无法连接 Dask 调度器 {address}（1 秒内没有回应）：请检查地址和端口是否正确、"
        "调度器是否已启动（dask scheduler）、防火墙是否放行；或去掉 --scheduler 在本机生成"
    ]


# ---- --all with plan ids ---------------------------------------------------------------------
def test_all_and_plan_ids_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--all", "ankang-2019"]) == 2
    assert capsys.readouterr().err == ("错误 / error: --all 与计划 id（ankang-2019）不能同时使用：生成全部计划用 --all，只生成某几个计划则只写计划 id\n")


# ---- kill -9 of hz run --all -----------------------------------------------------------------
def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent id, session id) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[3])


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        st = _stat(pid)
        if st is not None:
            children.setdefault(st[1], []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended (reading a process that is ending can also fail with ESRCH)
        return b""


def _kernels(pids: set[int]) -> int:
    return sum(b"ipykernel" in _cmdline(pid) for pid in pids)


def _running(pids: set[int], session: int) -> set[int]:
    """Of ``pids`` and of the processes in ``session``, those still running (zombies have ended)."""
    candidates = pids | {pid for pid in _all_pids() if (st := _stat(pid)) is not None and st[2] == session}
    return {pid for pid in candidates if (st := _stat(pid)) is not None and st[0] != "Z"}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_the_run_ends_its_workers_and_helpers(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    old = out / "ankang-2019" / "2019Q2"
    old.mkdir(parents=True)
    (old / "bulletin.html").write_text("上次生成的通报", encoding="utf-8")
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    log = tmp_path / "run.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [*HZ, "run", "--all", "--jobs", "2", "--formats", "html", "--out", str(out)], stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
    try:
        tree: set[int] = set()
        # wait until both workers have their kernels and one of them writes a report (polling; the run ends
        # by itself otherwise)
        while _kernels(tree) < 2 or not list(out.glob("*/.*.staging.*")):
            if proc.poll() is not None:
                pytest.fail(f"hz run ended before its workers wrote: {proc.returncode}\n{log.read_text()}")
            time.sleep(0.1)
            tree = _descendants(proc.pid)  # workers, their kernels and PDF helpers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for _ in range(200):  # bounded: each check takes 0.05 s at least
            if not _running(tree, proc.pid):
                break
            time.sleep(0.05)
        left = _running(tree, proc.pid)
        assert not left, [_cmdline(pid)[:200] for pid in left]
    finally:
        for pid in _running(_descendants(proc.pid) | {proc.pid}, proc.pid):  # only if the test failed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    # the old report is intact, and what the killed run left is removed by the next run
    assert (old / "bulletin.html").read_text(encoding="utf-8") == "上次生成的通报"
    assert sorted(p.name for p in old.iterdir()) == ["bulletin.html", "manifest.json"]
    staging = list(out.glob("*/.*.staging.*"))
    assert staging
    for folder in {p.parent for p in staging}:
        remove_leftovers(folder)  # what every run does first in each plan's folder
    assert not list(out.glob("*/.*.staging.*"))
    # no half-written report: a report folder is the old one or one completed before the kill
    assert all(p == old or (p / "manifest.json").exists() for p in out.glob("*/*") if not p.name.startswith("."))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_worker_killed_mid_run_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    proc = subprocess.Popen(
        [*HZ, "run", "--all", "--jobs", "2", "--formats", "html", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        while not list(out.glob("*/.*.staging.*")):  # polling until a worker writes a report
            if proc.poll() is not None:
                pytest.fail(f"hz run ended before its workers wrote: {proc.returncode}")
            time.sleep(0.1)
        tree = _descendants(proc.pid)
        worker = min(pid for pid in tree if (st := _stat(pid)) is not None and st[1] == proc.pid)
        os.kill(worker, signal.SIGKILL)  # as the out-of-memory killer would
        stdout, stderr = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr, stderr
    assert "生成通报的一个进程意外退出（可能内存不足或被强行结束），本通报未生成；已有的通报未改动，可重新运行 hz run" in stdout
    assert "失败" in stdout.splitlines()[-1]
    for _ in range(200):  # bounded: the other worker, the kernels and PDF helpers end too
        if not _running(tree, proc.pid):
            break
        time.sleep(0.05)
    assert not _running(tree, proc.pid), [_cmdline(pid)[:200] for pid in _running(tree, proc.pid)]
