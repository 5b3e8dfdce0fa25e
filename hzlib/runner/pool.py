"""Spread reports over this process, over processes (``--jobs``) or over a Dask cluster (``--scheduler``).

Every way runs the same function, the ``render`` given to :func:`run_jobs` (``hz run`` gives
:func:`hzlib.run.render_job`), in a process that keeps one
:class:`~hzlib.runner.worker.Worker` (kernel and PDF engine) for all the reports it
renders; results come back as :class:`~hzlib.runner.result.RunResult` and land in the same
``reports/`` layout with the same manifests. A report is written into a staging folder
and moved into place only when complete, so a worker killed mid-report leaves no
half-written report: Dask gives the report to another worker, and the staging folder of
the dead process is removed by the next run.

This module knows a report only as its :class:`~hzlib.runner.keys.Job`; :mod:`hzlib.run`, which
renders one, sits above it and hands it the function to call.

>>> Progress(3, stream=None).line()
'0/3 完成'
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import as_completed as completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Any, TypeVar

from ..errors import UsageError
from ..inputs import input_files
from ..kernels import stop_kernels
from ..lifeline import die_with_parent, watch_parent
from .keys import Job
from .result import RunResult
from .worker import close_process_worker

__all__ = ["run_jobs", "Render", "Progress", "default_jobs", "check_scheduler_address", "SCHEDULER_TIMEOUT"]

#: What a job is rendered from besides its :class:`Job` (``hz run``: its checked inputs,
#: :class:`hzlib.run.Prepared`); passed through untouched.
P = TypeVar("P")

#: Renders one job in the calling process: ``render(job, key, out_dir, prepared)`` (``prepared``:
#: ``None`` when the job's inputs were not checked beforehand). A module-level function, so that
#: it reaches pool processes and Dask workers by name.
Render = Callable[[Job, str, str, P | None], RunResult]

#: Seconds ``hz run --scheduler`` waits for the Dask scheduler to answer before it gives up.
SCHEDULER_TIMEOUT = 10.0

#: What ``--scheduler`` accepts: ``[protocol://]host:port`` (host a name, an IPv4 or a [bracketed] IPv6 address).
_SCHEDULER = re.compile(r"^(?:(?P<proto>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})/?$")
_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx")
_SCHEDULER_FORM = "应写为 tcp://主机:端口，如 tcp://10.0.0.5:8786（也可用 tls://、ws://、wss://、ucx://；不写协议时按 tcp://）"


def check_scheduler_address(address: str) -> str:
    """The Dask scheduler address ``address`` as given, when it has the form Dask connects to;
    else a :class:`UsageError` saying how to write it.

    >>> check_scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    >>> check_scheduler_address("10.0.0.5")
    Traceback (most recent call last):
    ...
    hzlib.errors.UsageError: --scheduler 的地址 '10.0.0.5' 缺少端口：应写为 tcp://主机:端口，如 tcp://10.0.0.5:8786（也可用 tls://、ws://、wss://、ucx://；不写协议时按 tcp://）
    """
    text = address.strip()
    m = _SCHEDULER.match(text)
    if m is None:
        why = "缺少端口" if re.match(r"^(?:[A-Za-z]+://)?[^:/\s]+/?$", text) else "写法不对"
        raise UsageError(f"--scheduler 的地址 {address!r} {why}：{_SCHEDULER_FORM}")
    proto = (m.group("proto") or "tcp").lower()
    if proto not in _PROTOCOLS:
        raise UsageError(f"--scheduler 的地址 {address!r} 的协议 {proto}:// 不能用于 Dask 集群：{_SCHEDULER_FORM}")
    if not 1 <= int(m.group("port")) <= 65535:
        raise UsageError(f"--scheduler 的地址 {address!r} 的端口 {m.group('port')} 不在 1–65535 之间：{_SCHEDULER_FORM}")
    return text


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A Dask client connected to ``address``; a scheduler that does not answer within
    :data:`SCHEDULER_TIMEOUT` seconds is a :class:`UsageError` (one line, exit code 2)."""
    try:
        from distributed import Client  # lazy: optional package (the distributed extra), only --scheduler needs it
    except ImportError:
        raise UsageError("使用 --scheduler 需要安装 Dask：pip install 'dask[distributed]'；或去掉 --scheduler 在本机生成") from None
    try:
        client = Client(address, timeout=f"{SCHEDULER_TIMEOUT:g}s")
    except (OSError, ValueError, TypeError) as e:  # TimeoutError is an OSError
        timed_out = isinstance(e, TimeoutError) or "timed out" in str(e).lower()
        reason = f"{SCHEDULER_TIMEOUT:g} 秒内没有回应" if timed_out else f"{type(e).__name__}: {e}"
        raise UsageError(
            f"无法连接 Dask 调度器 {address}（{reason}）：请检查地址和端口是否正确、调度器是否已启动"
            f"（dask scheduler）、防火墙是否放行；或去掉 --scheduler 在本机生成"
        ) from None
    with client:
        yield client


def default_jobs() -> int:
    """How many reports to render at once by default: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _size(job: Job) -> int:
    """How much a report reads (bytes of its input files): a proxy for how long it takes."""
    try:
        return sum(p.stat().st_size for p in input_files(job.plan, job.data_dir).values() if p.exists())
    except OSError:
        return 0


class Progress:
    """Reports done/total, the one running, failures so far and time left: one line kept up to
    date on a terminal, plain log lines otherwise (CI)."""

    def __init__(self, total: int, stream: IO[str] | str | None = "stderr") -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.running: list[str] = []
        self.stream: IO[str] | None = sys.stderr if stream == "stderr" else stream  # type: ignore[assignment]
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()

    def line(self) -> str:
        s = f"{self.done}/{self.total} 完成"
        if self.failed:
            s += f"，失败 {self.failed}"
        if self.running:
            s += f"；正在：{'、'.join(self.running[:3])}"
        if 0 < self.done < self.total:
            left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
            s += f"；约剩 {left:.0f} 秒"
        return s

    def _show(self, text: str) -> None:
        if self.stream is None:
            return
        if self.tty:
            self.stream.write("\r\033[K" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, label: str) -> None:
        self.running.append(label)
        self._show(self.line() if self.tty else f"… {label}")

    def finish(self, label: str, ok: bool, printer: Callable[[], None]) -> None:
        with contextlib.suppress(ValueError):
            self.running.remove(label)
        self.done += 1
        self.failed += 0 if ok else 1
        if self.tty and self.stream is not None:
            self.stream.write("\r\033[K")
        printer()
        if self.tty:
            self._show(self.line())

    def close(self) -> None:
        if self.tty and self.stream is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _stop_child(code: int) -> None:
    """End this pool process now, its notebook kernels first (its PDF helper ends with it)."""
    stop_kernels()
    os._exit(code)


def _init_child(parent: int) -> None:
    """A pool process leaves Ctrl-C to the parent; on SIGTERM it stops its kernel and PDF engine first.

    It also ends with its ``parent`` (``hz run`` killed with ``kill -9``): SIGTERM from the
    system when the parent ends (Linux), else a watchdog on the parent's id (see :mod:`hzlib.lifeline`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stop(signum: int, frame: object) -> None:
        _stop_child(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    die_with_parent(signal.SIGTERM)
    watch_parent(lambda: _stop_child(128 + signal.SIGTERM), parent=parent)  # also when the parent ended before this line


@contextlib.contextmanager
def _process_pool(n: int) -> Iterator[Any]:
    # fork: the children start from this (light) process at once; they make their kernels and
    # engines themselves, after the fork
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_child, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):  # stop the children now, not after their report
            with contextlib.suppress(OSError):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _outcome(job: Job, future: Any) -> RunResult:
    """The result of ``future``, or a failed result saying that the process rendering ``job`` died
    (killed, out of memory): the other reports go on, and the run ends with one line per report."""
    try:
        result: RunResult = future.result()
    except CancelledError:  # the run is being stopped
        raise
    except BrokenProcessPool:
        why = "生成通报的一个进程意外退出（可能内存不足或被强行结束），本通报未生成；已有的通报未改动，可重新运行 hz run"
        return RunResult(job.plan, job.quarter, False, None, errors=[why])
    except Exception as e:  # a Dask task lost with its workers (KilledWorker), or a cluster error
        why = f"生成该通报的任务失败：{type(e).__name__}: {e}；已有的通报未改动，可重新运行 hz run"
        return RunResult(job.plan, job.quarter, False, None, errors=[why])
    return result


def run_jobs(
    jobs: Sequence[tuple[Job, str]],
    out_dir: Path,
    render: Render[P],
    *,
    n_jobs: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    on_result: Callable[[RunResult], None] = lambda r: None,
    prepared: Mapping[Job, P] | None = None,
) -> list[RunResult]:
    """Render ``jobs`` (each with its key) with ``render``: here, over ``n_jobs`` processes, or on the Dask
    ``scheduler``. ``prepared``: what each job is rendered from, when made beforehand (handed to ``render``).

    Rendered here, the process's worker (kernel, PDF engine) is closed before this returns (not left to
    the interpreter's exit, where it would race nbclient's own clean-up)."""
    results: list[RunResult] = []
    ready: Mapping[Job, P] = prepared or {}

    def done(job: Job, r: RunResult) -> None:
        results.append(r)
        if progress is not None:
            progress.finish(job.label, r.ok, lambda: on_result(r))
        else:
            on_result(r)

    if not jobs:
        return results
    if scheduler:
        with _dask_client(scheduler) as client:  # says clearly when Dask is not installed
            from distributed import as_completed  # lazy: optional package (the distributed extra)

            futures = {}
            for job, key in jobs:
                f = client.submit(render, job, key, str(out_dir), ready.get(job), pure=False, key=f"hz-{job.record_name}-{key[:12]}")
                futures[f] = job
                if progress is not None:
                    progress.start(job.label)
            try:
                for f in as_completed(futures):
                    done(futures[f], _outcome(futures[f], f))
            except BaseException:
                client.cancel(list(futures))
                raise
        return results
    if n_jobs <= 1 or len(jobs) == 1:
        try:
            for job, key in jobs:
                if progress is not None:
                    progress.start(job.label)
                done(job, render(job, key, str(out_dir), ready.get(job)))
        finally:
            close_process_worker()
        return results
    with _process_pool(min(n_jobs, len(jobs))) as pool:
        pending = {}
        for job, key in sorted(jobs, key=lambda jk: -_size(jk[0])):  # largest first: the last report to finish is a small one
            pending[pool.submit(render, job, key, str(out_dir), ready.get(job))] = job
            if progress is not None:
                progress.start(job.label)
        for fut in completed(pending):
            done(pending[fut], _outcome(pending[fut], fut))
    return results
